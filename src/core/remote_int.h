/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote_int: the pipe under the remote root (remote_conn.c): a child
 * running the agent, requests written and replies read in order, every
 * reply checked before anyone sees it. */
#ifndef VMSCOPE_REMOTE_INT_H
#define VMSCOPE_REMOTE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "vmscope/err.h"
#include "vmscope/proto.h"

#define REMOTE_ERRTAIL 512

struct remote_conn {
	pid_t pid;             /* the child, or 0 once reaped */
	int to, from, err;     /* its stdin, stdout, stderr (ours: -1) */
	char cmd[200];         /* escaped, shortened: for messages */
	int timeout_ms;
	bool dead;             /* sticky: every call fails with why */
	struct vms_err why;
	uint32_t next_id;
	struct proto_buf ob;   /* frames to send */
	uint8_t *ib;           /* bytes received, ib[ioff..ilen) unread */
	size_t ilen, ioff, icap;
	char errtail[REMOTE_ERRTAIL]; /* the last of the child's stderr */
	size_t errlen;
	uint32_t closes[PROTO_CLOSE_MAX]; /* handles to close, sent with */
	size_t nclose;                    /* the next request */
	uint32_t close_id;     /* the close frame in c->ob, or 0 */
};

/* Run cmd with /bin/sh -c, its stdin, stdout and stderr pipes to us. */
int remote_spawn(struct remote_conn *c, const char *cmd, int timeout_ms,
		 struct vms_err *e);
/* A new request id; pending closes go into c->ob first. */
uint32_t remote_begin(struct remote_conn *c);
/* Send c->ob, then wait for the replies to what it holds: the last one
 * (request id, type) is returned as its payload, valid until the next
 * call.  A PROTO_ERROR reply is -1 with its errno; a dead pipe, a
 * timeout or a reply that breaks the protocol is -1, and the
 * connection is closed for good (c->dead, c->why). */
int remote_call(struct remote_conn *c, uint32_t id, uint16_t type,
		const uint8_t **payload, size_t *n, struct vms_err *e);
/* End the connection for a reply that breaks the protocol: -1. */
int remote_broken(struct remote_conn *c, const char *what, struct vms_err *e);
/* Send the pending closes now and wait for their reply. */
void remote_flush_closes(struct remote_conn *c);
/* Close the pipes, let the child go (killed if it lingers), reap it. */
void remote_shutdown(struct remote_conn *c);

#endif
