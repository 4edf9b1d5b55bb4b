/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procview: the open process as its screens share it: the VMA list (with
 * smaps data), its rows with the holes between VMAs, and the pages
 * context.  Reading maps without smaps is cheap; smaps walks page
 * tables, so the pages screens refresh with maps only and keep the smaps
 * data while the layout stays the same.  There is one list: a refresh
 * updates it in place while the layout stays, reads a new one after
 * freeing the old when it moved, and the rows are numbered, not copied
 * (a process may have 100,000 VMAs). */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "procview.h"
#include "vmscope/procs.h"

/* A digest of what makes a layout (each VMA's start, end, perms,
 * offset, inode, name and whether deleted): two lists with the same
 * digest have the same layout but once in 2^64.  Taken of the old list
 * before it is freed, so that a new one is never read beside it (two
 * lists of 100,000 VMAs were the explorer's peak). */
static uint64_t layout_digest(const struct vma_list *l)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	const uint64_t prime = UINT64_C(0x100000001b3);
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		const char *c = v->name ? v->name : "";
		uint64_t perms = 0;

		memcpy(&perms, v->perms, 4);
		h = (h ^ v->start) * prime;
		h = (h ^ v->end) * prime;
		h = (h ^ perms) * prime;
		h = (h ^ v->offset) * prime;
		h = (h ^ v->inode) * prime;
		h = (h ^ (uint64_t)v->deleted) * prime;
		do
			h = (h ^ (unsigned char)*c) * prime;
		while (*c++);
	}
	return (h ^ l->n) * prime;
}

/* The comm of pid from the process list (once, at open). */
static void lookup_comm(struct procview *pv)
{
	struct procs *p;
	struct proc_list l = { 0 };
	size_t i;

	if (procs_open(pv->root, &p, NULL) < 0)
		return;
	if (procs_read(p, &l, NULL) == 0)
		for (i = 0; i < l.n; i++)
			if (l.rows[i].pid == pv->pid) {
				snprintf(pv->comm, sizeof pv->comm, "%s",
					 l.rows[i].comm);
				break;
			}
	procs_list_free(&l);
	procs_close(p);
}

/* Large arrays in mappings of their own, always: a VMA list (12 MB at
 * 100,000 VMAs) then grows by mremap and goes back to the system when
 * freed.  glibc's default raises the threshold to the size of the last
 * such array freed, after which a list read anew grows in the heap by
 * copying and leaves its pages there: 9 MB more at the explorer's peak
 * at 100,000 VMAs.  Where the C library has no such knob, nothing. */
static void big_arrays_mapped(void)
{
#ifdef M_MMAP_THRESHOLD
	static bool done;

	if (!done)
		mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	done = true;
#endif
}

int procview_open(struct procview *pv, const struct vms_root *r, int pid,
		  const char *comm, struct vms_err *e)
{
	big_arrays_mapped();
	memset(pv, 0, sizeof *pv);
	pv->root = r;
	pv->pid = pid;
	if (vmas_read(r, pid, true, &pv->vmas, e) < 0)
		return -1;
	vmas_pagemap_end(r, &pv->vmas, NULL);
	pv->smaps_fresh = true;
	pv->gen = 1;
	if (comm && *comm)
		snprintf(pv->comm, sizeof pv->comm, "%s", comm);
	else
		lookup_comm(pv);
	return 0;
}

void procview_close(struct procview *pv)
{
	if (pv->pc_open)
		pages_close(&pv->pc);
	vmas_free(&pv->vmas);
	memset(pv, 0, sizeof *pv);
}

int procview_refresh(struct procview *pv, bool with_smaps,
		     struct vms_err *e)
{
	uint64_t was, pagemap_end;
	bool same;
	int rc;

	/* the layout as it was, nearly always: updated where it stands */
	rc = vmas_reread(pv->root, pv->pid, with_smaps, &pv->vmas, e);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		pv->smaps_fresh = with_smaps;
		return 0;
	}
	/* the layout moved: a new list, with smaps once for the VmFlags,
	 * read after the old one is freed (never two lists at once) */
	was = layout_digest(&pv->vmas);
	pagemap_end = pv->vmas.pagemap_end;   /* the same process */
	vmas_free(&pv->vmas);
	if (vmas_read(pv->root, pv->pid, true, &pv->vmas, e) < 0) {
		/* no list (vmas_read leaves it empty): the screens see none
		 * until a read succeeds */
		pv->gen++;
		return -1;
	}
	same = layout_digest(&pv->vmas) == was;
	pv->vmas.pagemap_end = pagemap_end;
	if (!pv->vmas.pagemap_end)
		vmas_pagemap_end(pv->root, &pv->vmas, NULL);
	pv->smaps_fresh = true;
	if (!same)
		pv->gen++;
	return same ? 0 : 1;
}

struct pages_ctx *procview_pages(struct procview *pv, struct vms_err *e)
{
	if (!pv->pc_open) {
		if (pages_open(&pv->pc, pv->root, pv->pid, e) < 0)
			return NULL;
		pv->pc_open = true;
	}
	return &pv->pc;
}

size_t procview_rows(const struct procview *pv)
{
	return 2 * pv->vmas.n;
}

const struct vma *procview_row(const struct procview *pv, size_t r,
			       struct vma *hole)
{
	const struct vma_list *l = &pv->vmas;

	if (r / 2 >= l->n)
		return NULL;
	if (r & 1)
		return &l->v[r / 2];
	return vmas_hole_before(l, r / 2, hole) ? hole : NULL;
}
