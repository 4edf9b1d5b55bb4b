/* SPDX-License-Identifier: GPL-3.0-or-later */
/* serve: the agent's side of the remote protocol (docs/protocol.md), for
 * `vmscope-collect --serve`: requests read from one fd, replies written
 * to another, every file through a root (the live one on a board).  It
 * serves only the paths vmscope's readers read, never writes, and keeps
 * no state but the files a client asked to keep open. */
#ifndef VMSCOPE_SERVE_H
#define VMSCOPE_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include "vmscope/err.h"
#include "vmscope/root.h"

/* Files one client may keep open at once (more: EMFILE). */
#define SERVE_HANDLES_MAX 256

enum serve_op { SERVE_READ = 1, SERVE_LIST = 2, SERVE_STAT = 4 };

/* Whether op on rel (relative to the root) is one the agent serves:
 * the kernel log (ROOT_BOOT_LOG), the /proc files the readers use (per
 * process: maps, smaps, pagemap, status, stat, comm, cmdline, cgroup,
 * mountinfo; never root, cwd, exe, fd, map_files, environ, mem), the
 * sysfs trees (firmware/memmap, kernel/mm/transparent_hugepage), the
 * files of class/uio the readers read (each uioN is a link into the
 * device tree, so never the tree below it: no device/, subsystem/),
 * etc/passwd, stat of dev/mem, and listing and stat below the cgroup
 * mount points cgdirs (relative, without '/').  No "..", ".", empty
 * component or absolute path, ever. */
bool serve_path_allowed(const char *rel, unsigned op,
			const char *const *cgdirs, size_t ncg);

/* Answer requests from fd in on fd out until in ends or a bye; r is
 * the root served.  0 at a clean end, -1 with e set when the input is
 * not the protocol (a frame cannot be framed) or out fails. */
int serve_run(const struct vms_root *r, int in, int out, struct vms_err *e);

#endif
