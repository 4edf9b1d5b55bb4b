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

/* root_pread without conversion: the backend's bytes, short reads
 * retried (root.c). */
ssize_t root_pread_raw(struct root_file *f, void *buf, size_t n,
		       uint64_t off, struct vms_err *e);
/* root_pread of an entry file whose order is not this machine's: the
 * entries converted, at any offset and length (root_order.c). */
ssize_t root_order_pread(struct root_file *f, void *buf, size_t n,
			 uint64_t off, struct vms_err *e);
/* A conf's byte_order value: "little" or "big" into *big; 0, or -1 for
 * anything else. */
int root_order_parse(const char *v, size_t vlen, bool *big);
/* For a backend's preadv: true when every range of a file that needs
 * converting starts and ends on an entry; then, after the read, convert
 * those ranges in place (a range cut inside an entry by the end of its
 * file ends before that entry, as root_order_pread's do). */
bool root_order_iov_aligned(const struct root_iov *v, size_t n);
void root_order_iov_convert(struct root_iov *v, size_t n);

/* A sorted list of regions (root_tap.h's struct tap_region), for the
 * tap: add [off, off+len), merged with the last when they touch (reads
 * are mostly in order); sort and merge, clipped to below limit. */
struct tap_region;
int root_recorded_span_add(struct tap_region **v, size_t *n, size_t *cap,
			   uint64_t off, uint64_t len);
void root_recorded_span_tidy(struct tap_region *v, size_t *n,
			     uint64_t limit);

/* What the tap records of a file it reads (root_recorded.c): spans read,
 * or bad (bad: the read failed, or the output could not hold it),
 * allocated on the first note.  0 or -1 (out of memory). */
int root_recorded_note(struct root_recfile **rf, bool bad, uint64_t off,
		       uint64_t len);
/* Sort and merge the spans (a read past the end, that found nothing
 * there, counts as read). */
void root_recorded_tidy(struct root_recfile *rf);
/* Bytes recorded bad, the first at *first (UINT64_MAX none). */
uint64_t root_recorded_bad(const struct root_recfile *rf, uint64_t *first);
void root_recorded_drop(struct root_recfile *rf);

#endif
