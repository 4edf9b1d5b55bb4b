/* SPDX-License-Identifier: GPL-3.0-or-later */
/* krlist: the list of the machine's map the kernel and physical screens
 * share (see krlist.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "draw.h"
#include "krlist.h"
#include "uitext.h"
#include "vmscope/escape.h"
#include "vmscope/units.h"

static bool row_selectable(void *ctx, int64_t row)
{
	return ((struct krlist *)ctx)->rows[row].type != KRROW_SECTION;
}

static bool row_matches(void *ctx, int64_t row, const char *t)
{
	struct krlist *l = ctx;
	const struct kranges *k = krlist_model(l);
	const struct krrow *r = &l->rows[row];

	if (!k || r->type == KRROW_SECTION)
		return false;
	if (r->type == KRROW_RANGE)
		return text_match(k->r[r->idx].name, t) ||
		       text_match(krange_kind_name(k->r[r->idx].kind), t);
	if (r->type == KRROW_HIDDEN)
		return text_match(k->hidden[r->idx].what, t);
	return l->ops->matches_other &&
	       l->ops->matches_other(l->screen, r, t);
}

static attr_t row_attr(void *ctx, int64_t row, bool sel)
{
	struct krlist *l = ctx;
	const struct krrow *r = &l->rows[row];

	if (sel)
		return app_attr(l->app, EL_SELECTED);
	if (r->type == KRROW_RANGE)
		return app_attr(l->app, krview_kind_elem(&l->app->kv.k.r[r->idx]));
	return app_attr(l->app, EL_WARN);
}

/* Section titles, text rows and a screen's own rows; ranges and hidden
 * entries are drawn by the columns. */
static bool draw_row(void *ctx, int64_t row, bool sel, int y, int w)
{
	struct krlist *l = ctx;
	const struct krrow *r = &l->rows[row];
	attr_t at;

	switch (r->type) {
	case KRROW_RANGE:
	case KRROW_HIDDEN:
		return false;
	case KRROW_SECTION:
		draw_fill(y, 0, w, app_attr(l->app, EL_KEY));
		draw_text_cut(y, 0, w, app_attr(l->app, EL_KEY), r->text);
		return true;
	case KRROW_EMPTY:
		at = app_attr(l->app, sel ? EL_SELECTED : EL_DIM);
		draw_fill(y, 0, w, at);
		draw_text_cut(y, 0, w, at, r->text ? r->text : "");
		return true;
	default:
		if (l->ops->draw_other)
			l->ops->draw_other(l->screen, r, sel, y, w);
		return true;
	}
}

void krlist_init(struct krlist *l, struct app *a, bool phys,
		 const struct krlist_ops *ops, void *screen, bool has_addr,
		 uint64_t addr)
{
	memset(l, 0, sizeof *l);
	l->app = a;
	l->phys = phys;
	l->ops = ops;
	l->screen = screen;
	l->want_addr = has_addr;
	l->addr = addr;
	l->digits = 8;
	listview_init(&l->lv, l);
	l->lv.selectable = row_selectable;
	l->lv.matches = row_matches;
	l->lv.row_attr = row_attr;
	l->lv.draw_row = draw_row;
}

void krlist_free(struct krlist *l)
{
	free(l->rows);
	l->rows = NULL;
	l->n = l->cap = 0;
}

void krlist_add(struct krlist *l, int type, size_t idx, const char *text)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct krrow *nr = realloc(l->rows, cap * sizeof *nr);

		if (!nr)
			return;
		l->rows = nr;
		l->cap = cap;
	}
	l->rows[l->n].type = (uint8_t)type;
	l->rows[l->n].idx = idx;
	l->rows[l->n].text = text;
	l->n++;
}

const struct kranges *krlist_model(const struct krlist *l)
{
	return l->app->kv.loaded && l->built ? &l->app->kv.k : NULL;
}

const struct kranges *krlist_update(struct krlist *l, bool *rebuilt)
{
	struct vms_err e;
	const struct kranges *k = krview_get(l->app, !l->phys, &e);

	*rebuilt = false;
	if (!k) {
		snprintf(l->err, sizeof l->err, "%s", e.msg);
		return NULL;
	}
	l->err[0] = '\0';
	if (!l->built || l->gen != l->app->kv.gen) {
		l->n = 0;
		l->ops->build(l->screen, k);
		l->built = true;
		l->gen = l->app->kv.gen;
		listview_set_rows(&l->lv, (int64_t)l->n);
		listview_select(&l->lv, l->lv.sel);
		if (l->want_addr) {
			l->want_addr = false;
			l->ops->select_addr(l->screen, k, l->addr);
		}
		*rebuilt = true;
	}
	listview_clamp(&l->lv);
	return k;
}

const struct krrow *krlist_sel(const struct krlist *l)
{
	return l->built && l->n && l->lv.sel < (int64_t)l->n ?
	       &l->rows[l->lv.sel] : NULL;
}

const struct krange *krlist_sel_range(const struct krlist *l)
{
	const struct krrow *r = krlist_sel(l);
	const struct kranges *k = krlist_model(l);

	return k && r && r->type == KRROW_RANGE ? &k->r[r->idx] : NULL;
}

bool krlist_select_range(struct krlist *l, const struct kranges *k,
			 const struct krange *r)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->rows[i].type == KRROW_RANGE && &k->r[l->rows[i].idx] == r) {
			listview_select_near_top(&l->lv, (int64_t)i);
			return true;
		}
	return false;
}

const struct krange *krlist_lookup(const struct krlist *l,
				   const struct kranges *k, uint64_t addr)
{
	return l->phys ? kranges_lookup_phys(k, addr)
		       : kranges_lookup(k, KSPACE_VIRT, addr);
}

bool krlist_search(struct krlist *l, const char *text, int dir,
		   bool from_here)
{
	const struct kranges *k = krlist_model(l);
	uint64_t addr;

	if (!k || !l->n)
		return false;
	if (parse_addr(text, &addr) && krlist_lookup(l, k, addr)) {
		l->ops->select_addr(l->screen, k, addr);
		listview_clamp(&l->lv);
		return true;
	}
	return listview_search(&l->lv, text, dir, from_here);
}

void krlist_goto(struct krlist *l, uint64_t addr)
{
	if (!l->built || l->gen != l->app->kv.gen) {
		l->want_addr = true;
		l->addr = addr;
		return;
	}
	l->ops->select_addr(l->screen, &l->app->kv.k, addr);
	listview_clamp(&l->lv);
}

bool krlist_reread(struct krlist *l, const char *what)
{
	struct vms_err e;

	if (app_snapshot_refuses(l->app, what))
		return false;
	if (krview_reload(l->app, &e) < 0) {
		app_message(l->app, EL_ERROR, "%s", e.msg);
		return false;
	}
	return true;
}

/* ---- drawing ---- */

void krlist_draw_error(struct krlist *l, int y, int h, int w,
		       const char *reading)
{
	char lines[40][256];
	int n = wrap_text(l->err[0] ? l->err : reading, w, lines,
			  h < 40 ? h : 40), i;

	for (i = 0; i < n; i++)
		draw_text_cut(y + i, 0, w, app_attr(l->app, EL_ERROR), lines[i]);
}

/* START-END (START-LAST on the physical map), or START. */
static void addr_cell(void *ctx, struct lv_cell *c)
{
	struct krlist *l = ctx;
	const struct krrow *r = &l->rows[c->row];
	const struct krange *kr;
	char a1[24], a2[24];

	if (r->type == KRROW_HIDDEN) {
		snprintf(c->buf, c->n, "(hidden)");
		return;
	}
	kr = &l->app->kv.k.r[r->idx];
	fmt_addr(a1, sizeof a1, kr->start, l->digits);
	if (kr->to_top && !l->phys)  /* the end of the space, 2^64 */
		snprintf(a2, sizeof a2, "1%0*d", l->digits, 0);
	else
		fmt_addr(a2, sizeof a2, l->phys ? krange_last(kr) : kr->end,
			 l->digits);
	if (l->both)
		snprintf(c->buf, c->n, "%s-%s", a1, a2);
	else
		snprintf(c->buf, c->n, "%s", a1);
}

static void size_cell(void *ctx, struct lv_cell *c)
{
	struct krlist *l = ctx;
	const struct krrow *r = &l->rows[c->row];
	const struct krange *kr;

	if (r->type == KRROW_HIDDEN) {
		snprintf(c->buf, c->n, "-");
		return;
	}
	kr = &l->app->kv.k.r[r->idx];
	units_size(c->buf, c->n, krange_size(kr));
}

static void kind_cell(void *ctx, struct lv_cell *c)
{
	struct krlist *l = ctx;
	const struct krrow *r = &l->rows[c->row];

	snprintf(c->buf, c->n, "%s", r->type == KRROW_HIDDEN ? "hidden" :
		 krange_kind_name(l->app->kv.k.r[r->idx].kind));
}

/* "(kallsyms:3, iomem:7)": where a range comes from, short. */
static void sources_short(const struct krange *kr, char *buf, size_t n)
{
	size_t i, l = 0;

	buf[0] = '\0';
	for (i = 0; i < kr->nsrc && l < n; i++) {
		char s1[64];

		kranges_src_short(&kr->src[i], s1, sizeof s1);
		l += (size_t)snprintf(buf + l, n - l, "%s%s", i ? ", " : "", s1);
	}
}

/* The name, indented by depth (zones and nodes not), then dim: what a
 * kernel area is, or where a physical range comes from. */
static void name_draw(void *ctx, const struct lv_cell *c, int y, int x,
		      int w)
{
	struct krlist *l = ctx;
	const struct krrow *r = &l->rows[c->row];
	const struct kranges *k = &l->app->kv.k;
	attr_t dim = c->sel ? c->at : app_attr(l->app, EL_DIM);
	int end = x + w;
	char esc[1024], buf[256];

	if (r->type == KRROW_HIDDEN) {
		const struct krange_hidden *hd = &k->hidden[r->idx];

		escape_text(esc, sizeof esc, hd->what, strlen(hd->what));
		if (hd->count > 1)
			draw_fmt_cut(y, x, w, c->at, "%s (%u entries)", esc,
				 hd->count);
		else
			draw_text_cut(y, x, w, c->at, esc);
		return;
	}
	{
		const struct krange *kr = &k->r[r->idx];
		const char *note = l->phys ? NULL : kranges_area_note(kr->name);

		escape_text(esc, sizeof esc, kr->name, strlen(kr->name));
		x += draw_fmt_cut(y, x, w, c->at, "%*s%s",
			      (int)(2 * (krange_is_mm(kr) ? 0 : kr->depth)), "",
			      esc);
		if (note && x + 4 < end)
			draw_fmt_cut(y, x, end - x, dim, "  %s", note);
		if (l->phys && end >= 100 && kr->nsrc && x + 6 < end) {
			sources_short(kr, buf, sizeof buf);
			draw_fmt_cut(y, x, end - x, dim, "  [%s]", buf);
		}
	}
}

void krlist_draw(struct krlist *l, int y, int w)
{
	bool both = w >= 2 * l->digits + 1 + 16 + 12;
	int aw = both ? 2 * l->digits + 1 : l->digits;
	struct lv_column c[4] = {
		{ .title = both ? (l->phys ? "START-LAST" : "START-END") : "START",
		  .width = aw, .cell = addr_cell },
		{ .title = "SIZE", .width = 6, .right = true, .cell = size_cell },
		{ .title = "KIND", .width = 8, .cell = kind_cell },
		{ .title = "NAME", .draw = name_draw },
	};
	int nc = 4;

	l->both = both;
	if (w < aw + 16 + 16) {
		/* no room for the kind */
		c[2] = c[3];
		nc = 3;
	}
	listview_draw_header(c, nc, y, w, app_attr(l->app, EL_HEADER));
	listview_draw_rows(&l->lv, c, nc, y + 1, w);
}

void krlist_draw_lines(struct app *a, char lines[][256], int n, int y,
		       int w)
{
	int i;

	for (i = 0; i < n; i++)
		draw_text(y + i, 0, w, app_attr(a, i ? EL_DIM : EL_INFO),
			  lines[i], false);
}

void krlist_hidden_info(const struct kranges *k, const struct krrow *r,
			char *buf, size_t n, int *elem)
{
	char why[512];

	*elem = EL_WARN;
	escape_text(why, sizeof why, k->hidden[r->idx].why,
		    strlen(k->hidden[r->idx].why));
	snprintf(buf, n, "hidden: %s", why);
}

int krlist_describe(const struct kranges *k, const struct krrow *r,
		    const char *first, char lines[][256], int max, int w)
{
	int n = 0;

	if (max <= 0)
		return 0;
	if (r->type == KRROW_HIDDEN)
		return krview_hidden_lines(k, &k->hidden[r->idx], lines, max, w);
	if (first)
		n = wrap_text(first, w, lines, max);
	else if (r->text)
		n = wrap_text(r->text, w, lines, max);
	if (r->type == KRROW_RANGE && n < max)
		n += krview_src_lines(k, &k->r[r->idx], lines + n, max - n, w);
	return n;
}
