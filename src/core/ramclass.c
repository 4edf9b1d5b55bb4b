/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ramclass: the class of each frame of RAM, from kpageflags and the
 * frames around it (see include/vmscope/ramclass.h for the rules). */
#include <string.h>
#include "vmscope/ramclass.h"

void ramclass_init(struct ramclass *rc)
{
	memset(rc, 0, sizeof *rc);
}

size_t ramclass_flagless_suffix(const uint64_t *flags, size_t n)
{
	size_t k = 0;

	while (k < n && flags[n - 1 - k] == 0)
		k++;
	return k;
}

void ramclass_add_tail(struct ramclass *rc, uint64_t lo, uint64_t hi)
{
	struct ramclass_tail *t;

	if (hi <= lo || hi - lo < RAMCLASS_TAIL_MIN ||
	    rc->ntails >= RAMCLASS_MAX_TAILS)
		return;
	t = &rc->tail[rc->ntails++];
	t->lo = lo;
	t->hi = hi;
	t->memmap_lo = hi;
}

void ramclass_place_memmap(struct ramclass *rc, uint64_t ram_frames,
			   unsigned page_struct, unsigned page_size)
{
	struct ramclass_tail *t;
	uint64_t n;

	if (!rc->ntails || !page_size)
		return;
	t = &rc->tail[rc->ntails - 1];
	n = (ram_frames / page_size) * page_struct +
	    ((ram_frames % page_size) * page_struct + page_size - 1) / page_size;
	t->memmap_lo = n >= t->hi - t->lo ? t->lo : t->hi - n;
}

void ramclass_break(struct ramclass *rc)
{
	rc->buddy_end = 0;
}

static const struct ramclass_tail *tail_of(const struct ramclass *rc,
					   uint64_t pfn)
{
	size_t i;

	for (i = 0; i < rc->ntails; i++)
		if (pfn >= rc->tail[i].lo && pfn < rc->tail[i].hi)
			return &rc->tail[i];
	return NULL;
}

enum kheat_cat ramclass_frame(struct ramclass *rc, uint64_t pfn,
			      uint64_t flags, int *uninit)
{
	enum kheat_cat cat;

	*uninit = 0;
	if (flags == 0) {
		const struct ramclass_tail *t;

		if (pfn < rc->buddy_end)
			return KHEAT_FREE;
		if (rc->ntails && (t = tail_of(rc, pfn))) {
			*uninit = 1;
			return pfn < t->memmap_lo ? KHEAT_FREE : KHEAT_OTHER;
		}
		return KHEAT_OTHER;
	}
	cat = kheat_classify(flags);
	if (cat == KHEAT_FREE) {
		uint64_t max = UINT64_C(1) << RAMCLASS_MAX_ORDER;
		uint64_t align = pfn ? (pfn & (~pfn + 1)) : max;

		rc->buddy_end = pfn + (align > max ? max : align);
	} else {
		rc->buddy_end = 0;
	}
	return cat;
}
