/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroups: the memory cgroup a page is charged to, from the inode that
 * /proc/kpagecgroup gives, on cgroup v1 (memory controller) and v2. */
#ifndef VMSCOPE_CGROUPS_H
#define VMSCOPE_CGROUPS_H

#include <stdint.h>
#include "vmscope/err.h"
#include "vmscope/root.h"

struct cgroups;

/* Live: the memory-controller mounts are found in
 * ROOT/proc/self/mountinfo (v1 "cgroup" with the memory option, else
 * "cgroup2"), and their directory trees walked on first need.
 * Snapshot: ROOT/cgroup-inodes, lines "INODE PATH".  No cgroup mount or
 * file is not an error: every lookup then gives NULL. */
int cgroups_open(const struct vms_root *r, struct cgroups **out,
		 struct vms_err *e);
void cgroups_free(struct cgroups *c);

/* The path of the memcg whose directory has inode ino, relative to the
 * controller's mount ("/" for the root cgroup, "/system.slice/x"), or
 * NULL when none matches (0: not charged).  Valid until cgroups_free.
 * An unknown inode triggers one re-walk (cgroups come and go), at most
 * once per second. */
const char *cgroups_path(struct cgroups *c, uint64_t ino);

/* Pure parser for tests: the mount points of memory cgroups in mountinfo
 * text.  Writes up to max paths (malloc'd) to mounts; returns the count. */
int cgroups_parse_mountinfo(const char *text, char **mounts, int max);

#endif
