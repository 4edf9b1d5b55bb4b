/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kranges_tree: kranges_finalize.  The same extent given by several
 * sources becomes one range with every source (the most specific name
 * wins); the ranges are sorted by space, layer (map or zones/nodes),
 * start and size, and nested into a tree as the files nest them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/kranges.h"

/* 0 the map, 1 the zone/node layer. */
static int layer_of(const struct krange *r)
{
	return krange_is_mm(r) ? 1 : 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct krange *x = a, *y = b;
	int lx = layer_of(x), ly = layer_of(y);

	if (x->space != y->space)
		return x->space < y->space ? -1 : 1;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	if (x->to_top != y->to_top)
		return x->to_top ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* How specific a kind is when two sources give the same extent: a
 * generic "reserved" and a "reserved by memmap=" are the same range, the
 * specific name wins.  0: merges only with its own kind. */
static int kind_rank(enum krange_kind k)
{
	switch (k) {
	case KR_RAM: case KR_RESERVED: return 1;
	case KR_UNUSABLE: return 2;
	case KR_ACPI: case KR_PMEM: case KR_CARVEOUT: case KR_CMA: return 3;
	default: return 0;
	}
}

/* Which source names a merged range: the command line's memmap= is the
 * reason a carve-out exists, iomem is what the kernel uses now. */
static int src_rank(enum ksrc s)
{
	static const int rank[KSRC__COUNT] = {
		[KSRC_CMDLINE] = 0, [KSRC_IOMEM] = 1, [KSRC_UIO] = 2,
		[KSRC_VMALLOCINFO] = 3, [KSRC_MODULES] = 4,
		[KSRC_KALLSYMS] = 5, [KSRC_BOOTLOG] = 6, [KSRC_FW_MEMMAP] = 7,
		[KSRC_DERIVED] = 8,
	};

	return (unsigned)s < KSRC__COUNT ? rank[s] : 9;
}

static bool has_src(const struct krange *r, enum ksrc s)
{
	size_t i;

	for (i = 0; i < r->nsrc; i++)
		if (r->src[i].kind == s)
			return true;
	return false;
}

/* Entries of one file that share an extent are distinct resources (a PCI
 * bus inside an ECAM window of the same size, two ioremaps of one page):
 * they nest.  The same extent from different files is one range. */
static bool mergeable(const struct krange *a, const struct krange *b)
{
	static const enum ksrc distinct[] = {
		KSRC_IOMEM, KSRC_VMALLOCINFO, KSRC_UIO, KSRC_FW_MEMMAP,
		KSRC_MODULES,
	};
	int ra = kind_rank(a->kind), rb = kind_rank(b->kind);
	size_t i;

	if (a->space != b->space || a->start != b->start || a->end != b->end ||
	    a->to_top != b->to_top || layer_of(a) != layer_of(b))
		return false;
	if (a->kind != b->kind && !(ra && rb && ra != rb))
		return false;
	for (i = 0; i < sizeof distinct / sizeof distinct[0]; i++)
		if (has_src(a, distinct[i]) && has_src(b, distinct[i]))
			return false;
	return true;
}

static int best_src_rank(const struct krange *r)
{
	int best = 99;
	size_t i;

	for (i = 0; i < r->nsrc; i++)
		if (src_rank(r->src[i].kind) < best)
			best = src_rank(r->src[i].kind);
	return best;
}

/* Fold b into a (a keeps the array slot). */
static int merge_into(struct krange *a, struct krange *b)
{
	struct krange_src *ns;
	bool b_names;

	ns = realloc(a->src, (a->nsrc + b->nsrc) * sizeof *ns);
	if (!ns)
		return -1;
	a->src = ns;
	if (a->kind != b->kind)
		b_names = kind_rank(b->kind) > kind_rank(a->kind);
	else
		b_names = best_src_rank(b) < best_src_rank(a);
	if (b_names) {
		char *t = a->name;

		a->name = b->name;
		b->name = t;
		a->kind = b->kind;
	}
	memcpy(a->src + a->nsrc, b->src, b->nsrc * sizeof *b->src);
	a->nsrc += b->nsrc;
	free(b->src);
	b->src = NULL;
	b->nsrc = 0;
	free(b->name);
	b->name = NULL;
	return 0;
}

/* Sources in the order a person checks them: iomem first, then the
 * others by rank, each by line (stable insertion sort: few sources). */
static void sort_sources(struct krange *r)
{
	size_t i, j;

	for (i = 1; i < r->nsrc; i++) {
		struct krange_src t = r->src[i];

		for (j = i; j > 0; j--) {
			const struct krange_src *p = &r->src[j - 1];
			int a = src_rank(p->kind), b = src_rank(t.kind);

			if (a < b || (a == b && p->line <= t.line))
				break;
			r->src[j] = r->src[j - 1];
		}
		r->src[j] = t;
	}
}

/* RAM that mem= told the kernel not to use: from the limit to the end of
 * the highest RAM range another source describes. */
static void add_mem_limit(struct kranges *k)
{
	uint64_t top = 0;
	size_t i;
	char name[96];

	if (!k->mem_limit)
		return;
	for (i = 0; i < k->n; i++)
		if (k->r[i].space == KSPACE_PHYS && k->r[i].kind == KR_RAM &&
		    k->r[i].end > top)
			top = k->r[i].end;
	if (top <= k->mem_limit)
		return;
	snprintf(name, sizeof name, "left out by %s",
		 k->mem_limit_text ? k->mem_limit_text : "mem=");
	kranges_add(k, KSPACE_PHYS, KR_UNUSABLE, k->mem_limit, top, name,
		    k->mem_limit_src, k->mem_limit_line, k->mem_limit_text,
		    k->mem_limit_text ? strlen(k->mem_limit_text) : 0);
}

static void build_tree(struct kranges *k)
{
	int *stack, *last;
	size_t i, sp = 0;
	int last_top = -1;

	for (i = 0; i < 2 * 2 * 2; i++)
		((size_t *)k->slice)[i] = 0;
	for (i = 0; i < k->n; i++) {
		struct krange *r = &k->r[i];
		int sl = layer_of(r);

		if (i == 0 || r->space != k->r[i - 1].space ||
		    sl != layer_of(&k->r[i - 1]))
			k->slice[r->space][sl][0] = i;
		k->slice[r->space][sl][1] = i + 1;
	}
	/* last[i]: the last child of range i so far, so that appending a
	 * child is O(1) (an iomem of 100,000 siblings was quadratic) */
	stack = malloc((k->n + 1) * sizeof *stack);
	last = malloc((k->n + 1) * sizeof *last);
	if (!stack || !last) {
		free(stack);
		free(last);
		k->oom = true;
		return;
	}
	for (i = 0; i < k->n; i++) {
		struct krange *r = &k->r[i];

		if (i > 0 && (r->space != k->r[i - 1].space ||
			      layer_of(r) != layer_of(&k->r[i - 1]))) {
			sp = 0;
			last_top = -1;
		}
		while (sp > 0) {
			struct krange *t = &k->r[stack[sp - 1]];

			if (t->start <= r->start && r->end <= t->end &&
			    (t->to_top || !r->to_top))
				break;
			sp--;
		}
		r->first_child = r->next_sibling = -1;
		last[i] = -1;
		if (sp > 0) {
			int pi = stack[sp - 1];
			struct krange *p = &k->r[pi];

			r->parent = pi;
			r->depth = p->depth + 1;
			if (p->first_child < 0)
				p->first_child = (int)i;
			else
				k->r[last[pi]].next_sibling = (int)i;
			last[pi] = (int)i;
		} else {
			r->parent = -1;
			r->depth = 0;
			if (last_top >= 0)
				k->r[last_top].next_sibling = (int)i;
			last_top = (int)i;
		}
		stack[sp++] = (int)i;
	}
	free(stack);
	free(last);
}

int kranges_finalize(struct kranges *k, struct vms_err *e)
{
	size_t i, j, out;

	add_mem_limit(k);
	if (k->n)
		qsort(k->r, k->n, sizeof *k->r, cmp_range);
	/* merge equal extents given by several sources */
	for (i = 0; i < k->n; i++) {
		if (!k->r[i].name)
			continue;
		for (j = i + 1; j < k->n && k->r[j].start == k->r[i].start &&
			     k->r[j].end == k->r[i].end &&
			     k->r[j].space == k->r[i].space; j++) {
			if (!k->r[j].name || !mergeable(&k->r[i], &k->r[j]))
				continue;
			if (merge_into(&k->r[i], &k->r[j]) < 0) {
				k->oom = true;
				break;
			}
		}
	}
	for (i = 0, out = 0; i < k->n; i++) {
		if (!k->r[i].name)
			continue;
		if (out != i)
			k->r[out] = k->r[i];
		out++;
	}
	k->n = out;
	for (i = 0; i < k->n; i++)
		sort_sources(&k->r[i]);
	/* a merged range sorts by its first seq: keep the order stable */
	if (k->n)
		qsort(k->r, k->n, sizeof *k->r, cmp_range);
	build_tree(k);
	k->finalized = true;
	if (k->oom) {
		err_sys(e, ENOMEM, "building the map of kernel ranges");
		return -1;
	}
	return 0;
}
