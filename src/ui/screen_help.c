/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_help: generated from the key table and the command table, so
 * it always says what the keys do; plus the page map's legend. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "draw.h"
#include "listview.h"
#include "screens.h"
#include "uitext.h"

struct hline {
	char key[32];
	char text[200];
	int elem;
};

struct help_screen {
	struct screen base;
	struct hline *lines;
	int n, cap;
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
	const struct hline *l = &((struct help_screen *)ctx)->lines[i];

	return text_match(l->text, text) || text_match(l->key, text);
}

static void build(struct help_screen *h)
{
	keys_reference(emit, h);
	listview_set_rows(&h->lv, h->n);
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
	(void)w;
	(void)re;
	(void)e;
	s->stale = false;
	return listview_set_height(&hs->lv, h);
}

/* Section titles over the whole line. */
static bool draw_title(void *ctx, int64_t row, bool sel, int y, int w)
{
	struct help_screen *hs = ctx;
	const struct hline *l = &hs->lines[row];
	attr_t at = app_attr(hs->app, sel ? EL_SELECTED : l->elem);

	if (l->key[0] || l->elem != EL_HEADER)
		return false;
	draw_fill(y, 0, w, at);
	draw_text(y, 0, w, at, l->text, false);
	return true;
}

static attr_t line_attr(void *ctx, int64_t row, bool sel)
{
	struct help_screen *hs = ctx;

	return app_attr(hs->app, sel ? EL_SELECTED : hs->lines[row].elem);
}

static void key_cell(void *ctx, struct lv_cell *c)
{
	struct help_screen *hs = ctx;

	snprintf(c->buf, c->n, "%s", hs->lines[c->row].key);
	if (!c->sel)
		c->at = app_attr(hs->app, EL_KEY);
}

static void text_cell(void *ctx, struct lv_cell *c)
{
	snprintf(c->buf, c->n, "%s", ((struct help_screen *)ctx)->lines[c->row].text);
}

static void help_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct help_screen *hs = HS(s);
	struct lv_column cols[] = {
		{ .title = "", .width = (w >= 60 ? 22 : 12) - 1, .lead = true,
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

	(void)a;
	*elem = EL_INFO;
	if (hs->n)
		snprintf(buf, n, "%s", hs->lines[hs->lv.sel].text);
	else
		buf[0] = '\0';
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
	return listview_move(&hs->lv, act) || act == ACT_OPEN ||
	       act == ACT_HELP;
}

static bool help_search(struct screen *s, struct app *a, const char *text,
			int dir, bool from_here)
{
	(void)a;
	return listview_search(&HS(s)->lv, text, dir, from_here);
}

static void help_destroy(struct screen *s)
{
	free(HS(s)->lines);
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
