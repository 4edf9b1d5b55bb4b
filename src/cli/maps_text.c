/* SPDX-License-Identifier: GPL-3.0-or-later */
/* maps_text: `vmscope maps PID` as text.  The VMAs are read a window at
 * a time (vmas_read_each) into rows of what the text prints, 48 bytes a
 * VMA where the list holds 96, and printed once all are read: the
 * VMFLAGS column's width and the addresses' are those of the widest. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/explain.h"
#include "vmscope/physaddr.h"
#include "vmscope/units.h"
#include "cli.h"
#include "maps_int.h"
#include "outbuf.h"
#include "util.h"

enum { ROW_DELETED = 1, ROW_GAP = 2, ROW_OWNS_NAME = 4 };

/* A VMA as the text prints it. */
struct maps_row {
	uint64_t start, end, rss_kb;
	const char *name;
	const char *flags;       /* VmFlags text (the list's pool) */
	char perms[4];
	uint8_t kind;
	uint8_t bits;            /* ROW_* */
};

struct maps_rows {
	struct maps_row *v;
	size_t n, cap;
	struct vma *gaps;        /* a copy of each gap row's VMA, in order */
	size_t ngaps, gcap;
	size_t fw;               /* VMFLAGS width */
	const char *fw_last;     /* the text fw last measured */
	bool own;                /* rows own the names their VMAs owned */
};

/* Room for one more of size sz in *v (cap *cap): 0, or -1. */
static int room(void **v, size_t *cap, size_t n, size_t sz)
{
	size_t nc;
	void *nv;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 256;
	if (nc > SIZE_MAX / sz || !(nv = realloc(*v, nc * sz)))
		return -1;
	*v = nv;
	*cap = nc;
	return 0;
}

static void rows_clear(struct maps_rows *m)
{
	for (size_t i = 0; m->own && i < m->n; i++)
		if (m->v[i].bits & ROW_OWNS_NAME)
			free((char *)m->v[i].name);
	free(m->v);
	free(m->gaps);
	memset(m, 0, sizeof *m);
}

static int row_add(struct maps_rows *m, const struct vma *v)
{
	struct maps_row *r;
	const char *f = v->vmflags_text ? v->vmflags_text : "";
	bool gap = v->kind != VMA_KIND_HOLE && vma_is_gap(v);

	if (room((void **)&m->v, &m->cap, m->n, sizeof *m->v) < 0 ||
	    (gap && room((void **)&m->gaps, &m->gcap, m->ngaps,
			 sizeof *m->gaps) < 0))
		return -1;
	r = &m->v[m->n++];
	r->start = v->start;
	r->end = v->end;
	r->rss_kb = v->kind == VMA_KIND_HOLE ? 0 : vma_smaps(v, SMAPS_RSS);
	r->name = v->name ? v->name : "";
	r->flags = f;
	memcpy(r->perms, v->perms, sizeof r->perms);
	r->kind = (uint8_t)v->kind;
	r->bits = (v->deleted ? ROW_DELETED : 0) | (gap ? ROW_GAP : 0) |
		  (m->own && v->name && !v->name_shared ? ROW_OWNS_NAME : 0);
	if (gap)
		m->gaps[m->ngaps++] = *v;
	if (f != m->fw_last) {
		/* texts are shared in the pool: neighbours mostly the same */
		size_t len = strlen(f);

		if (len > m->fw)
			m->fw = len;
		m->fw_last = f;
	}
	return 0;
}

/* vmas_read_each's hand-off: the window's VMAs become rows (NULL: the
 * read starts over). */
static int take_window(void *ctx, struct vma_list *w, struct vms_err *e)
{
	struct maps_rows *m = ctx;
	size_t i;

	if (!w) {
		bool own = m->own;

		rows_clear(m);
		m->own = own;
		return 0;
	}
	for (i = 0; i < w->n; i++) {
		if (row_add(m, &w->v[i]) == 0)
			continue;
		/* the names not yet taken are still the window's */
		for (; i < w->n; i++)
			if (m->own && !w->v[i].name_shared)
				free(w->v[i].name);
		err_set(e, ENOMEM, "out of memory for %zu mappings", m->n);
		return -1;
	}
	return 0;
}

/* ---- printing ---- */

/* A size column's text, the last one kept: neighbouring VMAs mostly
 * have the same size. */
struct size_memo {
	uint64_t bytes;
	bool ok;
	char s[16];
};

static const char *memo_size(struct size_memo *m, uint64_t bytes)
{
	if (!m->ok || m->bytes != bytes) {
		units_size(m->s, sizeof m->s, bytes);
		m->bytes = bytes;
		m->ok = true;
	}
	return m->s;
}

/* s (len bytes) right-justified in w columns (as %*s). */
static char *put_right(char *p, const char *s, size_t len, int w)
{
	for (; (int)len < w; w--)
		*p++ = ' ';
	memcpy(p, s, len);
	return p + len;
}

/* The name and the line's end into [p, lim) when it has nothing to
 * escape and fits: the end, else NULL (then the slow way). */
static char *put_name_fast(char *p, const char *lim, const struct maps_row *r)
{
	const unsigned char *u = (const unsigned char *)r->name;
	size_t n;

	while (*u >= 0x20 && *u < 0x7f && *u != '\\')
		u++;
	n = (size_t)(u - (const unsigned char *)r->name);
	if (*u || n + sizeof " (deleted)\n" > (size_t)(lim - p))
		return NULL;
	memcpy(p, r->name, n);
	p += n;
	if (r->bits & ROW_DELETED) {
		memcpy(p, " (deleted)", 10);
		p += 10;
	}
	*p++ = '\n';
	return p;
}

/* One row's line, written in one piece where its name needs no escape;
 * fw the VMFLAGS column's width. */
static void print_row(const struct maps_row *r, int w, int fw,
		      struct size_memo *ms, struct size_memo *mr)
{
	char line[512], *p = line, *e;
	const char *kind = vma_kind_name((enum vma_kind)r->kind);
	const char *s;

	p = outbuf_fmt_hex(p, r->start, w);
	*p++ = ' ';
	p = outbuf_fmt_hex(p, r->end, w);
	*p++ = ' ';
	p = outbuf_fmt_left(p, r->perms, 4, 4);
	*p++ = ' ';
	s = memo_size(ms, r->end - r->start);
	p = put_right(p, s, strlen(s), 8);
	*p++ = ' ';
	s = r->kind == VMA_KIND_HOLE ? "-" : memo_size(mr, r->rss_kb * 1024);
	p = put_right(p, s, strlen(s), 8);
	*p++ = ' ';
	*p++ = r->bits & ROW_GAP ? '!' : ' ';
	*p++ = ' ';
	p = outbuf_fmt_left(p, kind, strlen(kind), 8);
	*p++ = ' ';
	s = r->flags[0] ? r->flags : "-";
	p = outbuf_fmt_left(p, s, strlen(s), fw);
	*p++ = ' ';
	e = put_name_fast(p, line + sizeof line, r);
	fwrite(line, 1, (size_t)((e ? e : p) - line), stdout);
	if (e)
		return;
	util_put_escaped(stdout, r->name);
	if (r->bits & ROW_DELETED)
		fputs(" (deleted)", stdout);
	putchar('\n');
}

/* Where pagemap cannot see v: why, and its physical address if known. */
static void print_gap(const struct vms_root *r, uint64_t pagemap_end,
		      const struct vma *v)
{
	struct gap_phys gp;
	char why[768], expl[EXPLAIN_GAP_MAX];

	maps_gap_describe(r, v, &gp, why, sizeof why);
	printf("    ! %s\n", explain_gap(v, pagemap_end, expl, sizeof expl));
	if (gp.known) {
		printf("    ! physical 0x%" PRIx64 "-0x%" PRIx64 " from %s",
		       gp.base, gp.base + (v->end - v->start), gp.source);
		if (gp.region[0]) {
			fputs(", region ", stdout);
			util_put_escaped(stdout, gp.region);
		}
		putchar('\n');
	} else {
		printf("    ! physical address unknown%s%s\n",
		       why[0] ? ": " : "", why);
	}
}

/* The totals row, as pmap -X ends: the size and RSS of the mappings
 * (holes are no mapping), under their columns. */
static void print_total(const struct maps_rows *m, int w)
{
	uint64_t size = 0, rss = 0;
	size_t i, n = 0;
	char sz[16], rs[16];

	for (i = 0; i < m->n; i++) {
		if (m->v[i].kind == VMA_KIND_HOLE)
			continue;
		n++;
		size += m->v[i].end - m->v[i].start;
		rss += m->v[i].rss_kb * 1024;
	}
	units_size(sz, sizeof sz, size);
	units_size(rs, sizeof rs, rss);
	printf("%-*s %8s %8s   %zu mapping%s\n", 2 * w + 6, "total", sz, rs, n,
	       n == 1 ? "" : "s");
}

static void print_rows(const struct vms_root *r, int pid,
		       const struct maps_rows *m, unsigned addr_width,
		       uint64_t pagemap_end)
{
	int w = addr_width ? (int)addr_width : root_addr_width(r);
	int fw = m->fw > 7 ? (int)m->fw : 7;
	size_t i, g = 0;
	char comm[256], desc[512];
	struct size_memo ms = { 0 }, mr = { 0 };

	util_comm(r, pid, comm, sizeof comm);
	root_describe(r, desc, sizeof desc);
	printf("process %d (%s), %s, page size %u\n", pid, comm, desc,
	       r->page_size);
	printf("%-*s %-*s PERM     SIZE      RSS   KIND     %-*s NAME\n",
	       w, "START", w, "END", fw, "VMFLAGS");
	if (w > 16)
		w = 16;
	for (i = 0; i < m->n; i++) {
		print_row(&m->v[i], w, fw, &ms, &mr);
		if (m->v[i].bits & ROW_GAP && g < m->ngaps)
			print_gap(r, pagemap_end, &m->gaps[g++]);
	}
	print_total(m, w);
}

/* Windows of this many VMAs (386 KB of list, reused). */
#define MAPS_WINDOW 4096

int maps_text(const struct vms_root *r, int pid, bool holes)
{
	struct maps_rows m = { .own = !holes };
	struct vma_list l, h;
	struct vms_err e;
	uint64_t rss = UINT64_C(1) << SMAPS_RSS;
	int rc = 0;

	if (!holes) {
		/* rows as the windows come; the list keeps the pool */
		rc = vmas_read_each(r, pid, rss, MAPS_WINDOW, take_window, &m,
				    &l, &e);
	} else if ((rc = vmas_read_fields(r, pid, rss, &l, &e)) == 0) {
		vmas_pagemap_end(r, &l, NULL);
		rc = vmas_with_holes(&l, &h, &e);
		if (rc == 0) {
			rc = take_window(&m, &h, &e);
			vmas_free_holes(&h);
		}
		if (rc < 0)
			vmas_free(&l);
	}
	if (rc < 0) {
		util_error("%s", e.msg);
		rows_clear(&m);
		return CLI_ERROR;
	}
	print_rows(r, pid, &m, l.addr_width, l.pagemap_end);
	rows_clear(&m);
	vmas_free(&l);
	return CLI_OK;
}
