/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote_vec: the remote root's vectored read: the ranges of many preads
 * (the kpage* runs of a chunk, the probes for the end of pagemap) in one
 * read request, or served by the refresh's answers (remote_cache.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "remote_int.h"
#include "root_int.h"

#define REMOTE_BATCH (12u << 20)   /* data bytes of one vectored request */

struct vbatch {
	const struct vms_root *r;
	struct proto_file f[PROTO_FILES_MAX];
	struct remote_file *rf[PROTO_FILES_MAX];
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
	if (remote_read_call(b->r, &q, &rep, e) < 0)
		return -1;
	for (k = 0; k < b->nf; k++)
		remote_take_handle(b->rf[k], &b->f[k], &rep.files[k]);
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

/* The index of rf among the batch's files, or nf. */
static size_t vb_find(const struct vbatch *b, const struct remote_file *rf)
{
	size_t i;

	for (i = 0; i < b->nf && b->rf[i] != rf; i++)
		;
	return i;
}

/* An iov the file's data or this tick's answers hold: 1, 0, -1. */
static int vb_local(struct root_iov *w, struct vms_err *e)
{
	struct remote_file *rf = (struct remote_file *)w->f;
	const struct vms_root *r = w->f->root;
	char shown[1024];
	int err;

	if (rf->whole || w->off + w->n <= rf->len) {
		ssize_t got = remote_pread(w->f, w->buf, w->n, w->off, e);

		w->got = got > 0 ? (size_t)got : 0;
		return got < 0 ? -1 : 1;
	}
	rcache_note_read(remote_conn_of(r)->cache, w->f->rel, rf->text, w->off, w->n);
	if (!rcache_pread(remote_conn_of(r)->cache, w->f->rel, w->buf, w->n, w->off,
			  &w->got, &err))
		return 0;
	if (!err)
		return 1;
	err_sys(e, err, "reading %s", root_shown(r, w->f->rel, shown, sizeof shown));
	return -1;
}

/* One iov into the batch (flushing first when it would not fit). */
static int vb_add(struct vbatch *b, struct root_iov *v, size_t i,
		  struct vms_err *e)
{
	struct remote_file *rf = (struct remote_file *)v[i].f;
	size_t chunks = (v[i].n + REMOTE_CHUNK - 1) / REMOTE_CHUNK, c, fi;
	uint64_t done;
	ssize_t got;
	int rc;

	v[i].got = 0;
	if ((rc = vb_local(&v[i], e)) != 0)
		return rc < 0 ? -1 : 0;
	if (v[i].n > REMOTE_BATCH) {
		if (vb_flush(b, v, e) < 0)
			return -1;
		do {
			got = remote_fetch(rf, (uint8_t *)v[i].buf + v[i].got,
					   v[i].n - v[i].got, v[i].off + v[i].got, e);
			v[i].got += got > 0 ? (size_t)got : 0;
		} while (got > 0 && v[i].got < v[i].n);
		return got < 0 ? -1 : 0;
	}
	fi = vb_find(b, rf);
	if (b->ng + chunks > b->cap || b->bytes + v[i].n > REMOTE_BATCH ||
	    (fi == b->nf && b->nf == PROTO_FILES_MAX)) {
		if (vb_flush(b, v, e) < 0)
			return -1;
		fi = 0;
	}
	if (fi == b->nf) {
		b->rf[b->nf] = rf;
		b->f[b->nf++] = remote_file_ref(rf);
	}
	for (c = 0, done = 0; c < chunks; c++, done += REMOTE_CHUNK) {
		uint64_t len = v[i].n - done < REMOTE_CHUNK ? v[i].n - done : REMOTE_CHUNK;

		b->g[b->ng] = (struct proto_range){ (uint32_t)fi, (uint32_t)len,
						    v[i].off + done };
		b->owner[b->ng++] = i;
	}
	b->bytes += v[i].n;
	return 0;
}

int remote_vec_preadv(struct root_iov *v, size_t n, struct vms_err *e)
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

