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
#include "vmscope/kpage_rec.h"
#include "screen_phys.h"

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
			phys_strip_start(d, a, k);
		rc = true;
	}
	if (d->heat == HEAT_RUNNING) {
		phys_strip_slice(d, a, k);
		rc = true;
	}
	s->busy = d->heat == HEAT_RUNNING;
	return rc;
}

/* What a struct page can say of a physical range: nothing past the end
 * of kpageflags (one entry read), nor of device memory outside RAM. */
static const char *page_note(struct app *a, const struct kranges *k,
			     const struct krange *kr)
{
	uint64_t pfn = kr->start >> a->root->page_shift, fl;
	struct kpage *kp = a->root->pfn_visible ?
			   krview_kpage(a, PAGES_KFLAGS, NULL) : NULL;

	if (kr->space != KSPACE_PHYS || krange_is_mm(kr))
		return NULL;
	if (kp && kpage_read(kp, &pfn, NULL, 1, &fl, NULL, NULL, NULL) == 0 &&
	    kpage_rec_of(kp, pfn, fl) == KPAGE_REC_BEYOND_END)
		return "beyond kpageflags: no struct page";
	if (kranges_in_ram(k, kr->start) == 0 &&
	    (kr->kind == KR_DEVICE || kr->kind == KR_BUS ||
	     kr->kind == KR_IOREMAP || kr->kind == KR_UIO))
		return "device memory, no struct page";
	return NULL;
}

/* The lines about the selected row, escaped: for a range its path,
 * size, kind, ends, PFNs, zone and node, then its sources. */
static int describe(struct app *a, const struct kranges *k,
		    const struct krrow *r, char lines[][256], int max, int w)
{
	const struct krange *kr, *z, *nd;
	char buf[2048], esc[1024], path[1024], sz[32], zn[200] = "";
	unsigned shift = a->root->page_shift;
	const char *note;

	if (r->type != KRROW_RANGE)
		return krlist_describe(k, r, NULL, lines, max, w);
	kr = &k->r[r->idx];
	z = kranges_lookup_mm(k, KR_ZONE, kr->start);
	nd = kranges_lookup_mm(k, KR_NODE, kr->start);
	kranges_path(k, kr, " > ", path, sizeof path);
	escape_text(esc, sizeof esc, path, strlen(path));
	units_size(sz, sizeof sz, krange_size(kr));
	if ((note = page_note(a, k, kr)))
		snprintf(zn, sizeof zn, "%s", note);   /* a zone holds RAM only */
	else if (!krange_is_mm(kr) && (z || nd)) {
		char t[160];

		snprintf(t, sizeof t, "%s%s%s", z ? z->name : "",
			 z && nd ? ", " : "", nd ? nd->name : "");
		escape_text(zn, sizeof zn, t, strlen(t));
	}
	snprintf(buf, sizeof buf, "%s: %s %s, 0x%llx-0x%llx, PFN 0x%llx-0x%llx%s%s",
		 esc, sz, krange_kind_name(kr->kind),
		 (unsigned long long)kr->start, (unsigned long long)krange_last(kr),
		 (unsigned long long)(kr->start >> shift),
		 (unsigned long long)(krange_last(kr) >> shift),
		 zn[0] ? " | " : "", zn);
	return krlist_describe(k, r, buf, lines, max, w);
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
	phys_strip_draw(d, a, y, sr, w, krlist_sel_range(&d->l));
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
			phys_strip_totals(d, a, tot, sizeof tot);
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
		units_size(sz, sizeof sz, krange_size(kr));
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
