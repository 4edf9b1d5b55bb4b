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

/* Run the command again after the connection was lost, and check the
 * machine that answers is of the same kind (page size, byte order,
 * address width, architecture): 0 (also when r is not lost or not
 * remote), or -1 with e.  Files opened before are opened again by path
 * when next read; the screens' next refresh finds what still exists. */
int root_remote_reconnect(const struct vms_root *r, struct vms_err *e);

/* A screen refresh begins (begin true) or ends.  At its start, what the
 * last refreshes read is asked in one round trip, and the refresh's
 * reads are served from the answers (src/core/remote_cache.c); a read
 * they lack goes to the agent as it comes.  Nothing for other roots. */
void root_remote_tick(const struct vms_root *r, bool begin);

/* Counted on the client: a round trip is one wait for replies (however
 * many requests were written before it). */
#define ROOT_REMOTE_TICKS 64
struct root_remote_stats {
	unsigned long roundtrips, requests;   /* since the start */
	unsigned long long bytes_out, bytes_in;
	unsigned long ticks;                  /* refreshes */
	/* the last nlast refreshes, oldest first: round trips and bytes */
	size_t nlast;
	unsigned rt[ROOT_REMOTE_TICKS];
	unsigned long long in[ROOT_REMOTE_TICKS], out[ROOT_REMOTE_TICKS];
};
/* r's counters into st: true, or false when r is not remote. */
bool root_remote_stats(const struct vms_root *r, struct root_remote_stats *st);

#endif
