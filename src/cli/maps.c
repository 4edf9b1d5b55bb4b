/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmscope maps PID: the VMAs of a process. */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include "vmscope/units.h"
#include "cli.h"
#include "util.h"
#include "vmscope/explain.h"
#include "vmscope/physaddr.h"

/* stdout's buffer where it is not a terminal */
static char out_block[1 << 16];

/* Gap VMAs: the physical address where the system can tell, or why not. */
static void gap_describe(const struct vms_root *r, const struct vma *v,
			 struct gap_phys *gp, char *why, size_t n)
{
	struct vms_err e;

	why[0] = '\0';
	if (physaddr_of_gap(r, v, v->start, gp, &e) < 0) {
		gp->known = false;
		snprintf(why, n, "%s", e.msg);
	}
}

/* The totals row, as pmap -X ends: the size and RSS of the mappings
 * (holes are no mapping), under their columns. */
static void print_total(const struct vma_list *l, int w)
{
	uint64_t size = 0, rss = 0;
	size_t i, n = 0;
	char sz[16], rs[16];

	for (i = 0; i < l->n; i++) {
		if (l->v[i].kind == VMA_KIND_HOLE)
			continue;
		n++;
		size += l->v[i].end - l->v[i].start;
		rss += vma_smaps(&l->v[i], SMAPS_RSS) * 1024;
	}
	units_size(sz, sizeof sz, size);
	units_size(rs, sizeof rs, rss);
	printf("%-*s %8s %8s   %zu mapping%s\n", 2 * w + 6, "total", sz, rs, n,
	       n == 1 ? "" : "s");
}

/* A size column's text, the last one kept: neighbouring VMAs mostly
 * have the same size (100,000 of them print in a few milliseconds). */
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

/* v in hex, zero-padded to w digits (as %0*PRIx64). */
static char *put_hex(char *p, uint64_t v, int w)
{
	char t[16];
	int n = 0;

	do {
		t[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (w-- > n)
		*p++ = '0';
	while (n)
		*p++ = t[--n];
	return p;
}

/* s padded with blanks to w (as %-*s, or %*s when right), then c. */
static char *put_pad(char *p, const char *s, int w, bool right, char c)
{
	size_t len = strlen(s);
	int pad = (size_t)w > len ? w - (int)len : 0;

	if (right) {
		memset(p, ' ', (size_t)pad);
		p += pad;
	}
	memcpy(p, s, len);
	p += len;
	if (!right) {
		memset(p, ' ', (size_t)pad);
		p += pad;
	}
	*p++ = c;
	return p;
}

/* The name and the line's end into [p, lim) when it has nothing to
 * escape and fits: the end, else NULL (then put_name_slow). */
static char *put_name_fast(char *p, const char *lim, const struct vma *v)
{
	const unsigned char *u = (const unsigned char *)v->name;
	size_t n;

	while (*u >= 0x20 && *u < 0x7f && *u != '\\')
		u++;
	n = (size_t)(u - (const unsigned char *)v->name);
	if (*u || n + sizeof " (deleted)\n" > (size_t)(lim - p))
		return NULL;
	memcpy(p, v->name, n);
	p += n;
	if (v->deleted) {
		memcpy(p, " (deleted)", 10);
		p += 10;
	}
	*p++ = '\n';
	return p;
}

/* The name as util_put_escaped writes it, and the line's end. */
static void put_name_slow(const struct vma *v)
{
	util_put_escaped(stdout, v->name);
	if (v->deleted)
		fputs(" (deleted)", stdout);
	putchar('\n');
}

/* Where pagemap cannot see v: why, and its physical address if known. */
static void print_gap(const struct vms_root *r, const struct vma_list *l,
		      const struct vma *v)
{
	struct gap_phys gp;
	char why[768], expl[EXPLAIN_GAP_MAX];

	gap_describe(r, v, &gp, why, sizeof why);
	printf("    ! %s\n", explain_gap(v, l->pagemap_end, expl, sizeof expl));
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

/* One VMA's line, written in one piece where its name needs no escape;
 * fw the VMFLAGS column's width. */
static void print_line(const struct vma *v, int w, int fw, bool gap,
		       struct size_memo *ms, struct size_memo *mr)
{
	char line[512], *p = line, *e;

	p = put_hex(p, v->start, w);
	*p++ = ' ';
	p = put_hex(p, v->end, w);
	*p++ = ' ';
	p = put_pad(p, v->perms, 4, false, ' ');
	p = put_pad(p, memo_size(ms, v->end - v->start), 8, true, ' ');
	p = put_pad(p, v->kind == VMA_KIND_HOLE ? "-" :
		    memo_size(mr, v->smaps[SMAPS_RSS] * 1024), 8, true, ' ');
	*p++ = gap ? '!' : ' ';
	*p++ = ' ';
	p = put_pad(p, vma_kind_name(v->kind), 8, false, ' ');
	p = put_pad(p, v->vmflags_text[0] ? v->vmflags_text : "-", fw, false,
		    ' ');
	e = put_name_fast(p, line + sizeof line, v);
	fwrite(line, 1, (size_t)((e ? e : p) - line), stdout);
	if (!e)
		put_name_slow(v);
}

static void print_text(const struct vms_root *r, int pid,
		       const struct vma_list *l)
{
	int w = l->addr_width ? (int)l->addr_width : root_addr_width(r);
	size_t i, fw = 7;
	char comm[256], desc[512];
	struct size_memo ms = { 0 }, mr = { 0 };

	util_comm(r, pid, comm, sizeof comm);
	root_describe(r, desc, sizeof desc);
	printf("process %d (%s), %s, page size %u\n", pid, comm, desc,
	       r->page_size);
	for (i = 0; i < l->n; i++)
		if (strlen(l->v[i].vmflags_text) > fw)
			fw = strlen(l->v[i].vmflags_text);
	printf("%-*s %-*s PERM     SIZE      RSS   KIND     %-*s NAME\n",
	       w, "START", w, "END", (int)fw, "VMFLAGS");
	if (w > 16)
		w = 16;
	for (i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		bool gap = v->kind != VMA_KIND_HOLE && vma_is_gap(v);

		print_line(v, w, (int)fw, gap, &ms, &mr);
		if (gap)
			print_gap(r, l, v);
	}
	print_total(l, w);
}

static void print_json(const struct vms_root *r, int pid,
		       const struct vma_list *l)
{
	struct json j;
	char comm[256], desc[512];
	size_t i;
	int b;

	util_comm(r, pid, comm, sizeof comm);
	root_describe(r, desc, sizeof desc);
	json_start(&j, stdout);
	json_u64(&j, "pid", (uint64_t)pid);
	json_str(&j, "comm", comm);
	json_str(&j, "root", desc);
	json_u64(&j, "page_size", r->page_size);
	json_arr(&j, "vmas");
	for (i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		bool hole = v->kind == VMA_KIND_HOLE;
		bool gap = !hole && vma_is_gap(v);
		char dev[32];

		json_obj(&j, NULL);
		json_hex(&j, "start", v->start);
		json_hex(&j, "end", v->end);
		json_u64(&j, "size", v->end - v->start);
		json_str(&j, "perms", v->perms);
		json_str(&j, "kind", vma_kind_name(v->kind));
		if (!hole) {
			json_hex(&j, "offset", v->offset);
			snprintf(dev, sizeof dev, "%02x:%02x", v->dev_major, v->dev_minor);
			json_str(&j, "dev", dev);
			json_u64(&j, "inode", v->inode);
			json_str(&j, "name", v->name);
			json_bool(&j, "deleted", v->deleted);
			json_u64(&j, "rss_kb", v->smaps[SMAPS_RSS]);
			json_arr(&j, "vmflags");
			for (b = 0; b < VMF__COUNT; b++)
				if (vma_has_flag(v, (enum vma_flag)b))
					json_str(&j, NULL, vma_flag_code((enum vma_flag)b));
			json_close_arr(&j);
			json_str(&j, "vmflags_text", v->vmflags_text);
			if (v->has_smaps) {
				json_obj(&j, "smaps_kb");
				for (b = 0; b < SMAPS__COUNT; b++)
					json_u64(&j, smaps_field_name((enum smaps_field)b),
						 v->smaps[b]);
				json_close_obj(&j);
			}
		}
		json_bool(&j, "gap", gap);
		if (gap) {
			struct gap_phys gp;
			char why[768], expl[EXPLAIN_GAP_MAX];

			gap_describe(r, v, &gp, why, sizeof why);
			json_str(&j, "gap_reason", explain_gap(v, l->pagemap_end,
							       expl, sizeof expl));
			if (gp.known) {
				json_obj(&j, "phys");
				json_hex(&j, "start", gp.base);
				json_hex(&j, "end", gp.base + (v->end - v->start));
				json_str(&j, "source", gp.source);
				json_str(&j, "region", gp.region);
				json_close_obj(&j);
			} else {
				json_null(&j, "phys");
				json_str(&j, "phys_unknown_reason", why[0] ? why : "no kernel interface gives it");
			}
		}
		json_close_obj(&j);
	}
	json_close_arr(&j);
	json_end(&j);
}

/* The VMAs of pid: all smaps fields for JSON, which prints them; the
 * text prints only Rss (and VmFlags), and reads the others unparsed. */
static int read_vmas(const struct vms_root *r, int pid, bool all,
		     struct vma_list *l)
{
	struct vms_err e;
	uint64_t fields = all ? ~UINT64_C(0) : UINT64_C(1) << SMAPS_RSS;

	/* read once: the list may be kept in huge pages */
	if (vmas_read_fields(r, pid, fields, l, &e) < 0) {
		util_error("%s", e.msg);
		return -1;
	}
	/* where pagemap ends, for the explanation of VMAs above it */
	vmas_pagemap_end(r, l, NULL);
	return 0;
}

int cli_maps(const struct vms_root *r, const struct cli_opts *o, int argc,
	     char **argv)
{
	struct vma_list l, holes;
	bool with_holes = false;
	int pid, i, npos = 0;
	const char *pos[1] = { NULL };

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--holes") == 0)
			with_holes = true;
		else if (npos < 1)
			pos[npos++] = argv[i];
		else {
			util_error("maps takes one PID (usage: vmscope maps [--holes] PID)");
			return CLI_USAGE;
		}
	}
	if (!pos[0]) {
		util_error("maps needs a PID (usage: vmscope maps [--holes] PID)");
		return CLI_USAGE;
	}
	if (!util_parse_pid(pos[0], &pid))
		return CLI_USAGE;
	if (read_vmas(r, pid, o->json, &l) < 0)
		return CLI_ERROR;
	if (with_holes) {
		struct vms_err e;

		if (vmas_with_holes(&l, &holes, &e) < 0) {
			util_error("%s", e.msg);
			vmas_free(&l);
			return CLI_ERROR;
		}
	}
	/* 100,000 VMAs are 11 MB of text: written in 64K blocks, not in
	 * stdio's 4K (nothing has been written to stdout yet) */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, out_block, _IOFBF, sizeof out_block);
	if (o->json)
		print_json(r, pid, with_holes ? &holes : &l);
	else
		print_text(r, pid, with_holes ? &holes : &l);
	if (with_holes)
		vmas_free_holes(&holes);
	vmas_free(&l);
	return fflush(stdout) == 0 ? CLI_OK : CLI_ERROR;
}
