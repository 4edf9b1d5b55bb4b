/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_kernel: the kernel's virtual layout as a list like a process's
 * VMAs: the areas of the boot log's "Virtual kernel memory layout", the
 * image sections from kallsyms, modules; then what the kernel hid (each
 * with why), the boot log's memory summary, the command line and the
 * sources that were read.  The selected item's sources (file and line,
 * with the line as read) are shown in the panel below, or over the whole
 * screen with Enter. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/units.h"
#include "app.h"
#include "draw.h"
#include "krlist.h"
#include "screens.h"
#include "uitext.h"
#include "vmscope/escape.h"

struct kernel_screen {
	struct screen base;
	struct krlist l;
	bool full;              /* the selected item's text over the body */
	long ftop;              /* first line shown in full mode */
	int nfull;
	size_t nranges, nhidden;
};

#define KS(s) ((struct kernel_screen *)(s))

static void build(void *screen, const struct kranges *k)
{
	struct kernel_screen *d = screen;
	size_t i, l;
	uint64_t max = 0;

	d->nranges = d->nhidden = 0;
	krlist_add(&d->l, KRROW_SECTION, 0, "kernel virtual layout (START-END, end exclusive)");
	for (l = 0; l < 2; l++)
		for (i = k->slice[KSPACE_VIRT][l][0]; i < k->slice[KSPACE_VIRT][l][1]; i++) {
			krlist_add(&d->l, KRROW_RANGE, i, NULL);
			d->nranges++;
			if (krange_last(&k->r[i]) > max)
				max = krange_last(&k->r[i]);
		}
	if (!d->nranges)
		krlist_add(&d->l, KRROW_EMPTY, 0,
			"none known: no boot log \"Virtual kernel memory layout\", no /proc/kallsyms or /proc/modules that was read (see the sources below)");
	/* right under the layout: they say why it may be short or empty */
	if (k->nnotes)
		krlist_add(&d->l, KRROW_SECTION, 0, "notes");
	for (i = 0; i < k->nnotes; i++)
		krlist_add(&d->l, KRROW_NOTE, i, NULL);
	for (i = 0; i < k->nhidden; i++) {
		if (k->hidden[i].src == KSRC_IOMEM)
			continue;   /* physical: the physical map shows those */
		if (!d->nhidden)
			krlist_add(&d->l, KRROW_SECTION, 0,
				"hidden by the kernel (never shown as addresses)");
		krlist_add(&d->l, KRROW_HIDDEN, i, NULL);
		d->nhidden++;
	}
	if (k->mem.present) {
		krlist_add(&d->l, KRROW_SECTION, 0, "memory (boot log)");
		krlist_add(&d->l, KRROW_MEM, 0, NULL);
	}
	if (k->cmdline) {
		krlist_add(&d->l, KRROW_SECTION, 0, "kernel command line");
		krlist_add(&d->l, KRROW_CMDLINE, 0, NULL);
	}
	krlist_add(&d->l, KRROW_SECTION, 0, "sources");
	for (i = 0; i < KSRC__COUNT; i++) {
		const struct ksource_info *s = &k->sources[i];

		if (i == KSRC_DERIVED || (!s->used && !s->detail[0]))
			continue;
		krlist_add(&d->l, KRROW_SOURCE, i, NULL);
	}
	d->l.digits = 8;
	while (d->l.digits < 16 && (max >> (4 * d->l.digits)))
		d->l.digits++;
	d->l.digits = d->l.digits > 8 ? 16 : 8;
}

static void select_addr(void *screen, const struct kranges *k, uint64_t addr)
{
	struct kernel_screen *d = screen;
	const struct krange *r = krlist_lookup(&d->l, k, addr);

	if (!r) {
		app_message(d->l.app, EL_WARN,
			    "no kernel virtual range known holds 0x%llx",
			    (unsigned long long)addr);
		return;
	}
	krlist_select_range(&d->l, k, r);
}

static unsigned kernel_context(struct screen *s)
{
	(void)s;
	return CTX_KERNEL;
}

static int panel_rows(int h)
{
	return h >= 20 ? 6 : h >= 14 ? 4 : 0;
}

static int kernel_update(struct screen *s, struct app *a, int h, int w,
			 bool re, struct vms_err *e)
{
	struct kernel_screen *d = KS(s);
	int lh = h - 1 - panel_rows(h);
	bool rebuilt, resized;

	(void)a;
	(void)w;
	(void)re;
	(void)e;
	s->stale = false;
	resized = listview_set_height(&d->l.lv, lh < 1 ? 1 : lh);
	if (!krlist_update(&d->l, &rebuilt))
		return 1;
	return resized || rebuilt;
}

/* The first line about a range: its path, size, kind, ends and what
 * the area is. */
static void range_line(const struct kranges *k, const struct krange *kr,
		       char *buf, size_t n)
{
	const char *note = kranges_area_note(kr->name);
	char path[1024], esc[1024], sz[32];

	kranges_path(k, kr, " > ", path, sizeof path);
	escape_text(esc, sizeof esc, path, strlen(path));
	units_size(sz, sizeof sz, krange_size(kr));
	snprintf(buf, n, "%s: %s %s, 0x%llx-0x%llx%s%s", esc, sz,
		 krange_kind_name(kr->kind), (unsigned long long)kr->start,
		 (unsigned long long)kr->end, note ? ": " : "",
		 note ? note : "");
}

/* "/proc/kallsyms: read, 40000 lines or entries, 5 ranges (...)" and
 * the kernel the boot log names. */
static int source_lines(const struct kranges *k, const struct krrow *r,
			char lines[][256], int max, int w)
{
	const struct ksource_info *si = &k->sources[r->idx];
	char buf[2048], esc[1024];
	int n;

	escape_text(esc, sizeof esc, si->detail, strlen(si->detail));
	if (si->used)
		snprintf(buf, sizeof buf, "%s: read, %u lines or entries, %u ranges (%s)",
			 ksrc_name((enum ksrc)r->idx), si->lines, si->ranges, esc);
	else
		snprintf(buf, sizeof buf, "%s: not used: %s",
			 ksrc_name((enum ksrc)r->idx), esc);
	n = wrap_text(buf, w, lines, max);
	if (r->idx == KSRC_BOOTLOG && k->bootlog_kernel[0] && n < max) {
		escape_text(esc, sizeof esc, k->bootlog_kernel,
			    strlen(k->bootlog_kernel));
		snprintf(buf, sizeof buf, "the log names kernel %s", esc);
		n += wrap_text(buf, w, lines + n, max - n);
	}
	return n;
}

/* A title line and a text as read (escaped), wrapped. */
static int titled_text(const char *title, const char *text,
		       char lines[][256], int max, int w)
{
	char esc[1024];
	int n = wrap_text(title, w, lines, max);

	escape_text(esc, sizeof esc, text ? text : "", text ? strlen(text) : 0);
	if (n < max)
		n += wrap_text(esc, w, lines + n, max - n);
	return n;
}

/* The lines describing row r (escaped), for the panel and full view. */
static int describe(const struct kranges *k, const struct krrow *r,
		    char lines[][256], int max, int w)
{
	char buf[2048], esc[1024];

	if (max <= 0)
		return 0;
	switch (r->type) {
	case KRROW_RANGE:
		range_line(k, &k->r[r->idx], buf, sizeof buf);
		return krlist_describe(k, r, buf, lines, max, w);
	case KRROW_MEM:
		snprintf(buf, sizeof buf, "boot log line %u:", k->mem.line);
		return titled_text(buf, k->mem.text, lines, max, w);
	case KRROW_CMDLINE:
		return titled_text(k->cmdline_src == KSRC_CMDLINE ?
				   "from /proc/cmdline:" : "from the boot log:",
				   k->cmdline, lines, max, w);
	case KRROW_SOURCE:
		return source_lines(k, r, lines, max, w);
	case KRROW_NOTE:
		escape_text(esc, sizeof esc, k->notes[r->idx], strlen(k->notes[r->idx]));
		snprintf(buf, sizeof buf, "note: %s", esc);
		return wrap_text(buf, w, lines, max);
	default:
		return krlist_describe(k, r, NULL, lines, max, w);
	}
}

/* "3.1G available: 18M kernel code, ..." (units_size, as everywhere) */
static void draw_mem(const struct kranges *k, int y, int w, attr_t at)
{
	char t[160], esc[1024], sz[16];
	size_t i, l = 0;

	t[0] = '\0';
	for (i = 0; i < k->mem.nitems && l < sizeof t; i++) {
		units_size(sz, sizeof sz, k->mem.item[i].kib * 1024);
		l += (size_t)snprintf(t + l, sizeof t - l, "%s%s %s",
				      i ? ", " : "", sz, k->mem.item[i].label);
	}
	escape_text(esc, sizeof esc, t, strlen(t));
	units_size(sz, sizeof sz, k->mem.available_kib * 1024);
	draw_fmt_cut(y, 0, w, at, "%s available%s%s", sz,
		 esc[0] ? ": " : "", esc);
}

/* The rows of the kernel screen's own: memory, command line, sources,
 * notes. */
static void draw_other(void *screen, const struct krrow *r, bool sel, int y,
		       int w)
{
	struct kernel_screen *d = screen;
	struct app *a = d->l.app;
	const struct kranges *k = &a->kv.k;
	attr_t at = app_attr(a, sel ? EL_SELECTED : r->type == KRROW_NOTE ?
			     EL_DIM : EL_NORMAL);
	char esc[1024], lines[1][256];

	draw_fill(y, 0, w, at);
	if (r->type == KRROW_MEM) {
		draw_mem(k, y, w, at);
	} else if (r->type == KRROW_CMDLINE) {
		escape_text(esc, sizeof esc, k->cmdline, strlen(k->cmdline));
		draw_text_cut(y, 0, w, at, esc);
	} else if (r->type == KRROW_SOURCE) {
		const struct ksource_info *si = &k->sources[r->idx];

		escape_text(esc, sizeof esc, si->detail, strlen(si->detail));
		if (si->used)
			draw_fmt_cut(y, 0, w, at, "%-20s %u ranges (%s)",
				 ksrc_name((enum ksrc)r->idx), si->ranges, esc);
		else
			draw_fmt_cut(y, 0, w, sel ? at : app_attr(a, EL_DIM),
				 "%-20s not used: %s",
				 ksrc_name((enum ksrc)r->idx), esc);
	} else if (describe(k, r, lines, 1, 255)) {
		draw_text_cut(y, 0, w, at, lines[0]);
	}
}

static bool matches_other(void *screen, const struct krrow *r,
			  const char *t)
{
	struct kernel_screen *d = screen;
	char lines[8][256];
	int n = describe(&d->l.app->kv.k, r, lines, 8, 255), i;

	for (i = 0; i < n; i++)
		if (text_match(lines[i], t))
			return true;
	return false;
}

/* The selected item over the whole body. */
static void draw_full(struct kernel_screen *d, const struct kranges *k,
		      int y, int h, int w)
{
	char lines[40][256];
	int n = describe(k, krlist_sel(&d->l), lines, 40, w), i;

	draw_fill(y, 0, w, app_attr(d->l.app, EL_HEADER));
	draw_text(y, 0, w, app_attr(d->l.app, EL_HEADER),
		  "the selected item in full (Enter or Esc: back)", false);
	d->nfull = n;
	if (d->ftop > n - (h - 1))
		d->ftop = n - (h - 1);
	if (d->ftop < 0)
		d->ftop = 0;
	for (i = 0; i + 1 < h && d->ftop + i < n; i++)
		draw_text(y + 1 + i, 0, w, app_attr(d->l.app, EL_NORMAL),
			  lines[d->ftop + i], false);
}

static void kernel_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct kernel_screen *d = KS(s);
	const struct kranges *k = krlist_model(&d->l);
	int ph = panel_rows(h);
	char lines[40][256];

	(void)a;
	if (d->l.err[0] || !k) {
		krlist_draw_error(&d->l, y, h, w, "reading the kernel's ranges");
		return;
	}
	if (d->full && krlist_sel(&d->l)) {
		draw_full(d, k, y, h, w);
		return;
	}
	krlist_draw(&d->l, y, w);
	if (ph && d->l.n) {
		int py = y + h - ph;

		draw_hline(py, 0, w, app_attr(a, EL_BORDER));
		krlist_draw_lines(a, lines,
				  describe(k, krlist_sel(&d->l), lines, ph - 1, w),
				  py + 1, w);
	}
}

static void kernel_info(struct screen *s, struct app *a, char *buf, size_t n,
			int *elem)
{
	struct kernel_screen *d = KS(s);
	const struct kranges *k = krlist_model(&d->l);
	const struct krrow *r = krlist_sel(&d->l);

	*elem = EL_INFO;
	buf[0] = '\0';
	if (!k || !r)
		return;
	if (d->full) {
		snprintf(buf, n, "Enter or Esc: back to the list%s",
			 d->nfull > d->l.lv.h ? " | Up/Down scroll" : "");
		return;
	}
	if (r->type == KRROW_RANGE) {
		const struct krange *kr = &k->r[r->idx];
		const char *note = kranges_area_note(kr->name);
		char esc[256], src[64] = "";

		escape_text(esc, sizeof esc, kr->name, strlen(kr->name));
		if (kr->nsrc)
			kranges_src_short(&kr->src[0], src, sizeof src);
		snprintf(buf, n, "%s%s%s [%s%s] | Enter: its sources", esc,
			 note ? ": " : "", note ? note : "", src,
			 kr->nsrc > 1 ? ", ..." : "");
	} else if (r->type == KRROW_HIDDEN) {
		krlist_hidden_info(k, r, buf, n, elem);
	} else {
		snprintf(buf, n, "Enter: the whole text");
	}
	(void)a;
}

static void kernel_title(struct screen *s, struct app *a, char *buf, size_t n)
{
	struct kernel_screen *d = KS(s);
	char rel[160];
	const char *r = a->kv.loaded && a->kv.k.bootlog_kernel[0] ?
			a->kv.k.bootlog_kernel : a->root->release;

	escape_text(rel, sizeof rel, r, strlen(r));
	snprintf(buf, n, "vmscope | kernel: %zu virtual range%s, %zu hidden | %s",
		 d->nranges, d->nranges == 1 ? "" : "s", d->nhidden, rel);
}

/* Keys while one item is shown in full: scroll, or back to the list. */
static bool full_action(struct kernel_screen *d, enum action act)
{
	switch (act) {
	case ACT_OPEN: case ACT_BACK:
		d->full = false;
		return true;
	case ACT_UP: d->ftop--; return true;
	case ACT_DOWN: d->ftop++; return true;
	case ACT_PGUP: d->ftop -= d->l.lv.h; return true;
	case ACT_PGDN: d->ftop += d->l.lv.h; return true;
	case ACT_HOME: d->ftop = 0; return true;
	case ACT_END: d->ftop = d->nfull; return true;
	default: return false;
	}
}

static bool kernel_action(struct screen *s, struct app *a, enum action act)
{
	struct kernel_screen *d = KS(s);

	if (d->full && full_action(d, act))
		return true;
	if (listview_move(&d->l.lv, act))
		return true;
	switch (act) {
	case ACT_OPEN:
		if (d->l.n) {
			d->full = true;
			d->ftop = 0;
		}
		return true;
	case ACT_REREAD:
		if (krlist_reread(&d->l, "reading the ranges again"))
			app_message(a, EL_MESSAGE, "ranges read again in %.0f ms",
				    a->kv.load_ms);
		return true;
	default:
		return false;
	}
}

static bool kernel_search(struct screen *s, struct app *a, const char *text,
			  int dir, bool from_here)
{
	struct kernel_screen *d = KS(s);

	(void)a;
	if (!krlist_search(&d->l, text, dir, from_here))
		return false;
	d->full = false;
	return true;
}

static bool kernel_goto(struct screen *s, struct app *a, uint64_t addr)
{
	struct kernel_screen *d = KS(s);

	(void)a;
	d->full = false;
	krlist_goto(&d->l, addr);
	return true;
}

static void kernel_destroy(struct screen *s)
{
	krlist_free(&KS(s)->l);
	free(s);
}

static const struct screen_ops kernel_ops = {
	.name = "kernel",
	.context = kernel_context,
	.update = kernel_update,
	.draw = kernel_draw,
	.info = kernel_info,
	.title = kernel_title,
	.action = kernel_action,
	.search = kernel_search,
	.filter = NULL,
	.goto_addr = kernel_goto,
	.destroy = kernel_destroy,
};

static const struct krlist_ops kernel_list_ops = {
	.build = build,
	.select_addr = select_addr,
	.draw_other = draw_other,
	.matches_other = matches_other,
};

struct screen *screen_kernel_new(struct app *a, bool has_addr, uint64_t addr,
				 struct vms_err *e)
{
	struct kernel_screen *d = calloc(1, sizeof *d);

	if (!d) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	d->base.ops = &kernel_ops;
	krlist_init(&d->l, a, false, &kernel_list_ops, d, has_addr, addr);
	return &d->base;
}
