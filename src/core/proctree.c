/* SPDX-License-Identifier: GPL-3.0-or-later */
/* proctree: the process tree's order, depths and lines (see
 * vmscope/proctree.h).  Iterative throughout: a chain of a million
 * parents in a snapshot must not exhaust the stack. */
#include <stdlib.h>
#include <string.h>
#include "vmscope/proctree.h"

#define NONE ((size_t)-1)

struct by_id {
	int id;
	size_t item;
};

static int cmp_by_id(const void *a, const void *b)
{
	const struct by_id *x = a, *y = b;

	if (x->id != y->id)
		return (x->id > y->id) - (x->id < y->id);
	return (x->item > y->item) - (x->item < y->item);
}

/* The item whose id is id (the first in input order), or NONE. */
static size_t find_id(const struct by_id *s, size_t n, int id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && s[lo].id == id ? s[lo].item : NONE;
}

/* Cut every cycle of up[]: walk each chain of parents, marking items
 * in progress (1) and done (2); a chain that meets an item in progress
 * closed a cycle there, and that item (the first of the cycle met)
 * loses its parent: it becomes a root. */
static void cut_cycles(size_t *up, unsigned char *state, size_t n)
{
	size_t i, j, cycle;

	for (i = 0; i < n; i++) {
		for (j = i; j != NONE && state[j] == 0; j = up[j])
			state[j] = 1;
		cycle = j != NONE && state[j] == 1 ? j : NONE;
		for (j = i; j != NONE && state[j] == 1; j = up[j])
			state[j] = 2;
		if (cycle != NONE)
			up[cycle] = NONE;
	}
}

static void walk(const size_t *up, const size_t *first, const size_t *next,
		 size_t root, struct proctree_row *out, size_t *k)
{
	size_t node = root;
	unsigned depth = 0;
	uint64_t more = 0;

	for (;;) {
		if (depth > 0 && depth < PROCTREE_DEPTH_BITS) {
			uint64_t bit = UINT64_C(1) << depth;

			more = (more & (bit - 1)) | (next[node] != NONE ? bit : 0);
		}
		out[*k].item = node;
		out[*k].depth = depth;
		out[*k].more = more;
		(*k)++;
		if (first[node] != NONE) {
			node = first[node];
			depth++;
			continue;
		}
		while (node != root && next[node] == NONE) {
			node = up[node];
			depth--;
		}
		if (node == root)
			return;
		node = next[node];
	}
}

int proctree_build(const int *id, const int *parent, size_t n,
		   struct proctree_row *out)
{
	struct by_id *s = malloc((n ? n : 1) * sizeof *s);
	size_t *up = malloc((n ? n : 1) * 4 * sizeof *up);
	unsigned char *state = calloc(n ? n : 1, 1);
	size_t *first, *last, *next, i, k = 0;

	if (!s || !up || !state) {
		free(s);
		free(up);
		free(state);
		return -1;
	}
	first = up + n;
	last = first + n;
	next = last + n;
	for (i = 0; i < n; i++)
		s[i] = (struct by_id){ id[i], i };
	qsort(s, n, sizeof *s, cmp_by_id);
	for (i = 0; i < n; i++) {
		up[i] = parent[i] == id[i] ? NONE : find_id(s, n, parent[i]);
		if (up[i] == i)
			up[i] = NONE;
		first[i] = last[i] = next[i] = NONE;
	}
	cut_cycles(up, state, n);
	/* children in input order */
	for (i = 0; i < n; i++) {
		size_t p = up[i];

		if (p == NONE)
			continue;
		if (last[p] == NONE)
			first[p] = i;
		else
			next[last[p]] = i;
		last[p] = i;
	}
	for (i = 0; i < n; i++)
		if (up[i] == NONE)
			walk(up, first, next, i, out, &k);
	free(s);
	free(up);
	free(state);
	return 0;
}

void proctree_prefix(const struct proctree_row *r, bool utf8, char *buf,
		     size_t n)
{
	static const char *const u8[] = { "\xe2\x94\x82  ", "   ",
		"\xe2\x94\x9c\xe2\x94\x80 ", "\xe2\x94\x94\xe2\x94\x80 " };
	static const char *const asc[] = { "|  ", "   ", "|- ", "`- " };
	const char *const *g = utf8 ? u8 : asc;
	size_t l = 0;
	unsigned d;

	if (!n)
		return;
	buf[0] = '\0';
	for (d = 1; d <= r->depth; d++) {
		bool more = d < PROCTREE_DEPTH_BITS &&
			    (r->more >> d & 1);
		const char *piece = d < r->depth ? g[more ? 0 : 1]
						 : g[more ? 2 : 3];
		size_t pl = strlen(piece);

		if (l + pl >= n)
			break;
		memcpy(buf + l, piece, pl + 1);
		l += pl;
	}
}
