/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root_remote: the root's operations as requests to the agent
 * (remote_conn.c carries them).
 *
 * Opening a file is one read request that opens it by path, keeps it
 * open (a handle) and, for a text file, reads its first REMOTE_PREFETCH
 * bytes in the same round trip: when those reach the end of the file
 * the agent closes it and the file is served from memory, so reading a
 * /proc text file whole is one round trip.  Binary files (pagemap,
 * kpage*) are opened without data; each pread is one request of as
 * many ranges as it needs (REMOTE_CHUNK bytes each).  Closes are not
 * waited for: they ride with the next request. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/root_remote.h"
#include "remote_int.h"
#include "root_int.h"

#define REMOTE_PREFETCH (256u << 10)
#define REMOTE_CHUNK (4u << 20)    /* a range of a pread */
#define REMOTE_PER_CALL 3          /* ranges of REMOTE_CHUNK in a request */

struct remote_file {
	struct root_file base;
	uint32_t handle;     /* 0: the whole file is in data */
	uint8_t *data;       /* the file's first len bytes */
	size_t len;
};

static struct remote_conn *conn_of(const struct vms_root *r)
{
	return r->ctx;
}

/* pagemap and kpage*: read by ranges, never from the start. */
static bool binary_file(const char *rel)
{
	const char *base = strrchr(rel, '/');

	base = base ? base + 1 : rel;
	return !strcmp(base, "pagemap") || !strncmp(base, "kpage", 5);
}

/* One read request of q; its checked reply into rep (free it). */
static int read_call(const struct vms_root *r, struct proto_read_req *q,
		     struct proto_read_reply *rep, struct vms_err *e)
{
	struct remote_conn *c = conn_of(r);
	const uint8_t *p;
	size_t n;
	uint32_t id = remote_begin(c);

	if (proto_enc_read(&c->ob, id, q) < 0) {
		err_set(e, EINVAL, "remote: a read request over the protocol's limits");
		return -1;
	}
	if (remote_call(c, id, PROTO_READ, &p, &n, e) < 0)
		return -1;
	if (proto_dec_read_reply(p, n, q, rep) < 0)
		return remote_broken(c, "the agent sent a malformed read reply", e);
	return 0;
}

static int remote_open(const struct vms_root *r, const char *rel,
		       struct root_file **out, struct vms_err *e)
{
	struct proto_file pf = { 0, PROTO_F_KEEP, (uint16_t)strlen(rel), rel };
	struct proto_range g = { 0, REMOTE_PREFETCH, 0 };
	struct proto_read_req q = { 1, 1, &pf, &g };
	struct proto_read_reply rep;
	struct remote_file *rf;
	char shown[1024];
	int err;

	if (strlen(rel) > PROTO_PATH_MAX) {
		err_sys(e, ENAMETOOLONG, "cannot open %s", root_shown(r, rel, shown, sizeof shown));
		return -1;
	}
	if (binary_file(rel))
		q.nranges = 0;
	else
		pf.flags |= PROTO_F_EOF_CLOSE;
	if (read_call(r, &q, &rep, e) < 0)
		return -1;
	err = rep.files[0].err;
	if (err) {
		proto_read_reply_free(&rep);
		if (!strcmp(rel, ROOT_BOOT_LOG) && (err == EPERM || err == EACCES))
			root_kernel_log_denied(e);
		else
			err_sys(e, err, "cannot open %s", root_shown(r, rel, shown, sizeof shown));
		return -1;
	}
	rf = calloc(1, sizeof *rf);
	if (rf && q.nranges && !rep.ranges[0].err && rep.ranges[0].len &&
	    !(rf->data = malloc(rep.ranges[0].len))) {
		free(rf);
		rf = NULL;
	}
	if (!rf) {
		/* the agent may hold it open: closed with the next request */
		if (rep.files[0].handle && conn_of(r)->nclose < PROTO_CLOSE_MAX)
			conn_of(r)->closes[conn_of(r)->nclose++] = rep.files[0].handle;
		proto_read_reply_free(&rep);
		err_sys(e, ENOMEM, "opening %s", root_shown(r, rel, shown, sizeof shown));
		return -1;
	}
	rf->handle = rep.files[0].handle;
	if (rf->data) {
		rf->len = rep.ranges[0].len;
		memcpy(rf->data, rep.ranges[0].data, rf->len);
	}
	proto_read_reply_free(&rep);
	*out = &rf->base;
	return 0;
}

/* Read [off, off + n) from the agent: one request, up to
 * REMOTE_PER_CALL ranges; the bytes read (short: end of file) or -1. */
static ssize_t remote_fetch(struct remote_file *rf, uint8_t *buf, size_t n,
			    uint64_t off, struct vms_err *e)
{
	const struct vms_root *r = rf->base.root;
	struct proto_file pf = { rf->handle, 0, 0, NULL };
	struct proto_range g[REMOTE_PER_CALL];
	struct proto_read_req q = { 1, 0, &pf, g };
	struct proto_read_reply rep;
	size_t done = 0, i;
	char shown[1024];

	for (i = 0; i < REMOTE_PER_CALL && done < n; i++) {
		size_t len = n - done < REMOTE_CHUNK ? n - done : REMOTE_CHUNK;

		g[i] = (struct proto_range){ 0, (uint32_t)len, off + done };
		done += len;
	}
	q.nranges = i;
	if (read_call(r, &q, &rep, e) < 0)
		return -1;
	for (done = 0, i = 0; i < q.nranges; i++) {
		if (rep.ranges[i].err) {
			int err = rep.ranges[i].err;

			proto_read_reply_free(&rep);
			if (done)   /* what came before the error is good */
				return (ssize_t)done;
			err_sys(e, err, "reading %s",
				root_shown(r, rf->base.rel, shown, sizeof shown));
			return -1;
		}
		memcpy(buf + done, rep.ranges[i].data, rep.ranges[i].len);
		done += rep.ranges[i].len;
		if (rep.ranges[i].len < g[i].len)
			break;
	}
	proto_read_reply_free(&rep);
	return (ssize_t)done;
}

static ssize_t remote_pread(struct root_file *f, void *buf, size_t n,
			    uint64_t off, struct vms_err *e)
{
	struct remote_file *rf = (struct remote_file *)f;

	if (off < rf->len) {
		size_t k = rf->len - (size_t)off < n ? rf->len - (size_t)off : n;

		memcpy(buf, rf->data + off, k);
		return (ssize_t)k;
	}
	if (!rf->handle || n == 0)
		return 0;
	return remote_fetch(rf, buf, n, off, e);
}

/* ---- vectored reads: the ranges of many preads in one request ---- */

#define REMOTE_BATCH (12u << 20)   /* data bytes of one vectored request */

struct vbatch {
	const struct vms_root *r;
	struct proto_file f[PROTO_FILES_MAX];
	struct proto_range *g;
	size_t *owner;             /* the iov each range reads for */
	size_t nf, ng, cap;
	uint64_t bytes;
};

/* Send the gathered ranges; copy what came back into their iovs. */
static int vb_flush(struct vbatch *b, struct root_iov *v, struct vms_err *e)
{
	struct proto_read_req q = { b->nf, b->ng, b->f, b->g };
	struct proto_read_reply rep;
	char shown[1024];
	size_t k;

	if (!b->ng)
		return 0;
	if (read_call(b->r, &q, &rep, e) < 0)
		return -1;
	for (k = 0; k < b->ng; k++) {
		struct root_iov *w = &v[b->owner[k]];
		const struct proto_range_res *g = &rep.ranges[k];

		if (g->err) {
			int err = g->err;

			proto_read_reply_free(&rep);
			err_sys(e, err, "reading %s",
				root_shown(b->r, w->f->rel, shown, sizeof shown));
			return -1;
		}
		/* only after whole chunks: a short one was the end */
		if (w->got == b->g[k].off - w->off) {
			memcpy((char *)w->buf + w->got, g->data, g->len);
			w->got += g->len;
		}
	}
	proto_read_reply_free(&rep);
	b->nf = b->ng = 0;
	b->bytes = 0;
	return 0;
}

/* The index of handle among the batch's files, or nf. */
static size_t vb_find(const struct vbatch *b, uint32_t handle)
{
	size_t i;

	for (i = 0; i < b->nf && b->f[i].handle != handle; i++)
		;
	return i;
}

/* One iov into the batch (flushing first when it would not fit). */
static int vb_add(struct vbatch *b, struct root_iov *v, size_t i,
		  struct vms_err *e)
{
	struct remote_file *rf = (struct remote_file *)v[i].f;
	size_t chunks = (v[i].n + REMOTE_CHUNK - 1) / REMOTE_CHUNK, c, fi;
	uint64_t done;
	ssize_t got;

	v[i].got = 0;
	if (!rf->handle || v[i].off + v[i].n <= rf->len || v[i].n > REMOTE_BATCH) {
		if (vb_flush(b, v, e) < 0)
			return -1;
		got = root_pread(v[i].f, v[i].buf, v[i].n, v[i].off, e);
		v[i].got = got > 0 ? (size_t)got : 0;
		return got < 0 ? -1 : 0;
	}
	fi = vb_find(b, rf->handle);
	if (b->ng + chunks > b->cap || b->bytes + v[i].n > REMOTE_BATCH ||
	    (fi == b->nf && b->nf == PROTO_FILES_MAX)) {
		if (vb_flush(b, v, e) < 0)
			return -1;
		fi = 0;
	}
	if (fi == b->nf)
		b->f[b->nf++] = (struct proto_file){ rf->handle, 0, 0, NULL };
	for (c = 0, done = 0; c < chunks; c++, done += REMOTE_CHUNK) {
		uint64_t len = v[i].n - done < REMOTE_CHUNK ? v[i].n - done : REMOTE_CHUNK;

		b->g[b->ng] = (struct proto_range){ (uint32_t)fi, (uint32_t)len,
						    v[i].off + done };
		b->owner[b->ng++] = i;
	}
	b->bytes += v[i].n;
	return 0;
}

static int remote_preadv(struct root_iov *v, size_t n, struct vms_err *e)
{
	struct vbatch b = { .r = v[0].f->root };
	size_t i, want = 0;
	int rc = 0;

	for (i = 0; i < n; i++)
		want += (v[i].n + REMOTE_CHUNK - 1) / REMOTE_CHUNK;
	b.cap = want < PROTO_RANGES_MAX ? want : PROTO_RANGES_MAX;
	b.g = malloc((b.cap ? b.cap : 1) * sizeof *b.g);
	b.owner = malloc((b.cap ? b.cap : 1) * sizeof *b.owner);
	if (!b.g || !b.owner) {
		err_sys(e, ENOMEM, "reading %zu ranges", n);
		rc = -1;
	}
	for (i = 0; rc == 0 && i < n; i++)
		rc = vb_add(&b, v, i, e);
	if (rc == 0)
		rc = vb_flush(&b, v, e);
	free(b.g);
	free(b.owner);
	return rc;
}

static void remote_close(struct root_file *f)
{
	struct remote_file *rf = (struct remote_file *)f;
	struct remote_conn *c = conn_of(f->root);

	if (rf->handle && !c->dead) {
		if (c->nclose == PROTO_CLOSE_MAX)
			remote_flush_closes(c);
		c->closes[c->nclose++] = rf->handle;
	}
	free(rf->data);
	free(rf);
}

static int remote_stat(const struct vms_root *r, const char *rel,
		       struct root_stat *st, struct vms_err *e)
{
	struct remote_conn *c = conn_of(r);
	struct proto_stat ps;
	const uint8_t *p;
	char shown[1024];
	size_t n;
	uint32_t id = remote_begin(c);

	if (proto_enc_path(&c->ob, PROTO_STAT, id, rel) < 0) {
		err_sys(e, ENAMETOOLONG, "cannot stat %s", root_shown(r, rel, shown, sizeof shown));
		return -1;
	}
	if (remote_call(c, id, PROTO_STAT, &p, &n, e) < 0)
		return -1;
	if (proto_dec_stat_reply(p, n, &ps) < 0)
		return remote_broken(c, "the agent sent a malformed stat reply", e);
	if (ps.err) {
		err_sys(e, ps.err, "cannot stat %s", root_shown(r, rel, shown, sizeof shown));
		return -1;
	}
	*st = (struct root_stat){ .mode = ps.mode, .ino = ps.ino, .dev = ps.dev,
				  .rdev = ps.rdev, .size = ps.size };
	return 0;
}

static int remote_list(const struct vms_root *r, const char *rel,
		       char ***names, size_t *count, struct vms_err *e)
{
	struct remote_conn *c = conn_of(r);
	const uint8_t *p;
	char shown[1024];
	size_t n;
	int err;
	uint32_t id = remote_begin(c);

	if (proto_enc_path(&c->ob, PROTO_LIST, id, rel) < 0) {
		err_sys(e, ENAMETOOLONG, "cannot list %s", root_shown(r, rel, shown, sizeof shown));
		return -1;
	}
	if (remote_call(c, id, PROTO_LIST, &p, &n, e) < 0)
		return -1;
	if (proto_dec_list_reply(p, n, &err, names, count) < 0)
		return remote_broken(c, "the agent sent a malformed list reply", e);
	if (err) {   /* the decoder's empty list is ours to free */
		root_list_free(*names, *count);
		*names = NULL;
		*count = 0;
		err_sys(e, err, "cannot list %s", root_shown(r, rel, shown, sizeof shown));
		return -1;
	}
	return 0;
}

static int remote_fd(struct root_file *f)
{
	(void)f;
	return -1;
}

static void remote_destroy(struct vms_root *r)
{
	struct remote_conn *c = conn_of(r);

	if (!c)
		return;
	remote_flush_closes(c);
	remote_shutdown(c);
	free(c);
	r->ctx = NULL;
}

static const struct root_ops remote_ops = {
	.name = "remote", .open = remote_open, .pread = remote_pread,
	.close = remote_close, .stat = remote_stat, .list = remote_list,
	.fd = remote_fd, .destroy = remote_destroy, .preadv = remote_preadv,
};

/* The hello exchange: the root's facts from the agent's answer. */
static int hello(struct vms_root *r, struct vms_err *e)
{
	struct remote_conn *c = conn_of(r);
	struct proto_hello h;
	const uint8_t *p;
	size_t n;
	uint32_t id = remote_begin(c);

	proto_enc_hello(&c->ob, id);
	if (remote_call(c, id, PROTO_HELLO, &p, &n, e) < 0)
		return -1;
	if (proto_dec_hello_reply(p, n, &h) < 0)
		return remote_broken(c, "the agent's hello is not one this vmscope understands (another version, or not vmscope-collect --serve)", e);
	r->page_size = h.page_size;
	r->page_shift = root_log2(h.page_size);
	r->addr_bits = h.addr_bits;
	r->big_endian = h.big_endian;
	r->pfn_visible = h.caps & PROTO_CAP_PFN_VISIBLE;
	snprintf(r->arch, sizeof r->arch, "%s", h.arch[0] ? h.arch : "unknown");
	snprintf(r->release, sizeof r->release, "%s", h.release);
	snprintf(r->hostname, sizeof r->hostname, "%s", h.hostname);
	return 0;
}

int root_remote_open(struct vms_root *r, const char *cmd, unsigned timeout_s,
		     struct vms_err *e)
{
	struct remote_conn *c = malloc(sizeof *c);

	memset(r, 0, sizeof *r);
	if (!c) {
		err_sys(e, ENOMEM, "remote: starting '%s'", cmd);
		return -1;
	}
	if (remote_spawn(c, cmd, (int)(timeout_s ? timeout_s : ROOT_REMOTE_TIMEOUT) * 1000,
			 e) < 0) {
		free(c);
		return -1;
	}
	snprintf(r->path, sizeof r->path, "%s", cmd);
	r->ops = &remote_ops;
	r->ctx = c;
	r->live = true;
	if (hello(r, e) < 0) {
		root_close(r);
		return -1;
	}
	return 0;
}

bool root_remote_lost(const struct vms_root *r, struct vms_err *e)
{
	const struct remote_conn *c;

	if (r->ops != &remote_ops || !r->ctx)
		return false;
	c = conn_of(r);
	if (c->dead && e)
		*e = c->why;
	return c->dead;
}
