/* SPDX-License-Identifier: GPL-3.0-or-later */
/* listview: selection, scrolling, search, a filtered view and columns,
 * once for every list screen (see listview.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "listview.h"
#include "draw.h"
#include "vmscope/escape.h"

static bool selectable(const struct listview *lv, int64_t row)
{
	return !lv->selectable || lv->selectable(lv->ctx, row);
}

void listview_clamp(struct listview *lv)
{
	int64_t h = lv->h < 1 ? 1 : lv->h;

	if (lv->sel >= lv->n)
		lv->sel = lv->n - 1;
	if (lv->sel < 0)
		lv->sel = 0;
	if (lv->top > lv->sel)
		lv->top = lv->sel;
	if (lv->sel >= lv->top + h)
		lv->top = lv->sel - h + 1;
	if (lv->top > lv->n - h)
		lv->top = lv->n - h;
	if (lv->top < 0)
		lv->top = 0;
}

/* Move the selection by dir until it is on a selectable row; none that
 * way: the other way. */
static void skip_unselectable(struct listview *lv, int dir)
{
	int64_t i = lv->sel;

	while (i >= 0 && i < lv->n && !selectable(lv, i))
		i += dir;
	if (i < 0 || i >= lv->n) {
		i = lv->sel;
		while (i >= 0 && i < lv->n && !selectable(lv, i))
			i -= dir;
	}
	if (i >= 0 && i < lv->n)
		lv->sel = i;
}

void listview_init(struct listview *lv, void *ctx)
{
	memset(lv, 0, sizeof *lv);
	lv->h = 1;
	lv->ctx = ctx;
}

void listview_set_rows(struct listview *lv, int64_t n)
{
	lv->n = n;
	listview_clamp(lv);
}

bool listview_set_height(struct listview *lv, int h)
{
	if (lv->h == h)
		return false;
	lv->h = h;
	listview_clamp(lv);
	return true;
}

void listview_select(struct listview *lv, int64_t row)
{
	lv->sel = row;
	listview_clamp(lv);
	skip_unselectable(lv, 1);
	listview_clamp(lv);
}

void listview_select_near_top(struct listview *lv, int64_t row)
{
	lv->sel = row;
	lv->top = row > 1 ? row - 1 : 0;
	listview_clamp(lv);
}

bool listview_move(struct listview *lv, enum action act)
{
	int64_t page = lv->h > 1 ? lv->h - 1 : 1, before = lv->sel;

	switch (act) {
	case ACT_UP: lv->sel--; break;
	case ACT_DOWN: lv->sel++; break;
	/* a page key turns the page: the view moves with the selection
	 * (the first PgDn shows the next rows, as in less or htop) */
	case ACT_PGUP: lv->sel -= page; lv->top -= page; break;
	case ACT_PGDN:
		lv->sel += page;
		if (lv->top + lv->h < lv->n)
			lv->top += page;
		break;
	case ACT_HOME: lv->sel = 0; break;
	case ACT_END: lv->sel = lv->n - 1; break;
	default: return false;
	}
	if (lv->sel >= lv->n)
		lv->sel = lv->n - 1;
	if (lv->sel < 0)
		lv->sel = 0;
	if (lv->selectable)
		skip_unselectable(lv, lv->sel >= before ? 1 : -1);
	listview_clamp(lv);
	/* a section title right above the first row shown stays in view */
	if (lv->sel > 0 && lv->top == lv->sel && !selectable(lv, lv->sel - 1))
		lv->top--;
	return true;
}

bool listview_search(struct listview *lv, const char *text, int dir,
		     bool from_here)
{
	int64_t n = lv->n, i, k;

	if (!n || !lv->matches)
		return false;
	for (k = from_here ? 0 : 1; k <= n; k++) {
		i = ((lv->sel + dir * k) % n + n) % n;
		if (selectable(lv, i) && lv->matches(lv->ctx, i, text)) {
			lv->sel = i;
			listview_clamp(lv);
			return true;
		}
	}
	return false;
}

/* Room in the view for row k (of at most nitems): the array doubles as
 * rows are kept, so it holds about the rows there are, not the items
 * (the VMA screen's items include a hole before every VMA). */
static bool view_room(struct listview *lv, size_t k, size_t nitems)
{
	size_t cap = lv->view_cap ? lv->view_cap : 64;
	uint32_t *nv;

	if (k < lv->view_cap)
		return true;
	while (cap <= k)
		cap *= 2;
	if (cap > nitems)
		cap = nitems;
	nv = realloc(lv->view, cap * sizeof *nv);
	if (!nv)
		return false;
	lv->view = nv;
	lv->view_cap = cap;
	return true;
}

bool listview_build_view(struct listview *lv, size_t nitems,
			 bool (*keep)(void *ctx, size_t item))
{
	size_t i;

	lv->nview = 0;
	/* an item is a uint32_t in the view */
	if ((uint64_t)nitems > LISTVIEW_MAX_ITEMS) {
		listview_set_rows(lv, 0);
		return false;
	}
	for (i = 0; i < nitems; i++) {
		if (!keep(lv->ctx, i))
			continue;
		if (!view_room(lv, lv->nview, nitems)) {
			lv->nview = 0;
			listview_set_rows(lv, 0);
			return false;
		}
		lv->view[lv->nview++] = (uint32_t)i;
	}
	listview_set_rows(lv, (int64_t)lv->nview);
	return true;
}

void listview_set_filter(struct listview *lv, const char *text)
{
	snprintf(lv->filter, sizeof lv->filter, "%s", text);
}

void listview_filter_title(const struct listview *lv, char *buf, size_t n)
{
	char esc[128];

	buf[0] = '\0';
	if (!lv->filter[0])
		return;
	escape_text(esc, sizeof esc, lv->filter, strlen(lv->filter));
	snprintf(buf, n, ", filter \"%s\"", esc);
}

void listview_free(struct listview *lv)
{
	free(lv->view);
	lv->view = NULL;
	lv->nview = lv->view_cap = 0;
}

int listview_column_x(const struct lv_column *c, int i)
{
	int k, x = 0;

	for (k = 0; k < i; k++)
		x += c[k].width + 1;
	return x;
}

int listview_column_at(const struct lv_column *c, int nc, int x)
{
	int i, x0 = 0;

	for (i = 0; i < nc; i++) {
		if (x >= x0 && (x <= x0 + c[i].width || !c[i].width ||
				i == nc - 1))
			return i;
		x0 += c[i].width + 1;
	}
	return -1;
}

bool listview_click(struct listview *lv, int y)
{
	int64_t row = lv->top + (y - lv->y0);

	if (y < lv->y0 || y >= lv->y0 + lv->h || row < 0 || row >= lv->n ||
	    !selectable(lv, row))
		return false;
	lv->sel = row;
	listview_clamp(lv);
	return true;
}

/* Where column c's text starts and how wide it may be drawn: its width,
 * and the blank after it when a number is wider; the last column takes
 * the rest of the line. */
static int text_span(const struct lv_column *c, int x, int w, int *x0)
{
	int lim;

	*x0 = x + (c->lead ? 1 : 0);
	lim = c->width ? c->width + (c->lead ? 0 : 1) : w - *x0;
	if (*x0 + lim > w)
		lim = w - *x0;
	return lim;
}

void listview_draw_header(const struct lv_column *c, int nc, int y, int w,
			  attr_t at)
{
	int i, x = 0, x0, lim;

	draw_fill(y, 0, w, at);
	for (i = 0; i < nc && x < w; i++) {
		attr_t ha = at | (c[i].emph ? A_BOLD : 0);
		const char *mark = c[i].mark ? c[i].mark : "";

		lim = text_span(&c[i], x, w, &x0);
		if (lim > 0) {
			/* the blank before a title is the title's (bold) */
			if (c[i].right)
				draw_fmt(y, x0, lim, ha, false, "%*s%s",
					 c[i].width, c[i].title, mark);
			else
				draw_fmt(y, x, lim + x0 - x, ha, false, "%*s%s%s",
					 x0 - x, "", c[i].title, mark);
		}
		x += c[i].width + 1;
	}
}

static void draw_cell(const struct listview *lv, const struct lv_column *c,
		      int64_t row, bool sel, int y, int x, int w, attr_t at)
{
	char buf[1024];
	struct lv_cell cl = { row, sel, at, c->tail, buf, sizeof buf };
	int x0, lim = text_span(c, x, w, &x0);

	if (lim <= 0)
		return;
	if (c->draw) {
		c->draw(lv->ctx, &cl, y, x0, lim);
		return;
	}
	buf[0] = '\0';
	c->cell(lv->ctx, &cl);
	if (c->pad && cl.at != at && c->width)
		draw_fill(y, x0, c->width < lim ? c->width : lim, cl.at);
	if (c->right)
		draw_fmt(y, x0, lim, cl.at, false, "%*s", c->width, buf);
	else if (cl.tail)
		draw_text_tail(y, x0, lim, cl.at, buf);
	else
		draw_text(y, x0, lim, cl.at, buf, false);
}

void listview_draw_rows(struct listview *lv, const struct lv_column *c,
			int nc, int y, int w)
{
	int r, i, x;

	lv->y0 = y;
	for (r = 0; r < lv->h && lv->top + r < lv->n; r++) {
		int64_t row = lv->top + r;
		bool sel = row == lv->sel;
		attr_t at;

		if (lv->draw_row && lv->draw_row(lv->ctx, row, sel, y + r, w))
			continue;
		at = lv->row_attr(lv->ctx, row, sel);
		draw_fill(y + r, 0, w, at);
		for (i = 0, x = 0; i < nc && x < w; i++) {
			draw_cell(lv, &c[i], row, sel, y + r, x, w, at);
			x += c[i].width + 1;
		}
	}
}
