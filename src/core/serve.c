/* SPDX-License-Identifier: GPL-3.0-or-later */
/* serve: the agent.  One request at a time, in order: a frame is read
 * whole, answered whole, written whole.  Every path goes through
 * serve_path_allowed and then the root; files a client keeps open are
 * the only state (handles 1..SERVE_HANDLES_MAX).  A request it cannot
 * decode gets a PROTO_ERROR reply (EPROTO, or ENOSYS for an unknown
 * type) and the agent carries on; a frame it cannot frame ends it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vmscope/cgroups.h"
#include "vmscope/proto.h"
#include "vmscope/serve.h"

#define CG_DIRS_MAX 16

struct srv {
	const struct vms_root *r;
	struct root_file *h[SERVE_HANDLES_MAX];
	char *cg[CG_DIRS_MAX];
	size_t ncg;
	struct proto_buf ob;
	bool bye;
};

/* One file of a read request, as opened for it. */
struct sfile {
	struct root_file *f;
	int err;
	int slot;            /* where a kept file goes, or -1 */
	bool eof, by_path;
};

static bool allowed(const struct srv *s, const char *rel, unsigned op)
{
	return serve_path_allowed(rel, op, (const char *const *)s->cg, s->ncg);
}

static int code_of(const struct vms_err *e)
{
	return e->code > 0 && e->code < VMS_EFORMAT ? e->code : EIO;
}

static void open_file(struct srv *s, const struct proto_file *pf,
		      struct sfile *sf)
{
	char rel[PROTO_PATH_MAX + 1];
	struct vms_err e;
	int i;

	memset(sf, 0, sizeof *sf);
	sf->slot = -1;
	if (pf->handle) {
		if (pf->handle > SERVE_HANDLES_MAX || !s->h[pf->handle - 1])
			sf->err = EBADF;
		else
			sf->f = s->h[pf->handle - 1];
		return;
	}
	sf->by_path = true;
	memcpy(rel, pf->path, pf->pathlen);
	rel[pf->pathlen] = '\0';
	if (!allowed(s, rel, SERVE_READ)) {
		sf->err = EACCES;
		return;
	}
	if (pf->flags & PROTO_F_KEEP) {
		for (i = 0; i < SERVE_HANDLES_MAX && s->h[i]; i++)
			;
		if (i == SERVE_HANDLES_MAX) {
			sf->err = EMFILE;
			return;
		}
		sf->slot = i;
	}
	sf->f = root_fopen(s->r, rel, &e);
	if (!sf->f)
		sf->err = code_of(&e);
	else   /* the file's raw bytes: the hello says the root's order */
		sf->f->swap_entries = false;
}

static void read_range(struct srv *s, const struct proto_range *g,
		       struct sfile *sf)
{
	struct proto_buf *b = &s->ob;
	size_t pos = b->len;
	uint8_t *data;
	struct vms_err e;
	ssize_t got;

	proto_put_u32(b, 0);
	proto_put_u32(b, 0);
	if (sf->err) {
		proto_patch_u32(b, pos, proto_errno_to_wire(sf->err));
		return;
	}
	data = proto_put_space(b, g->len);
	if (!data)
		return;
	got = root_pread(sf->f, data, g->len, g->off, &e);
	if (got < 0) {
		proto_patch_u32(b, pos, proto_errno_to_wire(code_of(&e)));
		b->len = pos + 8;
		return;
	}
	proto_patch_u32(b, pos + 4, (uint32_t)got);
	b->len = pos + 8 + (size_t)got;
	if ((size_t)got < g->len)
		sf->eof = true;
}

/* Keep or close a file once its ranges are read; its handle or 0. */
static uint32_t finish_file(struct srv *s, const struct proto_file *pf,
			    struct sfile *sf)
{
	if (!sf->by_path || !sf->f)
		return 0;
	if (sf->slot >= 0 &&
	    !((pf->flags & PROTO_F_EOF_CLOSE) && sf->eof)) {
		s->h[sf->slot] = sf->f;
		return (uint32_t)sf->slot + 1;
	}
	root_fclose(sf->f);
	return 0;
}

static void do_read(struct srv *s, uint32_t id, const uint8_t *p, size_t n)
{
	struct sfile sf[PROTO_FILES_MAX];
	struct proto_read_req q;
	size_t i, start, fpos;

	if (proto_dec_read(p, n, &q) < 0) {
		proto_enc_errno(&s->ob, PROTO_ERROR, id, EPROTO);
		return;
	}
	for (i = 0; i < q.nfiles; i++)
		open_file(s, &q.files[i], &sf[i]);
	start = proto_begin(&s->ob, PROTO_READ | PROTO_REPLY, id);
	proto_put_u16(&s->ob, (uint16_t)q.nfiles);
	proto_put_u16(&s->ob, 0);
	proto_put_u32(&s->ob, (uint32_t)q.nranges);
	fpos = s->ob.len;
	for (i = 0; i < q.nfiles; i++)
		proto_put_u64(&s->ob, 0);
	for (i = 0; i < q.nranges; i++)
		read_range(s, &q.ranges[i], &sf[q.ranges[i].file]);
	for (i = 0; i < q.nfiles; i++) {
		uint32_t h = finish_file(s, &q.files[i], &sf[i]);

		proto_patch_u32(&s->ob, fpos + 8 * i,
				proto_errno_to_wire(sf[i].err));
		proto_patch_u32(&s->ob, fpos + 8 * i + 4, h);
	}
	proto_end(&s->ob, start);
	proto_read_req_free(&q);
}

static void do_list(struct srv *s, uint32_t id, const uint8_t *p, size_t n)
{
	char rel[PROTO_PATH_MAX + 1], **names = NULL;
	struct vms_err e;
	size_t count = 0, start = s->ob.len;
	int err = 0;

	if (proto_dec_path(p, n, rel, sizeof rel) < 0) {
		proto_enc_errno(&s->ob, PROTO_ERROR, id, EPROTO);
		return;
	}
	if (!allowed(s, rel, SERVE_LIST))
		err = EACCES;
	else if (root_list(s->r, rel, &names, &count, &e) < 0)
		err = code_of(&e);
	if (proto_enc_list_reply(&s->ob, id, err, names, count) < 0) {
		s->ob.oom = false;
		s->ob.len = start;
		proto_enc_list_reply(&s->ob, id, E2BIG, NULL, 0);
	}
	root_list_free(names, count);
}

static void do_stat(struct srv *s, uint32_t id, const uint8_t *p, size_t n)
{
	char rel[PROTO_PATH_MAX + 1];
	struct proto_stat ps = { 0 };
	struct root_stat st;
	struct vms_err e;

	if (proto_dec_path(p, n, rel, sizeof rel) < 0) {
		proto_enc_errno(&s->ob, PROTO_ERROR, id, EPROTO);
		return;
	}
	if (!allowed(s, rel, SERVE_STAT))
		ps.err = EACCES;
	else if (root_stat(s->r, rel, &st, &e) < 0)
		ps.err = code_of(&e);
	else
		ps = (struct proto_stat){ 0, st.mode, st.ino, st.dev, st.rdev,
					  st.size };
	proto_enc_stat_reply(&s->ob, id, &ps);
}

static void do_close(struct srv *s, uint32_t id, const uint8_t *p, size_t n)
{
	uint32_t *h;
	size_t count, i;
	int err = 0;

	if (proto_dec_close(p, n, &h, &count) < 0) {
		proto_enc_errno(&s->ob, PROTO_ERROR, id, EPROTO);
		return;
	}
	for (i = 0; i < count; i++) {
		if (h[i] == 0 || h[i] > SERVE_HANDLES_MAX || !s->h[h[i] - 1]) {
			err = EBADF;
			continue;
		}
		root_fclose(s->h[h[i] - 1]);
		s->h[h[i] - 1] = NULL;
	}
	free(h);
	proto_enc_errno(&s->ob, PROTO_CLOSE | PROTO_REPLY, id, err);
}

static void do_hello(struct srv *s, uint32_t id, const uint8_t *p, size_t n)
{
	const struct vms_root *r = s->r;
	struct proto_hello h = { 0 };
	uint16_t version;
	const uint16_t one = 1;

	if (proto_dec_hello(p, n, &version) < 0) {
		proto_enc_errno(&s->ob, PROTO_ERROR, id, EPROTO);
		return;
	}
	h.version = PROTO_VERSION;
	h.page_size = r->page_size;
	h.big_endian = r->live ? *(const uint8_t *)&one == 0 : r->big_endian;
	h.addr_bits = (uint8_t)r->addr_bits;
	h.caps = (r->pfn_visible ? PROTO_CAP_PFN_VISIBLE : 0) |
		 (r->live ? 0 : PROTO_CAP_STILL);
	h.pid = (uint32_t)getpid();
	snprintf(h.arch, sizeof h.arch, "%s", r->arch);
	snprintf(h.release, sizeof h.release, "%s", r->release);
	snprintf(h.hostname, sizeof h.hostname, "%s", r->hostname);
	proto_enc_hello_reply(&s->ob, id, &h);
}

static void dispatch(struct srv *s, const struct proto_hdr *h,
		     const uint8_t *p, size_t n)
{
	switch (h->type) {
	case PROTO_HELLO: do_hello(s, h->id, p, n); break;
	case PROTO_READ: do_read(s, h->id, p, n); break;
	case PROTO_LIST: do_list(s, h->id, p, n); break;
	case PROTO_STAT: do_stat(s, h->id, p, n); break;
	case PROTO_CLOSE: do_close(s, h->id, p, n); break;
	case PROTO_BYE:
		s->bye = true;
		proto_enc_errno(&s->ob, PROTO_BYE | PROTO_REPLY, h->id, 0);
		break;
	default:
		proto_enc_errno(&s->ob, PROTO_ERROR, h->id, ENOSYS);
	}
}

/* n bytes from fd: n, 0 at end of input before any byte, or -1. */
static ssize_t read_full(int fd, uint8_t *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t got = read(fd, buf + done, n - done);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			return done ? -1 : 0;
		done += (size_t)got;
	}
	return (ssize_t)done;
}

static int write_full(int fd, const uint8_t *buf, size_t n)
{
	while (n) {
		ssize_t put = write(fd, buf, n);

		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return -1;
		buf += put;
		n -= (size_t)put;
	}
	return 0;
}

/* The memory cgroup mount points of the served machine (relative). */
static void load_cgroup_dirs(struct srv *s)
{
	char *text, *m[CG_DIRS_MAX];
	int n, i;

	if (root_read_text(s->r, "proc/self/mountinfo", &text, NULL, NULL) < 0)
		return;
	n = cgroups_parse_mountinfo(text, m, CG_DIRS_MAX);
	free(text);
	for (i = 0; i < n; i++) {
		const char *rel = m[i];

		while (*rel == '/')
			rel++;
		if (*rel && (s->cg[s->ncg] = strdup(rel)))
			s->ncg++;
		free(m[i]);
	}
}

static void srv_free(struct srv *s, uint8_t *ib)
{
	size_t i;

	for (i = 0; i < SERVE_HANDLES_MAX; i++)
		root_fclose(s->h[i]);
	for (i = 0; i < s->ncg; i++)
		free(s->cg[i]);
	proto_buf_free(&s->ob);
	free(ib);
}

/* One request from in, its reply to out: 1 to go on, 0 at the end,
 * -1 with e set. */
static int serve_one(struct srv *s, int in, int out, uint8_t **ib,
		     struct vms_err *e)
{
	uint8_t hdr[PROTO_HDR], *nb;
	struct proto_hdr h;
	ssize_t got = read_full(in, hdr, sizeof hdr);

	if (got == 0)
		return 0;
	if (got < 0 || proto_header(hdr, &h) < 0) {
		err_set(e, EPROTO, "serve: %s", got < 0 ?
			"the input ended inside a frame" :
			"the input is not vmscope's protocol (a frame's header is invalid)");
		return -1;
	}
	nb = realloc(*ib, h.len - PROTO_HDR + 1);
	if (!nb) {
		err_sys(e, ENOMEM, "serve: a request of %u bytes", h.len);
		return -1;
	}
	*ib = nb;
	if (read_full(in, nb, h.len - PROTO_HDR) != (ssize_t)(h.len - PROTO_HDR)) {
		err_set(e, EPROTO, "serve: the input ended inside a frame");
		return -1;
	}
	s->ob.len = 0;
	s->ob.oom = false;
	dispatch(s, &h, nb, h.len - PROTO_HDR);
	if (s->ob.oom) {
		s->ob.len = 0;
		s->ob.oom = false;
		proto_enc_errno(&s->ob, PROTO_ERROR, h.id, ENOMEM);
	}
	if (write_full(out, s->ob.p, s->ob.len) < 0) {
		err_sys(e, errno, "serve: writing a reply");
		return -1;
	}
	return s->bye ? 0 : 1;
}

int serve_run(const struct vms_root *r, int in, int out, struct vms_err *e)
{
	struct srv s;
	uint8_t *ib = NULL;
	int rc;

	memset(&s, 0, sizeof s);
	s.r = r;
	load_cgroup_dirs(&s);
	while ((rc = serve_one(&s, in, out, &ib, e)) > 0)
		;
	srv_free(&s, ib);
	return rc;
}
