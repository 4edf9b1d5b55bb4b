/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas: a process's VMAs read from ROOT/proc/PID/smaps or maps, the
 * names of kinds, flags and fields, lookups and the holes between VMAs.
 * The parsing and classification are in vmas_parse.c. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vmscope/escape.h"
#include "vmscope/vmas.h"
#include "vmas_int.h"

static const char *const kind_names[VMA_KIND__COUNT] = {
	[VMA_KIND_ANON] = "anon",
	[VMA_KIND_HEAP] = "heap",
	[VMA_KIND_STACK] = "stack",
	[VMA_KIND_FILE] = "file",
	[VMA_KIND_SHMEM] = "shmem",
	[VMA_KIND_VDSO] = "vdso",
	[VMA_KIND_VVAR] = "vvar",
	[VMA_KIND_VSYSCALL] = "vsyscall",
	[VMA_KIND_HUGETLB] = "hugetlb",
	[VMA_KIND_GUARD] = "guard",
	[VMA_KIND_PFNMAP] = "pfnmap",
	[VMA_KIND_IO] = "io",
	[VMA_KIND_UIO] = "uio",
	[VMA_KIND_DEVMEM] = "devmem",
	[VMA_KIND_CHARDEV] = "chardev",
	[VMA_KIND_HOLE] = "hole",
};

static const char flag_codes[VMF__COUNT][3] = {
	"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms",
	"gd", "pf", "dw", "lo", "io", "sr", "rr", "dc",
	"de", "ac", "nr", "ht", "sf", "nl", "ar", "wf",
	"dd", "sd", "mm", "hg", "nh", "mg", "um", "uw",
	"ss", "sl", "lf", "bt", "gu", "mt", "ui", "dp",
};

static const char *const field_names[SMAPS__COUNT] = {
	[SMAPS_SIZE] = "Size",
	[SMAPS_KERNEL_PAGE_SIZE] = "KernelPageSize",
	[SMAPS_MMU_PAGE_SIZE] = "MMUPageSize",
	[SMAPS_RSS] = "Rss",
	[SMAPS_PSS] = "Pss",
	[SMAPS_PSS_ANON] = "Pss_Anon",
	[SMAPS_PSS_FILE] = "Pss_File",
	[SMAPS_PSS_SHMEM] = "Pss_Shmem",
	[SMAPS_PSS_DIRTY] = "Pss_Dirty",
	[SMAPS_SHARED_CLEAN] = "Shared_Clean",
	[SMAPS_SHARED_DIRTY] = "Shared_Dirty",
	[SMAPS_PRIVATE_CLEAN] = "Private_Clean",
	[SMAPS_PRIVATE_DIRTY] = "Private_Dirty",
	[SMAPS_REFERENCED] = "Referenced",
	[SMAPS_ANONYMOUS] = "Anonymous",
	[SMAPS_KSM] = "KSM",
	[SMAPS_LAZY_FREE] = "LazyFree",
	[SMAPS_ANON_HUGE_PAGES] = "AnonHugePages",
	[SMAPS_SHMEM_PMD_MAPPED] = "ShmemPmdMapped",
	[SMAPS_FILE_PMD_MAPPED] = "FilePmdMapped",
	[SMAPS_SHARED_HUGETLB] = "Shared_Hugetlb",
	[SMAPS_PRIVATE_HUGETLB] = "Private_Hugetlb",
	[SMAPS_SWAP] = "Swap",
	[SMAPS_SWAP_PSS] = "SwapPss",
	[SMAPS_LOCKED] = "Locked",
	[SMAPS_THP_ELIGIBLE] = "THPeligible",
	[SMAPS_PROTECTION_KEY] = "ProtectionKey",
};

/* Shared by every hole entry: vmas_free_holes never frees names. */
static char hole_name[1];

const char *vma_kind_name(enum vma_kind k)
{
	if ((unsigned)k >= VMA_KIND__COUNT)
		return "?";
	return kind_names[k];
}

const char *vma_flag_code(enum vma_flag f)
{
	if ((unsigned)f >= VMF__COUNT)
		return "??";
	return flag_codes[f];
}

const char *smaps_field_name(enum smaps_field f)
{
	if ((unsigned)f >= SMAPS__COUNT)
		return "?";
	return field_names[f];
}

bool vma_has_flag(const struct vma *v, enum vma_flag f)
{
	if ((unsigned)f >= VMF__COUNT)
		return false;
	return (v->vmflags >> f) & 1;
}

/* ---- lookups ---- */

const struct vma *vmas_find(const struct vma_list *l, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!l || !l->v || l->n == 0)
		return NULL;
	/* last entry with start <= addr */
	hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	if (addr < l->v[lo - 1].end)
		return &l->v[lo - 1];
	return NULL;
}

/* Where the user address space ends below v, a VMA above it: the end
 * of pagemap (TASK_SIZE, measured); without it, for x86_64's
 * [vsyscall], TASK_SIZE_MAX of 4-level paging (47 bits) or of 5-level
 * (56 bits) when a VMA lies above 47 bits.  0: v is not above it. */
static uint64_t user_end_below(const struct vma_list *l, const struct vma *v,
			       uint64_t below)
{
	const uint64_t va47 = (UINT64_C(1) << 47) - 4096,
		       va56 = (UINT64_C(1) << 56) - 4096;

	if (l->pagemap_end && v->start > l->pagemap_end)
		return l->pagemap_end;
	if (v->kind != VMA_KIND_VSYSCALL || l->addr_width != 16)
		return 0;
	return below <= va47 ? va47 : below <= va56 ? va56 : 0;
}

bool vmas_hole_before(const struct vma_list *l, size_t i, struct vma *h)
{
	uint64_t end;

	if (i == 0 || i >= l->n || l->v[i - 1].end >= l->v[i].start)
		return false;
	/* the address space a process can map ends where the architecture
	 * ends it: what lies between that and a VMA above (the non-canonical
	 * gap, the kernel half) is no hole of the process */
	end = user_end_below(l, &l->v[i], l->v[i - 1].end);
	if (!end || end > l->v[i].start)
		end = l->v[i].start;
	if (l->v[i - 1].end >= end)
		return false;
	memset(h, 0, sizeof *h);
	h->vmflags_text = "";
	h->smaps = vmas_no_smaps;
	h->start = l->v[i - 1].end;
	h->end = end;
	memcpy(h->perms, "----", 5);
	h->name = hole_name;
	h->kind = VMA_KIND_HOLE;
	return true;
}

int vmas_with_holes(const struct vma_list *in, struct vma_list *out,
		    struct vms_err *e)
{
	size_t i, k = 0, cap;

	memset(out, 0, sizeof *out);
	out->v_huge = in->v_huge;
	out->pid = in->pid;
	out->addr_width = in->addr_width;
	if (in->n == 0)
		return 0;
	if (in->n > (SIZE_MAX / sizeof *out->v) / 2) {
		err_sys(e, ENOMEM, "listing the holes between %zu mappings",
			in->n);
		return -1;
	}
	cap = in->n * 2 - 1;
	if (vmas_array_grow(out, cap) < 0) {
		err_sys(e, ENOMEM, "listing the holes between %zu mappings",
			in->n);
		return -1;
	}
	for (i = 0; i < in->n; i++) {
		if (vmas_hole_before(in, i, &out->v[k]))
			k++;
		out->v[k++] = in->v[i];
	}
	out->n = k;
	return 0;
}

void vmas_free_holes(struct vma_list *l)
{
	if (!l)
		return;
	vmas_array_free(l);
	memset(l, 0, sizeof *l);
}

void vmas_free(struct vma_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		if (!l->v[i].name_shared)
			free(l->v[i].name);
	vmas_array_free(l);
	vmas_pool_free(l->pool);
	memset(l, 0, sizeof *l);
}

/* The reading below parses through vmas_parse.c under these names. */
static int parse_line(struct vparse *st, const char *p, const char *le,
		      struct vms_err *e)
{
	return vmas_parse_line(st, p, le, e);
}

static void parse_finish(struct vparse *st)
{
	vmas_parse_finish(st);
}

/* Reads of a live process whose mappings change meanwhile. */
#define VMAS_READ_TRIES 8

/* Longest line read (a maps line is at most a path and 100 bytes). */
#define VMAS_LINE_MAX (1u << 20)

/* Parse the file f a chunk at a time: memory holds one chunk of
 * text and the VMAs, never the whole file (smaps of 100,000 VMAs is
 * 70 MB of text).  Updating, the read stops at the first VMA that is not
 * the list's.  A read error is -1 with e set as root_read_text sets it
 * (errno code, message naming shown); a parse error is -1 with
 * *parse_failed set.  The list is the caller's to free either way. */
static int parse_file(struct root_file *f, const char *shown,
		      struct vparse *st, bool *parse_failed, struct vms_err *e)
{
	size_t cap = 16384, have = 0;
	uint64_t pos = 0;
	char *buf = malloc(cap);

	*parse_failed = false;
	if (!buf) {
		err_sys(e, ENOMEM, "reading %s", shown);
		return -1;
	}
	for (;;) {
		ssize_t got;
		const char *p, *end;
		int rc;

		if (have == cap) {
			/* one line fills the buffer */
			char *nb = cap < VMAS_LINE_MAX ? realloc(buf, cap * 2) : NULL;

			if (!nb) {
				err_set(e, VMS_EFORMAT,
					"line %u is longer than %u bytes",
					st->lineno + 1, VMAS_LINE_MAX);
				*parse_failed = true;
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
		got = root_pread_some(f, buf + have, cap - have, pos, e);
		if (got < 0) {
			if (e)
				err_sys(e, e->code, "reading %s", shown);
			goto fail;
		}
		if (got == 0)
			break;
		pos += (uint64_t)got;
		have += (size_t)got;
		end = buf + have;
		p = vmas_parse_lines(st, buf, end, e, &rc);
		if (rc < 0) {
			*parse_failed = true;
			goto fail;
		}
		if (rc > 0)
			goto done;
		have = (size_t)(end - p);
		memmove(buf, p, have);
	}
	/* a last line without a newline */
	if (have && parse_line(st, buf, buf + have, e) < 0) {
		*parse_failed = true;
		goto fail;
	}
done:
	free(buf);
	parse_finish(st);
	return 0;
fail:
	free(buf);
	return -1;
}

/* ---- reading a process ---- */

/* e from the error le of reading shown, the maps of pid. */
static void read_error(const struct vms_root *r, int pid, const char *shown,
		       const struct vms_err *le, struct vms_err *e)
{
	switch (le->code) {
	case ENOENT:
	case ESRCH:
		err_set(e, VMS_ENOPROC,
			"process %d does not exist (it may have exited)", pid);
		break;
	case EACCES:
	case EPERM:
		if (r->live)
			err_set(e, le->code,
				"cannot read %s: reading another user's process needs root (run vmscope as root, or as the user that owns process %d)",
				shown, pid);
		else
			err_set(e, le->code,
				"cannot read %s: permission denied (check the snapshot's file permissions)",
				shown);
		break;
	default:
		if (e)
			*e = *le;
	}
}

/* Read ROOT/proc/PID/smaps or maps through the parser st: vmas_read
 * and vmas_reread. */
static int read_proc(const struct vms_root *r, int pid, bool with_smaps,
		     struct vparse *st, struct vms_err *e)
{
	char rel[64], shown[1024 + 64];
	const char *file = with_smaps ? "smaps" : "maps";
	struct vms_err le;
	bool parse_failed = false;
	struct root_file *f;
	int rc, tries = 0;

	err_clear(&le);
	if (pid <= 0) {
		err_set(e, VMS_ENOPROC, "process %d does not exist", pid);
		return -1;
	}
again:
	parse_failed = false;
	snprintf(rel, sizeof rel, "proc/%d/%s", pid, file);
	f = root_fopen(r, rel, &le);
	if (!f && le.code == ENOENT && !r->live) {
		/* smaps: a kernel without CONFIG_PROC_PAGE_MONITOR, or a
		 * snapshot that kept only maps; maps: a snapshot keeps smaps,
		 * whose VMA lines are maps' */
		file = with_smaps ? "maps" : "smaps";
		snprintf(rel, sizeof rel, "proc/%d/%s", pid, file);
		if (root_exists(r, rel))
			f = root_fopen(r, rel, &le);
	} else if (!f && with_smaps && le.code == ENOENT) {
		snprintf(rel, sizeof rel, "proc/%d/maps", pid);
		file = "maps";
		if (root_exists(r, rel))
			f = root_fopen(r, rel, &le);
	}
	root_shown(r, rel, shown, sizeof shown);
	rc = !f ? -1 : parse_file(f, shown, st, &parse_failed, &le);
	root_fclose(f);
	if (rc < 0 && st->overlap && r->live) {
		/* changed under the reader: read it again, a few times */
		if (++tries < VMAS_READ_TRIES) {
			struct vma_list *l = st->out;
			bool huge = l->v_huge;
			int lpid = l->pid;

			vmas_free(l);
			l->v_huge = huge;
			l->pid = lpid;
			if (st->restart)
				st->restart(st);
			st->cur = NULL;
			st->dirty = false;
			st->lineno = st->width = 0;
			st->overlap = false;
			goto again;
		}
		err_set(e, EAGAIN,
			"process %d changed its mappings while they were read, %d times in a row: try again",
			pid, tries);
		return -1;
	}
	if (rc < 0 && parse_failed) {
		err_set(e, le.code, "%s %s", shown, le.msg);
		return -1;
	}
	if (rc < 0)
		read_error(r, pid, shown, &le, e);
	return rc < 0 ? -1 : 0;
}

/* The root's page size when it is one (a power of two from 4K), else 0
 * (the parser's 4K). */
static uint64_t page_size_of(const struct vms_root *r)
{
	uint64_t p = (uint64_t)r->page_size;

	return p >= 4096 && !(p & (p - 1)) ? p : 0;
}

/* A fresh read into st->out (the list, or the last window): 0, or -1
 * with e set and the list freed. */
static int read_fresh(const struct vms_root *r, int pid, bool with_smaps,
		      bool huge, struct vparse *st, struct vms_err *e)
{
	struct vma_list *out = st->out;

	memset(out, 0, sizeof *out);
	out->v_huge = huge;
	out->pid = pid;
	st->ordered = true;
	st->page_size = page_size_of(r);
	if (read_proc(r, pid, with_smaps, st, e) < 0) {
		vmas_free(out);
		return -1;
	}
	if (out->n + st->flushed == 0)
		out->addr_width = (unsigned)root_addr_width(r);
	return 0;
}

static int read_some(const struct vms_root *r, int pid, bool with_smaps,
		     uint64_t skip, bool huge, struct vma_list *out,
		     struct vms_err *e)
{
	struct vparse st = { .out = out, .skip = skip };

	if (read_fresh(r, pid, with_smaps, huge, &st, e) < 0)
		return -1;
	vmas_probe(r, pid, out);
	return 0;
}

int vmas_read(const struct vms_root *r, int pid, bool with_smaps,
	      struct vma_list *out, struct vms_err *e)
{
	return read_some(r, pid, with_smaps, 0, false, out, e);
}

int vmas_read_fields(const struct vms_root *r, int pid, uint64_t fields,
		     struct vma_list *out, struct vms_err *e)
{
	return read_some(r, pid, true, ~fields, true, out, e);
}

/* ---- a window at a time ---- */

struct each_ctx {
	const struct vms_root *r;
	int pid;
	vmas_each_fn each;
	void *ctx;
};

/* The window in st->out, probed, handed on; the list emptied (the names
 * are each's now).  The last window also learns where pagemap ends, for
 * a VMA above it. */
static int hand_on_window(struct vparse *st, bool last, struct vms_err *e)
{
	struct each_ctx *c = st->flush_ctx;
	struct vma_list *l = st->out;

	if (l->n == 0)
		return 0;
	vmas_probe(c->r, c->pid, l);
	if (last)
		vmas_pagemap_end(c->r, l, NULL);
	if (c->each(c->ctx, l, e) < 0) {
		/* the names are each's, as on success */
		l->n = 0;
		st->cur = NULL;
		return -1;
	}
	st->flushed += l->n;
	st->flushed_end = l->v[l->n - 1].end;
	l->n = 0;
	st->cur = NULL;
	return 0;
}

static int hand_on(struct vparse *st, struct vms_err *e)
{
	return hand_on_window(st, false, e);
}

static void start_over(struct vparse *st)
{
	struct each_ctx *c = st->flush_ctx;

	st->flushed = 0;
	st->flushed_end = 0;
	c->each(c->ctx, NULL, NULL);
}

int vmas_read_each(const struct vms_root *r, int pid, uint64_t fields,
		   size_t window, vmas_each_fn each, void *ctx,
		   struct vma_list *out, struct vms_err *e)
{
	struct each_ctx c = { r, pid, each, ctx };
	struct vparse st = { .out = out, .skip = ~fields,
			     .window = window ? window : 1,
			     .flush = hand_on, .restart = start_over,
			     .flush_ctx = &c };

	if (read_fresh(r, pid, true, false, &st, e) < 0)
		return -1;
	if (hand_on_window(&st, true, e) < 0) {
		vmas_free(out);
		return -1;
	}
	return 0;
}

int vmas_reread(const struct vms_root *r, int pid, bool with_smaps,
		struct vma_list *l, struct vms_err *e)
{
	struct vparse st = { .out = l, .update = true,
			     .page_size = page_size_of(r) };
	int same, rc;

	/* the layout alone: asked of the kernel where it answers */
	if (!with_smaps && (same = vmas_query_same(r, pid, l)) >= 0)
		return same;
	rc = read_proc(r, pid, with_smaps, &st, e);
	vmas_pool_tidy(l);
	if (rc < 0)
		return -1;
	return st.differs ? 0 : 1;
}
