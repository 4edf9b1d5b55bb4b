/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot_int: what the snapshot_*.c files share, nothing public. */
#ifndef VMSCOPE_SNAPSHOT_INT_H
#define VMSCOPE_SNAPSHOT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "vmscope/err.h"
#include "vmscope/root.h"

/* write/pwrite everything, retrying on EINTR and short writes: 0 or -1
 * with errno set. */
int snap_write_all(int fd, const void *buf, size_t len);
int snap_pwrite_all(int fd, const void *buf, size_t len, uint64_t off);
/* mkdir -p (mode 0700: snapshots hold root-only data) below dirfd of rel's parents, and of rel itself
 * with self.  0 or -1 with errno set. */
int snap_mkdirs(int dirfd, const char *rel, bool self);
/* The blocks the tree at path below dirfd takes on disk, in bytes, as du
 * counts them (symbolic links not followed). */
uint64_t snap_disk_usage(int dirfd, const char *path);

/* Make a name from an archive or entries list safe below a directory:
 * "./" and empty components dropped, trailing '/' removed; -1 for an
 * absolute name or one with a ".." component. */
int snap_clean_name(char *name);

/* Where a sparse file holds data: the packer uses these instead of
 * asking the filesystem (SEEK_DATA), which not every one answers. */
struct snap_region {
	uint64_t off, len;
};
struct snap_hint {
	const char *path;            /* relative to the packed directory */
	const struct snap_region *r; /* sorted by off, not overlapping */
	size_t n;
};

/* snapshot_tar_pack with hints (sorted by path; may be NULL). */
int snap_tar_pack(int dirfd, int outfd, int64_t mtime,
		  const struct snap_hint *hints, size_t nhints,
		  struct vms_err *e);

/* snapshot.c: capture by r's readers on a tap recording into the staging
 * directory outfd, with the conf and the files list; *hints (one malloc'd
 * block, sorted by path) tells the tar packer where each file holds data.
 * A process that cannot be read is skipped and listed in st. */
struct snapshot_opts;
struct snapshot_stats;
int snap_capture(const struct vms_root *r, const struct snapshot_opts *o,
		 int outfd, time_t now, struct snapshot_stats *st,
		 struct snap_hint **hints, size_t *nhints, struct vms_err *e);

/* snapshot_conf.c: the files list and the conf, from the tap's record. */
int snap_write_listing(int outfd, struct vms_root *tap,
		       const struct snapshot_stats *st, time_t now,
		       struct vms_err *e);
int snap_hints_of(struct vms_root *tap, struct snap_hint **hints,
		  size_t *nhints, struct vms_err *e);

#endif
