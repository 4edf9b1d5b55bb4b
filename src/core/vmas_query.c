/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_query: a process's layout from the PROCMAP_QUERY ioctl on its
 * maps file (Linux 6.11+), one VMA per call, without the kernel
 * formatting text nor this process parsing it.  Only on the local live
 * root (the fd of root_ffd); elsewhere, and on kernels without the
 * ioctl, the callers read maps.  What it gives is what maps gives, but
 * the gate VMA ([vsyscall] on x86, [vectors] on ARM): the query finds
 * VMAs of the process's own tree, and the gate lies above it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "vmscope/vmas.h"
#include "vmas_int.h"

/* struct procmap_query of include/uapi/linux/fs.h (Linux 6.11), which
 * the installed headers may not have; size 104, checked by the kernel
 * against .size. */
struct vmas_procmap_query {
	uint64_t size;
	uint64_t query_flags;
	uint64_t query_addr;
	uint64_t vma_start;
	uint64_t vma_end;
	uint64_t vma_flags;
	uint64_t vma_page_size;
	uint64_t vma_offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t vma_name_size;
	uint32_t build_id_size;
	uint64_t vma_name_addr;
	uint64_t build_id_addr;
};

#define VMAS_PROCMAP_QUERY _IOWR('f', 17, struct vmas_procmap_query)
#define PMQ_READABLE 0x01
#define PMQ_WRITABLE 0x02
#define PMQ_EXECUTABLE 0x04
#define PMQ_SHARED 0x08
#define PMQ_COVERING_OR_NEXT 0x10

/* Longest name asked for; a longer one (ENAMETOOLONG) sends the caller
 * to maps. */
#define QUERY_NAME_MAX 8192

struct query {
	int fd;
	uint64_t addr;
	char raw[QUERY_NAME_MAX];
	char name[QUERY_NAME_MAX];  /* as maps shows it */
	size_t nlen;
};

/* The next VMA at or above q->addr into hv (name in q->name, as maps
 * prints it: a newline as \012, " (deleted)" stripped into hv->deleted).
 * 1, 0 at the end, or -1 with errno set. */
static int query_next(struct query *q, struct vma *hv)
{
	struct vmas_procmap_query a;
	static const char deleted[] = " (deleted)";
	const size_t dlen = sizeof deleted - 1;
	size_t i, k = 0, rl;

	memset(&a, 0, sizeof a);
	a.size = sizeof a;
	a.query_flags = PMQ_COVERING_OR_NEXT;
	a.query_addr = q->addr;
	a.vma_name_addr = (uint64_t)(uintptr_t)q->raw;
	a.vma_name_size = sizeof q->raw;
	if (ioctl(q->fd, VMAS_PROCMAP_QUERY, &a) < 0)
		return errno == ENOENT ? 0 : -1;
	memset(hv, 0, sizeof *hv);
	hv->start = a.vma_start;
	hv->end = a.vma_end;
	hv->perms[0] = a.vma_flags & PMQ_READABLE ? 'r' : '-';
	hv->perms[1] = a.vma_flags & PMQ_WRITABLE ? 'w' : '-';
	hv->perms[2] = a.vma_flags & PMQ_EXECUTABLE ? 'x' : '-';
	hv->perms[3] = a.vma_flags & PMQ_SHARED ? 's' : 'p';
	hv->offset = a.vma_offset;
	hv->dev_major = a.dev_major;
	hv->dev_minor = a.dev_minor;
	hv->inode = a.inode;
	rl = a.vma_name_size ? strnlen(q->raw, a.vma_name_size) : 0;
	if (rl >= dlen && memcmp(q->raw + rl - dlen, deleted, dlen) == 0) {
		hv->deleted = true;
		rl -= dlen;
	}
	for (i = 0; i < rl && k + 4 < sizeof q->name; i++) {
		if (q->raw[i] == '\n') {    /* seq_path's escape */
			memcpy(q->name + k, "\\012", 4);
			k += 4;
		} else {
			q->name[k++] = q->raw[i];
		}
	}
	q->nlen = k < VMAS_NAME_MAX ? k : VMAS_NAME_MAX;
	q->addr = a.vma_end;
	return 1;
}

static struct query *query_open(const struct vms_root *r, int pid,
				struct root_file **f)
{
	char rel[64];
	struct query *q;

	*f = NULL;
	if (!r->live || !root_is_local(r))
		return NULL;
	snprintf(rel, sizeof rel, "proc/%d/maps", pid);
	*f = root_fopen(r, rel, NULL);
	if (!*f || root_ffd(*f) < 0 || !(q = calloc(1, sizeof *q))) {
		root_fclose(*f);
		*f = NULL;
		return NULL;
	}
	q->fd = root_ffd(*f);
	return q;
}

static void query_close(struct query *q, struct root_file *f)
{
	free(q);
	root_fclose(f);
}

int vmas_query_read(const struct vms_root *r, int pid, struct vma_list *out,
		    struct vms_err *e)
{
	struct root_file *f;
	struct query *q = query_open(r, pid, &f);
	struct vparse st = { .out = out, .ordered = true };
	struct vma hv;
	int rc;

	memset(out, 0, sizeof *out);
	if (!q) {
		err_set(e, ENOTTY, "PROCMAP_QUERY: only on the local live root");
		return -1;
	}
	while ((rc = query_next(q, &hv)) > 0)
		if (vmas_parse_vma(&st, &hv, q->name, q->nlen,
				   hv.end - 1 > 0xffffffffu ? 16 : 8, e) < 0)
			break;
	if (rc < 0)
		err_sys(e, errno, "PROCMAP_QUERY on process %d", pid);
	query_close(q, f);
	if (rc != 0) {
		vmas_free(out);
		return -1;
	}
	vmas_parse_finish(&st);
	out->pid = pid;
	return 0;
}

int vmas_query_same(const struct vms_root *r, int pid, struct vma_list *l)
{
	struct root_file *f;
	struct query *q = query_open(r, pid, &f);
	struct vparse st = { .out = l, .update = true };
	struct vma hv;
	int rc;

	if (!q)
		return -1;
	while ((rc = query_next(q, &hv)) > 0)
		if (vmas_parse_vma(&st, &hv, q->name, q->nlen, 0, NULL) != 0)
			break;
	query_close(q, f);
	if (rc < 0)
		return -1;
	if (st.differs || rc > 0)
		return 0;
	/* the gate, above the process's tree, is not queried */
	for (size_t i = st.k; i < l->n; i++)
		if (!l->v[i].above_pagemap && l->v[i].kind != VMA_KIND_VSYSCALL)
			return 0;
	return 1;
}
