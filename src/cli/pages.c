/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmscope pages PID ADDR|START-END: one line per page, and one per run of
 * pages that read the same (not-present, gap, hole) unless --every-page.
 * The rows are gathered in a batch of up to BATCH_PAGES, so that the kpage
 * files are read once, sorted, for all of them; runs of empty entries are
 * found with PAGEMAP_SCAN where the kernel has it, by reading pagemap
 * elsewhere. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "pages_rows.h"
#include "util.h"
#include "vmscope/explain.h"
#include "vmscope/kpage.h"
#include "vmscope/pagemap.h"
#include "vmscope/physaddr.h"

/* Rows per batch: 1 GiB of 4K pages, 14 MiB of rows. */
#define BATCH_PAGES ((size_t)1 << 18)

static int parse_range(const char *arg, unsigned page_size, uint64_t *start,
		       uint64_t *end)
{
	char buf[64];
	const char *dash = strchr(arg, '-');
	uint64_t mask = (uint64_t)page_size - 1;

	if (!dash) {
		if (!util_parse_addr(arg, start))
			return -1;
		*start &= ~mask;
		*end = *start + page_size;
		return 0;
	}
	if ((size_t)(dash - arg) >= sizeof buf) {
		util_error("range start is too long");
		return -1;
	}
	memcpy(buf, arg, (size_t)(dash - arg));
	buf[dash - arg] = '\0';
	if (!util_parse_addr(buf, start) || !util_parse_addr(dash + 1, end))
		return -1;
	if (*end <= *start) {
		util_error("range %s is empty: END must be above START (END is exclusive)", arg);
		return -1;
	}
	*start &= ~mask;
	*end = (*end + mask) & ~mask;
	if (*end == 0) /* wrapped at the top of the address space */
		*end = ~mask;
	return 0;
}

/* The JSON object's opening members, or the text's header line. */
static void print_header(const struct vms_root *r, struct pages_rows *out, int pid,
			 uint64_t start, uint64_t end)
{
	if (out->o->json) {
		char desc[512];

		root_describe(r, desc, sizeof desc);
		json_start_buffered(&out->j, &out->ob);
		json_u64(&out->j, "pid", (uint64_t)pid);
		json_str(&out->j, "root", desc);
		json_u64(&out->j, "page_size", r->page_size);
		json_bool(&out->j, "pfn_visible", r->pfn_visible);
		json_arr(&out->j, "pages");
	} else {
		char comm[256], desc[512];
		uint64_t n = (end - start) / r->page_size;

		util_comm(r, pid, comm, sizeof comm);
		root_describe(r, desc, sizeof desc);
		printf("process %d (%s), %s, page size %u, %" PRIu64 " page%s %0*" PRIx64 "-%0*" PRIx64 "\n",
		       pid, comm, desc, r->page_size, n, n == 1 ? "" : "s",
		       out->w, start, out->w, end);
		if (!r->pfn_visible)
			printf("# %s\n", explain_pfn_hidden());
		printf("%-*s %-11s %-14s %-16s %5s %s %s\n", out->w, "VADDR",
		       "STATE", "PFN", "PHYS", "MAP", "CGROUP", "FLAGS");
	}
}

/* The physical address of a gap VMA's page at vaddr, where the system
 * gives it: gr filled, or NULL. */
static struct gap_rows *gap_rows_at(const struct vms_root *r,
				    const struct vma *v, uint64_t vaddr,
				    struct gap_rows *gr)
{
	struct gap_phys gp;
	struct vms_err ge;

	if (!vma_is_gap(v))
		return NULL;
	if (physaddr_of_gap(r, v, vaddr, &gp, &ge) != 0 || !gp.known)
		return NULL;
	gr->vaddr0 = vaddr;
	gr->phys0 = gp.phys;
	snprintf(gr->source, sizeof gr->source, "%s", gp.source);
	return gr;
}

/* One pages command: where it reads, and the batch of rows not yet
 * printed (end[i]: the end of the run row i, 0 for a page). */
struct walk {
	const struct vms_root *r;
	struct pages_ctx *c;
	const struct vma_list *l;
	struct pages_rows *pr;
	bool every;
	struct page_info *p;
	uint64_t *end;
	size_t n;
	struct vms_err e;
};

/* Print the batch, after one kpage read for all of it.  Unless all, a
 * run still open at the end stays, as the first row of the next batch. */
static int batch_flush(struct walk *w, bool all)
{
	size_t i, keep;

	if (w->n == 0)
		return 0;
	keep = !all && w->end[w->n - 1] ? w->n - 1 : w->n;
	if (pages_read_kpage(w->c, w->p, keep, PAGES_ALL, &w->e) < 0)
		return -1;
	for (i = 0; i < keep; i++) {
		if (w->end[i])
			pages_rows_run(w->pr, &w->p[i], w->end[i], NULL);
		else
			pages_rows_page(w->pr, &w->p[i], NULL);
	}
	if (keep < w->n) {
		w->p[0] = w->p[keep];
		w->end[0] = w->end[keep];
	}
	w->n -= keep;
	return 0;
}

static bool run_continues(const struct walk *w, size_t m, uint64_t start,
			  enum page_state st, uint64_t pm)
{
	return m > 0 && w->end[m - 1] == start && w->p[m - 1].state == st &&
	       w->p[m - 1].pm == pm;
}

static void run_row(struct walk *w, size_t m, uint64_t start, uint64_t end,
		    enum page_state st, uint64_t pm)
{
	struct page_info *q = &w->p[m];

	memset(q, 0, sizeof *q);
	q->vaddr = start;
	q->pm = pm;
	q->state = (uint8_t)st;
	q->frame = KPAGE_REC_YES;
	w->end[m] = end;
}

/* Pages [start, end) all in state st with entry pm: one row, or more of
 * the row before. */
static int add_run(struct walk *w, uint64_t start, uint64_t end,
		   enum page_state st, uint64_t pm)
{
	if (run_continues(w, w->n, start, st, pm)) {
		w->end[w->n - 1] = end;
		return 0;
	}
	if (w->n == BATCH_PAGES && batch_flush(w, false) < 0)
		return -1;
	run_row(w, w->n++, start, end, st, pm);
	return 0;
}

/* Rows [from, w->n) just read: runs of not-present pages with the same
 * entry become one row (unless --every-page). */
static void compact(struct walk *w, size_t from)
{
	const uint64_t ps = w->r->page_size;
	size_t i, m = from;

	for (i = from; i < w->n; i++) {
		struct page_info q = w->p[i];

		if (w->every || q.state != PAGE_NOT_PRESENT) {
			w->p[m] = q;
			w->end[m++] = 0;
		} else if (run_continues(w, m, q.vaddr, PAGE_NOT_PRESENT, q.pm)) {
			w->end[m - 1] += ps;
		} else {
			run_row(w, m++, q.vaddr, q.vaddr + ps, PAGE_NOT_PRESENT, q.pm);
		}
	}
	w->n = m;
}

/* The pages of [start, stop) in one VMA (or adjacent ones), read. */
static int read_pages(struct walk *w, uint64_t start, uint64_t stop)
{
	const unsigned shift = w->r->page_shift;

	while (start < stop) {
		size_t k = (size_t)((stop - start) >> shift), from;

		if (w->n == BATCH_PAGES && batch_flush(w, false) < 0)
			return -1;
		if (k > BATCH_PAGES - w->n)
			k = BATCH_PAGES - w->n;
		from = w->n;
		if (pages_read(w->c, w->l, start, k, 0, &w->p[from], &w->e) < 0)
			return -1;
		w->n += k;
		compact(w, from);
		start += (uint64_t)k << shift;
	}
	return 0;
}

/* Regions PAGEMAP_SCAN reports closer than this many pages are read as
 * one span: a pread of the entries between costs less than the calls. */
#define SCAN_SPAN_GAP 512

/* A PAGEMAP_SCAN walk over a VMA: the pages between the spans of regions
 * it reports read as one empty entry, the VMA's; the spans are read. */
struct scan_fill {
	struct walk *w;
	uint64_t pos, empty;   /* pos: where the pending span starts */
	uint64_t span_end;     /* 0: no span pending */
	int rc;
};

static void scan_span(struct scan_fill *x)
{
	if (x->rc == 0 && x->span_end)
		x->rc = read_pages(x->w, x->pos, x->span_end);
	if (x->span_end)
		x->pos = x->span_end;
	x->span_end = 0;
}

static void scan_put(void *arg, uint64_t s, uint64_t t, uint64_t cat)
{
	struct scan_fill *x = arg;
	const unsigned shift = x->w->r->page_shift;

	(void)cat;
	if (x->span_end && (s - x->span_end) >> shift < SCAN_SPAN_GAP) {
		x->span_end = t;
		return;
	}
	scan_span(x);
	if (x->rc == 0 && s > x->pos)
		x->rc = add_run(x->w, x->pos, s, PAGE_NOT_PRESENT, x->empty);
	x->pos = s;
	x->span_end = t;
}

/* [cur, stop) of a VMA pagemap can see. */
static int vma_pages(struct walk *w, const struct vma *v, uint64_t cur,
		     uint64_t stop)
{
	struct scan_fill x = { w, cur, 0, 0, 0 };

	if (w->every || !v->has_smaps || v->above_pagemap ||
	    !pagemap_scan_supported(&w->c->pm))
		return read_pages(w, cur, stop);
	/* an empty entry of a VMA with VM_SOFTDIRTY reads soft-dirty */
	if (v->vmflags & (UINT64_C(1) << VMF_SD))
		x.empty = PM_SOFT_DIRTY;
	if (pagemap_scan_used(&w->c->pm, cur, stop, scan_put, &x, &w->e) < 0) {
		if (x.rc < 0 || w->e.code == VMS_ENOPROC)
			return -1;
		return read_pages(w, x.pos, stop); /* plain reads still work */
	}
	scan_span(&x);
	if (x.rc < 0)
		return -1;
	return x.pos < stop ? add_run(w, x.pos, stop, PAGE_NOT_PRESENT, x.empty)
			    : 0;
}

/* [cur, stop) of a gap VMA: one line, or (--every-page) a line a page. */
static int gap_pages(struct walk *w, const struct vma *v, uint64_t cur,
		     uint64_t stop)
{
	const unsigned shift = w->r->page_shift;
	struct gap_rows gr, *gp;
	struct page_info run;

	if (batch_flush(w, true) < 0)
		return -1;
	gp = gap_rows_at(w->r, v, cur, &gr);
	if (!w->every) {
		run_row(w, 0, cur, stop, PAGE_GAP, 0);
		run = w->p[0];
		pages_rows_run(w->pr, &run, stop, gp);
		return 0;
	}
	while (cur < stop) {
		size_t k = (size_t)((stop - cur) >> shift), i;

		if (k > BATCH_PAGES)
			k = BATCH_PAGES;
		if (pages_read(w->c, w->l, cur, k, 0, w->p, &w->e) < 0)
			return -1;
		for (i = 0; i < k; i++)
			pages_rows_page(w->pr, &w->p[i], gp);
		cur += (uint64_t)k << shift;
	}
	return 0;
}

/* A row for every page of [start, end), VMA by VMA.  0, or -1 with
 * w->e set. */
static int walk_range(struct walk *w, uint64_t start, uint64_t end)
{
	const struct vma_list *l = w->l;
	uint64_t cur;
	size_t vi = 0;

	for (cur = start; cur < end;) {
		const struct vma *v;
		uint64_t stop;
		int rc;

		while (vi < l->n && l->v[vi].end <= cur)
			vi++;
		if (vi == l->n || l->v[vi].start >= end)
			return add_run(w, cur, end, PAGE_HOLE, 0);
		v = &l->v[vi];
		if (v->start > cur) {
			if (add_run(w, cur, v->start, PAGE_HOLE, 0) < 0)
				return -1;
			cur = v->start;
			continue;
		}
		stop = v->end < end ? v->end : end;
		rc = vma_is_gap(v) ? gap_pages(w, v, cur, stop)
				   : vma_pages(w, v, cur, stop);
		if (rc < 0)
			return -1;
		cur = stop;
	}
	return 0;
}

/* The rows of [start, end): CLI_OK or CLI_ERROR (printed). */
static int print_pages(const struct vms_root *r, struct pages_ctx *c,
		       const struct vma_list *l, struct pages_rows *pr,
		       bool every, uint64_t start, uint64_t end)
{
	struct walk w = { .r = r, .c = c, .l = l, .pr = pr, .every = every };
	int rc = CLI_OK;

	w.p = malloc(BATCH_PAGES * sizeof *w.p);
	w.end = malloc(BATCH_PAGES * sizeof *w.end);
	if (!w.p || !w.end) {
		util_error("out of memory");
		rc = CLI_ERROR;
	} else if (walk_range(&w, start, end) < 0 ||
		   batch_flush(&w, true) < 0) {
		struct vms_err e = w.e;

		batch_flush(&w, true); /* the rows read before the error */
		outbuf_flush(&pr->ob);
		util_error("%s", e.msg);
		rc = CLI_ERROR;
	}
	free(w.p);
	free(w.end);
	return rc;
}

/* --every-page, wherever it is among the arguments: taken out. */
static bool take_every_page(int *argc, char **argv)
{
	bool every = false;
	int i, k = 0;

	for (i = 0; i < *argc; i++) {
		if (!strcmp(argv[i], "--every-page"))
			every = true;
		else
			argv[k++] = argv[i];
	}
	*argc = k;
	return every;
}

int cli_pages(const struct vms_root *r, const struct cli_opts *o, int argc,
	      char **argv)
{
	struct vma_list l;
	struct pages_ctx c;
	struct vms_err e;
	struct pages_rows pr;
	uint64_t start, end;
	int pid, rc;
	bool every = take_every_page(&argc, argv);

	if (argc != 2) {
		util_error("usage: vmscope pages PID ADDR|START-END [--every-page] (addresses in hex; END exclusive)");
		return CLI_USAGE;
	}
	if (!util_parse_pid(argv[0], &pid) ||
	    parse_range(argv[1], r->page_size, &start, &end) < 0)
		return CLI_USAGE;
	if (util_read_vmas(r, pid, &l) < 0)
		return CLI_ERROR;
	if (pages_open(&c, r, pid, &e) < 0) {
		util_error("%s", e.msg);
		vmas_free(&l);
		return CLI_ERROR;
	}
	if (pages_rows_open(&pr, &c, o,
			    l.addr_width ? (int)l.addr_width : root_addr_width(r)) < 0) {
		util_error("out of memory");
		rc = CLI_ERROR;
	} else {
		print_header(r, &pr, pid, start, end);
		rc = print_pages(r, &c, &l, &pr, every, start, end);
		if (o->json) {
			json_close_arr(&pr.j);
			json_end(&pr.j);
		}
	}
	if (pages_rows_close(&pr) < 0)
		rc = CLI_ERROR;
	pages_close(&c);
	vmas_free(&l);
	return rc;
}
