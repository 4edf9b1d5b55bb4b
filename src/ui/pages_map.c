/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages_map: the page screen's map, one cell per page or per 2^zoom
 * pages, coloured by state.  The cells and their counts are pagegrid's;
 * this file reads the visible rows' cells and draws them.  A cell
 * covering many pages shows their aggregate: a digit for how many
 * tenths are present, in the colour of the kind most of them are. */
#include <stdio.h>
#include <string.h>
#include "pages_view.h"
#include "vmscope/units.h"

/* ---- reading ---- */

/* The cells of k rows of segment s from row into out. */
static int map_rows(struct pages_screen *p, struct pages_ctx *pc,
		    const struct pages_seg *s, uint64_t row, int k,
		    struct pagegrid_cell *out, const struct pagegrid_cell *prev,
		    struct vms_err *e)
{
	const uint64_t cols = (uint64_t)p->cols;
	uint64_t nc = pages_layout_ncells(p, s), c0, c1, i;
	struct pagegrid_span span;

	if (s->hole) {
		for (i = 0; i < cols; i++)
			out[i].type = PAGEGRID_HOLE;
		return 0;
	}
	c0 = (row - s->row0) * cols;
	c1 = c0 + (uint64_t)k * cols;
	if (c1 > nc)
		c1 = nc;
	if (s->gap) {
		for (i = 0; i < c1 - c0; i++) {
			out[i].type = PAGEGRID_GAP;
			out[i].pages = 1;
		}
		return 0;
	}
	span.start = s->start;
	span.npages = pages_layout_npages(p, s);
	span.zoom = p->zoom;
	span.hugetlb = s->hugetlb;
	return pagegrid_fill(&p->rd, pc, &span, c0, c1, out, prev, e);
}

int pages_map_load(struct pages_screen *p, struct pages_ctx *pc,
		   bool have_prev, struct vms_err *e)
{
	const size_t cols = (size_t)p->cols;
	int r = 0, k;

	while (r < p->h) {
		uint64_t row = p->top + (uint64_t)r;
		struct pagegrid_cell *out = &p->cells[(size_t)r * cols];
		struct pages_seg s;

		if (row >= p->total) {
			memset(out, 0, cols * sizeof *out);
			r++;
			continue;
		}
		pages_layout_seg(p, row, &s);
		k = pages_layout_run(p, r, row, &s);
		memset(out, 0, (size_t)k * cols * sizeof *out);
		if (map_rows(p, pc, &s, row, k, out,
			     have_prev ? &p->pcells[(size_t)r * cols] : NULL, e) < 0)
			return -1;
		r += k;
	}
	return 0;
}

/* ---- drawing ---- */

static const char *state_glyph(int st, bool utf8)
{
	switch (st) {
	case PAGE_NOT_PRESENT: return utf8 ? "\xc2\xb7" : ".";
	case PAGE_ANON: return "a";
	case PAGE_FILE: return "f";
	case PAGE_THP: return "T";
	case PAGE_HUGETLB: return "H";
	case PAGE_ZERO: return "z";
	case PAGE_KSM: return "k";
	case PAGE_SWAPPED: return "S";
	case PAGE_PRESENT: return "p";
	case PAGE_GAP: return "~";
	default: return " ";
	}
}

/* The glyph of a cell, and the state of its colour. */
static void cell_glyph(const struct pagegrid_cell *c, bool utf8, char *glyph,
		       size_t n, int *state)
{
	struct pagegrid_look l = pagegrid_cell_look(c);

	*state = (int)l.state;
	if (l.mark == PAGEGRID_MARK_TENTHS)
		snprintf(glyph, n, "%u", l.tenths);
	else if (l.mark == PAGEGRID_MARK_SOME_SWAPPED)
		snprintf(glyph, n, "s");
	else
		snprintf(glyph, n, "%s", state_glyph(l.state, utf8));
}

/* The legend: every glyph a cell can show, "p" (kind hidden) and the
 * digits of a cell of many pages among them; what does not fit at this
 * width is in the help ("Page map cells"). */
static void map_legend(struct pages_screen *p, struct app *a, int y, int w,
		       bool utf8)
{
	static const int order[] = { PAGE_NOT_PRESENT, PAGE_ANON,
		PAGE_FILE, PAGE_THP, PAGE_ZERO, PAGE_SWAPPED,
		PAGE_HUGETLB, PAGE_PRESENT, PAGE_GAP };
	static const char *const names[] = { "none", "anon", "file",
		"thp", "zero", "swap", "hugetlb", "hidden", "gap" };
	attr_t hd = app_attr(a, EL_HEADER);
	int x = 0;
	size_t i;
	char z[64];

	draw_fill(y, 0, w, hd);
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (x + 2 + (int)strlen(names[i]) > w)
			break;
		x += draw_text(y, x, 1, app_attr(a, pages_view_state_elem(order[i])),
			       state_glyph(order[i], utf8), false);
		x += draw_fmt(y, x, w - x, hd, false, " %s ", names[i]);
	}
	snprintf(z, sizeof z, "1-9 tenths");
	if (x + (int)strlen(z) <= w)
		x += draw_text(y, x, w - x, hd, z, false);
	snprintf(z, sizeof z, " | %llu page%s/cell",
		 (unsigned long long)(UINT64_C(1) << p->zoom),
		 p->zoom ? "s" : "");
	if (x + (int)strlen(z) <= w)
		draw_text(y, x, w - x, hd, z, false);
}

/* The ruler under the legend: each mark is the offset from the row's
 * address of the cell below it, every 8 cells (16, 32... where the
 * numbers are long). */
static void map_ruler(struct pages_screen *p, struct app *a, int y, int w)
{
	uint64_t cell = (UINT64_C(1) << p->zoom) << p->shift;
	attr_t at = app_attr(a, EL_DIM);
	int step = 8, c;
	char lab[32];

	snprintf(lab, sizeof lab, "+%llx",
		 (unsigned long long)(cell * (uint64_t)p->cols));
	while (step < p->cols && (int)strlen(lab) >= step)
		step *= 2;
	draw_fill(y, 0, w, at);
	draw_text(y, 0, p->label_w, at, "offset", false);
	for (c = 0; c < p->cols && p->label_w + c < w; c += step) {
		snprintf(lab, sizeof lab, "+%llx",
			 (unsigned long long)(cell * (uint64_t)c));
		draw_text(y, p->label_w + c, w - p->label_w - c, at, lab, false);
	}
}

/* The address at the start of a row, its segment's first row brighter. */
static void map_label(struct pages_screen *p, struct app *a, uint64_t row,
		      const struct pages_seg *s, int y)
{
	char lab[32];

	fmt_addr(lab, sizeof lab, pages_layout_row_addr(p, row, 0), p->digits);
	if ((int)strlen(lab) > p->digits) {
		/* wider than the column ([vsyscall]): keep the end */
		size_t l = strlen(lab);

		memmove(lab + 1, lab + l - (size_t)p->digits + 1,
			(size_t)p->digits);
		lab[0] = '~';
	}
	draw_text(y, 0, p->label_w,
		  app_attr(a, row == s->row0 ? EL_KEY : EL_DIM), lab, true);
}

static void map_hole(struct pages_screen *p, struct app *a,
		     const struct pages_seg *s, int y, int w, bool sel,
		     bool utf8)
{
	attr_t at = app_attr(a, sel ? EL_SELECTED : EL_PAGE_HOLE);
	char sz[32], txt[96];

	units_size(sz, sizeof sz, s->end - s->start);
	snprintf(txt, sizeof txt, " hole: %s unmapped ", sz);
	draw_fill(y, p->label_w, w - p->label_w, at);
	if (utf8)
		draw_hline(y, p->label_w, w - p->label_w, at);
	draw_text(y, p->label_w + 2, w - p->label_w - 2, at, txt, false);
}

static void map_cells(struct pages_screen *p, struct app *a, int r, int y,
		      int w, int ccol, bool utf8)
{
	const struct pagegrid_cell *cells = &p->cells[(size_t)r * (size_t)p->cols];
	char g[8];
	int c, st;

	for (c = 0; c < p->cols && p->label_w + c < w; c++) {
		const struct pagegrid_cell *ce = &cells[c];
		attr_t at;

		if (ce->type == PAGEGRID_NONE)
			break;
		cell_glyph(ce, utf8, g, sizeof g, &st);
		at = app_attr(a, pages_view_state_elem(st));
		if (ce->changed)
			at |= A_BOLD | A_UNDERLINE;
		if (c == ccol)
			at = app_attr(a, EL_SELECTED) | A_BOLD;
		draw_text(y, p->label_w + c, 1, at, g, false);
	}
}

void pages_map_draw(struct pages_screen *p, struct app *a, int y, int w)
{
	bool utf8 = draw_utf8();
	int r, ccol = pages_layout_cur_col(p);
	uint64_t crow = pages_layout_cur_row(p);

	map_legend(p, a, y, w, utf8);
	map_ruler(p, a, y + 1, w);
	for (r = 0; r < p->h; r++) {
		uint64_t row = p->top + (uint64_t)r;
		struct pages_seg s;

		if (row >= p->total)
			break;
		pages_layout_seg(p, row, &s);
		map_label(p, a, row, &s, y + 2 + r);
		if (s.hole)
			map_hole(p, a, &s, y + 2 + r, w, row == crow, utf8);
		else
			map_cells(p, a, r, y + 2 + r, w,
				  row == crow ? ccol : -1, utf8);
	}
}

/* "1 anon, 2 file" for the kinds of a cell's present pages. */
static void cell_kinds(const struct pagegrid_cell *c, char *kinds, size_t n)
{
	const struct { uint32_t v; const char *name; } k[] = {
		{ c->anon, "anon" }, { c->file, "file" }, { c->thp, "thp" },
		{ c->zero, "zero" }, { c->hugetlb, "hugetlb" },
		{ c->unknown, "kind unknown" },
	};
	size_t i, l = 0;

	kinds[0] = '\0';
	for (i = 0; i < sizeof k / sizeof k[0]; i++)
		if (k[i].v && l < n)
			l += (size_t)snprintf(kinds + l, n - l, "%s%u %s",
					      l ? ", " : "", k[i].v, k[i].name);
}

void pages_map_info(struct pages_screen *p, struct app *a,
		    const struct pagegrid_cell *c, char *buf, size_t n,
		    int *elem)
{
	const struct vma *v = vmas_find(&a->pv.vmas, p->cur);
	uint64_t end = p->cur + ((uint64_t)c->pages << p->shift);
	char kinds[160];

	if (c->type == PAGEGRID_HOLE || !v) {
		snprintf(buf, n, "hole: no VMA maps this address");
		return;
	}
	if (c->type == PAGEGRID_GAP) {
		*elem = EL_WARN;
		snprintf(buf, n, "%llx: %s gap: pagemap cannot see VM_PFNMAP/VM_IO; D: its PTE",
			 (unsigned long long)p->cur, vma_kind_name(v->kind));
		return;
	}
	cell_kinds(c, kinds, sizeof kinds);
	if (c->pages == 1)
		snprintf(buf, n, "%llx: %s%s | Enter: detail",
			 (unsigned long long)p->cur,
			 c->present ? "present, " : c->swapped ? "swapped" : "not present",
			 kinds);
	else
		snprintf(buf, n, "%llx-%llx: %u pages: %u present%s%s%s, %u swapped, %u not present",
			 (unsigned long long)p->cur, (unsigned long long)end,
			 c->pages, c->present, kinds[0] ? " (" : "", kinds,
			 kinds[0] ? ")" : "", c->swapped,
			 c->pages - c->present - c->swapped);
}
