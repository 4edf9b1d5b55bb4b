/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages: the per-page truth of a range of a process: pagemap, kpageflags,
 * kpagecount and memory cgroup together, and what state each page is in. */
#ifndef VMSCOPE_PAGES_H
#define VMSCOPE_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmscope/err.h"
#include "vmscope/root.h"
#include "vmscope/vmas.h"
#include "vmscope/pagemap.h"
#include "vmscope/kpage.h"
#include "vmscope/kpage_rec.h"
#include "vmscope/cgroups.h"

enum page_state {
	PAGE_NOT_PRESENT, /* never touched, or reclaimed without swap entry */
	PAGE_ANON,        /* present, anonymous */
	PAGE_FILE,        /* present, page cache or shared memory */
	PAGE_THP,         /* present, part of a transparent huge page */
	PAGE_HUGETLB,     /* present, hugetlbfs page */
	PAGE_ZERO,        /* present, mapped to the shared zero page */
	PAGE_KSM,         /* present, merged by KSM */
	PAGE_SWAPPED,     /* in swap (type/offset in the entry) */
	PAGE_PRESENT,     /* present, kind unknown (PFN hidden) */
	PAGE_GAP,         /* VM_PFNMAP/VM_IO: pagemap cannot see it */
	PAGE_HOLE,        /* no VMA at this address */
	PAGE_STATE__COUNT
};

struct page_info {
	uint64_t vaddr;
	uint64_t pm;      /* raw pagemap entry */
	uint64_t kflags;  /* kpageflags, 0 when not read */
	uint64_t kcount;  /* kpagecount (map count) */
	uint64_t cg_ino;  /* kpagecgroup inode, 0 when not read */
	uint8_t state;    /* enum page_state */
	bool have_kpage;  /* kflags/kcount/cg_ino were read for this page */
	uint8_t frame;    /* enum kpage_rec: why have_kpage is false for a
			   * present page (not recorded in a snapshot...) */
};

enum {
	PAGES_KFLAGS = 1, PAGES_KCOUNT = 2, PAGES_CGROUP = 4,
	PAGES_ALL = 7,
};

/* What reading one process's pages needs, opened once and reused. */
struct pages_ctx {
	const struct vms_root *root;
	struct pagemap pm;
	struct kpage kp;
	struct cgroups *cg;
	int pid;
	/* scratch reused across calls (grows, never shrinks below need) */
	uint64_t *pfns;
	bool *skip;
	size_t scratch_cap;
};

int pages_open(struct pages_ctx *c, const struct vms_root *r, int pid,
	       struct vms_err *e);
void pages_close(struct pages_ctx *c);

/* Fill out[0..npages) for the pages from start (page-aligned) using the
 * VMA list for gaps and holes.  what is a mask of PAGES_*: kpage data is
 * read only for present pages with a visible PFN.  Batched: one pagemap
 * pread per contiguous run of VMAs, one kpage pread per PFN run. */
int pages_read(struct pages_ctx *c, const struct vma_list *vmas,
	       uint64_t start, size_t npages, unsigned what,
	       struct page_info *out, struct vms_err *e);

/* The kpage half of pages_read, for pages[0..n) that pages_read filled
 * with what 0 (perhaps in several calls, collected in one array): every
 * page with a visible PFN gets its kpage data and state, with one sorted
 * read of each kpage file over the whole array.  Rows for holes and gaps
 * and pages that already have kpage data are left as they are. */
int pages_read_kpage(struct pages_ctx *c, struct page_info *pages, size_t n,
		     unsigned what, struct vms_err *e);

/* The state of one page from its entry (as kernels since 6.15 write it:
 * pages_read reads each as its own kernel wrote it), kpage data and VMA
 * (NULL: hole). */
enum page_state page_state_of(const struct page_info *p, const struct vma *v,
			      bool pfn_visible);
const char *page_state_name(enum page_state s); /* "anon", "swapped" */

/* The rules every view of pages shares, one copy here.
 * THP: a present page whose kpageflags say THP and anonymous or
 * swap-backed (shmem); a page-cache large folio carries THP too but is a
 * file page.  Zero page: KPF_ZERO_PAGE. */
bool pages_kflags_thp(uint64_t kflags);
bool pages_kflags_zero(uint64_t kflags);
/* A real swap entry: swap-format, and not a guard marker.  pm is cleaned
 * of the bits its kernel did not have (pagemap_clean): before 4.2 bit 58
 * was part of the page shift, set on every entry of a 4K-page kernel. */
bool pages_pm_swapped(uint64_t pm);
/* PFN visibility: the PFN of a raw entry, true with *pfn set when the
 * page is present, the reader can see PFNs (root.pfn_visible) and the
 * PFN is not 0; false otherwise (*pfn then untouched). */
bool pages_pm_pfn(uint64_t pm, bool pfn_visible, uint64_t *pfn);

/* The PFN of a present page: true with *pfn set; false when the page is
 * not present or its PFN is hidden (without CAP_SYS_ADMIN pagemap gives
 * 0, which does not mean PFN 0). */
bool pages_pfn(const struct pages_ctx *c, const struct page_info *p,
	       uint64_t *pfn);

/* Cgroup path of a page (NULL when unknown). */
const char *pages_cgroup(struct pages_ctx *c, const struct page_info *p);

#endif
