/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote_cache: one round trip per screen refresh.
 *
 * A refresh (a tick of the explorer's timer) reads mostly what the last
 * one read: the same /proc text files, the same pagemap window, the same
 * kpage* runs, the same stats and lists of the cgroup walk.  So while a
 * tick runs, what it reads is noted (paths, ranges, stats, lists); at the
 * start of the next tick all of it is asked at once, as read requests of
 * up to 64 files each and the stats and lists, written back to back and
 * answered in order: one round trip.  The tick's reads are then served
 * from those answers; a read the last ticks did not make goes to the
 * agent as before (and is noted for the next).  Answers live only for
 * their tick: outside a tick nothing is cached.  Entries not used for
 * RC_KEEP ticks are forgotten; those not used by the last tick are asked
 * again only while they are small (RC_STALE_BYTES in all), so a page
 * map that skips its read while the process holds still still gets its
 * window in the round trip, while a zoomed-out map of a GiB is asked
 * only by the tick after one that read it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "remote_int.h"

#define RC_KEEP 6

struct remote_cache *rcache_new(void)
{
	return calloc(1, sizeof(struct remote_cache));
}

static void drop_answers(struct rc_entry *x)
{
	size_t i;

	for (i = 0; i < x->nwant; i++) {
		free(x->want[i].data);
		x->want[i].data = NULL;
		x->want[i].got = 0;
		x->want[i].err = 0;
	}
	root_list_free(x->names, x->nnames);
	x->names = NULL;
	x->nnames = 0;
	x->have = false;
}

static void entry_free(struct rc_entry *x)
{
	drop_answers(x);
	free(x->want);
	free(x->next);
	free(x->path);
	free(x);
}

void rcache_free(struct remote_cache *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->n; i++)
		entry_free(k->e[i]);
	free(k->e);
	free(k);
}

bool rcache_active(const struct remote_cache *k)
{
	return k && k->on;
}

static int cmp_key(char kind, const char *path, const struct rc_entry *x)
{
	if (kind != x->kind)
		return kind < x->kind ? -1 : 1;
	return strcmp(path, x->path);
}

/* The index of (kind, path), or where it would go (*found false). */
static size_t find(const struct remote_cache *k, char kind, const char *path,
		   bool *found)
{
	size_t lo = 0, hi = k->n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_key(kind, path, k->e[mid]);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static const struct rc_entry *lookup(const struct remote_cache *k, char kind,
			       const char *path)
{
	bool found;
	size_t i;

	if (!rcache_active(k))
		return NULL;
	i = find(k, kind, path, &found);
	return found ? k->e[i] : NULL;
}

/* The entry of (kind, path), made when new; NULL when out of memory. */
struct rc_entry *rcache_add(struct remote_cache *k, char kind,
			    const char *path)
{
	struct rc_entry *x, **ne;
	bool found;
	size_t i = find(k, kind, path, &found);

	if (found)
		return k->e[i];
	if (k->n == k->cap) {
		size_t nc = k->cap ? k->cap * 2 : 64;

		if (!(ne = realloc(k->e, nc * sizeof *ne)))
			return NULL;
		k->e = ne;
		k->cap = nc;
	}
	if (!(x = calloc(1, sizeof *x)) || !(x->path = strdup(path))) {
		free(x);
		return NULL;
	}
	x->kind = kind;
	x->used = k->tick;
	memmove(k->e + i + 1, k->e + i, (k->n - i) * sizeof *k->e);
	k->e[i] = x;
	k->n++;
	return x;
}

/* Within a tick: the entry of (kind, path), marked used by the tick. */
static struct rc_entry *note(struct remote_cache *k, char kind,
			     const char *path)
{
	struct rc_entry *x;

	if (!rcache_active(k) || !(x = rcache_add(k, kind, path)))
		return NULL;
	x->used = k->tick;
	return x;
}

/* Drop the prefetched entries (kind 'P'), or only that of rel. */
void rcache_drop_prefetched(struct remote_cache *k, const char *rel)
{
	size_t i, w = 0;

	for (i = 0; k && i < k->n; i++) {
		struct rc_entry *x = k->e[i];

		if ((x->kind == 'P' || x->kind == 'T') &&
		    (!rel || !strcmp(rel, x->path)))
			entry_free(x);
		else
			k->e[w++] = x;
	}
	if (k)
		k->n = w;
}

void rcache_note_stat(struct remote_cache *k, const char *rel)
{
	note(k, 'S', rel);
}

void rcache_note_list(struct remote_cache *k, const char *rel)
{
	note(k, 'L', rel);
}

/* [off, off + len) of rel was read this tick (merged at the tick's end). */
void rcache_note_read(struct remote_cache *k, const char *rel, bool text,
		      uint64_t off, uint64_t len)
{
	struct rc_entry *x = note(k, 'R', rel);
	struct rc_range *g;

	if (!x || !len)
		return;
	x->text = text;
	if (x->nnext) {   /* most reads go on where the last one ended */
		g = &x->next[x->nnext - 1];
		if (off >= g->off && off <= g->off + g->len) {
			if (off + len > g->off + g->len)
				g->len = off + len - g->off;
			return;
		}
	}
	if (x->nnext == x->capnext) {
		size_t nc = x->capnext ? x->capnext * 2 : 4;

		if (!(g = realloc(x->next, nc * sizeof *g)))
			return;
		x->next = g;
		x->capnext = nc;
	}
	x->next[x->nnext++] = (struct rc_range){ .off = off, .len = len };
}

static int cmp_range(const void *a, const void *b)
{
	const struct rc_range *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* Sort and merge the ranges of x->want. */
static void merge_wants(struct rc_entry *x)
{
	size_t i, w = 0;

	qsort(x->want, x->nwant, sizeof *x->want, cmp_range);
	for (i = 0; i < x->nwant; i++) {
		struct rc_range *g = &x->want[i];

		if (w && g->off <= x->want[w - 1].off + x->want[w - 1].len) {
			struct rc_range *h = &x->want[w - 1];

			if (g->off + g->len > h->off + h->len)
				h->len = g->off + g->len - h->off;
			continue;
		}
		x->want[w++] = *g;
	}
	x->nwant = w;
}

/* The tick is over: what it noted becomes what the next one asks. */
void rcache_end(struct remote_cache *k)
{
	size_t i, w = 0;

	if (!rcache_active(k))
		return;
	rcache_drop_prefetched(k, NULL);
	for (i = 0; i < k->n; i++) {
		struct rc_entry *x = k->e[i];

		drop_answers(x);
		if (x->nnext) {
			struct rc_range *t = x->want;
			size_t tc = x->capwant;

			x->want = x->next;
			x->nwant = x->nnext;
			x->capwant = x->capnext;
			x->next = t;
			x->capnext = tc;
			x->nnext = 0;
			merge_wants(x);
		}
		if (k->tick - x->used >= RC_KEEP) {
			entry_free(x);
			continue;
		}
		k->e[w++] = x;
	}
	k->n = w;
	k->on = false;
}

/* ---- the tick's reads served from its answers ---- */

int rcache_open(const struct remote_cache *k, const char *rel, int *err,
		const uint8_t **data, size_t *len, bool *eof)
{
	const struct rc_entry *x = lookup(k, 'R', rel);
	bool found;
	size_t i;

	if ((!x || !x->have) && k) {   /* prefetched, in a tick or not */
		i = find(k, 'P', rel, &found);
		x = found ? k->e[i] : NULL;
	}
	if (!x || !x->have)
		return 0;
	*err = x->err;
	*data = NULL;
	*len = 0;
	*eof = false;
	if (x->nwant && x->want[0].off == 0 && !x->want[0].err) {
		*data = x->want[0].data;
		*len = x->want[0].got;
		*eof = x->want[0].got < x->want[0].len;
	}
	return 1;
}

int rcache_pread(const struct remote_cache *k, const char *rel, void *buf,
		 size_t n, uint64_t off, size_t *got, int *err)
{
	const struct rc_entry *x = lookup(k, 'R', rel);
	size_t lo = 0, hi;
	const struct rc_range *g;

	if (!x || !x->have || x->err || !x->nwant)
		return 0;
	hi = x->nwant;
	while (hi - lo > 1) {   /* the last range starting at or before off */
		size_t mid = lo + (hi - lo) / 2;

		if (x->want[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	g = &x->want[lo];
	if (g->off > off || (off + n > g->off + g->got && g->got == g->len))
		return 0;
	*err = g->err;
	*got = 0;
	if (!g->err && off < g->off + g->got) {
		*got = g->off + g->got - off < n ? (size_t)(g->off + g->got - off) : n;
		memcpy(buf, g->data + (off - g->off), *got);
	}
	return 1;
}

int rcache_stat(const struct remote_cache *k, const char *rel,
		struct root_stat *st, int *err)
{
	const struct rc_entry *x = lookup(k, 'S', rel);
	bool found;
	size_t i;

	if ((!x || !x->have) && k) {   /* prefetched, in a tick or not */
		i = find(k, 'T', rel, &found);
		x = found ? k->e[i] : NULL;
	}
	if (!x || !x->have)
		return 0;
	*err = x->err;
	*st = x->st;
	return 1;
}

int rcache_list(const struct remote_cache *k, const char *rel, char ***names,
		size_t *n, int *err)
{
	const struct rc_entry *x = lookup(k, 'L', rel);
	size_t i;

	if (!x || !x->have)
		return 0;
	*err = x->err;
	*names = NULL;
	*n = 0;
	if (x->err)
		return 1;
	if (!(*names = calloc(x->nnames ? x->nnames : 1, sizeof **names)))
		return 0;
	for (i = 0; i < x->nnames; i++)
		if (!((*names)[i] = strdup(x->names[i]))) {
			root_list_free(*names, i);
			*names = NULL;
			return 0;
		}
	*n = x->nnames;
	return 1;
}
