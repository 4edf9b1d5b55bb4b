/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tarfmt_read: index an archive in place.  Every header is read once,
 * with pread; members' data are not read, only checked to lie inside the
 * archive.  The members are then sorted by name, a later member of the
 * same name replacing an earlier one (as extraction would). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/escape.h"
#include "vmscope/tarfmt.h"
#include "tarfmt_int.h"

#define BLK TARFMT_BLOCK
#define MSGNAME 512

/* A member while indexing: seq orders members of the same name. */
struct entry {
	struct tarfmt_member m;
	size_t seq;
};

struct scan {
	struct tarfmt_index *idx;
	struct tarfmt_limits lim;
	struct vms_err *e;
	uint64_t pos;                 /* the next header */
	unsigned char h[BLK];         /* the current header */
	size_t headers;
	char name[TARFMT_MAX_NAME + 1];   /* from 'L' or pax path */
	bool have_name, have_size;
	uint64_t pax_size;
	char last[MSGNAME];           /* the last member, escaped */
	struct entry *v;
	size_t n, cap;
	uint64_t total, regions;
};

static uint64_t round_up(uint64_t v)
{
	return v % BLK ? v + (BLK - v % BLK) : v;
}

/* The archive ends before at + len: an error naming what it ends in
 * (inside: an escaped member name, or NULL for the header after the last
 * member). */
static int truncated(struct scan *s, const char *inside)
{
	if (inside)
		err_set(s->e, VMS_EFORMAT,
			"%s is truncated: it ends inside %s (at byte %llu); copy it again",
			s->idx->shown, inside,
			(unsigned long long)s->idx->archive_size);
	else
		err_set(s->e, VMS_EFORMAT,
			"%s is truncated: it ends inside the header after %s (at byte %llu); copy it again",
			s->idx->shown, s->last[0] ? s->last : "the start",
			(unsigned long long)s->idx->archive_size);
	return -1;
}

/* Read len bytes at at, all inside the archive. */
static int scan_read(struct scan *s, void *buf, size_t len, uint64_t at,
		     const char *inside)
{
	char *p = buf;

	if (at > s->idx->archive_size || len > s->idx->archive_size - at)
		return truncated(s, inside);
	while (len) {
		ssize_t got = pread(s->idx->fd, p, len, (off_t)at);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got == 0)
				return truncated(s, inside);
			err_sys(s->e, errno, "reading %s", s->idx->shown);
			return -1;
		}
		p += got;
		len -= (size_t)got;
		at += (uint64_t)got;
	}
	return 0;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Read the header at s->pos: 1, 0 at the end of the archive (its end of
 * file, or a zero block), -1 with e set. */
static int scan_header(struct scan *s)
{
	uint64_t want;
	unsigned sum;
	int ssum;

	if (s->pos == s->idx->archive_size)
		return 0;
	if (s->headers == 0 && s->idx->archive_size < BLK) {
		err_set(s->e, VMS_EFORMAT,
			"'%s' is not a tar file: it is shorter than one header",
			s->idx->shown);
		return TARFMT_NOT_TAR;
	}
	if (scan_read(s, s->h, BLK, s->pos, NULL) < 0)
		return -1;
	if (all_zero(s->h, BLK))
		return 0;
	sum = tarfmt_header_sum(s->h, &ssum);
	if (tarfmt_get_num((const char *)s->h + TH_CHKSUM, 8, &want) < 0 ||
	    (want != sum && (int64_t)want != ssum)) {
		if (s->headers == 0) {
			err_set(s->e, VMS_EFORMAT, "'%s' is not a tar file",
				s->idx->shown);
			return TARFMT_NOT_TAR;
		}
		err_set(s->e, VMS_EFORMAT,
			"%s is damaged: the header at byte %llu (after %s) has a bad checksum",
			s->idx->shown, (unsigned long long)s->pos, s->last);
		return -1;
	}
	s->headers++;
	s->pos += BLK;
	return 1;
}

/* pax records: path and size are kept; GNU sparse in pax form is
 * refused, other keys ignored. */
static int pax_parse(struct scan *s, const char *data, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		char *sp;
		const char *eq, *rec = data + pos;
		unsigned long rl = strtoul(rec, &sp, 10);
		size_t klen, vlen;

		if (*rec < '0' || *rec > '9' || *sp != ' ' || rl > len - pos ||
		    (size_t)(sp - rec) + 2 > rl)
			break;   /* a record holds at least "N k=\n"'s space */
		eq = memchr(sp, '=', rl - (size_t)(sp - rec));
		pos += rl;
		if (!eq || rec[rl - 1] != '\n')
			continue;
		klen = (size_t)(eq - sp - 1);
		vlen = (size_t)(rec + rl - 1 - eq - 1);
		if (klen == 4 && !memcmp(sp + 1, "path", 4) && vlen <= TARFMT_MAX_NAME) {
			memcpy(s->name, eq + 1, vlen);
			s->name[vlen] = '\0';
			s->have_name = true;
		} else if (klen == 4 && !memcmp(sp + 1, "size", 4)) {
			char num[24];

			snprintf(num, sizeof num, "%.*s", (int)(vlen < 23 ? vlen : 23), eq + 1);
			s->pax_size = strtoull(num, &sp, 10);
			s->have_size = *num >= '0' && *num <= '9' && !*sp;
		} else if (klen > 11 && !memcmp(sp + 1, "GNU.sparse.", 11)) {
			err_set(s->e, VMS_EFORMAT,
				"%s holds sparse files in the pax format, which is not read: make it with 'tar --format=gnu --sparse'",
				s->idx->shown);
			return -1;
		}
	}
	return 0;
}

/* An extended header ('L' long name, 'x' pax, 'g' and 'K' skipped) of
 * size bytes at s->pos. */
static int scan_extended(struct scan *s, char type, uint64_t size)
{
	uint64_t lim = type == 'L' ? TARFMT_MAX_NAME + 1 : TARFMT_MAX_PAX;
	const char *what = "an extended header";
	char *data;
	int rc = 0;

	if (size > lim) {
		err_set(s->e, VMS_EFORMAT,
			"%s: an extended header of %llu bytes after %s is too large",
			s->idx->shown, (unsigned long long)size,
			s->last[0] ? s->last : "the start");
		return -1;
	}
	data = malloc((size_t)size + 1);
	if (!data) {
		err_sys(s->e, ENOMEM, "reading %s", s->idx->shown);
		return -1;
	}
	if (scan_read(s, data, (size_t)size, s->pos, what) < 0) {
		free(data);
		return -1;
	}
	data[size] = '\0';
	if (type == 'L') {
		snprintf(s->name, sizeof s->name, "%s", data);
		s->have_name = true;
	} else if (type == 'x') {
		rc = pax_parse(s, data, (size_t)size);
	}
	free(data);
	s->pos += round_up(size);
	return rc;
}

/* The current header's member name, cleaned, into s->name. */
static int scan_name(struct scan *s, char *shown)
{
	const char *h = (const char *)s->h;

	if (!s->have_name) {
		size_t nl = strnlen(h + TH_NAME, 100);
		size_t pl = strnlen(h + TH_PREFIX, 155);

		if (!memcmp(h + TH_MAGIC, "ustar\0", 6) && pl)
			snprintf(s->name, sizeof s->name, "%.*s/%.*s", (int)pl,
				 h + TH_PREFIX, (int)nl, h + TH_NAME);
		else
			snprintf(s->name, sizeof s->name, "%.*s", (int)nl, h + TH_NAME);
	}
	s->have_name = false;
	tarfmt_shown(s->name, shown, MSGNAME);
	if (tarfmt_clean_name(s->name) < 0) {
		err_set(s->e, VMS_EFORMAT,
			"%s: the member '%s' points outside the archive (an absolute name or '..'): refusing it",
			s->idx->shown, shown);
		return -1;
	}
	return 0;
}

/* Room for one more member, within the limits. */
static struct entry *scan_new(struct scan *s)
{
	if (s->n >= s->lim.members) {
		err_set(s->e, VMS_EFORMAT, "%s has more than %zu members: refusing it",
			s->idx->shown, s->lim.members);
		return NULL;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct entry *nv = realloc(s->v, cap * sizeof *nv);

		if (!nv) {
			err_sys(s->e, ENOMEM, "indexing %s", s->idx->shown);
			return NULL;
		}
		s->v = nv;
		s->cap = cap;
	}
	memset(&s->v[s->n], 0, sizeof s->v[s->n]);
	s->v[s->n].seq = s->n;
	return &s->v[s->n];
}

/* Add a region to m's map (growing it), within the limits. */
static int map_push(struct scan *s, struct tarfmt_member *m, size_t *cap,
		    uint64_t off, uint64_t len)
{
	if (++s->regions > TARFMT_MAX_REGIONS)
		return -1;
	if (m->nmap == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct tarfmt_extent *nm = realloc(m->map, nc * sizeof *nm);

		if (!nm)
			return -1;
		m->map = nm;
		*cap = nc;
	}
	m->map[m->nmap].off = off;
	m->map[m->nmap].len = len;
	m->nmap++;
	return 0;
}

/* The slots of a sparse map (in the header or an extension block),
 * checked to be sorted, not overlapping and inside the file.  Unused
 * slots (an empty offset field) are skipped, empty regions dropped. */
static int map_slots(struct scan *s, struct tarfmt_member *m, size_t *cap,
		     const unsigned char *p, int slots, uint64_t *prev)
{
	int k;

	for (k = 0; k < slots; k++, p += 24) {
		uint64_t off, len;

		if (!p[0])
			continue;
		if (tarfmt_get_num((const char *)p, 12, &off) < 0 ||
		    tarfmt_get_num((const char *)p + 12, 12, &len) < 0 ||
		    off < *prev || len > m->size || off > m->size - len)
			return -1;
		*prev = off + len;
		if (len && map_push(s, m, cap, off, len) < 0)
			return -1;
	}
	return 0;
}

static int sparse_bad(struct scan *s, const char *shown, const char *what)
{
	err_set(s->e, VMS_EFORMAT, "%s:%s: the sparse map is damaged: %s",
		s->idx->shown, shown, what);
	return -1;
}

/* An old-GNU sparse member: its map (the header's slots, then extension
 * blocks while the "extended" flag is set), where each region's data
 * lies (whole blocks each, in order), and how much of the archive its
 * data take (*span). */
static int scan_sparse(struct scan *s, struct tarfmt_member *m,
		       uint64_t stored, const char *shown, uint64_t *span)
{
	unsigned char x[BLK];
	const unsigned char *ext = s->h + TH_ISEXT;
	uint64_t prev = 0, used = 0;
	size_t cap = 0, i;

	m->sparse = true;
	if (tarfmt_get_num((const char *)s->h + TH_REALSIZE, 12, &m->size) < 0 ||
	    m->size > TARFMT_MAX_TOTAL)
		return sparse_bad(s, shown, "a bad file size");
	if (map_slots(s, m, &cap, s->h + TH_SPARSE, TH_SPARSE_SLOTS, &prev) < 0)
		return sparse_bad(s, shown, "regions out of order, past the end of the file, or too many");
	while (*ext) {
		char inside[MSGNAME + 32];

		snprintf(inside, sizeof inside, "the sparse map of %s", shown);
		if (scan_read(s, x, BLK, s->pos, inside) < 0)
			return -1;
		s->pos += BLK;
		if (map_slots(s, m, &cap, x, TH_EXT_SLOTS, &prev) < 0)
			return sparse_bad(s, shown, "regions out of order, past the end of the file, or too many");
		ext = x + TH_EXT_ISEXT;
	}
	m->data = s->pos;
	for (i = 0; i < m->nmap; i++) {
		m->map[i].at = m->data + used;
		used += round_up(m->map[i].len);
	}
	if (stored > s->idx->archive_size)
		*span = UINT64_MAX;   /* past the end: truncated */
	else
		*span = used > round_up(stored) ? used : round_up(stored);
	return 0;
}

static int scan_refuse(struct scan *s, char type, const char *shown)
{
	if (type == '1' || type == '2')
		err_set(s->e, VMS_EFORMAT,
			"%s: '%s' is a link; only regular files and directories are read",
			s->idx->shown, shown);
	else
		err_set(s->e, VMS_EFORMAT,
			"%s: '%s' is a member of type '%c'; only regular files and directories are read",
			s->idx->shown, shown, type >= ' ' && type < 127 ? type : '?');
	return -1;
}

/* The member whose header is s->h, of stored bytes in the archive. */
static int scan_member(struct scan *s, char type, uint64_t stored)
{
	const char *h = (const char *)s->h;
	char shown[MSGNAME];
	struct tarfmt_member *m;
	struct entry *en;
	uint64_t v, span = stored > s->idx->archive_size ? UINT64_MAX : round_up(stored);

	if (scan_name(s, shown) < 0)
		return -1;
	if (type != '\0' && !strchr("05S7", type))
		return scan_refuse(s, type, shown);
	if (!s->name[0] && type != '5') {
		err_set(s->e, VMS_EFORMAT, "%s: a member without a name after %s",
			s->idx->shown, s->last[0] ? s->last : "the start");
		return -1;
	}
	if (!(en = scan_new(s)))
		return -1;
	m = &en->m;
	m->dir = type == '5';
	m->mode = tarfmt_get_num(h + TH_MODE, 8, &v) == 0 ? (uint32_t)(v & 07777) : 0644;
	m->mtime = tarfmt_get_num(h + TH_MTIME, 12, &v) == 0 && v < INT64_MAX ? (int64_t)v : 0;
	m->size = m->dir ? 0 : stored;
	m->data = s->pos;
	if (type == 'S' && scan_sparse(s, m, stored, shown, &span) < 0) {
		free(m->map);
		return -1;
	}
	if (m->data > s->idx->archive_size || span > s->idx->archive_size - m->data) {
		free(m->map);
		return truncated(s, shown);
	}
	if (m->size > s->lim.total - s->total) {
		free(m->map);
		err_set(s->e, VMS_EFORMAT, "%s: its members hold more than %llu bytes in all: refusing it",
			s->idx->shown, (unsigned long long)s->lim.total);
		return -1;
	}
	s->total += m->size;
	s->pos = m->data + span;
	snprintf(s->last, sizeof s->last, "%s", shown);
	if (!s->name[0])
		return 0;   /* the top directory, "./" */
	if (!(m->name = strdup(s->name))) {
		free(m->map);
		err_sys(s->e, ENOMEM, "indexing %s", s->idx->shown);
		return -1;
	}
	s->n++;
	return 0;
}

/* One header and what follows it: 1 when there was one, 0 at the end,
 * -1 (or TARFMT_NOT_TAR) with e set. */
static int scan_one(struct scan *s)
{
	uint64_t size;
	char type;
	int rc = scan_header(s);

	if (rc <= 0)
		return rc;
	type = (char)s->h[TH_TYPE];
	if (tarfmt_get_num((const char *)s->h + TH_SIZE, 12, &size) < 0) {
		err_set(s->e, VMS_EFORMAT, "%s is damaged: a bad size in the header at byte %llu",
			s->idx->shown, (unsigned long long)(s->pos - BLK));
		return -1;
	}
	if (type == 'L' || type == 'K' || type == 'x' || type == 'g')
		return scan_extended(s, type, size) < 0 ? -1 : 1;
	if (s->have_size && type != 'S')
		size = s->pax_size;
	s->have_size = false;
	return scan_member(s, type, size) < 0 ? -1 : 1;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->m.name, y->m.name);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void member_free(struct tarfmt_member *m)
{
	free(m->name);
	free(m->map);
}

/* Sort the entries into idx, the last of each name kept; a file with
 * members below it is refused. */
static int scan_finish(struct scan *s)
{
	struct tarfmt_index *idx = s->idx;
	char shown[MSGNAME];
	size_t i;

	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, entry_cmp);
	idx->m = malloc((s->n ? s->n : 1) * sizeof *idx->m);
	if (!idx->m) {
		err_sys(s->e, ENOMEM, "indexing %s", idx->shown);
		return -1;
	}
	for (i = 0; i < s->n; i++) {
		if (i + 1 < s->n && !strcmp(s->v[i].m.name, s->v[i + 1].m.name))
			member_free(&s->v[i].m);
		else
			idx->m[idx->n++] = s->v[i].m;
	}
	s->n = 0;
	for (i = 0; i < idx->n; i++) {
		if (!idx->m[i].dir && tarfmt_has_below(idx, idx->m[i].name)) {
			err_set(s->e, VMS_EFORMAT,
				"%s: '%s' is both a file and a directory",
				idx->shown, tarfmt_shown(idx->m[i].name, shown, sizeof shown));
			return -1;
		}
	}
	return 0;
}

int tarfmt_index(int fd, const char *name, struct tarfmt_index *idx,
		 struct vms_err *e)
{
	static const struct tarfmt_limits lim = {
		TARFMT_MAX_MEMBERS, TARFMT_MAX_TOTAL
	};

	return tarfmt_index_limits(fd, name, &lim, idx, e);
}

int tarfmt_index_limits(int fd, const char *name,
			const struct tarfmt_limits *lim,
			struct tarfmt_index *idx, struct vms_err *e)
{
	struct scan *s;
	struct stat st;
	size_t i;
	int rc;

	memset(idx, 0, sizeof *idx);
	idx->fd = fd;
	if (!(idx->shown = escape_dup(name)) || !(s = calloc(1, sizeof *s))) {
		err_sys(e, ENOMEM, "indexing %s", name);
		tarfmt_free(idx);
		return -1;
	}
	s->idx = idx;
	s->e = e;
	s->lim = *lim;
	if (s->lim.total > TARFMT_MAX_TOTAL)
		s->lim.total = TARFMT_MAX_TOTAL;
	if (fstat(fd, &st) < 0) {
		err_sys(e, errno, "%s", idx->shown);
		rc = -1;
	} else {
		idx->archive_size = (uint64_t)st.st_size;
		while ((rc = scan_one(s)) > 0)
			;
	}
	if (rc == 0)
		rc = scan_finish(s);
	for (i = 0; i < s->n; i++)
		member_free(&s->v[i].m);
	free(s->v);
	free(s);
	if (rc < 0)
		tarfmt_free(idx);
	return rc;
}
