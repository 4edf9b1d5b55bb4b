/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pagegrid: cells of 2^zoom pages and their counts, read with one pread
 * per run of raw entries, one PAGEMAP_SCAN walk, or one pagemap_count
 * per cell, whichever the zoom and the kernel make cheapest. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/pagegrid.h"

/* Pages read as raw entries per fill before it switches to one
 * pagemap_count per cell; entries per pread. */
#define RAW_LIMIT (UINT64_C(1) << 18)
#define RAW_CHUNK ((size_t)1 << 16)

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

uint64_t pagegrid_ncells(uint64_t npages, unsigned zoom)
{
	return (npages + ((UINT64_C(1) << zoom) - 1)) >> zoom;
}

uint32_t pagegrid_cell_pages(uint64_t npages, unsigned zoom, uint64_t cell)
{
	uint64_t cs = cell << zoom, ce = cs + (UINT64_C(1) << zoom);

	if (cs >= npages)
		return 0;
	return (uint32_t)((ce > npages ? npages : ce) - cs);
}

unsigned pagegrid_fit_zoom(uint64_t npages, uint64_t room, unsigned max_zoom)
{
	unsigned z = 0;

	if (room < 1)
		room = 1;
	while (z < max_zoom && pagegrid_ncells(npages, z) > room)
		z++;
	return z;
}

void pagegrid_cell_start(struct pagegrid_cell *c, uint32_t pages)
{
	memset(c, 0, sizeof *c);
	c->type = PAGEGRID_PAGES;
	c->pages = pages;
	c->hash = FNV_OFFSET;
}

void pagegrid_count_entry(struct pagegrid_cell *c, uint64_t pm)
{
	c->hash = (c->hash ^ pm) * FNV_PRIME;
	if (pm & PM_PRESENT) {
		c->present++;
		if (pm & PM_FILE_SHARED)
			c->file++;
	} else if (pages_pm_swapped(pm)) {
		c->swapped++;
	}
}

void pagegrid_count_kflags(struct pagegrid_cell *c, uint64_t kflags)
{
	if (pages_kflags_zero(kflags))
		c->zero++;
	else if (pages_kflags_thp(kflags))
		c->thp++;
}

void pagegrid_cell_from_counts(struct pagegrid_cell *c,
			       const struct pagemap_counts *pc)
{
	c->present = (uint32_t)pc->present;
	c->swapped = (uint32_t)pc->swapped;
	c->file = (uint32_t)pc->present_file;
	c->thp = (uint32_t)pc->huge;
	c->zero = (uint32_t)pc->pfnzero;
}

void pagegrid_cell_finish(struct pagegrid_cell *c, bool hugetlb,
			  bool anon_known)
{
	uint32_t rest;

	if (hugetlb) {
		c->hugetlb = c->present;
		c->file = c->thp = c->zero = c->anon = c->unknown = 0;
		return;
	}
	if (c->zero > c->present)
		c->zero = c->present;
	if (c->thp > c->present - c->zero)
		c->thp = c->present - c->zero;
	rest = c->present - c->zero - c->thp;
	if (c->file > rest)
		c->file = rest;
	rest -= c->file;
	if (anon_known) {
		c->anon = rest;
		c->unknown = 0;
	} else {
		c->anon = 0;
		c->unknown = rest;
	}
}

bool pagegrid_cell_differs(const struct pagegrid_cell *x,
			   const struct pagegrid_cell *y)
{
	return x->type != y->type || x->pages != y->pages ||
	       x->present != y->present || x->swapped != y->swapped ||
	       x->file != y->file || x->thp != y->thp || x->zero != y->zero ||
	       x->anon != y->anon || x->unknown != y->unknown ||
	       x->hugetlb != y->hugetlb;
}

struct pagegrid_look pagegrid_cell_look(const struct pagegrid_cell *c)
{
	const struct { enum page_state st; uint32_t n; } kinds[] = {
		{ PAGE_ANON, c->anon }, { PAGE_FILE, c->file },
		{ PAGE_THP, c->thp }, { PAGE_ZERO, c->zero },
		{ PAGE_HUGETLB, c->hugetlb }, { PAGE_PRESENT, c->unknown },
	};
	struct pagegrid_look l = { PAGE_NOT_PRESENT, PAGEGRID_MARK_STATE, 0 };
	uint32_t best = 0;
	size_t i;

	if (c->type == PAGEGRID_HOLE || c->type == PAGEGRID_NONE) {
		l.state = PAGE_HOLE;
		return l;
	}
	if (c->type == PAGEGRID_GAP) {
		l.state = PAGE_GAP;
		return l;
	}
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (kinds[i].n > best) {
			best = kinds[i].n;
			l.state = kinds[i].st;
		}
	}
	if (best && best == c->pages)
		return l;
	if (c->present) {
		unsigned t = (unsigned)((uint64_t)c->present * 10 / c->pages);

		l.mark = PAGEGRID_MARK_TENTHS;
		l.tenths = t < 1 ? 1 : t > 9 ? 9 : t;
	} else if (c->swapped) {
		l.state = PAGE_SWAPPED;
		if (c->swapped != c->pages)
			l.mark = PAGEGRID_MARK_SOME_SWAPPED;
	} else {
		l.state = PAGE_NOT_PRESENT;
	}
	return l;
}

/* ---- reading ---- */

int pagegrid_reader_init(struct pagegrid_reader *r, struct vms_err *e)
{
	memset(r, 0, sizeof *r);
	r->raw = malloc(RAW_CHUNK * sizeof *r->raw);
	if (!r->raw) {
		err_set(e, ENOMEM, "out of memory");
		return -1;
	}
	return 0;
}

void pagegrid_reader_free(struct pagegrid_reader *r)
{
	free(r->raw);
	free(r->kpfn);
	free(r->kfl);
	free(r->kidx);
	free(r->cnt);
	memset(r, 0, sizeof *r);
}

/* One fill: the span, its cells c0.. and where they go. */
struct fill {
	struct pagegrid_reader *r;
	struct pages_ctx *pc;
	const struct pagegrid_span *s;
	uint64_t c0, nc;        /* first cell, cells */
	uint64_t first, total;  /* pages of the cells, from the span's start */
	struct pagegrid_cell *out;
	bool visible;
};

/* The address of page pg of the span. */
static uint64_t fill_addr(const struct fill *f, uint64_t pg)
{
	return f->s->start + (pg << f->pc->pm.page_shift);
}

/* THP and zero-page counts from kpageflags instead of PAGEMAP_SCAN:
 * where the kernel has no PAGEMAP_SCAN, a snapshot above all, while the
 * PFNs are visible and kpageflags is there. */
static bool by_kflags(const struct fill *f)
{
	return f->visible && kpage_has(&f->pc->kp, PAGES_KFLAGS) &&
	       !pagemap_scan_supported(&f->pc->pm);
}

/* The buffers for kpageflags, allocated on first use. */
static int kflags_buffers(struct pagegrid_reader *r, struct vms_err *e)
{
	if (r->kpfn)
		return 0;
	r->kpfn = malloc(RAW_CHUNK * sizeof *r->kpfn);
	r->kfl = malloc(RAW_CHUNK * sizeof *r->kfl);
	r->kidx = malloc(RAW_CHUNK * sizeof *r->kidx);
	if (!r->kpfn || !r->kfl || !r->kidx) {
		free(r->kpfn);
		free(r->kfl);
		free(r->kidx);
		r->kpfn = r->kfl = NULL;
		r->kidx = NULL;
		err_set(e, ENOMEM, "out of memory for the page map");
		return -1;
	}
	return 0;
}

/* Count the THP and zero pages among the present entries r->raw[0..k)
 * (pages done.. of the cells) by their kpageflags: one kpage_read of
 * those PFNs, judged as the page table judges them. */
static int kflags_thp_zero(struct fill *f, uint64_t done, size_t k,
			   struct vms_err *e)
{
	struct pagegrid_reader *r = f->r;
	size_t j, m = 0;

	if (f->s->hugetlb || !by_kflags(f))
		return 0;
	if (kflags_buffers(r, e) < 0)
		return -1;
	for (j = 0; j < k; j++) {
		uint64_t pfn;

		if (!pages_pm_pfn(r->raw[j], f->visible, &pfn))
			continue;
		r->kpfn[m] = pfn;
		r->kidx[m] = (uint32_t)((done + j) >> f->s->zoom);
		m++;
	}
	if (!m)
		return 0;
	if (kpage_read(&f->pc->kp, r->kpfn, NULL, m, r->kfl, NULL, NULL, e) < 0)
		return -1;
	for (j = 0; j < m; j++)
		pagegrid_count_kflags(&f->out[r->kidx[j]], r->kfl[j]);
	return 0;
}

/* Zoomed out on a live process: one PAGEMAP_SCAN walk gives every
 * cell's counts (present, file, swapped, THP, zero page), its cost
 * following the regions the kernel reports, not the pages: no entries
 * are copied out and counted one by one. */
static int fill_by_scan(struct fill *f, struct vms_err *e)
{
	struct pagegrid_reader *r = f->r;
	size_t nc = (size_t)f->nc, i;

	if (r->cnt_cap < nc) {
		struct pagemap_counts *n = calloc(nc, sizeof *n);

		if (!n) {
			err_set(e, ENOMEM, "out of memory for the page map");
			return -1;
		}
		free(r->cnt);
		r->cnt = n;
		r->cnt_cap = nc;
	}
	if (pagemap_count_cells(&f->pc->pm, fill_addr(f, f->first),
				fill_addr(f, f->first + f->total), f->s->zoom,
				r->cnt, nc, e) < 0)
		return -1;
	for (i = 0; i < nc; i++) {
		pagegrid_cell_from_counts(&f->out[i], &r->cnt[i]);
		pagegrid_cell_finish(&f->out[i], false, f->visible);
	}
	return 0;
}

/* THP and zero-page counts of the cells in lo..hi marked changed. */
static int scan_changed(struct fill *f, uint64_t lo, uint64_t hi,
			uint64_t need, struct vms_err *e)
{
	const unsigned z = f->s->zoom;
	struct pagegrid_cell *out = f->out;
	struct pagemap_counts cnt;
	uint64_t ls = (f->c0 + lo) << z, hs = ((f->c0 + hi) << z) + out[hi].pages;
	uint64_t i;

	if (pagemap_count(&f->pc->pm, fill_addr(f, ls), fill_addr(f, hs), &cnt,
			  e) < 0)
		return -1;
	if (need == 1) {
		out[lo].thp = (uint32_t)cnt.huge;
		out[lo].zero = (uint32_t)cnt.pfnzero;
	} else if (cnt.huge || cnt.pfnzero) {
		for (i = lo; i <= hi; i++) {
			struct pagegrid_cell *c = &out[i];
			uint64_t cs = (f->c0 + i) << z;

			if (!c->changed)
				continue;
			if (pagemap_count(&f->pc->pm, fill_addr(f, cs),
					  fill_addr(f, cs + c->pages), &cnt, e) < 0)
				return -1;
			c->thp = (uint32_t)cnt.huge;
			c->zero = (uint32_t)cnt.pfnzero;
		}
	}
	for (i = lo; i <= hi; i++)
		out[i].changed = false;
	return 0;
}

/* THP and zero page: PAGEMAP_SCAN, only for cells with present pages
 * whose entries changed since the last refresh (the others keep what
 * they had): first one call over the span of those cells, then per cell
 * only when it found any. */
static int raw_thp_zero(struct fill *f, const struct pagegrid_cell *prev,
			struct vms_err *e)
{
	uint64_t lo = UINT64_MAX, hi = 0, need = 0, i;

	for (i = 0; i < f->nc; i++) {
		struct pagegrid_cell *c = &f->out[i];

		if (!c->present)
			continue;
		if (prev && prev[i].type == PAGEGRID_PAGES &&
		    prev[i].hash == c->hash && prev[i].pages == c->pages) {
			c->thp = prev[i].thp;
			c->zero = prev[i].zero;
			continue;
		}
		c->type = PAGEGRID_PAGES;
		c->changed = true; /* marks "needs counts" here */
		if (i < lo)
			lo = i;
		hi = i;
		need++;
	}
	return need ? scan_changed(f, lo, hi, need, e) : 0;
}

/* The raw entries of the cells, one pread per chunk. */
static int fill_raw(struct fill *f, const struct pagegrid_cell *prev,
		    struct vms_err *e)
{
	uint64_t done, i;
	bool any_present = false;

	for (done = 0; done < f->total; ) {
		size_t k = f->total - done > RAW_CHUNK ? RAW_CHUNK
						       : (size_t)(f->total - done);
		size_t j;

		if (pagemap_read(&f->pc->pm, fill_addr(f, f->first + done), k,
				 f->r->raw, e) < 0)
			return -1;
		for (j = 0; j < k; j++)
			pagegrid_count_entry(&f->out[(done + j) >> f->s->zoom],
					     pagemap_clean(f->r->raw[j],
							   &f->pc->pm.layout));
		if (kflags_thp_zero(f, done, k, e) < 0)
			return -1;
		done += k;
	}
	for (i = 0; i < f->nc; i++)
		any_present |= f->out[i].present > 0;
	if (any_present && !f->s->hugetlb && !by_kflags(f) &&
	    pagemap_scan_supported(&f->pc->pm))
		return raw_thp_zero(f, prev, e);
	return 0;
}

/* Far out: one pagemap_count per cell. */
static int fill_by_count(struct fill *f, struct vms_err *e)
{
	const unsigned z = f->s->zoom;
	uint64_t i;

	for (i = 0; i < f->nc; i++) {
		struct pagemap_counts cnt;
		uint64_t cs = (f->c0 + i) << z;

		if (pagemap_count(&f->pc->pm, fill_addr(f, cs),
				  fill_addr(f, cs + f->out[i].pages), &cnt, e) < 0)
			return -1;
		pagegrid_cell_from_counts(&f->out[i], &cnt);
		f->out[i].hash = cnt.present * 31 + cnt.swapped * 7 +
				 cnt.file * 3 + cnt.huge;
	}
	return 0;
}

int pagegrid_fill(struct pagegrid_reader *r, struct pages_ctx *pc,
		  const struct pagegrid_span *s, uint64_t c0, uint64_t c1,
		  struct pagegrid_cell *out, const struct pagegrid_cell *prev,
		  struct vms_err *e)
{
	struct fill f;
	uint64_t last = c1 << s->zoom, i;
	int rc;

	memset(&f, 0, sizeof f);
	f.r = r;
	f.pc = pc;
	f.s = s;
	f.c0 = c0;
	f.nc = c1 - c0;
	f.out = out;
	f.visible = pc->root->pfn_visible;
	f.first = c0 << s->zoom;
	if (last > s->npages)
		last = s->npages;
	f.total = last - f.first;
	for (i = 0; i < f.nc; i++)
		pagegrid_cell_start(&out[i],
				    pagegrid_cell_pages(s->npages, s->zoom, c0 + i));
	if (s->zoom > 0 && !s->hugetlb && pagemap_scan_supported(&pc->pm))
		return fill_by_scan(&f, e);
	rc = f.total <= RAW_LIMIT ? fill_raw(&f, prev, e) : fill_by_count(&f, e);
	if (rc < 0)
		return -1;
	for (i = 0; i < f.nc; i++) /* before 3.5 no file bit: kind unknown */
		pagegrid_cell_finish(&out[i], s->hugetlb, f.visible &&
				     (pc->pm.layout.flags & PM_FILE_SHARED));
	return 0;
}
