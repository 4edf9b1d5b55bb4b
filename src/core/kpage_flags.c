/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kpage_flags: the names of the kpageflags bits, as each kernel version
 * defined them (uapi linux/kernel-page-flags.h for 0-26, the kernel-
 * hacking bits of include/linux/kernel-page-flags.h for 32-42, and the
 * "since" list of proc_kpageflags(5)). */
#include <stdio.h>
#include <string.h>
#include "vmscope/kpage.h"

struct kflag {
	const char *name, *abbrev;
	char letter;
	uint32_t since, until; /* the kernels that defined it: [since, until) */
};

#define V2631 KVER(2, 6, 31)

/* Names as the kernel spells them (KPF_*), the letters of page-types. */
static const struct kflag kflags[64] = {
	[KPF_LOCKED]        = { "LOCKED", "LCK", 'L', KVER(2, 6, 25), 0 },
	[KPF_ERROR]         = { "ERROR", "ERR", 'E', KVER(2, 6, 25), 0 },
	[KPF_REFERENCED]    = { "REFERENCED", "REF", 'R', KVER(2, 6, 25), 0 },
	[KPF_UPTODATE]      = { "UPTODATE", "UTD", 'U', KVER(2, 6, 25), 0 },
	[KPF_DIRTY]         = { "DIRTY", "DRT", 'D', KVER(2, 6, 25), 0 },
	[KPF_LRU]           = { "LRU", "LRU", 'l', KVER(2, 6, 25), 0 },
	[KPF_ACTIVE]        = { "ACTIVE", "ACT", 'A', KVER(2, 6, 25), 0 },
	[KPF_SLAB]          = { "SLAB", "SLB", 'S', KVER(2, 6, 25), 0 },
	[KPF_WRITEBACK]     = { "WRITEBACK", "WB", 'W', KVER(2, 6, 25), 0 },
	[KPF_RECLAIM]       = { "RECLAIM", "RCL", 'I', KVER(2, 6, 25), 0 },
	[KPF_BUDDY]         = { "BUDDY", "BDY", 'B', KVER(2, 6, 25), 0 },
	[KPF_MMAP]          = { "MMAP", "MAP", 'M', V2631, 0 },
	[KPF_ANON]          = { "ANON", "ANO", 'a', V2631, 0 },
	[KPF_SWAPCACHE]     = { "SWAPCACHE", "SWC", 's', V2631, 0 },
	[KPF_SWAPBACKED]    = { "SWAPBACKED", "SWB", 'b', V2631, 0 },
	[KPF_COMPOUND_HEAD] = { "COMPOUND_HEAD", "CH", 'H', V2631, 0 },
	[KPF_COMPOUND_TAIL] = { "COMPOUND_TAIL", "CT", 'T', V2631, 0 },
	[KPF_HUGE]          = { "HUGE", "HUG", 'G', V2631, 0 },
	[KPF_UNEVICTABLE]   = { "UNEVICTABLE", "UNE", 'u', V2631, 0 },
	[KPF_HWPOISON]      = { "HWPOISON", "HWP", 'X', V2631, 0 },
	[KPF_NOPAGE]        = { "NOPAGE", "NOP", 'n', V2631, 0 },
	[KPF_KSM]           = { "KSM", "KSM", 'x', KVER(2, 6, 32), 0 },
	[KPF_THP]           = { "THP", "THP", 't', KVER(3, 4, 0), 0 },
	[KPF_OFFLINE]       = { "OFFLINE", "OFL", 'o', KVER(5, 1, 0), 0 },
	[KPF_ZERO_PAGE]     = { "ZERO_PAGE", "ZP", 'z', KVER(4, 0, 0), 0 },
	[KPF_IDLE]          = { "IDLE", "IDL", 'i', KVER(4, 3, 0), 0 },
	[KPF_PGTABLE]       = { "PGTABLE", "PGT", 'g', KVER(4, 18, 0), 0 },
	[KPF_RESERVED]      = { "RESERVED", "RSV", 'r', V2631, 0 },
	[KPF_MLOCKED]       = { "MLOCKED", "MLK", 'm', V2631, 0 },
	[KPF_OWNER_2]       = { "OWNER_2", "OW2", 'd', KVER(6, 12, 0), 0 },
	[KPF_PRIVATE]       = { "PRIVATE", "PRV", 'P', V2631, 0 },
	[KPF_PRIVATE_2]     = { "PRIVATE_2", "PR2", 'p', V2631, 0 },
	[KPF_OWNER_PRIVATE] = { "OWNER_PRIVATE", "OWP", 'O', V2631, 0 },
	[KPF_ARCH]          = { "ARCH", "ARC", 'h', V2631, 0 },
	/* removed with PG_uncached in 6.12 */
	[KPF_UNCACHED]      = { "UNCACHED", "UNC", 'c', V2631, KVER(6, 12, 0) },
	[KPF_SOFTDIRTY]     = { "SOFTDIRTY", "SD", 'f', KVER(3, 13, 0), 0 },
	[KPF_ARCH_2]        = { "ARCH_2", "AR2", '2', KVER(5, 10, 0), 0 },
	[KPF_ARCH_3]        = { "ARCH_3", "AR3", '3', KVER(6, 2, 0), 0 },
};

/* Bits that meant something else on older kernels (renamed, not moved). */
static const struct kflag_was { unsigned bit; struct kflag f; } kflags_was[] = {
	/* PG_balloon became PG_offline in 5.1 */
	{ KPF_OFFLINE, { "BALLOON", "BAL", 'o', KVER(3, 18, 0), KVER(5, 1, 0) } },
	/* PG_mappedtodisk became PG_owner_2 in 6.12 */
	{ KPF_OWNER_2, { "MAPPEDTODISK", "MTD", 'd', V2631, KVER(6, 12, 0) } },
};

static bool in_era(const struct kflag *f, uint32_t kver)
{
	return f->name && kver >= f->since && (!f->until || kver < f->until);
}

/* The flag bit was on the kernel kver (KVER_UNKNOWN: today's), or NULL. */
static const struct kflag *flag_for(unsigned bit, uint32_t kver)
{
	size_t i;

	if (bit >= 64)
		return NULL;
	if (kver == KVER_UNKNOWN)
		return kflags[bit].name ? &kflags[bit] : NULL;
	for (i = 0; i < sizeof kflags_was / sizeof kflags_was[0]; i++)
		if (kflags_was[i].bit == bit && in_era(&kflags_was[i].f, kver))
			return &kflags_was[i].f;
	return in_era(&kflags[bit], kver) ? &kflags[bit] : NULL;
}

const char *kpage_flag_name_for(unsigned bit, uint32_t kver)
{
	const struct kflag *f = flag_for(bit, kver);

	return f ? f->name : NULL;
}

const char *kpage_flag_name(unsigned bit)
{
	return kpage_flag_name_for(bit, KVER_UNKNOWN);
}

const char *kpage_flag_abbrev(unsigned bit)
{
	return bit < 64 ? kflags[bit].abbrev : NULL;
}

char kpage_flag_letter_for(unsigned bit, uint32_t kver)
{
	const struct kflag *f = flag_for(bit, kver);

	return f ? f->letter : 0;
}

char kpage_flag_letter(unsigned bit)
{
	return kpage_flag_letter_for(bit, KVER_UNKNOWN);
}

/* Append s to buf (size n) at *len, counting what does not fit. */
static void put(char *buf, size_t n, size_t *len, const char *s)
{
	size_t l = strlen(s);

	if (*len < n) {
		size_t room = n - *len - 1, c = l < room ? l : room;

		memcpy(buf + *len, s, c);
		buf[*len + c] = '\0';
	}
	*len += l;
}

size_t kpage_flags_format_for(uint64_t flags, uint32_t kver,
			      const char *sep, char *buf, size_t n)
{
	size_t len = 0;
	unsigned b;

	if (!sep)
		sep = ",";
	if (n)
		buf[0] = '\0';
	for (b = 0; b < 64; b++) {
		char num[8];
		const char *name;

		if (!(flags >> b & 1))
			continue;
		if (len)
			put(buf, n, &len, sep);
		name = kpage_flag_name_for(b, kver);
		if (!name) {
			snprintf(num, sizeof num, "BIT%u", b);
			name = num;
		}
		put(buf, n, &len, name);
	}
	return len;
}

size_t kpage_flags_short_for(uint64_t flags, uint32_t kver, char *buf,
			     size_t n)
{
	size_t len = 0;
	unsigned b;

	if (n)
		buf[0] = '\0';
	for (b = 0; b < 64; b++) {
		char s[2];

		if (!(flags >> b & 1))
			continue;
		s[0] = kpage_flag_letter_for(b, kver);
		if (!s[0])
			s[0] = '?';
		s[1] = '\0';
		put(buf, n, &len, s);
	}
	return len;
}


size_t kpage_flags_format(uint64_t flags, const char *sep, char *buf,
			  size_t n)
{
	return kpage_flags_format_for(flags, KVER_UNKNOWN, sep, buf, n);
}

size_t kpage_flags_short(uint64_t flags, char *buf, size_t n)
{
	return kpage_flags_short_for(flags, KVER_UNKNOWN, buf, n);
}
