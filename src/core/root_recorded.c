/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root_recorded: which bytes of a snapshot's files are what the source
 * had.  A capture reads pagemap where the VMAs are and kpage* at the
 * frames its processes map; everything else of those files is a hole
 * that reads as zeros, and zeros are also what the tap leaves of a run
 * of zeros it did read.  So the tap lists what it read of every file it
 * did not read whole, in ROOT_RANGES_NAME:
 *
 *     # comment
 *     file END PATH     END (hex) where a read met the file's end, "-"
 *                       when no read did
 *     read START LEN    (hex) bytes that were read
 *     bad START LEN     bytes whose read failed, or that the snapshot
 *                       could not hold (an offset past the largest file)
 *
 * The "read" and "bad" lines of a file follow its "file" line, sorted. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include "vmscope/root.h"
#include "vmscope/root_tap.h"
#include "vmscope/snapshot.h"
#include "root_int.h"
#include "snapshot_int.h"

struct root_recfile {
	char *path;
	bool end_known;
	uint64_t end;
	struct tap_region *read, *bad;
	size_t nread, nbad, readcap, badcap;
};

static int recfile_cmp(const void *a, const void *b)
{
	return strcmp(((const struct root_recfile *)a)->path,
		      ((const struct root_recfile *)b)->path);
}

static int key_cmp(const void *key, const void *b)
{
	return strcmp(key, ((const struct root_recfile *)b)->path);
}

/* The span of v (sorted, not overlapping) that holds off, or NULL. */
static const struct tap_region *span_at(const struct tap_region *v, size_t n,
				       uint64_t off)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (off < v[mid].off)
			hi = mid;
		else if (off - v[mid].off >= v[mid].len)
			lo = mid + 1;
		else
			return &v[mid];
	}
	return NULL;
}

/* Whether a span of v overlaps [off, off+len). */
static bool spans_touch(const struct tap_region *v, size_t n, uint64_t off,
			uint64_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].off < off + len && off < v[i].off + v[i].len)
			return true;
	return false;
}

enum root_rec root_recorded(const struct vms_root *r, const char *rel,
			    uint64_t off, uint64_t len)
{
	const struct root_recfile *f;
	uint64_t at = off, end = off + (len ? len : 1);

	f = r->nrecfiles ? bsearch(rel, r->recfiles, r->nrecfiles,
				   sizeof *r->recfiles, key_cmp) : NULL;
	if (!f)
		return r->rec_unknown ? ROOT_REC_UNKNOWN : ROOT_REC_YES;
	while (at < end) {
		const struct tap_region *s = span_at(f->read, f->nread, at);

		if (!s)
			break;
		at = s->off + s->len;
	}
	if (at >= end)
		return ROOT_REC_YES;
	if (f->nbad && spans_touch(f->bad, f->nbad, at, end - at))
		return ROOT_REC_BAD;
	return f->end_known && at >= f->end ? ROOT_REC_YES : ROOT_REC_NO;
}

void root_recorded_free(struct vms_root *r)
{
	size_t i;

	for (i = 0; i < r->nrecfiles; i++) {
		free(r->recfiles[i].path);
		free(r->recfiles[i].read);
		free(r->recfiles[i].bad);
	}
	free(r->recfiles);
	r->recfiles = NULL;
	r->nrecfiles = 0;
	r->rec_unknown = false;
}

int root_recorded_span_add(struct tap_region **v, size_t *n, size_t *cap,
			   uint64_t off, uint64_t len)
{
	struct tap_region *last = *n ? &(*v)[*n - 1] : NULL;

	if (last && off >= last->off && off <= last->off + last->len) {
		if (off + len > last->off + last->len)
			last->len = off + len - last->off;
		return 0;
	}
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct tap_region *nv = realloc(*v, nc * sizeof *nv);

		if (!nv)
			return -1;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = (struct tap_region){ off, len };
	return 0;
}

static int file_put(struct vms_root *r, size_t *cap, const char *end,
		    const char *path)
{
	struct root_recfile *f;

	if (r->nrecfiles == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct root_recfile *nf = realloc(r->recfiles, nc * sizeof *nf);

		if (!nf)
			return -1;
		r->recfiles = nf;
		*cap = nc;
	}
	f = &r->recfiles[r->nrecfiles];
	memset(f, 0, sizeof *f);
	f->end_known = strcmp(end, "-") != 0;
	f->end = f->end_known ? strtoull(end, NULL, 16) : 0;
	if (!(f->path = strdup(path)))
		return -1;
	r->nrecfiles++;
	return 0;
}

/* One line of ROOT_RANGES_NAME: 0, -1 out of memory, -2 malformed. */
static int parse_line(struct vms_root *r, size_t *cap, char *line)
{
	unsigned long long a, b;
	char end[24];
	int off = 0;
	struct root_recfile *f = r->nrecfiles ? &r->recfiles[r->nrecfiles - 1]
					      : NULL;

	if (line[0] == '#' || line[0] == '\0')
		return 0;
	if (sscanf(line, "file %23s %n", end, &off) == 1 && off > 0 && line[off])
		return file_put(r, cap, end, line + off) < 0 ? -1 : 0;
	if (!f || sscanf(line, "%*s %llx %llx", &a, &b) != 2 || a + b < a)
		return -2;
	if (!strncmp(line, "read ", 5))
		return root_recorded_span_add(&f->read, &f->nread, &f->readcap, a, b);
	if (!strncmp(line, "bad ", 4))
		return root_recorded_span_add(&f->bad, &f->nbad, &f->badcap, a, b);
	return -2;
}

static int parse(struct vms_root *r, char *text, struct vms_err *e)
{
	char *line, *save = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int rc;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		rc = parse_line(r, &cap, line);
		if (rc == -1) {
			err_sys(e, ENOMEM, "reading %s", ROOT_RANGES_NAME);
			return -1;
		}
		if (rc < 0) {
			err_set(e, VMS_EFORMAT, "%s line %u: expected 'file END PATH', 'read START LEN' or 'bad START LEN'",
				ROOT_RANGES_NAME, lineno);
			return -1;
		}
	}
	if (r->nrecfiles > 1)
		qsort(r->recfiles, r->nrecfiles, sizeof *r->recfiles,
		      recfile_cmp);
	return 0;
}

int root_recorded_load(struct vms_root *r, struct vms_err *e)
{
	char *text;
	size_t len;
	int rc;

	root_recorded_free(r);
	if (r->ops->stat(r, ROOT_RANGES_NAME, &(struct root_stat){ 0 }, NULL) < 0) {
		/* a capture lists its files; a fixture made by hand does not */
		r->rec_unknown = r->ops->stat(r, SNAPSHOT_FILES_NAME,
					      &(struct root_stat){ 0 }, NULL) == 0;
		return 0;
	}
	if (root_read_text(r, ROOT_RANGES_NAME, &text, &len, e) < 0)
		return -1;
	rc = parse(r, text, e);
	free(text);
	if (rc < 0)
		root_recorded_free(r);
	return rc;
}

/* ---- recording (the tap) ---- */

int root_recorded_note(struct root_recfile **rf, bool bad, uint64_t off,
		       uint64_t len)
{
	struct root_recfile *f = *rf;

	if (len == 0)
		return 0;
	if (!f && !(f = *rf = calloc(1, sizeof *f)))
		return -1;
	if (bad)
		return root_recorded_span_add(&f->bad, &f->nbad, &f->badcap,
					      off, len);
	return root_recorded_span_add(&f->read, &f->nread, &f->readcap, off,
				      len);
}

void root_recorded_drop(struct root_recfile *rf)
{
	if (rf) {
		free(rf->path);
		free(rf->read);
		free(rf->bad);
		free(rf);
	}
}

static int span_cmp(const void *a, const void *b)
{
	const struct tap_region *x = a, *y = b;

	return (x->off > y->off) - (x->off < y->off);
}

void root_recorded_span_tidy(struct tap_region *v, size_t *n, uint64_t limit)
{
	size_t i, k = 0;

	if (*n > 1)
		qsort(v, *n, sizeof *v, span_cmp);
	for (i = 0; i < *n; i++) {
		struct tap_region g = v[i];

		if (g.off >= limit)
			break;
		if (g.len > limit - g.off)
			g.len = limit - g.off;
		if (k && g.off <= v[k - 1].off + v[k - 1].len) {
			if (g.off + g.len > v[k - 1].off + v[k - 1].len)
				v[k - 1].len = g.off + g.len - v[k - 1].off;
		} else {
			v[k++] = g;
		}
	}
	*n = k;
}

void root_recorded_tidy(struct root_recfile *rf)
{
	if (!rf)
		return;
	root_recorded_span_tidy(rf->read, &rf->nread, UINT64_MAX);
	root_recorded_span_tidy(rf->bad, &rf->nbad, UINT64_MAX);
}

uint64_t root_recorded_bad(const struct root_recfile *rf, uint64_t *first)
{
	uint64_t sum = 0;
	size_t i;

	*first = UINT64_MAX;
	for (i = 0; rf && i < rf->nbad; i++) {
		sum += rf->bad[i].len;
		if (rf->bad[i].off < *first)
			*first = rf->bad[i].off;
	}
	return sum;
}

/* ---- writing (the tap) ---- */

static int put_spans(int fd, const char *what, const struct tap_region *v,
		     size_t n)
{
	char line[64];
	size_t i;

	for (i = 0; i < n; i++) {
		int l = snprintf(line, sizeof line, "%s %llx %llx\n", what,
				 (unsigned long long)v[i].off,
				 (unsigned long long)v[i].len);

		if (snap_write_all(fd, line, (size_t)l) < 0)
			return -1;
	}
	return 0;
}

/* Whether a file was read whole: [0, size) read, nothing bad (no record:
 * never read, or replaced whole). */
static bool read_whole(const struct tap_file *f)
{
	const struct root_recfile *rf = f->rec;

	return !rf || (rf->nbad == 0 && (f->size == 0 ||
		(rf->nread == 1 && rf->read[0].off == 0 &&
		 rf->read[0].len >= f->size)));
}

int root_recorded_write(int outfd, const struct tap_file *files, size_t n,
			struct vms_err *e)
{
	static const char head[] =
		"# vmscope snapshot: what the capture read of the files it did not read whole\n";
	char line[PATH_MAX + 64];
	size_t i;
	int fd = openat(outfd, ROOT_RANGES_NAME, O_WRONLY | O_CREAT | O_TRUNC |
			O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0 || snap_write_all(fd, head, sizeof head - 1) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		const struct tap_file *f = &files[i];
		int l;

		if (read_whole(f) || strchr(f->path, '\n'))
			continue;
		if (f->end_known)
			l = snprintf(line, sizeof line, "file %llx %s\n",
				     (unsigned long long)f->size, f->path);
		else
			l = snprintf(line, sizeof line, "file - %s\n", f->path);
		if (l < 0 || (size_t)l >= sizeof line)
			continue;
		if (snap_write_all(fd, line, (size_t)l) < 0 ||
		    put_spans(fd, "read", f->rec->read, f->rec->nread) < 0 ||
		    put_spans(fd, "bad", f->rec->bad, f->rec->nbad) < 0)
			goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	err_sys(e, errno, "writing the snapshot's %s", ROOT_RANGES_NAME);
	if (fd >= 0)
		close(fd);
	return -1;
}
