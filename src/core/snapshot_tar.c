/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot_tar: a snapshot directory packed into one tar file, through
 * the tarfmt writer: the conf and the files list first, then everything
 * in name order; sparse files by the capture's hints of where their data
 * lies, else by the filesystem's holes and 512-byte blocks of zeros.
 * Reading a tar is the tar backend's (root_tar.c): nothing is
 * extracted. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/root.h"
#include "vmscope/snapshot.h"
#include "vmscope/tarfmt.h"
#include "snapshot_int.h"

#define BLK TARFMT_BLOCK
#define SCANBUF (64 * 1024)
#define MAX_DEPTH 32

int snap_clean_name(char *name)
{
	return tarfmt_clean_name(name);
}

struct regions {
	struct tarfmt_region *r;
	size_t n, cap;
};

/* Add [off, off + len), merged with the previous region when they
 * touch. */
static int reg_add(struct regions *g, uint64_t off, uint64_t len)
{
	if (g->n && g->r[g->n - 1].off + g->r[g->n - 1].len >= off) {
		struct tarfmt_region *p = &g->r[g->n - 1];

		if (off + len > p->off + p->len)
			p->len = off + len - p->off;
		return 0;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;
		struct tarfmt_region *nr = realloc(g->r, cap * sizeof *nr);

		if (!nr)
			return -1;
		g->r = nr;
		g->cap = cap;
	}
	g->r[g->n].off = off;
	g->r[g->n].len = len;
	g->n++;
	return 0;
}

static bool block_zero(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static ssize_t pread_retry(int fd, void *buf, size_t n, uint64_t off)
{
	ssize_t got;

	do
		got = pread(fd, buf, n, (off_t)off);
	while (got < 0 && errno == EINTR);
	return got;
}

/* The blocks of [at, h) of fd that are not all zeros, into g. */
static int scan_data(int fd, uint64_t at, uint64_t h, struct regions *g,
		     char *buf)
{
	while (at < h) {
		size_t want = h - at < SCANBUF ? (size_t)(h - at) : SCANBUF, k;
		ssize_t got = pread_retry(fd, buf, want, at);

		if (got <= 0)
			return -1;
		for (k = 0; k < (size_t)got; k += BLK) {
			size_t bl = (size_t)got - k < BLK ? (size_t)got - k : BLK;

			if (!block_zero(buf + k, bl) && reg_add(g, at + k, bl) < 0)
				return -1;
		}
		at += (uint64_t)got;
	}
	return 0;
}

/* Where the file holds data: from the filesystem (SEEK_DATA/SEEK_HOLE),
 * refined to leave out blocks of zeros. */
static int scan_regions(int fd, uint64_t size, struct regions *g, char *buf)
{
	uint64_t pos = 0;

	while (pos < size) {
		off_t d = lseek(fd, (off_t)pos, SEEK_DATA), h;

		if (d < 0) {
			if (errno == ENXIO)
				break;          /* a hole to the end */
			d = (off_t)pos;         /* no SEEK_DATA: all data */
			h = (off_t)size;
		} else {
			h = lseek(fd, d, SEEK_HOLE);
			if (h < 0 || (uint64_t)h > size)
				h = (off_t)size;
		}
		if (scan_data(fd, (uint64_t)d - (uint64_t)d % BLK, (uint64_t)h, g,
			      buf) < 0)
			return -1;
		pos = (uint64_t)h;
	}
	return 0;
}

static const struct snap_hint *hint_find(const struct snap_hint *h, size_t n,
					 const char *path)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(h[mid].path, path);

		if (c == 0)
			return &h[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct pack {
	struct tarfmt_writer *w;
	struct vms_err *e;
	const struct snap_hint *hints;
	size_t nhints;
	char *buf;    /* SCANBUF bytes */
};

static ssize_t read_fd(void *ctx, void *buf, size_t n, uint64_t off)
{
	return pread_retry(*(int *)ctx, buf, n, off);
}

/* Where rel (open on fd, size bytes) holds data: its hint, else a scan. */
static int file_regions(struct pack *p, int fd, const char *rel,
			uint64_t size, struct regions *g)
{
	const struct snap_hint *h = hint_find(p->hints, p->nhints, rel);
	size_t i;

	if (!h) {
		if (scan_regions(fd, size, g, p->buf) == 0)
			return 0;
		err_sys(p->e, errno ? errno : EIO, "reading %s for the tar file", rel);
		return -1;
	}
	for (i = 0; i < h->n; i++)
		if (reg_add(g, h->r[i].off, h->r[i].len) < 0) {
			err_sys(p->e, ENOMEM, "tar entry %s", rel);
			return -1;
		}
	return 0;
}

static int pack_file(struct pack *p, int dirfd, const char *name,
		     const char *rel)
{
	struct regions g = { 0 };
	struct stat st;
	int fd, rc = -1;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		err_sys(p->e, errno, "reading %s for the tar file", rel);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (file_regions(p, fd, rel, (uint64_t)st.st_size, &g) == 0)
		rc = tarfmt_write_sparse(p->w, rel, (uint64_t)st.st_size, g.r, g.n,
					 read_fd, &fd);
	free(g.r);
	close(fd);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_free(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

/* The names in directory fd (prefix: its path in the archive, "" at the
 * top, where the conf and the files list are left out: they go first),
 * sorted. */
static int dir_names(struct pack *p, int fd, const char *prefix,
		     char ***names, size_t *n)
{
	size_t cap = 0;
	struct dirent *d;
	DIR *dir;
	int dfd = dup(fd);

	*names = NULL;
	*n = 0;
	if (dfd < 0 || !(dir = fdopendir(dfd))) {
		err_sys(p->e, errno, "listing %s for the tar file",
			prefix[0] ? prefix : ".");
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	while ((d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (!prefix[0] && (!strcmp(d->d_name, ROOT_CONF_NAME) ||
				   !strcmp(d->d_name, SNAPSHOT_FILES_NAME)))
			continue;
		if (*n == cap) {
			char **nn = realloc(*names, (cap = cap ? cap * 2 : 32) * sizeof *nn);

			if (!nn)
				goto nomem;
			*names = nn;
		}
		if (!((*names)[*n] = strdup(d->d_name)))
			goto nomem;
		(*n)++;
	}
	closedir(dir);
	if (*n)
		qsort(*names, *n, sizeof **names, cmp_str);
	return 0;
nomem:
	closedir(dir);
	names_free(*names, *n);
	*names = NULL;
	*n = 0;
	err_sys(p->e, ENOMEM, "listing %s", prefix);
	return -1;
}

static int pack_dir(struct pack *p, int fd, const char *prefix, int depth);

/* The subdirectory name of fd, rel in the archive, and what it holds. */
static int pack_subdir(struct pack *p, int fd, const char *name,
		       const char *rel, int depth)
{
	char sub_prefix[PATH_MAX];
	int sub, rc;

	if (depth >= MAX_DEPTH)
		return 0;
	if (tarfmt_write_dir(p->w, rel) < 0)
		return -1;
	sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0) {
		err_sys(p->e, errno, "reading %s/ for the tar file", rel);
		return -1;
	}
	snprintf(sub_prefix, sizeof sub_prefix, "%s/", rel);
	rc = pack_dir(p, sub, sub_prefix, depth + 1);
	close(sub);
	return rc;
}

/* Pack the directory fd (whose path in the archive is prefix, "" at the
 * top), its entries in name order. */
static int pack_dir(struct pack *p, int fd, const char *prefix, int depth)
{
	char **names, rel[PATH_MAX];
	size_t n, i;
	int rc = 0;

	if (dir_names(p, fd, prefix, &names, &n) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		struct stat st;
		int l = snprintf(rel, sizeof rel, "%s%s", prefix, names[i]);

		if (l < 0 || (size_t)l + 2 >= sizeof rel) {
			err_set(p->e, ENAMETOOLONG, "%s%s: name too long", prefix,
				names[i]);
			rc = -1;
		} else if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			err_sys(p->e, errno, "reading %s for the tar file", rel);
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = pack_subdir(p, fd, names[i], rel, depth);
		} else if (S_ISREG(st.st_mode)) {
			rc = pack_file(p, fd, names[i], rel);
		}
		/* anything else is not part of a snapshot: left out */
	}
	names_free(names, n);
	return rc;
}

int snap_tar_pack(int dirfd, int outfd, int64_t mtime,
		  const struct snap_hint *hints, size_t nhints,
		  struct vms_err *e)
{
	static const char *const first[] = { ROOT_CONF_NAME, SNAPSHOT_FILES_NAME };
	struct pack p = { .e = e, .hints = hints, .nhints = nhints };
	size_t i;
	int rc = -1;

	p.buf = malloc(SCANBUF);
	p.w = tarfmt_write_begin(outfd, mtime, e);
	if (!p.buf || !p.w) {
		if (!p.buf)
			err_sys(e, ENOMEM, "tar buffers");
		goto out;
	}
	for (i = 0; i < 2; i++)
		if (faccessat(dirfd, first[i], F_OK, 0) == 0 &&
		    pack_file(&p, dirfd, first[i], first[i]) < 0)
			goto out;
	if (pack_dir(&p, dirfd, "", 0) < 0)
		goto out;
	rc = tarfmt_write_end(p.w);
	p.w = NULL;
out:
	tarfmt_write_free(p.w);
	free(p.buf);
	return rc;
}

int snapshot_tar_pack(int dirfd, int outfd, int64_t mtime, struct vms_err *e)
{
	return snap_tar_pack(dirfd, outfd, mtime, NULL, 0, e);
}
