/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root_tap: a root that reads through another and records what it read
 * into a directory (see root_tap.h).  Capture is the readers of the
 * screens run on a tap over the live root. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/root_tap.h"
#include "vmscope/snapshot.h"
#include "root_int.h"
#include "snapshot_int.h"

#define TAP_HOLE 512          /* zero runs this long (aligned) are holes */

struct rec {
	char *path;
	uint64_t size;            /* as far as was read, or the end met */
	struct tap_region *r;
	size_t n, cap;
	struct root_recfile *rf;  /* what was read, what was bad */
	uint64_t limit;           /* the output holds nothing from here */
	bool end_known;           /* a read met the end at size */
};

struct srec {
	char *path;
	struct root_stat st;
};

struct tap {
	const struct vms_root *inner;
	int outfd;
	struct rec **recs;        /* open addressing by path; each rec stays
				   * where it is, as open files point to it */
	size_t nrecs, cap;
	struct srec *stats;
	size_t nstats, scap;
	struct tap_file *view;    /* root_tap_files' answer */
	struct vms_err err;       /* first output error; code 0 if none */
};

struct tap_fh {
	struct root_file base;
	struct root_file *in;
	int out;
	struct rec *rec;
};

static struct tap *tap_of(const struct vms_root *r)
{
	return r->ctx;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static int recs_grow(struct tap *t)
{
	size_t nc = t->cap ? t->cap * 2 : 1024, i;
	struct rec **nr = calloc(nc, sizeof *nr);

	if (!nr)
		return -1;
	for (i = 0; i < t->cap; i++) {
		size_t j;

		if (!t->recs[i])
			continue;
		for (j = hash_str(t->recs[i]->path) & (nc - 1); nr[j];
		     j = (j + 1) & (nc - 1))
			;
		nr[j] = t->recs[i];
	}
	free(t->recs);
	t->recs = nr;
	t->cap = nc;
	return 0;
}

static struct rec *rec_new(const char *path)
{
	struct rec *rc = calloc(1, sizeof *rc);

	if (rc && !(rc->path = strdup(path))) {
		free(rc);
		rc = NULL;
	}
	if (rc)
		rc->limit = TAP_MAX_SIZE;
	return rc;
}

static void rec_free(struct rec *rc)
{
	if (rc) {
		free(rc->path);
		free(rc->r);
		root_recorded_drop(rc->rf);
		free(rc);
	}
}

/* Put rc in the table (it is not there). */
static int rec_put(struct tap *t, struct rec *rc)
{
	size_t i;

	if ((t->nrecs + 1) * 4 > t->cap * 3 && recs_grow(t) < 0)
		return -1;
	for (i = hash_str(rc->path) & (t->cap - 1); t->recs[i];
	     i = (i + 1) & (t->cap - 1))
		;
	t->recs[i] = rc;
	t->nrecs++;
	return 0;
}

/* The record of path, made when create. */
static struct rec *rec_find(struct tap *t, const char *path, bool create)
{
	struct rec *rc;
	size_t i;

	for (i = t->cap ? hash_str(path) & (t->cap - 1) : 0;
	     t->cap && t->recs[i]; i = (i + 1) & (t->cap - 1))
		if (!strcmp(t->recs[i]->path, path))
			return t->recs[i];
	if (!create || !(rc = rec_new(path)))
		return NULL;
	if (rec_put(t, rc) < 0) {
		rec_free(rc);
		return NULL;
	}
	return rc;
}

static void set_error(struct tap *t, int code, const char *what,
		      const char *path)
{
	if (!t->err.code)
		err_sys(&t->err, code, "writing the snapshot: %s %s", what, path);
}

static int rec_add(struct rec *rc, uint64_t off, uint64_t len)
{
	return root_recorded_span_add(&rc->r, &rc->n, &rc->cap, off, len);
}

static bool zero_block(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Write what was read at off to the recording, leaving aligned runs of
 * zeros as holes. */
static void record(struct tap *t, struct tap_fh *h, const char *buf,
		   size_t n, uint64_t off)
{
	size_t i = 0;

	while (i < n) {
		uint64_t at = off + i;
		size_t run = TAP_HOLE - (size_t)(at % TAP_HOLE), j;

		if (run > n - i)
			run = n - i;
		if (zero_block(buf + i, run)) {
			i += run;
			continue;
		}
		/* a data run: up to the next aligned block of zeros */
		for (j = i + run; j < n; ) {
			size_t blk = n - j < TAP_HOLE ? n - j : TAP_HOLE;

			if (blk == TAP_HOLE && zero_block(buf + j, blk))
				break;
			j += blk;
		}
		if (snap_pwrite_all(h->out, buf + i, j - i, at) < 0) {
			if (errno != EFBIG && errno != EINVAL) {
				set_error(t, errno, "recording", h->base.rel);
				return;
			}
			/* kept as bad (the capture notes it): it goes on */
			if (at < h->rec->limit)
				h->rec->limit = at;
			return;
		}
		if (rec_add(h->rec, at, j - i) < 0) {
			set_error(t, ENOMEM, "recording", h->base.rel);
			return;
		}
		i = j;
	}
}

/* Note [off, off+len) of h's file as read (or bad). */
static void note_read(struct tap *t, struct tap_fh *h, bool bad,
		      uint64_t off, uint64_t len)
{
	if (root_recorded_note(&h->rec->rf, bad, off, len) < 0)
		set_error(t, ENOMEM, "recording", h->base.rel);
}

/* Reading a snapshot (a re-capture): only what it recorded is read, entry
 * by entry; where it is older than its list, the entries with data. */
static void note_from_snapshot(struct tap *t, struct tap_fh *h,
			       const char *buf, uint64_t off, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < len; i += 8) {
		uint64_t n = len - i < 8 ? len - i : 8;
		enum root_rec rr = root_recorded(t->inner, h->base.rel, off + i, n);

		if (rr == ROOT_REC_UNKNOWN)
			rr = zero_block(buf + i, (size_t)n) ? ROOT_REC_NO : ROOT_REC_YES;
		if (rr != ROOT_REC_NO)
			note_read(t, h, rr == ROOT_REC_BAD, off + i, n);
	}
}

static int tap_open(const struct vms_root *r, const char *rel,
		    struct root_file **out, struct vms_err *e)
{
	struct tap *t = tap_of(r);
	struct tap_fh *h = calloc(1, sizeof *h);

	if (!h) {
		err_sys(e, ENOMEM, "opening %s", rel);
		return -1;
	}
	h->out = -1;
	h->in = root_fopen(t->inner, rel, e);
	if (!h->in) {
		free(h);
		return -1;
	}
	h->rec = rec_find(t, rel, true);
	if (!h->rec || snap_mkdirs(t->outfd, rel, false) < 0 ||
	    (h->out = openat(t->outfd, rel, O_WRONLY | O_CREAT | O_CLOEXEC |
			     O_NOFOLLOW, 0600)) < 0)
		set_error(t, h->rec ? errno : ENOMEM, "creating", rel);
	*out = &h->base;
	return 0;
}

static ssize_t tap_pread(struct root_file *f, void *buf, size_t n,
			 uint64_t off, struct vms_err *e)
{
	struct tap_fh *h = (struct tap_fh *)f;
	struct tap *t = tap_of(f->root);
	ssize_t got = h->in->ops->pread(h->in, buf, n, off, e);
	uint64_t end = off + (got > 0 ? (uint64_t)got : 0), keep;

	if (h->out < 0)
		return got;
	if (got < 0) {
		note_read(t, h, true, off, n);   /* a read error, kept as bad */
		return got;
	}
	if (got > 0 && off < h->rec->limit)
		record(t, h, buf, (size_t)(end < h->rec->limit ? (uint64_t)got :
					   h->rec->limit - off), off);
	/* what the output could not hold is bad; the rest, and where the
	 * file had nothing (past its end), was read */
	keep = end < h->rec->limit ? end : h->rec->limit > off ? h->rec->limit : off;
	if (t->inner->nrecfiles || t->inner->rec_unknown)
		note_from_snapshot(t, h, buf, off, keep - off);
	else
		note_read(t, h, false, off, keep - off);
	note_read(t, h, true, keep, end - keep);
	if ((size_t)got < n) {
		/* nothing there: read, unless a snapshot did not record it */
		enum root_rec rr = t->inner->nrecfiles || t->inner->rec_unknown ?
			root_recorded(t->inner, f->rel, end, n - (size_t)got) :
			ROOT_REC_YES;

		if (rr == ROOT_REC_YES || rr == ROOT_REC_BAD)
			note_read(t, h, rr == ROOT_REC_BAD, end, n - (size_t)got);
	}
	/* the recording grows with what was read, never with a read that
	 * found nothing: the binary search for the end of pagemap reads past
	 * it, and the recorded file must end where the source's does */
	if (got > 0 && keep > h->rec->size && keep <= h->rec->limit)
		h->rec->size = keep;
	if ((got > 0 && (size_t)got < n && keep == end) ||
	    (got == 0 && off == h->rec->size))
		h->rec->end_known = true;   /* the end, met exactly */
	else if (got == 0 && off < h->rec->size) {
		/* read again and found shorter: the end is here now.  (An
		 * end met beyond what was read, as pagemap's above the task
		 * size, leaves the size alone: it ends there too.) */
		h->rec->size = off;
		h->rec->end_known = true;
	}
	return got;
}

static void tap_close(struct root_file *f)
{
	struct tap_fh *h = (struct tap_fh *)f;

	root_fclose(h->in);
	if (h->out >= 0) {
		/* the recording's length is what was read */
		if (ftruncate(h->out, (off_t)h->rec->size) < 0)
			set_error(tap_of(f->root), errno, "sizing", f->rel);
		close(h->out);
	}
	free(h);
}

static int stat_put(struct tap *t, const char *rel, const struct root_stat *st)
{
	size_t i;

	if (strchr(rel, '\n'))
		return 0;   /* ROOT_STAT_NAME is one line a path */
	for (i = t->nstats; i-- > 0;)
		if (!strcmp(t->stats[i].path, rel)) {
			t->stats[i].st = *st;
			return 0;
		}
	if (t->nstats == t->scap) {
		size_t nc = t->scap ? t->scap * 2 : 256;
		struct srec *ns = realloc(t->stats, nc * sizeof *ns);

		if (!ns)
			return -1;
		t->stats = ns;
		t->scap = nc;
	}
	if (!(t->stats[t->nstats].path = strdup(rel)))
		return -1;
	t->stats[t->nstats++].st = *st;
	return 0;
}

static int tap_stat(const struct vms_root *r, const char *rel,
		    struct root_stat *st, struct vms_err *e)
{
	struct tap *t = tap_of(r);

	if (root_stat(t->inner, rel, st, e) < 0)
		return -1;
	if (stat_put(t, rel, st) < 0)
		set_error(t, ENOMEM, "recording the stat of", rel);
	return 0;
}

static int tap_list(const struct vms_root *r, const char *rel, char ***names,
		    size_t *n, struct vms_err *e)
{
	struct tap *t = tap_of(r);

	if (root_list(t->inner, rel, names, n, e) < 0)
		return -1;
	/* the directory exists in the recording, even if nothing below it
	 * is read (no UIO device: an empty sys/class/uio) */
	if (strcmp(rel, ".") && snap_mkdirs(t->outfd, rel, true) < 0)
		set_error(t, errno, "creating", rel);
	return 0;
}

static int tap_fd(struct root_file *f)
{
	(void)f;
	return -1;  /* plain reads, so that they are recorded */
}

static void tap_destroy(struct vms_root *r)
{
	struct tap *t = tap_of(r);
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->cap; i++)
		rec_free(t->recs[i]);
	for (i = 0; i < t->nstats; i++)
		free(t->stats[i].path);
	free(t->recs);
	free(t->stats);
	free(t->view);
	free(t);
}

static const struct root_ops tap_ops = {
	.name = "tap", .open = tap_open, .pread = tap_pread,
	.close = tap_close, .stat = tap_stat, .list = tap_list, .fd = tap_fd,
	.destroy = tap_destroy,
};

int root_tap_open(struct vms_root *tap, const struct vms_root *inner,
		  int outfd, struct vms_err *e)
{
	struct tap *t = calloc(1, sizeof *t);

	if (!t) {
		err_sys(e, ENOMEM, "recording");
		return -1;
	}
	*tap = *inner;
	tap->stats = NULL;   /* the inner root's records stay its own */
	tap->nstats = 0;
	tap->recfiles = NULL;  /* and what it recorded */
	tap->nrecfiles = 0;
	t->inner = inner;
	t->outfd = outfd;
	tap->ops = &tap_ops;
	tap->ctx = t;
	return 0;
}

int root_tap_error(const struct vms_root *tap, struct vms_err *e)
{
	struct tap *t = tap_of(tap);

	if (!t->err.code)
		return 0;
	if (e)
		*e = t->err;
	return -1;
}

int root_tap_replace(struct vms_root *tap, const char *rel, const char *data,
		     size_t len, struct vms_err *e)
{
	struct tap *t = tap_of(tap);
	struct rec *rc = rec_find(t, rel, false);
	int fd;

	if (!rc)
		return 0;
	fd = openat(t->outfd, rel, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || snap_write_all(fd, data, len) < 0) {
		err_sys(e, errno, "writing the snapshot's %s", rel);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	rc->n = 0;
	rc->size = len;
	root_recorded_drop(rc->rf);   /* written whole */
	rc->rf = NULL;
	if (len && rec_add(rc, 0, len) < 0) {
		err_sys(e, ENOMEM, "recording %s", rel);
		return -1;
	}
	return 0;
}

static bool below(const char *path, const char *top, size_t tl)
{
	return !strncmp(path, top, tl) && (path[tl] == '\0' || path[tl] == '/');
}

void root_tap_forget(struct vms_root *tap, const char *rel)
{
	struct tap *t = tap_of(tap);
	size_t tl = strlen(rel), i, k = 0;
	struct rec **old = t->recs;
	size_t oldcap = t->cap;

	/* rebuild the table without them (open addressing has no delete);
	 * no file is open while a process is forgotten */
	t->recs = NULL;
	t->cap = t->nrecs = 0;
	for (i = 0; i < oldcap; i++) {
		if (!old[i])
			continue;
		if (below(old[i]->path, rel, tl) || rec_put(t, old[i]) < 0)
			rec_free(old[i]);
	}
	free(old);
	for (i = 0; i < t->nstats; i++) {
		if (below(t->stats[i].path, rel, tl))
			free(t->stats[i].path);
		else
			t->stats[k++] = t->stats[i];
	}
	t->nstats = k;
	snapshot_remove_tree(t->outfd, rel);
}

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tap_file *)a)->path,
		      ((const struct tap_file *)b)->path);
}

size_t root_tap_files(struct vms_root *tap, const struct tap_file **files)
{
	struct tap *t = tap_of(tap);
	struct tap_file *v = realloc(t->view, (t->nrecs + 1) * sizeof *v);
	size_t i, n = 0;

	*files = NULL;
	if (!v)
		return 0;
	t->view = v;
	for (i = 0; i < t->cap; i++) {
		struct rec *rc = t->recs[i];

		if (!rc)
			continue;
		root_recorded_span_tidy(rc->r, &rc->n, rc->size);
		root_recorded_tidy(rc->rf);
		v[n++] = (struct tap_file){ rc->path, rc->size, rc->r, rc->n,
					    rc->rf, rc->end_known };
	}
	qsort(v, n, sizeof *v, file_cmp);
	*files = v;
	return n;
}

uint64_t root_tap_bad(struct vms_root *tap, const char *rel, uint64_t *first)
{
	struct rec *rc = rec_find(tap_of(tap), rel, false);

	*first = UINT64_MAX;
	if (!rc)
		return 0;
	root_recorded_tidy(rc->rf);
	return root_recorded_bad(rc->rf, first);
}

static int srec_cmp(const void *a, const void *b)
{
	return strcmp(((const struct srec *)a)->path,
		      ((const struct srec *)b)->path);
}

int root_tap_write_stats(struct vms_root *tap, struct vms_err *e)
{
	struct tap *t = tap_of(tap);
	char line[PATH_MAX + 128];
	size_t i;
	int fd;

	if (t->nstats > 1)
		qsort(t->stats, t->nstats, sizeof *t->stats, srec_cmp);
	fd = openat(t->outfd, ROOT_STAT_NAME, O_WRONLY | O_CREAT | O_TRUNC |
		    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		goto fail;
	for (i = 0; i < t->nstats; i++) {
		const struct root_stat *st = &t->stats[i].st;
		int l = snprintf(line, sizeof line, "%o %llu %llu %llu %llu %s\n",
				 (unsigned)st->mode, (unsigned long long)st->ino,
				 (unsigned long long)st->dev,
				 (unsigned long long)st->rdev,
				 (unsigned long long)st->size, t->stats[i].path);

		if (l > 0 && (size_t)l < sizeof line &&
		    snap_write_all(fd, line, (size_t)l) < 0)
			goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	err_sys(e, errno, "writing the snapshot's %s", ROOT_STAT_NAME);
	if (fd >= 0)
		close(fd);
	return -1;
}
