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
#define REMOTE_PER_CALL 3          /* ranges of REMOTE_CHUNK in a request */



/* pagemap and kpage*: read by ranges, never from the start. */
static bool binary_file(const char *rel)
{
	const char *base = strrchr(rel, '/');

	base = base ? base + 1 : rel;
	return !strcmp(base, "pagemap") || !strncmp(base, "kpage", 5);
}

/* One read request of q; its checked reply into rep (free it). */
int remote_read_call(const struct vms_root *r, struct proto_read_req *q,
		     struct proto_read_reply *rep, struct vms_err *e)
{
	struct remote_conn *c = remote_conn_of(r);
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

/* An open's error, as the local backend words it. */
static int open_failed(const struct vms_root *r, const char *rel, int err,
		       struct vms_err *e)
{
	char shown[1024];

	if (!strcmp(rel, ROOT_BOOT_LOG) && (err == EPERM || err == EACCES))
		root_kernel_log_denied(e);
	else
		err_sys(e, err, "cannot open %s", root_shown(r, rel, shown, sizeof shown));
	return -1;
}

static struct remote_file *file_new(const struct vms_root *r, const char *rel,
				    const uint8_t *data, size_t len)
{
	struct remote_file *rf = calloc(1, sizeof *rf);

	if (rf && len && !(rf->data = malloc(len))) {
		free(rf);
		return NULL;
	}
	if (!rf)
		return NULL;
	if (len)
		memcpy(rf->data, data, len);
	rf->len = len;
	rf->text = !binary_file(rel);
	rf->gen = remote_conn_of(r)->gen;
	return rf;
}

/* The open served by this tick's answers: 1, 0 (not there), -1. */
static int open_cached(const struct vms_root *r, const char *rel,
		       struct root_file **out, struct vms_err *e)
{
	struct remote_conn *c = remote_conn_of(r);
	const uint8_t *data;
	size_t len;
	bool eof;
	int err;
	struct remote_file *rf;

	if (!rcache_open(c->cache, rel, &err, &data, &len, &eof))
		return 0;
	if (err) {
		rcache_drop_prefetched(c->cache, rel);
		return open_failed(r, rel, err, e);
	}
	if (!(rf = file_new(r, rel, data, len))) {
		err_sys(e, ENOMEM, "opening %s", rel);
		return -1;
	}
	rf->whole = eof;
	rcache_drop_prefetched(c->cache, rel);   /* once: a prefetch's answer */
	if (rf->text)
		rcache_note_read(c->cache, rel, true, 0, eof ? len + len / 4 + 4096 : len);
	*out = &rf->base;
	return 1;
}

static int remote_open(const struct vms_root *r, const char *rel,
		       struct root_file **out, struct vms_err *e)
{
	struct proto_file pf = { 0, PROTO_F_KEEP, (uint16_t)strlen(rel), rel };
	struct proto_range g = { 0, REMOTE_PREFETCH, 0 };
	struct proto_read_req q = { 1, 1, &pf, &g };
	struct proto_read_reply rep;
	struct remote_conn *c = remote_conn_of(r);
	struct remote_file *rf;
	char shown[1024];
	int err, rc;

	if (strlen(rel) > PROTO_PATH_MAX) {
		err_sys(e, ENAMETOOLONG, "cannot open %s", root_shown(r, rel, shown, sizeof shown));
		return -1;
	}
	if ((rc = open_cached(r, rel, out, e)) != 0)
		return rc < 0 ? -1 : 0;
	if (binary_file(rel))
		q.nranges = 0;
	else
		pf.flags |= PROTO_F_EOF_CLOSE;
	if (remote_read_call(r, &q, &rep, e) < 0)
		return -1;
	err = rep.files[0].err;
	rcache_note_read(c->cache, rel, !binary_file(rel), 0, 0);
	if (err) {
		proto_read_reply_free(&rep);
		return open_failed(r, rel, err, e);
	}
	rf = q.nranges && !rep.ranges[0].err
		? file_new(r, rel, rep.ranges[0].data, rep.ranges[0].len)
		: file_new(r, rel, NULL, 0);
	if (!rf) {
		/* the agent may hold it open: closed with the next request */
		if (rep.files[0].handle && c->nclose < PROTO_CLOSE_MAX)
			c->closes[c->nclose++] = rep.files[0].handle;
		proto_read_reply_free(&rep);
		err_sys(e, ENOMEM, "opening %s", root_shown(r, rel, shown, sizeof shown));
		return -1;
	}
	rf->handle = rep.files[0].handle;
	rf->whole = q.nranges && !rf->handle;
	if (rf->text)
		rcache_note_read(c->cache, rel, true, 0,
				 rf->whole ? rf->len + rf->len / 4 + 4096 : rf->len);
	proto_read_reply_free(&rep);
	*out = &rf->base;
	return 0;
}

/* The file as a read request names it: its handle, or its path (kept
 * open, the handle then taken from the reply: take_handle). */
struct proto_file remote_file_ref(struct remote_file *rf)
{
	const struct remote_conn *c = remote_conn_of(rf->base.root);

	if (rf->handle && rf->gen == c->gen)
		return (struct proto_file){ rf->handle, 0, 0, NULL };
	rf->handle = 0;
	return (struct proto_file){ 0, PROTO_F_KEEP, (uint16_t)strlen(rf->base.rel),
				    rf->base.rel };
}

void remote_take_handle(struct remote_file *rf, const struct proto_file *pf,
			const struct proto_file_res *res)
{
	if (!pf->handle && !res->err) {
		rf->handle = res->handle;
		rf->gen = remote_conn_of(rf->base.root)->gen;
	}
}

/* Read [off, off + n) from the agent: one request, up to
 * REMOTE_PER_CALL ranges; the bytes read (short: end of file) or -1. */
ssize_t remote_fetch(struct remote_file *rf, uint8_t *buf, size_t n,
			    uint64_t off, struct vms_err *e)
{
	const struct vms_root *r = rf->base.root;
	struct proto_file pf = remote_file_ref(rf);
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
	if (remote_read_call(r, &q, &rep, e) < 0)
		return -1;
	remote_take_handle(rf, &pf, &rep.files[0]);
	if (rep.files[0].err) {
		int err = rep.files[0].err;

		proto_read_reply_free(&rep);
		return open_failed(r, rf->base.rel, err, e);
	}
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

ssize_t remote_pread(struct root_file *f, void *buf, size_t n,
			    uint64_t off, struct vms_err *e)
{
	struct remote_file *rf = (struct remote_file *)f;
	struct remote_cache *k = remote_conn_of(f->root)->cache;
	char shown[1024];
	size_t got;
	int err;

	if (off < rf->len) {
		size_t m = rf->len - (size_t)off < n ? rf->len - (size_t)off : n;

		memcpy(buf, rf->data + off, m);
		return (ssize_t)m;
	}
	if (rf->whole || n == 0)
		return 0;
	rcache_note_read(k, f->rel, rf->text, off, n);
	if (rcache_pread(k, f->rel, buf, n, off, &got, &err)) {
		if (!err)
			return (ssize_t)got;
		err_sys(e, err, "reading %s", root_shown(f->root, f->rel, shown, sizeof shown));
		return -1;
	}
	return remote_fetch(rf, buf, n, off, e);
}

static void remote_close(struct root_file *f)
{
	struct remote_file *rf = (struct remote_file *)f;
	struct remote_conn *c = remote_conn_of(f->root);

	if (rf->handle && rf->gen == c->gen && !c->dead) {
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
	struct remote_conn *c = remote_conn_of(r);
	struct proto_stat ps;
	const uint8_t *p;
	char shown[1024];
	size_t n;
	uint32_t id;
	int err;

	rcache_note_stat(c->cache, rel);
	if (rcache_stat(c->cache, rel, st, &err)) {
		rcache_drop_prefetched(c->cache, rel);
		if (!err)
			return 0;
		err_sys(e, err, "cannot stat %s", root_shown(r, rel, shown, sizeof shown));
		return -1;
	}
	id = remote_begin(c);
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
	struct remote_conn *c = remote_conn_of(r);
	const uint8_t *p;
	char shown[1024];
	size_t n;
	int err;
	uint32_t id;

	rcache_note_list(c->cache, rel);
	if (rcache_list(c->cache, rel, names, count, &err)) {
		if (!err)
			return 0;
		err_sys(e, err, "cannot list %s", root_shown(r, rel, shown, sizeof shown));
		return -1;
	}
	id = remote_begin(c);
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
	struct remote_conn *c = remote_conn_of(r);

	if (!c)
		return;
	remote_flush_closes(c);
	remote_shutdown(c);
	rcache_free(c->cache);
	free(c);
	r->ctx = NULL;
}

static void remote_prefetch(const struct vms_root *r, int what,
			    const char *const *rel, size_t n)
{
	struct vms_err e;

	rcache_prefetch(remote_conn_of(r)->cache, remote_conn_of(r), what == ROOT_PREFETCH_STAT,
			rel, n, &e);
}

static const struct root_ops remote_ops = {
	.name = "remote", .open = remote_open, .pread = remote_pread,
	.close = remote_close, .stat = remote_stat, .list = remote_list,
	.fd = remote_fd, .destroy = remote_destroy, .preadv = remote_vec_preadv,
	.prefetch = remote_prefetch,
};

/* The hello exchange: the agent's facts into h. */
static int hello(struct remote_conn *c, struct proto_hello *h,
		 struct vms_err *e)
{
	const uint8_t *p;
	size_t n;
	uint32_t id = remote_begin(c);

	proto_enc_hello(&c->ob, id);
	if (remote_call(c, id, PROTO_HELLO, &p, &n, e) < 0)
		return -1;
	if (proto_dec_hello_reply(p, n, h) < 0)
		return remote_broken(c, "the agent's hello is not one this vmscope understands (another version, or not vmscope-collect --serve)", e);
	return 0;
}

static void take_facts(struct vms_root *r, const struct proto_hello *h)
{
	r->page_size = h->page_size;
	r->page_shift = root_log2(h->page_size);
	r->addr_bits = h->addr_bits;
	r->big_endian = h->big_endian;
	r->pfn_visible = h->caps & PROTO_CAP_PFN_VISIBLE;
	/* live even when the agent serves a snapshot (PROTO_CAP_STILL):
	 * paths are named as on the board, and a refresh costs little */
	r->live = true;
	snprintf(r->arch, sizeof r->arch, "%s", h->arch[0] ? h->arch : "unknown");
	snprintf(r->release, sizeof r->release, "%s", h->release);
	snprintf(r->hostname, sizeof r->hostname, "%s", h->hostname);
}

int root_remote_open(struct vms_root *r, const char *cmd, unsigned timeout_s,
		     struct vms_err *e)
{
	struct remote_conn *c = malloc(sizeof *c);
	struct proto_hello h;

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
	if (!(c->cache = rcache_new())) {
		err_sys(e, ENOMEM, "remote: starting '%s'", cmd);
		root_close(r);
		return -1;
	}
	if (hello(c, &h, e) < 0) {
		root_close(r);
		return -1;
	}
	take_facts(r, &h);
	return 0;
}

static struct remote_conn *remote_of(const struct vms_root *r)
{
	return r && r->ops == &remote_ops ? r->ctx : NULL;
}

bool root_remote_lost(const struct vms_root *r, struct vms_err *e)
{
	const struct remote_conn *c = remote_of(r);

	if (!c)
		return false;
	if (c->dead && e)
		*e = c->why;
	return c->dead;
}

int root_remote_reconnect(const struct vms_root *r, struct vms_err *e)
{
	struct remote_conn *c = remote_of(r);
	struct vms_root now;
	struct proto_hello h;

	if (!c || !c->dead)
		return 0;
	if (remote_respawn(c, e) < 0 || hello(c, &h, e) < 0)
		return -1;
	memset(&now, 0, sizeof now);
	take_facts(&now, &h);
	if (now.page_size != r->page_size || now.big_endian != r->big_endian ||
	    now.addr_bits != r->addr_bits || strcmp(now.arch, r->arch)) {
		err_set(e, EPROTO, "remote: '%s' now reaches another kind of machine (%s, %u-byte pages): start vmscope again",
			c->cmd, now.arch, now.page_size);
		remote_broken(c, "another kind of machine answered", NULL);
		return -1;
	}
	return 0;
}

void root_remote_tick(const struct vms_root *r, bool begin)
{
	struct remote_conn *c = remote_of(r);
	struct root_remote_stats *st;
	struct vms_err e;
	size_t i;

	if (!c)
		return;
	st = &c->st;
	if (begin) {
		c->mark_rt = c->roundtrips;
		c->mark_in = c->bytes_in;
		c->mark_out = c->bytes_out;
		rcache_begin(c->cache, c, &e);
		return;
	}
	rcache_end(c->cache);
	if (st->nlast == ROOT_REMOTE_TICKS) {
		memmove(st->rt, st->rt + 1, sizeof st->rt - sizeof st->rt[0]);
		memmove(st->in, st->in + 1, sizeof st->in - sizeof st->in[0]);
		memmove(st->out, st->out + 1, sizeof st->out - sizeof st->out[0]);
		st->nlast--;
	}
	i = st->nlast++;
	st->rt[i] = (unsigned)(c->roundtrips - c->mark_rt);
	st->in[i] = c->bytes_in - c->mark_in;
	st->out[i] = c->bytes_out - c->mark_out;
	st->ticks++;
}

bool root_remote_stats(const struct vms_root *r, struct root_remote_stats *st)
{
	const struct remote_conn *c = remote_of(r);

	if (!c)
		return false;
	*st = c->st;
	st->roundtrips = c->roundtrips;
	st->requests = c->requests;
	st->bytes_in = c->bytes_in;
	st->bytes_out = c->bytes_out;
	return true;
}
