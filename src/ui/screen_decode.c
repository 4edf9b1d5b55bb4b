/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_decode: :decode TEXT, the page-table entries of a pasted kernel
 * message decoded, placed on the root's map and checked (core:
 * decode.h), shown as scrollable text: one row per line, entry headings
 * and findings highlighted, / searches. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "draw.h"
#include "listview.h"
#include "screens.h"
#include "uitext.h"
#include "vmscope/decode.h"
#include "vmscope/escape.h"

struct dline {
	char *text;          /* escaped */
	int elem;
};

/* A row on screen: part of a line, wrapped to the width. */
struct drow {
	int line;
	size_t off, len;
	int indent;          /* blanks before a continuation */
};

struct decode_screen {
	struct screen base;
	struct dline *lines;
	int n, cap;
	struct drow *rows;
	int nrows, width;
	bool oom;
	struct listview lv;
	struct app *app;
	const char *title;   /* after "vmscope VERSION | " */
};

#define DS(s) ((struct decode_screen *)(s))

static int line_elem(const char *s)
{
	if (!strncmp(s, "  finding:", 10))
		return EL_WARN;
	if (!strncmp(s, "    instead:", 12))
		return EL_MESSAGE;
	if (s[0] && s[0] != ' ' && strchr(s, ':') && strstr(s, " (walk "))
		return EL_HEADER;
	return EL_NORMAL;
}

static void add_line(void *ctx, const char *s)
{
	struct decode_screen *d = ctx;
	size_t need = escape_text(NULL, 0, s, strlen(s)) + 1;
	struct dline *l;

	if (d->n == d->cap) {
		int cap = d->cap ? d->cap * 2 : 64;
		struct dline *nl = realloc(d->lines, (size_t)cap * sizeof *nl);

		if (!nl) {
			d->oom = true;
			return;
		}
		d->lines = nl;
		d->cap = cap;
	}
	l = &d->lines[d->n];
	if (!(l->text = malloc(need))) {
		d->oom = true;
		return;
	}
	escape_text(l->text, need, s, strlen(s));
	l->elem = line_elem(s);
	d->n++;
}

static bool line_matches(void *ctx, int64_t i, const char *text)
{
	struct decode_screen *d = ctx;

	return text_match(d->lines[d->rows[i].line].text, text);
}

static attr_t line_attr(void *ctx, int64_t row, bool sel)
{
	struct decode_screen *d = ctx;

	return app_attr(d->app, sel ? EL_SELECTED : d->lines[d->rows[row].line].elem);
}

static void text_cell(void *ctx, struct lv_cell *c)
{
	struct decode_screen *d = ctx;
	const struct drow *r = &d->rows[c->row];

	snprintf(c->buf, c->n, "%*s%.*s", r->indent, "", (int)r->len,
		 d->lines[r->line].text + r->off);
}

/* Split every line into rows of at most w columns, at blanks where
 * possible; continuations indented under the line's text. */
static void wrap(struct decode_screen *d, int w)
{
	int i, cap = 0;

	d->nrows = 0;
	d->width = w;
	if (w < 20)
		w = 20;
	for (i = 0; i < d->n; i++) {
		const char *t = d->lines[i].text;
		size_t len = strlen(t), off = 0;
		int lead = (int)strspn(t, " "), ind = 0;

		do {
			size_t room = (size_t)(w - 1 - ind), take = len - off;

			if (take > room) {
				size_t k = room;

				while (k > room / 2 && t[off + k] != ' ')
					k--;
				take = k > room / 2 ? k : room;
			}
			if (d->nrows == cap) {
				int nc = cap ? cap * 2 : 128;
				struct drow *nr = realloc(d->rows, (size_t)nc * sizeof *nr);

				if (!nr) {
					d->oom = true;
					return;
				}
				d->rows = nr;
				cap = nc;
			}
			d->rows[d->nrows++] = (struct drow){ i, off, take, ind };
			off += take;
			while (off < len && t[off] == ' ')
				off++;
			ind = lead + 4 < w / 2 ? lead + 4 : 0;
		} while (off < len);
	}
}

static unsigned decode_context(struct screen *s)
{
	(void)s;
	return CTX_HELP;
}

static int decode_update(struct screen *s, struct app *a, int h, int w,
			 bool re, struct vms_err *e)
{
	struct decode_screen *d = DS(s);
	bool changed = false;

	(void)a;
	(void)re;
	(void)e;
	s->stale = false;
	if (w != d->width) {
		int64_t line = d->nrows ? d->rows[d->lv.sel].line : 0, i;

		wrap(d, w);
		listview_set_rows(&d->lv, d->nrows);
		for (i = 0; i < d->nrows; i++)
			if (d->rows[i].line == line) {
				listview_select(&d->lv, i);
				break;
			}
		changed = true;
	}
	return listview_set_height(&d->lv, h) || changed;
}

static void decode_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct lv_column cols[] = { { .title = "", .cell = text_cell } };

	(void)a;
	(void)h;
	listview_draw_rows(&DS(s)->lv, cols, 1, y, w);
}

static void decode_info(struct screen *s, struct app *a, char *buf, size_t n,
			int *elem)
{
	struct decode_screen *d = DS(s);

	(void)a;
	*elem = EL_INFO;
	snprintf(buf, n, "%s", d->nrows ? d->lines[d->rows[d->lv.sel].line].text : "");
}

static void decode_title(struct screen *s, struct app *a, char *buf, size_t n)
{
	(void)a;
	snprintf(buf, n, "vmscope %s | %s (Esc: back)", VMSCOPE_VERSION, DS(s)->title);
}

static bool decode_action(struct screen *s, struct app *a, enum action act)
{
	(void)a;
	return listview_move(&DS(s)->lv, act) || act == ACT_OPEN;
}

static bool decode_search(struct screen *s, struct app *a, const char *text,
			  int dir, bool from_here)
{
	(void)a;
	return listview_search(&DS(s)->lv, text, dir, from_here);
}

static void decode_destroy(struct screen *s)
{
	struct decode_screen *d = DS(s);
	int i;

	for (i = 0; i < d->n; i++)
		free(d->lines[i].text);
	free(d->lines);
	free(d->rows);
	free(s);
}

static const struct screen_ops decode_ops = {
	.name = "decode",
	.context = decode_context,
	.update = decode_update,
	.draw = decode_draw,
	.info = decode_info,
	.title = decode_title,
	.action = decode_action,
	.search = decode_search,
	.filter = NULL,
	.goto_addr = NULL,
	.destroy = decode_destroy,
};

/* The screen of text decoded, after the lines of intro (may be NULL). */
static struct screen *decode_screen_make(struct app *a, const char *text,
					 const char *title, const char *const *intro,
					 struct vms_err *e)
{
	struct decode_screen *d = calloc(1, sizeof *d);
	struct decode_result *res = malloc(sizeof *res);
	struct decode_opts o = { .ko = { .no_bootlog = false } };

	if (!d || !res) {
		free(d);
		free(res);
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	if (decode_run(a->root, text, strlen(text), &o, res, e) < 0) {
		decode_free(res);
		free(res);
		free(d);
		return NULL;
	}
	d->base.ops = &decode_ops;
	d->app = a;
	d->title = title;
	listview_init(&d->lv, d);
	d->lv.matches = line_matches;
	d->lv.row_attr = line_attr;
	for (; intro && *intro; intro++)
		add_line(d, *intro);
	decode_format(res, add_line, d);
	decode_free(res);
	free(res);
	wrap(d, 80);
	listview_set_rows(&d->lv, d->nrows);
	if (d->oom) {
		decode_destroy(&d->base);
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	return &d->base;
}

struct screen *screen_decode_new(struct app *a, const char *text,
				 struct vms_err *e)
{
	return decode_screen_make(a, text, "decode: page-table entries of a kernel message",
				  NULL, e);
}

bool screen_decode_expected(struct app *a, uint64_t vaddr, bool known,
			    uint64_t phys, bool writable)
{
	char text[160], l[3][240], *nl;
	const char *intro[] = { l[0], l[1], l[2], "", NULL };
	struct pte_fmt f;
	enum pte_level lv;
	struct screen *s;
	struct vms_err e;
	uint64_t raw;

	decode_root_fmt(a->root, &f);
	if (!known || f.arch == PTE_ARCH_NONE) {
		app_message(a, EL_WARN, "page %llx: %s: no PTE to build", (unsigned long long)vaddr,
			    known ? "the root does not say its architecture"
			    : "physical address unknown (not UIO or /dev/mem)");
		return true;
	}
	raw = pte_build_device(&f, phys, writable, &lv);
	pte_build_text(&f, lv, raw, text, sizeof text);
	while ((nl = strchr(text, '\n')))
		*nl = ' ';
	snprintf(l[0], sizeof l[0], "page %llx: the entry a correct mapping of physical 0x%llx holds,",
		 (unsigned long long)vaddr, (unsigned long long)phys);
	snprintf(l[1], sizeof l[1], "made by io_remap_pfn_range(vma, addr, 0x%llx >> PAGE_SHIFT, size, pgprot_noncached(vma->vm_page_prot))%s",
		 (unsigned long long)phys, writable ? ", after a write" : " (a read-only mapping)");
	snprintf(l[2], sizeof l[2], "as the kernel prints it: %s", text);
	if (!(s = decode_screen_make(a, text, "decode: the PTE a correct mapping holds", intro, &e))) {
		app_message(a, EL_ERROR, "%s", e.msg);
		return true;
	}
	app_push(a, s);
	return true;
}
