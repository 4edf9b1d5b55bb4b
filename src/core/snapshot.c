/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot: capture is recording.  The readers the screens use (the
 * process list, vmas, pagemap, kpage, the kernel map, cgroups) run on a
 * tap over the root (root_tap.h), which writes what they read into a
 * staging directory; what is kept is exactly what they saw.  Only two
 * files are trimmed afterwards, for privacy and size: kallsyms to the
 * symbols the kernel map uses, passwd to the captured processes' users.
 * Libc only: vmscope-collect links this. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vmscope/cgroups.h"
#include "vmscope/kpage.h"
#include "vmscope/kranges.h"
#include "vmscope/pagemap.h"
#include "vmscope/procs.h"
#include "vmscope/root_tap.h"
#include "vmscope/snapshot.h"
#include "vmscope/stopsig.h"
#include "vmscope/vmas.h"
#include "snapshot_int.h"

/* pagemap entries read per pread, and PFNs per kpage_read */
#define PM_BATCH 65536
#define KP_CHUNK 65536
/* A VMA at least this many pages long whose smaps says nothing is
 * resident or swapped is not read from pagemap (a huge PROT_NONE
 * reservation would otherwise cost 8 bytes per page): its last entry is,
 * so the recorded pagemap reaches as far as the live one. */
#define PM_SKIP_EMPTY_PAGES 65536

struct cap {
	const struct vms_root *r;   /* what is captured */
	struct vms_root tap;        /* r, recorded */
	struct snapshot_stats *st;
	struct procs *procs;
	struct proc_list rows;      /* the captured processes */
	uint64_t *pfns;             /* of present pages, unsorted */
	size_t npfns, pfncap;
	uint64_t *pmbuf;            /* PM_BATCH entries */
};

bool snapshot_is_tar_name(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n > 4 && strcmp(path + n - 4, ".tar") == 0;
}

static void note(struct snapshot_stats *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(struct snapshot_stats *st, const char *fmt, ...)
{
	char (*nn)[200];
	va_list ap;

	nn = realloc(st->notes, (st->nnotes + 1) * sizeof *nn);
	if (!nn)
		return;
	st->notes = nn;
	va_start(ap, fmt);
	vsnprintf(nn[st->nnotes], sizeof *nn, fmt, ap);
	va_end(ap);
	st->nnotes++;
}

void snapshot_stats_free(struct snapshot_stats *st)
{
	free(st->skipped);
	free(st->notes);
	memset(st, 0, sizeof *st);
}

static void skip_add(struct snapshot_stats *st, int pid, int code,
		     const char *why)
{
	struct snapshot_skip *ns = realloc(st->skipped,
					   (st->nskipped + 1) * sizeof *ns);

	if (!ns)
		return;
	st->skipped = ns;
	ns[st->nskipped].pid = pid;
	ns[st->nskipped].code = code;
	snprintf(ns[st->nskipped].why, sizeof ns->why, "%s", why);
	st->nskipped++;
}

/* Why a process could not be captured, from the error of a read. */
static void skip_process(struct cap *c, int pid, const struct vms_err *le,
			 const char *what)
{
	char why[200];

	if (le->code == VMS_ENOPROC || le->code == ENOENT ||
	    le->code == ESRCH)
		snprintf(why, sizeof why, "exited during the capture");
	else if (le->code == EACCES || le->code == EPERM)
		snprintf(why, sizeof why,
			 "permission denied reading its %s (run the capture as root)",
			 what);
	else
		snprintf(why, sizeof why, "%s: %s", what, le->msg);
	skip_add(c->st, pid, le->code, why);
}

static int pfn_add(struct cap *c, uint64_t pfn)
{
	if (c->npfns == c->pfncap) {
		size_t nc = c->pfncap ? c->pfncap * 2 : 65536;
		uint64_t *np = realloc(c->pfns, nc * sizeof *np);

		if (!np)
			return -1;
		c->pfns = np;
		c->pfncap = nc;
	}
	c->pfns[c->npfns++] = pfn;
	return 0;
}

/* ---- a process ---- */

/* The entries of [start, end) read in batches (the page screen's reader),
 * the PFNs of present pages kept for kpage.  1 when the range lies past
 * the end of pagemap (above the task size: [vsyscall], ARM's [vectors]),
 * where the kernel's pagemap ends too. */
static int read_range(struct cap *c, struct pagemap *pm, uint64_t start,
		      uint64_t end, struct vms_err *le)
{
	const unsigned shift = c->r->page_shift;
	uint64_t addr = start;

	while (addr < end) {
		size_t n = (size_t)((end - addr) >> shift), k;

		if (n > PM_BATCH)
			n = PM_BATCH;
		if (n == 0)
			break;
		if (pagemap_read(pm, addr, n, c->pmbuf, le) < 0) {
			uint64_t first;

			if (le->code == VMS_EFORMAT &&
			    root_pread(pm->f, &first, 8, 0, NULL) == 8)
				return 1;
			if (le->code == VMS_EFORMAT)   /* no mm: gone */
				err_set(le, VMS_ENOPROC,
					"process %d exited while its pagemap was read",
					pm->pid);
			return -1;
		}
		for (k = 0; k < n; k++) {
			uint64_t raw = c->pmbuf[k];

			if (!(raw & PM_PRESENT))
				continue;
			c->st->present_pages++;
			if (c->r->pfn_visible && (raw & PM_PFN_MASK) &&
			    pfn_add(c, raw & PM_PFN_MASK) < 0) {
				err_sys(le, ENOMEM, "PFN list");
				return -1;
			}
		}
		addr += (uint64_t)n << shift;
	}
	return 0;
}

/* pagemap of every VMA, at its live offsets. */
static int capture_pagemap(struct cap *c, int pid, const struct vma_list *l,
			   struct vms_err *le)
{
	const uint64_t page = c->r->page_size;
	struct pagemap pm;
	size_t i;
	int rc = 0;

	if (l->n == 0)
		return 0;   /* a kernel thread or a zombie: no address space */
	if (pagemap_open(&c->tap, pid, &pm, le) < 0)
		return -1;
	for (i = 0; i < l->n && rc >= 0; i++) {
		const struct vma *v = &l->v[i];
		uint64_t npages = (v->end - v->start) / page;
		bool empty = npages >= PM_SKIP_EMPTY_PAGES && v->has_smaps &&
			     v->smaps[SMAPS_RSS] == 0 && v->smaps[SMAPS_SWAP] == 0;

		/* a gap reads zeros: only its last entry, for the length */
		if (vma_is_gap(v) || empty)
			rc = read_range(c, &pm, v->end - page, v->end, le);
		else
			rc = read_range(c, &pm, v->start, v->end, le);
	}
	pagemap_close(&pm);
	return rc < 0 ? -1 : 0;
}

/* One process: 0 captured, 1 skipped (and forgotten). */
static int capture_process(struct cap *c, int pid)
{
	size_t mark_rows = c->rows.n, mark_pfns = c->npfns;
	uint64_t mark_present = c->st->present_pages;
	struct vma_list l;
	struct vms_err le;
	char rel[32];
	int rc;

	err_clear(&le);
	memset(&l, 0, sizeof l);
	rc = procs_read_pid(c->procs, pid, &c->rows, &le);
	if (rc != 0) {
		skip_process(c, pid, &(struct vms_err){ .code = rc < 0 ? ENOMEM : VMS_ENOPROC }, "status");
		goto skip;
	}
	if (vmas_read(&c->tap, pid, true, &l, &le) < 0) {
		skip_process(c, pid, &le, "maps");
		goto skip;
	}
	/* where pagemap ends, when a VMA lies above it: the search's last
	 * read below the end makes the recording end where the kernel's
	 * file does */
	vmas_pagemap_end(&c->tap, &l, NULL);
	if (capture_pagemap(c, pid, &l, &le) < 0) {
		skip_process(c, pid, &le, "pagemap");
		goto skip;
	}
	vmas_free(&l);
	c->st->processes++;
	return 0;
skip:
	/* leave no trace of a process that is not complete */
	vmas_free(&l);
	while (c->rows.n > mark_rows)
		free(c->rows.rows[--c->rows.n].cmdline);
	c->npfns = mark_pfns;
	c->st->present_pages = mark_present;
	snprintf(rel, sizeof rel, "proc/%d", pid);
	root_tap_forget(&c->tap, rel);
	return 1;
}

/* ---- the machine ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* A run whose read failed, read again frame by frame: the frames that
 * fail alone are recorded as bad by the tap (root_recorded), the others
 * kept.  -1 only when out of memory. */
static int kpage_one_by_one(struct kpage *k, const uint64_t *pfns, size_t n,
			    uint64_t *vals)
{
	struct vms_err le;
	size_t i;

	for (i = 0; i < n; i++)
		if (kpage_read(k, pfns + i, NULL, 1, vals, vals + 1, vals + 2,
			       &le) < 0 && le.code == ENOMEM)
			return -1;
	return 0;
}

/* What could not be recorded, file by file (a read error, or a bogus PFN
 * past the largest file the output holds): the snapshot says so where
 * it is read (root_recorded), the notes count it. */
static void note_bad(struct cap *c)
{
	const struct tap_file *files;
	size_t i, n = root_tap_files(&c->tap, &files);

	for (i = 0; i < n; i++) {
		const char *p = files[i].path;
		uint64_t first, bytes = root_tap_bad(&c->tap, p, &first);

		if (!bytes)
			continue;
		if (!strncmp(p, "proc/kpage", 10))
			note(c->st, "%s: %llu frame%s recorded as bad (first PFN 0x%llx): unreadable, or past the largest file a snapshot holds (a bogus PFN?)",
			     p, (unsigned long long)(bytes / 8), bytes == 8 ? "" : "s",
			     (unsigned long long)(first / 8));
		else
			note(c->st, "%s: %llu bytes recorded as bad (the first at offset 0x%llx): the read failed, or lay past the largest file a snapshot holds",
			     p, (unsigned long long)bytes, (unsigned long long)first);
	}
}

/* kpage* of every PFN seen, through the kpage reader (sorted runs). */
static int capture_kpage(struct cap *c, struct vms_err *e)
{
	static const char *const names[3] = { "proc/kpageflags",
					      "proc/kpagecount",
					      "proc/kpagecgroup" };
	uint64_t *vals = NULL;
	struct kpage k;
	size_t i, n = 0, off;
	int f, rc = -1;

	if (!c->r->pfn_visible) {
		note(c->st, "PFNs are hidden from this user, so no kpageflags, kpagecount or kpagecgroup were recorded (run the capture as root)");
		return 0;
	}
	if (c->npfns)
		qsort(c->pfns, c->npfns, sizeof *c->pfns, cmp_u64);
	for (i = 0; i < c->npfns; i++)
		if (n == 0 || c->pfns[i] != c->pfns[n - 1])
			c->pfns[n++] = c->pfns[i];
	c->npfns = c->st->pfns = n;
	kpage_open(&c->tap, &k);
	for (f = 0; f < 3; f++) {
		struct vms_err le;

		if (kpage_check(&k, 1u << f, &le) < 0)
			note(c->st, "%s not recorded: %s", names[f], le.msg);
	}
	vals = malloc(3 * KP_CHUNK * sizeof *vals);
	if (!vals) {
		err_sys(e, ENOMEM, "kpage buffers");
		goto out;
	}
	for (off = 0; off < n; off += KP_CHUNK) {
		size_t m = n - off < KP_CHUNK ? n - off : KP_CHUNK;

		if (stopsig_check(e) < 0)
			goto out;

		if (kpage_read(&k, c->pfns + off, NULL, m, vals,
			       vals + KP_CHUNK, vals + 2 * KP_CHUNK, NULL) < 0 &&
		    kpage_one_by_one(&k, c->pfns + off, m, vals) < 0) {
			err_sys(e, ENOMEM, "kpage buffers");
			goto out;
		}
	}
	rc = 0;
out:
	free(vals);
	kpage_close(&k);
	return rc;
}

/* The kernel map's sources (read as kranges_load reads them, left
 * unparsed) and the memory cgroups' tree, read by their own readers on
 * the tap. */
static int capture_machine(struct cap *c, struct vms_err *e)
{
	struct kranges_sources ks;
	struct cgroups *cg;
	struct vms_err le;

	if (kranges_sources_read(&c->tap, NULL, &ks, e) < 0)
		return -1;
	kranges_sources_free(&ks);
	if (cgroups_open(&c->tap, &cg, &le) == 0) {
		(void)cgroups_path(cg, 1);   /* any inode: walks the tree */
		cgroups_free(cg);
	}
	return 0;
}

/* kallsyms is megabytes: keep the lines the kernel map uses, the others
 * blank, so line numbers hold. */
static int trim_kallsyms(struct cap *c, struct vms_err *e)
{
	char *text, *p, *end, *o;
	size_t len;
	int rc;

	if (root_read_text(&c->tap, "proc/kallsyms", &text, &len, NULL) < 0)
		return 0;
	for (p = o = text, end = text + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;

		if (kranges_kallsyms_wanted(p, (size_t)(le - p))) {
			memmove(o, p, (size_t)(le - p));
			o += le - p;
		}
		if (nl)
			*o++ = '\n';
		p = nl ? nl + 1 : end;
	}
	rc = root_tap_replace(&c->tap, "proc/kallsyms", text,
			      (size_t)(o - text), e);
	free(text);
	return rc;
}

/* passwd: only the users of the captured processes. */
static int trim_passwd(struct cap *c, struct vms_err *e)
{
	char *text, *p, *end, *o;
	size_t len, i;
	int rc;

	if (root_read_text(&c->tap, "etc/passwd", &text, &len, NULL) < 0)
		return 0;
	for (p = o = text, end = text + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl + 1 : end, *c2;
		unsigned long uid;
		bool keep = false;

		c2 = memchr(p, ':', (size_t)(le - p));
		c2 = c2 ? memchr(c2 + 1, ':', (size_t)(le - c2 - 1)) : NULL;
		if (c2 && c2[1] >= '0' && c2[1] <= '9') {
			uid = strtoul(c2 + 1, NULL, 10);
			for (i = 0; i < c->rows.n && !keep; i++)
				keep = c->rows.rows[i].uid == uid;
		}
		if (keep) {
			memmove(o, p, (size_t)(le - p));
			o += le - p;
		}
		p = le;
	}
	rc = root_tap_replace(&c->tap, "etc/passwd", text, (size_t)(o - text), e);
	free(text);
	return rc;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/* The PIDs to capture, sorted, without duplicates. */
static int pids_of(struct cap *c, const struct snapshot_opts *o, int **out,
		   size_t *n, struct vms_err *e)
{
	size_t i, k = 0;
	int *v;

	if (o->all)
		return procs_list_pids(&c->tap, out, n, e);
	v = malloc((o->npids ? o->npids : 1) * sizeof *v);
	if (!v) {
		err_sys(e, ENOMEM, "process list");
		return -1;
	}
	memcpy(v, o->pids, o->npids * sizeof *v);
	qsort(v, o->npids, sizeof *v, cmp_int);
	for (i = 0; i < o->npids; i++)
		if (k == 0 || v[i] != v[k - 1])
			v[k++] = v[i];
	*out = v;
	*n = k;
	return 0;
}

static int nothing_captured(const struct snapshot_stats *st,
			    struct vms_err *e)
{
	if (st->nskipped == 1)
		err_set(e, st->skipped[0].code == VMS_ENOPROC ? VMS_ENOPROC :
			st->skipped[0].code, "nothing captured: process %d %s",
			st->skipped[0].pid, st->skipped[0].why);
	else
		err_set(e, VMS_ENOPROC,
			"nothing captured: none of the %zu processes could be read%s%s",
			st->nskipped, st->nskipped ? "; the first: " : "",
			st->nskipped ? st->skipped[0].why : "");
	return -1;
}

static int capture_processes(struct cap *c, const struct snapshot_opts *o,
			     struct vms_err *e)
{
	int *pids, self = (int)getpid();
	size_t n, i;

	if (pids_of(c, o, &pids, &n, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (stopsig_check(e) < 0) {   /* ^C: nothing half done */
			free(pids);
			return -1;
		}
		if (o->all && root_is_local(c->r) && pids[i] == self)
			continue;   /* vmscope itself, changing as it reads */
		capture_process(c, pids[i]);
	}
	free(pids);
	return c->st->processes ? 0 : nothing_captured(c->st, e);
}

/* Everything, recorded into the staging directory outfd. */
static int capture(struct cap *c, const struct snapshot_opts *o, int outfd,
		   time_t now, struct vms_err *e)
{
	const struct tap_file *files;
	size_t n;

	if (root_tap_open(&c->tap, c->r, outfd, e) < 0)
		return -1;
	if (procs_open(&c->tap, &c->procs, e) < 0)
		return -1;
	if (capture_processes(c, o, e) < 0 || capture_kpage(c, e) < 0)
		return -1;
	if (capture_machine(c, e) < 0 || trim_kallsyms(c, e) < 0 || trim_passwd(c, e) < 0 ||
	    stopsig_check(e) < 0 || root_tap_error(&c->tap, e) < 0 ||
	    root_tap_write_stats(&c->tap, e) < 0)
		return -1;
	n = root_tap_files(&c->tap, &files);
	if (root_recorded_write(outfd, files, n, e) < 0)
		return -1;
	note_bad(c);
	return snap_write_listing(outfd, &c->tap, c->st, now, e);
}

int snap_capture(const struct vms_root *r, const struct snapshot_opts *o,
		 int outfd, time_t now, struct snapshot_stats *st,
		 struct snap_hint **hints, size_t *nhints, struct vms_err *e)
{
	struct cap c;
	int rc;

	memset(&c, 0, sizeof c);
	c.r = r;
	c.st = st;
	*hints = NULL;
	*nhints = 0;
	c.pmbuf = malloc(PM_BATCH * sizeof *c.pmbuf);
	if (!c.pmbuf) {
		err_sys(e, ENOMEM, "capture buffers");
		return -1;
	}
	rc = capture(&c, o, outfd, now, e);
	if (rc == 0)
		rc = snap_hints_of(&c.tap, hints, nhints, e);
	for (size_t i = 0; rc == 0 && i < *nhints; i++)
		for (size_t j = 0; j < (*hints)[i].n; j++)
			st->data_bytes += (*hints)[i].r[j].len;
	procs_close(c.procs);
	procs_list_free(&c.rows);
	if (c.tap.ops)
		root_close(&c.tap);
	free(c.pfns);
	free(c.pmbuf);
	return rc;
}
