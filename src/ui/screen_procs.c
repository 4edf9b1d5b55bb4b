/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_procs: the process list (libproc2 through procs.h): PID, user,
 * RSS, VSZ, command; sort by column (keys, F6, a click on a title), a
 * tree, threads, only mine, filter, incremental search, live. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "vmscope/units.h"
#include "app.h"
#include "chooser.h"
#include "draw.h"
#include "listview.h"
#include "procs_screen.h"
#include "screens.h"
#include "uitext.h"
#include "vmscope/escape.h"
#include "vmscope/procs.h"
#include "vmscope/proctree.h"

const char *const procs_sort_names[SORT__N] = {
	"PID", "USER", "RSS", "VSZ", "COMMAND",
};

static struct procs_screen *sort_ctx;

static int cmp_rows(const void *a, const void *b)
{
	const struct proc_row *x = &sort_ctx->list.rows[*(const uint32_t *)a];
	const struct proc_row *y = &sort_ctx->list.rows[*(const uint32_t *)b];
	int r = 0;

	switch (sort_ctx->sort) {
	case SORT_PID: r = (x->pid > y->pid) - (x->pid < y->pid); break;
	case SORT_USER: r = strcmp(x->user, y->user); break;
	case SORT_RSS: r = (x->rss_kib < y->rss_kib) - (x->rss_kib > y->rss_kib); break;
	case SORT_VSZ: r = (x->vsz_bytes < y->vsz_bytes) - (x->vsz_bytes > y->vsz_bytes); break;
	case SORT_CMD: r = strcmp(x->cmdline[0] ? x->cmdline : x->comm,
				 y->cmdline[0] ? y->cmdline : y->comm); break;
	default: break;
	}
	if (sort_ctx->reverse)
		r = -r;
	if (!r)
		r = (x->pid > y->pid) - (x->pid < y->pid);
	return r;
}

static bool row_matches(const struct proc_row *r, const char *t)
{
	char num[16];

	snprintf(num, sizeof num, "%d", r->pid);
	return text_match(num, t) || text_match(r->user, t) ||
	       text_match(r->comm, t) || text_match(r->cmdline, t);
}

static bool row_matches_at(void *ctx, int64_t row, const char *t)
{
	struct procs_screen *p = ctx;

	return row_matches(&p->list.rows[p->lv.view[row]], t);
}

/* Whether process i is a row: kernel threads and threads when shown,
 * only mine, the filter. */
static bool keep_row(void *ctx, size_t i)
{
	struct procs_screen *p = ctx;
	const struct proc_row *r = &p->list.rows[i];

	if (r->kthread && !p->show_kthreads) {
		p->kthreads_hidden++;
		return false;
	}
	if ((r->thread && !p->show_threads) ||
	    (p->only_mine && !procs_row_mine(p, r)) ||
	    (p->lv.filter[0] && !row_matches(r, p->lv.filter)))
		return false;
	p->unreadable += r->unreadable;
	return true;
}

/* The pid of the selected process remembered, to keep it selected. */
void procs_set_sel(struct procs_screen *p)
{
	listview_clamp(&p->lv);
	if (p->lv.nview)
		p->sel_pid = p->list.rows[p->lv.view[p->lv.sel]].pid;
}

void procs_rebuild_view(struct procs_screen *p)
{
	size_t i;

	p->kthreads_hidden = 0;
	p->unreadable = 0;
	listview_build_view(&p->lv, p->list.n, keep_row);
	sort_ctx = p;
	if (p->lv.nview)   /* an empty view may have no array at all */
		qsort(p->lv.view, p->lv.nview, sizeof *p->lv.view, cmp_rows);
	sort_ctx = NULL;
	if (p->tree)
		procs_tree_order(p);
	/* keep the selection on the same process */
	for (i = 0; i < p->lv.nview; i++)
		if (p->list.rows[p->lv.view[i]].pid == p->sel_pid) {
			p->lv.sel = (int64_t)i;
			break;
		}
	procs_set_sel(p);
}

static const struct prev_rss *find_prev(struct procs_screen *p, int pid)
{
	size_t lo = 0, hi = p->nprev;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->prev[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nprev && p->prev[lo].pid == pid ? &p->prev[lo] : NULL;
}

/* Read the list; mark new processes and changed RSS.  Returns whether
 * anything differs from the last read. */
static int reread(struct procs_screen *p, bool mark, struct vms_err *e)
{
	size_t i;
	bool differs, had_marks = p->any_changed;

	if (procs_read(p->reader, &p->list, e) < 0)
		return -1;
	if (p->changed_cap < p->list.n) {
		bool *nc = realloc(p->changed, p->list.n * sizeof *nc);

		if (!nc) {
			err_set(e, ENOMEM, "out of memory for the process list");
			return -1;
		}
		p->changed = nc;
		p->changed_cap = p->list.n;
	}
	differs = p->list.n != p->nprev;
	p->any_changed = false;
	for (i = 0; i < p->list.n; i++) {
		const struct proc_row *r = &p->list.rows[i];
		const struct prev_rss *pr = find_prev(p, r->pid);
		bool ch = !pr || pr->rss != r->rss_kib;

		differs |= ch;
		p->changed[i] = mark && p->loaded && ch;
		p->any_changed |= p->changed[i];
	}
	/* remember this read (rows are sorted by pid) */
	if (p->prev_cap < p->list.n) {
		struct prev_rss *np = realloc(p->prev, p->list.n * sizeof *np);

		if (!np) {
			p->nprev = 0;
			return 1;
		}
		p->prev = np;
		p->prev_cap = p->list.n;
	}
	for (i = 0; i < p->list.n; i++) {
		p->prev[i].pid = p->list.rows[i].pid;
		p->prev[i].rss = p->list.rows[i].rss_kib;
	}
	p->nprev = p->list.n;
	p->loaded = true;
	procs_rebuild_view(p);
	return differs || had_marks;
}

static unsigned procs_context(struct screen *s)
{
	(void)s;
	return CTX_PROCS;
}

static int procs_update(struct screen *s, struct app *a, int h, int w,
			bool re, struct vms_err *e)
{
	struct procs_screen *p = PS(s);
	int rc = 0;

	(void)a;
	(void)w;
	if (listview_set_height(&p->lv, h - 1))
		rc = 1;
	if (!p->loaded || re || s->stale) {
		int r = reread(p, re && !s->stale, e);

		s->stale = false;
		if (r < 0)
			return -1;
		rc |= r;
	}
	return rc;
}

static attr_t row_attr(void *ctx, int64_t row, bool sel)
{
	struct procs_screen *p = ctx;
	size_t i = p->lv.view[row];
	attr_t at = app_attr(p->app, EL_NORMAL);

	if (p->list.rows[i].kthread || p->list.rows[i].unreadable)
		at = app_attr(p->app, EL_DIM);
	if (p->changed && p->changed[i])
		at = app_attr(p->app, EL_CHANGED);
	if (sel)
		at = app_attr(p->app, EL_SELECTED);
	return at;
}

static const struct proc_row *row_at(void *ctx, int64_t row)
{
	struct procs_screen *p = ctx;

	return &p->list.rows[p->lv.view[row]];
}

static void pid_cell(void *ctx, struct lv_cell *c)
{
	snprintf(c->buf, c->n, "%d", row_at(ctx, c->row)->pid);
}

static void user_cell(void *ctx, struct lv_cell *c)
{
	const char *u = row_at(ctx, c->row)->user;

	escape_text(c->buf, c->n, u, strlen(u));
}

static void size_cell(char *buf, size_t n, uint64_t bytes)
{
	if (bytes)
		units_size(buf, n, bytes);
	else
		snprintf(buf, n, "-");
}

static void rss_cell(void *ctx, struct lv_cell *c)
{
	size_cell(c->buf, c->n, row_at(ctx, c->row)->rss_kib * 1024);
}

static void vsz_cell(void *ctx, struct lv_cell *c)
{
	size_cell(c->buf, c->n, row_at(ctx, c->row)->vsz_bytes);
}

static void cmd_cell(void *ctx, struct lv_cell *c)
{
	struct procs_screen *p = ctx;
	const struct proc_row *r = row_at(ctx, c->row);
	char lines[256] = "";
	size_t l;

	if (p->tree)
		proctree_prefix(&p->trow[c->row], draw_utf8(), lines,
				sizeof lines);
	l = strlen(lines);
	if (l >= c->n)
		l = 0;
	memcpy(c->buf, lines, l);
	if (r->kthread || !r->cmdline[0]) {
		char esc[128];

		escape_text(esc, sizeof esc, r->comm, strlen(r->comm));
		snprintf(c->buf + l, c->n - l, "[%s]", esc);
	} else {
		escape_text(c->buf + l, c->n - l, r->cmdline, strlen(r->cmdline));
	}
}

/* Whether the list is in ascending order of its sort column: sizes
 * come largest first, the rest smallest first, S turns either. */
static bool sort_ascending(const struct procs_screen *p)
{
	bool sizes = p->sort == SORT_RSS || p->sort == SORT_VSZ;

	return sizes == p->reverse;
}

/* The columns for width w (USER and VSZ only where they fit), the sort
 * column marked. */
static int columns(struct procs_screen *p, int w, struct lv_column *c)
{
	/* one meaning for the mark: up, ascending (smallest first); down,
	 * descending; whichever is the column's first order */
	bool asc = sort_ascending(p);
	const char *arrow = draw_utf8() ? (asc ? "\xe2\x86\x91" : "\xe2\x86\x93")
					: (asc ? "^" : "v");
	int n = 0, i;

	unsigned want = p->app->cfg.columns; /* the columns setting */

	c[n++] = (struct lv_column){ .title = "PID", .width = 6, .right = true, .cell = pid_cell };
	if (w >= 44 && want & 1u << CONFIG_COL_USER)
		c[n++] = (struct lv_column){ .title = "USER", .width = 9, .lead = true, .cell = user_cell };
	if (want & 1u << CONFIG_COL_RSS)
		c[n++] = (struct lv_column){ .title = "RSS", .width = 7, .right = true, .cell = rss_cell };
	if (w >= 56 && want & 1u << CONFIG_COL_VSZ)
		c[n++] = (struct lv_column){ .title = "VSZ", .width = 7, .right = true, .cell = vsz_cell };
	c[n++] = (struct lv_column){ .title = "COMMAND", .lead = true, .cell = cmd_cell };
	for (i = 0; i < n; i++)
		if (strcmp(c[i].title, procs_sort_names[p->sort]) == 0) {
			c[i].mark = arrow;
			c[i].emph = true;
		}
	return n;
}

static void procs_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct procs_screen *p = PS(s);
	struct lv_column *c = p->cols;
	int nc = columns(p, w, c);

	p->ncols = nc;
	p->header_y = y;
	listview_draw_header(c, nc, y, w, app_attr(a, EL_HEADER));
	if (p->unreadable) {
		/* the legend of the dim rows, right of the titles */
		static const char legend[] = "dim: not yours to open, u: only mine";
		int lw = (int)sizeof legend - 1;

		if (w - lw - 1 > listview_column_x(c, nc - 1) + 8)
			draw_text(y, w - lw - 1, lw, app_attr(a, EL_HEADER),
				  legend, false);
	}
	listview_draw_rows(&p->lv, c, nc, y + 1, w);
	if (p->lv.nview == 0 && h > 2)
		draw_text(y + 2, 2, w - 2, app_attr(a, EL_DIM),
			  p->lv.filter[0] ? "no process matches the filter (Esc or :filter with no text clears it)"
					  : p->only_mine ? "none of these processes is yours (u: everyone's)"
					  : "no processes", false);
	if (p->sortmenu.open)
		chooser_draw(&p->sortmenu, y + 1, 1, h - 1,
			     app_attr(a, EL_NORMAL), app_attr(a, EL_SELECTED),
			     app_attr(a, EL_BORDER));
}

static void procs_info(struct screen *s, struct app *a, char *buf, size_t n,
		       int *elem)
{
	struct procs_screen *p = PS(s);
	const struct proc_row *r;
	char comm[128];

	(void)a;
	*elem = EL_INFO;
	if (!p->lv.nview) {
		snprintf(buf, n, "%s", "");
		return;
	}
	r = row_at(p, p->lv.sel);
	escape_text(comm, sizeof comm, r->comm, strlen(r->comm));
	if (r->unreadable)
		snprintf(buf, n, "%d %s (%s): not yours: opening it needs root (u: only mine)",
			 r->pid, comm, r->user);
	else if (r->thread)
		snprintf(buf, n, "%d %s: a thread of %d: Enter shows their VMAs",
			 r->pid, comm, r->tgid);
	else if (r->kthread)
		snprintf(buf, n, "%d %s: a kernel thread: no user memory to show",
			 r->pid, comm);
	else
		snprintf(buf, n, "%d %s (%s): Enter shows its VMAs", r->pid,
			 comm, r->user);
}

static void procs_title(struct screen *s, struct app *a, char *buf, size_t n)
{
	struct procs_screen *p = PS(s);
	char f[160], dim[64] = "";

	(void)a;
	listview_filter_title(&p->lv, f, sizeof f);
	if (p->unreadable)
		snprintf(dim, sizeof dim, ", %u dim", p->unreadable);
	snprintf(buf, n, "vmscope | processes: %zu%s%s%s%s%s%s | sort %s%s %s",
		 p->lv.nview, p->tree ? ", tree" : "",
		 p->only_mine ? " (only mine)" : "",
		 p->show_threads ? " +threads" : "", dim, f,
		 p->show_kthreads ? "" : " (K: kernel threads)",
		 procs_sort_names[p->sort], p->reverse ? " rev" : "",
		 sort_ascending(p) ? "asc" : "desc");
}

static bool procs_action(struct screen *s, struct app *a, enum action act)
{
	struct procs_screen *p = PS(s);

	if (procs_habit_action(p, a, act))
		return true;
	if (listview_move(&p->lv, act)) {
		procs_set_sel(p);
		return true;
	}
	switch (act) {
	case ACT_OPEN:
		if (p->lv.nview) {
			const struct proc_row *r = row_at(p, p->lv.sel);
			struct vms_err e;

			if (r->kthread) {
				app_message(a, EL_WARN,
					    "%d is a kernel thread: it has no user address space",
					    r->pid);
				return true;
			}
			if (app_open_process(a, r->pid, r->comm, &e) < 0)
				app_message(a, EL_ERROR, "%s", e.msg);
		}
		return true;
	case ACT_SORT_NEXT:
	case ACT_SORT_PREV:
		p->sort = (enum sort_col)((p->sort + (act == ACT_SORT_NEXT ? 1 : SORT__N - 1)) % SORT__N);
		procs_rebuild_view(p);
		return true;
	case ACT_SORT_REV:
		p->reverse = !p->reverse;
		procs_rebuild_view(p);
		return true;
	default:
		return false;
	}
}

static bool procs_search(struct screen *s, struct app *a, const char *text,
			 int dir, bool from_here)
{
	struct procs_screen *p = PS(s);

	(void)a;
	if (!listview_search(&p->lv, text, dir, from_here))
		return false;
	procs_set_sel(p);
	return true;
}

static void procs_filter(struct screen *s, struct app *a, const char *text)
{
	struct procs_screen *p = PS(s);

	(void)a;
	listview_set_filter(&p->lv, text);
	procs_rebuild_view(p);
}

static void procs_destroy(struct screen *s)
{
	struct procs_screen *p = PS(s);

	procs_list_free(&p->list);
	procs_close(p->reader);
	listview_free(&p->lv);
	free(p->changed);
	free(p->prev);
	free(p->trow);
	free(p);
}

static const struct screen_ops procs_ops = {
	.name = "processes",
	.context = procs_context,
	.update = procs_update,
	.draw = procs_draw,
	.info = procs_info,
	.title = procs_title,
	.action = procs_action,
	.search = procs_search,
	.filter = procs_filter,
	.click = procs_click,
	.goto_addr = NULL,
	.destroy = procs_destroy,
};

/* The sort setting (a column name) onto p, when p has that column. */
static void sort_from_settings(struct procs_screen *p, const struct config *c)
{
	int i;

	for (i = 0; i < SORT__N; i++)
		if (strcasecmp(procs_sort_names[i], config_col_name((enum config_col)c->sort)) == 0) {
			p->sort = (enum sort_col)i;
			p->reverse = c->sort_reverse;
		}
}

void screen_procs_use_settings(struct screen *s, const struct config *c)
{
	sort_from_settings(PS(s), c);
	PS(s)->only_mine = c->only_mine;
	procs_rebuild_view(PS(s));
	s->dirty = true;
}

void screen_procs_sort_setting(struct screen *s, struct config *c)
{
	int col = config_col_find(procs_sort_names[PS(s)->sort]);

	if (col >= 0) {
		c->sort = col;
		c->sort_reverse = PS(s)->reverse;
	}
	c->only_mine = PS(s)->only_mine;
}

struct screen *screen_procs_new(struct app *a, struct vms_err *e)
{
	struct procs_screen *p = calloc(1, sizeof *p);

	if (!p) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	if (procs_open(a->root, &p->reader, e) < 0) {
		free(p);
		return NULL;
	}
	p->base.ops = &procs_ops;
	p->sort = SORT_RSS;
	p->app = a;
	sort_from_settings(p, &a->cfg);
	p->only_mine = a->cfg.only_mine;
	listview_init(&p->lv, p);
	p->lv.matches = row_matches_at;
	p->lv.row_attr = row_attr;
	return &p->base;
}
