/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_vmas: the VMAs of the open process with the holes between them:
 * range, perms, size, RSS, kind, name, VmFlags.  PFNMAP/IO/UIO mappings
 * and holes have their own colours; for the selected one a panel says
 * what it is, and for a gap why pagemap cannot see it and its physical
 * address where the system tells. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/units.h"
#include "app.h"
#include "bitset.h"
#include "draw.h"
#include "listview.h"
#include "screens.h"
#include "still.h"
#include "uitext.h"
#include "vmainfo.h"
#include "vmscope/escape.h"
#include "vmas_screen.h"

/* Row r of the view's list (a hole is filled into *hole).  Never NULL:
 * a row the list no longer has (between a refresh that changed the
 * layout and the rebuild) reads as an empty hole. */
static const struct vma *vma_at(struct app *a, size_t r, struct vma *hole)
{
	static char empty[1];
	static const struct vma none = { .perms = "----", .name = empty,
					 .vmflags_text = "",
					 .kind = VMA_KIND_HOLE };
	const struct vma *v = procview_row(&a->pv, r, hole);

	return v ? v : &none;
}

const struct vma *vmas_row_vma(struct vmas_screen *p, int64_t row,
				 struct vma *hole)
{
	return vma_at(p->app, p->lv.view[row], hole);
}

static bool vma_matches(const struct vma *v, const char *t)
{
	uint64_t addr;

	if (parse_addr(t, &addr) && addr >= v->start && addr < v->end)
		return true;
	return text_match(v->name, t) || text_match(vma_kind_name(v->kind), t) ||
	       text_match(v->perms, t) || text_match(v->vmflags_text, t);
}


static uint64_t row_digest(const struct vma *v)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325), perms = 0;

	memcpy(&perms, v->perms, 4);
	h = (h ^ v->end) * UINT64_C(0x100000001b3);
	h = (h ^ vmas_rss(v)) * UINT64_C(0x100000001b3);
	return (h ^ perms) * UINT64_C(0x100000001b3);
}

static const struct prev_vma *find_prev(struct vmas_screen *p, uint64_t start)
{
	size_t lo = 0, hi = p->nprev;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->prev[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nprev && p->prev[lo].start == start ? &p->prev[lo] : NULL;
}

uint64_t vmas_rss(const struct vma *v)
{
	return v->has_smaps ? v->smaps[SMAPS_RSS] : 0;
}

/* Whether row r of procview is a row of the view (a VMA or hole that
 * passes the filter); notes whether it changed since the last time. */
static bool keep_row(void *ctx, size_t r)
{
	struct vmas_screen *p = ctx;
	struct vma hole;
	const struct vma *v = procview_row(&p->app->pv, r, &hole);
	const struct prev_vma *pr;
	bool ch;

	if (!v)
		return false;
	pr = find_prev(p, v->start);
	ch = !pr || pr->digest != row_digest(v);
	p->differs |= ch;
	if (p->lv.filter[0] && !vma_matches(v, p->lv.filter))
		return false;
	bitset_put(p->changed, p->lv.nview, p->mark && ch);
	p->any_changed |= p->mark && ch;
	return true;
}

/* Remember the VMAs (n of them) to see what changes at the next read. */
static void remember(struct vmas_screen *p, struct app *a, size_t n)
{
	size_t r, i, nr = procview_rows(&a->pv);
	struct vma hole;

	if (p->prev_cap < n) {
		struct prev_vma *np = realloc(p->prev, n * sizeof *np);

		if (!np)
			return;
		p->prev = np;
		p->prev_cap = n;
	}
	for (r = 0, i = 0; r < nr; r++) {
		const struct vma *v = procview_row(&a->pv, r, &hole);

		if (!v)
			continue;
		p->prev[i].start = v->start;
		p->prev[i].digest = row_digest(v);
		i++;
	}
	p->nprev = n;
}

/* Rebuild the view from the VMAs and the holes between them; mark rows
 * that differ from the last time when mark.  Returns whether anything
 * differs. */
static bool rebuild(struct vmas_screen *p, struct app *a, bool mark)
{
	size_t i, r, nr = procview_rows(&a->pv), n = 0;
	struct vma hole;
	bool had = p->any_changed;

	for (r = 0; r < nr; r++)
		n += procview_row(&a->pv, r, &hole) != NULL;
	if (p->cap < n) {
		uint64_t *nc = realloc(p->changed,
				       bitset_words(n) * sizeof *nc);

		if (!nc) {
			listview_set_rows(&p->lv, 0);
			p->lv.nview = 0;
			return true;
		}
		p->changed = nc;
		p->cap = n;
	}
	p->differs = n != p->nprev;
	p->mark = mark;
	p->any_changed = false;
	listview_build_view(&p->lv, nr, keep_row);
	remember(p, a, n);
	p->gen = a->pv.gen;
	/* the selection follows its address */
	for (i = 0; i < p->lv.nview; i++) {
		const struct vma *v = vma_at(a, p->lv.view[i], &hole);

		if (p->sel_addr >= v->start && p->sel_addr < v->end) {
			p->lv.sel = (int64_t)i;
			break;
		}
	}
	listview_clamp(&p->lv);
	if (p->lv.nview)
		p->sel_addr = vma_at(a, p->lv.view[p->lv.sel], &hole)->start;
	return p->differs || had;
}

/* Re-read the process (smaps) and rebuild the view, timing the read so
 * that a still process is read fully no more often than it pays. */
static int full_read(struct vmas_screen *p, struct app *a, bool mark,
		     struct vms_err *e)
{
	still_read_start(&p->still);
	if (procview_refresh(&a->pv, true, e) < 0)
		return -1;
	still_read_end(&p->still);
	return rebuild(p, a, mark);
}

/* A refresh skipped: the marks of the last one go. */
static int unmark(struct vmas_screen *p)
{
	if (!p->any_changed)
		return 0;
	bitset_clear(p->changed, p->lv.nview);
	p->any_changed = false;
	return 1;
}

static unsigned vmas_context(struct screen *s)
{
	(void)s;
	return CTX_VMAS;
}

static int panel_rows(int h)
{
	return h >= 18 ? 5 : h >= 14 ? 4 : 0;
}

static int vmas_update(struct screen *s, struct app *a, int h, int w,
		       bool re, struct vms_err *e)
{
	struct vmas_screen *p = VS(s);
	int rc = 0, lh = h - 1 - panel_rows(h);

	(void)w;
	if (lh < 1)
		lh = 1;
	if (listview_set_height(&p->lv, lh))
		rc = 1;
	if (re && !s->stale && a->pv.smaps_fresh && p->gen == a->pv.gen &&
	    still_holds(&p->still, a->root, a->pv.pid)) {
		rc |= unmark(p);
	} else if (re || s->stale || !a->pv.smaps_fresh) {
		bool mark = re && !s->stale;
		int r;

		s->stale = false;
		r = full_read(p, a, mark, e);
		if (r < 0)
			return -1;
		rc |= r;
	} else if (p->gen != a->pv.gen) {
		rebuild(p, a, false);
		rc = 1;
	}
	return rc;
}

static void vmas_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct vmas_screen *p = VS(s);
	struct lv_column c[8];
	struct vma hole;
	int nc = vmas_columns(p, a, w, c), ph = panel_rows(h);

	listview_draw_header(c, nc, y, w, app_attr(a, EL_HEADER));
	listview_draw_rows(&p->lv, c, nc, y + 1, w);
	if (ph && p->lv.nview)
		vmainfo_panel(a, vmas_row_vma(p, p->lv.sel, &hole), y + h - ph, ph,
			      w);
}

static void vmas_info(struct screen *s, struct app *a, char *buf, size_t n,
		      int *elem)
{
	struct vmas_screen *p = VS(s);
	struct vma hole;

	*elem = EL_INFO;
	buf[0] = '\0';
	if (p->lv.nview)
		vmainfo_line(&p->info, a, vmas_row_vma(p, p->lv.sel, &hole), buf, n,
			     elem);
}

static void vmas_title(struct screen *s, struct app *a, char *buf, size_t n)
{
	struct vmas_screen *p = VS(s);
	char comm[128], f[160];
	size_t i, gaps = 0;

	escape_text(comm, sizeof comm, a->pv.comm, strlen(a->pv.comm));
	for (i = 0; i < a->pv.vmas.n; i++)
		gaps += vma_is_gap(&a->pv.vmas.v[i]);
	listview_filter_title(&p->lv, f, sizeof f);
	snprintf(buf, n, "PID %d %s | %zu VMAs, %zu gap%s%s%s", a->pv.pid, comm,
		 a->pv.vmas.n, gaps, gaps == 1 ? "" : "s", gaps ? " (!)" : "", f);
}

/* The selection follows its address through refreshes. */
static void set_sel(struct vmas_screen *p)
{
	struct vma hole;

	listview_clamp(&p->lv);
	if (p->lv.nview)
		p->sel_addr = vmas_row_vma(p, p->lv.sel, &hole)->start;
}

static bool vmas_action(struct screen *s, struct app *a, enum action act)
{
	struct vmas_screen *p = VS(s);
	struct vma hole;

	if (listview_move(&p->lv, act)) {
		set_sel(p);
		return true;
	}
	if (act == ACT_OPEN && p->lv.nview) {
		app_open_pages(a, vmas_row_vma(p, p->lv.sel, &hole)->start,
			       a->prefer_map);
		return true;
	}
	if (act == ACT_BACK && p->lv.filter[0]) {
		/* Esc clears a filter first, as in htop */
		s->ops->filter(s, a, "");
		app_message(a, EL_MESSAGE, "filter cleared (Esc again: back)");
		return true;
	}
	return false;
}

static bool vmas_click(struct screen *s, struct app *a, int y, int x)
{
	(void)a;
	(void)x;
	if (!listview_click(&VS(s)->lv, y))
		return false;
	set_sel(VS(s));
	return true;
}

static bool row_matches(void *ctx, int64_t row, const char *text)
{
	struct vma hole;

	return vma_matches(vmas_row_vma(ctx, row, &hole), text);
}

static bool vmas_search(struct screen *s, struct app *a, const char *text,
			int dir, bool from_here)
{
	struct vmas_screen *p = VS(s);

	(void)a;
	if (!listview_search(&p->lv, text, dir, from_here))
		return false;
	set_sel(p);
	return true;
}

static void vmas_filter(struct screen *s, struct app *a, const char *text)
{
	struct vmas_screen *p = VS(s);

	listview_set_filter(&p->lv, text);
	rebuild(p, a, false);
}

static bool vmas_goto(struct screen *s, struct app *a, uint64_t addr)
{
	struct vmas_screen *p = VS(s);

	/* select the VMA (the app then opens its pages) */
	p->sel_addr = addr;
	rebuild(p, a, false);
	return false;
}

static void vmas_destroy(struct screen *s)
{
	struct vmas_screen *p = VS(s);

	listview_free(&p->lv);
	free(p->changed);
	free(p->prev);
	free(p);
}

static const struct screen_ops vmas_ops = {
	.name = "VMAs",
	.context = vmas_context,
	.update = vmas_update,
	.draw = vmas_draw,
	.info = vmas_info,
	.title = vmas_title,
	.action = vmas_action,
	.search = vmas_search,
	.filter = vmas_filter,
	.click = vmas_click,
	.goto_addr = vmas_goto,
	.destroy = vmas_destroy,
};

struct screen *screen_vmas_new(struct app *a, uint64_t select_addr,
			       struct vms_err *e)
{
	struct vmas_screen *p = calloc(1, sizeof *p);

	if (!p) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	p->base.ops = &vmas_ops;
	p->base.is_process = true;
	p->app = a;
	listview_init(&p->lv, p);
	p->lv.matches = row_matches;
	p->lv.row_attr = vmas_row_attr;
	p->sel_addr = select_addr;
	rebuild(p, a, false);
	p->any_changed = false;
	return &p->base;
}
