/* SPDX-License-Identifier: GPL-3.0-or-later */
/* phys_strip: the physical screen's heat strip of all RAM, from
 * kpageflags: read in slices between keys, kept in fine cells, drawn as
 * rows of cells with an address margin and axis (see screen_phys.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vmscope/units.h"
#include "draw.h"
#include "screen_phys.h"
#include "vmscope/escape.h"
#include "vmscope/kpage_rec.h"

void phys_strip_start(struct phys_screen *d, struct app *a,
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
void phys_strip_slice(struct phys_screen *d, struct app *a,
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

void phys_strip_draw(struct phys_screen *d, struct app *a, int y, int rows,
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


/* "free 21G, anon 310M, ...": the frames of RAM by kind. */
void phys_strip_totals(struct phys_screen *d, struct app *a, char *buf,
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
