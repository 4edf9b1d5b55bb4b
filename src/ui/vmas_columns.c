/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_columns: the VMA screen's columns (START-END or START, PERM, SIZE,
 * RSS, KIND with "!" on gaps, VMFLAGS, NAME) and the text of each cell. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/units.h"
#include "draw.h"
#include "uitext.h"
#include "bitset.h"
#include "vmas_screen.h"
#include "vmscope/escape.h"

static int digits_of(uint64_t x)
{
	int d = 8;

	while (d < 16 && x >> (4 * d))
		d++;
	return d;
}

/* Digits of the addresses (below [vsyscall]: it would pad every other
 * with zeros), and *range_w, the START-END column: wide enough for the
 * widest row, [vsyscall]'s 16 digits too, so no row pushes PERM and
 * SIZE aside; *start_w the same for START alone. */
static int addr_digits(struct app *a, int *range_w, int *start_w)
{
	const struct vma_list *l = &a->pv.vmas;
	uint64_t max = 0;
	size_t i;
	int d, ws = 8, we = 8;

	for (i = 0; i < l->n; i++)
		if (l->v[i].kind != VMA_KIND_VSYSCALL && l->v[i].end > max)
			max = l->v[i].end;
	d = digits_of(max - 1);
	for (i = 0; i < l->n; i++) {
		int s = digits_of(l->v[i].start), e = digits_of(l->v[i].end - 1);

		ws = s > ws ? s : ws;
		we = e > we ? e : we;
	}
	*start_w = ws > d ? ws : d;
	*range_w = *start_w + 1 + (we > d ? we : d);
	return d;
}

static int kind_elem(const struct vma *v)
{
	if (v->kind == VMA_KIND_HOLE)
		return EL_VMA_HOLE;
	if (vma_is_gap(v))
		return EL_VMA_GAP;
	switch (v->kind) {
	case VMA_KIND_ANON: case VMA_KIND_HEAP: return EL_VMA_ANON;
	case VMA_KIND_STACK: return EL_VMA_STACK;
	case VMA_KIND_FILE: return EL_VMA_FILE;
	case VMA_KIND_GUARD: return EL_VMA_GUARD;
	default: return EL_VMA_SPECIAL;
	}
}

static void vma_name(const struct vma *v, char *buf, size_t n)
{
	char esc[512];

	if (v->kind == VMA_KIND_HOLE) {
		snprintf(buf, n, "(hole: unmapped)");
		return;
	}
	escape_text(esc, sizeof esc, v->name ? v->name : "",
		    v->name ? strlen(v->name) : 0);
	snprintf(buf, n, "%s%s", esc, v->deleted ? " (deleted)" : "");
}

attr_t vmas_row_attr(void *ctx, int64_t row, bool sel)
{
	struct vmas_screen *p = ctx;
	struct vma hole;
	attr_t at = app_attr(p->app, kind_elem(vmas_row_vma(p, row, &hole)));

	if (bitset_get(p->changed, (size_t)row))
		at = app_attr(p->app, EL_CHANGED);
	if (sel)
		at = app_attr(p->app, EL_SELECTED);
	return at;
}

/* START-END, or START where both do not fit (p->both). */
static void range_cell(void *ctx, struct lv_cell *c)
{
	struct vmas_screen *p = ctx;
	struct vma hole;
	const struct vma *v = vmas_row_vma(p, c->row, &hole);
	char a1[20], a2[20];

	fmt_addr(a1, sizeof a1, v->start, p->digits);
	fmt_addr(a2, sizeof a2, v->end, p->digits);
	if (p->both)
		snprintf(c->buf, c->n, "%s-%s", a1, a2);
	else
		snprintf(c->buf, c->n, "%s", a1);
}

static void perms_cell(void *ctx, struct lv_cell *c)
{
	struct vma hole;
	const struct vma *v = vmas_row_vma(ctx, c->row, &hole);

	snprintf(c->buf, c->n, "%s", v->kind == VMA_KIND_HOLE ? "" : v->perms);
}

static void size_cell(void *ctx, struct lv_cell *c)
{
	struct vma hole;
	const struct vma *v = vmas_row_vma(ctx, c->row, &hole);

	units_size(c->buf, c->n, v->end - v->start);
}

static void rss_cell(void *ctx, struct lv_cell *c)
{
	struct vma hole;
	const struct vma *v = vmas_row_vma(ctx, c->row, &hole);

	if (v->kind == VMA_KIND_HOLE || !v->has_smaps)
		snprintf(c->buf, c->n, "-");
	else
		units_size(c->buf, c->n, vmas_rss(v) * 1024);
}

/* The kind; "!" marks a gap (a mapping pagemap cannot describe). */
static void kind_cell(void *ctx, struct lv_cell *c)
{
	struct vma hole;
	const struct vma *v = vmas_row_vma(ctx, c->row, &hole);
	bool gap = v->kind != VMA_KIND_HOLE && vma_is_gap(v);

	snprintf(c->buf, c->n, "%s%s", gap ? "!" : "", vma_kind_name(v->kind));
}

/* VmFlags, cut to the column (a blank after it). */
static void flags_cell(void *ctx, struct lv_cell *c)
{
	struct vma hole;

	snprintf(c->buf, c->n, "%.30s",
		 vmas_row_vma(ctx, c->row, &hole)->vmflags_text);
}

/* The name; where there is no KIND column, the kind of a row without a
 * name. */
static void name_cell(void *ctx, struct lv_cell *c)
{
	struct vmas_screen *p = ctx;
	struct vma hole;
	const struct vma *v = vmas_row_vma(p, c->row, &hole);

	vma_name(v, c->buf, c->n);
	if (p->narrow && (!v->name || !*v->name || v->kind == VMA_KIND_HOLE))
		snprintf(c->buf, c->n, "(%s)", vma_kind_name(v->kind));
	if (p->narrow && v->kind != VMA_KIND_HOLE && vma_is_gap(v)) {
		char t[512];

		snprintf(t, sizeof t, "!%s", c->buf);
		snprintf(c->buf, c->n, "%s", t);
	}
}

/* The columns for width w: START-END where it fits, RSS and KIND but
 * where narrow (the kind is then shown as the name), VMFLAGS where
 * wide. */
int vmas_columns(struct vmas_screen *p, struct app *a, int w,
		   struct lv_column *c)
{
	int n = 0;

	int rw, sw;

	p->digits = addr_digits(a, &rw, &sw);
	/* START-END only where NAME keeps 24 columns: at 80 columns a list
	 * with [vsyscall]'s 16-digit END shows START alone */
	p->both = w >= rw + 54;
	p->narrow = w < sw + 44;
	c[n++] = (struct lv_column){ .title = p->both ? "START-END" : "START",
		.width = p->both ? rw : sw,
		.cell = range_cell };
	c[n++] = (struct lv_column){ .title = "PERM", .width = 4,
		.cell = perms_cell };
	c[n++] = (struct lv_column){ .title = "SIZE", .width = 6,
		.right = true, .cell = size_cell };
	if (!p->narrow) {
		c[n++] = (struct lv_column){ .title = "RSS", .width = 6,
			.right = true, .cell = rss_cell };
		c[n++] = (struct lv_column){ .title = "KIND", .width = 8,
			.cell = kind_cell };
	}
	if (w >= 120)
		c[n++] = (struct lv_column){ .title = "VMFLAGS", .width = 30,
			.cell = flags_cell };
	c[n++] = (struct lv_column){ .title = "NAME", .tail = true,
		.cell = name_cell };
	return n;
}
