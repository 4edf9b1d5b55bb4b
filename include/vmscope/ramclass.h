/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ramclass: which kind of memory a frame of RAM is, from its kpageflags
 * and its neighbours: the rules the physical screen's heat strip and
 * `vmscope ram` share, so both say the same.
 *
 * Free memory is three things in kpageflags:
 *  - a free block in the buddy allocator.  Its first frame carries
 *    BUDDY; the block's order lives in page->private, which kpageflags
 *    does not export.  Depending on the kernel, the block's other frames
 *    read BUDDY too or no flags at all.  A flagless frame right after a
 *    BUDDY frame, up to the next flagged frame and within the block that
 *    the BUDDY frame's alignment allows (at most 2^10 frames, MAX_ORDER),
 *    is free.
 *  - a tail of RAM whose struct pages deferred struct-page init has not
 *    reached yet (CONFIG_DEFERRED_STRUCT_PAGE_INIT, and kernels that grow
 *    zones lazily): every frame from a point to the end of the RAM run
 *    reads no flags.  A flagless suffix of a RAM run longer than any
 *    buddy block (RAMCLASS_TAIL_MIN frames) is such a tail; the kernel
 *    counts it in MemFree.
 *  - except the boot-time allocations that sit in that tail: memblock
 *    allocates top-down, and its largest allocation, the struct page
 *    array (64 bytes a frame on 64-bit, 32 on 32-bit), lies at the top
 *    of RAM among the uninitialised frames.  That many frames at the top
 *    of the highest tail are kernel memory ("other"), not free.
 * Everything else goes by kheat_classify (include/vmscope/kranges.h). */
#ifndef VMSCOPE_RAMCLASS_H
#define VMSCOPE_RAMCLASS_H

#include <stddef.h>
#include <stdint.h>
#include "vmscope/kranges.h"

#define RAMCLASS_MAX_ORDER 10
/* shorter flagless suffixes may be a free block or pages on their way */
#define RAMCLASS_TAIL_MIN (UINT64_C(1) << 15)

/* A deferred-init tail: [lo, hi) frames without struct page data;
 * [memmap_lo, hi) of it is counted as the struct page array. */
struct ramclass_tail {
	uint64_t lo, hi, memmap_lo;
};

#define RAMCLASS_MAX_TAILS 16

/* The state of one walk over RAM, in rising PFN order. */
struct ramclass {
	uint64_t buddy_end;     /* flagless frames below this are free */
	struct ramclass_tail tail[RAMCLASS_MAX_TAILS];
	size_t ntails;
};

/* Start a walk with no tails. */
void ramclass_init(struct ramclass *rc);
/* How many of the last n flags (a RAM run's end) read zero. */
size_t ramclass_flagless_suffix(const uint64_t *flags, size_t n);
/* Record the tail [lo, hi) (hi = the RAM run's end), if it is at least
 * RAMCLASS_TAIL_MIN frames; tails must be added in rising order. */
void ramclass_add_tail(struct ramclass *rc, uint64_t lo, uint64_t hi);
/* Place the struct page array: ram_frames frames of RAM in all, each
 * with a struct page of page_struct bytes, in pages of page_size bytes,
 * at the top of the highest tail (bounded by it). */
void ramclass_place_memmap(struct ramclass *rc, uint64_t ram_frames,
			   unsigned page_struct, unsigned page_size);
/* The class of frame pfn with kpageflags flags; *uninit set when it is
 * in a deferred-init tail (free or not).  Call in rising PFN order;
 * ramclass_break() where the walk skips frames (a hole, a sample). */
enum kheat_cat ramclass_frame(struct ramclass *rc, uint64_t pfn,
			      uint64_t flags, int *uninit);
void ramclass_break(struct ramclass *rc);

#endif
