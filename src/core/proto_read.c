/* SPDX-License-Identifier: GPL-3.0-or-later */
/* proto_read: the read request (many ranges of one or more files) and
 * its reply, checked against the request it answers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/proto.h"

/* Largest offset + length a range may reach (off_t is signed). */
#define RANGE_END_MAX ((uint64_t)INT64_MAX)
#define READ_HEAD 8        /* u16 nfiles, u16 0, u32 nranges */
#define FILE_RES 8         /* u32 err, u32 handle */
#define RANGE_RES 8        /* u32 err, u32 len */

uint64_t proto_read_reply_size(const struct proto_read_req *q)
{
	uint64_t sz = PROTO_HDR + READ_HEAD + (uint64_t)q->nfiles * FILE_RES;
	size_t i;

	for (i = 0; i < q->nranges; i++)
		sz += RANGE_RES + (uint64_t)q->ranges[i].len;
	return sz;
}

static bool file_ok(const struct proto_file *f)
{
	if (f->flags & ~(PROTO_F_KEEP | PROTO_F_EOF_CLOSE))
		return false;
	if (f->handle)
		return f->pathlen == 0 && !f->flags;
	return f->pathlen >= 1 && f->pathlen <= PROTO_PATH_MAX &&
	       !memchr(f->path, '\0', f->pathlen);
}

static bool req_ok(const struct proto_read_req *q)
{
	size_t i;

	if (q->nfiles < 1 || q->nfiles > PROTO_FILES_MAX ||
	    q->nranges > PROTO_RANGES_MAX)
		return false;
	for (i = 0; i < q->nfiles; i++)
		if (!file_ok(&q->files[i]))
			return false;
	for (i = 0; i < q->nranges; i++) {
		const struct proto_range *g = &q->ranges[i];

		if (g->file >= q->nfiles || g->len > PROTO_FRAME_MAX ||
		    g->off > RANGE_END_MAX - g->len)
			return false;
	}
	return proto_read_reply_size(q) <= PROTO_FRAME_MAX;
}

int proto_enc_read(struct proto_buf *b, uint32_t id,
		   const struct proto_read_req *q)
{
	size_t s, i;

	if (!req_ok(q))
		return -1;
	s = proto_begin(b, PROTO_READ, id);
	proto_put_u16(b, (uint16_t)q->nfiles);
	proto_put_u16(b, 0);
	proto_put_u32(b, (uint32_t)q->nranges);
	for (i = 0; i < q->nfiles; i++) {
		const struct proto_file *f = &q->files[i];

		proto_put_u32(b, f->handle);
		proto_put_u16(b, f->flags);
		proto_put_u16(b, f->pathlen);
		proto_put_bytes(b, f->path, f->pathlen);
	}
	for (i = 0; i < q->nranges; i++) {
		proto_put_u32(b, q->ranges[i].file);
		proto_put_u32(b, q->ranges[i].len);
		proto_put_u64(b, q->ranges[i].off);
	}
	return proto_end(b, s);
}

void proto_read_req_free(struct proto_read_req *q)
{
	free(q->files);
	free(q->ranges);
	memset(q, 0, sizeof *q);
}

int proto_dec_read(const uint8_t *p, size_t n, struct proto_read_req *q)
{
	struct proto_cur c = { p, n, false };
	size_t i;

	memset(q, 0, sizeof *q);
	q->nfiles = proto_get_u16(&c);
	(void)proto_get_u16(&c);
	q->nranges = proto_get_u32(&c);
	/* a file takes 8 bytes at least, a range 16 */
	if (c.bad || q->nfiles < 1 || q->nfiles > PROTO_FILES_MAX ||
	    q->nranges > PROTO_RANGES_MAX || q->nranges > c.n / 16)
		return -1;
	q->files = calloc(q->nfiles, sizeof *q->files);
	q->ranges = calloc(q->nranges ? q->nranges : 1, sizeof *q->ranges);
	if (!q->files || !q->ranges)
		goto bad;
	for (i = 0; i < q->nfiles; i++) {
		struct proto_file *f = &q->files[i];

		f->handle = proto_get_u32(&c);
		f->flags = proto_get_u16(&c);
		f->pathlen = proto_get_u16(&c);
		f->path = (const char *)proto_get_bytes(&c, f->pathlen);
	}
	for (i = 0; i < q->nranges; i++) {
		q->ranges[i].file = proto_get_u32(&c);
		q->ranges[i].len = proto_get_u32(&c);
		q->ranges[i].off = proto_get_u64(&c);
	}
	if (c.bad || c.n || !req_ok(q))
		goto bad;
	return 0;
bad:
	proto_read_req_free(q);
	return -1;
}

void proto_read_reply_free(struct proto_read_reply *r)
{
	free(r->files);
	free(r->ranges);
	memset(r, 0, sizeof *r);
}

/* A file's result as q allows it. */
static bool file_res_ok(const struct proto_file *f,
			const struct proto_file_res *fr)
{
	if (fr->err || f->handle || !(f->flags & PROTO_F_KEEP))
		return fr->handle == 0;
	return fr->handle != 0 || (f->flags & PROTO_F_EOF_CLOSE);
}

static int dec_files(struct proto_cur *c, const struct proto_read_req *q,
		     struct proto_read_reply *r)
{
	size_t i;

	for (i = 0; i < q->nfiles; i++) {
		struct proto_file_res *fr = &r->files[i];

		fr->err = proto_errno_from_wire(proto_get_u32(c));
		fr->handle = proto_get_u32(c);
		if (c->bad || !file_res_ok(&q->files[i], fr))
			return -1;
	}
	return 0;
}

static int dec_ranges(struct proto_cur *c, const struct proto_read_req *q,
		      struct proto_read_reply *r)
{
	size_t i;

	for (i = 0; i < q->nranges; i++) {
		struct proto_range_res *g = &r->ranges[i];
		const struct proto_range *want = &q->ranges[i];

		g->err = proto_errno_from_wire(proto_get_u32(c));
		g->len = proto_get_u32(c);
		if (c->bad || g->len > want->len || (g->err && g->len) ||
		    (r->files[want->file].err && !g->err))
			return -1;
		g->data = proto_get_bytes(c, g->len);
		if (!g->data)
			return -1;
	}
	return 0;
}

int proto_dec_read_reply(const uint8_t *p, size_t n,
			 const struct proto_read_req *q,
			 struct proto_read_reply *r)
{
	struct proto_cur c = { p, n, false };

	memset(r, 0, sizeof *r);
	if (proto_get_u16(&c) != q->nfiles)
		return -1;
	(void)proto_get_u16(&c);
	if (proto_get_u32(&c) != q->nranges || c.bad)
		return -1;
	r->nfiles = q->nfiles;
	r->nranges = q->nranges;
	r->files = calloc(q->nfiles ? q->nfiles : 1, sizeof *r->files);
	r->ranges = calloc(q->nranges ? q->nranges : 1, sizeof *r->ranges);
	if (!r->files || !r->ranges || dec_files(&c, q, r) < 0 ||
	    dec_ranges(&c, q, r) < 0 || c.bad || c.n) {
		proto_read_reply_free(r);
		return -1;
	}
	return 0;
}
