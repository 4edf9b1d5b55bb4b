/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_rmap: which processes map a frame (or the frames of a range):
 * every process's present pages are looked up in its pagemap (the
 * reverse lookup of kranges_rmap), and PFNMAP mappings (UIO, /dev/mem)
 * through sysfs and file offsets.  One row per mapping (the hits of one
 * process in one mapping, however many pages): PID, command, first
 * virtual address, pages, what is mapped there; Enter opens that process
 * at that page.  A lookup stopped at its cap says so and how far it got.
 * Looked up once when the screen opens, again with R. */
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

struct rmap_screen {
	struct screen base;
	uint64_t pfn_lo, pfn_hi;
	char label[640];        /* escaped */
	struct krmap_result res;
	bool done, truncated;
	char err[768];
	double ms;
	size_t nprocs;
	size_t *grp, ngrp;      /* first hit of each row (mapping) */
	struct listview lv;
	struct app *app;
	int digits;             /* of the addresses */
	int head;               /* summary lines above the list */
};

#define RS(s) ((struct rmap_screen *)(s))

/* Whether hit j is in the same mapping as hit i (the hits are sorted by
 * PID and address). */
static bool same_mapping(const struct krmap_hit *i, const struct krmap_hit *j)
{
	return i->pid == j->pid && i->via_gap == j->via_gap &&
	       !strcmp(i->how, j->how) &&
	       !strcmp(i->vma_name ? i->vma_name : "", j->vma_name ? j->vma_name : "");
}

/* Rows: one per run of hits in the same mapping. */
static void group_hits(struct rmap_screen *m)
{
	size_t i;

	free(m->grp);
	m->grp = malloc((m->res.n ? m->res.n : 1) * sizeof *m->grp);
	m->ngrp = 0;
	if (!m->grp)
		return;
	for (i = 0; i < m->res.n; i++)
		if (i == 0 || !same_mapping(&m->res.hits[i - 1], &m->res.hits[i]))
			m->grp[m->ngrp++] = i;
}

/* Hits in row (group) g. */
static size_t group_len(const struct rmap_screen *m, size_t g)
{
	return (g + 1 < m->ngrp ? m->grp[g + 1] : m->res.n) - m->grp[g];
}

#define HIT(m, row) (&(m)->res.hits[(m)->grp[row]])

static void lookup(struct rmap_screen *m, struct app *a)
{
	struct krmap_opts o;
	struct vms_err e;
	const struct kranges *k = krview_get(a, false, &e);
	const struct krange *r = k ? kranges_lookup_phys(k, m->pfn_lo <<
							  a->root->page_shift) : NULL;
	double t0 = app_now();
	size_t i;

	kranges_rmap_free(&m->res);
	memset(&m->res, 0, sizeof m->res);
	m->err[0] = '\0';
	krview_rmap_opts(a, r, m->pfn_lo, m->pfn_hi, &o);
	if (kranges_rmap(a->root, &o, &m->res, &e) < 0)
		snprintf(m->err, sizeof m->err, "%s", e.msg);
	m->ms = (app_now() - t0) * 1e3;
	m->done = true;
	m->truncated = o.max_hits && m->res.n >= o.max_hits;
	m->nprocs = 0;
	for (i = 0; i < m->res.n; i++)
		if (i == 0 || m->res.hits[i].pid != m->res.hits[i - 1].pid)
			m->nprocs++;
	group_hits(m);
	listview_set_rows(&m->lv, (int64_t)m->ngrp);
}

static unsigned rmap_context(struct screen *s)
{
	(void)s;
	return CTX_RMAP;
}

static int rmap_update(struct screen *s, struct app *a, int h, int w,
		       bool re, struct vms_err *e)
{
	struct rmap_screen *m = RS(s);
	int rc = 0;

	(void)w;
	(void)re;
	(void)e;
	s->stale = false;
	if (!m->done) {
		lookup(m, a);
		rc = 1;
	}
	m->head = h >= 12 ? 2 : 1;
	if (m->res.pfn_hidden && h >= 12)
		m->head++;
	if (listview_set_height(&m->lv, h - m->head - 1 < 1 ? 1
							    : h - m->head - 1))
		rc = 1;
	listview_clamp(&m->lv);
	return rc;
}

static attr_t row_attr(void *ctx, int64_t row, bool sel)
{
	struct rmap_screen *m = ctx;

	return app_attr(m->app, sel ? EL_SELECTED : HIT(m, row)->via_gap ?
			EL_VMA_GAP : EL_NORMAL);
}

static void pid_cell(void *ctx, struct lv_cell *c)
{
	snprintf(c->buf, c->n, "%d", HIT((struct rmap_screen *)ctx, c->row)->pid);
}

static void comm_cell(void *ctx, struct lv_cell *c)
{
	const char *comm = HIT((struct rmap_screen *)ctx, c->row)->comm;
	char esc[128];

	escape_text(esc, sizeof esc, comm, strlen(comm));
	snprintf(c->buf, c->n, "%.16s", esc);
}

static void addr_cell(void *ctx, struct lv_cell *c)
{
	struct rmap_screen *m = ctx;

	snprintf(c->buf, c->n, "%0*llx", m->digits,
		 (unsigned long long)HIT(m, c->row)->vaddr);
}

static void pages_cell(void *ctx, struct lv_cell *c)
{
	snprintf(c->buf, c->n, "%zu", group_len(ctx, (size_t)c->row));
}

/* What is mapped there: a path (its end says most), or for a PFNMAP
 * mapping how it was found (its start says most). */
static void mapping_cell(void *ctx, struct lv_cell *c)
{
	const struct krmap_hit *hit = HIT((struct rmap_screen *)ctx, c->row);
	const char *name = hit->vma_name && hit->vma_name[0] ? hit->vma_name
							      : "(anonymous)";
	char esc[512], how[200];

	escape_text(esc, sizeof esc, name, strlen(name));
	c->tail = !hit->via_gap;
	if (!hit->via_gap) {
		snprintf(c->buf, c->n, "%s", esc);
		return;
	}
	escape_text(how, sizeof how, hit->how, strlen(hit->how));
	snprintf(c->buf, c->n, "%s via %s", esc, how);
}

/* "looked at 40 processes: ...; 12 ms" (capped: "stopped at ...") */
static void scan_summary(const struct rmap_screen *m, char *buf, size_t n)
{
	const struct krmap_result *r = &m->res;
	size_t l = (size_t)snprintf(buf, n,
		"%s %u process%s: %u with an address space, %u without",
		m->truncated ? "stopped after" : "looked at", r->procs,
		r->procs == 1 ? "" : "es", r->scanned, r->kthreads);

	if (r->vanished && l < n)
		l += (size_t)snprintf(buf + l, n - l, ", %u exited meanwhile",
				      r->vanished);
	if (r->denied && l < n)
		l += (size_t)snprintf(buf + l, n - l, ", %u unreadable", r->denied);
	if (r->failed && l < n)
		l += (size_t)snprintf(buf + l, n - l, ", %u failed", r->failed);
	if (l < n)
		snprintf(buf + l, n - l, "; %.0f ms", m->ms);
}

static void rmap_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct rmap_screen *m = RS(s);
	const struct krmap_result *r = &m->res;
	int i, yy = y;
	char buf[512];
	struct lv_column c[] = {
		{ .title = "PID", .width = 7, .right = true, .cell = pid_cell },
		{ .title = "COMMAND", .width = 16, .cell = comm_cell },
		{ .title = "ADDRESS", .width = m->digits, .cell = addr_cell },
		{ .title = "PAGES", .width = 5, .right = true, .cell = pages_cell },
		{ .title = "MAPPING", .tail = true, .cell = mapping_cell },
	};

	(void)h;
	if (m->err[0]) {
		char lines[4][256];
		int n = wrap_text(m->err, w, lines, 4);

		for (i = 0; i < n; i++)
			draw_untrusted(y + i, 0, w, app_attr(a, EL_ERROR), lines[i], false);
		return;
	}
	if (r->n && m->truncated)
		snprintf(buf, sizeof buf, "capped at %zu pages: mapped by %zu process%s (%zu mapping%s) so far",
			 r->n, m->nprocs, m->nprocs == 1 ? "" : "es", m->ngrp,
			 m->ngrp == 1 ? "" : "s");
	else if (r->n)
		snprintf(buf, sizeof buf, "mapped by %zu process%s (%zu mapping%s)",
			 m->nprocs, m->nprocs == 1 ? "" : "es", m->ngrp,
			 m->ngrp == 1 ? "" : "s");
	else
		snprintf(buf, sizeof buf, "mapped by no process");
	draw_text(yy++, 0, w, app_attr(a, r->n ? EL_KEY : EL_WARN), buf, true);
	if (m->head >= 2) {
		scan_summary(m, buf, sizeof buf);
		draw_text(yy++, 0, w, app_attr(a, EL_DIM), buf, true);
	}
	if (r->pfn_hidden && m->head >= 3)
		draw_fmt(yy++, 0, w, app_attr(a, EL_WARN), true,
			 "pagemap not searched: %s", explain_pfn_hidden());
	listview_draw_header(c, 5, yy, w, app_attr(a, EL_HEADER));
	listview_draw_rows(&m->lv, c, 5, yy + 1, w);
}

static void rmap_info(struct screen *s, struct app *a, char *buf, size_t n,
		      int *elem)
{
	struct rmap_screen *m = RS(s);
	const struct krmap_hit *hit;
	char comm[128];

	(void)a;
	*elem = EL_INFO;
	buf[0] = '\0';
	if (!m->res.n) {
		/* a failure named first: it is what the count hides */
		const char *p = m->res.first_failure[0] ? m->res.first_failure :
				m->res.first_problem;

		if (p[0]) {
			char esc[300];

			escape_text(esc, sizeof esc, p, strlen(p));
			snprintf(buf, n, "first %s: %s", m->res.first_failure[0] ?
				 "failed" : "skipped", esc);
		}
		return;
	}
	hit = HIT(m, m->lv.sel);
	escape_text(comm, sizeof comm, hit->comm, strlen(hit->comm));
	snprintf(buf, n, "%d %s maps PFN 0x%llx at %llx (%s)%s | Enter: that page",
		 hit->pid, comm, (unsigned long long)hit->pfn,
		 (unsigned long long)hit->vaddr, hit->via_gap ? "PFNMAP" : "pagemap",
		 group_len(m, (size_t)m->lv.sel) > 1 ? ", the first" : "");
}

static void rmap_title(struct screen *s, struct app *a, char *buf, size_t n)
{
	struct rmap_screen *m = RS(s);

	(void)a;
	snprintf(buf, n, "who maps %s", m->label);
}

static bool rmap_action(struct screen *s, struct app *a, enum action act)
{
	struct rmap_screen *m = RS(s);

	if (listview_move(&m->lv, act))
		return true;
	switch (act) {
	case ACT_OPEN:
		if (m->ngrp) {
			const struct krmap_hit *hit = HIT(m, m->lv.sel);
			char comm[64];

			snprintf(comm, sizeof comm, "%s", hit->comm);
			app_open_process_at(a, hit->pid, comm, hit->vaddr);
		}
		return true;
	case ACT_REREAD:
		if (app_snapshot_refuses(a, "looking again"))
			return true;
		lookup(m, a);
		app_message(a, EL_MESSAGE, "looked again: %zu mapping%s in %.0f ms",
			    m->ngrp, m->ngrp == 1 ? "" : "s", m->ms);
		return true;
	default:
		return false;
	}
}

static bool hit_matches(void *ctx, int64_t row, const char *text)
{
	const struct krmap_hit *hit = HIT((struct rmap_screen *)ctx, row);
	char num[16];

	snprintf(num, sizeof num, "%d", hit->pid);
	return text_match(num, text) || text_match(hit->comm, text) ||
	       text_match(hit->vma_name, text);
}

static bool rmap_search(struct screen *s, struct app *a, const char *text,
			int dir, bool from_here)
{
	(void)a;
	return listview_search(&RS(s)->lv, text, dir, from_here);
}

static void rmap_destroy(struct screen *s)
{
	kranges_rmap_free(&RS(s)->res);
	free(RS(s)->grp);
	free(s);
}

static const struct screen_ops rmap_ops = {
	.name = "who maps",
	.context = rmap_context,
	.update = rmap_update,
	.draw = rmap_draw,
	.info = rmap_info,
	.title = rmap_title,
	.action = rmap_action,
	.search = rmap_search,
	.filter = NULL,
	.goto_addr = NULL,
	.destroy = rmap_destroy,
};

struct screen *screen_rmap_new(struct app *a, uint64_t pfn_lo,
			       uint64_t pfn_hi, const char *label,
			       struct vms_err *e)
{
	struct rmap_screen *m;

	m = calloc(1, sizeof *m);
	if (!m) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	m->base.ops = &rmap_ops;
	m->pfn_lo = pfn_lo;
	m->pfn_hi = pfn_hi > pfn_lo ? pfn_hi : pfn_lo + 1;
	m->app = a;
	m->digits = root_addr_width(a->root);
	listview_init(&m->lv, m);
	m->lv.matches = hit_matches;
	m->lv.row_attr = row_attr;
	escape_text(m->label, sizeof m->label, label ? label : "",
		    label ? strlen(label) : 0);
	return &m->base;
}
