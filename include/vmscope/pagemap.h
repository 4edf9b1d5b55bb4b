/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pagemap: /proc/PID/pagemap entries, decoded, read in batches; and the
 * PAGEMAP_SCAN ioctl (Linux 6.7+) for summaries of large ranges. */
#ifndef VMSCOPE_PAGEMAP_H
#define VMSCOPE_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmscope/err.h"
#include "vmscope/root.h"

/* Bits of a pagemap entry (Documentation/admin-guide/mm/pagemap.rst). */
#define PM_PFN_MASK        ((UINT64_C(1) << 55) - 1) /* bits 0-54 */
#define PM_SWAP_TYPE_MASK  UINT64_C(0x1f)            /* bits 0-4 if swapped */
#define PM_SWAP_OFF_SHIFT  5                         /* bits 5-54 if swapped */
#define PM_SOFT_DIRTY      (UINT64_C(1) << 55)
#define PM_EXCLUSIVE       (UINT64_C(1) << 56)
#define PM_UFFD_WP         (UINT64_C(1) << 57)
#define PM_GUARD           (UINT64_C(1) << 58)
#define PM_FILE_SHARED     (UINT64_C(1) << 61)
#define PM_SWAPPED         (UINT64_C(1) << 62)
#define PM_PRESENT         (UINT64_C(1) << 63)

struct pagemap_entry {
	bool present, swapped, soft_dirty, exclusive, uffd_wp, guard,
	     file_shared;
	uint64_t pfn;         /* present only; 0 also when hidden */
	unsigned swap_type;   /* swapped only */
	uint64_t swap_offset; /* swapped only */
};

void pagemap_decode(uint64_t raw, struct pagemap_entry *out);

/* Names of the flag bits (55-63), for detail screens and --json; the
 * teaching text for each lives in explain. */
struct pagemap_bit { int bit; const char *name; };
extern const struct pagemap_bit pagemap_bits[]; /* terminated by name NULL */

struct pagemap {
	struct root_file *f; /* ROOT/proc/PID/pagemap, NULL when closed */
	int fd;            /* for PAGEMAP_SCAN: -1 where the root has none */
	int pid;
	unsigned page_size, page_shift;
	bool pfn_visible;  /* copy of the root's: false means PFN 0 = hidden */
	int scan_state;    /* 0 unknown, 1 PAGEMAP_SCAN works, -1 missing */
	uint64_t scan_categories; /* PAGE_IS_* the kernel accepted */
};

/* Open ROOT/proc/PID/pagemap.  ENOENT/ESRCH -> VMS_ENOPROC; EACCES ->
 * a message saying pagemap of another user's process needs root. */
int pagemap_open(const struct vms_root *r, int pid, struct pagemap *pm,
		 struct vms_err *e);
void pagemap_close(struct pagemap *pm);

/* Raw entries for npages pages from vaddr (page-aligned): one pread per
 * call, looping only on short reads.  A read that ends short is
 * VMS_EFORMAT, naming the address where it stopped: above the end of
 * pagemap (TASK_SIZE; vmas_read marks the VMAs there, so that nobody
 * asks), a process that exited, a truncated snapshot. */
int pagemap_read(struct pagemap *pm, uint64_t vaddr, size_t npages,
		 uint64_t *out, struct vms_err *e);

/* Counts of pages over a range, by category. */
struct pagemap_counts {
	uint64_t pages;     /* total pages in range */
	uint64_t present;   /* includes huge and zero-page */
	uint64_t swapped;
	uint64_t file;      /* present or swapped file / shared-anon */
	uint64_t present_file; /* present and file / shared-anon */
	uint64_t huge;      /* present as part of a PMD (THP / hugetlb) */
	uint64_t pfnzero;   /* present, mapped to the zero page */
	uint64_t soft_dirty;
	uint64_t written;   /* PAGE_IS_WRITTEN (needs uffd-wp; 0 else) */
	bool exact_huge;    /* huge/pfnzero counts are meaningful */
};

/* Count pages in [start, end) (page-aligned).  Uses PAGEMAP_SCAN when the
 * kernel has it (probed once per pagemap), else reads entries in bounded
 * batches (never more than 64K entries in memory).  Without PAGEMAP_SCAN
 * huge and pfnzero are 0 and exact_huge is false. */
int pagemap_count(struct pagemap *pm, uint64_t start, uint64_t end,
		  struct pagemap_counts *c, struct vms_err *e);

/* Counts for consecutive cells of 2^cell_shift pages each, cell i
 * holding pages [start + (i << cell_shift) pages, ...) clipped to end,
 * from one PAGEMAP_SCAN walk of [start, end): the cost follows the
 * regions the kernel reports and the cells, not the pages.  cells[0..n)
 * must cover the range.  Needs PAGEMAP_SCAN: without it, returns -1 with
 * ENOTSUP and the caller reads entries instead. */
int pagemap_count_cells(struct pagemap *pm, uint64_t start, uint64_t end,
			unsigned cell_shift, struct pagemap_counts *cells,
			size_t n, struct vms_err *e);

/* Whether PAGEMAP_SCAN works on this pagemap (probes on first call). */
bool pagemap_scan_supported(struct pagemap *pm);

#endif
