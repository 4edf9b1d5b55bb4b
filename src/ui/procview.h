/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procview: the open process, shared by its screens: its VMAs (with
 * smaps), the holes between them as rows, and the pages context. */
#ifndef VMSCOPE_PROCVIEW_H
#define VMSCOPE_PROCVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include "vmscope/err.h"
#include "vmscope/root.h"
#include "vmscope/vmas.h"
#include "vmscope/pages.h"

struct procview {
	const struct vms_root *root;
	int pid;
	char comm[64];          /* raw: escape before display */
	struct vma_list vmas;   /* sorted, classified, with smaps data */
	unsigned gen;           /* bumps whenever the VMA layout changes */
	bool smaps_fresh;       /* smaps re-read at the last refresh */
	struct pages_ctx pc;
	bool pc_open;
};

int procview_open(struct procview *pv, const struct vms_root *r, int pid,
		  const char *comm, struct vms_err *e);
void procview_close(struct procview *pv);
/* Re-read the VMAs: with_smaps re-reads smaps (RSS per VMA); without,
 * only maps, keeping the smaps data while the layout is unchanged.
 * Returns 1 when the layout changed, 0 when not, -1 on error
 * (VMS_ENOPROC: the process is gone). */
int procview_refresh(struct procview *pv, bool with_smaps,
		     struct vms_err *e);
/* The pages context, opened on first use. */
struct pages_ctx *procview_pages(struct procview *pv, struct vms_err *e);
/* The VMAs and the holes between them as rows, numbered without a copy
 * of any VMA (100,000 of them are 10 MB): row 2i+1 is VMA i, row 2i the
 * hole before it, filled into *hole (vmas_hole_before), or NULL when
 * there is none there.  Rows run up to procview_rows(), in address
 * order; a row past the end is NULL too. */
size_t procview_rows(const struct procview *pv);
const struct vma *procview_row(const struct procview *pv, size_t r,
			       struct vma *hole);

#endif
