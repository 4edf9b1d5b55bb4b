/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kranges_heat: the heat strip of RAM, kpageflags of every frame (or a
 * sample) counted by category in cells over the RAM ranges of the map. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/kranges.h"
#include "vmscope/ramclass.h"

static const char *const heat_names[KHEAT__COUNT] = {
	[KHEAT_FREE] = "free", [KHEAT_ANON] = "anon", [KHEAT_FILE] = "file",
	[KHEAT_SLAB] = "slab", [KHEAT_PGTABLE] = "pgtable",
	[KHEAT_RESERVED] = "reserved", [KHEAT_OTHER] = "other",
	[KHEAT_NOT_RAM] = "not-ram",
};

const char *kheat_cat_name(enum kheat_cat c)
{
	return (unsigned)c < KHEAT__COUNT ? heat_names[c] : "?";
}

#define KF(b) (UINT64_C(1) << (b))

enum kheat_cat kheat_classify(uint64_t f)
{
	if (f & KF(KPF_NOPAGE))
		return KHEAT_NOT_RAM;
	if (f & KF(KPF_BUDDY))
		return KHEAT_FREE;
	if (f & KF(KPF_SLAB))
		return KHEAT_SLAB;
	if (f & KF(KPF_PGTABLE))
		return KHEAT_PGTABLE;
	if (f & KF(KPF_ANON))
		return KHEAT_ANON;
	if (f & (KF(KPF_LRU) | KF(KPF_MMAP) | KF(KPF_SWAPCACHE)))
		return KHEAT_FILE;
	if (f & KF(KPF_RESERVED))
		return KHEAT_RESERVED;
	return KHEAT_OTHER;
}

/* Disjoint sorted PFN intervals of RAM. */
struct pfnrun { uint64_t lo, hi; };

static int cmp_run(const void *a, const void *b)
{
	const struct pfnrun *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static size_t ram_runs(const struct kranges *k, unsigned shift,
		       struct pfnrun **out)
{
	struct pfnrun *v;
	size_t i, n = 0, m = 0;

	*out = NULL;
	v = malloc((k->n + 1) * sizeof *v);
	if (!v)
		return 0;
	for (i = 0; i < k->n; i++) {
		const struct krange *r = &k->r[i];

		if (r->space != KSPACE_PHYS || !(r->kind == KR_RAM ||
		    r->kind == KR_KERNEL || r->kind == KR_CMA))
			continue;
		v[n].lo = r->start >> shift;
		v[n].hi = (r->end + ((UINT64_C(1) << shift) - 1)) >> shift;
		if (r->end > UINT64_MAX - ((UINT64_C(1) << shift) - 1))
			v[n].hi = UINT64_MAX >> shift;
		n++;
	}
	if (n)
		qsort(v, n, sizeof *v, cmp_run);
	for (i = 0; i < n; i++) {
		if (m && v[i].lo <= v[m - 1].hi) {
			if (v[i].hi > v[m - 1].hi)
				v[m - 1].hi = v[i].hi;
		} else {
			v[m++] = v[i];
		}
	}
	*out = v;
	return m;
}

/* What the reads of one strip share: the RAM runs, where in them the
 * last read was, the classifier's walk (ramclass.h: free blocks, deferred
 * tails), the buffers. */
struct heat_reader {
	struct kpage *kp;
	const struct pfnrun *runs;
	size_t nruns;
	size_t ri;            /* the first run that may hold the next PFN */
	struct ramclass own, *rc;
	uint64_t *pfns, *flags;
};

#define HEAT_BATCH 65536u

static void heat_count(struct heat_reader *hr, struct kheat_cell *c,
		       uint64_t pfn, uint64_t flags)
{
	int uninit;
	enum kheat_cat cat = ramclass_frame(hr->rc, pfn, flags, &uninit);

	c->count[cat]++;
	c->uninit += (uint32_t)(uninit && cat == KHEAT_FREE);
}

/* Read flags of [lo, hi) (all RAM) into cell c. */
static int heat_read(struct heat_reader *hr, struct kheat_cell *c,
		     uint64_t lo, uint64_t hi, struct vms_err *e)
{
	while (lo < hi) {
		size_t n = hi - lo > HEAT_BATCH ? HEAT_BATCH : (size_t)(hi - lo), i;

		for (i = 0; i < n; i++)
			hr->pfns[i] = lo + i;
		if (kpage_read(hr->kp, hr->pfns, NULL, n, hr->flags, NULL, NULL,
			       e) < 0)
			return -1;
		for (i = 0; i < n; i++)
			heat_count(hr, c, lo + i, hr->flags[i]);
		lo += n;
	}
	return 0;
}

/* Count [lo, hi) of cell c: RAM parts read (or sampled), the rest
 * NOT_RAM. */
static int heat_span(struct heat_reader *hr, struct kheat_cell *c,
		     uint64_t lo, uint64_t hi, struct vms_err *e)
{
	const struct pfnrun *runs = hr->runs;
	uint64_t pos = lo;

	while (pos < hi) {
		while (hr->ri < hr->nruns && runs[hr->ri].hi <= pos)
			hr->ri++;
		if (hr->ri >= hr->nruns || runs[hr->ri].lo >= hi) {
			c->count[KHEAT_NOT_RAM] += (uint32_t)(hi - pos);
			ramclass_break(hr->rc);
			return 0;
		}
		if (runs[hr->ri].lo > pos) {
			c->count[KHEAT_NOT_RAM] += (uint32_t)(runs[hr->ri].lo - pos);
			ramclass_break(hr->rc);
			pos = runs[hr->ri].lo;
		}
		{
			uint64_t end = runs[hr->ri].hi < hi ? runs[hr->ri].hi : hi;

			if (heat_read(hr, c, pos, end, e) < 0)
				return -1;
			pos = end;
		}
	}
	return 0;
}

/* span * i / n without overflow (i <= n, both small) */
static uint64_t cell_off(uint64_t span, size_t i, size_t n)
{
	return (span / n) * i + (span % n) * i / n;
}

/* The category with the most pages (ties: the lower one). */
static uint8_t cell_dominant(const struct kheat_cell *c)
{
	unsigned b, best = KHEAT_NOT_RAM;

	for (b = 0; b < KHEAT__COUNT; b++)
		if (c->count[b] > c->count[best] ||
		    (c->count[b] == c->count[best] && b < best))
			best = b;
	return (uint8_t)best;
}

/* Fill cell c, [cs, ce): every PFN, or with maxc (and a wider cell)
 * blocks of 64 pages spread over it. */
static int heat_cell(struct heat_reader *hr, struct kheat_cell *c,
		     uint64_t cs, uint64_t ce, uint32_t maxc,
		     struct vms_err *e)
{
	c->pfn_start = cs;
	c->pfn_end = ce;
	if (maxc && ce - cs > maxc) {
		uint64_t nblk = (maxc + 63) / 64, step = (ce - cs) / nblk, bi;

		c->sampled = true;
		for (bi = 0; bi < nblk; bi++) {
			uint64_t s = cs + bi * step;
			uint64_t t = s + 64 < ce ? s + 64 : ce;

			ramclass_break(hr->rc);
			if (heat_span(hr, c, s, t, e) < 0)
				return -1;
		}
	} else if (heat_span(hr, c, cs, ce, e) < 0) {
		return -1;
	}
	c->dominant = cell_dominant(c);
	return 0;
}

/* The PFN range of the strip: [*lo, *hi) as asked, both 0 for the RAM
 * extent of runs.  0, or -1 with e set. */
static int heat_extent(const struct pfnrun *runs, size_t nruns,
		       uint64_t *lo, uint64_t *hi, struct vms_err *e)
{
	if (*lo == 0 && *hi == 0) {
		if (nruns == 0) {
			err_set(e, VMS_EUNSUP,
				"no RAM range is known (no /proc/iomem, firmware memmap or boot log): nothing to draw");
			return -1;
		}
		*lo = runs[0].lo;
		*hi = runs[nruns - 1].hi;
	}
	if (*hi <= *lo) {
		err_set(e, EINVAL, "empty PFN range 0x%llx-0x%llx for the heat strip",
			(unsigned long long)*lo, (unsigned long long)*hi);
		return -1;
	}
	return 0;
}

/* The flagless suffix of run r: sample the first frame of each
 * 1024-frame block backwards from the end, a section (2^15 frames) at a
 * time, until a sample has flags; then read that section whole.  About
 * one pread per 1024 frames of tail. */
static int run_tail(struct kpage *kp, const struct pfnrun *r, uint64_t *buf,
		    uint64_t *pfns, uint64_t *lo, struct vms_err *e)
{
	uint64_t hi = r->hi, s = hi;

	*lo = hi;
	while (s > r->lo) {
		uint64_t b = s - r->lo > RAMCLASS_TAIL_MIN ? s - RAMCLASS_TAIL_MIN : r->lo;
		size_t n = 0, i, k;
		bool flagged = false;

		for (k = 0; b + k * 1024 < s; k++)
			pfns[n++] = b + k * 1024;
		if (kpage_read(kp, pfns, NULL, n, buf, NULL, NULL, e) < 0)
			return -1;
		for (i = 0; i < n && !flagged; i++)
			flagged = buf[i] != 0;
		if (flagged) {
			n = (size_t)(s - b);
			for (i = 0; i < n; i++)
				pfns[i] = b + i;
			if (kpage_read(kp, pfns, NULL, n, buf, NULL, NULL, e) < 0)
				return -1;
			*lo = s - ramclass_flagless_suffix(buf, n);
			return 0;
		}
		*lo = s = b;
	}
	return 0;
}

int kranges_ram_tails(const struct kranges *k, struct kpage *kp,
		      unsigned page_shift, unsigned addr_bits,
		      struct ramclass *rc, struct vms_err *e)
{
	struct pfnrun *runs = NULL;
	size_t nruns, i;
	uint64_t *buf = NULL, *pfns = NULL, frames = 0, lo;
	int rcode = -1;

	ramclass_init(rc);
	if (kpage_check(kp, 1, e) < 0)
		return -1;
	nruns = ram_runs(k, page_shift, &runs);
	buf = malloc(RAMCLASS_TAIL_MIN * sizeof *buf);
	pfns = malloc(RAMCLASS_TAIL_MIN * sizeof *pfns);
	if (!runs || !buf || !pfns) {
		err_sys(e, ENOMEM, "reading where RAM is not yet initialised");
		goto out;
	}
	for (i = 0; i < nruns; i++) {
		frames += runs[i].hi - runs[i].lo;
		if (run_tail(kp, &runs[i], buf, pfns, &lo, e) < 0)
			goto out;
		ramclass_add_tail(rc, lo, runs[i].hi);
	}
	ramclass_place_memmap(rc, frames, addr_bits > 32 ? 64 : 32,
			      1u << page_shift);
	rcode = 0;
out:
	free(runs);
	free(buf);
	free(pfns);
	return rcode;
}

int kranges_ram_heat(const struct kranges *k, struct kpage *kp,
		     unsigned page_shift, const struct kheat_opts *o,
		     size_t ncells, struct kheat_cell *out, struct vms_err *e)
{
	struct pfnrun *runs = NULL;
	struct heat_reader hr = { .kp = kp };
	uint64_t lo = o ? o->pfn_start : 0, hi = o ? o->pfn_end : 0, span;
	uint32_t maxc = o ? o->max_per_cell : 0;
	size_t i;
	int rc = -1;

	if (ncells == 0)
		return 0;
	memset(out, 0, ncells * sizeof *out);
	if (kpage_check(kp, 1, e) < 0)
		return -1;
	hr.nruns = ram_runs(k, page_shift, &runs);
	hr.runs = runs;
	if (!runs) {
		err_sys(e, ENOMEM, "heat strip of RAM");
		return -1;
	}
	if (heat_extent(runs, hr.nruns, &lo, &hi, e) < 0)
		goto out;
	hr.rc = o && o->rc ? o->rc : &hr.own;
	if (hr.rc == &hr.own &&
	    kranges_ram_tails(k, kp, page_shift, o ? o->addr_bits : 64, &hr.own, e) < 0)
		goto out;
	hr.pfns = malloc(HEAT_BATCH * sizeof *hr.pfns);
	hr.flags = malloc(HEAT_BATCH * sizeof *hr.flags);
	if (!hr.pfns || !hr.flags) {
		err_sys(e, ENOMEM, "heat strip of RAM");
		goto out;
	}
	span = hi - lo;
	/* cell i covers [lo + span*i/ncells, lo + span*(i+1)/ncells) */
	for (i = 0; i < ncells; i++)
		if (heat_cell(&hr, &out[i], lo + cell_off(span, i, ncells),
			      lo + cell_off(span, i + 1, ncells), maxc, e) < 0)
			goto out;
	rc = 0;
out:
	free(runs);
	free(hr.pfns);
	free(hr.flags);
	return rc;
}
