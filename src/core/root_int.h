/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root_int: what the root's backends share, nothing public. */
#ifndef VMSCOPE_ROOT_INT_H
#define VMSCOPE_ROOT_INT_H

#include "vmscope/root.h"

/* log2 of a power of two (page sizes). */
unsigned root_log2(unsigned v);
/* 32 or 64: the user address width of a machine name (uname -m). */
unsigned root_arch_addr_bits(const char *arch);

/* The backend on a directory fd (root_fs.c): the live system when live,
 * with the kernel log as ROOT_BOOT_LOG; a snapshot directory otherwise,
 * where only regular files and directories are read. */
int root_fs_attach(struct vms_root *r, int dirfd, bool live,
		   struct vms_err *e);

/* The kernel log of this machine (klogctl, else /dev/kmsg) in a malloc'd
 * buffer: 0, or -1 with e saying why (root_live.c). */
int root_live_kernel_log(char **text, size_t *len, struct vms_err *e);
/* The error of a kernel log this reader may not read (EPERM). */
void root_kernel_log_denied(struct vms_err *e);

#endif
