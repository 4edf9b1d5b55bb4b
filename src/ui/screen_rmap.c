/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_rmap: which processes map a frame (or the frames of a range):
 * every process's present pages are looked up in its pagemap (the
 * reverse lookup of kranges_rmap), and PFNMAP mappings (UIO, /dev/mem)
 * through sysfs and file offsets.  One row per mapping: PID, command,
 * virtual address, what is mapped there; Enter opens that process at
 * that page.  Looked up once when the screen opens, again with R. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "uiint.h"
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
	long sel, top;
	int h;
	int head;               /* summary lines above the list */
};

#define RS(s) ((struct rmap_screen *)(s))

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
	if (m->h != h - m->head - 1) {
		m->h = h - m->head - 1;
		if (m->h < 1)
			m->h = 1;
		rc = 1;
	}
	list_clamp(&m->sel, &m->top, (long)m->res.n, m->h);
	return rc;
}

static void rmap_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct rmap_screen *m = RS(s);
	const struct krmap_result *r = &m->res;
	int digits = root_addr_width(a->root), i, x, yy = y;
	char buf[512], esc[512];

	(void)h;
	if (m->err[0]) {
		char lines[4][256];
		int n = wrap_text(m->err, w, lines, 4);

		for (i = 0; i < n; i++)
			draw_untrusted(y + i, 0, w, app_attr(a, EL_ERROR), lines[i], false);
		return;
	}
	if (r->n)
		snprintf(buf, sizeof buf, "mapped by %zu process%s (%zu mapping%s%s)",
			 m->nprocs, m->nprocs == 1 ? "" : "es", r->n,
			 r->n == 1 ? "" : "s", m->truncated ? ", the first only" : "");
	else
		snprintf(buf, sizeof buf, "mapped by no process");
	draw_text(yy++, 0, w, app_attr(a, r->n ? EL_KEY : EL_WARN), buf, true);
	if (m->head >= 2) {
		size_t l = (size_t)snprintf(buf, sizeof buf,
			"looked at %u processes: %u with an address space, %u without",
			r->procs, r->scanned, r->kthreads);

		if (r->vanished && l < sizeof buf)
			l += (size_t)snprintf(buf + l, sizeof buf - l, ", %u exited meanwhile",
					      r->vanished);
		if (r->denied && l < sizeof buf)
			l += (size_t)snprintf(buf + l, sizeof buf - l, ", %u unreadable",
					      r->denied);
		if (r->failed && l < sizeof buf)
			l += (size_t)snprintf(buf + l, sizeof buf - l, ", %u failed",
					      r->failed);
		if (l < sizeof buf)
			snprintf(buf + l, sizeof buf - l, "; %.0f ms", m->ms);
		draw_text(yy++, 0, w, app_attr(a, EL_DIM), buf, true);
	}
	if (r->pfn_hidden && m->head >= 3)
		draw_fmt(yy++, 0, w, app_attr(a, EL_WARN), true,
			 "pagemap not searched: %s", explain_pfn_hidden());
	draw_fill(yy, 0, w, app_attr(a, EL_HEADER));
	draw_fmt(yy, 0, w, app_attr(a, EL_HEADER), false, "%7s %-16s %-*s MAPPING",
		 "PID", "COMMAND", digits, "ADDRESS");
	yy++;
	for (i = 0; i < m->h && m->top + i < (long)r->n; i++) {
		const struct krmap_hit *hit = &r->hits[m->top + i];
		bool sel = m->top + i == m->sel;
		attr_t at = app_attr(a, sel ? EL_SELECTED : hit->via_gap ? EL_VMA_GAP
									 : EL_NORMAL);
		char comm[128];

		draw_fill(yy + i, 0, w, at);
		escape_text(comm, sizeof comm, hit->comm, strlen(hit->comm));
		x = draw_fmt(yy + i, 0, w, at, false, "%7d %-16.16s %0*llx ", hit->pid,
			     comm, digits, (unsigned long long)hit->vaddr);
		escape_text(esc, sizeof esc, hit->vma_name && hit->vma_name[0] ?
			    hit->vma_name : "(anonymous)",
			    hit->vma_name && hit->vma_name[0] ? strlen(hit->vma_name) : 11);
		if (hit->via_gap) {
			char how[200];

			escape_text(how, sizeof how, hit->how, strlen(hit->how));
			/* how it was found says most: keep the start */
			snprintf(buf, sizeof buf, "%s via %s", esc, how);
			draw_text(yy + i, x, w - x, at, buf, false);
		} else {
			/* a path: its end says most */
			draw_text_tail(yy + i, x, w - x, at, esc);
		}
	}
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
		if (m->res.first_problem[0]) {
			char esc[300];

			escape_text(esc, sizeof esc, m->res.first_problem,
				    strlen(m->res.first_problem));
			snprintf(buf, n, "first skipped: %s", esc);
		}
		return;
	}
	hit = &m->res.hits[m->sel];
	escape_text(comm, sizeof comm, hit->comm, strlen(hit->comm));
	snprintf(buf, n, "%d %s maps PFN 0x%llx at %llx (%s) | Enter: that page",
		 hit->pid, comm, (unsigned long long)hit->pfn,
		 (unsigned long long)hit->vaddr, hit->via_gap ? "PFNMAP" : "pagemap");
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

	if (list_move(&m->sel, (long)m->res.n, m->h, act)) {
		list_clamp(&m->sel, &m->top, (long)m->res.n, m->h);
		return true;
	}
	switch (act) {
	case ACT_OPEN:
		if (m->res.n) {
			const struct krmap_hit *hit = &m->res.hits[m->sel];
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
			    m->res.n, m->res.n == 1 ? "" : "s", m->ms);
		return true;
	default:
		return false;
	}
}

static bool rmap_search(struct screen *s, struct app *a, const char *text,
			int dir, bool from_here)
{
	struct rmap_screen *m = RS(s);
	long n = (long)m->res.n, i, k;

	(void)a;
	for (k = from_here ? 0 : 1; k <= n && n; k++) {
		const struct krmap_hit *hit;
		char num[16];

		i = ((m->sel + dir * k) % n + n) % n;
		hit = &m->res.hits[i];
		snprintf(num, sizeof num, "%d", hit->pid);
		if (text_match(num, text) || text_match(hit->comm, text) ||
		    text_match(hit->vma_name, text)) {
			m->sel = i;
			list_clamp(&m->sel, &m->top, (long)m->res.n, m->h);
			return true;
		}
	}
	return false;
}

static void rmap_destroy(struct screen *s)
{
	kranges_rmap_free(&RS(s)->res);
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

	(void)a;
	m = calloc(1, sizeof *m);
	if (!m) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	m->base.ops = &rmap_ops;
	m->pfn_lo = pfn_lo;
	m->pfn_hi = pfn_hi > pfn_lo ? pfn_hi : pfn_lo + 1;
	m->h = 1;
	escape_text(m->label, sizeof m->label, label ? label : "",
		    label ? strlen(label) : 0);
	return &m->base;
}
