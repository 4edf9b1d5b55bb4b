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
#include "uiint.h"
#include "vmscope/escape.h"
#include "vmscope/explain.h"

#define LOOKBACK 1024

struct frow {
	uint64_t pfn, flags, count;
	int cat;                /* enum kheat_cat; -1 unknown */
	bool tail;              /* flagless page of a free block */
	bool changed;
};

struct frames_screen {
	struct screen base;
	uint64_t start, end;    /* bytes, [start, end) */
	uint64_t pfn_lo, pfn_hi;
	char label[512];        /* escaped */
	char raw_label[512];    /* raw, for the next screen */
	uint64_t cur, top;      /* PFNs */
	int h;
	struct frow *rows, *prev;
	int nrows, nprev, cap;
	uint64_t *pfns, *flags, *counts;
	size_t bufcap;
	bool loaded, any_changed, have_flags, have_counts;
	uint64_t ld_top;
	int ld_h;
	char why[512];          /* why there are no flags */
	int pfn_digits, phys_digits;
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

static int load(struct frames_screen *f, struct app *a, bool mark,
		struct vms_err *e)
{
	struct kpage *kp;
	uint64_t first, i, n, buddy_end = 0;
	int r;

	if (f->cap < f->h) {
		struct frow *nr = calloc((size_t)f->h, sizeof *nr);
		struct frow *np = calloc((size_t)f->h, sizeof *np);

		if (!nr || !np) {
			free(nr);
			free(np);
			err_set(e, ENOMEM, "out of memory for %d rows", f->h);
			return -1;
		}
		free(f->rows);
		free(f->prev);
		f->rows = nr;
		f->prev = np;
		f->cap = f->h;
	}
	{
		struct frow *t = f->prev;

		f->prev = f->rows;
		f->rows = t;
		f->nprev = f->nrows;
	}
	f->nrows = 0;
	for (r = 0; r < f->h && f->top + (uint64_t)r < f->pfn_hi; r++) {
		memset(&f->rows[r], 0, sizeof f->rows[r]);
		f->rows[r].pfn = f->top + (uint64_t)r;
		f->rows[r].cat = -1;
	}
	f->nrows = r;
	f->have_flags = f->have_counts = false;
	kp = flags_source(f, a);
	if (kp && f->nrows) {
		/* from up to LOOKBACK frames before: a free block's first
		 * page marks the flagless ones after it */
		first = f->top >= LOOKBACK ? f->top - LOOKBACK : 0;
		n = f->top + (uint64_t)f->nrows - first;
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
			if (pfn >= f->top) {
				struct frow *row = &f->rows[pfn - f->top];

				row->flags = fl;
				row->count = f->have_counts ? f->counts[i] : 0;
				row->tail = tail;
				row->cat = in_ram(a, pfn) || fl ? (int)c : KHEAT_NOT_RAM;
				/* a snapshot keeps the flags of mapped frames
				 * only: no flags there says nothing */
				if (!a->root->live && !fl && !tail)
					row->cat = -1;
			}
		}
	}
	{
		bool same = f->loaded && f->ld_top == f->top && f->ld_h == f->h &&
			    f->nprev == f->nrows;
		bool differs = !same, had = f->any_changed;

		f->any_changed = false;
		for (r = 0; r < f->nrows; r++) {
			bool d = same && (f->rows[r].flags != f->prev[r].flags ||
					  f->rows[r].count != f->prev[r].count);

			differs |= d;
			f->rows[r].changed = mark && d;
			f->any_changed |= mark && d;
		}
		f->loaded = true;
		f->ld_top = f->top;
		f->ld_h = f->h;
		return differs || had;
	}
}

static void ensure_visible(struct frames_screen *f)
{
	uint64_t h = f->h > 0 ? (uint64_t)f->h : 1, n = f->pfn_hi - f->pfn_lo;

	if (f->cur < f->pfn_lo)
		f->cur = f->pfn_lo;
	if (f->cur >= f->pfn_hi)
		f->cur = f->pfn_hi - 1;
	if (f->cur < f->top)
		f->top = f->cur;
	if (f->cur >= f->top + h)
		f->top = f->cur - h + 1;
	if (n > h && f->top > f->pfn_hi - h)
		f->top = f->pfn_hi - h;
	if (n <= h || f->top < f->pfn_lo)
		f->top = f->pfn_lo;
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
	if (lh != f->h) {
		f->h = lh;
		f->loaded = false;
	}
	ensure_visible(f);
	if (!re && !s->stale && f->loaded && f->ld_top == f->top &&
	    f->ld_h == f->h)
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

static void frames_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct frames_screen *f = FS(s);
	int pd = f->pfn_digits, qd = f->phys_digits, r, x, yy = y;
	bool longf = w >= pd + qd + 24 + 30;
	char buf[1024];

	(void)h;
	if (f->why[0]) {
		draw_untrusted(yy++, 0, w, app_attr(a, EL_WARN), f->why, true);
	}
	draw_fill(yy, 0, w, app_attr(a, EL_HEADER));
	draw_fmt(yy, 0, w, app_attr(a, EL_HEADER), false, "%-*s %-*s %-9s %5s FLAGS",
		 pd, "PFN", qd, "PHYS", "KIND", "MAP");
	yy++;
	for (r = 0; r < f->nrows && r < f->h; r++) {
		const struct frow *row = &f->rows[r];
		bool sel = row->pfn == f->cur;
		attr_t at = app_attr(a, sel ? EL_SELECTED : row->changed ? EL_CHANGED
								      : EL_NORMAL);
		attr_t ca = sel ? at : row->cat >= 0 ?
			app_attr(a, krview_heat_elem((enum kheat_cat)row->cat)) : at;
		char cnt[24];

		draw_fill(yy + r, 0, w, at);
		x = draw_fmt(yy + r, 0, w, at, false, "%0*llx %0*llx ", pd,
			     (unsigned long long)row->pfn, qd,
			     (unsigned long long)(row->pfn << a->root->page_shift));
		x += draw_fmt(yy + r, x, w - x, ca, false, "%-9s", cat_name(row));
		if (f->have_counts)
			snprintf(cnt, sizeof cnt, "%llu", (unsigned long long)row->count);
		else
			snprintf(cnt, sizeof cnt, "-");
		x += draw_fmt(yy + r, x, w - x, at, false, " %5s ", cnt);
		if (!f->have_flags)
			snprintf(buf, sizeof buf, "-");
		else if (row->flags == 0)
			snprintf(buf, sizeof buf, "%s", row->tail ?
				 "(none: inside a free block)" : !a->root->live ?
				 "(not in the snapshot: no process mapped it)" : "(none)");
		else if (longf)
			kpage_flags_format(row->flags, ",", buf, sizeof buf);
		else
			kpage_flags_short(row->flags, buf, sizeof buf);
		draw_text(yy + r, x, w - x, at, buf, false);
	}
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
		if (f->rows[r].pfn == f->cur)
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
	uint64_t page = f->h > 1 ? (uint64_t)f->h - 1 : 1;

	switch (act) {
	case ACT_UP:
		if (f->cur > f->pfn_lo)
			f->cur--;
		break;
	case ACT_DOWN:
		if (f->cur + 1 < f->pfn_hi)
			f->cur++;
		break;
	case ACT_PGUP:
		f->cur = f->cur - f->pfn_lo > page ? f->cur - page : f->pfn_lo;
		break;
	case ACT_PGDN:
		f->cur = f->pfn_hi - f->cur > page ? f->cur + page : f->pfn_hi - 1;
		break;
	case ACT_HOME:
		f->cur = f->pfn_lo;
		break;
	case ACT_END:
		f->cur = f->pfn_hi - 1;
		break;
	case ACT_PHYS:
		/* the map, at this frame */
		app_open_phys(a, true, f->cur << a->root->page_shift);
		return true;
	case ACT_OPEN:
	case ACT_RMAP: {
		char lab[640];

		snprintf(lab, sizeof lab, "PFN 0x%llx in %s",
			 (unsigned long long)f->cur, f->raw_label);
		app_open_rmap(a, f->cur, f->cur + 1, lab);
		return true;
	}
	default:
		return false;
	}
	ensure_visible(f);
	s->dirty = true;
	return true;
}

static bool frames_search(struct screen *s, struct app *a, const char *text,
			  int dir, bool from_here)
{
	struct frames_screen *f = FS(s);
	uint64_t v;

	(void)a;
	(void)dir;
	(void)from_here;
	if (!parse_addr(text, &v))
		return false;
	/* a physical address in the range, else a PFN */
	if (v >= f->start && v < f->end)
		f->cur = v >> a->root->page_shift;
	else if (v >= f->pfn_lo && v < f->pfn_hi)
		f->cur = v;
	else
		return false;
	ensure_visible(f);
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
	f->cur = sel >= start && sel < end ? sel >> sh : f->pfn_lo;
	f->top = f->cur > f->pfn_lo ? f->cur - 1 : f->pfn_lo;
	f->h = 1;
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
