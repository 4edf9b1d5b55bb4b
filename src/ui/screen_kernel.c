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
#include "uiint.h"
#include "vmscope/escape.h"

enum krow_type {
	KROW_SECTION, KROW_RANGE, KROW_HIDDEN, KROW_MEM, KROW_CMDLINE,
	KROW_SOURCE, KROW_NOTE, KROW_EMPTY,
};

struct krow {
	uint8_t type;
	size_t idx;             /* into k->r, k->hidden, sources, notes */
	const char *text;       /* KROW_SECTION, KROW_EMPTY: static text */
};

struct kernel_screen {
	struct screen base;
	struct krow *rows;
	size_t n, cap;
	unsigned gen;           /* krview gen the rows were built for */
	bool built;
	long sel, top;
	int h;
	bool full;              /* the selected item's text over the body */
	long ftop;              /* first line shown in full mode */
	int nfull;
	bool want_addr;         /* select the range of addr once built */
	uint64_t addr;
	char err[512];          /* the model could not be read */
	size_t nranges, nhidden;
	int digits;
};

#define KS(s) ((struct kernel_screen *)(s))

static void add_row(struct kernel_screen *d, int type, size_t idx,
		    const char *text)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct krow *nr = realloc(d->rows, cap * sizeof *nr);

		if (!nr)
			return;
		d->rows = nr;
		d->cap = cap;
	}
	d->rows[d->n].type = (uint8_t)type;
	d->rows[d->n].idx = idx;
	d->rows[d->n].text = text;
	d->n++;
}

static bool selectable(const struct krow *r)
{
	return r->type != KROW_SECTION;
}

static void build(struct kernel_screen *d, const struct kranges *k)
{
	size_t i, l;
	uint64_t max = 0;

	d->n = 0;
	d->nranges = d->nhidden = 0;
	add_row(d, KROW_SECTION, 0, "kernel virtual layout (START-END, end exclusive)");
	for (l = 0; l < 2; l++)
		for (i = k->slice[KSPACE_VIRT][l][0]; i < k->slice[KSPACE_VIRT][l][1]; i++) {
			add_row(d, KROW_RANGE, i, NULL);
			d->nranges++;
			if (k->r[i].end - 1 > max)
				max = k->r[i].end - 1;
		}
	if (!d->nranges)
		add_row(d, KROW_EMPTY, 0,
			"none known: no boot log \"Virtual kernel memory layout\", no /proc/kallsyms or /proc/modules that was read (see the sources below)");
	/* right under the layout: they say why it may be short or empty */
	if (k->nnotes)
		add_row(d, KROW_SECTION, 0, "notes");
	for (i = 0; i < k->nnotes; i++)
		add_row(d, KROW_NOTE, i, NULL);
	for (i = 0; i < k->nhidden; i++) {
		if (k->hidden[i].src == KSRC_IOMEM)
			continue;   /* physical: the physical map shows those */
		if (!d->nhidden)
			add_row(d, KROW_SECTION, 0,
				"hidden by the kernel (never shown as addresses)");
		add_row(d, KROW_HIDDEN, i, NULL);
		d->nhidden++;
	}
	if (k->mem.present) {
		add_row(d, KROW_SECTION, 0, "memory (boot log)");
		add_row(d, KROW_MEM, 0, NULL);
	}
	if (k->cmdline) {
		add_row(d, KROW_SECTION, 0, "kernel command line");
		add_row(d, KROW_CMDLINE, 0, NULL);
	}
	add_row(d, KROW_SECTION, 0, "sources");
	for (i = 0; i < KSRC__COUNT; i++) {
		const struct ksource_info *s = &k->sources[i];

		if (i == KSRC_DERIVED || (!s->used && !s->detail[0]))
			continue;
		add_row(d, KROW_SOURCE, i, NULL);
	}
	d->digits = 8;
	while (d->digits < 16 && (max >> (4 * d->digits)))
		d->digits++;
	d->digits = d->digits > 8 ? 16 : 8;
	d->built = true;
}

/* Move the selection by dir until it is on a selectable row. */
static void skip_sections(struct kernel_screen *d, int dir)
{
	long i = d->sel;

	while (i >= 0 && i < (long)d->n && !selectable(&d->rows[i]))
		i += dir;
	if (i < 0 || i >= (long)d->n) {
		/* none that way: the other way */
		i = d->sel;
		while (i >= 0 && i < (long)d->n && !selectable(&d->rows[i]))
			i -= dir;
	}
	if (i >= 0 && i < (long)d->n)
		d->sel = i;
}

static void select_addr(struct kernel_screen *d, struct app *a,
			const struct kranges *k, uint64_t addr)
{
	const struct krange *r = kranges_lookup(k, KSPACE_VIRT, addr);
	size_t i;

	if (!r) {
		app_message(a, EL_WARN,
			    "no kernel virtual range known holds 0x%llx",
			    (unsigned long long)addr);
		return;
	}
	for (i = 0; i < d->n; i++)
		if (d->rows[i].type == KROW_RANGE && &k->r[d->rows[i].idx] == r) {
			d->sel = (long)i;
			d->top = d->sel > 1 ? d->sel - 1 : 0;
			break;
		}
}

static const struct kranges *model(struct kernel_screen *d, struct app *a)
{
	struct vms_err e;
	const struct kranges *k = krview_get(a, true, &e);

	if (!k) {
		snprintf(d->err, sizeof d->err, "%s", e.msg);
		return NULL;
	}
	d->err[0] = '\0';
	return k;
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
	const struct kranges *k;
	int rc = 0, lh = h - 1 - panel_rows(h);

	(void)w;
	(void)re;
	(void)e;
	s->stale = false;
	if (lh < 1)
		lh = 1;
	if (d->h != lh) {
		d->h = lh;
		rc = 1;
	}
	if (!(k = model(d, a)))
		return 1;
	if (!d->built || d->gen != a->kv.gen) {
		build(d, k);
		d->gen = a->kv.gen;
		skip_sections(d, 1);
		if (d->want_addr) {
			d->want_addr = false;
			select_addr(d, a, k, d->addr);
		}
		rc = 1;
	}
	list_clamp(&d->sel, &d->top, (long)d->n, d->h);
	return rc;
}

/* The lines describing row r (escaped), for the panel and full view. */
static int describe(const struct kranges *k, const struct krow *r,
		    char lines[][256], int max, int w)
{
	char buf[2048], esc[1024];
	int n = 0;

#define PUT(text) do { if (n < max) n += wrap_text((text), w, lines + n, max - n); } while (0)
	switch (r->type) {
	case KROW_RANGE: {
		const struct krange *kr = &k->r[r->idx];
		const char *note = kranges_area_note(kr->name);
		char path[1024], sz[32];

		kranges_path(k, kr, " > ", path, sizeof path);
		escape_text(esc, sizeof esc, path, strlen(path));
		units_size(sz, sizeof sz, kr->end - kr->start);
		snprintf(buf, sizeof buf, "%s: %s %s, 0x%llx-0x%llx%s%s", esc,
			 sz, krange_kind_name(kr->kind),
			 (unsigned long long)kr->start,
			 (unsigned long long)kr->end, note ? ": " : "",
			 note ? note : "");
		PUT(buf);
		if (n < max)
			n += krview_src_lines(k, kr, lines + n, max - n, w);
		break;
	}
	case KROW_HIDDEN:
		if (n < max)
			n += krview_hidden_lines(k, &k->hidden[r->idx], lines + n,
						 max - n, w);
		break;
	case KROW_MEM:
		snprintf(buf, sizeof buf, "boot log line %u:", k->mem.line);
		PUT(buf);
		escape_text(esc, sizeof esc, k->mem.text ? k->mem.text : "",
			    k->mem.text ? strlen(k->mem.text) : 0);
		PUT(esc);
		break;
	case KROW_CMDLINE:
		snprintf(buf, sizeof buf, "from %s:", k->cmdline_src == KSRC_CMDLINE
			 ? "/proc/cmdline" : "the boot log");
		PUT(buf);
		escape_text(esc, sizeof esc, k->cmdline, strlen(k->cmdline));
		PUT(esc);
		break;
	case KROW_SOURCE: {
		const struct ksource_info *si = &k->sources[r->idx];

		escape_text(esc, sizeof esc, si->detail, strlen(si->detail));
		if (si->used)
			snprintf(buf, sizeof buf, "%s: read, %u lines or entries, %u ranges (%s)",
				 ksrc_name((enum ksrc)r->idx), si->lines, si->ranges,
				 esc);
		else
			snprintf(buf, sizeof buf, "%s: not used: %s",
				 ksrc_name((enum ksrc)r->idx), esc);
		PUT(buf);
		if (r->idx == KSRC_BOOTLOG && k->bootlog_kernel[0]) {
			escape_text(esc, sizeof esc, k->bootlog_kernel,
				    strlen(k->bootlog_kernel));
			snprintf(buf, sizeof buf, "the log names kernel %s", esc);
			PUT(buf);
		}
		break;
	}
	case KROW_NOTE:
		escape_text(esc, sizeof esc, k->notes[r->idx], strlen(k->notes[r->idx]));
		snprintf(buf, sizeof buf, "note: %s", esc);
		PUT(buf);
		break;
	default:
		if (r->text)
			PUT(r->text);
		break;
	}
#undef PUT
	return n;
}

static void draw_row(struct kernel_screen *d, struct app *a,
		     const struct kranges *k, const struct krow *r, int y,
		     int w, bool sel)
{
	int dg = d->digits, x;
	bool both = w >= 2 * dg + 1 + 16 + 12;
	bool kind = w >= (both ? 2 * dg + 1 : dg) + 16 + 16;
	int aw = both ? 2 * dg + 1 : dg;
	char buf[1200], esc[1024], sz[32], a1[20], a2[20];
	attr_t at = app_attr(a, EL_NORMAL);

	switch (r->type) {
	case KROW_SECTION:
		draw_fill(y, 0, w, app_attr(a, EL_KEY));
		draw_text(y, 0, w, app_attr(a, EL_KEY), r->text, false);
		return;
	case KROW_RANGE: {
		const struct krange *kr = &k->r[r->idx];
		const char *note = kranges_area_note(kr->name);

		at = app_attr(a, sel ? EL_SELECTED : krview_kind_elem(kr));
		draw_fill(y, 0, w, at);
		fmt_addr(a1, sizeof a1, kr->start, dg);
		fmt_addr(a2, sizeof a2, kr->end, dg);
		units_size(sz, sizeof sz, kr->end - kr->start);
		if (both)
			snprintf(buf, sizeof buf, "%s-%s", a1, a2);
		else
			snprintf(buf, sizeof buf, "%s", a1);
		x = draw_fmt(y, 0, w, at, false, "%-*s %6s ", aw, buf, sz);
		if (kind)
			x += draw_fmt(y, x, w - x, at, false, "%-8s ",
				      krange_kind_name(kr->kind));
		escape_text(esc, sizeof esc, kr->name, strlen(kr->name));
		x += draw_fmt(y, x, w - x, at, false, "%*s%s", (int)(2 * kr->depth),
			      "", esc);
		if (note && x + 4 < w)
			draw_fmt(y, x, w - x, sel ? at : app_attr(a, EL_DIM), false,
				 "  %s", note);
		return;
	}
	case KROW_HIDDEN: {
		const struct krange_hidden *hd = &k->hidden[r->idx];

		at = app_attr(a, sel ? EL_SELECTED : EL_WARN);
		draw_fill(y, 0, w, at);
		escape_text(esc, sizeof esc, hd->what, strlen(hd->what));
		x = draw_fmt(y, 0, w, at, false, "%-*s %6s ", aw, "(hidden)", "-");
		if (kind)
			x += draw_fmt(y, x, w - x, at, false, "%-8s ", "hidden");
		if (hd->count > 1)
			draw_fmt(y, x, w - x, at, false, "%s (%u entries)", esc,
				 hd->count);
		else
			draw_text(y, x, w - x, at, esc, false);
		return;
	}
	default: {
		char lines[1][256];

		at = app_attr(a, sel ? EL_SELECTED : r->type == KROW_EMPTY ||
			      r->type == KROW_NOTE ? EL_DIM : EL_NORMAL);
		draw_fill(y, 0, w, at);
		if (r->type == KROW_MEM) {
			char t[160];
			size_t i, l = 0;

			t[0] = '\0';
			for (i = 0; i < k->mem.nitems && l < sizeof t; i++)
				l += (size_t)snprintf(t + l, sizeof t - l, "%s%lluK %s",
						      i ? ", " : "",
						      (unsigned long long)k->mem.item[i].kib,
						      k->mem.item[i].label);
			escape_text(esc, sizeof esc, t, strlen(t));
			draw_fmt(y, 0, w, at, false, "%lluK available%s%s",
				 (unsigned long long)k->mem.available_kib,
				 esc[0] ? ": " : "", esc);
			return;
		}
		if (r->type == KROW_CMDLINE) {
			escape_text(esc, sizeof esc, k->cmdline, strlen(k->cmdline));
			draw_text(y, 0, w, at, esc, false);
			return;
		}
		if (r->type == KROW_SOURCE) {
			const struct ksource_info *si = &k->sources[r->idx];

			escape_text(esc, sizeof esc, si->detail, strlen(si->detail));
			if (si->used)
				draw_fmt(y, 0, w, at, false, "%-20s %u ranges (%s)",
					 ksrc_name((enum ksrc)r->idx), si->ranges, esc);
			else
				draw_fmt(y, 0, w, sel ? at : app_attr(a, EL_DIM), false,
					 "%-20s not used: %s",
					 ksrc_name((enum ksrc)r->idx), esc);
			return;
		}
		if (describe(k, r, lines, 1, 255))
			draw_text(y, 0, w, at, lines[0], false);
		return;
	}
	}
}

static void kernel_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct kernel_screen *d = KS(s);
	const struct kranges *k = a->kv.loaded ? &a->kv.k : NULL;
	int ph = panel_rows(h), i, dg = d->digits;
	bool both = w >= 2 * dg + 1 + 16 + 12;
	bool kind = w >= (both ? 2 * dg + 1 : dg) + 16 + 16;
	char lines[40][256];

	if (d->err[0] || !k || !d->built) {
		int n = wrap_text(d->err[0] ? d->err : "reading the kernel's ranges",
				  w, lines, h < 40 ? h : 40);

		for (i = 0; i < n; i++)
			draw_text(y + i, 0, w, app_attr(a, EL_ERROR), lines[i], false);
		return;
	}
	draw_fill(y, 0, w, app_attr(a, EL_HEADER));
	if (d->full)
		draw_text(y, 0, w, app_attr(a, EL_HEADER),
			  "the selected item in full (Enter or Esc: back)", false);
	else
		draw_fmt(y, 0, w, app_attr(a, EL_HEADER), false, "%-*s %6s %s%s",
			 both ? 2 * dg + 1 : dg, both ? "START-END" : "START",
			 "SIZE", kind ? "KIND     " : "", "NAME");
	if (d->full) {
		/* the selected item over the whole body */
		int n = describe(k, &d->rows[d->sel], lines, 40, w);

		d->nfull = n;
		if (d->ftop > n - (h - 1))
			d->ftop = n - (h - 1);
		if (d->ftop < 0)
			d->ftop = 0;
		for (i = 0; i + 1 < h && d->ftop + i < n; i++)
			draw_text(y + 1 + i, 0, w, app_attr(a, EL_NORMAL),
				  lines[d->ftop + i], false);
		return;
	}
	for (i = 0; i < d->h && d->top + i < (long)d->n; i++)
		draw_row(d, a, k, &d->rows[d->top + i], y + 1 + i, w,
			 d->top + i == d->sel);
	if (ph && d->n) {
		int n, py = y + h - ph;

		draw_hline(py, 0, w, app_attr(a, EL_BORDER));
		n = describe(k, &d->rows[d->sel], lines, ph - 1, w);
		for (i = 0; i < n; i++)
			draw_text(py + 1 + i, 0, w, app_attr(a, i ? EL_DIM : EL_INFO),
				  lines[i], false);
	}
}

static void kernel_info(struct screen *s, struct app *a, char *buf, size_t n,
			int *elem)
{
	struct kernel_screen *d = KS(s);
	const struct kranges *k = a->kv.loaded ? &a->kv.k : NULL;
	const struct krow *r;

	*elem = EL_INFO;
	buf[0] = '\0';
	if (!k || !d->built || !d->n)
		return;
	if (d->full) {
		snprintf(buf, n, "Enter or Esc: back to the list%s",
			 d->nfull > d->h ? " | Up/Down scroll" : "");
		return;
	}
	r = &d->rows[d->sel];
	if (r->type == KROW_RANGE) {
		const struct krange *kr = &k->r[r->idx];
		const char *note = kranges_area_note(kr->name);
		char esc[256], src[64] = "";

		escape_text(esc, sizeof esc, kr->name, strlen(kr->name));
		if (kr->nsrc)
			kranges_src_short(&kr->src[0], src, sizeof src);
		snprintf(buf, n, "%s%s%s [%s%s] | Enter: its sources", esc,
			 note ? ": " : "", note ? note : "", src,
			 kr->nsrc > 1 ? ", ..." : "");
	} else if (r->type == KROW_HIDDEN) {
		char why[512];

		*elem = EL_WARN;
		escape_text(why, sizeof why, k->hidden[r->idx].why,
			    strlen(k->hidden[r->idx].why));
		snprintf(buf, n, "hidden: %s", why);
	} else {
		snprintf(buf, n, "Enter: the whole text");
	}
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

static bool kernel_action(struct screen *s, struct app *a, enum action act)
{
	struct kernel_screen *d = KS(s);
	long before = d->sel;

	if (d->full) {
		switch (act) {
		case ACT_OPEN: case ACT_BACK:
			d->full = false;
			return true;
		case ACT_UP: d->ftop--; return true;
		case ACT_DOWN: d->ftop++; return true;
		case ACT_PGUP: d->ftop -= d->h; return true;
		case ACT_PGDN: d->ftop += d->h; return true;
		case ACT_HOME: d->ftop = 0; return true;
		case ACT_END: d->ftop = d->nfull; return true;
		default: break;
		}
	}
	if (list_move(&d->sel, (long)d->n, d->h, act)) {
		skip_sections(d, d->sel >= before ? 1 : -1);
		list_clamp(&d->sel, &d->top, (long)d->n, d->h);
		/* a section title above the first item stays in view */
		if (d->sel > 0 && d->top == d->sel && !selectable(&d->rows[d->sel - 1]))
			d->top--;
		return true;
	}
	switch (act) {
	case ACT_OPEN:
		if (d->n) {
			d->full = true;
			d->ftop = 0;
		}
		return true;
	case ACT_REREAD: {
		struct vms_err e;

		if (app_snapshot_refuses(a, "reading the ranges again"))
			return true;
		if (krview_reload(a, &e) < 0)
			app_message(a, EL_ERROR, "%s", e.msg);
		else
			app_message(a, EL_MESSAGE, "ranges read again in %.0f ms",
				    a->kv.load_ms);
		return true;
	}
	default:
		return false;
	}
}

static bool row_matches(const struct kranges *k, const struct krow *r,
			const char *t)
{
	char lines[8][256];
	int n, i;

	if (r->type == KROW_SECTION)
		return false;
	if (r->type == KROW_RANGE)
		return text_match(k->r[r->idx].name, t) ||
		       text_match(krange_kind_name(k->r[r->idx].kind), t);
	if (r->type == KROW_HIDDEN)
		return text_match(k->hidden[r->idx].what, t);
	n = describe(k, r, lines, 8, 255);
	for (i = 0; i < n; i++)
		if (text_match(lines[i], t))
			return true;
	return false;
}

static bool kernel_search(struct screen *s, struct app *a, const char *text,
			  int dir, bool from_here)
{
	struct kernel_screen *d = KS(s);
	const struct kranges *k = a->kv.loaded ? &a->kv.k : NULL;
	long n = (long)d->n, i, j;
	uint64_t addr;

	if (!k || !n)
		return false;
	if (parse_addr(text, &addr) && kranges_lookup(k, KSPACE_VIRT, addr)) {
		select_addr(d, a, k, addr);
		list_clamp(&d->sel, &d->top, (long)d->n, d->h);
		return true;
	}
	for (j = from_here ? 0 : 1; j <= n; j++) {
		i = ((d->sel + dir * j) % n + n) % n;
		if (row_matches(k, &d->rows[i], text)) {
			d->sel = i;
			d->full = false;
			list_clamp(&d->sel, &d->top, (long)d->n, d->h);
			return true;
		}
	}
	return false;
}

static bool kernel_goto(struct screen *s, struct app *a, uint64_t addr)
{
	struct kernel_screen *d = KS(s);

	if (!d->built || d->gen != a->kv.gen) {
		d->want_addr = true;
		d->addr = addr;
		return true;
	}
	d->full = false;
	select_addr(d, a, &a->kv.k, addr);
	list_clamp(&d->sel, &d->top, (long)d->n, d->h);
	return true;
}

static void kernel_destroy(struct screen *s)
{
	free(KS(s)->rows);
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

struct screen *screen_kernel_new(struct app *a, bool has_addr, uint64_t addr,
				 struct vms_err *e)
{
	struct kernel_screen *d;

	(void)a;
	d = calloc(1, sizeof *d);
	if (!d) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	d->base.ops = &kernel_ops;
	d->h = 1;
	d->want_addr = has_addr;
	d->addr = addr;
	return &d->base;
}
