/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kpage: /proc/kpageflags, kpagecount, kpagecgroup by PFN.  PFNs are
 * grouped into segments (input-order runs of consecutive PFNs), the
 * segments radix-sorted by PFN, and every contiguous PFN run read with one
 * pread into a reused buffer, then copied back to the callers' order. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vmscope/kpage.h"

/* A pread covers at most one aligned block of this many PFNs (512 KiB
 * per file): memory stays bounded whatever the caller asks for. */
#define KP_CHUNK_SHIFT 16
#define KP_CHUNK ((uint64_t)1 << KP_CHUNK_SHIFT)
/* PFNs past this cannot be file offsets (PFN * 8 < 2^63): they read 0. */
#define KP_PFN_MAX (UINT64_MAX >> 4)

static const char *const kp_files[3] = {
	"kpageflags", "kpagecount", "kpagecgroup",
};

static struct root_file *kp_open1(const struct vms_root *r,
				  const char *name, int *err)
{
	struct vms_err e;
	struct root_file *f;
	char rel[32];

	snprintf(rel, sizeof rel, "proc/%s", name);
	f = root_fopen(r, rel, &e);
	*err = f ? 0 : e.code;
	return f;
}

void kpage_open(const struct vms_root *r, struct kpage *k)
{
	unsigned i;

	memset(k, 0, sizeof *k);
	for (i = 0; i < 3; i++)
		k->file[i] = kp_open1(r, kp_files[i], &k->file_errno[i]);
}

bool kpage_has(const struct kpage *k, unsigned which)
{
	unsigned i;

	for (i = 0; i < 3; i++)
		if ((which & (1u << i)) && !k->file[i])
			return false;
	return true;
}

struct kp_scratch {
	size_t cap;        /* segments the arrays hold */
	uint64_t *keys, *tmp, *start;
	size_t *idx;
	uint32_t *len;
	uint64_t *buf;     /* 3 * KP_CHUNK entries */
	struct root_iov *iov; /* the reads of one chunk */
	size_t iovcap;
};

static void kp_scratch_free(struct kp_scratch *s)
{
	if (!s)
		return;
	free(s->keys);
	free(s->tmp);
	free(s->start);
	free(s->idx);
	free(s->len);
	free(s->buf);
	free(s->iov);
	free(s);
}

void kpage_close(struct kpage *k)
{
	unsigned i;

	for (i = 0; i < 3; i++) {
		root_fclose(k->file[i]);
		k->file[i] = NULL;
	}
	kp_scratch_free(k->scratch);
	k->scratch = NULL;
}

int kpage_check(const struct kpage *k, unsigned which, struct vms_err *e)
{
	const int *errs = k->file_errno;
	unsigned i;

	for (i = 0; i < 3; i++) {
		if (!(which & (1u << i)) || k->file[i])
			continue;
		if (errs[i] == EACCES || errs[i] == EPERM)
			err_sys(e, errs[i],
				"/proc/%s needs root (CAP_SYS_ADMIN): run vmscope with sudo to see page flags, map counts and cgroups",
				kp_files[i]);
		else if (errs[i] == ENOENT)
			err_sys(e, errs[i],
				"no /proc/%s: the kernel lacks %s (or the snapshot did not record it)",
				kp_files[i],
				i == 2 ? "CONFIG_MEMCG or CONFIG_PROC_PAGE_MONITOR"
				       : "CONFIG_PROC_PAGE_MONITOR");
		else
			err_sys(e, errs[i] ? errs[i] : EBADF,
				"/proc/%s is not available", kp_files[i]);
		return -1;
	}
	return 0;
}

static int kp_grow(struct kpage *k, size_t need, struct vms_err *e)
{
	struct kp_scratch *s = k->scratch;
	size_t cap;

	if (!s) {
		s = calloc(1, sizeof *s);
		if (!s)
			goto nomem;
		s->buf = malloc(3 * KP_CHUNK * sizeof *s->buf);
		if (!s->buf) {
			free(s);
			goto nomem;
		}
		k->scratch = s;
	}
	if (need <= s->cap)
		return 0;
	cap = s->cap ? s->cap : 1024;
	while (cap < need)
		cap = cap > SIZE_MAX / 4 ? need : cap * 2;
	free(s->keys);
	free(s->tmp);
	free(s->start);
	free(s->idx);
	free(s->len);
	s->keys = malloc(cap * sizeof *s->keys);
	s->tmp = malloc(cap * sizeof *s->tmp);
	s->start = malloc(cap * sizeof *s->start);
	s->idx = malloc(cap * sizeof *s->idx);
	s->len = malloc(cap * sizeof *s->len);
	if (!s->keys || !s->tmp || !s->start || !s->idx || !s->len) {
		free(s->keys);
		free(s->tmp);
		free(s->start);
		free(s->idx);
		free(s->len);
		s->keys = s->tmp = s->start = NULL;
		s->idx = NULL;
		s->len = NULL;
		s->cap = 0;
		goto nomem;
	}
	s->cap = cap;
	return 0;
nomem:
	err_sys(e, ENOMEM, "reading page data for %zu pages", need);
	return -1;
}

static unsigned bits_for(uint64_t v)
{
	unsigned b = 0;

	while (b < 64 && (v >> b))
		b++;
	return b;
}

/* LSD radix sort of a[0..n) on bits [lo, lo+bits); t is scratch of n.
 * Returns the array holding the result (a or t). */
static uint64_t *radix_sort(uint64_t *a, uint64_t *t, size_t n, unsigned lo,
			    unsigned bits)
{
	static const unsigned max_digit = 11;
	unsigned passes = (bits + max_digit - 1) / max_digit, d, p;
	size_t cnt[1u << 11];

	if (!passes || n < 2)
		return a;
	d = (bits + passes - 1) / passes;
	for (p = 0; p < passes; p++) {
		unsigned shift = lo + p * d;
		uint64_t mask = ((uint64_t)1 << d) - 1;
		size_t i, sum = 0, nb = (size_t)1 << d;
		uint64_t *x;

		memset(cnt, 0, nb * sizeof cnt[0]);
		for (i = 0; i < n; i++)
			cnt[(a[i] >> shift) & mask]++;
		if (cnt[(a[0] >> shift) & mask] == n)
			continue; /* every key has this digit: nothing moves */
		for (i = 0; i < nb; i++) {
			size_t c = cnt[i];

			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			t[cnt[(a[i] >> shift) & mask]++] = a[i];
		x = a;
		a = t;
		t = x;
	}
	return a;
}

static int cmp_seg(const void *x, const void *y, void *ctx)
{
	const uint64_t *start = ctx;
	uint64_t a = start[*(const uint64_t *)x], b = start[*(const uint64_t *)y];

	return a < b ? -1 : a > b;
}

/* Where a read of file fi met its end at PFN end (kpage_rec_of). */
static void kp_note_end(struct kpage *k, unsigned fi, uint64_t end)
{
	if (!k->end_met[fi] || end < k->file_end[fi])
		k->file_end[fi] = end;
	k->end_met[fi] = true;
}

static inline void put_strided(uint64_t *base, size_t stride, size_t i,
			       uint64_t v)
{
	*(uint64_t *)(void *)((char *)base + i * stride) = v;
}

static void zero_all(uint64_t *out, size_t n, size_t stride)
{
	size_t i;

	if (!out)
		return;
	if (stride == sizeof *out) {
		memset(out, 0, n * sizeof *out);
		return;
	}
	for (i = 0; i < n; i++)
		put_strided(out, stride, i, 0);
}

/* One kpage_read_strided call: its outputs and its segments. */
struct kp_job {
	uint64_t *outs[3];   /* NULL: not wanted, or the file is missing */
	size_t stride;
	struct kpage *k;
	struct kp_scratch *s;
	size_t nseg;
	uint64_t mn, mx;
	const uint64_t *sorted;
	uint64_t segmask;
};

/* Segments: input-order runs of consecutive PFNs within one chunk;
 * skipped entries get 0. */
static void kp_segments(struct kp_job *j, const uint64_t *pfns,
			const bool *skip, size_t n)
{
	struct kp_scratch *s = j->s;
	uint64_t prev = 0;
	bool open_seg = false;
	size_t i;
	unsigned f;

	j->nseg = 0;
	j->mn = UINT64_MAX;
	j->mx = 0;
	for (i = 0; i < n; i++) {
		uint64_t p;

		if (skip && skip[i]) {
			for (f = 0; f < 3; f++)
				if (j->outs[f])
					put_strided(j->outs[f], j->stride, i, 0);
			open_seg = false;
			continue;
		}
		p = pfns[i];
		if (open_seg && p == prev + 1 && (p & (KP_CHUNK - 1)) != 0) {
			s->len[j->nseg - 1]++;
			prev = p;
			continue;
		}
		s->start[j->nseg] = p;
		s->idx[j->nseg] = i;
		s->len[j->nseg] = 1;
		j->nseg++;
		if (p < j->mn)
			j->mn = p;
		if (p > j->mx)
			j->mx = p;
		prev = p;
		open_seg = true;
	}
}

/* The segments in order of start PFN: radix when the keys fit. */
static void kp_sort_segments(struct kp_job *j)
{
	struct kp_scratch *s = j->s;
	unsigned sb = bits_for(j->nseg - 1), pb = bits_for(j->mx - j->mn);
	bool in_order = true;
	size_t i;

	j->segmask = sb ? ((uint64_t)1 << sb) - 1 : 0;
	if (sb + pb > 64) {
		for (i = 0; i < j->nseg; i++)
			s->keys[i] = i;
		qsort_r(s->keys, j->nseg, sizeof *s->keys, cmp_seg, s->start);
		j->sorted = s->keys;
		j->segmask = UINT64_MAX;
		return;
	}
	for (i = 0; i < j->nseg; i++) {
		s->keys[i] = ((s->start[i] - j->mn) << sb) | i;
		if (i && s->keys[i] < s->keys[i - 1])
			in_order = false;
	}
	j->sorted = in_order ? s->keys
			     : radix_sort(s->keys, s->tmp, j->nseg, sb, pb);
}

/* Copy the entries of segments [from, to) out of the run read at lo. */
static void kp_copy_out(struct kp_job *j, size_t from, size_t to,
			uint64_t lo)
{
	struct kp_scratch *s = j->s;
	size_t m, q;
	unsigned f;

	for (m = from; m < to; m++) {
		size_t sm = (size_t)(j->sorted[m] & j->segmask);
		size_t off = (size_t)(s->start[sm] - lo), idx = s->idx[sm];
		size_t len = s->len[sm];

		for (f = 0; f < 3; f++) {
			const uint64_t *src = s->buf + f * KP_CHUNK + off;

			if (!j->outs[f])
				continue;
			if (j->stride == sizeof(uint64_t)) {
				memcpy(j->outs[f] + idx, src, len * sizeof *src);
				continue;
			}
			for (q = 0; q < len; q++)
				put_strided(j->outs[f], j->stride, idx + q, src[q]);
		}
	}
}

/* Room for n reads in the scratch's iov array. */
static int kp_iov_room(struct kp_scratch *s, size_t n, struct vms_err *e)
{
	struct root_iov *v = n > s->iovcap ? realloc(s->iov, 2 * n * sizeof *v) : s->iov;

	if (!v) {
		err_sys(e, ENOMEM, "reading page data of %zu runs", n / 3);
		return -1;
	}
	s->iovcap = n > s->iovcap ? 2 * n : s->iovcap;
	s->iov = v;
	return 0;
}

/* The contiguous run of segments from i (within one chunk): its PFNs
 * [*lo, *hi), and the index of the first segment after it. */
static size_t kp_run(const struct kp_job *j, size_t i, uint64_t *lo,
		     uint64_t *hi)
{
	const struct kp_scratch *s = j->s;
	size_t sg = (size_t)(j->sorted[i] & j->segmask), k;
	uint64_t chunk;

	*lo = s->start[sg];
	*hi = *lo + s->len[sg];
	chunk = *lo >> KP_CHUNK_SHIFT;
	for (k = i + 1; k < j->nseg; k++) {
		size_t sk = (size_t)(j->sorted[k] & j->segmask);
		uint64_t st = s->start[sk];

		if (st > *hi || (st >> KP_CHUNK_SHIFT) != chunk)
			break;
		if (st + s->len[sk] > *hi)
			*hi = st + s->len[sk];
	}
	return k;
}

/* The runs of one chunk from segment i, read with one root_preadv (one
 * round trip on a remote root) at their places in the buffer; past the
 * end of a file reads 0.  Returns the first segment of the next chunk. */
static ssize_t kp_read_chunk(struct kp_job *j, size_t i, uint64_t *base,
			     struct vms_err *e)
{
	struct kp_scratch *s = j->s;
	uint64_t lo, hi;
	size_t k, n = 0, m;
	unsigned f;

	*base = s->start[j->sorted[i] & j->segmask] & ~(KP_CHUNK - 1);
	for (k = i; k < j->nseg &&
	     (s->start[j->sorted[k] & j->segmask] & ~(KP_CHUNK - 1)) == *base;) {
		k = kp_run(j, k, &lo, &hi);
		if (kp_iov_room(s, n + 3, e) < 0)
			return -1;
		for (f = 0; f < 3; f++) {
			uint64_t *at = s->buf + f * KP_CHUNK + (lo - *base);

			if (!j->outs[f])
				continue;
			if (lo > KP_PFN_MAX - (hi - lo)) {
				/* cannot be a file offset: past any end */
				memset(at, 0, (size_t)(hi - lo) * sizeof *at);
				kp_note_end(j->k, f, lo);
				continue;
			}
			s->iov[n++] = (struct root_iov){ j->k->file[f], at,
				(size_t)(hi - lo) * sizeof *at, lo * 8, 0 };
		}
	}
	if (root_preadv(s->iov, n, e) < 0)
		return -1;   /* the message names the file */
	for (m = 0; m < n; m++) {
		struct root_iov *v = &s->iov[m];

		if (v->got >= v->n)
			continue;
		memset((char *)v->buf + v->got, 0, v->n - v->got);
		for (f = 0; f < 3; f++)
			if (v->f == j->k->file[f])
				kp_note_end(j->k, f, v->off / 8 + v->got / 8);
	}
	return (ssize_t)k;
}

int kpage_read_strided(struct kpage *k, const uint64_t *pfns,
		       const bool *skip, size_t n, uint64_t *flags,
		       uint64_t *counts, uint64_t *cgroups, size_t stride,
		       struct vms_err *e)
{
	struct kp_job j = { .outs = { flags, counts, cgroups }, .k = k };
	bool any = false;
	size_t i;
	ssize_t next;
	uint64_t base;
	unsigned f;

	if (n == 0)
		return 0;
	j.stride = stride < sizeof(uint64_t) ? sizeof(uint64_t) : stride;
	for (f = 0; f < 3; f++) {
		if (j.outs[f] && !k->file[f]) {
			zero_all(j.outs[f], n, j.stride);
			j.outs[f] = NULL;
		}
		any = any || j.outs[f];
	}
	if (!any)
		return 0;
	if (kp_grow(k, n, e) < 0)
		return -1;
	j.s = k->scratch;
	kp_segments(&j, pfns, skip, n);
	if (j.nseg == 0)
		return 0;
	kp_sort_segments(&j);
	/* every run read (one round trip per chunk), copied to callers' order */
	for (i = 0; i < j.nseg; i = (size_t)next) {
		next = kp_read_chunk(&j, i, &base, e);
		if (next < 0)
			return -1;
		kp_copy_out(&j, i, (size_t)next, base);
	}
	return 0;
}

int kpage_read(struct kpage *k, const uint64_t *pfns, const bool *skip,
	       size_t n, uint64_t *flags, uint64_t *counts, uint64_t *cgroups,
	       struct vms_err *e)
{
	return kpage_read_strided(k, pfns, skip, n, flags, counts, cgroups,
				  sizeof(uint64_t), e);
}
