/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kranges_rmap: which processes map a physical frame.  For every process
 * of ROOT/proc: its present ranges (PAGEMAP_SCAN over the whole user
 * address space where the kernel has it, else its maps), then one pread
 * per batch of only those ranges' pagemap entries.  PFNMAP mappings
 * (UIO, /dev/mem) are found through their maps and sysfs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/kranges.h"
#include "vmscope/procs.h"
#include "vmscope/pagemap.h"
#include "vmscope/physaddr.h"
#include "vmscope/vmas.h"

/* PAGEMAP_SCAN (Linux 6.7+), restated from upstream uapi linux/fs.h: the
 * installed headers may predate it. */
struct rm_scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask;
	uint64_t return_mask;
};

struct rm_region {
	uint64_t start, end, categories;
};

#define RM_PAGEMAP_SCAN _IOWR('f', 16, struct rm_scan_arg)
#define RM_PAGE_IS_PRESENT (UINT64_C(1) << 3)
#define RM_VEC 512u
#define RM_BATCH 65536u  /* pagemap entries per pread (512 KiB) */

struct rm {
	const struct vms_root *r;
	const struct krmap_opts *o;
	struct krmap_result *res;
	unsigned shift;
	int scan;                /* 0 unknown, 1 works, -1 not available */
	uint64_t scan_end;       /* end of user space the ioctl accepts */
	uint64_t *buf;
	struct rm_region vec[RM_VEC];
};

static int add_hit(struct rm *m, int pid, uint64_t vaddr, uint64_t pfn,
		   bool gap, const char *how)
{
	struct krmap_result *res = m->res;
	struct krmap_hit *h;

	if (m->o->max_hits && res->n >= m->o->max_hits)
		return 0;
	if (res->n == res->cap) {
		size_t cap = res->cap ? res->cap * 2 : 16;
		struct krmap_hit *nh = realloc(res->hits, cap * sizeof *nh);

		if (!nh)
			return -1;
		res->hits = nh;
		res->cap = cap;
	}
	h = &res->hits[res->n++];
	memset(h, 0, sizeof *h);
	h->pid = pid;
	h->vaddr = vaddr;
	h->pfn = pfn;
	h->via_gap = gap;
	snprintf(h->how, sizeof h->how, "%s", how);
	return 0;
}

/* One more process failed: counted, and the first named (which process
 * and why), also as the first problem when it is. */
static void failed(struct krmap_result *res, int pid, const char *why)
{
	char me[32];

	res->failed++;
	snprintf(me, sizeof me, "process %d", pid);
	if (!res->first_failure[0])   /* the process named once */
		snprintf(res->first_failure, sizeof res->first_failure,
			 "%s%s%s", strstr(why, me) ? "" : me,
			 strstr(why, me) ? "" : ": ", why);
	if (!res->first_problem[0])
		snprintf(res->first_problem, sizeof res->first_problem, "%s",
			 res->first_failure);
}

static int scan_ioctl(int fd, struct rm_scan_arg *a)
{
	int rc;

	do
		rc = ioctl(fd, RM_PAGEMAP_SCAN, a);
	while (rc < 0 && errno == EINTR);
	return rc;
}

/* Find the largest user-space end the ioctl accepts (5-level, 4-level,
 * arm64 48/39-bit, 32-bit), probing on a real pagemap. */
static void scan_probe(struct rm *m, int fd)
{
	static const unsigned bits[] = { 56, 52, 48, 47, 39, 32 };
	size_t i;

	m->scan = -1;
	if (fd < 0)
		return; /* a root without a file descriptor: plain reads */
	for (i = 0; i < sizeof bits / sizeof bits[0]; i++) {
		struct rm_scan_arg a;
		uint64_t end = (UINT64_C(1) << bits[i]) - ((uint64_t)1 << m->shift);

		if (bits[i] >= 8 * sizeof(long))
			continue;
		memset(&a, 0, sizeof a);
		a.size = sizeof a;
		a.start = end - ((uint64_t)1 << m->shift);
		a.end = end;
		a.vec = (uint64_t)(uintptr_t)m->vec;
		a.vec_len = 1;
		a.category_mask = RM_PAGE_IS_PRESENT;
		a.return_mask = RM_PAGE_IS_PRESENT;
		if (scan_ioctl(fd, &a) >= 0) {
			m->scan = 1;
			m->scan_end = end;
			return;
		}
		if (errno == ENOTTY || errno == ENOSYS || errno == EOPNOTSUPP)
			return; /* no such ioctl: old kernel or a snapshot file */
	}
}

/* Read the entries of [start, end) and record PFNs in range. */
static int check_range(struct rm *m, struct pagemap *pm, uint64_t start,
		       uint64_t end, struct vms_err *e)
{
	uint64_t lo = m->o->pfn_lo, hi = m->o->pfn_hi;

	while (start < end) {
		uint64_t pages = (end - start) >> m->shift;
		size_t n = pages > RM_BATCH ? RM_BATCH : (size_t)pages, i;

		if (n == 0)
			break;
		if (pagemap_read(pm, start, n, m->buf, e) < 0)
			return -1;
		for (i = 0; i < n; i++) {
			uint64_t v = m->buf[i], pfn;

			if (!(v & PM_PRESENT))
				continue;
			m->res->present_pages++;
			pfn = v & PM_PFN_MASK;
			if (pfn >= lo && pfn < hi &&
			    add_hit(m, pm->pid, start + ((uint64_t)i << m->shift),
				    pfn, false, "pagemap") < 0) {
				err_sys(e, ENOMEM, "reverse lookup");
				return -1;
			}
		}
		start += (uint64_t)n << m->shift;
	}
	return 0;
}

static int scan_process(struct rm *m, struct pagemap *pm, struct vms_err *e)
{
	uint64_t pos = 0;

	while (pos < m->scan_end) {
		struct rm_scan_arg a;
		int n, i;

		memset(&a, 0, sizeof a);
		a.size = sizeof a;
		a.start = pos;
		a.end = m->scan_end;
		a.vec = (uint64_t)(uintptr_t)m->vec;
		a.vec_len = RM_VEC;
		a.category_mask = RM_PAGE_IS_PRESENT;
		a.return_mask = RM_PAGE_IS_PRESENT;
		n = scan_ioctl(pm->fd, &a);
		if (n < 0) {
			if (errno == ESRCH)
				err_set(e, VMS_ENOPROC, "process %d exited", pm->pid);
			else
				err_sys(e, errno, "PAGEMAP_SCAN of process %d", pm->pid);
			return -1;
		}
		for (i = 0; i < n; i++)
			if (check_range(m, pm, m->vec[i].start, m->vec[i].end, e) < 0)
				return -1;
		if (a.walk_end <= pos)
			break;
		pos = a.walk_end;
	}
	return 0;
}

static int maps_process(struct rm *m, struct pagemap *pm,
			const struct vma_list *l, struct vms_err *e)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];

		if (vma_is_gap(v))
			continue;
		if (check_range(m, pm, v->start, v->end, e) < 0)
			return -1;
	}
	return 0;
}

/* PFNMAP mappings whose physical address the system tells (UIO sysfs,
 * /dev/mem offsets) and that cover [lo, hi). */
static int gap_process(struct rm *m, int pid, const struct vma_list *l,
		       struct vms_err *e)
{
	uint64_t lo = m->o->pfn_lo, hi = m->o->pfn_hi;
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		struct gap_phys gp;
		uint64_t vp, first, last, p;

		if (!vma_is_gap(v) || (v->kind != VMA_KIND_UIO &&
				       v->kind != VMA_KIND_DEVMEM))
			continue;
		if (physaddr_of_gap(m->r, v, v->start, &gp, NULL) < 0 || !gp.known)
			continue;
		first = gp.base >> m->shift;
		last = first + ((v->end - v->start) >> m->shift);
		if (last <= lo || first >= hi)
			continue;
		for (p = first > lo ? first : lo; p < last && p < hi; p++) {
			char how[96];

			vp = v->start + ((p - first) << m->shift);
			snprintf(how, sizeof how, "%s", gp.source);
			if (add_hit(m, pid, vp, p, true, how) < 0) {
				err_sys(e, ENOMEM, "reverse lookup");
				return -1;
			}
			if (m->o->max_hits && m->res->n >= m->o->max_hits)
				return 0;
		}
	}
	return 0;
}

static void read_comm(struct rm *m, int pid, char *buf, size_t n)
{
	char rel[48], *text;
	size_t len;

	snprintf(rel, sizeof rel, "proc/%d/comm", pid);
	buf[0] = '\0';
	if (root_read_text(m->r, rel, &text, &len, NULL) < 0)
		return;
	if (len && text[len - 1] == '\n')
		text[--len] = '\0';
	snprintf(buf, n, "%s", text);
	free(text);
}

static bool still_there(struct rm *m, int pid)
{
	char rel[32];

	snprintf(rel, sizeof rel, "proc/%d", pid);
	return root_exists(m->r, rel);
}

/* Why the pagemap of pid cannot be opened, counted in the result. */
static void count_unopened(struct rm *m, int pid, const struct vms_err *pe)
{
	struct krmap_result *res = m->res;

	if (pe->code == VMS_ENOPROC) {
		/* a kernel thread's pagemap cannot be opened (ESRCH) while
		 * its directory is there */
		if (still_there(m, pid))
			res->kthreads++;
		else
			res->vanished++;
	} else if (pe->code == EACCES || pe->code == EPERM) {
		res->denied++;
		if (!res->first_problem[0])
			snprintf(res->first_problem, sizeof res->first_problem,
				 "process %d: its pagemap is not readable by this user (%s): %s",
				 pid, strerror(pe->code), geteuid() == 0 ?
				 "a process protected from ptrace-reading, e.g. in another user namespace or by a security module" :
				 "another user's processes need root (sudo)");
	} else {
		failed(res, pid, pe->msg);
	}
}

/* pid's maps cannot be read (permissions): counted as unreadable. */
static void denied_maps(struct krmap_result *res, int pid, int code)
{
	res->denied++;
	if (!res->first_problem[0])
		snprintf(res->first_problem, sizeof res->first_problem,
			 "process %d: its maps are not readable by this user (%s): %s",
			 pid, strerror(code), geteuid() == 0 ?
			 "a process protected from ptrace-reading, e.g. in another user namespace or by a security module" :
			 "another user's processes need root (sudo)");
}

/* Open pid's pagemap: 0 open and with an address space, 1 not (and
 * counted: a kernel thread, a zombie, gone, denied). */
static int open_pagemap(struct rm *m, int pid, struct pagemap *pm)
{
	struct vms_err pe;
	uint64_t probe;
	ssize_t got;

	if (pagemap_open(m->r, pid, pm, &pe) < 0) {
		count_unopened(m, pid, &pe);
		return 1;
	}
	/* no address space (kernel thread, zombie): pagemap reads nothing,
	 * and the ioctl must not be asked */
	got = root_pread(pm->f, &probe, sizeof probe, 0, &pe);
	if (got <= 0) {
		if (got < 0 && pe.code == ESRCH)
			m->res->vanished++;
		else if (got < 0) {
			char why[160];

			snprintf(why, sizeof why, "reading its pagemap: %s",
				 strerror(pe.code));
			failed(m->res, pid, why);
		} else {
			m->res->kthreads++;
		}
		pagemap_close(pm);
		return 1;
	}
	if (m->scan == 0)
		scan_probe(m, pm->fd);
	return 0;
}

/* The hits from [before, n) get pid's comm and their VMA's name. */
static int name_hits(struct rm *m, int pid, size_t before,
		     struct vma_list *l, bool *have_maps, struct vms_err *e)
{
	struct krmap_result *res = m->res;
	struct vms_err pe;
	char comm[64];
	size_t i;

	read_comm(m, pid, comm, sizeof comm);
	if (!*have_maps && vmas_read(m->r, pid, false, l, &pe) == 0)
		*have_maps = true;
	for (i = before; i < res->n; i++) {
		const struct vma *v = *have_maps ? vmas_find(l, res->hits[i].vaddr)
						 : NULL;

		snprintf(res->hits[i].comm, sizeof res->hits[i].comm, "%s", comm);
		res->hits[i].vma_name = strdup(v ? v->name : "");
		if (!res->hits[i].vma_name) {
			err_sys(e, ENOMEM, "reverse lookup");
			return -1;
		}
	}
	return 0;
}

/* The pages of pid compared: 0; 1 when this process failed (counted, its
 * hits dropped); -1 for what ends the lookup (ENOMEM). */
static int scan_pages(struct rm *m, struct pagemap *pm, struct vma_list *l,
		      size_t before, struct vms_err *e)
{
	struct krmap_result *res = m->res;
	struct vms_err pe;
	int rc = m->scan > 0 ? scan_process(m, pm, &pe)
			     : maps_process(m, pm, l, &pe);

	if (rc == 0)
		return 0;
	res->scanned--;
	if (pe.code == ENOMEM) {
		if (e)
			*e = pe;
		return -1;
	}
	if (pe.code == VMS_ENOPROC)
		res->vanished++;
	else
		failed(res, pm->pid, pe.msg);
	res->n = before; /* its hits may be half-read */
	return 1;
}

static int one_process(struct rm *m, int pid, struct vms_err *e)
{
	struct krmap_result *res = m->res;
	struct pagemap pm;
	struct vma_list l;
	struct vms_err pe;
	bool have_maps = false;
	size_t before = res->n;
	int rc = 0;

	res->procs++;
	memset(&l, 0, sizeof l);
	memset(&pm, 0, sizeof pm);
	pm.fd = -1;
	if (m->o->pagemap && open_pagemap(m, pid, &pm))
		return 0;
	if (m->o->gaps || (m->o->pagemap && m->scan < 0)) {
		if (vmas_read(m->r, pid, false, &l, &pe) < 0) {
			if (pe.code == VMS_ENOPROC)
				res->vanished++;
			else if (pe.code == EACCES || pe.code == EPERM)
				denied_maps(res, pid, pe.code);
			else
				failed(res, pid, pe.msg);
			pagemap_close(&pm);
			return 0;
		}
		have_maps = true;
		if (!m->o->pagemap && l.n == 0) {
			res->kthreads++;
			goto out;
		}
	}
	res->scanned++;
	if (m->o->pagemap && (rc = scan_pages(m, &pm, &l, before, e)) != 0) {
		rc = rc < 0 ? -1 : 0;
		goto out;
	}
	if (m->o->gaps && (rc = gap_process(m, pid, &l, e)) < 0)
		goto out;
	if (res->n > before)
		rc = name_hits(m, pid, before, &l, &have_maps, e);
out:
	if (have_maps)
		vmas_free(&l);
	pagemap_close(&pm);
	return rc;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct krmap_hit *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

int kranges_rmap(const struct vms_root *r, const struct krmap_opts *o,
		 struct krmap_result *out, struct vms_err *e)
{
	struct rm m;
	struct krmap_opts eff = *o;
	int *pids = NULL;
	size_t npids = 0, i;
	int rc = 0;

	memset(out, 0, sizeof *out);
	memset(&m, 0, sizeof m);
	m.r = r;
	m.res = out;
	m.shift = r->page_shift ? r->page_shift : 12;
	m.o = &eff;
	if (eff.pagemap && !r->pfn_visible) {
		/* pagemap gives PFN 0 for every page: nothing to compare */
		out->pfn_hidden = true;
		eff.pagemap = false;
		if (!eff.gaps)
			return 0;
	}
	if (procs_list_pids(r, &pids, &npids, e) < 0)
		return -1;
	m.buf = malloc(RM_BATCH * sizeof *m.buf);
	if (!m.buf) {
		err_sys(e, ENOMEM, "reverse lookup");
		rc = -1;
		goto done;
	}
	for (i = 0; i < npids; i++) {
		if (one_process(&m, pids[i], e) < 0) {
			rc = -1;
			break;
		}
		if (o->max_hits && out->n >= o->max_hits)
			break;
	}
	out->scan_used = m.scan > 0;
	if (out->n)
		qsort(out->hits, out->n, sizeof *out->hits, cmp_hit);
done:
	free(m.buf);
	free(pids);
	return rc;
}

void kranges_rmap_free(struct krmap_result *res)
{
	size_t i;

	for (i = 0; i < res->n; i++)
		free(res->hits[i].vma_name);
	free(res->hits);
	memset(res, 0, sizeof *res);
}
