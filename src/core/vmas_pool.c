/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_pool: the values a list's VMAs share, kept once: VmFlags texts
 * and blocks of smaps fields.  100,000 one-page VMAs of one kind have
 * one VmFlags text and one smaps block between them; before, each VMA
 * held its own (312 of its 392 bytes).  A list whose VMAs all differ
 * costs an entry header and a slot more per VMA than before.  Internal
 * to the vmas module (vmas_int.h); freed with the list. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vmas_int.h"

struct pool_ent {
	struct pool_ent *next;
	uint64_t hash;
	size_t len;
	uint64_t data[];       /* len bytes, aligned for uint64_t */
};

struct vmas_pool {
	struct pool_ent **tab;
	size_t cap, n;         /* cap: a power of two */
	/* the last one put of each sort (smaps blocks, texts): runs of
	 * VMAs repeat them */
	const struct pool_ent *last[2];
};

/* A word at a time: smaps blocks are 27 words. */
static uint64_t pool_hash(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = UINT64_C(0xcbf29ce484222325) ^ len, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * UINT64_C(0x100000001b3);
		h ^= h >> 29;
	}
	while (len--)
		h = (h ^ *p++) * UINT64_C(0x100000001b3);
	return h ^ (h >> 32);
}

static bool pool_grow(struct vmas_pool *p)
{
	size_t ncap = p->cap ? p->cap * 2 : 64, i;
	struct pool_ent **nt;

	if (ncap > SIZE_MAX / sizeof *nt)
		return false;
	nt = calloc(ncap, sizeof *nt);
	if (!nt)
		return false;
	for (i = 0; i < p->cap; i++) {
		struct pool_ent *x = p->tab[i], *next;

		for (; x; x = next) {
			next = x->next;
			x->next = nt[x->hash & (ncap - 1)];
			nt[x->hash & (ncap - 1)] = x;
		}
	}
	free(p->tab);
	p->tab = nt;
	p->cap = ncap;
	return true;
}

const void *vmas_pool_put(struct vmas_pool **pp, const void *data,
			  size_t len, struct vms_err *e)
{
	struct vmas_pool *p = *pp;
	struct pool_ent *x;
	uint64_t h;
	int sort = len == sizeof(uint64_t) * SMAPS__COUNT;

	if (p && p->last[sort] && p->last[sort]->len == len &&
	    memcmp(p->last[sort]->data, data, len) == 0)
		return p->last[sort]->data;
	if (!p && !(p = *pp = calloc(1, sizeof *p)))
		goto nomem;
	h = pool_hash(data, len);
	if (p->cap)
		for (x = p->tab[h & (p->cap - 1)]; x; x = x->next)
			if (x->hash == h && x->len == len &&
			    memcmp(x->data, data, len) == 0) {
				p->last[sort] = x;
				return x->data;
			}
	if ((p->n + 1 > p->cap / 2 * 3 || !p->cap) && !pool_grow(p))
		goto nomem;
	if (len > SIZE_MAX - sizeof *x || !(x = malloc(sizeof *x + len)))
		goto nomem;
	x->hash = h;
	x->len = len;
	memcpy(x->data, data, len);
	x->next = p->tab[h & (p->cap - 1)];
	p->tab[h & (p->cap - 1)] = x;
	p->n++;
	p->last[sort] = x;
	return x->data;
nomem:
	err_sys(e, ENOMEM, "keeping the mappings' smaps data");
	return NULL;
}

void vmas_pool_free(struct vmas_pool *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->cap; i++) {
		struct pool_ent *x = p->tab[i], *next;

		for (; x; x = next) {
			next = x->next;
			free(x);
		}
	}
	free(p->tab);
	free(p);
}

size_t vmas_pool_size(const struct vmas_pool *p)
{
	return p ? p->n : 0;
}

/* Put every value the list's VMAs point to into *np; with update, point
 * them at the copies (which are then found, never made: no failure). */
static int pool_copy(struct vma_list *l, struct vmas_pool **np, bool update)
{
	const size_t blk = sizeof(uint64_t) * SMAPS__COUNT;
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct vma *v = &l->v[i];
		const void *b = v->smaps, *t = v->vmflags_text;

		if (b && b != vmas_no_smaps && !(b = vmas_pool_put(np, b, blk, NULL)))
			return -1;
		if (t && !(t = vmas_pool_put(np, t, strlen(t) + 1, NULL)))
			return -1;
		if (update) {
			v->smaps = b;
			v->vmflags_text = t;
		}
	}
	return 0;
}

void vmas_pool_tidy(struct vma_list *l)
{
	struct vmas_pool *np = NULL;

	if (!l->pool || l->pool->n <= 2 * l->n + 256)
		return;
	if (pool_copy(l, &np, false) < 0) {
		vmas_pool_free(np);   /* out of memory: keep the old one */
		return;
	}
	pool_copy(l, &np, true);
	vmas_pool_free(l->pool);
	l->pool = np;
}
