/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pagemap: /proc/PID/pagemap entries, decoded, read in batches; and the
 * PAGEMAP_SCAN ioctl (Linux 6.7+) for summaries of large ranges. */
#ifndef VMSCOPE_PAGEMAP_H
#define VMSCOPE_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmscope/err.h"
#include "vmscope/kver.h"
#include "vmscope/root.h"

/* Bits of a pagemap entry (Documentation/admin-guide/mm/pagemap.rst),
 * as Linux 4.2 and later write them. */
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
/* Before 4.2, bits 55-60 held the page shift (PAGE_SHIFT, 12 for 4K):
 * always before 3.11; in 3.11-4.1 until someone cleared soft-dirty bits
 * (echo 4 > clear_refs), after which bit 55 was soft-dirty and 56-60
 * zero ("pagemap v2", for every process of the machine). */
#define PM_PSHIFT_SHIFT    55
#define PM_PSHIFT_MASK     (UINT64_C(0x3f) << PM_PSHIFT_SHIFT)

/* How the root's kernel wrote its entries: from its version (kver.h). */
struct pagemap_layout {
	uint32_t kver;   /* KVER_UNKNOWN: read as today's kernel writes */
	uint64_t flags;  /* the flag bits (55-63) that kernel defined */
	bool pshift;     /* before 4.2: bits 55-60 may be the page shift */
};

/* The layout of the kernel of version kver:
 *   2.6.25-3.4   present 63, swapped 62, page shift 55-60 (61 reserved)
 *   3.5          + 61 file-page or shared-anon
 *   3.11-4.1     55-60 page shift, or (pagemap v2) 55 soft-dirty
 *   4.2          55 soft-dirty, 56 exclusive, 57-60 zero
 *   5.13         + 57 uffd-wp
 *   6.15         + 58 guard region */
struct pagemap_layout pagemap_layout_for(uint32_t kver);

struct pagemap_entry {
	bool present, swapped, soft_dirty, exclusive, uffd_wp, guard,
	     file_shared;     /* false also where the kernel had no such bit */
	uint64_t known;       /* flag bits that mean something in this entry */
	unsigned page_shift;  /* bits 55-60 when they hold the page shift */
	uint64_t pfn;         /* present only; 0 also when hidden */
	unsigned swap_type;   /* swapped only */
	uint64_t swap_offset; /* swapped only */
};

/* Decode raw as the kernel of layout l wrote it (NULL: today's). */
void pagemap_decode(uint64_t raw, const struct pagemap_layout *l,
		    struct pagemap_entry *out);
/* raw with every flag bit the kernel did not mean cleared (the page
 * shift of old kernels included): PM_* tests on it are true ones. */
uint64_t pagemap_clean(uint64_t raw, const struct pagemap_layout *l);
/* Whether bit (55-63) means something in the entry e. */
bool pagemap_entry_has(const struct pagemap_entry *e, unsigned bit);

/* Names of the flag bits (55-63), for detail screens and --json; the
 * teaching text for each lives in explain.  since: the first kernel
 * (KVER) that set the bit. */
struct pagemap_bit { int bit; const char *name; uint32_t since; };
extern const struct pagemap_bit pagemap_bits[]; /* terminated by name NULL */

struct pagemap {
	struct root_file *f; /* ROOT/proc/PID/pagemap, NULL when closed */
	int fd;            /* for PAGEMAP_SCAN: -1 where the root has none */
	int pid;
	unsigned page_size, page_shift;
	bool pfn_visible;  /* copy of the root's: false means PFN 0 = hidden */
	struct pagemap_layout layout; /* of the root's kernel */
	int scan_state;    /* 0 unknown, 1 PAGEMAP_SCAN works, -1 missing */
	uint64_t scan_categories; /* PAGE_IS_* the kernel accepted */
};

/* Open ROOT/proc/PID/pagemap.  ENOENT/ESRCH -> VMS_ENOPROC; EACCES ->
 * a message saying pagemap of another user's process needs root. */
int pagemap_open(const struct vms_root *r, int pid, struct pagemap *pm,
		 struct vms_err *e);
void pagemap_close(struct pagemap *pm);
/* Whether process pid is still there and running on this live root
 * (not a zombie): a pagemap that read nothing, then, was read while an
 * exec replaced the address space, not after an exit.  False on a
 * snapshot. */
bool pagemap_owner_running(const struct vms_root *r, int pid);
/* The error for a pagemap of pid that reads nothing where it should:
 * on a live root, the process changed (exec) or exited, whichever is
 * true; else *e is left as it is.  Returns whether it set e. */
bool pagemap_owner_error(const struct vms_root *r, int pid,
			 struct vms_err *e);

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

/* The regions of [start, end) (page-aligned) whose entries are not empty
 * (present pages, and swap, migration, guard and uffd-wp entries), in
 * address order, each to put(arg, start, end, categories) from one
 * PAGEMAP_SCAN walk.  Every other page of a VMA in the range reads as an
 * empty entry: 0, or soft-dirty alone where the VMA has VmFlags sd.
 * Needs PAGEMAP_SCAN: without it, -1 with ENOTSUP. */
int pagemap_scan_used(struct pagemap *pm, uint64_t start, uint64_t end,
		      void (*put)(void *, uint64_t, uint64_t, uint64_t),
		      void *arg, struct vms_err *e);

/* Whether PAGEMAP_SCAN works on this pagemap (probes on first call). */
bool pagemap_scan_supported(struct pagemap *pm);

#endif
