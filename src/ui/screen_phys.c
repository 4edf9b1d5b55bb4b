/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_phys: the physical map, nested like /proc/iomem (RAM, the
 * kernel image, reserved and device ranges, ioremaps, UIO maps) with the
 * zones and nodes below, each range with its sources; above it a heat
 * strip of all RAM from kpageflags, each cell a run of frames coloured by
 * the kind most of them are.  Enter lists a range's frames; w asks which
 * processes map it.
 *
 * The heat strip reads every frame's flags (aggregates, not samples):
 * about 15 ms per GiB, so it is read once when the screen opens and again
 * only on R, in slices of about 30 ms between keys (the screen stays
 * usable while it fills).  It is kept in fine cells (up to 2048, each a
 * whole number of 1024-frame blocks, so a free block never straddles two)
 * that the screen's cells add up. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vmscope/ramclass.h"
#include "vmscope/units.h"
#include "app.h"
#include "draw.h"
#include "krlist.h"
#include "screens.h"
#include "vmscope/escape.h"

#define FINE_MAX 2048
#define SLICE_MS 30.0
#define GROUP_PFNS (UINT64_C(1) << 18)
#define AXIS_W 6        /* the strip's margin: a row's first address */

enum heat_state { HEAT_NONE, HEAT_RUNNING, HEAT_DONE, HEAT_FAILED };

struct phys_screen {
	struct screen base;
	struct krlist l;
	size_t nranges;
	uint64_t addr;          /* the :phys address: frames open there */
	bool have_addr;
	/* heat strip */
	enum heat_state heat;
	char heat_err[512];
	struct kheat_cell *fine;
	size_t nfine, done;
	uint64_t pfn0, cpfn;    /* first PFN, PFNs per fine cell */
	uint64_t ram_lo, ram_hi;/* the RAM extent (bytes) it was read for */
	double heat_ms;
	char heat_when[16];
	uint64_t total[KHEAT__COUNT];
	struct ramclass rc;     /* the walk (free blocks, deferred tails) */
};

#define PS(s) ((struct phys_screen *)(s))

static void build(void *screen, const struct kranges *k)
{
	struct phys_screen *d = screen;
	size_t i;
	bool any_hidden = false;

	d->nranges = 0;
	krlist_add(&d->l, KRROW_SECTION, 0,
		   "physical map (START-LAST inclusive, as in /proc/iomem)");
	for (i = k->slice[KSPACE_PHYS][0][0]; i < k->slice[KSPACE_PHYS][0][1]; i++) {
		krlist_add(&d->l, KRROW_RANGE, i, NULL);
		d->nranges++;
	}
	if (!d->nranges)
		krlist_add(&d->l, KRROW_EMPTY, 0,
			   "none known: no /proc/iomem, firmware memmap, boot log or UIO map was read (see the kernel screen's sources: v)");
	for (i = 0; i < k->nhidden; i++)
		if (k->hidden[i].src == KSRC_IOMEM) {
			if (!any_hidden)
				krlist_add(&d->l, KRROW_SECTION, 0,
					   "hidden by the kernel (never shown as addresses)");
			any_hidden = true;
			krlist_add(&d->l, KRROW_HIDDEN, i, NULL);
		}
	if (k->slice[KSPACE_PHYS][1][1] > k->slice[KSPACE_PHYS][1][0]) {
		krlist_add(&d->l, KRROW_SECTION, 0, "memory zones and nodes");
		for (i = k->slice[KSPACE_PHYS][1][0]; i < k->slice[KSPACE_PHYS][1][1]; i++)
			krlist_add(&d->l, KRROW_RANGE, i, NULL);
	}
	d->l.digits = krview_phys_digits(k);
}

static void select_addr(void *screen, const struct kranges *k, uint64_t addr)
{
	struct phys_screen *d = screen;
	const struct krange *r = krlist_lookup(&d->l, k, addr);

	d->have_addr = true;
	d->addr = addr;
	if (!r) {
		app_message(d->l.app, EL_WARN,
			    "no physical range known holds 0x%llx (Enter on a range lists its frames)",
			    (unsigned long long)addr);
		return;
	}
	krlist_select_range(&d->l, k, r);
}

/* ---- the heat strip ---- */

static void heat_start(struct phys_screen *d, struct app *a,
		       const struct kranges *k)
{
	unsigned shift = a->root->page_shift;
	uint64_t lo, hi, plo, phi, span;
	struct vms_err e;

	d->heat = HEAT_FAILED;
	d->done = 0;
	d->heat_ms = 0;
	memset(d->total, 0, sizeof d->total);
	if (!a->root->live) {
		/* most frames would read as "no flags" and look used */
		snprintf(d->heat_err, sizeof d->heat_err,
			 "no heat strip: a snapshot keeps the flags of the frames its processes mapped, not of all RAM");
		return;
	}
	if (!krview_kpage(a, PAGES_KFLAGS, &e)) {
		snprintf(d->heat_err, sizeof d->heat_err, "no heat strip: %s", e.msg);
		return;
	}
	if (!kranges_ram_extent(k, &lo, &hi)) {
		snprintf(d->heat_err, sizeof d->heat_err,
			 "no heat strip: no RAM range is known (no /proc/iomem, firmware memmap or boot log)");
		return;
	}
	if (kranges_ram_tails(k, krview_kpage(a, PAGES_KFLAGS, &e), shift,
			      a->root->addr_bits, &d->rc, &e) < 0) {
		snprintf(d->heat_err, sizeof d->heat_err, "no heat strip: %s", e.msg);
		return;
	}
	d->ram_lo = lo;
	d->ram_hi = hi;
	plo = lo >> shift;
	phi = (hi + ((UINT64_C(1) << shift) - 1)) >> shift;
	span = phi - plo;
	d->cpfn = (span + FINE_MAX - 1) / FINE_MAX;
	if (d->cpfn >= 1024) {
		/* whole 1024-frame blocks: no free block in two cells */
		d->cpfn = (d->cpfn + 1023) & ~UINT64_C(1023);
		d->pfn0 = plo & ~UINT64_C(1023);
	} else {
		d->pfn0 = plo;
	}
	if (d->cpfn == 0)
		d->cpfn = 1;
	d->nfine = (size_t)((phi - d->pfn0 + d->cpfn - 1) / d->cpfn);
	free(d->fine);
	d->fine = calloc(d->nfine ? d->nfine : 1, sizeof *d->fine);
	if (!d->fine) {
		snprintf(d->heat_err, sizeof d->heat_err, "no heat strip: out of memory");
		return;
	}
	d->heat = HEAT_RUNNING;
	{
		time_t t = time(NULL);
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(d->heat_when, sizeof d->heat_when, "%H:%M:%S", &tm);
	}
}

/* Read fine cells for about SLICE_MS; done when all are read. */
static void heat_slice(struct phys_screen *d, struct app *a,
		       const struct kranges *k)
{
	double t0 = app_now(), t;
	struct vms_err e;
	struct kpage *kp = krview_kpage(a, PAGES_KFLAGS, &e);

	if (!kp) {
		d->heat = HEAT_FAILED;
		snprintf(d->heat_err, sizeof d->heat_err, "no heat strip: %s", e.msg);
		return;
	}
	while (d->done < d->nfine) {
		size_t g = (size_t)(GROUP_PFNS / d->cpfn), i, c;
		struct kheat_opts o = { .rc = &d->rc,
					.addr_bits = a->root->addr_bits };

		if (g < 1)
			g = 1;
		if (g > d->nfine - d->done)
			g = d->nfine - d->done;
		o.pfn_start = d->pfn0 + (uint64_t)d->done * d->cpfn;
		o.pfn_end = o.pfn_start + (uint64_t)g * d->cpfn;
		t = app_now();
		if (kranges_ram_heat(k, kp, a->root->page_shift, &o, g,
				     &d->fine[d->done], &e) < 0) {
			d->heat = HEAT_FAILED;
			snprintf(d->heat_err, sizeof d->heat_err,
				 "no heat strip: %s", e.msg);
			return;
		}
		d->heat_ms += (app_now() - t) * 1e3;
		for (i = d->done; i < d->done + g; i++)
			for (c = 0; c < KHEAT__COUNT; c++)
				d->total[c] += d->fine[i].count[c];
		d->done += g;
		if ((app_now() - t0) * 1e3 >= SLICE_MS)
			break;
	}
	if (d->done >= d->nfine)
		d->heat = HEAT_DONE;
}

static int strip_rows(int h)
{
	return h >= 30 ? 3 : h >= 16 ? 2 : 1;
}

static int panel_rows(int h)
{
	return h >= 18 ? 5 : 0;
}

/* ---- the screen ---- */

static unsigned phys_context(struct screen *s)
{
	(void)s;
	return CTX_PHYS;
}

static int phys_update(struct screen *s, struct app *a, int h, int w,
		       bool re, struct vms_err *e)
{
	struct phys_screen *d = PS(s);
	const struct kranges *k;
	int lh = h - 3 - strip_rows(h) - panel_rows(h);
	bool rebuilt, rc;

	(void)w;
	(void)re;
	(void)e;
	s->stale = false;
	rc = listview_set_height(&d->l.lv, lh < 1 ? 1 : lh);
	if (!(k = krlist_update(&d->l, &rebuilt))) {
		s->busy = false;
		return 1;
	}
	if (rebuilt) {
		uint64_t lo = 0, hi = 0;

		/* the heat strip stays while RAM is where it was */
		if (d->heat == HEAT_NONE || !kranges_ram_extent(k, &lo, &hi) ||
		    lo != d->ram_lo || hi != d->ram_hi)
			heat_start(d, a, k);
		rc = true;
	}
	if (d->heat == HEAT_RUNNING) {
		heat_slice(d, a, k);
		rc = true;
	}
	s->busy = d->heat == HEAT_RUNNING;
	return rc;
}

/* Dominant category of fine cells [f0, f1) (-1: none read yet). */
static int cell_cat(const struct phys_screen *d, size_t f0, size_t f1)
{
	uint64_t cnt[KHEAT__COUNT] = { 0 };
	size_t i, c;
	int best = -1;

	if (f1 > d->done)
		f1 = d->done;
	if (f0 >= f1)
		return -1;
	for (i = f0; i < f1; i++)
		for (c = 0; c < KHEAT__COUNT; c++)
			cnt[c] += d->fine[i].count[c];
	for (c = 0; c < KHEAT__COUNT; c++)
		if (best < 0 || cnt[c] > cnt[best])
			best = (int)c;
	return best;
}

static void draw_strip(struct phys_screen *d, struct app *a, int y, int rows,
		       int w, const struct krange *sel)
{
	static const enum kheat_cat order[] = { KHEAT_FREE, KHEAT_ANON,
		KHEAT_FILE, KHEAT_SLAB, KHEAT_PGTABLE, KHEAT_RESERVED,
		KHEAT_OTHER };
	static const char *const names[] = { "free", "anon", "file", "slab",
		"ptbl", "rsvd", "other" };
	unsigned shift = a->root->page_shift;
	size_t ncell, c, i;
	int x, cols;
	char right[96] = "";

	/* caption: the legend, then how the strip was read if it fits */
	draw_fill(y, 0, w, app_attr(a, EL_HEADER));
	x = draw_text(y, 0, w, app_attr(a, EL_HEADER), "RAM heat ", false);
	if (d->heat == HEAT_RUNNING)
		snprintf(right, sizeof right, " reading %zu%%",
			 d->nfine ? d->done * 100 / d->nfine : 0);
	else if (d->heat == HEAT_DONE)
		snprintf(right, sizeof right, " %.0f ms, %s", d->heat_ms,
			 d->heat_when);
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		int need = 2 + (int)strlen(names[i]) + 1;

		if (x + need > w)
			break;
		x += draw_text(y, x, 1, app_attr(a, krview_heat_elem(order[i])),
			       krview_heat_glyph(order[i]), false);
		x += draw_fmt(y, x, w - x, app_attr(a, EL_HEADER), false, " %s ",
			      names[i]);
	}
	if (right[0] && x + (int)strlen(right) <= w)
		draw_text(y, w - (int)strlen(right), (int)strlen(right),
			  app_attr(a, EL_HEADER), right, false);
	if (d->heat == HEAT_FAILED || d->heat == HEAT_NONE) {
		char lines[3][256];
		int n = wrap_text(d->heat_err, w, lines, rows), k;

		for (k = 0; k < n; k++)
			draw_text(y + 1 + k, 0, w, app_attr(a, EL_WARN), lines[k], false);
		return;
	}
	cols = w - AXIS_W;
	if (cols < 1)
		return;
	ncell = (size_t)rows * (size_t)cols;
	if (ncell > d->nfine)
		ncell = d->nfine;
	for (c = 0; c < ncell; c++) {
		size_t f0 = c * d->nfine / ncell, f1 = (c + 1) * d->nfine / ncell;
		int cat = cell_cat(d, f0, f1), cy = y + 1 + (int)(c / (size_t)cols);
		int cx = AXIS_W + (int)(c % (size_t)cols);
		uint64_t ps = d->pfn0 + f0 * d->cpfn, pe = d->pfn0 + f1 * d->cpfn;
		attr_t at;

		if (c % (size_t)cols == 0) {
			char sz[32];

			units_size(sz, sizeof sz, ps << shift);
			draw_fmt(cy, 0, AXIS_W, app_attr(a, EL_DIM), false,
				 "%5s ", sz);
		}
		if (cat < 0) {
			draw_text(cy, cx, 1, app_attr(a, EL_DIM), "?", false);
			continue;
		}
		at = app_attr(a, krview_heat_elem((enum kheat_cat)cat));
		if (sel && (sel->start >> shift) < pe &&
		    ((sel->end - 1) >> shift) >= ps)
			at |= sel->kind != KR_ZONE && sel->kind != KR_NODE ?
			      A_UNDERLINE | A_BOLD : A_UNDERLINE;
		draw_text(cy, cx, 1, at, krview_heat_glyph((enum kheat_cat)cat),
			  false);
	}
}

/* The lines about the selected row, escaped: for a range its path,
 * size, kind, ends, PFNs, zone and node, then its sources. */
static int describe(struct app *a, const struct kranges *k,
		    const struct krrow *r, char lines[][256], int max, int w)
{
	const struct krange *kr, *z, *nd;
	char buf[2048], esc[1024], path[1024], sz[32], zn[200] = "";
	unsigned shift = a->root->page_shift;

	if (r->type != KRROW_RANGE)
		return krlist_describe(k, r, NULL, lines, max, w);
	kr = &k->r[r->idx];
	z = kranges_lookup_mm(k, KR_ZONE, kr->start);
	nd = kranges_lookup_mm(k, KR_NODE, kr->start);
	kranges_path(k, kr, " > ", path, sizeof path);
	escape_text(esc, sizeof esc, path, strlen(path));
	units_size(sz, sizeof sz, kr->end - kr->start);
	if (!krange_is_mm(kr) && (z || nd)) {
		char t[160];

		snprintf(t, sizeof t, "%s%s%s", z ? z->name : "",
			 z && nd ? ", " : "", nd ? nd->name : "");
		escape_text(zn, sizeof zn, t, strlen(t));
	}
	snprintf(buf, sizeof buf, "%s: %s %s, 0x%llx-0x%llx, PFN 0x%llx-0x%llx%s%s",
		 esc, sz, krange_kind_name(kr->kind),
		 (unsigned long long)kr->start, (unsigned long long)(kr->end - 1),
		 (unsigned long long)(kr->start >> shift),
		 (unsigned long long)((kr->end - 1) >> shift),
		 zn[0] ? " | " : "", zn);
	return krlist_describe(k, r, buf, lines, max, w);
}

/* "free 21G, anon 310M, ...": the frames of RAM by kind. */
static void heat_totals(struct phys_screen *d, struct app *a, char *buf,
			size_t n)
{
	static const char *const names[KHEAT__COUNT] = { "free", "anon",
		"file", "slab", "ptbl", "rsvd", "other", "not RAM" };
	size_t l = 0, c;

	buf[0] = '\0';
	for (c = 0; c < KHEAT_NOT_RAM && l < n; c++) {
		char sz[32];

		if (!d->total[c])
			continue;
		units_size(sz, sizeof sz, d->total[c] * a->root->page_size);
		l += (size_t)snprintf(buf + l, n - l, "%s%s %s", l ? ", " : "",
				      names[c], sz);
	}
}

static void phys_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct phys_screen *d = PS(s);
	const struct kranges *k = krlist_model(&d->l);
	int sr = strip_rows(h), ph = panel_rows(h);
	char lines[8][256];

	if (d->l.err[0] || !k) {
		krlist_draw_error(&d->l, y, h, w, "reading the physical map");
		return;
	}
	draw_strip(d, a, y, sr, w, krlist_sel_range(&d->l));
	if (d->heat == HEAT_RUNNING || d->heat == HEAT_DONE)
		krview_draw_axis(a, y + 1 + sr, w, AXIS_W,
				 (uint64_t)d->nfine * d->cpfn,
				 (size_t)sr * (size_t)(w - AXIS_W));
	krlist_draw(&d->l, y + 2 + sr, w);
	if (ph && d->l.n) {
		int py = y + h - ph;
		char tot[400];

		draw_hline(py, 0, w, app_attr(a, EL_BORDER));
		krlist_draw_lines(a, lines,
				  describe(a, k, krlist_sel(&d->l), lines, ph - 2, w),
				  py + 1, w);
		if (d->heat == HEAT_DONE) {
			heat_totals(d, a, tot, sizeof tot);
			draw_fmt(py + ph - 1, 0, w, app_attr(a, EL_DIM), false,
				 "RAM: %s", tot);
		}
	}
}

static void phys_info(struct screen *s, struct app *a, char *buf, size_t n,
		      int *elem)
{
	struct phys_screen *d = PS(s);
	const struct kranges *k = krlist_model(&d->l);
	const struct krrow *r = krlist_sel(&d->l);

	(void)a;
	*elem = EL_INFO;
	buf[0] = '\0';
	if (!k || !r)
		return;
	if (r->type == KRROW_RANGE) {
		const struct krange *kr = &k->r[r->idx];
		char esc[256], src[64] = "", sz[32];

		escape_text(esc, sizeof esc, kr->name, strlen(kr->name));
		units_size(sz, sizeof sz, kr->end - kr->start);
		if (kr->nsrc)
			kranges_src_short(&kr->src[0], src, sizeof src);
		snprintf(buf, n, "%s, %s [%s%s] | Enter: its frames  w: who maps it",
			 esc, sz, src, kr->nsrc > 1 ? ", ..." : "");
	} else if (r->type == KRROW_HIDDEN) {
		krlist_hidden_info(k, r, buf, n, elem);
	} else if (r->text) {
		snprintf(buf, n, "%s", r->text);
	}
}

static void phys_title(struct screen *s, struct app *a, char *buf, size_t n)
{
	struct phys_screen *d = PS(s);

	(void)a;
	snprintf(buf, n, "vmscope | physical map: %zu range%s%s", d->nranges,
		 d->nranges == 1 ? "" : "s",
		 d->heat == HEAT_DONE ? " | RAM heat from kpageflags (R: again)" : "");
}

/* Enter: the frames of the selected range; w: who maps them. */
static void open_range(struct phys_screen *d, struct app *a, enum action act)
{
	const struct kranges *k = krlist_model(&d->l);
	const struct krange *r = krlist_sel_range(&d->l);
	unsigned shift = a->root->page_shift;
	char path[1024];

	if (!r || !k) {
		app_message(a, EL_WARN, "not a range: nothing to open");
		return;
	}
	kranges_path(k, r, " > ", path, sizeof path);
	if (act == ACT_OPEN)
		app_open_frames(a, r->start, r->end, path,
				d->have_addr && d->addr >= r->start &&
				d->addr < r->end ? d->addr : r->start);
	else
		app_open_rmap(a, r->start >> shift, ((r->end - 1) >> shift) + 1,
			      path);
}

static bool phys_action(struct screen *s, struct app *a, enum action act)
{
	struct phys_screen *d = PS(s);

	if (listview_move(&d->l.lv, act))
		return true;
	switch (act) {
	case ACT_OPEN:
	case ACT_RMAP:
		open_range(d, a, act);
		return true;
	case ACT_REREAD:
		if (krlist_reread(&d->l, "reading the map and heat strip again")) {
			d->heat = HEAT_NONE;   /* read again at the rebuild */
			s->busy = true;
		}
		return true;
	default:
		return false;
	}
}

static bool phys_search(struct screen *s, struct app *a, const char *text,
			int dir, bool from_here)
{
	(void)a;
	return krlist_search(&PS(s)->l, text, dir, from_here);
}

static bool phys_goto(struct screen *s, struct app *a, uint64_t addr)
{
	(void)a;
	krlist_goto(&PS(s)->l, addr);
	return true;
}

static void phys_destroy(struct screen *s)
{
	struct phys_screen *d = PS(s);

	krlist_free(&d->l);
	free(d->fine);
	free(d);
}

static const struct screen_ops phys_ops = {
	.name = "physical",
	.context = phys_context,
	.update = phys_update,
	.draw = phys_draw,
	.info = phys_info,
	.title = phys_title,
	.action = phys_action,
	.search = phys_search,
	.filter = NULL,
	.goto_addr = phys_goto,
	.destroy = phys_destroy,
};

static const struct krlist_ops phys_list_ops = {
	.build = build,
	.select_addr = select_addr,
};

struct screen *screen_phys_new(struct app *a, bool has_addr, uint64_t addr,
			       struct vms_err *e)
{
	struct phys_screen *d = calloc(1, sizeof *d);

	if (!d) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	d->base.ops = &phys_ops;
	krlist_init(&d->l, a, true, &phys_list_ops, d, has_addr, addr);
	d->addr = addr;
	d->base.busy = true;    /* the first update reads the map */
	return &d->base;
}
