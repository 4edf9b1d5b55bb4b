/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "json.h"
#include "outbuf.h"
#include "util.h"
#include "vmscope/escape.h"
#include "vmscope/kpage.h"
#include "vmscope/pagemap.h"

static char last_error[1024];

const char *cli_last_error(void)
{
	return last_error;
}

void util_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	vsnprintf(last_error, sizeof last_error, fmt, ap);
	va_end(ap);
	fprintf(stderr, "vmscope: %s\n", last_error);
}

void util_unexpected(const char *cmd, const char *arg, const char *usage)
{
	char *esc = escape_dup(arg);

	util_error("%s: unexpected '%s' (usage: %s)", cmd, esc ? esc : "?",
		   usage);
	free(esc);
}

bool util_parse_pid(const char *s, int *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > INT_MAX) {
		char *esc = escape_dup(s);

		util_error("'%s' is not a process ID (give a positive decimal number, e.g. from 'ps')",
			   esc ? esc : "?");
		free(esc);
		return false;
	}
	*pid = (int)v;
	return true;
}

bool util_parse_addr(const char *s, uint64_t *addr)
{
	const char *p = s;
	char *end;
	unsigned long long v;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	errno = 0;
	if (!isxdigit((unsigned char)*p))
		goto bad;
	v = strtoull(p, &end, 16);
	if (errno || *end)
		goto bad;
	*addr = v;
	return true;
bad:
	{
		char *esc = escape_dup(s);

		util_error("'%s' is not an address (give hex, e.g. 0x7f0000001000 or 7f0000001000)",
			   esc ? esc : "?");
		free(esc);
	}
	return false;
}

void util_put_escaped(FILE *f, const char *s)
{
	char *e = escape_dup(s);

	fputs(e ? e : "?", f);
	free(e);
}

int util_read_vmas(const struct vms_root *r, int pid, struct vma_list *l)
{
	struct vms_err e;

	memset(l, 0, sizeof *l);
	if (vmas_read(r, pid, true, l, &e) < 0) {
		util_error("%s", e.msg);
		return -1;
	}
	/* where pagemap ends, for the explanation of VMAs above it */
	vmas_pagemap_end(r, l, NULL);
	return 0;
}

void util_comm(const struct vms_root *r, int pid, char *buf, size_t n)
{
	char rel[64], *text;
	size_t len;

	snprintf(rel, sizeof rel, "proc/%d/comm", pid);
	if (root_read_text(r, rel, &text, &len, NULL) < 0) {
		snprintf(buf, n, "?");
		return;
	}
	if (len && text[len - 1] == '\n')
		text[--len] = '\0';
	escape_text(buf, n, text, len);
	free(text);
}

bool util_bootlog_option(int argc, char **argv, int *i,
			 struct kranges_opts *ko)
{
	const char *a = argv[*i];

	if (!strcmp(a, "--bootlog") && *i + 1 < argc)
		ko->bootlog_file = argv[++*i];
	else if (!strncmp(a, "--bootlog=", 10))
		ko->bootlog_file = a + 10;
	else if (!strcmp(a, "--no-bootlog"))
		ko->no_bootlog = true;
	else
		return false;
	return true;
}

void util_krange_sources_json(struct json *j, const struct kranges *k,
			      const struct krange *r)
{
	char where[256];
	size_t i;

	json_arr(j, "sources");
	for (i = 0; i < r->nsrc; i++) {
		kranges_src_format(k, &r->src[i], where, sizeof where);
		json_obj(j, NULL);
		json_str(j, "source", ksrc_name(r->src[i].kind));
		if (r->src[i].line)
			json_u64(j, "line", r->src[i].line);
		else
			json_null(j, "line");
		json_str(j, "where", where);
		json_str(j, "text", r->src[i].text);
		json_close_obj(j);
	}
	json_close_arr(j);
}

/* A pagemap flag: null where the root's kernel had no such bit. */
static void page_json_bit(struct json *j, const struct pagemap_entry *pe,
			  const char *key, unsigned bit, bool set)
{
	if (pagemap_entry_has(pe, bit))
		json_bool(j, key, set);
	else
		json_null(j, key);
}

void util_page_json_bits(struct json *j, const struct pagemap_entry *pe)
{
	page_json_bit(j, pe, "soft_dirty", 55, pe->soft_dirty);
	page_json_bit(j, pe, "exclusive", 56, pe->exclusive);
	page_json_bit(j, pe, "uffd_wp", 57, pe->uffd_wp);
	page_json_bit(j, pe, "guard", 58, pe->guard);
	page_json_bit(j, pe, "file_shared", 61, pe->file_shared);
}

/* A memo slot for key: the JSON text written by the last value stored
 * under it, or NULL. */
static struct page_json_slot *memo_slot(struct page_json_slot *tab,
					uint64_t key)
{
	return &tab[(key * UINT64_C(0x9E3779B97F4A7C15)) >> 58];
}

/* Where the writer is: a mark for memo_keep. */
struct memo_mark { size_t len; unsigned long drains; };

static struct memo_mark memo_mark(const struct json *j)
{
	struct memo_mark m = { 0, 0 };

	if (j->ob) {
		m.len = j->ob->len;
		m.drains = j->ob->drains;
	}
	return m;
}

/* Keep the JSON the writer produced since mk as slot's text (when it is
 * all still in the buffer). */
static void memo_keep(struct page_json_slot *s, const struct json *j,
		      struct memo_mark mk, uint64_t key)
{
	size_t mark = mk.len, n;
	char *t;

	if (!j->ob || j->ob->drains != mk.drains || j->ob->len < mark)
		return;
	n = j->ob->len - mark;
	t = malloc(n);
	if (!t)
		return;
	memcpy(t, j->ob->b + mark, n);
	free(s->text);
	s->text = t;
	s->len = n;
	s->key = key;
}

void util_page_json_memo_free(struct page_json_memo *m)
{
	size_t i;

	for (i = 0; i < PAGE_JSON_MEMO; i++) {
		free(m->fl[i].text);
		free(m->cg[i].text);
		free(m->bits[i].text);
	}
}

/* "kpageflags": the names of the set bits (BIT%u for unknown ones). */
static void page_json_kflags(struct json *j, uint64_t kflags, uint32_t kver,
			     struct page_json_memo *m)
{
	struct page_json_slot *s = m ? memo_slot(m->fl, kflags) : NULL;
	struct memo_mark mark;
	char name[16];
	unsigned b;

	if (s && s->text && s->key == kflags) {
		json_raw(j, "kpageflags", s->text, s->len);
		return;
	}
	json_key(j, "kpageflags");
	mark = memo_mark(j);
	json_value_arr(j);
	for (b = 0; b < 64; b++) {
		if (!(kflags >> b & 1))
			continue;
		if (kpage_flag_name_for(b, kver)) {
			json_str(j, NULL, kpage_flag_name_for(b, kver));
		} else {
			snprintf(name, sizeof name, "BIT%u", b);
			json_str(j, NULL, name);
		}
	}
	json_close_arr(j);
	if (s)
		memo_keep(s, j, mark, kflags);
}

/* "cgroup": the path of the page's memory cgroup, escaped once. */
static void page_json_cgroup(struct json *j, struct pages_ctx *c,
			     const struct page_info *p,
			     struct page_json_memo *m)
{
	struct page_json_slot *s = m ? memo_slot(m->cg, p->cg_ino) : NULL;
	const char *path;
	struct memo_mark mark;

	if (s && p->cg_ino && s->text && s->key == p->cg_ino) {
		json_raw(j, "cgroup", s->text, s->len);
		return;
	}
	json_key(j, "cgroup");
	mark = memo_mark(j);
	path = pages_cgroup(c, p);
	json_value_str(j, path);
	if (s && path) /* an unknown inode may be found by a later walk */
		memo_keep(s, j, mark, p->cg_ino);
}

/* Members that follow from the entry's flag bits alone: written from
 * the memo (true) when they were written once; else false, with *slot
 * where to keep them (NULL without a memo). */
static bool bits_memo(struct json *j, struct page_json_memo *m,
		      uint64_t key, struct page_json_slot **slot)
{
	struct page_json_slot *s = m ? memo_slot(m->bits, key) : NULL;

	if (s && s->text && s->key == key) {
		json_raw_members(j, s->text, s->len);
		return true;
	}
	*slot = s;
	return false;
}

/* "present", "swapped", "pfn_hidden". */
static void page_json_state(struct json *j, const struct pagemap_entry *pe,
			    bool visible, uint64_t pm,
			    struct page_json_memo *m)
{
	uint64_t key = (pm >> 62) << 1 | visible | UINT64_C(1) << 40;
	struct memo_mark mark = memo_mark(j);
	struct page_json_slot *s;

	if (bits_memo(j, m, key, &s))
		return;
	json_bool(j, "present", pe->present);
	json_bool(j, "swapped", pe->swapped);
	json_bool(j, "pfn_hidden", pe->present && !visible);
	if (s)
		memo_keep(s, j, mark, key);
}

/* util_page_json_bits, by the entry's bits 55-63. */
static void page_json_bits_memo(struct json *j, const struct pagemap_entry *pe,
				uint64_t pm, struct page_json_memo *m)
{
	uint64_t key = pm >> 55 | UINT64_C(1) << 41;
	struct memo_mark mark = memo_mark(j);
	struct page_json_slot *s;

	if (bits_memo(j, m, key, &s))
		return;
	util_page_json_bits(j, pe);
	if (s)
		memo_keep(s, j, mark, key);
}

void util_page_json(struct json *j, struct pages_ctx *c,
		    const struct page_info *p)
{
	util_page_json_memo(j, c, p, NULL);
}

void util_page_json_memo(struct json *j, struct pages_ctx *c,
			 const struct page_info *p, struct page_json_memo *m)
{
	const struct vms_root *r = c->root;
	struct pagemap_entry pe;

	pagemap_decode(p->pm, &c->pm.layout, &pe);
	json_hex(j, "vaddr", p->vaddr);
	json_str(j, "state", page_state_name((enum page_state)p->state));
	json_hex(j, "pagemap_raw", p->pm);
	page_json_state(j, &pe, r->pfn_visible, p->pm, m);
	if (pe.present && r->pfn_visible) {
		json_hex(j, "pfn", pe.pfn);
		json_hex(j, "phys", pe.pfn << r->page_shift);
	} else {
		json_null(j, "pfn");
		json_null(j, "phys");
	}
	if (pe.swapped) {
		json_u64(j, "swap_type", pe.swap_type);
		json_hex(j, "swap_offset", pe.swap_offset);
	}
	page_json_bits_memo(j, &pe, p->pm, m);
	if (pe.page_shift)
		json_u64(j, "page_shift", pe.page_shift);
	if (p->have_kpage) {
		json_hex(j, "kpageflags_raw", p->kflags);
		page_json_kflags(j, p->kflags, c->pm.layout.kver, m);
		json_u64(j, "map_count", p->kcount);
		if (kpage_has(&c->kp, PAGES_CGROUP)) {
			json_u64(j, "cgroup_inode", p->cg_ino);
			page_json_cgroup(j, c, p, m);
		} else {   /* no /proc/kpagecgroup (before 4.3, or no memcg) */
			json_null(j, "cgroup_inode");
			json_null(j, "cgroup");
		}
	} else {
		json_null(j, "kpageflags");
		json_null(j, "map_count");
		json_null(j, "cgroup");
	}
	/* whether the frame's kpage* are the truth: "not-recorded" in a
	 * snapshot that did not keep them; null where no frame was read */
	if (p->have_kpage || p->frame != KPAGE_REC_YES)
		json_str(j, "frame_record", kpage_rec_name((enum kpage_rec)p->frame));
	else
		json_null(j, "frame_record");
}

void cli_json_error(int status, const char *message)
{
	struct json j;

	json_start(&j, stdout);
	json_obj(&j, "error");
	json_str(&j, "code", status == CLI_USAGE ? "usage" : "error");
	json_u64(&j, "status", (uint64_t)status);
	json_str(&j, "message", message);
	json_close_obj(&j);
	json_end(&j);
	fflush(stdout);
}
