/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tarfmt: header fields, member names, and what an index answers: look-up,
 * directory listings and reads of members (tarfmt_read.c builds the
 * index, tarfmt_write.c writes archives). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vmscope/escape.h"
#include "vmscope/tarfmt.h"
#include "tarfmt_int.h"

/* ---- header fields ---- */

void tarfmt_put_num(char *f, size_t w, uint64_t v)
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

int tarfmt_get_num(const char *f, size_t w, uint64_t *out)
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

unsigned tarfmt_header_sum(const unsigned char *h, int *ssum)
{
	unsigned s = 0;
	int ss = 0, i;

	for (i = 0; i < TARFMT_BLOCK; i++) {
		unsigned char ch = (i >= TH_CHKSUM && i < TH_CHKSUM + 8) ? ' ' : h[i];

		s += ch;
		ss += (signed char)ch;
	}
	if (ssum)
		*ssum = ss;
	return s;
}

int tarfmt_clean_name(char *name)
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

/* ---- look-up ---- */

void tarfmt_free(struct tarfmt_index *idx)
{
	size_t i;

	for (i = 0; i < idx->n; i++) {
		free(idx->m[i].name);
		free(idx->m[i].map);
	}
	free(idx->m);
	free(idx->shown);
	memset(idx, 0, sizeof *idx);
	idx->fd = -1;
}

const struct tarfmt_member *tarfmt_find(const struct tarfmt_index *idx,
					const char *name)
{
	size_t lo = 0, hi = idx->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(idx->m[mid].name, name);

		if (c == 0)
			return &idx->m[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Where s sorts against the names below directory dir (its first dlen
 * bytes): -1 before them, 0 one of them, 1 after. */
static int below_cmp(const char *s, const char *dir, size_t dlen)
{
	int c = strncmp(s, dir, dlen);

	if (c)
		return c < 0 ? -1 : 1;
	if (s[dlen] == '/')
		return 0;
	return (unsigned char)s[dlen] < '/' ? -1 : 1;
}

/* The first member from lo whose below_cmp is over limit (-1: the first
 * below dir or after; 0: the first after). */
static size_t below_bound(const struct tarfmt_index *idx, size_t lo,
			  const char *dir, size_t dlen, int limit)
{
	size_t hi = idx->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (below_cmp(idx->m[mid].name, dir, dlen) > limit)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

bool tarfmt_has_below(const struct tarfmt_index *idx, const char *name)
{
	size_t len = strlen(name), i = below_bound(idx, 0, name, len, -1);

	return i < idx->n && below_cmp(idx->m[i].name, name, len) == 0;
}

bool tarfmt_is_dir(const struct tarfmt_index *idx, const char *name)
{
	const struct tarfmt_member *m;

	if (!name[0])
		return true;
	m = tarfmt_find(idx, name);
	return m ? m->dir : tarfmt_has_below(idx, name);
}

const char *tarfmt_shown(const char *src, char *buf, size_t n)
{
	escape_text(buf, n, src, strlen(src));
	return buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort names and drop repeats. */
static void names_unique(char **names, size_t *n)
{
	size_t i, o = 0;

	if (*n > 1)
		qsort(names, *n, sizeof *names, cmp_str);
	for (i = 0; i < *n; i++) {
		if (o && !strcmp(names[o - 1], names[i]))
			free(names[i]);
		else
			names[o++] = names[i];
	}
	*n = o;
}

/* The children of the names [lo, hi), each dlen bytes of directory
 * prefix long (its '/' included): a child with members below it is
 * taken once, its subtree skipped. */
static int list_range(const struct tarfmt_index *idx, size_t lo, size_t hi,
		      size_t plen, char ***names, size_t *n)
{
	size_t i = lo, cap = 0;
	char **v = NULL;

	*n = 0;
	while (i < hi) {
		const char *s = idx->m[i].name + plen, *slash = strchr(s, '/');
		size_t clen = slash ? (size_t)(slash - s) : strlen(s);

		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof *v);

			if (!nv)
				goto nomem;
			v = nv;
		}
		if (!(v[*n] = strndup(s, clen)))
			goto nomem;
		(*n)++;
		i = slash ? below_bound(idx, i, idx->m[i].name, plen + clen, 0)
			  : i + 1;
	}
	names_unique(v, n);
	*names = v;
	return 0;
nomem:
	while (*n)
		free(v[--*n]);
	free(v);
	return -1;
}

int tarfmt_list(const struct tarfmt_index *idx, const char *dir,
		char ***names, size_t *n, struct vms_err *e)
{
	size_t len = strlen(dir), lo = 0, hi = idx->n;
	char shown[512];

	*names = NULL;
	*n = 0;
	if (len) {
		const struct tarfmt_member *m = tarfmt_find(idx, dir);

		lo = below_bound(idx, 0, dir, len, -1);
		hi = below_bound(idx, lo, dir, len, 0);
		if ((m && !m->dir) || (!m && lo == hi)) {
			err_sys(e, m ? ENOTDIR : ENOENT, "%s:%s", idx->shown,
				tarfmt_shown(dir, shown, sizeof shown));
			return -1;
		}
	}
	if (list_range(idx, lo, hi, len ? len + 1 : 0, names, n) < 0) {
		err_sys(e, ENOMEM, "listing %s", idx->shown);
		return -1;
	}
	return 0;
}

/* ---- reading members ---- */

static int read_at(const struct tarfmt_index *idx,
		   const struct tarfmt_member *m, char *buf, size_t n,
		   uint64_t at, struct vms_err *e)
{
	while (n) {
		ssize_t got = pread(idx->fd, buf, n, (off_t)at);
		char shown[512];

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			tarfmt_shown(m->name, shown, sizeof shown);
			if (got < 0)
				err_sys(e, errno, "%s:%s", idx->shown, shown);
			else
				err_set(e, VMS_EFORMAT,
					"%s:%s: the archive ends early (it changed after it was opened)",
					idx->shown, shown);
			return -1;
		}
		buf += got;
		n -= (size_t)got;
		at += (uint64_t)got;
	}
	return 0;
}

/* The first extent of m that ends after off. */
static size_t extent_at(const struct tarfmt_member *m, uint64_t off)
{
	size_t lo = 0, hi = m->nmap;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->map[mid].off + m->map[mid].len > off)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

ssize_t tarfmt_pread(const struct tarfmt_index *idx,
		     const struct tarfmt_member *m, void *buf, size_t n,
		     uint64_t off, struct vms_err *e)
{
	uint64_t end;
	size_t i;

	if (m->dir || off >= m->size)
		return 0;
	if (n > m->size - off)
		n = (size_t)(m->size - off);
	if (n > SSIZE_MAX)
		n = SSIZE_MAX;
	if (!m->sparse)
		return read_at(idx, m, buf, n, m->data + off, e) < 0 ? -1 : (ssize_t)n;
	memset(buf, 0, n);
	end = off + n;
	for (i = extent_at(m, off); i < m->nmap && m->map[i].off < end; i++) {
		const struct tarfmt_extent *x = &m->map[i];
		uint64_t from = x->off > off ? x->off : off;
		uint64_t to = x->off + x->len < end ? x->off + x->len : end;

		if (read_at(idx, m, (char *)buf + (from - off), (size_t)(to - from),
			    x->at + (from - x->off), e) < 0)
			return -1;
	}
	return (ssize_t)n;
}
