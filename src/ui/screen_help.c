/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_help: generated from the key table and the command table, so
 * it always says what the keys do; plus the page map's legend. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "uiint.h"
#include "vmscope/kranges.h"
#include "vmscope/pages.h"

struct hline {
	char key[32];
	char text[200];
	int elem;
};

struct help_screen {
	struct screen base;
	struct hline *lines;
	int n, cap;
	long sel, top;
	int h;
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

static void build(struct help_screen *h)
{
	keys_reference(emit, h);
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
	if (hs->h != h) {
		hs->h = h;
		list_clamp(&hs->sel, &hs->top, hs->n, hs->h);
		return 1;
	}
	return 0;
}

static void help_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct help_screen *hs = HS(s);
	int i, kw = w >= 60 ? 22 : 12;

	for (i = 0; i < h && hs->top + i < hs->n; i++) {
		const struct hline *l = &hs->lines[hs->top + i];
		bool sel = hs->top + i == hs->sel;
		attr_t at = app_attr(a, sel ? EL_SELECTED : l->elem);

		draw_fill(y + i, 0, w, at);
		if (!l->key[0] && l->elem == EL_HEADER) {
			draw_text(y + i, 0, w, at, l->text, false);
			continue;
		}
		draw_text(y + i, 1, kw - 1, sel ? at : app_attr(a, EL_KEY), l->key,
			  false);
		draw_text(y + i, kw, w - kw, at, l->text, false);
	}
}

static void help_info(struct screen *s, struct app *a, char *buf, size_t n,
		      int *elem)
{
	struct help_screen *hs = HS(s);

	(void)a;
	*elem = EL_INFO;
	if (hs->n)
		snprintf(buf, n, "%s", hs->lines[hs->sel].text);
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
	if (list_move(&hs->sel, hs->n, hs->h, act)) {
		list_clamp(&hs->sel, &hs->top, hs->n, hs->h);
		return true;
	}
	return act == ACT_OPEN || act == ACT_HELP;
}

static bool help_search(struct screen *s, struct app *a, const char *text,
			int dir, bool from_here)
{
	struct help_screen *hs = HS(s);
	long n = hs->n, i, k;

	(void)a;
	if (!n)
		return false;
	for (k = from_here ? 0 : 1; k <= n; k++) {
		i = ((hs->sel + dir * k) % n + n) % n;
		if (text_match(hs->lines[i].text, text) ||
		    text_match(hs->lines[i].key, text)) {
			hs->sel = i;
			list_clamp(&hs->sel, &hs->top, hs->n, hs->h);
			return true;
		}
	}
	return false;
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

	(void)a;
	if (!h) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	h->base.ops = &help_ops;
	h->h = 1;
	build(h);
	return &h->base;
}
