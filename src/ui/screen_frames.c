/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_frames: the page frames of one physical range, one row per PFN:
 * its physical address, what kind of memory it is (the heat strip's
 * categories), the map count and the kpageflags by name.  Only the
 * visible rows are read (one kpage_read, plus up to 1024 frames before
 * them so that the pages of a free block, which kpageflags leaves without
 * flags after the first, are known as free), and read again at each
 * refresh.  Enter or w: which processes map the selected frame. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "draw.h"
#include "listview.h"
#include "screens.h"
#include "uitext.h"
#include "vmscope/escape.h"
#include "vmscope/explain.h"
#include "vmscope/kpage_rec.h"
#include "vmscope/kver.h"

#define LOOKBACK 1024

struct frow {
	uint64_t pfn, flags, count;
	int cat;                /* enum kheat_cat; -1 unknown */
	bool tail;              /* flagless page of a free block */
	bool changed;
	bool device;            /* outside RAM, no page: device memory */
	uint8_t rec;            /* enum kpage_rec: are flags and count true */
};

struct frames_screen {
	struct screen base;
	uint64_t start, end;    /* bytes, [start, end) */
	uint64_t pfn_lo, pfn_hi;
	char label[512];        /* escaped */
	char raw_label[512];    /* raw, for the next screen */
	/* rows: the frames pfn_lo.., row r PFN pfn_lo + r */
	struct listview lv;
	struct app *app;
	struct frow *rows, *prev;
	int nrows, nprev, cap;
	uint64_t *pfns, *flags, *counts;
	size_t bufcap;
	bool loaded, any_changed, have_flags, have_counts;
	uint64_t ld_top;
	int ld_h;
	char why[512];          /* why there are no flags */
	int pfn_digits, phys_digits;
	bool long_flags;        /* room for the flags' long names */
};

#define FS(s) ((struct frames_screen *)(s))

static bool grow_bufs(struct frames_screen *f, size_t n)
{
	uint64_t *p, *fl, *c;

	if (n <= f->bufcap)
		return true;
	p = malloc(n * sizeof *p);
	fl = malloc(n * sizeof *fl);
	c = malloc(n * sizeof *c);
	if (!p || !fl || !c) {
		free(p);
		free(fl);
		free(c);
		return false;
	}
	free(f->pfns);
	free(f->flags);
	free(f->counts);
	f->pfns = p;
	f->flags = fl;
	f->counts = c;
	f->bufcap = n;
	return true;
}

/* Whether pfn lies in RAM by the model (a RAM, kernel or CMA range holds
 * it); true when there is no model to ask. */
static bool in_ram(struct app *a, uint64_t pfn)
{
	const struct kranges *k = a->kv.loaded ? &a->kv.k : NULL;
	const struct krange *r;

	if (!k)
		return true;
	for (r = kranges_lookup_phys(k, pfn << a->root->page_shift); r;
	     r = r->parent >= 0 ? &k->r[r->parent] : NULL)
		if (r->kind == KR_RAM || r->kind == KR_KERNEL || r->kind == KR_CMA)
			return true;
	return false;
}

/* kpage, or NULL with f->why saying why there are no flags. */
static struct kpage *flags_source(struct frames_screen *f, struct app *a)
{
	struct kpage *kp = NULL;
	struct vms_err e;

	f->why[0] = '\0';
	if (!a->root->pfn_visible)
		snprintf(f->why, sizeof f->why, "no page flags: %s",
			 explain_pfn_hidden());
	else if (!(kp = krview_kpage(a, PAGES_KFLAGS, &e)))
		snprintf(f->why, sizeof f->why, "no page flags: %s", e.msg);
	return kp;
}

static uint64_t top_pfn(const struct frames_screen *f)
{
	return f->pfn_lo + (uint64_t)f->lv.top;
}

static uint64_t cur_pfn(const struct frames_screen *f)
{
	return f->pfn_lo + (uint64_t)f->lv.sel;
}

/* Room for the rows shown, the last read kept as prev; the rows
 * emptied for the frames from the top. */
static int start_rows(struct frames_screen *f, struct vms_err *e)
{
	struct frow *t;
	int r, h = f->lv.h;

	if (f->cap < h) {
		struct frow *nr = calloc((size_t)h, sizeof *nr);
		struct frow *np = calloc((size_t)h, sizeof *np);

		if (!nr || !np) {
			free(nr);
			free(np);
			err_set(e, ENOMEM, "out of memory for %d rows", h);
			return -1;
		}
		free(f->rows);
		free(f->prev);
		f->rows = nr;
		f->prev = np;
		f->cap = h;
	}
	t = f->prev;
	f->prev = f->rows;
	f->rows = t;
	f->nprev = f->nrows;
	for (r = 0; r < h && top_pfn(f) + (uint64_t)r < f->pfn_hi; r++) {
		memset(&f->rows[r], 0, sizeof f->rows[r]);
		f->rows[r].pfn = top_pfn(f) + (uint64_t)r;
		f->rows[r].cat = -1;
	}
	f->nrows = r;
	return 0;
}

/* Whether the row's flags and count are what the kernel has: not when a
 * snapshot did not record the frame (its zeros are no page's), when it
 * is past the end of kpageflags, or device memory (outside RAM, no page:
 * nothing a struct page could say). */
static void frame_truth(struct frow *row, struct app *a, struct kpage *kp)
{
	bool nopage = row->flags & (UINT64_C(1) << KPF_NOPAGE);

	row->rec = (uint8_t)kpage_rec_of(kp, row->pfn, row->flags);
	row->device = row->rec == KPAGE_REC_YES && !in_ram(a, row->pfn) &&
		      (!row->flags || nopage);
	if (row->rec == KPAGE_REC_BEYOND_END || row->device)
		row->cat = KHEAT_NOT_RAM;
	else if (row->rec != KPAGE_REC_YES)
		row->cat = -1;
	if (row->rec != KPAGE_REC_YES || row->device)
		row->flags = row->count = 0;
}

/* The kind of each frame read (n from first): a free block's first page
 * marks the flagless ones after it as free. */
static void classify(struct frames_screen *f, struct app *a,
		     struct kpage *kp, uint64_t first, uint64_t n)
{
	uint64_t i, buddy_end = 0, top = top_pfn(f);

	for (i = 0; i < n; i++) {
		uint64_t pfn = first + i, fl = f->flags[i];
		enum kheat_cat c;
		bool tail = fl == 0 && pfn < buddy_end;

		if (!tail) {
			c = kheat_classify(fl);
			if (c == KHEAT_FREE) {
				uint64_t al = pfn ? (pfn & (~pfn + 1)) : LOOKBACK;

				buddy_end = pfn + (al < LOOKBACK ? al : LOOKBACK);
			} else {
				buddy_end = 0;
			}
		} else {
			c = KHEAT_FREE;
		}
		if (pfn >= top) {
			struct frow *row = &f->rows[pfn - top];

			row->flags = fl;
			row->count = f->have_counts ? f->counts[i] : 0;
			row->tail = tail;
			row->cat = in_ram(a, pfn) || fl ? (int)c : KHEAT_NOT_RAM;
			if (!tail)
				frame_truth(row, a, kp);
		}
	}
}

/* Read the flags and counts of the rows shown, from up to LOOKBACK
 * frames before them. */
static int read_flags(struct frames_screen *f, struct app *a,
		      struct kpage *kp, struct vms_err *e)
{
	uint64_t top = top_pfn(f), first, i, n;

	first = top >= LOOKBACK ? top - LOOKBACK : 0;
	n = top + (uint64_t)f->nrows - first;
	if (!grow_bufs(f, (size_t)n)) {
		err_set(e, ENOMEM, "out of memory for %llu frames",
			(unsigned long long)n);
		return -1;
	}
	for (i = 0; i < n; i++)
		f->pfns[i] = first + i;
	f->have_counts = kpage_has(kp, PAGES_KCOUNT);
	if (kpage_read(kp, f->pfns, NULL, (size_t)n, f->flags,
		       f->have_counts ? f->counts : NULL, NULL, e) < 0)
		return -1;
	f->have_flags = true;
	classify(f, a, kp, first, n);
	return 0;
}

/* Mark the rows whose flags or count changed since the last read (when
 * mark); returns whether anything differs. */
static bool mark_changes(struct frames_screen *f, bool mark)
{
	bool same = f->loaded && f->ld_top == top_pfn(f) && f->ld_h == f->lv.h &&
		    f->nprev == f->nrows;
	bool differs = !same, had = f->any_changed;
	int r;

	f->any_changed = false;
	for (r = 0; r < f->nrows; r++) {
		bool d = same && (f->rows[r].flags != f->prev[r].flags ||
				  f->rows[r].count != f->prev[r].count);

		differs |= d;
		f->rows[r].changed = mark && d;
		f->any_changed |= mark && d;
	}
	f->loaded = true;
	f->ld_top = top_pfn(f);
	f->ld_h = f->lv.h;
	return differs || had;
}

static int load(struct frames_screen *f, struct app *a, bool mark,
		struct vms_err *e)
{
	struct kpage *kp;

	if (start_rows(f, e) < 0)
		return -1;
	f->have_flags = f->have_counts = false;
	kp = flags_source(f, a);
	if (kp && f->nrows && read_flags(f, a, kp, e) < 0)
		return -1;
	return mark_changes(f, mark);
}

static unsigned frames_context(struct screen *s)
{
	(void)s;
	return CTX_FRAMES;
}

static int frames_update(struct screen *s, struct app *a, int h, int w,
			 bool re, struct vms_err *e)
{
	struct frames_screen *f = FS(s);
	int lh, rc;
	bool mark = re && !s->stale;

	(void)w;
	flags_source(f, a);
	lh = h - 1 - (f->why[0] ? 1 : 0);
	if (lh < 1)
		lh = 1;
	if (listview_set_height(&f->lv, lh))
		f->loaded = false;
	listview_clamp(&f->lv);
	if (!re && !s->stale && f->loaded && f->ld_top == top_pfn(f) &&
	    f->ld_h == f->lv.h)
		return 0;
	s->stale = false;
	rc = load(f, a, mark, e);
	return rc < 0 ? -1 : rc;
}

static const char *cat_name(const struct frow *r)
{
	if (r->cat < 0)
		return "-";
	if (r->tail)
		return "free";
	return kheat_cat_name((enum kheat_cat)r->cat);
}

/* The row of a frame shown (loaded at the last update). */
static const struct frow *frame_row(void *ctx, int64_t row)
{
	struct frames_screen *f = ctx;

	return &f->rows[row - f->lv.top];
}

static attr_t row_attr(void *ctx, int64_t row, bool sel)
{
	struct frames_screen *f = ctx;

	return app_attr(f->app, sel ? EL_SELECTED : frame_row(f, row)->changed ?
			EL_CHANGED : EL_NORMAL);
}

static void pfn_cell(void *ctx, struct lv_cell *c)
{
	struct frames_screen *f = ctx;

	snprintf(c->buf, c->n, "%0*llx", f->pfn_digits,
		 (unsigned long long)frame_row(f, c->row)->pfn);
}

static void phys_cell(void *ctx, struct lv_cell *c)
{
	struct frames_screen *f = ctx;

	snprintf(c->buf, c->n, "%0*llx", f->phys_digits,
		 (unsigned long long)(frame_row(f, c->row)->pfn <<
				      f->app->root->page_shift));
}

/* The kind, in the heat strip's colour. */
static void kind_cell(void *ctx, struct lv_cell *c)
{
	struct frames_screen *f = ctx;
	const struct frow *row = frame_row(f, c->row);

	snprintf(c->buf, c->n, "%s", cat_name(row));
	if (!c->sel && row->cat >= 0)
		c->at = app_attr(f->app, krview_heat_elem((enum kheat_cat)row->cat));
}

static void count_cell(void *ctx, struct lv_cell *c)
{
	struct frames_screen *f = ctx;

	const struct frow *row = frame_row(f, c->row);

	if (f->have_counts && row->rec == KPAGE_REC_YES && !row->device)
		snprintf(c->buf, c->n, "%llu", (unsigned long long)row->count);
	else
		snprintf(c->buf, c->n, "-");
}

static void flags_cell(void *ctx, struct lv_cell *c)
{
	struct frames_screen *f = ctx;
	const struct frow *row = frame_row(f, c->row);

	if (!f->have_flags)
		snprintf(c->buf, c->n, "-");
	else if (row->rec != KPAGE_REC_YES)
		snprintf(c->buf, c->n, "(%s)",
			 kpage_rec_short((enum kpage_rec)row->rec));
	else if (row->device)
		snprintf(c->buf, c->n, "(device memory, no struct page)");
	else if (row->flags == 0)
		snprintf(c->buf, c->n, "%s", row->tail ?
			 "(none: inside a free block)" : "(none)");
	else if (f->long_flags)
		kpage_flags_format_for(row->flags, kver_of_root(f->app->root),
				       ",", c->buf, c->n);
	else
		kpage_flags_short_for(row->flags, kver_of_root(f->app->root),
				      c->buf, c->n);
}

static void frames_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct frames_screen *f = FS(s);
	struct lv_column c[] = {
		{ .title = "PFN", .width = f->pfn_digits, .cell = pfn_cell },
		{ .title = "PHYS", .width = f->phys_digits, .cell = phys_cell },
		{ .title = "KIND", .width = 9, .pad = true, .cell = kind_cell },
		{ .title = "MAP", .width = 5, .right = true, .cell = count_cell },
		{ .title = "FLAGS", .cell = flags_cell },
	};

	(void)h;
	f->long_flags = w >= f->pfn_digits + f->phys_digits + 24 + 30;
	if (f->why[0])
		draw_untrusted(y++, 0, w, app_attr(a, EL_WARN), f->why, true);
	listview_draw_header(c, 5, y, w, app_attr(a, EL_HEADER));
	f->lv.n = f->lv.top + f->nrows;   /* only the rows read */
	listview_draw_rows(&f->lv, c, 5, y + 1, w);
	f->lv.n = (int64_t)(f->pfn_hi - f->pfn_lo);
}

static void frames_info(struct screen *s, struct app *a, char *buf, size_t n,
			int *elem)
{
	struct frames_screen *f = FS(s);
	const struct frow *row = NULL;
	int r;

	(void)a;
	*elem = EL_INFO;
	buf[0] = '\0';
	for (r = 0; r < f->nrows; r++)
		if (f->rows[r].pfn == cur_pfn(f))
			row = &f->rows[r];
	if (!row)
		return;
	if (!f->have_flags) {
		snprintf(buf, n, "PFN 0x%llx | Enter or w: which processes map it",
			 (unsigned long long)row->pfn);
		return;
	}
	{
		char fl[512];

		if (row->rec != KPAGE_REC_YES || row->device)
			snprintf(fl, sizeof fl, "%s", row->device ?
				 "device memory, no struct page" :
				 kpage_rec_short((enum kpage_rec)row->rec));
		else
			kpage_flags_format(row->flags, ",", fl, sizeof fl);
		snprintf(buf, n, "PFN 0x%llx %s%s%s%s | Enter or w: who maps it",
			 (unsigned long long)row->pfn, cat_name(row),
			 fl[0] ? " (" : "", fl, fl[0] ? ")" : "");
	}
}

static void frames_title(struct screen *s, struct app *a, char *buf, size_t n)
{
	struct frames_screen *f = FS(s);

	(void)a;
	snprintf(buf, n, "frames of %s | PFN 0x%llx-0x%llx, %llu frame%s", f->label,
		 (unsigned long long)f->pfn_lo, (unsigned long long)(f->pfn_hi - 1),
		 (unsigned long long)(f->pfn_hi - f->pfn_lo),
		 f->pfn_hi - f->pfn_lo == 1 ? "" : "s");
}

static bool frames_action(struct screen *s, struct app *a, enum action act)
{
	struct frames_screen *f = FS(s);
	uint64_t cur = cur_pfn(f);

	if (listview_move(&f->lv, act)) {
		s->dirty = true;
		return true;
	}
	switch (act) {
	case ACT_PHYS:
		/* the map, at this frame */
		app_open_phys(a, true, cur << a->root->page_shift);
		return true;
	case ACT_OPEN:
	case ACT_RMAP: {
		char lab[640];

		snprintf(lab, sizeof lab, "PFN 0x%llx in %s",
			 (unsigned long long)cur, f->raw_label);
		app_open_rmap(a, cur, cur + 1, lab);
		return true;
	}
	default:
		return false;
	}
}

static bool frames_search(struct screen *s, struct app *a, const char *text,
			  int dir, bool from_here)
{
	struct frames_screen *f = FS(s);
	uint64_t v;

	(void)dir;
	(void)from_here;
	if (!parse_addr(text, &v))
		return false;
	/* a physical address in the range, else a PFN */
	if (v >= f->start && v < f->end)
		v >>= a->root->page_shift;
	else if (v < f->pfn_lo || v >= f->pfn_hi)
		return false;
	listview_select(&f->lv, (int64_t)(v - f->pfn_lo));
	return true;
}

static void frames_destroy(struct screen *s)
{
	struct frames_screen *f = FS(s);

	free(f->rows);
	free(f->prev);
	free(f->pfns);
	free(f->flags);
	free(f->counts);
	free(f);
}

static const struct screen_ops frames_ops = {
	.name = "frames",
	.context = frames_context,
	.update = frames_update,
	.draw = frames_draw,
	.info = frames_info,
	.title = frames_title,
	.action = frames_action,
	.search = frames_search,
	.filter = NULL,
	.goto_addr = NULL,
	.destroy = frames_destroy,
};

struct screen *screen_frames_new(struct app *a, uint64_t start, uint64_t end,
				 const char *label, uint64_t sel,
				 struct vms_err *e)
{
	struct frames_screen *f;
	unsigned sh = a->root->page_shift;
	uint64_t max;

	if (end <= start) {
		err_set(e, EINVAL, "an empty range has no frames");
		return NULL;
	}
	f = calloc(1, sizeof *f);
	if (!f) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	f->base.ops = &frames_ops;
	f->start = start;
	f->end = end;
	f->pfn_lo = start >> sh;
	f->pfn_hi = ((end - 1) >> sh) + 1;
	f->app = a;
	listview_init(&f->lv, f);
	f->lv.row_attr = row_attr;
	f->lv.n = (int64_t)(f->pfn_hi - f->pfn_lo);
	f->lv.sel = (int64_t)((sel >= start && sel < end ? sel >> sh : f->pfn_lo) -
			      f->pfn_lo);
	f->lv.top = f->lv.sel > 0 ? f->lv.sel - 1 : 0;
	snprintf(f->raw_label, sizeof f->raw_label, "%s", label ? label : "");
	escape_text(f->label, sizeof f->label, f->raw_label, strlen(f->raw_label));
	max = f->pfn_hi - 1;
	f->pfn_digits = 5;
	while (f->pfn_digits < 16 && (max >> (4 * f->pfn_digits)))
		f->pfn_digits++;
	max = end - 1;
	f->phys_digits = 8;
	while (f->phys_digits < 16 && (max >> (4 * f->phys_digits)))
		f->phys_digits++;
	return &f->base;
}
