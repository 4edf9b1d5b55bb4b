/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_procs: the process list (libproc2 through procs.h): PID, user,
 * RSS, VSZ, command; sort by column, filter, incremental search, live. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/units.h"
#include "uiint.h"
#include "vmscope/escape.h"
#include "vmscope/procs.h"

enum sort_col { SORT_PID, SORT_USER, SORT_RSS, SORT_VSZ, SORT_CMD, SORT__N };
static const char *const sort_names[SORT__N] = {
	"PID", "USER", "RSS", "VSZ", "COMMAND",
};

struct prev_rss {
	int pid;
	uint64_t rss;
};

struct procs_screen {
	struct screen base;
	struct procs *reader;
	struct proc_list list;
	bool loaded;
	size_t *view;          /* indices into list.rows, filtered + sorted */
	bool *changed;         /* per list row: new or RSS changed */
	size_t nview, view_cap, changed_cap;
	struct prev_rss *prev; /* by pid, from the last read */
	size_t nprev, prev_cap;
	bool any_changed;
	enum sort_col sort;
	bool reverse;
	bool show_kthreads;
	char filter[128];
	long sel, top;
	int sel_pid;
	int h;
	unsigned kthreads_hidden;
};

#define PS(s) ((struct procs_screen *)(s))

static struct procs_screen *sort_ctx;

static int cmp_rows(const void *a, const void *b)
{
	const struct proc_row *x = &sort_ctx->list.rows[*(const size_t *)a];
	const struct proc_row *y = &sort_ctx->list.rows[*(const size_t *)b];
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

static void rebuild_view(struct procs_screen *p)
{
	size_t i;

	if (p->view_cap < p->list.n) {
		size_t *nv = realloc(p->view, p->list.n * sizeof *nv);

		if (!nv) {
			p->nview = 0;
			return;
		}
		p->view = nv;
		p->view_cap = p->list.n;
	}
	p->nview = 0;
	p->kthreads_hidden = 0;
	for (i = 0; i < p->list.n; i++) {
		const struct proc_row *r = &p->list.rows[i];

		if (r->kthread && !p->show_kthreads) {
			p->kthreads_hidden++;
			continue;
		}
		if (p->filter[0] && !row_matches(r, p->filter))
			continue;
		p->view[p->nview++] = i;
	}
	sort_ctx = p;
	qsort(p->view, p->nview, sizeof *p->view, cmp_rows);
	sort_ctx = NULL;
	/* keep the selection on the same process */
	p->sel = p->sel < (long)p->nview ? p->sel : (long)p->nview - 1;
	for (i = 0; i < p->nview; i++)
		if (p->list.rows[p->view[i]].pid == p->sel_pid) {
			p->sel = (long)i;
			break;
		}
	list_clamp(&p->sel, &p->top, (long)p->nview, p->h);
	if (p->nview)
		p->sel_pid = p->list.rows[p->view[p->sel]].pid;
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
	rebuild_view(p);
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
	if (p->h != h - 1) {
		p->h = h - 1;
		list_clamp(&p->sel, &p->top, (long)p->nview, p->h);
		rc = 1;
	}
	if (!p->loaded || re || s->stale) {
		int r = reread(p, re && !s->stale, e);

		s->stale = false;
		if (r < 0)
			return -1;
		rc |= r;
	}
	return rc;
}

/* Column layout for width w: which columns are shown. */
struct cols {
	bool user, vsz;
	int cmd_x;
};

static struct cols layout(int w)
{
	struct cols c = { true, true, 0 };

	if (w < 56)
		c.vsz = false;
	if (w < 44)
		c.user = false;
	c.cmd_x = 7 + (c.user ? 10 : 0) + 8 + (c.vsz ? 8 : 0);
	return c;
}

static void procs_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct procs_screen *p = PS(s);
	struct cols c = layout(w);
	char sz[32];
	const char *arrow = draw_utf8() ? (p->reverse ? "\xe2\x86\x91" : "\xe2\x86\x93")
					: (p->reverse ? "^" : "v");
	long i;
	int x;

	/* header, with the sort column marked */
	draw_fill(y, 0, w, app_attr(a, EL_HEADER));
	x = 0;
#define HDR(col, width, right, txt) do { \
		attr_t ha_ = app_attr(a, EL_HEADER) | (p->sort == col ? A_BOLD : 0); \
		if (right) \
			draw_fmt(y, x, width, ha_, false, "%*s%s", (width) - 1, txt, \
				 p->sort == col ? arrow : ""); \
		else \
			draw_fmt(y, x, width, ha_, false, "%s%s", txt, \
				 p->sort == col ? arrow : ""); \
		x += width; \
	} while (0)
	HDR(SORT_PID, 7, true, "PID");
	if (c.user)
		HDR(SORT_USER, 10, false, " USER");
	HDR(SORT_RSS, 8, true, "RSS");
	if (c.vsz)
		HDR(SORT_VSZ, 8, true, "VSZ");
	HDR(SORT_CMD, w - x, false, " COMMAND");
#undef HDR

	for (i = 0; i < h - 1; i++) {
		long vi = p->top + i;
		const struct proc_row *r;
		attr_t at;
		int yy = y + 1 + (int)i;

		if (vi >= (long)p->nview)
			break;
		r = &p->list.rows[p->view[vi]];
		at = app_attr(a, EL_NORMAL);
		if (r->kthread)
			at = app_attr(a, EL_DIM);
		if (p->changed && p->changed[p->view[vi]])
			at = app_attr(a, EL_CHANGED);
		if (vi == p->sel)
			at = app_attr(a, EL_SELECTED);
		draw_fill(yy, 0, w, at);
		x = 0;
		draw_fmt(yy, x, 7, at, false, "%6d", r->pid);
		x += 7;
		if (c.user) {
			draw_untrusted(yy, x + 1, 9, at, r->user, false);
			x += 10;
		}
		units_size(sz, sizeof sz, r->rss_kib * 1024);
		draw_fmt(yy, x, 8, at, false, "%7s", r->rss_kib ? sz : "-");
		x += 8;
		if (c.vsz) {
			units_size(sz, sizeof sz, r->vsz_bytes);
			draw_fmt(yy, x, 8, at, false, "%7s",
				 r->vsz_bytes ? sz : "-");
			x += 8;
		}
		if (r->kthread || !r->cmdline[0]) {
			char esc[128];

			escape_text(esc, sizeof esc, r->comm, strlen(r->comm));
			draw_fmt(yy, x + 1, w - x - 1, at, false, "[%s]", esc);
		} else {
			draw_untrusted(yy, x + 1, w - x - 1, at, r->cmdline,
				       false);
		}
	}
	if (p->nview == 0 && h > 2)
		draw_text(y + 2, 2, w - 2, app_attr(a, EL_DIM),
			  p->filter[0] ? "no process matches the filter (:filter with no text clears it)"
				       : "no processes", false);
}

static void procs_info(struct screen *s, struct app *a, char *buf, size_t n,
		       int *elem)
{
	struct procs_screen *p = PS(s);
	const struct proc_row *r;
	char comm[128];

	(void)a;
	*elem = EL_INFO;
	if (!p->nview) {
		snprintf(buf, n, "%s", "");
		return;
	}
	r = &p->list.rows[p->view[p->sel]];
	escape_text(comm, sizeof comm, r->comm, strlen(r->comm));
	if (r->kthread)
		snprintf(buf, n, "%d %s: a kernel thread: no user memory to show",
			 r->pid, comm);
	else
		snprintf(buf, n, "%d %s (%s): Enter shows its VMAs", r->pid,
			 comm, r->user);
}

static void procs_title(struct screen *s, struct app *a, char *buf, size_t n)
{
	struct procs_screen *p = PS(s);
	char f[160] = "";

	(void)a;
	if (p->filter[0]) {
		char esc[128];

		escape_text(esc, sizeof esc, p->filter, strlen(p->filter));
		snprintf(f, sizeof f, ", filter \"%s\"", esc);
	}
	snprintf(buf, n, "vmscope | processes: %zu%s%s | sort %s%s", p->nview,
		 f, p->show_kthreads ? "" : " (K: kernel threads)",
		 sort_names[p->sort], p->reverse ? " rev" : "");
}

static void set_sel(struct procs_screen *p)
{
	list_clamp(&p->sel, &p->top, (long)p->nview, p->h);
	if (p->nview)
		p->sel_pid = p->list.rows[p->view[p->sel]].pid;
}

static bool procs_action(struct screen *s, struct app *a, enum action act)
{
	struct procs_screen *p = PS(s);

	if (list_move(&p->sel, (long)p->nview, p->h, act)) {
		set_sel(p);
		return true;
	}
	switch (act) {
	case ACT_OPEN:
		if (p->nview) {
			const struct proc_row *r = &p->list.rows[p->view[p->sel]];
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
		rebuild_view(p);
		return true;
	case ACT_SORT_REV:
		p->reverse = !p->reverse;
		rebuild_view(p);
		return true;
	case ACT_KTHREADS:
		p->show_kthreads = !p->show_kthreads;
		rebuild_view(p);
		return true;
	default:
		return false;
	}
}

static bool procs_search(struct screen *s, struct app *a, const char *text,
			 int dir, bool from_here)
{
	struct procs_screen *p = PS(s);
	long n = (long)p->nview, i, k;

	(void)a;
	if (!n)
		return false;
	for (k = from_here ? 0 : 1; k <= n; k++) {
		i = ((p->sel + dir * k) % n + n) % n;
		if (row_matches(&p->list.rows[p->view[i]], text)) {
			p->sel = i;
			set_sel(p);
			return true;
		}
	}
	return false;
}

static void procs_filter(struct screen *s, struct app *a, const char *text)
{
	struct procs_screen *p = PS(s);

	(void)a;
	snprintf(p->filter, sizeof p->filter, "%s", text);
	rebuild_view(p);
}

static void procs_destroy(struct screen *s)
{
	struct procs_screen *p = PS(s);

	procs_list_free(&p->list);
	procs_close(p->reader);
	free(p->view);
	free(p->changed);
	free(p->prev);
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
	.goto_addr = NULL,
	.destroy = procs_destroy,
};

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
	p->h = 1;
	return &p->base;
}
