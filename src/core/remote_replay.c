/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote_replay: the start of a tick: what the last ticks read
 * (remote_cache.c noted it) asked of the agent in one round trip. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "remote_int.h"

#define RC_STALE_BYTES (256u << 10)
#define RC_CHUNK (4u << 20)        /* a range of a request */
#define RC_FRAME_BYTES (12u << 20) /* data asked in one read request */

/* One read request being built, and where its ranges' answers go. */
struct rc_frame {
	struct proto_file f[PROTO_FILES_MAX];
	struct rc_entry *fx[PROTO_FILES_MAX];
	struct proto_range *g;
	struct rc_range **to;      /* the want each range answers */
	size_t nf, ng, capg;
	uint64_t bytes;
};

struct rc_plan {
	struct rc_frame *fr;
	size_t nfr, capfr;
	uint16_t *types;
	struct rc_entry **x;       /* the entry of each frame that is no read */
	size_t nreq, capreq;
};

static bool asked(const struct remote_cache *k, const struct rc_entry *x,
		  uint64_t *stale)
{
	uint64_t sz = 0;
	size_t i;

	if (x->used + 1 == k->tick)
		return true;
	for (i = 0; i < x->nwant; i++)
		sz += x->want[i].len;
	if (*stale + sz > RC_STALE_BYTES)
		return false;
	*stale += sz;
	return true;
}

static int plan_req(struct rc_plan *p, uint16_t type, struct rc_entry *x)
{
	if (p->nreq == p->capreq) {
		size_t nc = p->capreq ? p->capreq * 2 : 16;
		uint16_t *nt = realloc(p->types, nc * sizeof *nt);
		struct rc_entry **nx;

		if (nt)
			p->types = nt;
		if (!nt || !(nx = realloc(p->x, nc * sizeof *nx)))
			return -1;
		p->x = nx;
		p->capreq = nc;
	}
	p->types[p->nreq] = type;
	p->x[p->nreq++] = x;
	return 0;
}

/* The read frame x's ranges go into: a new one when the last is full. */
static struct rc_frame *frame_for(struct rc_plan *p, const struct rc_entry *x,
				  size_t chunks, uint64_t bytes)
{
	struct rc_frame *f = p->nfr ? &p->fr[p->nfr - 1] : NULL;

	if (f && f->nf < PROTO_FILES_MAX && f->ng + chunks <= PROTO_RANGES_MAX &&
	    f->bytes + bytes <= RC_FRAME_BYTES)
		return f;
	(void)x;
	if (p->nfr == p->capfr) {
		size_t nc = p->capfr ? p->capfr * 2 : 4;
		struct rc_frame *nf = realloc(p->fr, nc * sizeof *nf);

		if (!nf)
			return NULL;
		p->fr = nf;
		p->capfr = nc;
	}
	f = &p->fr[p->nfr++];
	memset(f, 0, sizeof *f);
	if (plan_req(p, PROTO_READ, NULL) < 0)
		return NULL;
	return f;
}

static int plan_read(struct rc_plan *p, struct rc_entry *x)
{
	size_t chunks = 0, i;
	uint64_t bytes = 0, o;
	struct rc_frame *f;

	for (i = 0; i < x->nwant; i++) {
		chunks += (x->want[i].len + RC_CHUNK - 1) / RC_CHUNK;
		bytes += x->want[i].len;
	}
	if (bytes > RC_FRAME_BYTES || chunks > PROTO_RANGES_MAX ||
	    strlen(x->path) > PROTO_PATH_MAX)
		return 0;   /* too big to replay: read as it comes */
	if (!(f = frame_for(p, x, chunks, bytes)))
		return -1;
	if (f->ng + chunks > f->capg) {
		size_t nc = (f->ng + chunks) * 2;
		struct proto_range *ng = realloc(f->g, nc * sizeof *ng);
		struct rc_range **nt;

		if (ng)
			f->g = ng;
		if (!ng || !(nt = realloc(f->to, nc * sizeof *nt)))
			return -1;
		f->to = nt;
		f->capg = nc;
	}
	f->fx[f->nf] = x;
	f->f[f->nf] = (struct proto_file){ 0, 0, (uint16_t)strlen(x->path), x->path };
	for (i = 0; i < x->nwant; i++)
		for (o = 0; o < x->want[i].len; o += RC_CHUNK) {
			uint64_t len = x->want[i].len - o < RC_CHUNK ? x->want[i].len - o : RC_CHUNK;

			f->g[f->ng] = (struct proto_range){ (uint32_t)f->nf, (uint32_t)len,
							    x->want[i].off + o };
			f->to[f->ng++] = &x->want[i];
		}
	f->nf++;
	f->bytes += bytes;
	return 0;
}

static void plan_free(struct rc_plan *p)
{
	size_t i;

	for (i = 0; i < p->nfr; i++) {
		free(p->fr[i].g);
		free(p->fr[i].to);
	}
	free(p->fr);
	free(p->types);
	free(p->x);
}

/* A read reply's answers into the wants of its entries. */
static int take_read(struct rc_frame *f, const struct remote_reply *rr)
{
	struct proto_read_req q = { f->nf, f->ng, f->f, f->g };
	struct proto_read_reply rep;
	size_t i;

	if (rr->err)
		return 0;   /* refused whole: every read goes to the agent */
	if (proto_dec_read_reply(rr->p, rr->n, &q, &rep) < 0)
		return -1;
	for (i = 0; i < f->nf; i++) {
		f->fx[i]->err = rep.files[i].err;
		f->fx[i]->have = true;
	}
	for (i = 0; i < f->ng; i++) {
		struct rc_range *w = f->to[i];
		const struct proto_range_res *g = &rep.ranges[i];
		uint8_t *nd;

		if (g->err && !w->got)
			w->err = g->err;
		/* a chunk after a short one, or after an error, adds nothing */
		if (g->err || w->err || f->g[i].off - w->off != w->got || !g->len)
			continue;
		if (!(nd = realloc(w->data, w->got + g->len))) {
			w->err = ENOMEM;
			continue;
		}
		memcpy(nd + w->got, g->data, g->len);
		w->data = nd;
		w->got += g->len;
	}
	proto_read_reply_free(&rep);
	return 0;
}

static int take_other(struct rc_entry *x, const struct remote_reply *rr)
{
	struct proto_stat ps;

	if (rr->err)
		return 0;
	if (x->kind == 'S' || x->kind == 'T') {
		if (proto_dec_stat_reply(rr->p, rr->n, &ps) < 0)
			return -1;
		x->err = ps.err;
		x->st = (struct root_stat){ .mode = ps.mode, .ino = ps.ino,
			.dev = ps.dev, .rdev = ps.rdev, .size = ps.size };
	} else if (proto_dec_list_reply(rr->p, rr->n, &x->err, &x->names,
					&x->nnames) < 0) {
		return -1;
	}
	x->have = true;
	return 0;
}

/* The plan's frames into c->ob, the round trip, the answers taken. */
static int replay(struct rc_plan *p, struct remote_conn *c, struct vms_err *e)
{
	struct remote_reply *rep;
	size_t i, fr = 0;
	uint32_t first = remote_begin(c), id = first;
	int rc = 0;

	for (i = 0; i < p->nreq; i++, id = ++c->next_id) {
		if (p->types[i] == PROTO_READ) {
			struct rc_frame *f = &p->fr[fr++];
			struct proto_read_req q = { f->nf, f->ng, f->f, f->g };

			rc |= proto_enc_read(&c->ob, id, &q);
		} else {
			rc |= proto_enc_path(&c->ob, p->types[i], id, p->x[i]->path);
		}
	}
	if (rc < 0 || !(rep = calloc(p->nreq, sizeof *rep))) {
		err_set(e, ENOMEM, "remote: a refresh's requests do not fit");
		return -1;
	}
	if (remote_exchange(c, first, p->types, p->nreq, rep, e) < 0) {
		free(rep);
		return -1;
	}
	for (i = 0, fr = 0; rc == 0 && i < p->nreq; i++)
		rc = p->types[i] == PROTO_READ ? take_read(&p->fr[fr++], &rep[i])
					       : take_other(p->x[i], &rep[i]);
	free(rep);
	if (rc < 0)
		return remote_broken(c, "the agent sent a malformed reply to a refresh", e);
	return 0;
}

int rcache_begin(struct remote_cache *k, struct remote_conn *c,
		 struct vms_err *e)
{
	struct rc_plan p = { 0 };
	uint64_t stale = 0;
	size_t i;
	int rc = 0;

	if (!k || k->on)
		return 0;
	rcache_drop_prefetched(k, NULL);
	k->tick++;
	k->on = true;
	if (c->dead)
		return 0;
	for (i = 0; rc == 0 && i < k->n; i++) {
		struct rc_entry *x = k->e[i];

		if (!asked(k, x, &stale))
			continue;
		if (x->kind == 'P' || x->kind == 'T')
			continue;
		if (x->kind == 'R')
			rc = plan_read(&p, x);
		else if (strlen(x->path) <= PROTO_PATH_MAX)
			rc = plan_req(&p, x->kind == 'S' ? PROTO_STAT : PROTO_LIST, x);
	}
	if (rc < 0)
		err_set(e, ENOMEM, "remote: out of memory for a refresh");
	else if (p.nreq)
		rc = replay(&p, c, e);
	plan_free(&p);
	return rc;
}


/* Up to this much of each prefetched file: the process list's files are
 * a few KiB; the rest of a longer one is read when it is opened. */
#define RC_PREFETCH_LEN (64u << 10)

int rcache_prefetch(struct remote_cache *k, struct remote_conn *c, bool stat,
		    const char *const *rel, size_t n, struct vms_err *e)
{
	struct rc_plan p = { 0 };
	size_t i;
	int rc = 0;

	if (!k || c->dead)
		return 0;
	if (!stat)   /* a new process list: the last one's are stale */
		rcache_drop_prefetched(k, NULL);
	for (i = 0; rc == 0 && i < n; i++) {
		struct rc_entry *x = rcache_add(k, stat ? 'T' : 'P', rel[i]);

		if (stat && x && !x->asked && strlen(rel[i]) <= PROTO_PATH_MAX) {
			x->asked = true;
			rc = plan_req(&p, PROTO_STAT, x);
		}
		if (stat || !x || x->nwant)
			continue;   /* out of memory, or asked already */
		if (!(x->want = calloc(1, sizeof *x->want))) {
			rc = -1;
			break;
		}
		x->capwant = x->nwant = 1;
		x->want[0] = (struct rc_range){ .off = 0, .len = RC_PREFETCH_LEN };
		rc = plan_read(&p, x);
	}
	if (rc < 0)
		err_set(e, ENOMEM, "remote: out of memory for a prefetch");
	else if (p.nreq)
		rc = replay(&p, c, e);
	plan_free(&p);
	return rc;
}
