/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pagegrid: the pages of a VMA grouped into cells of 2^zoom pages, and
 * what each cell holds: how many pages are present, swapped, file,
 * anonymous, THP, zero page, hugetlb, or present of a hidden kind.  The
 * rules (THP, zero page, swap entry, PFN visibility) are pages.c's.
 * The page map draws these cells; this module never draws. */
#ifndef VMSCOPE_PAGEGRID_H
#define VMSCOPE_PAGEGRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmscope/err.h"
#include "vmscope/pagemap.h"
#include "vmscope/pages.h"

enum pagegrid_type {
	PAGEGRID_NONE,   /* past the end: nothing to show */
	PAGEGRID_PAGES,  /* pages pagemap can see */
	PAGEGRID_GAP,    /* VM_PFNMAP/VM_IO (or above pagemap's end) */
	PAGEGRID_HOLE,   /* no VMA */
};

struct pagegrid_cell {
	uint32_t pages;    /* pages in the cell (the last one may be short) */
	uint32_t present, swapped;
	/* the present pages split by kind (after pagegrid_cell_finish) */
	uint32_t file, anon, thp, zero, hugetlb, unknown;
	uint64_t hash;     /* of the raw entries counted in */
	uint8_t type;      /* enum pagegrid_type */
	bool changed;      /* differs from the last read of the same cell */
};

/* Cells of 2^zoom pages over npages pages; pages in cell i (the last
 * cell holds what is left). */
uint64_t pagegrid_ncells(uint64_t npages, unsigned zoom);
uint32_t pagegrid_cell_pages(uint64_t npages, unsigned zoom, uint64_t cell);

/* The smallest zoom (at most max_zoom) at which npages pages fit in room
 * cells. */
unsigned pagegrid_fit_zoom(uint64_t npages, uint64_t room, unsigned max_zoom);

/* An empty cell of pages, ready to count entries into. */
void pagegrid_cell_start(struct pagegrid_cell *c, uint32_t pages);
/* Count one pagemap entry, cleaned of the bits its kernel did not have
 * (pagemap_clean): present, file, swapped; hashed. */
void pagegrid_count_entry(struct pagegrid_cell *c, uint64_t pm);
/* Count a present page's kpageflags: zero page or THP, by pages.c's
 * rules. */
void pagegrid_count_kflags(struct pagegrid_cell *c, uint64_t kflags);
/* Take present, swapped, file, THP and zero page from PAGEMAP_SCAN. */
void pagegrid_cell_from_counts(struct pagegrid_cell *c,
			       const struct pagemap_counts *pc);
/* Split the present pages into kinds once present, file, THP and zero
 * are counted: in a hugetlb VMA all are hugetlb; the rest anonymous
 * when anon_known (PFNs visible, and the kernel has pagemap's file bit,
 * 3.5 and later), of an unknown kind when not. */
void pagegrid_cell_finish(struct pagegrid_cell *c, bool hugetlb,
			  bool anon_known);
/* Whether two reads of a cell show different counts. */
bool pagegrid_cell_differs(const struct pagegrid_cell *x,
			   const struct pagegrid_cell *y);

/* How a cell looks: the state whose colour it takes, and its mark. */
enum pagegrid_mark {
	PAGEGRID_MARK_STATE,   /* the glyph of the state */
	PAGEGRID_MARK_TENTHS,  /* a digit: tenths of the pages present */
	PAGEGRID_MARK_SOME_SWAPPED, /* none present, some in swap */
};

struct pagegrid_look {
	enum page_state state;
	enum pagegrid_mark mark;
	unsigned tenths;       /* 1-9, for PAGEGRID_MARK_TENTHS */
};

/* A cell all of one kind shows that kind; a cell with some pages present
 * the tenths present, coloured by the kind most of them are; else swap
 * (all or some), or not present. */
struct pagegrid_look pagegrid_cell_look(const struct pagegrid_cell *c);

/* Buffers for reading cells, reused across reads. */
struct pagegrid_reader {
	uint64_t *raw;                 /* raw entries, one chunk */
	uint64_t *kpfn, *kfl;          /* PFNs and kpageflags, one chunk */
	uint32_t *kidx;                /* their cells */
	struct pagemap_counts *cnt;    /* per cell, from PAGEMAP_SCAN */
	size_t cnt_cap;
};

int pagegrid_reader_init(struct pagegrid_reader *r, struct vms_err *e);
void pagegrid_reader_free(struct pagegrid_reader *r);

/* The pages of one VMA (or what of it is readable) as a grid. */
struct pagegrid_span {
	uint64_t start;        /* address of its first page */
	uint64_t npages;
	unsigned zoom;         /* log2 pages per cell */
	bool hugetlb;
};

/* Fill cells c0..c1 of span s into out[0..c1-c0).  prev, when not NULL,
 * is the last read of the same cells: a cell whose raw entries did not
 * change keeps its THP and zero-page counts instead of asking
 * PAGEMAP_SCAN again.  Zoomed out on a live process one PAGEMAP_SCAN walk
 * counts every cell; else raw entries are read (THP and zero page from
 * PAGEMAP_SCAN, or from kpageflags where it is missing); far out one
 * pagemap_count per cell. */
int pagegrid_fill(struct pagegrid_reader *r, struct pages_ctx *pc,
		  const struct pagegrid_span *s, uint64_t c0, uint64_t c1,
		  struct pagegrid_cell *out, const struct pagegrid_cell *prev,
		  struct vms_err *e);

#endif
