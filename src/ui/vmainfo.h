/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmainfo: what the VMAs screen says about the selected VMA or hole: the
 * info line (for a VM_PFNMAP/VM_IO gap its physical address where the
 * system tells, found once per VMA) and the panel under the list. */
#ifndef VMSCOPE_VMAINFO_H
#define VMSCOPE_VMAINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmscope/physaddr.h"
#include "vmscope/vmas.h"

struct app;

/* The physical address of the last gap asked about. */
struct vmainfo {
	uint64_t gp_start;
	unsigned gp_gen;
	bool gp_valid;
	struct gap_phys gp;
	char gp_err[200];
};

/* The info line about v ("file r--p, 4.0K: Enter shows its pages"), its
 * element (a gap: EL_WARN). */
void vmainfo_line(struct vmainfo *vi, struct app *a, const struct vma *v,
		  char *buf, size_t n, int *elem);
/* The panel of ph rows at py: a rule, VmFlags, offset, device and
 * inode (or the size of a hole), and what such a VMA is. */
void vmainfo_panel(struct app *a, const struct vma *v, int py, int ph,
		   int w);

#endif
