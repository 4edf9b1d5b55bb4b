/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procview: the open process as its screens share it: the VMA list (with
 * smaps data), its rows with the holes between VMAs, and the pages
 * context.  Reading maps without smaps is cheap; smaps walks page
 * tables, so the pages screens refresh with maps only and keep the smaps
 * data while the layout stays the same.  There is one list: a refresh
 * updates it in place while the layout stays, and the rows are
 * numbered, not copied (a process may have 100,000 VMAs). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "procview.h"
#include "vmscope/procs.h"

static bool same_layout(const struct vma_list *a, const struct vma_list *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		const struct vma *x = &a->v[i], *y = &b->v[i];

		if (x->start != y->start || x->end != y->end ||
		    memcmp(x->perms, y->perms, sizeof x->perms) ||
		    x->offset != y->offset || x->inode != y->inode ||
		    x->deleted != y->deleted ||
		    strcmp(x->name ? x->name : "", y->name ? y->name : ""))
			return false;
	}
	return true;
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

int procview_open(struct procview *pv, const struct vms_root *r, int pid,
		  const char *comm, struct vms_err *e)
{
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
	struct vma_list nl;
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
	/* the layout moved: a new list, with smaps once for the VmFlags */
	if (vmas_read(pv->root, pv->pid, true, &nl, e) < 0)
		return -1;
	same = same_layout(&pv->vmas, &nl);
	nl.pagemap_end = pv->vmas.pagemap_end;   /* the same process */
	if (!nl.pagemap_end)
		vmas_pagemap_end(pv->root, &nl, NULL);
	vmas_free(&pv->vmas);
	pv->vmas = nl;
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
