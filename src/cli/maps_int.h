/* SPDX-License-Identifier: GPL-3.0-or-later */
/* maps_int: what maps.c (the command, JSON) and maps_text.c (the text)
 * share. */
#ifndef VMSCOPE_CLI_MAPS_INT_H
#define VMSCOPE_CLI_MAPS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include "vmscope/physaddr.h"
#include "vmscope/root.h"
#include "vmscope/vmas.h"

/* Gap VMAs: the physical address where the system can tell (gp), or why
 * not (why, n bytes). */
void maps_gap_describe(const struct vms_root *r, const struct vma *v,
		       struct gap_phys *gp, char *why, size_t n);
/* The text of maps PID (with the holes between VMAs: holes): a CLI_*
 * status, errors printed. */
int maps_text(const struct vms_root *r, int pid, bool holes);

#endif
