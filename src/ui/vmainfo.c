/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmainfo: the selected VMA described (see vmainfo.h). */
#include <stdio.h>
#include "app.h"
#include "draw.h"
#include "vmainfo.h"
#include "vmscope/explain.h"
#include "vmscope/units.h"

static void gap_phys_of(struct vmainfo *vi, struct app *a,
			const struct vma *v)
{
	struct vms_err e;

	if (vi->gp_valid && vi->gp_start == v->start && vi->gp_gen == a->pv.gen)
		return;
	vi->gp_valid = true;
	vi->gp_start = v->start;
	vi->gp_gen = a->pv.gen;
	vi->gp_err[0] = '\0';
	if (physaddr_of_gap(a->root, v, v->start, &vi->gp, &e) < 0)
		snprintf(vi->gp_err, sizeof vi->gp_err, "%s", e.msg);
}

void vmainfo_line(struct vmainfo *vi, struct app *a, const struct vma *v,
		  char *buf, size_t n, int *elem)
{
	const char *kind = vma_kind_name(v->kind);
	char sz[32];

	units_size(sz, sizeof sz, v->end - v->start);
	if (!vma_is_gap(v)) {
		if (v->kind == VMA_KIND_HOLE)
			snprintf(buf, n, "hole of %s: Enter shows it among the pages", sz);
		else
			snprintf(buf, n, "%s %s, %s: Enter shows its pages", kind,
				 v->perms, sz);
		return;
	}
	gap_phys_of(vi, a, v);
	*elem = EL_WARN;
	if (v->above_pagemap || v->kind == VMA_KIND_VSYSCALL)
		snprintf(buf, n, "%s gap: above the end of pagemap (TASK_SIZE); nothing to show",
			 kind);
	else if (v->kind == VMA_KIND_CHARDEV)
		snprintf(buf, n, "chardev gap: char device %u:%u, no VmFlags (kernel < 3.8)",
			 v->chr_major, v->chr_minor);
	else if (vi->gp_err[0])
		snprintf(buf, n, "%s gap: pagemap cannot see it (VM_PFNMAP/VM_IO); physical address: %s",
			 kind, vi->gp_err);
	else if (vi->gp.known)
		snprintf(buf, n, "%s gap: pagemap cannot see it; physical 0x%llx-0x%llx from %s",
			 kind, (unsigned long long)vi->gp.base,
			 (unsigned long long)(vi->gp.base + (v->end - v->start)),
			 vi->gp.source);
	else
		snprintf(buf, n, "%s gap: pagemap cannot see it (no struct page); physical address unknown: no interface tells",
			 kind);
}

void vmainfo_panel(struct app *a, const struct vma *v, int py, int ph, int w)
{
	char sz[32], lines[3][256], why[EXPLAIN_GAP_MAX];
	int n, k;

	draw_hline(py, 0, w, app_attr(a, EL_BORDER));
	if (v->kind == VMA_KIND_HOLE) {
		units_size(sz, sizeof sz, v->end - v->start);
		draw_fmt(py + 1, 0, w, app_attr(a, EL_VMA_HOLE), false,
			 "hole: %s of unmapped address space between two VMAs",
			 sz);
	} else {
		draw_fmt(py + 1, 0, w, app_attr(a, EL_INFO), false,
			 "VmFlags: %s  offset 0x%llx  dev %02x:%02x  inode %llu",
			 v->vmflags_text[0] ? v->vmflags_text :
			 v->has_smaps ? "(none: smaps before Linux 3.8)" :
			 "(no smaps)",
			 (unsigned long long)v->offset, v->dev_major,
			 v->dev_minor, (unsigned long long)v->inode);
	}
	n = wrap_text(vma_is_gap(v) ?
		      explain_gap(v, a->pv.vmas.pagemap_end, why, sizeof why) :
		      explain_vma_kind(v->kind),
		      w, lines, ph - 2);
	for (k = 0; k < n; k++)
		draw_text(py + 2 + k, 0, w,
			  app_attr(a, vma_is_gap(v) ? EL_WARN : EL_NORMAL),
			  lines[k], false);
}
