/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tarfmt_write: an archive as a stream, in the GNU format: long names as
 * '././@LongLink' members, sizes past the octal fields in base-256, and
 * sparse files as old-GNU 'S' members whose map lists the regions that
 * hold data (each stored in whole blocks), so GNU tar extracts them
 * sparse too. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vmscope/tarfmt.h"
#include "tarfmt_int.h"

#define BLK TARFMT_BLOCK
#define WBUF (64 * 1024)
#define RECORD (20 * BLK)      /* tar's default record: 10 KiB */

struct tarfmt_writer {
	int fd;
	int64_t mtime;
	char *buf;            /* output, WBUF bytes */
	size_t n;
	char *in;             /* a file's data, WBUF bytes */
	uint64_t total;       /* bytes put so far */
	struct vms_err *e;
	bool failed;
};

static int tw_flush(struct tarfmt_writer *w)
{
	size_t done = 0;

	if (w->failed)
		return -1;
	while (done < w->n) {
		ssize_t k = write(w->fd, w->buf + done, w->n - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			err_sys(w->e, k < 0 ? errno : EIO, "writing the tar file");
			w->failed = true;
			return -1;
		}
		done += (size_t)k;
	}
	w->n = 0;
	return 0;
}

static int tw_put(struct tarfmt_writer *w, const void *p, size_t len)
{
	const char *s = p;

	while (len) {
		size_t k = WBUF - w->n;

		if (k > len)
			k = len;
		memcpy(w->buf + w->n, s, k);
		w->n += k;
		w->total += k;
		s += k;
		len -= k;
		if (w->n == WBUF && tw_flush(w) < 0)
			return -1;
	}
	return w->failed ? -1 : 0;
}

static int tw_pad(struct tarfmt_writer *w, uint64_t size)
{
	static const char zero[BLK];
	size_t r = (size_t)(size % BLK);

	return r ? tw_put(w, zero, BLK - r) : 0;
}

static void slot_put(char *p, const struct tarfmt_region *r)
{
	tarfmt_put_num(p, 12, r->off);
	tarfmt_put_num(p + 12, 12, r->len);
}

/* The extension blocks of a sparse map past the header's four slots. */
static int tw_sparse_ext(struct tarfmt_writer *w,
			 const struct tarfmt_region *sp, size_t nsp)
{
	size_t i, k;

	for (i = TH_SPARSE_SLOTS; i < nsp; i += TH_EXT_SLOTS) {
		unsigned char x[BLK];

		memset(x, 0, sizeof x);
		for (k = 0; k < TH_EXT_SLOTS && i + k < nsp; k++)
			slot_put((char *)x + k * 24, &sp[i + k]);
		x[TH_EXT_ISEXT] = i + TH_EXT_SLOTS < nsp;
		if (tw_put(w, x, BLK) < 0)
			return -1;
	}
	return 0;
}

/* One header (after a GNU long-name member when name does not fit);
 * for type 'S', the map sp and the file's size realsize. */
static int tw_header(struct tarfmt_writer *w, const char *name, char type,
		     unsigned mode, uint64_t size,
		     const struct tarfmt_region *sp, size_t nsp,
		     uint64_t realsize)
{
	unsigned char h[BLK];
	size_t len = strlen(name), i;

	if (len > 100) {
		if (tw_header(w, "././@LongLink", 'L', 0600, len + 1, NULL, 0, 0) < 0 ||
		    tw_put(w, name, len + 1) < 0 || tw_pad(w, len + 1) < 0)
			return -1;
		len = 100;
	}
	memset(h, 0, sizeof h);
	memcpy(h, name, len);
	tarfmt_put_num((char *)h + TH_MODE, 8, mode);
	tarfmt_put_num((char *)h + TH_UID, 8, 0);
	tarfmt_put_num((char *)h + TH_GID, 8, 0);
	tarfmt_put_num((char *)h + TH_SIZE, 12, size);
	tarfmt_put_num((char *)h + TH_MTIME, 12, w->mtime > 0 ? (uint64_t)w->mtime : 0);
	h[TH_TYPE] = (unsigned char)type;
	memcpy(h + TH_MAGIC, "ustar  ", 8);   /* GNU magic and version */
	memcpy(h + TH_UNAME, "root", 4);
	memcpy(h + TH_GNAME, "root", 4);
	if (type == 'S') {
		for (i = 0; i < nsp && i < TH_SPARSE_SLOTS; i++)
			slot_put((char *)h + TH_SPARSE + i * 24, &sp[i]);
		h[TH_ISEXT] = nsp > TH_SPARSE_SLOTS;
		tarfmt_put_num((char *)h + TH_REALSIZE, 12, realsize);
	}
	snprintf((char *)h + TH_CHKSUM, 8, "%06o", tarfmt_header_sum(h, NULL));
	h[TH_CHKSUM + 7] = ' ';
	if (tw_put(w, h, BLK) < 0)
		return -1;
	return type == 'S' ? tw_sparse_ext(w, sp, nsp) : 0;
}

/* Copy [off, off + len) of the file through rd into the archive. */
static int tw_copy(struct tarfmt_writer *w, const char *name, uint64_t off,
		   uint64_t len, tarfmt_read_fn rd, void *ctx)
{
	uint64_t end = off + len;
	char shown[512];

	while (off < end) {
		size_t want = end - off < WBUF ? (size_t)(end - off) : WBUF;
		ssize_t got = rd(ctx, w->in, want, off);

		if (got <= 0 || (size_t)got > want) {
			err_sys(w->e, got < 0 ? errno : EIO,
				"reading %s for the tar file%s",
				tarfmt_shown(name, shown, sizeof shown),
				got == 0 ? ": it shrank while being written" : "");
			w->failed = true;
			return -1;
		}
		if (tw_put(w, w->in, (size_t)got) < 0)
			return -1;
		off += (uint64_t)got;
	}
	return 0;
}

struct tarfmt_writer *tarfmt_write_begin(int fd, int64_t mtime,
					 struct vms_err *e)
{
	struct tarfmt_writer *w = calloc(1, sizeof *w);

	if (w) {
		w->buf = malloc(WBUF);
		w->in = malloc(WBUF);
	}
	if (!w || !w->buf || !w->in) {
		err_sys(e, ENOMEM, "tar buffers");
		tarfmt_write_free(w);
		return NULL;
	}
	w->fd = fd;
	w->mtime = mtime;
	w->e = e;
	return w;
}

void tarfmt_write_free(struct tarfmt_writer *w)
{
	if (!w)
		return;
	free(w->buf);
	free(w->in);
	free(w);
}

int tarfmt_write_dir(struct tarfmt_writer *w, const char *name)
{
	size_t len = strlen(name);
	char *d = malloc(len + 2);
	int rc;

	if (!d) {
		err_sys(w->e, ENOMEM, "tar member");
		return -1;
	}
	memcpy(d, name, len);
	d[len] = '/';
	d[len + 1] = '\0';
	rc = tw_header(w, d, '5', 0700, 0, NULL, 0, 0);
	free(d);
	return rc;
}

int tarfmt_write_file(struct tarfmt_writer *w, const char *name,
		      uint64_t size, tarfmt_read_fn rd, void *ctx)
{
	if (tw_header(w, name, '0', 0600, size, NULL, 0, 0) < 0 ||
	    tw_copy(w, name, 0, size, rd, ctx) < 0)
		return -1;
	return tw_pad(w, size);
}

/* The regions r rounded out to whole blocks (clamped to size), touching
 * ones merged, and a last empty region at size when the file ends in a
 * hole (it makes GNU tar extend the file over it).  *n regions, malloc'd,
 * or NULL. */
static struct tarfmt_region *regions_blocks(const struct tarfmt_region *r,
					    size_t nr, uint64_t size, size_t *n)
{
	struct tarfmt_region *g = malloc((nr + 1) * sizeof *g);
	size_t i;

	errno = ENOMEM;
	*n = 0;
	for (i = 0; g && i < nr; i++) {
		uint64_t s = r[i].off - r[i].off % BLK, end = r[i].off + r[i].len;

		if (end < r[i].off || (i && r[i].off < r[i - 1].off + r[i - 1].len)) {
			free(g);
			errno = EINVAL;
			return NULL;
		}
		end = end % BLK ? end + (BLK - end % BLK) : end;
		if (end > size)
			end = size;
		if (end <= s)
			continue;
		if (*n && g[*n - 1].off + g[*n - 1].len >= s) {
			if (end > g[*n - 1].off + g[*n - 1].len)
				g[*n - 1].len = end - g[*n - 1].off;
			continue;
		}
		g[*n].off = s;
		g[(*n)++].len = end - s;
	}
	if (g && (!*n || g[*n - 1].off + g[*n - 1].len < size)) {
		g[*n].off = size;
		g[(*n)++].len = 0;
	}
	return g;
}

int tarfmt_write_sparse(struct tarfmt_writer *w, const char *name,
			uint64_t size, const struct tarfmt_region *r,
			size_t nr, tarfmt_read_fn rd, void *ctx)
{
	struct tarfmt_region *g;
	uint64_t stored = 0;
	size_t n, i;
	int rc = -1;

	if (!(g = regions_blocks(r, nr, size, &n))) {
		char shown[512];

		err_sys(w->e, errno, "tar member %s%s",
			tarfmt_shown(name, shown, sizeof shown),
			errno == EINVAL ? ": its regions overlap or are out of order" : "");
		return -1;
	}
	for (i = 0; i < n; i++)
		stored += g[i].len;
	if (size == 0 || (n == 1 && g[0].len == size)) {
		free(g);
		return tarfmt_write_file(w, name, size, rd, ctx);
	}
	if (tw_header(w, name, 'S', 0600, stored, g, n, size) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (tw_copy(w, name, g[i].off, g[i].len, rd, ctx) < 0)
			goto out;
	rc = tw_pad(w, stored);
out:
	free(g);
	return rc;
}

int tarfmt_write_end(struct tarfmt_writer *w)
{
	static const char zero[2 * BLK];
	int rc = -1;

	if (tw_put(w, zero, sizeof zero) < 0)
		goto out;
	while (w->total % RECORD)
		if (tw_put(w, zero, BLK) < 0)
			goto out;
	rc = tw_flush(w);
out:
	tarfmt_write_free(w);
	return rc;
}
