/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_help: generated from the key table and the command table, so
 * it always says what the keys do; plus the page map's legend.  It reads
 * like a pager: every line wrapped to the width (nothing cut), PgDn and
 * Space turn a page, and the info line says where you are, not the line
 * again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "draw.h"
#include "listview.h"
#include "screens.h"
#include "textwrap.h"
#include "uitext.h"

struct hline {
	char key[32];
	char text[400];
	int elem;
};

/* A row on screen: part k of line i, wrapped at the width. */
struct hrow {
	int line;
	size_t off, len;
};

struct help_screen {
	struct screen base;
	struct hline *lines;
	int n, cap;
	struct hrow *rows;
	int nrows, rows_w;
	struct listview lv;
	struct app *app;
};

#define HS(s) ((struct help_screen *)(s))

static void add(struct help_screen *h, int elem, const char *key,
		const char *text)
{
	struct hline *l;

	if (h->n == h->cap) {
		int cap = h->cap ? h->cap * 2 : 64;
		struct hline *nl = realloc(h->lines, (size_t)cap * sizeof *nl);

		if (!nl)
			return;
		h->lines = nl;
		h->cap = cap;
	}
	l = &h->lines[h->n++];
	snprintf(l->key, sizeof l->key, "%s", key);
	snprintf(l->text, sizeof l->text, "%s", text);
	l->elem = elem;
}

static void emit(void *arg, bool header, const char *key, const char *text)
{
	add(arg, header ? EL_HEADER : EL_NORMAL, key, text);
}

static bool line_matches(void *ctx, int64_t i, const char *text)
{
	const struct help_screen *h = ctx;
	const struct hrow *r = &h->rows[i];
	const struct hline *l = &h->lines[r->line];

	/* a line matches once, on its first row */
	return r->off == 0 && (text_match(l->text, text) ||
			       text_match(l->key, text));
}

/* The width of the key column at screen width w. */
static int key_width(int w)
{
	return w >= 60 ? 22 : 12;
}

/* Rows of every line wrapped to width w: a section title across the
 * whole width, a key's text beside its key. */
static void wrap_rows(struct help_screen *h, int w)
{
	int i, cap = 0;

	h->nrows = 0;
	for (i = 0; i < h->n; i++) {
		const struct hline *l = &h->lines[i];
		bool title = !l->key[0] && l->elem == EL_HEADER;
		int tw = title ? w : w - key_width(w);
		struct textwrap_line tl[16];
		int k, nl = textwrap_break(l->text, tw, draw_utf8(), tl, 16);

		if (nl > 16)
			nl = 16;
		if (nl < 1) {
			nl = 1;
			tl[0].off = tl[0].len = 0;
		}
		if (h->nrows + nl > cap) {
			struct hrow *nr;

			cap = (h->nrows + nl) * 2;
			nr = realloc(h->rows, (size_t)cap * sizeof *nr);
			if (!nr)
				break;
			h->rows = nr;
		}
		for (k = 0; k < nl; k++)
			h->rows[h->nrows++] = (struct hrow){ i, tl[k].off,
							      tl[k].len };
	}
	h->rows_w = w;
	listview_set_rows(&h->lv, h->nrows);
}

static void build(struct help_screen *h)
{
	keys_reference(emit, h);
	wrap_rows(h, 80);
}

static unsigned help_context(struct screen *s)
{
	(void)s;
	return CTX_HELP;
}

static int help_update(struct screen *s, struct app *a, int h, int w,
		       bool re, struct vms_err *e)
{
	struct help_screen *hs = HS(s);

	(void)a;
	(void)re;
	(void)e;
	s->stale = false;
	if (w != hs->rows_w) {
		/* the same line stays at the top */
		int line = hs->nrows ? hs->rows[hs->lv.top].line : 0;
		int64_t r;

		wrap_rows(hs, w);
		for (r = 0; r < hs->nrows && hs->rows[r].line < line; r++)
			;
		hs->lv.top = hs->lv.sel = r;
		listview_set_height(&hs->lv, h);
		listview_clamp(&hs->lv);
		return 1;
	}
	return listview_set_height(&hs->lv, h);
}

/* Section titles over the whole line. */
static bool draw_title(void *ctx, int64_t row, bool sel, int y, int w)
{
	struct help_screen *hs = ctx;
	const struct hrow *r = &hs->rows[row];
	const struct hline *l = &hs->lines[r->line];
	attr_t at = app_attr(hs->app, sel ? EL_SELECTED : l->elem);
	char buf[256];

	if (l->key[0] || l->elem != EL_HEADER)
		return false;
	snprintf(buf, sizeof buf, "%.*s", (int)r->len, l->text + r->off);
	draw_fill(y, 0, w, at);
	draw_text(y, 0, w, at, buf, false);
	return true;
}

static attr_t line_attr(void *ctx, int64_t row, bool sel)
{
	struct help_screen *hs = ctx;

	return app_attr(hs->app, sel ? EL_SELECTED
				     : hs->lines[hs->rows[row].line].elem);
}

static void key_cell(void *ctx, struct lv_cell *c)
{
	struct help_screen *hs = ctx;
	const struct hrow *r = &hs->rows[c->row];

	/* the key on the first row of its text only */
	snprintf(c->buf, c->n, "%s", r->off ? "" : hs->lines[r->line].key);
	if (!c->sel)
		c->at = app_attr(hs->app, EL_KEY);
}

static void text_cell(void *ctx, struct lv_cell *c)
{
	const struct help_screen *hs = ctx;
	const struct hrow *r = &hs->rows[c->row];

	snprintf(c->buf, c->n, "%.*s", (int)r->len,
		 hs->lines[r->line].text + r->off);
}

static void help_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct help_screen *hs = HS(s);
	struct lv_column cols[] = {
		{ .title = "", .width = key_width(w) - 1, .lead = true,
		  .cell = key_cell },
		{ .title = "", .cell = text_cell },
	};

	(void)a;
	(void)h;
	listview_draw_rows(&hs->lv, cols, 2, y, w);
}

static void help_info(struct screen *s, struct app *a, char *buf, size_t n,
		      int *elem)
{
	struct help_screen *hs = HS(s);

	int64_t last = hs->lv.top + hs->lv.h;

	(void)a;
	*elem = EL_INFO;
	if (last > hs->nrows)
		last = hs->nrows;
	/* where the page is, not the selected line again */
	snprintf(buf, n, "lines %lld-%lld of %d%s | PgDn/Space: next page  /: search  Esc: back",
		 (long long)hs->lv.top + 1, (long long)last, hs->nrows,
		 last >= hs->nrows ? " (end)" : "");
}

static void help_title(struct screen *s, struct app *a, char *buf, size_t n)
{
	(void)s;
	(void)a;
	snprintf(buf, n, "vmscope %s | help (Esc: back)", VMSCOPE_VERSION);
}

static bool help_action(struct screen *s, struct app *a, enum action act)
{
	struct help_screen *hs = HS(s);

	(void)a;
	/* Space turns the page here: nothing refreshes in the help */
	if (act == ACT_PAUSE)
		act = ACT_PGDN;
	return listview_move(&hs->lv, act) || act == ACT_OPEN ||
	       act == ACT_HELP;
}

static bool help_search(struct screen *s, struct app *a, const char *text,
			int dir, bool from_here)
{
	struct listview *lv = &HS(s)->lv;

	(void)a;
	if (!listview_search(lv, text, dir, from_here))
		return false;
	/* the line found at the top, its wrapped rows below it */
	lv->top = lv->sel;
	listview_clamp(lv);
	return true;
}

static void help_destroy(struct screen *s)
{
	free(HS(s)->lines);
	free(HS(s)->rows);
	free(s);
}

static const struct screen_ops help_ops = {
	.name = "help",
	.context = help_context,
	.update = help_update,
	.draw = help_draw,
	.info = help_info,
	.title = help_title,
	.action = help_action,
	.search = help_search,
	.filter = NULL,
	.goto_addr = NULL,
	.destroy = help_destroy,
};

struct screen *screen_help_new(struct app *a, struct vms_err *e)
{
	struct help_screen *h = calloc(1, sizeof *h);

	if (!h) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	h->base.ops = &help_ops;
	listview_init(&h->lv, h);
	h->lv.matches = line_matches;
	h->lv.row_attr = line_attr;
	h->lv.draw_row = draw_title;
	h->app = a;
	build(h);
	return &h->base;
}
