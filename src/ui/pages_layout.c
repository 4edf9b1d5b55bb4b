/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages_layout: the page screen's segments (one per VMA and per hole
 * between two) on rows of pages or of cells, and the cursor on them. */
#include <errno.h>
#include <stdlib.h>
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
	struct pages_seg *ns;

	if (p->segcap >= n)
		return 0;
	ns = realloc(p->segs, n * sizeof *ns);
	if (!ns) {
		err_set(e, ENOMEM, "out of memory for the page layout");
		return -1;
	}
	p->segs = ns;
	p->segcap = n;
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

static void layout_seg(struct pages_screen *p, struct pages_seg *s,
		       const struct vma *v)
{
	s->start = v->start;
	s->end = v->end;
	s->hole = v->kind == VMA_KIND_HOLE;
	/* PFNMAP/IO, and [vsyscall] (above the end of pagemap): nothing
	 * pagemap can tell */
	s->gap = !s->hole && (vma_is_gap(v) || v->kind == VMA_KIND_VSYSCALL);
	s->hugetlb = v->kind == VMA_KIND_HUGETLB;
	s->row0 = p->total;
	if (s->hole)
		s->nrows = 1;
	else if (!p->map)
		s->nrows = pages_layout_npages(p, s);
	else
		s->nrows = (pages_layout_ncells(p, s) + (uint64_t)p->cols - 1) /
			   (uint64_t)p->cols;
	if (s->nrows == 0)
		s->nrows = 1;
	p->total += s->nrows;
}

int pages_layout_build(struct pages_screen *p, struct app *a,
		       struct vms_err *e)
{
	size_t i, r, n = 0, nr = procview_rows(&a->pv);
	struct vma hole;

	/* a segment for each VMA and for each hole between two */
	for (r = 0; r < nr; r++)
		n += procview_row(&a->pv, r, &hole) != NULL;
	if (layout_room(p, n, e) < 0)
		return -1;
	layout_widths(p, &a->pv.vmas);
	p->nsegs = n;
	p->total = 0;
	for (r = 0, i = 0; r < nr; r++) {
		const struct vma *v = procview_row(&a->pv, r, &hole);

		if (v)
			layout_seg(p, &p->segs[i++], v);
	}
	p->lay_ok = true;
	p->lay_gen = a->pv.gen;
	p->lay_map = p->map;
	p->lay_zoom = p->zoom;
	p->lay_cols = p->w;
	p->ld_ok = false;
	return 0;
}

size_t pages_layout_seg_of_addr(const struct pages_screen *p, uint64_t addr)
{
	size_t lo = 0, hi = p->nsegs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->segs[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nsegs ? lo : p->nsegs - 1;
}

size_t pages_layout_seg_of_row(const struct pages_screen *p, uint64_t row)
{
	size_t lo = 0, hi = p->nsegs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->segs[mid].row0 + p->segs[mid].nrows <= row)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nsegs ? lo : p->nsegs - 1;
}

const struct pages_seg *pages_layout_seg(const struct pages_screen *p,
					 uint64_t row)
{
	return &p->segs[pages_layout_seg_of_row(p, row)];
}

void pages_layout_snap(struct pages_screen *p)
{
	const struct pages_seg *s;
	uint64_t pg;

	if (!p->nsegs)
		return;
	if (p->cur < p->segs[0].start)
		p->cur = p->segs[0].start;
	if (p->cur >= p->segs[p->nsegs - 1].end)
		p->cur = p->segs[p->nsegs - 1].end - (UINT64_C(1) << p->shift);
	s = &p->segs[pages_layout_seg_of_addr(p, p->cur)];
	/* between two segments (above the user address space): the next */
	if (p->cur < s->start)
		p->cur = s->start;
	if (s->hole) {
		p->cur = s->start;
		return;
	}
	pg = (p->cur - s->start) >> p->shift;
	if (p->map)
		pg = (pg >> p->zoom) << p->zoom;
	p->cur = s->start + (pg << p->shift);
}

static uint64_t cur_cell(const struct pages_screen *p,
			 const struct pages_seg *s)
{
	return ((p->cur - s->start) >> p->shift) >> p->zoom;
}

uint64_t pages_layout_cur_row(const struct pages_screen *p)
{
	const struct pages_seg *s = &p->segs[pages_layout_seg_of_addr(p, p->cur)];

	if (s->hole)
		return s->row0;
	if (!p->map)
		return s->row0 + ((p->cur - s->start) >> p->shift);
	return s->row0 + cur_cell(p, s) / (uint64_t)p->cols;
}

int pages_layout_cur_col(const struct pages_screen *p)
{
	const struct pages_seg *s = &p->segs[pages_layout_seg_of_addr(p, p->cur)];

	if (s->hole || !p->map)
		return 0;
	return (int)(cur_cell(p, s) % (uint64_t)p->cols);
}

uint64_t pages_layout_row_addr(const struct pages_screen *p, uint64_t row,
			       int col)
{
	const struct pages_seg *s = pages_layout_seg(p, row);
	uint64_t cell, nc;

	if (s->hole)
		return s->start;
	if (!p->map)
		return s->start + ((row - s->row0) << p->shift);
	cell = (row - s->row0) * (uint64_t)p->cols + (uint64_t)(col < 0 ? 0 : col);
	nc = pages_layout_ncells(p, s);
	if (cell >= nc)
		cell = nc - 1;
	return s->start + ((cell << p->zoom) << p->shift);
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
	size_t si = pages_layout_seg_of_addr(p, p->cur);
	const struct pages_seg *s = &p->segs[si];
	uint64_t cell = s->hole ? 0 : cur_cell(p, s);
	const uint64_t step = (UINT64_C(1) << p->zoom) << p->shift;

	if (d < 0) {
		if (!s->hole && cell > 0) {
			p->cur -= step;
		} else if (si > 0) {
			const struct pages_seg *ps = &p->segs[si - 1];

			p->cur = ps->hole ? ps->start
					  : ps->start + (pages_layout_ncells(p, ps) - 1) * step;
		}
	} else {
		if (!s->hole && cell + 1 < pages_layout_ncells(p, s))
			p->cur += step;
		else if (si + 1 < p->nsegs)
			p->cur = p->segs[si + 1].start;
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
