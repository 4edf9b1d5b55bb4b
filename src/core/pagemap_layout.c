/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pagemap_layout: what the bits 55-63 of a pagemap entry meant on the
 * kernel that wrote it, from the kernel's documentation of each version
 * (Documentation/vm/pagemap.txt, later admin-guide/mm/pagemap.rst) and
 * fs/proc/task_mmu.c of that version. */
#include <string.h>
#include "vmscope/pagemap.h"

const struct pagemap_bit pagemap_bits[] = {
	{ 55, "soft-dirty", KVER(3, 11, 0) },
	{ 56, "exclusive", KVER(4, 2, 0) },
	{ 57, "uffd-wp", KVER(5, 13, 0) },
	{ 58, "guard", KVER(6, 15, 0) },
	{ 61, "file-shared", KVER(3, 5, 0) },
	{ 62, "swapped", KVER(2, 6, 25) },
	{ 63, "present", KVER(2, 6, 25) },
	{ 0, NULL, 0 },
};

struct pagemap_layout pagemap_layout_for(uint32_t kver)
{
	struct pagemap_layout l;
	const struct pagemap_bit *b;

	memset(&l, 0, sizeof l);
	l.kver = kver;
	for (b = pagemap_bits; b->name; b++)
		if (kver == KVER_UNKNOWN || kver >= b->since)
			l.flags |= UINT64_C(1) << b->bit;
	if (kver != KVER_UNKNOWN && kver < KVER(4, 2, 0)) {
		/* 3.11-4.1: soft-dirty only in a "v2" entry (decided per
		 * entry in pagemap_decode) */
		l.flags &= ~PM_PSHIFT_MASK;
		l.pshift = true;
	}
	return l;
}

/* Whether bits 55-60 of raw hold the page shift.  From 3.11 to 4.1 a v2
 * entry has 56-60 zero, which no page shift (12 and up) ever has. */
static bool entry_has_pshift(uint64_t raw, const struct pagemap_layout *l)
{
	if (!l || !l->pshift)
		return false;
	if (l->kver < KVER(3, 11, 0))
		return true;
	return (raw & PM_PSHIFT_MASK & ~PM_SOFT_DIRTY) != 0;
}

static uint64_t entry_known(uint64_t raw, const struct pagemap_layout *l)
{
	uint64_t known = l ? l->flags : pagemap_layout_for(KVER_UNKNOWN).flags;

	if (l && l->pshift && !entry_has_pshift(raw, l))
		known |= PM_SOFT_DIRTY; /* a v2 entry of 3.11-4.1 */
	return known;
}

uint64_t pagemap_clean(uint64_t raw, const struct pagemap_layout *l)
{
	return (raw & PM_PFN_MASK) | (raw & entry_known(raw, l));
}

bool pagemap_entry_has(const struct pagemap_entry *e, unsigned bit)
{
	return bit < 64 && (e->known >> bit & 1);
}

void pagemap_decode(uint64_t raw, const struct pagemap_layout *l,
		    struct pagemap_entry *out)
{
	uint64_t v = pagemap_clean(raw, l);

	memset(out, 0, sizeof *out);
	out->known = entry_known(raw, l);
	if (entry_has_pshift(raw, l))
		out->page_shift = (unsigned)((raw & PM_PSHIFT_MASK) >>
					     PM_PSHIFT_SHIFT);
	out->present = (v & PM_PRESENT) != 0;
	out->swapped = (v & PM_SWAPPED) != 0;
	out->soft_dirty = (v & PM_SOFT_DIRTY) != 0;
	out->exclusive = (v & PM_EXCLUSIVE) != 0;
	out->uffd_wp = (v & PM_UFFD_WP) != 0;
	out->guard = (v & PM_GUARD) != 0;
	out->file_shared = (v & PM_FILE_SHARED) != 0;
	if (out->present) {
		out->pfn = v & PM_PFN_MASK;
	} else if (out->swapped) {
		out->swap_type = (unsigned)(v & PM_SWAP_TYPE_MASK);
		out->swap_offset = (v & PM_PFN_MASK) >> PM_SWAP_OFF_SHIFT;
	}
}
