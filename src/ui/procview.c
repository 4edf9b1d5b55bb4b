/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procview: the open process as its screens share it: the VMA list (with
 * smaps data), the same list with holes, and the pages context.  Reading
 * maps without smaps is cheap; smaps walks page tables, so the pages
 * screens refresh with maps only and keep the smaps data while the
 * layout stays the same. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "uiint.h"
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

static int rebuild_holes(struct procview *pv, struct vms_err *e)
{
	vmas_free_holes(&pv->holes);
	memset(&pv->holes, 0, sizeof pv->holes);
	return vmas_with_holes(&pv->vmas, &pv->holes, e);
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
	if (rebuild_holes(pv, e) < 0) {
		vmas_free(&pv->vmas);
		return -1;
	}
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
	vmas_free_holes(&pv->holes);
	vmas_free(&pv->vmas);
	memset(pv, 0, sizeof *pv);
}

int procview_refresh(struct procview *pv, bool with_smaps,
		     struct vms_err *e)
{
	struct vma_list nl = { 0 };
	bool same;

	if (vmas_read(pv->root, pv->pid, with_smaps, &nl, e) < 0)
		return -1;
	same = same_layout(&pv->vmas, &nl);
	if (same && !with_smaps) {
		vmas_free(&nl);
		pv->smaps_fresh = false;
		return 0;
	}
	if (!same && !with_smaps) {
		/* the layout moved: read smaps once for the VmFlags */
		vmas_free(&nl);
		memset(&nl, 0, sizeof nl);
		if (vmas_read(pv->root, pv->pid, true, &nl, e) < 0)
			return -1;
		same = same_layout(&pv->vmas, &nl);
	}
	/* holes share names with the old list: rebuild before freeing it */
	{
		struct vma_list old = pv->vmas;

		pv->vmas = nl;
		if (rebuild_holes(pv, e) < 0) {
			vmas_free(&old);
			return -1;
		}
		vmas_free(&old);
	}
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
