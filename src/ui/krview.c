/* SPDX-License-Identifier: GPL-3.0-or-later */
/* krview: the machine's map as the screens share it: the kranges model,
 * loaded once per root on first use (physical ranges only until a screen
 * asks for the virtual layout), kpage for the heat strip and the frames
 * screen, and the small pieces the kernel, physical and page screens all
 * need: annotations, short source names, colours, reverse-lookup
 * options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "krview.h"
#include "theme.h"
#include "draw.h"
#include "vmscope/escape.h"
#include "vmscope/units.h"

static int load(struct app *a, bool full, struct vms_err *e)
{
	struct krview *kv = &a->kv;
	struct kranges_opts o = { .phys_only = !full };
	double t0 = app_now();

	if (kv->loaded)
		kranges_free(&kv->k);
	kv->loaded = false;
	kv->failed = false;
	kv->gen++;
	if (kranges_load(&kv->k, a->root, &o, e) < 0) {
		kranges_free(&kv->k);
		kv->failed = true;
		snprintf(kv->err, sizeof kv->err, "%s", e->msg);
		return -1;
	}
	kv->loaded = true;
	kv->full = full;
	kv->load_ms = (app_now() - t0) * 1e3;
	return 0;
}

const struct kranges *krview_get(struct app *a, bool virt, struct vms_err *e)
{
	struct krview *kv = &a->kv;

	if (kv->loaded && (kv->full || !virt))
		return &kv->k;
	if (kv->failed && !virt) {
		err_set(e, VMS_EUNSUP, "%s", kv->err);
		return NULL;
	}
	if (load(a, virt || kv->full, e) < 0)
		return NULL;
	return &kv->k;
}

int krview_reload(struct app *a, struct vms_err *e)
{
	return load(a, a->kv.full, e);
}

struct kpage *krview_kpage(struct app *a, unsigned which, struct vms_err *e)
{
	struct krview *kv = &a->kv;

	if (!kv->kp_open) {
		kpage_open(a->root, &kv->kp);
		kv->kp_open = true;
	}
	if (kpage_check(&kv->kp, which, e) < 0)
		return NULL;
	return &kv->kp;
}

void krview_free(struct app *a)
{
	struct krview *kv = &a->kv;

	if (kv->loaded)
		kranges_free(&kv->k);
	if (kv->kp_open)
		kpage_close(&kv->kp);
	kv->loaded = kv->kp_open = kv->failed = false;
}

bool krview_annotate(struct app *a, uint64_t phys, bool with_source,
		     char *buf, size_t n)
{
	const struct kranges *k;
	const struct krange *r;
	struct vms_err e;
	char raw[768], where[256];
	size_t l;

	if (n)
		buf[0] = '\0';
	if (!(k = krview_get(a, false, &e))) {
		snprintf(buf, n, "unknown: %s", e.msg);
		return false;
	}
	if (!(r = kranges_lookup_phys(k, phys)))
		return false;
	l = kranges_path(k, r, " > ", raw, sizeof raw);
	if (with_source && r->nsrc && l < sizeof raw) {
		kranges_src_format(k, &r->src[0], where, sizeof where);
		snprintf(raw + l, sizeof raw - l, " (%s)", where);
	}
	escape_text(buf, n, raw, strlen(raw));
	return true;
}


int krview_kind_elem(const struct krange *r)
{
	switch (r->kind) {
	case KR_RAM: return EL_VMA_ANON;
	case KR_KERNEL: case KR_VIMAGE: return EL_VMA_SPECIAL;
	case KR_RESERVED: case KR_ACPI: case KR_UNUSABLE: return EL_VMA_GUARD;
	case KR_PMEM: case KR_CARVEOUT: case KR_CMA: return EL_VMA_STACK;
	case KR_DEVICE: case KR_BUS: return EL_VMA_FILE;
	case KR_IOREMAP: case KR_UIO: return EL_VMA_GAP;
	case KR_ZONE: case KR_NODE: return EL_DIM;
	case KR_VAREA: case KR_MODULE: return EL_NORMAL;
	default: return EL_NORMAL;
	}
}

int krview_heat_elem(enum kheat_cat c)
{
	switch (c) {
	case KHEAT_FREE: return EL_PAGE_NOT_PRESENT;
	case KHEAT_ANON: return EL_PAGE_ANON;
	case KHEAT_FILE: return EL_PAGE_FILE;
	case KHEAT_SLAB: return EL_PAGE_KSM;
	case KHEAT_PGTABLE: return EL_PAGE_HUGETLB;
	case KHEAT_RESERVED: return EL_PAGE_SWAPPED;
	case KHEAT_OTHER: return EL_PAGE_ZERO;
	default: return EL_PAGE_HOLE;
	}
}

const char *krview_heat_glyph(enum kheat_cat c)
{
	switch (c) {
	case KHEAT_FREE: return draw_utf8() ? "\xc2\xb7" : ".";
	case KHEAT_ANON: return "a";
	case KHEAT_FILE: return "f";
	case KHEAT_SLAB: return "s";
	case KHEAT_PGTABLE: return "t";
	case KHEAT_RESERVED: return "r";
	case KHEAT_OTHER: return "o";
	default: return " ";
	}
}

void krview_rmap_opts(struct app *a, const struct krange *r,
		      uint64_t pfn_lo, uint64_t pfn_hi, struct krmap_opts *o)
{
	bool device = r && (r->kind == KR_DEVICE || r->kind == KR_BUS ||
			    r->kind == KR_IOREMAP || r->kind == KR_UIO);

	memset(o, 0, sizeof *o);
	o->pfn_lo = pfn_lo;
	o->pfn_hi = pfn_hi;
	/* RAM is found through pagemaps; device memory has no struct page,
	 * so only PFNMAP mappings (UIO, /dev/mem) can map it, and those are
	 * looked for wherever the system has them (a UIO DMA buffer is RAM) */
	o->pagemap = !device;
	o->gaps = device || !a->root->live ||
		  root_exists(a->root, "sys/class/uio") ||
		  root_exists(a->root, "dev/mem");
	o->max_hits = 5000;
}

int krview_phys_digits(const struct kranges *k)
{
	uint64_t max = 0;
	size_t i;
	int d = 8;

	for (i = 0; i < k->n; i++)
		if (k->r[i].space == KSPACE_PHYS && krange_last(&k->r[i]) > max)
			max = krange_last(&k->r[i]);
	while (d < 16 && (max >> (4 * d)))
		d++;
	return d;
}

/* The "from SOURCE: the line as read" lines of a range, wrapped to w and
 * escaped, for the kernel and physical screens' panels.  Returns the
 * number of lines written to lines (at most max). */
int krview_src_lines(const struct kranges *k, const struct krange *kr,
		     char lines[][256], int max, int w)
{
	char buf[2048], esc[1024], where[256];
	int n = 0;
	size_t i;

	for (i = 0; i < kr->nsrc && n < max; i++) {
		const struct krange_src *src = &kr->src[i];
		char t[512] = "";

		kranges_src_format(k, src, where, sizeof where);
		escape_text(esc, sizeof esc, where, strlen(where));
		if (src->text && src->kind != KSRC_UIO &&
		    src->kind != KSRC_DERIVED)
			escape_text(t, sizeof t, src->text, strlen(src->text));
		snprintf(buf, sizeof buf, "from %s%s%s", esc, t[0] ? ": " : "", t);
		n += wrap_text(buf, w, lines + n, max - n);
	}
	return n;
}

/* What a hidden entry hides, where it was seen and why, wrapped and
 * escaped.  Returns the number of lines written. */
int krview_hidden_lines(const struct kranges *k,
			const struct krange_hidden *hd, char lines[][256],
			int max, int w)
{
	struct krange_src src = { hd->src, hd->line, NULL };
	char buf[2048], esc[1024], where[256], what[200], why[512];

	if (max <= 0)
		return 0;
	kranges_src_format(k, &src, where, sizeof where);
	escape_text(what, sizeof what, hd->what, strlen(hd->what));
	escape_text(why, sizeof why, hd->why, strlen(hd->why));
	escape_text(esc, sizeof esc, where, strlen(where));
	if (hd->count > 1)
		snprintf(buf, sizeof buf, "%s (%u entries), from %s: hidden: %s",
			 what, hd->count, esc, why);
	else
		snprintf(buf, sizeof buf, "%s, from %s: hidden: %s", what, esc,
			 why);
	return wrap_text(buf, w, lines, max);
}

void krview_draw_axis(struct app *a, int y, int w, int margin,
		      uint64_t frames, size_t ncells)
{
	unsigned shift = a->root->page_shift;
	int cols = w - margin, x;
	uint64_t cell;
	char sz[32], tail[48];

	draw_fill(y, 0, w, app_attr(a, EL_DIM));
	if (cols < 1 || !ncells || !frames)
		return;
	if (ncells > frames)
		ncells = (size_t)frames;
	cell = (frames / ncells) << shift;
	units_size(sz, sizeof sz, cell);
	snprintf(tail, sizeof tail, " 1 cell=%s", sz);
	draw_text(y, 0, margin, app_attr(a, EL_DIM), "phys", false);
	for (x = 0; x + 8 <= cols - (int)strlen(tail); x += 16) {
		char t[40];

		units_size(sz, sizeof sz, cell * (uint64_t)x);
		snprintf(t, sizeof t, "|+%s", sz);
		draw_text(y, margin + x, 16, app_attr(a, EL_DIM), t, false);
	}
	if (margin + (int)strlen(tail) <= w)
		draw_text(y, w - (int)strlen(tail), (int)strlen(tail),
			  app_attr(a, EL_DIM), tail, false);
}
