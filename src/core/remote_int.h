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
#include "vmscope/root.h"
#include "vmscope/root_remote.h"

#define REMOTE_ERRTAIL 512
#define REMOTE_PROBES 8

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
	char *rawcmd;          /* as given: a reconnect runs it again */
	unsigned gen;          /* +1 at each reconnect: older handles are void */
	uint32_t probes[REMOTE_PROBES]; /* probes whose replies are to come */
	size_t nprobes;
	size_t req_end;        /* c->ob up to here: the requests awaited */
	struct remote_cache *cache;   /* root_remote's, for refreshes */
	/* counted, for VMSCOPE_STATS and the benchmarks */
	unsigned long roundtrips, requests;
	unsigned long long bytes_out, bytes_in;
	unsigned long mark_rt;        /* the counters when the tick began */
	unsigned long long mark_in, mark_out;
	struct root_remote_stats st;  /* the ticks' */
};

/* ---- remote_cache.c, remote_replay.c: one round trip per refresh ---- */

struct rc_range {
	uint64_t off, len;
	size_t got;          /* answered bytes (got < len: end of file) */
	int err;
	uint8_t *data;
};

struct rc_entry {
	char kind;           /* 'R' read, 'S' stat, 'L' list, 'P', 'T' prefetched */
	bool text;
	char *path;
	unsigned used;       /* the tick that last used it */
	struct rc_range *want, *next; /* the ranges to ask; being noted */
	size_t nwant, capwant, nnext, capnext;
	bool have;           /* answered for this tick */
	bool asked;          /* 'T': asked already */
	int err;
	struct root_stat st;
	char **names;
	size_t nnames;
};

/* The entries, sorted by (kind, path). */
struct remote_cache {
	struct rc_entry **e;
	size_t n, cap;
	unsigned tick;
	bool on;             /* within a tick */
};

struct remote_cache *rcache_new(void);
void rcache_free(struct remote_cache *k);
bool rcache_active(const struct remote_cache *k);
/* A tick starts: what the last ticks read asked in one round trip (none
 * when there is nothing to ask); 0, or -1 with e (the connection broke). */
int rcache_begin(struct remote_cache *k, struct remote_conn *c,
		 struct vms_err *e);
/* The tick ends: its answers dropped, what it read kept for the next. */
void rcache_end(struct remote_cache *k);
/* The entry of (kind, path), made when new (NULL: out of memory). */
struct rc_entry *rcache_add(struct remote_cache *k, char kind,
			    const char *path);
/* root_prefetch: rel[0..n) read (their first 64 KiB) or stat'ed in one
 * round trip, kept as entries of kind 'P' (read) or 'T' (stat) that
 * serve one open or stat each. */
int rcache_prefetch(struct remote_cache *k, struct remote_conn *c, bool stat,
		    const char *const *rel, size_t n, struct vms_err *e);
/* Forget the prefetched entries: all (rel NULL) or rel's. */
void rcache_drop_prefetched(struct remote_cache *k, const char *rel);
/* What a tick reads (nothing is noted outside a tick). */
void rcache_note_read(struct remote_cache *k, const char *rel, bool text,
		      uint64_t off, uint64_t len);
void rcache_note_stat(struct remote_cache *k, const char *rel);
void rcache_note_list(struct remote_cache *k, const char *rel);
/* Answers of the tick: 1 served (*err the agent's errno or 0), 0 not
 * in the cache.  rcache_open's data stay the cache's. */
int rcache_open(const struct remote_cache *k, const char *rel, int *err,
		const uint8_t **data, size_t *len, bool *eof);
int rcache_pread(const struct remote_cache *k, const char *rel, void *buf,
		 size_t n, uint64_t off, size_t *got, int *err);
int rcache_stat(const struct remote_cache *k, const char *rel,
		struct root_stat *st, int *err);
int rcache_list(const struct remote_cache *k, const char *rel, char ***names,
		size_t *n, int *err);

/* ---- root_remote.c, remote_vec.c: the root's files ---- */

#define REMOTE_CHUNK (4u << 20)    /* a range of a read request */

struct remote_file {
	struct root_file base;
	uint32_t handle;     /* the agent's, or 0: none (yet) */
	unsigned gen;        /* of the connection the handle is from */
	bool whole;          /* data holds the whole file */
	bool text;
	uint8_t *data;       /* the file's first len bytes */
	size_t len;
};

static inline struct remote_conn *remote_conn_of(const struct vms_root *r)
{
	return r->ctx;
}

/* One read request of q; its checked reply into rep (free it). */
int remote_read_call(const struct vms_root *r, struct proto_read_req *q,
		     struct proto_read_reply *rep, struct vms_err *e);
/* How a read request names rf: its handle, or its path with KEEP (the
 * handle then taken from the reply by remote_take_handle). */
struct proto_file remote_file_ref(struct remote_file *rf);
void remote_take_handle(struct remote_file *rf, const struct proto_file *pf,
			const struct proto_file_res *res);
/* [off, off + n) of rf from the agent in one request (short: the end
 * of the file, or more than REMOTE_PER_CALL chunks asked). */
ssize_t remote_fetch(struct remote_file *rf, uint8_t *buf, size_t n,
		     uint64_t off, struct vms_err *e);
/* The root's pread and preadv. */
ssize_t remote_pread(struct root_file *f, void *buf, size_t n, uint64_t off,
		     struct vms_err *e);
int remote_vec_preadv(struct root_iov *v, size_t n, struct vms_err *e);

/* A reply of remote_exchange: its payload, or the errno of an ERROR. */
struct remote_reply {
	const uint8_t *p;
	size_t n;
	int err;
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
/* One round trip: send c->ob, which holds k requests of ids first ..
 * first + k - 1 (after a pending close) of the given types, and read
 * their k replies in order into rep (payloads valid until the next
 * call).  -1 when the connection breaks (c->dead). */
int remote_exchange(struct remote_conn *c, uint32_t first,
		    const uint16_t *types, size_t k, struct remote_reply *rep,
		    struct vms_err *e);
/* Run the command again after the connection died: 0, or -1 with e. */
int remote_respawn(struct remote_conn *c, struct vms_err *e);
/* End the connection for a reply that breaks the protocol: -1. */
int remote_broken(struct remote_conn *c, const char *what, struct vms_err *e);
/* Send the pending closes now and wait for their reply. */
void remote_flush_closes(struct remote_conn *c);
/* Close the pipes, let the child go (killed if it lingers), reap it. */
void remote_shutdown(struct remote_conn *c);

/* Send sig to root and every process descended from it (this machine's
 * /proc), the deepest first (remote_kill.c). */
void remote_kill_tree(pid_t root, int sig);

#endif
