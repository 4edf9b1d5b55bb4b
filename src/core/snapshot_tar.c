/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot_tar: a snapshot as one tar file.  Written in the GNU format
 * with old-GNU sparse entries (type 'S'), so `tar xf` (GNU tar) extracts
 * the sparse pagemap and kpage* files as sparse files, and read back by
 * extracting into a private directory.  Only regular files and
 * directories exist in a snapshot: the reader refuses links, devices and
 * names that leave the directory. */
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
#include "snapshot_int.h"

#define BLK 512
#define WBUF (64 * 1024)
#define MAX_LONGNAME 4096
#define MAX_PAX (64 * 1024)
#define MAX_DEPTH 32

/* ---- header fields ---- */

/* An unsigned number into a field of w bytes: octal with a NUL when it
 * fits, else GNU base-256 (0x80, then big-endian binary). */
static void put_num(char *f, size_t w, uint64_t v)
{
	if (w - 1 >= 22 || v < (UINT64_C(1) << (3 * (w - 1)))) {
		size_t i = w - 1;

		f[i] = '\0';
		while (i--) {
			f[i] = (char)('0' + (v & 7));
			v >>= 3;
		}
	} else {
		size_t i;

		memset(f, 0, w);
		for (i = w - 1; i >= 1; i--) {
			f[i] = (char)(v & 0xff);
			v >>= 8;
		}
		f[0] = (char)0x80;
	}
}

/* A number field: octal (leading spaces, ended by NUL or space) or
 * base-256.  -1 when malformed or negative. */
static int get_num(const char *f, size_t w, uint64_t *out)
{
	const unsigned char *u = (const unsigned char *)f;
	uint64_t v = 0;
	size_t i = 0;

	if (u[0] == 0x80) {
		for (i = 1; i < w; i++) {
			if (v >> 56)
				return -1;
			v = (v << 8) | u[i];
		}
		*out = v;
		return 0;
	}
	if (u[0] & 0x80)
		return -1;   /* negative base-256 */
	while (i < w && f[i] == ' ')
		i++;
	for (; i < w && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 61)
			return -1;
		v = v * 8 + (uint64_t)(f[i] - '0');
	}
	if (i < w && f[i] != '\0' && f[i] != ' ')
		return -1;
	*out = v;
	return 0;
}

static unsigned header_sum(const unsigned char *h, int *ssum)
{
	unsigned s = 0;
	int ss = 0, i;

	for (i = 0; i < BLK; i++) {
		unsigned char ch = (i >= 148 && i < 156) ? ' ' : h[i];

		s += ch;
		ss += (signed char)ch;
	}
	if (ssum)
		*ssum = ss;
	return s;
}

/* ---- writing ---- */

struct tw {
	int fd;
	char *buf;
	size_t n;
	uint64_t total;       /* bytes put so far */
	struct vms_err *e;
	int failed;
};

static int tw_flush(struct tw *w)
{
	if (w->failed)
		return -1;
	if (w->n && snap_write_all(w->fd, w->buf, w->n) < 0) {
		err_sys(w->e, errno, "writing the tar file");
		w->failed = 1;
		return -1;
	}
	w->n = 0;
	return 0;
}

static int tw_put(struct tw *w, const void *p, size_t len)
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

static int tw_pad(struct tw *w, uint64_t size)
{
	static const char zero[BLK];
	size_t r = (size_t)(size % BLK);

	return r ? tw_put(w, zero, BLK - r) : 0;
}

static void sparse_put(char *p, const struct snap_region *r)
{
	put_num(p, 12, r->off);
	put_num(p + 12, 12, r->len);
}

/* One header (after a GNU long-name entry when name does not fit). */
static int tw_header(struct tw *w, const char *name, char type,
		     unsigned mode, uint64_t size, int64_t mtime,
		     const struct snap_region *sp, size_t nsp,
		     uint64_t realsize)
{
	unsigned char h[BLK];
	size_t len = strlen(name), i;

	if (len > 100) {
		if (tw_header(w, "././@LongLink", 'L', 0644, len + 1, mtime,
			      NULL, 0, 0) < 0 ||
		    tw_put(w, name, len + 1) < 0 || tw_pad(w, len + 1) < 0)
			return -1;
		len = 100;
	}
	memset(h, 0, sizeof h);
	memcpy(h, name, len);
	put_num((char *)h + 100, 8, mode);
	put_num((char *)h + 108, 8, 0);
	put_num((char *)h + 116, 8, 0);
	put_num((char *)h + 124, 12, size);
	put_num((char *)h + 136, 12, mtime > 0 ? (uint64_t)mtime : 0);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar  ", 8);   /* GNU magic and version */
	memcpy(h + 265, "root", 4);
	memcpy(h + 297, "root", 4);
	if (type == 'S') {
		for (i = 0; i < nsp && i < 4; i++)
			sparse_put((char *)h + 386 + i * 24, &sp[i]);
		h[482] = nsp > 4;
		put_num((char *)h + 483, 12, realsize);
	}
	snprintf((char *)h + 148, 8, "%06o", header_sum(h, NULL));
	h[155] = ' ';
	if (tw_put(w, h, BLK) < 0)
		return -1;
	for (i = 4; i < nsp; i += 21) {
		unsigned char x[BLK];
		size_t k;

		memset(x, 0, sizeof x);
		for (k = 0; k < 21 && i + k < nsp; k++)
			sparse_put((char *)x + k * 24, &sp[i + k]);
		x[504] = i + 21 < nsp;
		if (tw_put(w, x, BLK) < 0)
			return -1;
	}
	return 0;
}

struct regions {
	struct snap_region *r;
	size_t n, cap;
};

/* Add [off, off+len) rounded out to whole blocks (clamped to size),
 * merged with the previous region when they touch: GNU tar gives every
 * region whole blocks of the archive, so they must start on one. */
static int reg_add(struct regions *g, uint64_t off, uint64_t len,
		   uint64_t size)
{
	uint64_t s = off - off % BLK, end = off + len;

	end = end % BLK ? end + (BLK - end % BLK) : end;
	if (end > size)
		end = size;
	if (end <= s)
		return 0;
	if (g->n && g->r[g->n - 1].off + g->r[g->n - 1].len >= s) {
		struct snap_region *p = &g->r[g->n - 1];

		if (end > p->off + p->len)
			p->len = end - p->off;
		return 0;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;
		struct snap_region *nr = realloc(g->r, cap * sizeof *nr);

		if (!nr)
			return -1;
		g->r = nr;
		g->cap = cap;
	}
	g->r[g->n].off = s;
	g->r[g->n].len = end - s;
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

/* Where the file holds data: from the filesystem (SEEK_DATA/SEEK_HOLE),
 * refined to leave out blocks of zeros. */
static int scan_regions(int fd, uint64_t size, struct regions *g, char *buf)
{
	uint64_t pos = 0;

	while (pos < size) {
		off_t d = lseek(fd, (off_t)pos, SEEK_DATA), h;
		uint64_t at;

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
		at = (uint64_t)d - (uint64_t)d % BLK;
		while (at < (uint64_t)h) {
			size_t want = WBUF, k;
			ssize_t got;

			if ((uint64_t)h - at < want)
				want = (size_t)((uint64_t)h - at);
			got = pread(fd, buf, want, (off_t)at);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				return -1;
			for (k = 0; k < (size_t)got; k += BLK) {
				size_t bl = (size_t)got - k < BLK ? (size_t)got - k : BLK;

				if (!block_zero(buf + k, bl) &&
				    reg_add(g, at + k, bl, size) < 0)
					return -1;
			}
			at += (uint64_t)got;
		}
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
	struct tw w;
	int64_t mtime;
	const struct snap_hint *hints;
	size_t nhints;
	char *buf;    /* WBUF bytes */
};

static int pack_file(struct pack *p, int dirfd, const char *name,
		     const char *rel)
{
	struct regions g = { 0 };
	const struct snap_hint *h;
	struct stat st;
	uint64_t size, stored = 0;
	size_t i;
	int fd, rc = -1;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		err_sys(p->w.e, errno, "reading %s for the tar file", rel);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	size = (uint64_t)st.st_size;
	h = hint_find(p->hints, p->nhints, rel);
	if (h) {
		for (i = 0; i < h->n; i++)
			if (reg_add(&g, h->r[i].off, h->r[i].len, size) < 0)
				goto nomem;
	} else if (scan_regions(fd, size, &g, p->buf) < 0) {
		err_sys(p->w.e, errno ? errno : EIO, "reading %s for the tar file", rel);
		goto out;
	}
	for (i = 0; i < g.n; i++)
		stored += g.r[i].len;
	if (size == 0 || (g.n == 1 && g.r[0].off == 0 && g.r[0].len == size)) {
		if (tw_header(&p->w, rel, '0', 0644, size, p->mtime, NULL, 0, 0) < 0)
			goto out;
	} else {
		/* a last empty region at the end makes GNU tar extend the file
		 * over a final hole */
		if (!g.n || g.r[g.n - 1].off + g.r[g.n - 1].len < size) {
			if (g.n == g.cap) {
				struct snap_region *nr = realloc(g.r, (g.cap + 1) * sizeof *nr);

				if (!nr)
					goto nomem;
				g.r = nr;
				g.cap++;
			}
			g.r[g.n].off = size;
			g.r[g.n].len = 0;
			g.n++;
		}
		if (tw_header(&p->w, rel, 'S', 0644, stored, p->mtime, g.r, g.n,
			      size) < 0)
			goto out;
	}
	for (i = 0; i < g.n; i++) {
		uint64_t at = g.r[i].off, end = at + g.r[i].len;

		while (at < end) {
			size_t want = end - at < WBUF ? (size_t)(end - at) : WBUF;
			ssize_t got = pread(fd, p->buf, want, (off_t)at);

			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				err_sys(p->w.e, got < 0 ? errno : EIO,
					"reading %s for the tar file%s", rel,
					got == 0 ? ": it shrank while being written" : "");
				goto out;
			}
			if (tw_put(&p->w, p->buf, (size_t)got) < 0)
				goto out;
			at += (uint64_t)got;
		}
	}
	if (tw_pad(&p->w, stored) < 0)
		goto out;
	rc = 0;
	goto out;
nomem:
	err_sys(p->w.e, ENOMEM, "tar entry %s", rel);
out:
	free(g.r);
	close(fd);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Pack the directory fd (whose path in the archive is prefix, "" at the
 * top), its entries in name order. */
static int pack_dir(struct pack *p, int fd, const char *prefix, int depth)
{
	char **names = NULL, rel[PATH_MAX];
	size_t n = 0, cap = 0, i;
	struct dirent *d;
	DIR *dir;
	int rc = 0, dfd = dup(fd);

	if (dfd < 0 || !(dir = fdopendir(dfd))) {
		err_sys(p->w.e, errno, "listing %s for the tar file",
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
			continue;   /* written first */
		if (n == cap) {
			char **nn;

			cap = cap ? cap * 2 : 32;
			nn = realloc(names, cap * sizeof *nn);
			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
		}
		if (!(names[n] = strdup(d->d_name))) {
			rc = -1;
			break;
		}
		n++;
	}
	closedir(dir);
	if (rc < 0)
		err_sys(p->w.e, ENOMEM, "listing %s", prefix);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < n && rc == 0; i++) {
		struct stat st;
		int l = snprintf(rel, sizeof rel, "%s%s", prefix, names[i]);

		if (l < 0 || (size_t)l + 2 >= sizeof rel) {
			err_set(p->w.e, ENAMETOOLONG, "%s%s: name too long", prefix,
				names[i]);
			rc = -1;
			break;
		}
		if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			err_sys(p->w.e, errno, "reading %s for the tar file", rel);
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			int sub;

			if (depth >= MAX_DEPTH)
				continue;
			rel[l] = '/';
			rel[l + 1] = '\0';
			rc = tw_header(&p->w, rel, '5', 0755, 0, p->mtime, NULL, 0, 0);
			sub = openat(fd, names[i], O_RDONLY | O_DIRECTORY |
				     O_NOFOLLOW | O_CLOEXEC);
			if (rc == 0 && sub < 0) {
				err_sys(p->w.e, errno, "reading %s for the tar file", rel);
				rc = -1;
			}
			if (rc == 0)
				rc = pack_dir(p, sub, rel, depth + 1);
			if (sub >= 0)
				close(sub);
		} else if (S_ISREG(st.st_mode)) {
			rc = pack_file(p, fd, names[i], rel);
		}
		/* anything else is not part of a snapshot: left out */
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int snap_tar_pack(int dirfd, int outfd, int64_t mtime,
		  const struct snap_hint *hints, size_t nhints,
		  struct vms_err *e)
{
	static const char *const first[] = { ROOT_CONF_NAME, SNAPSHOT_FILES_NAME };
	static const char zero[2 * BLK];
	struct pack p;
	size_t i;
	int rc = -1;

	memset(&p, 0, sizeof p);
	p.w.fd = outfd;
	p.w.e = e;
	p.mtime = mtime;
	p.hints = hints;
	p.nhints = nhints;
	p.w.buf = malloc(WBUF);
	p.buf = malloc(WBUF);
	if (!p.w.buf || !p.buf) {
		err_sys(e, ENOMEM, "tar buffers");
		goto out;
	}
	for (i = 0; i < 2; i++)
		if (faccessat(dirfd, first[i], F_OK, 0) == 0 &&
		    pack_file(&p, dirfd, first[i], first[i]) < 0)
			goto out;
	if (pack_dir(&p, dirfd, "", 0) < 0 || tw_put(&p.w, zero, sizeof zero) < 0)
		goto out;
	/* whole 10 KiB records, as tar itself writes */
	while (p.w.total % 10240)
		if (tw_put(&p.w, zero, BLK) < 0)
			goto out;
	if (tw_flush(&p.w) < 0)
		goto out;
	rc = 0;
out:
	free(p.w.buf);
	free(p.buf);
	return rc;
}

int snapshot_tar_pack(int dirfd, int outfd, int64_t mtime, struct vms_err *e)
{
	return snap_tar_pack(dirfd, outfd, mtime, NULL, 0, e);
}

/* ---- reading ---- */

struct tr {
	int fd;
	const char *name;
	char *buf;
	size_t pos, len;
	uint64_t at;          /* archive offset of the next byte */
	struct vms_err *e;
	char last[256];       /* the last entry read, for messages */
};

/* Read exactly BLK bytes: 1, 0 at a clean end of file, -1 on error or a
 * partial block (e set). */
static int tr_block(struct tr *t, unsigned char *blk, const char *inside)
{
	size_t have = 0;

	while (have < BLK) {
		size_t k;

		if (t->pos == t->len) {
			ssize_t got = read(t->fd, t->buf, WBUF);

			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0) {
				err_sys(t->e, errno, "reading %s", t->name);
				return -1;
			}
			if (got == 0) {
				if (have == 0 && !inside)
					return 0;
				if (inside)
					err_set(t->e, VMS_EFORMAT,
						"%s is truncated: it ends inside %s (at byte %llu); copy it again",
						t->name, inside,
						(unsigned long long)(t->at + have));
				else
					err_set(t->e, VMS_EFORMAT,
						"%s is truncated: it ends inside the header after %s (at byte %llu); copy it again",
						t->name, t->last[0] ? t->last : "the start",
						(unsigned long long)(t->at + have));
				return -1;
			}
			t->pos = 0;
			t->len = (size_t)got;
		}
		k = t->len - t->pos;
		if (k > BLK - have)
			k = BLK - have;
		memcpy(blk + have, t->buf + t->pos, k);
		t->pos += k;
		have += k;
	}
	t->at += BLK;
	return 1;
}

/* Skip or read size bytes of entry data (whole blocks). */
static int tr_data(struct tr *t, uint64_t size, char *dst, const char *inside)
{
	unsigned char blk[BLK];

	while (size) {
		size_t k = size < BLK ? (size_t)size : BLK;

		if (tr_block(t, blk, inside) <= 0)
			return -1;
		if (dst) {
			memcpy(dst, blk, k);
			dst += k;
		}
		size -= k;
	}
	return 0;
}

int snap_clean_name(char *name)
{
	char *p = name, *o = name;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (*p == '/')
		return -1;
	while (*p) {
		char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if (len == 0 || (len == 1 && p[0] == '.')) {
			p += len + (slash ? 1 : 0);
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return -1;
		if (o != name)
			*o++ = '/';
		memmove(o, p, len);
		o += len;
		p += len + (slash ? 1 : 0);
	}
	*o = '\0';
	return 0;
}

/* pax extended header records: the path; GNU sparse in pax form is not
 * supported. */
static int pax_parse(struct tr *t, char *data, size_t len, char *path,
		     size_t pn)
{
	size_t pos = 0;

	while (pos < len) {
		char *sp, *eq;
		unsigned long rl = strtoul(data + pos, &sp, 10);

		if (sp == data + pos || *sp != ' ' || rl == 0 || pos + rl > len)
			break;
		eq = memchr(sp, '=', rl - (size_t)(sp - (data + pos)));
		if (eq && data[pos + rl - 1] == '\n') {
			size_t klen = (size_t)(eq - sp - 1);
			size_t vlen = (size_t)(data + pos + rl - 1 - eq - 1);

			if (klen == 4 && !memcmp(sp + 1, "path", 4) && vlen < pn) {
				memcpy(path, eq + 1, vlen);
				path[vlen] = '\0';
			} else if (klen > 11 && !memcmp(sp + 1, "GNU.sparse.", 11)) {
				err_set(t->e, VMS_EFORMAT,
					"%s holds sparse files in the pax format, which vmscope does not read: make it with 'vmscope snapshot -o FILE.tar' or 'tar --format=gnu --sparse'",
					t->name);
				return -1;
			}
		}
		pos += rl;
	}
	return 0;
}

static int extract_regular(struct tr *t, int destfd, const char *name,
			   uint64_t size)
{
	char *buf = malloc(WBUF);
	int fd;
	uint64_t left = size;

	if (!buf) {
		err_sys(t->e, ENOMEM, "extracting %s", name);
		return -1;
	}
	if (snap_mkdirs(destfd, name, false) < 0 ||
	    (fd = openat(destfd, name, O_WRONLY | O_CREAT | O_TRUNC |
			 O_NOFOLLOW | O_CLOEXEC, 0644)) < 0) {
		err_sys(t->e, errno, "extracting %s from %s", name, t->name);
		free(buf);
		return -1;
	}
	while (left) {
		/* WBUF is whole blocks: only the last chunk ends inside one */
		size_t chunk = left < WBUF ? (size_t)left : WBUF;

		if (tr_data(t, chunk, buf, name) < 0)
			goto fail;
		if (snap_write_all(fd, buf, chunk) < 0) {
			err_sys(t->e, errno, "extracting %s from %s", name, t->name);
			goto fail;
		}
		left -= chunk;
	}
	free(buf);
	if (close(fd) < 0) {
		err_sys(t->e, errno, "extracting %s from %s", name, t->name);
		return -1;
	}
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}

struct sparse_map {
	struct snap_region *r;
	size_t n, cap;
};

static int map_add(struct sparse_map *m, const char *p)
{
	struct snap_region r;

	if (get_num(p, 12, &r.off) < 0 || get_num(p + 12, 12, &r.len) < 0)
		return -1;
	if (r.off == 0 && r.len == 0 && p[0] == '\0')
		return 1;   /* an unused slot */
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct snap_region *nr = realloc(m->r, cap * sizeof *nr);

		if (!nr)
			return -1;
		m->r = nr;
		m->cap = cap;
	}
	m->r[m->n++] = r;
	return 0;
}

static int extract_sparse(struct tr *t, int destfd, const char *name,
			  const unsigned char *h, uint64_t size)
{
	struct sparse_map m = { 0 };
	uint64_t realsize, prev = 0;
	unsigned char x[BLK];
	bool more;
	char *buf = NULL;
	size_t i;
	int fd = -1, k;

	if (get_num((const char *)h + 483, 12, &realsize) < 0 ||
	    realsize > (UINT64_C(1) << 62))
		goto bad;
	for (k = 0; k < 4; k++)
		if (map_add(&m, (const char *)h + 386 + k * 24) < 0)
			goto bad;
	more = h[482] != 0;
	while (more) {
		if (tr_block(t, x, name) <= 0)
			goto fail;
		for (k = 0; k < 21; k++)
			if (map_add(&m, (const char *)x + k * 24) < 0)
				goto bad;
		more = x[504] != 0;
	}
	for (i = 0; i < m.n; i++) {
		if (m.r[i].off < prev || m.r[i].len > realsize ||
		    m.r[i].off > realsize - m.r[i].len)
			goto bad;
		prev = m.r[i].off + m.r[i].len;
	}
	buf = malloc(BLK);
	if (!buf || snap_mkdirs(destfd, name, false) < 0 ||
	    (fd = openat(destfd, name, O_WRONLY | O_CREAT | O_TRUNC |
			 O_NOFOLLOW | O_CLOEXEC, 0644)) < 0) {
		err_sys(t->e, buf ? errno : ENOMEM, "extracting %s from %s",
			name, t->name);
		goto fail;
	}
	if (ftruncate(fd, (off_t)realsize) < 0) {
		err_sys(t->e, errno, "extracting %s (%llu bytes, sparse) from %s",
			name, (unsigned long long)realsize, t->name);
		goto fail;
	}
	/* each region's data takes whole blocks of the archive */
	for (i = 0; i < m.n; i++) {
		uint64_t at = m.r[i].off, left = m.r[i].len;

		while (left) {
			size_t kk = left < BLK ? (size_t)left : BLK;

			if (tr_data(t, kk, buf, name) < 0)
				goto fail;
			if (snap_pwrite_all(fd, buf, kk, at) < 0) {
				err_sys(t->e, errno, "extracting %s from %s", name,
					t->name);
				goto fail;
			}
			at += kk;
			left -= kk;
		}
	}
	/* data beyond the regions' blocks (a writer that padded only at the
	 * end stores less, never more) */
	{
		uint64_t used = 0;

		for (i = 0; i < m.n; i++)
			used += (m.r[i].len + BLK - 1) / BLK * BLK;
		if (size > used && tr_data(t, size - used, NULL, name) < 0)
			goto fail;
	}
	free(buf);
	free(m.r);
	if (close(fd) < 0) {
		err_sys(t->e, errno, "extracting %s from %s", name, t->name);
		return -1;
	}
	return 0;
bad:
	err_set(t->e, VMS_EFORMAT, "%s: the sparse map of %s is damaged",
		t->name, name);
fail:
	free(buf);
	free(m.r);
	if (fd >= 0)
		close(fd);
	return -1;
}

int snapshot_tar_extract(int infd, const char *name, int destfd,
			 struct vms_err *e)
{
	char longname[MAX_LONGNAME + 1] = "", path[MAX_LONGNAME + 1];
	unsigned char h[BLK];
	struct tr t;
	unsigned entries = 0;
	int rc = -1;

	memset(&t, 0, sizeof t);
	t.fd = infd;
	t.name = name;
	t.e = e;
	t.buf = malloc(WBUF);
	if (!t.buf) {
		err_sys(e, ENOMEM, "reading %s", name);
		return -1;
	}
	for (;;) {
		uint64_t size, stored;
		unsigned sum;
		uint64_t want;
		int ssum, got;
		char type;

		got = tr_block(&t, h, NULL);
		if (got < 0)
			goto out;
		if (got == 0 || block_zero((const char *)h, BLK))
			break;   /* the end (a second zero block may follow) */
		sum = header_sum(h, &ssum);
		if (get_num((const char *)h + 148, 8, &want) < 0 ||
		    (want != sum && (int64_t)want != ssum)) {
			if (entries == 0)
				err_set(e, VMS_EFORMAT,
					"'%s' is not a tar file (nor a snapshot directory): give --root a directory or a .tar written by 'vmscope snapshot -o FILE.tar'",
					name);
			else
				err_set(e, VMS_EFORMAT,
					"%s is damaged: the header at byte %llu has a bad checksum",
					name, (unsigned long long)(t.at - BLK));
			goto out;
		}
		entries++;
		type = (char)h[156];
		if (get_num((const char *)h + 124, 12, &size) < 0) {
			err_set(e, VMS_EFORMAT, "%s is damaged: a bad size at byte %llu",
				name, (unsigned long long)(t.at - BLK));
			goto out;
		}
		if (type == 'L' || type == 'x' || type == 'g') {
			size_t lim = type == 'L' ? MAX_LONGNAME : MAX_PAX;
			char *data;

			if (size > lim) {
				err_set(e, VMS_EFORMAT, "%s: an extended header of %llu bytes is too large",
					name, (unsigned long long)size);
				goto out;
			}
			data = malloc((size_t)size + 1);
			if (!data) {
				err_sys(e, ENOMEM, "reading %s", name);
				goto out;
			}
			if (tr_data(&t, size, data, "an extended header") < 0) {
				free(data);
				goto out;
			}
			data[size] = '\0';
			if (type == 'L')
				snprintf(longname, sizeof longname, "%s", data);
			else if (type == 'x' &&
				 pax_parse(&t, data, (size_t)size, longname,
					   sizeof longname) < 0) {
				free(data);
				goto out;
			}
			free(data);
			continue;
		}
		if (longname[0]) {
			snprintf(path, sizeof path, "%s", longname);
			longname[0] = '\0';
		} else if (!memcmp(h + 257, "ustar\0", 6) && h[345]) {
			snprintf(path, sizeof path, "%.155s/%.100s",
				 (const char *)h + 345, (const char *)h);
		} else {
			snprintf(path, sizeof path, "%.100s", (const char *)h);
		}
		if (snap_clean_name(path) < 0) {
			err_set(e, VMS_EFORMAT,
				"%s: the entry '%.200s' points outside the snapshot: refusing to open it",
				name, path);
			goto out;
		}
		stored = size;
		switch (type) {
		case '5':
			if (path[0] && snap_mkdirs(destfd, path, true) < 0) {
				err_sys(e, errno, "extracting %s from %s", path, name);
				goto out;
			}
			if (tr_data(&t, stored, NULL, path) < 0)
				goto out;
			break;
		case '0':
		case '\0':
		case '7':
			if (!path[0]) {
				err_set(e, VMS_EFORMAT, "%s: an entry without a name", name);
				goto out;
			}
			if (extract_regular(&t, destfd, path, size) < 0)
				goto out;
			break;
		case 'S':
			if (!path[0]) {
				err_set(e, VMS_EFORMAT, "%s: an entry without a name", name);
				goto out;
			}
			if (extract_sparse(&t, destfd, path, h, size) < 0)
				goto out;
			break;
		case '1':
		case '2':
			err_set(e, VMS_EFORMAT,
				"%s: '%.200s' is a link; a vmscope snapshot holds only files and directories",
				name, path);
			goto out;
		default:
			err_set(e, VMS_EFORMAT,
				"%s: '%.200s' is a tar entry of type '%c' that a vmscope snapshot does not have",
				name, path, type >= ' ' && type < 127 ? type : '?');
			goto out;
		}
		snprintf(t.last, sizeof t.last, "%.200s", path);
	}
	if (entries == 0) {
		err_set(e, VMS_EFORMAT, "'%s' is an empty tar file, not a snapshot",
			name);
		goto out;
	}
	rc = 0;
out:
	free(t.buf);
	return rc;
}
