/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root_remote: a root on another machine, through `vmscope-collect
 * --serve` at the other end of a command that carries stdin and stdout
 * (ssh, adb shell, a serial console's helper): docs/protocol.md.
 *
 * The root is live (r->live: it changes, screens refresh) but not local
 * (root_is_local is false: libproc2 and this process's own counters say
 * nothing of it).  Its facts (page size, byte order, architecture,
 * release, hostname, whether PFNs are visible) come from the agent's
 * hello.  Files read as the board's raw bytes; errors are the agent's
 * errno values with the messages the local backend gives.  When the
 * connection dies, every call fails with "remote: connection lost: ..."
 * (root_remote_lost).  The caller must ignore SIGPIPE: a dead pipe is
 * then an EPIPE this backend handles. */
#ifndef VMSCOPE_ROOT_REMOTE_H
#define VMSCOPE_ROOT_REMOTE_H

#include <stdbool.h>
#include <stddef.h>
#include "vmscope/root.h"

#define ROOT_REMOTE_TIMEOUT 30   /* seconds without an answer: hung */

/* Run cmd with /bin/sh -c and say hello: 0, or -1 with e saying why
 * (the command's own last words on stderr included).  timeout_s: how
 * long a request may go unanswered (0: ROOT_REMOTE_TIMEOUT). */
int root_remote_open(struct vms_root *r, const char *cmd,
		     unsigned timeout_s, struct vms_err *e);

/* True when r is a remote root whose connection is lost; the message
 * then goes to e. */
bool root_remote_lost(const struct vms_root *r, struct vms_err *e);

#endif
