/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages_view: what the page screen's parts share (private to
 * screen_pages.c, pages_layout.c, pages_table.c and pages_map.c).
 *
 * The screen covers the whole address space, VMA after VMA with one row
 * for each hole between them: a segment per VMA or hole, each taking
 * rows of pages (the table) or rows of cells (the map).  pages_layout
 * places segments on rows and moves the cursor; pages_table and
 * pages_map read and draw the visible rows. */
#ifndef VMSCOPE_UI_PAGES_VIEW_H
#define VMSCOPE_UI_PAGES_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include "still.h"
#include "uiint.h"
#include "vmscope/pagegrid.h"
#include "vmscope/pages.h"

#define PAGES_MAX_ZOOM 36

/* A segment as pages_layout_seg_at fills it in: segment 2i is the hole
 * before VMA i (where there is one), 2i+1 VMA i. */
struct pages_seg {
	uint64_t start, end;     /* [start, end) */
	uint64_t row0, nrows;
	bool hole, gap, hugetlb;
};

enum { ROW_NONE, ROW_PAGE, ROW_HOLE };

/* A row of the table as read. */
struct pages_row {
	struct page_info pi;
	uint8_t type;
	bool changed;
	bool phys_known;         /* gap pages with a physical address */
	bool above_end;          /* gap pages above the end of pagemap */
	bool chardev;            /* gap pages of a char device, no VmFlags */
	uint64_t phys;
};

struct pages_screen {
	struct screen base;
	bool map;
	uint64_t cur;            /* cursor: page (table) / first page of cell */
	int want_col;
	unsigned zoom;           /* log2 pages per cell */
	uint64_t top;            /* first visible row */
	int h, w;                /* data rows, width */
	unsigned shift;
	/* layout: the VMAs of lay_pv, each taking its hole's row (where it
	 * has one) and its own from seg_row0[i] on */
	const struct procview *lay_pv;
	uint64_t *seg_row0;
	size_t nsegs, seg_cap;   /* nsegs: 2 a VMA, holes or not */
	uint64_t total;
	bool lay_ok;
	unsigned lay_gen, lay_zoom;
	bool lay_map;
	int lay_cols;
	int cols, digits, label_w;
	int addr_w;              /* the table's address column: the widest
	                          * address ([vsyscall]) and a blank */
	/* keep the cursor on the same screen row across a relayout */
	bool anchor;
	uint64_t anchor_off;
	/* loaded view */
	bool ld_ok, ld_map;
	uint64_t ld_top;
	int ld_h, ld_cols;
	unsigned ld_zoom, ld_gen;
	struct pages_row *rows, *prow;
	size_t rows_cap;
	struct pagegrid_cell *cells, *pcells;
	size_t cells_cap;
	bool any_changed;
	struct pagegrid_reader rd;
	struct page_info *pis;
	size_t pis_cap;
	/* gap physical address, for the segment last asked */
	uint64_t gp_start;
	unsigned gp_gen;
	bool gp_valid, gp_known;
	uint64_t gp_base;
	char gp_source[160];
	/* the map's cells kept while the process holds still (still.h),
	 * read fully at least every 5 s or as their read's cost allows */
	struct still map_still;
	/* the layout's re-reads (maps or PROCMAP_QUERY: 35 ms for 100,000
	 * VMAs) skipped likewise while the process holds still */
	struct still layout_still;
};

/* ---- pages_layout.c ---- */
uint64_t pages_layout_npages(const struct pages_screen *p,
			     const struct pages_seg *s);
uint64_t pages_layout_ncells(const struct pages_screen *p,
			     const struct pages_seg *s);
int pages_layout_build(struct pages_screen *p, struct app *a,
		       struct vms_err *e);
void pages_layout_free(struct pages_screen *p);
/* A layout of the VMA list as it is (none, or one of another list the
 * process had, is not). */
bool pages_layout_ok(const struct pages_screen *p);
/* Segment si into *s: false when there is no such segment (no hole
 * before that VMA; *s then an empty hole). */
bool pages_layout_seg_at(const struct pages_screen *p, size_t si,
			 struct pages_seg *s);
/* The segment after si (dir 1) or before it (-1): si when none. */
size_t pages_layout_seg_step(const struct pages_screen *p, size_t si,
			     int dir);
/* The segment holding addr (the one above it when between two), and
 * the one holding row. */
size_t pages_layout_seg_of_addr(const struct pages_screen *p, uint64_t addr);
size_t pages_layout_seg_of_row(const struct pages_screen *p, uint64_t row);
/* The segment holding row into *s. */
void pages_layout_seg(const struct pages_screen *p, uint64_t row,
		      struct pages_seg *s);
/* Keep the cursor inside the address space, on a page (table) or the
 * first page of a cell (map). */
void pages_layout_snap(struct pages_screen *p);
uint64_t pages_layout_cur_row(const struct pages_screen *p);
int pages_layout_cur_col(const struct pages_screen *p);
/* The address of row (and column, in the map). */
uint64_t pages_layout_row_addr(const struct pages_screen *p, uint64_t row,
			       int col);
void pages_layout_show_cursor(struct pages_screen *p);
void pages_layout_move_rows(struct pages_screen *p, int64_t d);
void pages_layout_move_cells(struct pages_screen *p, int d);
/* Rows of the segment of row that are visible from screen row r on. */
int pages_layout_run(const struct pages_screen *p, int r, uint64_t row,
		     const struct pages_seg *s);

/* ---- pages_table.c ---- */
int pages_table_load(struct pages_screen *p, struct app *a,
		     struct pages_ctx *pc, struct vms_err *e);
bool pages_table_row_differs(const struct pages_row *x,
			     const struct pages_row *y);
/* The physical address of a table row, when known. */
bool pages_table_row_phys(const struct pages_screen *p, struct app *a,
			  const struct pages_row *t, uint64_t *phys);
void pages_table_draw(struct pages_screen *p, struct app *a, int y, int w);
/* D: the decode screen of a gap page's correct PTE, or why not. */
bool pages_decode_action(struct pages_screen *p, struct app *a);
void pages_table_info(struct pages_screen *p, const struct pages_row *t,
		      char *buf, size_t n, int *elem);

/* ---- pages_map.c ---- */
/* The cells of the visible rows; have_prev: p->pcells holds the last
 * read of the same view. */
int pages_map_load(struct pages_screen *p, struct pages_ctx *pc,
		   bool have_prev, struct vms_err *e);
void pages_map_draw(struct pages_screen *p, struct app *a, int y, int w);
void pages_map_info(struct pages_screen *p, struct app *a,
		    const struct pagegrid_cell *c, char *buf, size_t n,
		    int *elem);

/* The colour element of a page state. */
static inline int pages_view_state_elem(int st)
{
	return EL_PAGE_NOT_PRESENT + (st >= 0 && st < PAGE_STATE__COUNT ? st : 0);
}

#endif
