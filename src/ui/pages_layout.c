/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages_layout: the page screen's segments (each VMA, and the hole
 * before it where there is one) on rows of pages or of cells, and the
 * cursor on them.  A segment is not stored: the VMA list has its
 * addresses, and the layout keeps only the first row of each VMA's
 * pair (its hole, else itself): 8 bytes a VMA. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pages_view.h"

uint64_t pages_layout_npages(const struct pages_screen *p,
			     const struct pages_seg *s)
{
	return (s->end - s->start) >> p->shift;
}

uint64_t pages_layout_ncells(const struct pages_screen *p,
			     const struct pages_seg *s)
{
	return pagegrid_ncells(pages_layout_npages(p, s), p->zoom);
}

static int layout_room(struct pages_screen *p, size_t n, struct vms_err *e)
{
	uint64_t *nr;

	if (p->seg_cap >= n)
		return 0;
	nr = realloc(p->seg_row0, n * sizeof *nr);
	if (!nr) {
		err_set(e, ENOMEM, "out of memory for the page layout");
		return -1;
	}
	p->seg_row0 = nr;
	p->seg_cap = n;
	return 0;
}

/* Address digits for the highest end below [vsyscall], and the map's
 * columns. */
static void layout_widths(struct pages_screen *p, const struct vma_list *l)
{
	uint64_t max = 0, all = 0;
	int wide = 8;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].kind != VMA_KIND_VSYSCALL && l->v[i].end > max)
			max = l->v[i].end;
		if (l->v[i].start > all)
			all = l->v[i].start;
	}
	p->digits = 8;
	while (p->digits < 16 && (max - 1) >> (4 * p->digits))
		p->digits++;
	while (wide < 16 && all >> (4 * wide))
		wide++;
	p->label_w = p->digits + 1;
	/* the table keeps the digits of the rest: a [vsyscall] row shows
	 * its address cut with a mark (the title has it whole) */
	(void)wide;
	p->addr_w = p->digits + 1;
	/* a power of two cells per row: row addresses step by round
	 * numbers (0x40000 for 64 pages of 4K), which the ruler counts */
	p->cols = 4;
	while (p->map && p->cols * 2 <= p->w - p->label_w)
		p->cols *= 2;
	if (!p->map)
		p->cols = 1;
}

/* The rows VMA v takes: a page a row (table), cells on rows (map). */
static uint64_t vma_rows(const struct pages_screen *p, const struct vma *v)
{
	struct pages_seg s = { .start = v->start, .end = v->end };
	uint64_t n;

	if (!p->map)
		n = pages_layout_npages(p, &s);
	else
		n = (pages_layout_ncells(p, &s) + (uint64_t)p->cols - 1) /
		    (uint64_t)p->cols;
	return n ? n : 1;
}

int pages_layout_build(struct pages_screen *p, struct app *a,
		       struct vms_err *e)
{
	const struct vma_list *l = &a->pv.vmas;
	struct vma hole;
	size_t i;

	if (layout_room(p, l->n, e) < 0)
		return -1;
	layout_widths(p, l);
	p->lay_pv = &a->pv;
	p->nsegs = 2 * l->n;
	p->total = 0;
	for (i = 0; i < l->n; i++) {
		p->seg_row0[i] = p->total;
		p->total += vmas_hole_before(l, i, &hole);
		p->total += vma_rows(p, &l->v[i]);
	}
	p->lay_ok = true;
	p->lay_gen = a->pv.gen;
	p->lay_map = p->map;
	p->lay_zoom = p->zoom;
	p->lay_cols = p->w;
	p->ld_ok = false;
	return 0;
}

void pages_layout_free(struct pages_screen *p)
{
	free(p->seg_row0);
	p->seg_row0 = NULL;
	p->seg_cap = p->nsegs = 0;
	p->lay_ok = false;
}

bool pages_layout_ok(const struct pages_screen *p)
{
	return p->lay_ok && p->nsegs && p->lay_pv &&
	       p->lay_pv->gen == p->lay_gen &&
	       2 * p->lay_pv->vmas.n == p->nsegs;
}

/* The VMA list the layout is of, and its VMA count as laid out (a list
 * that no longer has them all reads as having none). */
static const struct vma_list *seg_list(const struct pages_screen *p,
				       size_t *n)
{
	const struct vma_list *l = &p->lay_pv->vmas;

	*n = 2 * l->n == p->nsegs ? l->n : 0;
	return l;
}

bool pages_layout_seg_at(const struct pages_screen *p, size_t si,
			 struct pages_seg *s)
{
	size_t n, i = si / 2;
	const struct vma_list *l = seg_list(p, &n);
	struct vma hole;
	uint64_t next;
	bool has_hole;

	memset(s, 0, sizeof *s);
	s->hole = true;
	if (i >= n)
		return false;
	has_hole = vmas_hole_before(l, i, &hole);
	if (!(si & 1)) {
		if (!has_hole)
			return false;
		s->start = hole.start;
		s->end = hole.end;
		s->row0 = p->seg_row0[i];
		s->nrows = 1;
		return true;
	}
	next = i + 1 < n ? p->seg_row0[i + 1] : p->total;
	s->start = l->v[i].start;
	s->end = l->v[i].end;
	s->hole = false;
	/* PFNMAP/IO, and [vsyscall] (above the end of pagemap): nothing
	 * pagemap can tell */
	s->gap = vma_is_gap(&l->v[i]) || l->v[i].kind == VMA_KIND_VSYSCALL;
	s->hugetlb = l->v[i].kind == VMA_KIND_HUGETLB;
	s->row0 = p->seg_row0[i] + has_hole;
	s->nrows = next - s->row0;
	return true;
}

size_t pages_layout_seg_step(const struct pages_screen *p, size_t si,
			     int dir)
{
	struct pages_seg s;
	size_t k = si;

	while (dir < 0 ? k > 0 : k + 1 < p->nsegs) {
		k = dir < 0 ? k - 1 : k + 1;
		if (pages_layout_seg_at(p, k, &s))
			return k;
	}
	return si;
}

size_t pages_layout_seg_of_addr(const struct pages_screen *p, uint64_t addr)
{
	size_t n, lo = 0, hi;
	const struct vma_list *l = seg_list(p, &n);
	struct vma hole;

	/* the first VMA ending above addr; addr in the hole before it when
	 * there is one and addr is below the hole's end */
	hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= n)
		return p->nsegs ? p->nsegs - 1 : 0;
	if (addr < l->v[lo].start && vmas_hole_before(l, lo, &hole) &&
	    addr < hole.end)
		return 2 * lo;
	return 2 * lo + 1;
}

size_t pages_layout_seg_of_row(const struct pages_screen *p, uint64_t row)
{
	size_t n, lo = 0, hi;
	const struct vma_list *l = seg_list(p, &n);
	struct vma hole;

	/* the last VMA whose rows (its hole's first) start at or before
	 * row */
	hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->seg_row0[mid] <= row)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return p->nsegs > 1 ? 1 : 0;
	lo--;
	if (row == p->seg_row0[lo] && vmas_hole_before(l, lo, &hole))
		return 2 * lo;
	return 2 * lo + 1;
}

void pages_layout_seg(const struct pages_screen *p, uint64_t row,
		      struct pages_seg *s)
{
	pages_layout_seg_at(p, pages_layout_seg_of_row(p, row), s);
}

/* The segment holding the cursor. */
static size_t cur_seg(const struct pages_screen *p, struct pages_seg *s)
{
	size_t si = pages_layout_seg_of_addr(p, p->cur);

	pages_layout_seg_at(p, si, s);
	return si;
}

void pages_layout_snap(struct pages_screen *p)
{
	struct pages_seg s, last;
	uint64_t pg;

	if (!p->nsegs)
		return;
	pages_layout_seg_at(p, 1, &s);
	pages_layout_seg_at(p, p->nsegs - 1, &last);
	if (p->cur < s.start)
		p->cur = s.start;
	if (p->cur >= last.end)
		p->cur = last.end - (UINT64_C(1) << p->shift);
	cur_seg(p, &s);
	/* between two segments (above the user address space): the next */
	if (p->cur < s.start)
		p->cur = s.start;
	if (s.hole) {
		p->cur = s.start;
		return;
	}
	pg = (p->cur - s.start) >> p->shift;
	if (p->map)
		pg = (pg >> p->zoom) << p->zoom;
	p->cur = s.start + (pg << p->shift);
}

static uint64_t cur_cell(const struct pages_screen *p,
			 const struct pages_seg *s)
{
	return ((p->cur - s->start) >> p->shift) >> p->zoom;
}

uint64_t pages_layout_cur_row(const struct pages_screen *p)
{
	struct pages_seg s;

	cur_seg(p, &s);
	if (s.hole)
		return s.row0;
	if (!p->map)
		return s.row0 + ((p->cur - s.start) >> p->shift);
	return s.row0 + cur_cell(p, &s) / (uint64_t)p->cols;
}

int pages_layout_cur_col(const struct pages_screen *p)
{
	struct pages_seg s;

	cur_seg(p, &s);
	if (s.hole || !p->map)
		return 0;
	return (int)(cur_cell(p, &s) % (uint64_t)p->cols);
}

uint64_t pages_layout_row_addr(const struct pages_screen *p, uint64_t row,
			       int col)
{
	struct pages_seg s;
	uint64_t cell, nc;

	pages_layout_seg(p, row, &s);
	if (s.hole)
		return s.start;
	if (!p->map)
		return s.start + ((row - s.row0) << p->shift);
	cell = (row - s.row0) * (uint64_t)p->cols + (uint64_t)(col < 0 ? 0 : col);
	nc = pages_layout_ncells(p, &s);
	if (cell >= nc)
		cell = nc - 1;
	return s.start + ((cell << p->zoom) << p->shift);
}

void pages_layout_show_cursor(struct pages_screen *p)
{
	uint64_t r = pages_layout_cur_row(p), h = p->h > 0 ? (uint64_t)p->h : 1;

	if (r < p->top)
		p->top = r;
	if (r >= p->top + h)
		p->top = r - h + 1;
	if (p->total > h && p->top > p->total - h)
		p->top = p->total - h;
	if (p->total <= h)
		p->top = 0;
}

void pages_layout_move_rows(struct pages_screen *p, int64_t d)
{
	uint64_t r = pages_layout_cur_row(p);

	if (d < 0 && (uint64_t)-d > r)
		r = 0;
	else if (d > 0 && r + (uint64_t)d >= p->total)
		r = p->total - 1;
	else
		r += (uint64_t)d;
	p->cur = pages_layout_row_addr(p, r, p->want_col);
}

void pages_layout_move_cells(struct pages_screen *p, int d)
{
	struct pages_seg s, o;
	size_t si = cur_seg(p, &s), oi;
	uint64_t cell = s.hole ? 0 : cur_cell(p, &s);
	const uint64_t step = (UINT64_C(1) << p->zoom) << p->shift;

	if (d < 0) {
		if (!s.hole && cell > 0) {
			p->cur -= step;
		} else if ((oi = pages_layout_seg_step(p, si, -1)) != si) {
			pages_layout_seg_at(p, oi, &o);
			p->cur = o.hole ? o.start
					: o.start + (pages_layout_ncells(p, &o) - 1) * step;
		}
	} else {
		if (!s.hole && cell + 1 < pages_layout_ncells(p, &s)) {
			p->cur += step;
		} else if ((oi = pages_layout_seg_step(p, si, 1)) != si) {
			pages_layout_seg_at(p, oi, &o);
			p->cur = o.start;
		}
	}
	p->want_col = pages_layout_cur_col(p);
}

int pages_layout_run(const struct pages_screen *p, int r, uint64_t row,
		     const struct pages_seg *s)
{
	int k = 1;

	while (r + k < p->h && row + (uint64_t)k < s->row0 + s->nrows)
		k++;
	return k;
}
