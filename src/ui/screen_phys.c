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
#include "vmscope/units.h"
#include "uiint.h"
#include "vmscope/escape.h"

#define FINE_MAX 2048
#define SLICE_MS 30.0
#define GROUP_PFNS (UINT64_C(1) << 18)

enum prow_type { PROW_SECTION, PROW_RANGE, PROW_HIDDEN, PROW_EMPTY };

struct prow {
	uint8_t type;
	size_t idx;
	const char *text;
};

enum heat_state { HEAT_NONE, HEAT_RUNNING, HEAT_DONE, HEAT_FAILED };

struct phys_screen {
	struct screen base;
	struct prow *rows;
	size_t n, cap;
	unsigned gen;
	bool built;
	long sel, top;
	int h;                  /* list rows */
	int digits;
	size_t nranges;
	char err[512];
	bool want_addr;
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
};

#define PS(s) ((struct phys_screen *)(s))

static void add_row(struct phys_screen *d, int type, size_t idx,
		    const char *text)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct prow *nr = realloc(d->rows, cap * sizeof *nr);

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

static void build(struct phys_screen *d, const struct kranges *k)
{
	size_t i;
	bool any_hidden = false;

	d->n = 0;
	d->nranges = 0;
	add_row(d, PROW_SECTION, 0,
		"physical map (START-LAST inclusive, as in /proc/iomem)");
	for (i = k->slice[KSPACE_PHYS][0][0]; i < k->slice[KSPACE_PHYS][0][1]; i++) {
		add_row(d, PROW_RANGE, i, NULL);
		d->nranges++;
	}
	if (!d->nranges)
		add_row(d, PROW_EMPTY, 0,
			"none known: no /proc/iomem, firmware memmap, boot log or UIO map was read (see the kernel screen's sources: v)");
	for (i = 0; i < k->nhidden; i++)
		if (k->hidden[i].src == KSRC_IOMEM) {
			if (!any_hidden)
				add_row(d, PROW_SECTION, 0,
					"hidden by the kernel (never shown as addresses)");
			any_hidden = true;
			add_row(d, PROW_HIDDEN, i, NULL);
		}
	if (k->slice[KSPACE_PHYS][1][1] > k->slice[KSPACE_PHYS][1][0]) {
		add_row(d, PROW_SECTION, 0, "memory zones and nodes");
		for (i = k->slice[KSPACE_PHYS][1][0]; i < k->slice[KSPACE_PHYS][1][1]; i++)
			add_row(d, PROW_RANGE, i, NULL);
	}
	d->digits = krview_phys_digits(k);
	d->built = true;
}

static bool selectable(const struct prow *r)
{
	return r->type != PROW_SECTION;
}

static void skip_sections(struct phys_screen *d, int dir)
{
	long i = d->sel;

	while (i >= 0 && i < (long)d->n && !selectable(&d->rows[i]))
		i += dir;
	if (i < 0 || i >= (long)d->n) {
		i = d->sel;
		while (i >= 0 && i < (long)d->n && !selectable(&d->rows[i]))
			i -= dir;
	}
	if (i >= 0 && i < (long)d->n)
		d->sel = i;
}

static const struct krange *sel_range(struct phys_screen *d, struct app *a)
{
	if (!a->kv.loaded || !d->built || !d->n ||
	    d->rows[d->sel].type != PROW_RANGE)
		return NULL;
	return &a->kv.k.r[d->rows[d->sel].idx];
}

static void select_addr(struct phys_screen *d, struct app *a,
			const struct kranges *k, uint64_t addr)
{
	const struct krange *r = kranges_lookup_phys(k, addr);
	size_t i;

	d->have_addr = true;
	d->addr = addr;
	if (!r) {
		app_message(a, EL_WARN,
			    "no physical range known holds 0x%llx (Enter on a range lists its frames)",
			    (unsigned long long)addr);
		return;
	}
	for (i = 0; i < d->n; i++)
		if (d->rows[i].type == PROW_RANGE && &k->r[d->rows[i].idx] == r) {
			d->sel = (long)i;
			d->top = d->sel > 1 ? d->sel - 1 : 0;
			break;
		}
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
		struct kheat_opts o = { 0 };

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
	struct vms_err e2;
	int rc = 0, lh = h - 2 - strip_rows(h) - panel_rows(h);

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
	if (!(k = krview_get(a, false, &e2))) {
		snprintf(d->err, sizeof d->err, "%s", e2.msg);
		s->busy = false;
		return 1;
	}
	d->err[0] = '\0';
	if (!d->built || d->gen != a->kv.gen) {
		uint64_t lo = 0, hi = 0;

		build(d, k);
		d->gen = a->kv.gen;
		skip_sections(d, 1);
		if (d->want_addr) {
			d->want_addr = false;
			select_addr(d, a, k, d->addr);
		}
		/* the heat strip stays while RAM is where it was */
		if (d->heat == HEAT_NONE || !kranges_ram_extent(k, &lo, &hi) ||
		    lo != d->ram_lo || hi != d->ram_hi)
			heat_start(d, a, k);
		rc = 1;
	}
	if (d->heat == HEAT_RUNNING) {
		heat_slice(d, a, k);
		rc = 1;
	}
	s->busy = d->heat == HEAT_RUNNING;
	list_clamp(&d->sel, &d->top, (long)d->n, d->h);
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
	int x;
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
	ncell = (size_t)rows * (size_t)w;
	if (ncell > d->nfine)
		ncell = d->nfine;
	for (c = 0; c < ncell; c++) {
		size_t f0 = c * d->nfine / ncell, f1 = (c + 1) * d->nfine / ncell;
		int cat = cell_cat(d, f0, f1);
		attr_t at;

		if (cat < 0) {
			draw_text(y + 1 + (int)(c / (size_t)w), (int)(c % (size_t)w), 1,
				  app_attr(a, EL_DIM), "?", false);
			continue;
		}
		at = app_attr(a, krview_heat_elem((enum kheat_cat)cat));
		if (sel && sel->kind != KR_ZONE && sel->kind != KR_NODE) {
			uint64_t ps = d->pfn0 + f0 * d->cpfn, pe = d->pfn0 + f1 * d->cpfn;

			if ((sel->start >> shift) < pe && ((sel->end - 1) >> shift) >= ps)
				at |= A_UNDERLINE | A_BOLD;
		} else if (sel) {
			uint64_t ps = d->pfn0 + f0 * d->cpfn, pe = d->pfn0 + f1 * d->cpfn;

			if ((sel->start >> shift) < pe && ((sel->end - 1) >> shift) >= ps)
				at |= A_UNDERLINE;
		}
		draw_text(y + 1 + (int)(c / (size_t)w), (int)(c % (size_t)w), 1, at,
			  krview_heat_glyph((enum kheat_cat)cat), false);
	}
}

/* The lines about the selected row, escaped. */
static int describe(struct phys_screen *d, struct app *a,
		    const struct kranges *k, const struct prow *r,
		    char lines[][256], int max, int w)
{
	char buf[2048], esc[1024];
	int n = 0;

#define PUT(text) do { if (n < max) n += wrap_text((text), w, lines + n, max - n); } while (0)
	if (r->type == PROW_RANGE) {
		const struct krange *kr = &k->r[r->idx];
		const struct krange *z = kranges_lookup_mm(k, KR_ZONE, kr->start);
		const struct krange *nd = kranges_lookup_mm(k, KR_NODE, kr->start);
		char path[1024], sz[32], zn[200] = "";

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
			 (unsigned long long)kr->start,
			 (unsigned long long)(kr->end - 1),
			 (unsigned long long)(kr->start >> a->root->page_shift),
			 (unsigned long long)((kr->end - 1) >> a->root->page_shift),
			 zn[0] ? " | " : "", zn);
		PUT(buf);
		if (n < max)
			n += krview_src_lines(k, kr, lines + n, max - n, w);
	} else if (r->type == PROW_HIDDEN) {
		if (n < max)
			n += krview_hidden_lines(k, &k->hidden[r->idx], lines + n,
						 max - n, w);
	} else if (r->text) {
		PUT(r->text);
	}
	(void)d;
#undef PUT
	return n;
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

static void draw_row(struct phys_screen *d, struct app *a,
		     const struct kranges *k, const struct prow *r, int y,
		     int w, bool sel)
{
	int dg = d->digits, x;
	bool both = w >= 2 * dg + 1 + 16 + 12;
	bool kind = w >= (both ? 2 * dg + 1 : dg) + 16 + 16;
	int aw = both ? 2 * dg + 1 : dg;
	char buf[256], esc[1024], sz[32], a1[24], a2[24];
	attr_t at;

	if (r->type == PROW_SECTION) {
		draw_fill(y, 0, w, app_attr(a, EL_KEY));
		draw_text(y, 0, w, app_attr(a, EL_KEY), r->text, false);
		return;
	}
	if (r->type == PROW_RANGE) {
		const struct krange *kr = &k->r[r->idx];
		size_t i;

		at = app_attr(a, sel ? EL_SELECTED : krview_kind_elem(kr));
		draw_fill(y, 0, w, at);
		fmt_addr(a1, sizeof a1, kr->start, dg);
		fmt_addr(a2, sizeof a2, kr->end - 1, dg);
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
		x += draw_fmt(y, x, w - x, at, false, "%*s%s",
			      (int)(2 * (krange_is_mm(kr) ? 0 : kr->depth)), "", esc);
		if (w >= 100 && kr->nsrc && x + 6 < w) {
			size_t l = 0;

			buf[0] = '\0';
			for (i = 0; i < kr->nsrc && l < sizeof buf; i++) {
				char s1[64];

				kranges_src_short(&kr->src[i], s1, sizeof s1);
				l += (size_t)snprintf(buf + l, sizeof buf - l, "%s%s",
						      i ? ", " : "", s1);
			}
			draw_fmt(y, x, w - x, sel ? at : app_attr(a, EL_DIM), false,
				 "  [%s]", buf);
		}
		return;
	}
	at = app_attr(a, sel ? EL_SELECTED : r->type == PROW_HIDDEN ? EL_WARN
								     : EL_DIM);
	draw_fill(y, 0, w, at);
	if (r->type == PROW_HIDDEN) {
		const struct krange_hidden *hd = &k->hidden[r->idx];

		escape_text(esc, sizeof esc, hd->what, strlen(hd->what));
		x = draw_fmt(y, 0, w, at, false, "%-*s %6s ", aw, "(hidden)", "-");
		if (kind)
			x += draw_fmt(y, x, w - x, at, false, "%-8s ", "hidden");
		draw_fmt(y, x, w - x, at, false, "%s (%u entries)", esc, hd->count);
		return;
	}
	draw_text(y, 0, w, at, r->text ? r->text : "", false);
}

static void phys_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct phys_screen *d = PS(s);
	const struct kranges *k = a->kv.loaded ? &a->kv.k : NULL;
	int sr = strip_rows(h), ph = panel_rows(h), i, ly, dg = d->digits;
	bool both = w >= 2 * dg + 1 + 16 + 12;
	bool kind = w >= (both ? 2 * dg + 1 : dg) + 16 + 16;
	char lines[8][256];

	if (d->err[0] || !k || !d->built) {
		int n = wrap_text(d->err[0] ? d->err : "reading the physical map",
				  w, lines, h < 8 ? h : 8);

		for (i = 0; i < n; i++)
			draw_text(y + i, 0, w, app_attr(a, EL_ERROR), lines[i], false);
		return;
	}
	draw_strip(d, a, y, sr, w, sel_range(d, a));
	ly = y + 1 + sr;
	draw_fill(ly, 0, w, app_attr(a, EL_HEADER));
	draw_fmt(ly, 0, w, app_attr(a, EL_HEADER), false, "%-*s %6s %s%s",
		 both ? 2 * dg + 1 : dg, both ? "START-LAST" : "START", "SIZE",
		 kind ? "KIND     " : "", "NAME");
	for (i = 0; i < d->h && d->top + i < (long)d->n; i++)
		draw_row(d, a, k, &d->rows[d->top + i], ly + 1 + i, w,
			 d->top + i == d->sel);
	if (ph && d->n) {
		int n, py = y + h - ph;
		char tot[400];

		draw_hline(py, 0, w, app_attr(a, EL_BORDER));
		n = describe(d, a, k, &d->rows[d->sel], lines, ph - 2, w);
		for (i = 0; i < n; i++)
			draw_text(py + 1 + i, 0, w, app_attr(a, i ? EL_DIM : EL_INFO),
				  lines[i], false);
		if (d->heat == HEAT_DONE) {
			heat_totals(d, a, tot, sizeof tot);
			draw_fmt(py + ph - 1, 0, w, app_attr(a, EL_DIM), false,
				 "frames of RAM: %s", tot);
		}
	}
}

static void phys_info(struct screen *s, struct app *a, char *buf, size_t n,
		      int *elem)
{
	struct phys_screen *d = PS(s);
	const struct kranges *k = a->kv.loaded ? &a->kv.k : NULL;
	const struct prow *r;

	*elem = EL_INFO;
	buf[0] = '\0';
	if (!k || !d->built || !d->n)
		return;
	r = &d->rows[d->sel];
	if (r->type == PROW_RANGE) {
		const struct krange *kr = &k->r[r->idx];
		char esc[256], src[64] = "", sz[32];

		escape_text(esc, sizeof esc, kr->name, strlen(kr->name));
		units_size(sz, sizeof sz, kr->end - kr->start);
		if (kr->nsrc)
			kranges_src_short(&kr->src[0], src, sizeof src);
		snprintf(buf, n, "%s, %s [%s%s] | Enter: its frames  w: who maps it",
			 esc, sz, src, kr->nsrc > 1 ? ", ..." : "");
	} else if (r->type == PROW_HIDDEN) {
		char why[512];

		*elem = EL_WARN;
		escape_text(why, sizeof why, k->hidden[r->idx].why,
			    strlen(k->hidden[r->idx].why));
		snprintf(buf, n, "hidden: %s", why);
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

static bool phys_action(struct screen *s, struct app *a, enum action act)
{
	struct phys_screen *d = PS(s);
	const struct kranges *k = a->kv.loaded ? &a->kv.k : NULL;
	const struct krange *r = sel_range(d, a);
	unsigned shift = a->root->page_shift;
	long before = d->sel;

	if (list_move(&d->sel, (long)d->n, d->h, act)) {
		skip_sections(d, d->sel >= before ? 1 : -1);
		list_clamp(&d->sel, &d->top, (long)d->n, d->h);
		if (d->sel > 0 && d->top == d->sel && !selectable(&d->rows[d->sel - 1]))
			d->top--;
		return true;
	}
	switch (act) {
	case ACT_OPEN:
	case ACT_RMAP: {
		char path[1024];

		if (!r || !k) {
			app_message(a, EL_WARN, "not a range: nothing to open");
			return true;
		}
		kranges_path(k, r, " > ", path, sizeof path);
		if (act == ACT_OPEN)
			app_open_frames(a, r->start, r->end, path,
					d->have_addr && d->addr >= r->start &&
					d->addr < r->end ? d->addr : r->start);
		else
			app_open_rmap(a, r->start >> shift,
				      ((r->end - 1) >> shift) + 1, path);
		return true;
	}
	case ACT_REREAD: {
		struct vms_err e;

		if (app_snapshot_refuses(a, "reading the map and heat strip again"))
			return true;
		if (krview_reload(a, &e) < 0) {
			app_message(a, EL_ERROR, "%s", e.msg);
			return true;
		}
		d->heat = HEAT_NONE;   /* read again at the rebuild */
		s->busy = true;
		return true;
	}
	default:
		return false;
	}
}

static bool phys_search(struct screen *s, struct app *a, const char *text,
			int dir, bool from_here)
{
	struct phys_screen *d = PS(s);
	const struct kranges *k = a->kv.loaded ? &a->kv.k : NULL;
	long n = (long)d->n, i, j;
	uint64_t addr;

	if (!k || !n)
		return false;
	if (parse_addr(text, &addr) && kranges_lookup_phys(k, addr)) {
		select_addr(d, a, k, addr);
		list_clamp(&d->sel, &d->top, (long)d->n, d->h);
		return true;
	}
	for (j = from_here ? 0 : 1; j <= n; j++) {
		const struct prow *r;

		i = ((d->sel + dir * j) % n + n) % n;
		r = &d->rows[i];
		if ((r->type == PROW_RANGE &&
		     (text_match(k->r[r->idx].name, text) ||
		      text_match(krange_kind_name(k->r[r->idx].kind), text))) ||
		    (r->type == PROW_HIDDEN && text_match(k->hidden[r->idx].what, text))) {
			d->sel = i;
			list_clamp(&d->sel, &d->top, (long)d->n, d->h);
			return true;
		}
	}
	return false;
}

static bool phys_goto(struct screen *s, struct app *a, uint64_t addr)
{
	struct phys_screen *d = PS(s);

	if (!d->built || d->gen != a->kv.gen) {
		d->want_addr = true;
		d->addr = addr;
		return true;
	}
	select_addr(d, a, &a->kv.k, addr);
	list_clamp(&d->sel, &d->top, (long)d->n, d->h);
	return true;
}

static void phys_destroy(struct screen *s)
{
	struct phys_screen *d = PS(s);

	free(d->rows);
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

struct screen *screen_phys_new(struct app *a, bool has_addr, uint64_t addr,
			       struct vms_err *e)
{
	struct phys_screen *d;

	(void)a;
	d = calloc(1, sizeof *d);
	if (!d) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	d->base.ops = &phys_ops;
	d->h = 1;
	d->want_addr = has_addr;
	d->addr = addr;
	d->base.busy = true;    /* the first update reads the map */
	return &d->base;
}
