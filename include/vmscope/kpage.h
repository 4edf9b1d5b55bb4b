/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kpage: /proc/kpageflags, /proc/kpagecount and /proc/kpagecgroup,
 * indexed by PFN, read in sorted contiguous runs. */
#ifndef VMSCOPE_KPAGE_H
#define VMSCOPE_KPAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmscope/err.h"
#include "vmscope/kver.h"
#include "vmscope/root.h"

/* Bit numbers of kpageflags (uapi linux/kernel-page-flags.h and the
 * kernel-hacking bits of include/linux/kernel-page-flags.h). */
enum kpf {
	KPF_LOCKED = 0, KPF_ERROR = 1, KPF_REFERENCED = 2, KPF_UPTODATE = 3,
	KPF_DIRTY = 4, KPF_LRU = 5, KPF_ACTIVE = 6, KPF_SLAB = 7,
	KPF_WRITEBACK = 8, KPF_RECLAIM = 9, KPF_BUDDY = 10, KPF_MMAP = 11,
	KPF_ANON = 12, KPF_SWAPCACHE = 13, KPF_SWAPBACKED = 14,
	KPF_COMPOUND_HEAD = 15, KPF_COMPOUND_TAIL = 16, KPF_HUGE = 17,
	KPF_UNEVICTABLE = 18, KPF_HWPOISON = 19, KPF_NOPAGE = 20, KPF_KSM = 21,
	KPF_THP = 22, KPF_OFFLINE = 23, KPF_ZERO_PAGE = 24, KPF_IDLE = 25,
	KPF_PGTABLE = 26,
	KPF_RESERVED = 32, KPF_MLOCKED = 33, KPF_OWNER_2 = 34,
	KPF_PRIVATE = 35, KPF_PRIVATE_2 = 36, KPF_OWNER_PRIVATE = 37,
	KPF_ARCH = 38, KPF_UNCACHED = 39, KPF_SOFTDIRTY = 40, KPF_ARCH_2 = 41,
	KPF_ARCH_3 = 42,
};

/* "LOCKED", ..., "ARCH_3"; NULL for a bit the kernel does not define. */
const char *kpage_flag_name(unsigned bit);
/* A 2-3 letter abbreviation for tables ("L" lru...); NULL if unknown. */
const char *kpage_flag_abbrev(unsigned bit);
/* Every set bit's name joined by sep ("LRU,ANON,BIT48"): unknown bits by
 * number.  Returns the length needed, like snprintf. */
size_t kpage_flags_format(uint64_t flags, const char *sep, char *buf,
			  size_t n);
/* Abbreviated form for narrow columns, e.g. "ARLS". Same contract.
 * One character per set bit, in bit order: kpage_flag_letter's, '?' for
 * a bit the kernel does not define. */
size_t kpage_flags_short(uint64_t flags, char *buf, size_t n);
/* The one-character code of a flag in kpage_flags_short: the letters of
 * the kernel's tools/mm/page-types ('l' lru, 'a' anonymous, 'A' active;
 * '2'/'3' for ARCH_2/ARCH_3, where page-types has none or a clash); 0 if
 * unknown. */
char kpage_flag_letter(unsigned bit);

/* The same for the kernel of version kver (kver.h; KVER_UNKNOWN: the
 * names above, today's).  A bit that kernel did not define is NULL, by
 * number ("BIT23") or '?'; a bit that meant something else then has that
 * name: 23 was BALLOON in 3.18-5.0, 34 MAPPEDTODISK before 6.12.  The
 * first kernel of each bit: 0-10 2.6.25, 11-20 and 32-39 2.6.31, KSM
 * 2.6.32, THP 3.4, ZERO_PAGE 4.0, IDLE 4.3, PGTABLE 4.18, OFFLINE 5.1,
 * SOFTDIRTY 3.13, ARCH_2 5.10, ARCH_3 6.2; UNCACHED ended with 6.11. */
const char *kpage_flag_name_for(unsigned bit, uint32_t kver);
char kpage_flag_letter_for(unsigned bit, uint32_t kver);
size_t kpage_flags_format_for(uint64_t flags, uint32_t kver,
			      const char *sep, char *buf, size_t n);
size_t kpage_flags_short_for(uint64_t flags, uint32_t kver, char *buf,
			     size_t n);

struct kpage {
	/* kpageflags, kpagecount, kpagecgroup: NULL when not available */
	struct root_file *file[3];
	int file_errno[3];  /* why not */
	void *scratch;      /* buffers reused by kpage_read (kpage_close frees) */
	/* where a read met the end of each file: no entry from PFN
	 * file_end[i] on (past max_pfn live, past a fixture's size) */
	bool end_met[3];
	uint64_t file_end[3];
};

/* Open the three files under the root.  A missing or unreadable file is
 * not an error: it is NULL and its errno kept for messages. */
void kpage_open(const struct vms_root *r, struct kpage *k);
void kpage_close(struct kpage *k);

/* True when every file in which (the PAGES_* bits: 1 kpageflags,
 * 2 kpagecount, 4 kpagecgroup) is open. */
bool kpage_has(const struct kpage *k, unsigned which);

/* Whether the files in which (1 kpageflags, 2 kpagecount, 4 kpagecgroup:
 * the PAGES_* bits) are open: 0, or -1 with e saying which is missing and
 * what to do ("/proc/kpageflags needs root (CAP_SYS_ADMIN)..."). */
int kpage_check(const struct kpage *k, unsigned which, struct vms_err *e);

/* For n PFNs in any order (duplicates allowed), fill flags[i], counts[i],
 * cgroups[i] (each may be NULL to skip that file) for pfns[i].  Entries
 * with skip[i] true (may be NULL) or whose file is unavailable are left
 * as 0.  Reads are sorted by PFN, one pread per contiguous run.  A PFN
 * beyond the end of the file reads as 0 (no such page). */
int kpage_read(struct kpage *k, const uint64_t *pfns, const bool *skip,
	       size_t n, uint64_t *flags, uint64_t *counts, uint64_t *cgroups,
	       struct vms_err *e);

/* kpage_read writing result i to (char *)flags + i * stride (likewise
 * counts, cgroups): fills an array of structs in place.  stride is in
 * bytes, a multiple of 8 (alignment of uint64_t). */
int kpage_read_strided(struct kpage *k, const uint64_t *pfns,
		       const bool *skip, size_t n, uint64_t *flags,
		       uint64_t *counts, uint64_t *cgroups, size_t stride,
		       struct vms_err *e);

#endif
