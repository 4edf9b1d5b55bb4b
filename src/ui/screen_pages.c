/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_pages: the pages of the open process, in two forms toggled with
 * one key.  The table has one row per page (address, state, PFN,
 * physical address, short kpage flags, map count, cgroup); the map one
 * cell per page or per 2^zoom pages, coloured by state.  Both cover the
 * whole address space, VMA after VMA with one row for each hole between
 * them, and open on the chosen VMA.
 *
 * Only what is on screen is read: the table reads its visible rows with
 * pages_read; the map reads the raw pagemap entries of its visible cells
 * in one pread per run (or, zoomed far out, pagemap_count per cell):
 * THP and zero-page counts come from PAGEMAP_SCAN, asked again only for
 * cells whose entries changed; where there is none (a snapshot, a kernel
 * before 6.7) from the kpageflags of the visible cells' present pages,
 * one kpage_read per run of entries.  A cell covering many
 * pages shows their aggregate: a digit for how many tenths are present,
 * in the colour of the kind most of them are. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vmscope/units.h"
#include "uiint.h"
#include "vmscope/escape.h"
#include "vmscope/explain.h"
#include "vmscope/mmsig.h"
#include "vmscope/physaddr.h"

/* Visible pages read as raw entries per load before the map switches to
 * one pagemap_count per cell; entries per pread. */
#define RAW_LIMIT (UINT64_C(1) << 18)
#define RAW_CHUNK ((size_t)1 << 16)
#define MAX_ZOOM 36

struct seg {
	uint64_t start, end;     /* [start, end) */
	uint64_t row0, nrows;
	bool hole, gap, hugetlb;
};

enum { CELL_NONE, CELL_PAGES, CELL_GAP, CELL_HOLE };

struct cell {
	uint32_t pages, present, swapped, file, anon, thp, zero, hugetlb,
		 unknown;
	uint64_t hash;           /* of the raw entries (raw path only) */
	uint8_t type;
	bool changed;
};

enum { ROW_NONE, ROW_PAGE, ROW_HOLE };

struct trow {
	struct page_info pi;
	uint8_t type;
	bool changed;
	bool phys_known;         /* gap pages with a physical address */
	uint64_t phys;
};

struct pages_screen {
	struct screen base;
	bool map;
	uint64_t cur;            /* cursor: page (table) / first page of cell */
	int want_col;
	unsigned zoom;           /* log2 pages per cell */
	uint64_t top;            /* first visible row */
	int h, w;                /* data rows, width */
	unsigned shift;
	/* layout */
	struct seg *segs;
	size_t nsegs, segcap;
	uint64_t total;
	bool lay_ok;
	unsigned lay_gen, lay_zoom;
	bool lay_map;
	int lay_cols;
	int cols, digits, label_w;
	/* keep the cursor on the same screen row across a relayout */
	bool anchor;
	uint64_t anchor_off;
	/* loaded view */
	bool ld_ok, ld_map;
	uint64_t ld_top;
	int ld_h, ld_cols;
	unsigned ld_zoom, ld_gen;
	struct trow *rows, *prow;
	size_t rows_cap;
	struct cell *cells, *pcells;
	size_t cells_cap;
	bool any_changed;
	uint64_t *raw;
	/* kpageflags of the visible cells' present pages, where
	 * PAGEMAP_SCAN is missing (snapshots, kernels before 6.7) */
	uint64_t *kpfn, *kfl;
	uint32_t *kidx;
	struct page_info *pis;
	size_t pis_cap;
	/* zoomed-out counts per visible cell, from one PAGEMAP_SCAN walk */
	struct pagemap_counts *cnt;
	size_t cnt_cap;
	/* gap physical address, for the segment last asked */
	uint64_t gp_start;
	unsigned gp_gen;
	bool gp_valid, gp_known;
	uint64_t gp_base;
	char gp_source[160];
	/* the map's fingerprint of the process (mmsig) at its last full read,
	 * and when that was: a refresh whose fingerprint has not moved keeps
	 * the cells, up to MAP_FULL_EVERY_NS */
	uint64_t sig;
	bool sig_ok;
	struct timespec full_at;
};

/* The longest a live map goes without a full read although its
 * fingerprint held still: what the fingerprint cannot see (see mmsig.h:
 * zero pages dropped with MADV_DONTNEED, pages a debugger faulted in)
 * shows within this. */
#define MAP_FULL_EVERY_NS (INT64_C(5) * 1000000000)

#define PG(s) ((struct pages_screen *)(s))

static uint64_t npages_of(const struct pages_screen *p, const struct seg *s)
{
	return (s->end - s->start) >> p->shift;
}

static uint64_t ncells_of(const struct pages_screen *p, const struct seg *s)
{
	uint64_t n = npages_of(p, s);

	return (n + ((UINT64_C(1) << p->zoom) - 1)) >> p->zoom;
}

/* ---- layout ---- */

static int build_layout(struct pages_screen *p, struct app *a,
			struct vms_err *e)
{
	const struct vma_list *l = &a->pv.vmas;
	size_t i, r, n = 0, nr = procview_rows(&a->pv);
	struct vma hole;
	uint64_t max = 0;

	/* a segment for each VMA and for each hole between two */
	for (r = 0; r < nr; r++)
		n += procview_row(&a->pv, r, &hole) != NULL;
	if (p->segcap < n) {
		struct seg *ns = realloc(p->segs, n * sizeof *ns);

		if (!ns) {
			err_set(e, ENOMEM, "out of memory for the page layout");
			return -1;
		}
		p->segs = ns;
		p->segcap = n;
	}
	for (i = 0; i < l->n; i++)
		if (l->v[i].kind != VMA_KIND_VSYSCALL && l->v[i].end > max)
			max = l->v[i].end;
	p->digits = 8;
	while (p->digits < 16 && (max - 1) >> (4 * p->digits))
		p->digits++;
	p->label_w = p->digits + 1;
	p->cols = p->map ? p->w - p->label_w : 1;
	if (p->cols < 4)
		p->cols = 4;
	p->nsegs = n;
	p->total = 0;
	for (r = 0, i = 0; r < nr; r++) {
		const struct vma *v = procview_row(&a->pv, r, &hole);
		struct seg *s;

		if (!v)
			continue;
		s = &p->segs[i++];

		s->start = v->start;
		s->end = v->end;
		s->hole = v->kind == VMA_KIND_HOLE;
		/* PFNMAP/IO, and [vsyscall] (above the end of pagemap):
		 * nothing pagemap can tell */
		s->gap = !s->hole && (vma_is_gap(v) ||
				      v->kind == VMA_KIND_VSYSCALL);
		s->hugetlb = v->kind == VMA_KIND_HUGETLB;
		s->row0 = p->total;
		if (s->hole)
			s->nrows = 1;
		else if (!p->map)
			s->nrows = npages_of(p, s);
		else
			s->nrows = (ncells_of(p, s) + (uint64_t)p->cols - 1) /
				   (uint64_t)p->cols;
		if (s->nrows == 0)
			s->nrows = 1;
		p->total += s->nrows;
	}
	p->lay_ok = true;
	p->lay_gen = a->pv.gen;
	p->lay_map = p->map;
	p->lay_zoom = p->zoom;
	p->lay_cols = p->w;
	p->ld_ok = false;
	return 0;
}

static size_t seg_of_addr(const struct pages_screen *p, uint64_t addr)
{
	size_t lo = 0, hi = p->nsegs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->segs[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nsegs ? lo : p->nsegs - 1;
}

static size_t seg_of_row(const struct pages_screen *p, uint64_t row)
{
	size_t lo = 0, hi = p->nsegs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->segs[mid].row0 + p->segs[mid].nrows <= row)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nsegs ? lo : p->nsegs - 1;
}

/* Keep the cursor inside the address space, on a page (table) or the
 * first page of a cell (map). */
static void snap_cursor(struct pages_screen *p)
{
	const struct seg *s;
	uint64_t pg;

	if (!p->nsegs)
		return;
	if (p->cur < p->segs[0].start)
		p->cur = p->segs[0].start;
	if (p->cur >= p->segs[p->nsegs - 1].end)
		p->cur = p->segs[p->nsegs - 1].end - (UINT64_C(1) << p->shift);
	s = &p->segs[seg_of_addr(p, p->cur)];
	if (s->hole) {
		p->cur = s->start;
		return;
	}
	pg = (p->cur - s->start) >> p->shift;
	if (p->map)
		pg = (pg >> p->zoom) << p->zoom;
	p->cur = s->start + (pg << p->shift);
}

static uint64_t cur_cell(const struct pages_screen *p, const struct seg *s)
{
	return ((p->cur - s->start) >> p->shift) >> p->zoom;
}

static uint64_t cur_row(const struct pages_screen *p)
{
	const struct seg *s = &p->segs[seg_of_addr(p, p->cur)];

	if (s->hole)
		return s->row0;
	if (!p->map)
		return s->row0 + ((p->cur - s->start) >> p->shift);
	return s->row0 + cur_cell(p, s) / (uint64_t)p->cols;
}

static int cur_col(const struct pages_screen *p)
{
	const struct seg *s = &p->segs[seg_of_addr(p, p->cur)];

	if (s->hole || !p->map)
		return 0;
	return (int)(cur_cell(p, s) % (uint64_t)p->cols);
}

/* The address of row (and column, in the map). */
static uint64_t row_addr(const struct pages_screen *p, uint64_t row, int col)
{
	const struct seg *s = &p->segs[seg_of_row(p, row)];
	uint64_t cell, nc;

	if (s->hole)
		return s->start;
	if (!p->map)
		return s->start + ((row - s->row0) << p->shift);
	cell = (row - s->row0) * (uint64_t)p->cols + (uint64_t)(col < 0 ? 0 : col);
	nc = ncells_of(p, s);
	if (cell >= nc)
		cell = nc - 1;
	return s->start + ((cell << p->zoom) << p->shift);
}

static void ensure_visible(struct pages_screen *p)
{
	uint64_t r = cur_row(p), h = p->h > 0 ? (uint64_t)p->h : 1;

	if (r < p->top)
		p->top = r;
	if (r >= p->top + h)
		p->top = r - h + 1;
	if (p->total > h && p->top > p->total - h)
		p->top = p->total - h;
	if (p->total <= h)
		p->top = 0;
}

/* ---- reading ---- */

static bool grow(void **buf, size_t *cap, size_t need, size_t elsz,
		 void **buf2)
{
	void *n1, *n2;

	if (need <= *cap)
		return true;
	n1 = calloc(need, elsz);
	n2 = buf2 ? calloc(need, elsz) : NULL;
	if (!n1 || (buf2 && !n2)) {
		free(n1);
		free(n2);
		return false;
	}
	free(*buf);
	*buf = n1;
	if (buf2) {
		free(*buf2);
		*buf2 = n2;
	}
	*cap = need;
	return true;
}

static void gap_phys(struct pages_screen *p, struct app *a, size_t si)
{
	const struct seg *s = &p->segs[si];
	const struct vma *v = vmas_find(&a->pv.vmas, s->start);
	struct gap_phys gp;
	struct vms_err e;

	if (p->gp_valid && p->gp_start == s->start && p->gp_gen == a->pv.gen)
		return;
	p->gp_valid = true;
	p->gp_start = s->start;
	p->gp_gen = a->pv.gen;
	p->gp_known = false;
	p->gp_source[0] = '\0';
	if (v && physaddr_of_gap(a->root, v, v->start, &gp, &e) == 0 &&
	    gp.known) {
		p->gp_known = true;
		p->gp_base = gp.base;
		snprintf(p->gp_source, sizeof p->gp_source, "%s", gp.source);
	}
}

static int load_table(struct pages_screen *p, struct app *a,
		      struct pages_ctx *pc, struct vms_err *e)
{
	unsigned what = a->root->pfn_visible ? PAGES_ALL : 0;
	int r = 0;

	while (r < p->h) {
		uint64_t row = p->top + (uint64_t)r;
		size_t si;
		const struct seg *s;
		int k, j;

		if (row >= p->total) {
			p->rows[r++].type = ROW_NONE;
			continue;
		}
		si = seg_of_row(p, row);
		s = &p->segs[si];
		if (s->hole) {
			memset(&p->rows[r].pi, 0, sizeof p->rows[r].pi);
			p->rows[r].pi.vaddr = s->start;
			p->rows[r].pi.state = PAGE_HOLE;
			p->rows[r].type = ROW_HOLE;
			p->rows[r].phys_known = false;
			r++;
			continue;
		}
		/* the visible rows of this segment in one read */
		k = 1;
		while (r + k < p->h && row + (uint64_t)k < s->row0 + s->nrows)
			k++;
		if (s->gap) {
			gap_phys(p, a, si);
			for (j = 0; j < k; j++) {
				struct trow *t = &p->rows[r + j];

				memset(&t->pi, 0, sizeof t->pi);
				t->pi.vaddr = row_addr(p, row + (uint64_t)j, 0);
				t->pi.state = PAGE_GAP;
				t->type = ROW_PAGE;
				t->phys_known = p->gp_known;
				t->phys = p->gp_base + (t->pi.vaddr - s->start);
			}
		} else {
			if (pages_read(pc, &a->pv.vmas, row_addr(p, row, 0),
				       (size_t)k, what, p->pis, e) < 0)
				return -1;
			for (j = 0; j < k; j++) {
				struct trow *t = &p->rows[r + j];

				t->pi = p->pis[j];
				t->type = ROW_PAGE;
				t->phys_known = false;
			}
		}
		r += k;
	}
	return 0;
}

/* Count one raw pagemap entry into a cell. */
static void count_entry(struct cell *c, uint64_t pm)
{
	c->hash = (c->hash ^ pm) * UINT64_C(0x100000001b3);
	if (pm & PM_PRESENT) {
		c->present++;
		if (pm & PM_FILE_SHARED)
			c->file++;
	} else if ((pm & PM_SWAPPED) && !(pm & PM_GUARD)) {
		c->swapped++;
	}
}

/* Split present pages into kinds once present/file/thp/zero are known. */
static void finish_cell(struct cell *c, bool hugetlb, bool pfn_visible)
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
	if (pfn_visible) {
		c->anon = rest;
		c->unknown = 0;
	} else {
		c->anon = 0;
		c->unknown = rest;
	}
}

static void cell_from_counts(struct cell *c, const struct pagemap_counts *pc)
{
	c->present = (uint32_t)pc->present;
	c->swapped = (uint32_t)pc->swapped;
	c->file = (uint32_t)pc->present_file;
	c->thp = (uint32_t)pc->huge;
	c->zero = (uint32_t)pc->pfnzero;
}

/* THP and zero-page counts from kpageflags instead of PAGEMAP_SCAN:
 * where the kernel has no PAGEMAP_SCAN, a snapshot above all, while the
 * PFNs are visible and kpageflags is there. */
static bool by_kflags(const struct pages_screen *p, struct pages_ctx *pc,
		      bool visible)
{
	(void)p;
	return visible && kpage_has(&pc->kp, PAGES_KFLAGS) &&
	       !pagemap_scan_supported(&pc->pm);
}

/* Count the THP and zero pages among the present entries p->raw[0..k)
 * (pages done.. of the cells' span) by their kpageflags: one kpage_read
 * of those PFNs, as the page table judges them (zero page; THP only
 * when anonymous or shmem). */
static int kflags_thp_zero(struct pages_screen *p, struct pages_ctx *pc,
			   bool visible, bool hugetlb, uint64_t done, size_t k,
			   struct cell *out, struct vms_err *e)
{
	const unsigned z = p->zoom;
	size_t j, m = 0;

	if (hugetlb || !by_kflags(p, pc, visible))
		return 0;
	if (!p->kpfn) {
		p->kpfn = malloc(RAW_CHUNK * sizeof *p->kpfn);
		p->kfl = malloc(RAW_CHUNK * sizeof *p->kfl);
		p->kidx = malloc(RAW_CHUNK * sizeof *p->kidx);
		if (!p->kpfn || !p->kfl || !p->kidx) {
			free(p->kpfn);
			free(p->kfl);
			free(p->kidx);
			p->kpfn = p->kfl = NULL;
			p->kidx = NULL;
			err_set(e, ENOMEM, "out of memory for the page map");
			return -1;
		}
	}
	for (j = 0; j < k; j++) {
		uint64_t pm = p->raw[j];

		if (!(pm & PM_PRESENT) || !(pm & PM_PFN_MASK))
			continue;
		p->kpfn[m] = pm & PM_PFN_MASK;
		p->kidx[m] = (uint32_t)((done + j) >> z);
		m++;
	}
	if (!m)
		return 0;
	if (kpage_read(&pc->kp, p->kpfn, NULL, m, p->kfl, NULL, NULL, e) < 0)
		return -1;
	for (j = 0; j < m; j++) {
		uint64_t f = p->kfl[j];
		struct cell *c = &out[p->kidx[j]];

		if (f & (UINT64_C(1) << KPF_ZERO_PAGE))
			c->zero++;
		else if ((f & (UINT64_C(1) << KPF_THP)) &&
			 (f & ((UINT64_C(1) << KPF_ANON) |
			       (UINT64_C(1) << KPF_SWAPBACKED))))
			c->thp++;
	}
	return 0;
}

/* Fill cells c0..c1 of segment s into out[0..c1-c0). */
static int fill_cells(struct pages_screen *p, struct app *a,
		      struct pages_ctx *pc, const struct seg *s, uint64_t c0,
		      uint64_t c1, struct cell *out, const struct cell *prev,
		      struct vms_err *e)
{
	const unsigned sh = p->shift, z = p->zoom;
	const uint64_t np = npages_of(p, s);
	uint64_t first = c0 << z, last = c1 << z, i, total, done;
	bool visible = a->root->pfn_visible, any_present = false;

	if (last > np)
		last = np;
	total = last - first;
	for (i = 0; i < c1 - c0; i++) {
		uint64_t cs = (c0 + i) << z, ce = cs + (UINT64_C(1) << z);

		memset(&out[i], 0, sizeof out[i]);
		out[i].type = CELL_PAGES;
		out[i].pages = (uint32_t)((ce > np ? np : ce) - cs);
		out[i].hash = UINT64_C(0xcbf29ce484222325);
	}
	/* Zoomed out on a live process: one PAGEMAP_SCAN walk gives every
	 * cell's counts (present, file, swapped, THP, zero page), its cost
	 * following the regions the kernel reports, not the pages: no
	 * entries are copied out and counted one by one. */
	if (z > 0 && !s->hugetlb && pagemap_scan_supported(&pc->pm)) {
		size_t nc = (size_t)(c1 - c0);

		if (!grow((void **)&p->cnt, &p->cnt_cap, nc, sizeof *p->cnt,
			  NULL)) {
			err_set(e, ENOMEM, "out of memory for the page map");
			return -1;
		}
		if (pagemap_count_cells(&pc->pm, s->start + (first << sh),
					s->start + (last << sh), z, p->cnt, nc,
					e) < 0)
			return -1;
		for (i = 0; i < nc; i++) {
			cell_from_counts(&out[i], &p->cnt[i]);
			finish_cell(&out[i], false, visible);
		}
		return 0;
	}
	if (total <= RAW_LIMIT) {
		for (done = 0; done < total; ) {
			size_t k = total - done > RAW_CHUNK ? RAW_CHUNK
							    : (size_t)(total - done);
			size_t j;

			if (pagemap_read(&pc->pm, s->start + ((first + done) << sh),
					 k, p->raw, e) < 0)
				return -1;
			for (j = 0; j < k; j++)
				count_entry(&out[(done + j) >> z], p->raw[j]);
			if (kflags_thp_zero(p, pc, visible, s->hugetlb, done, k,
					    out, e) < 0)
				return -1;
			done += k;
		}
		for (i = 0; i < c1 - c0; i++)
			any_present |= out[i].present > 0;
		/* THP and zero page: PAGEMAP_SCAN, only for cells with present
		 * pages whose entries changed since the last refresh (the
		 * others keep what they had): first one call over the span of
		 * those cells, then per cell only when it found any */
		if (any_present && !s->hugetlb && !by_kflags(p, pc, visible) &&
		    pagemap_scan_supported(&pc->pm)) {
			struct pagemap_counts cnt;
			uint64_t lo = UINT64_MAX, hi = 0, need = 0;

			for (i = 0; i < c1 - c0; i++) {
				struct cell *c = &out[i];

				if (!c->present)
					continue;
				if (prev && prev[i].type == CELL_PAGES &&
				    prev[i].hash == c->hash &&
				    prev[i].pages == c->pages) {
					c->thp = prev[i].thp;
					c->zero = prev[i].zero;
					continue;
				}
				c->type = CELL_PAGES;
				c->changed = true; /* marks "needs counts" here */
				if (i < lo)
					lo = i;
				hi = i;
				need++;
			}
			if (need) {
				uint64_t ls = (c0 + lo) << z, hs = ((c0 + hi) << z) + out[hi].pages;

				if (pagemap_count(&pc->pm, s->start + (ls << sh),
						  s->start + (hs << sh), &cnt, e) < 0)
					return -1;
				if (need == 1) {
					out[lo].thp = (uint32_t)cnt.huge;
					out[lo].zero = (uint32_t)cnt.pfnzero;
				} else if (cnt.huge || cnt.pfnzero) {
					for (i = lo; i <= hi; i++) {
						struct cell *c = &out[i];
						uint64_t cs = (c0 + i) << z;

						if (!c->changed)
							continue;
						if (pagemap_count(&pc->pm,
								  s->start + (cs << sh),
								  s->start + ((cs + c->pages) << sh),
								  &cnt, e) < 0)
							return -1;
						c->thp = (uint32_t)cnt.huge;
						c->zero = (uint32_t)cnt.pfnzero;
					}
				}
				for (i = lo; i <= hi; i++)
					out[i].changed = false;
			}
		}
	} else {
		for (i = 0; i < c1 - c0; i++) {
			struct pagemap_counts cnt;
			uint64_t cs = (c0 + i) << z;

			if (pagemap_count(&pc->pm, s->start + (cs << sh),
					  s->start + ((cs + out[i].pages) << sh),
					  &cnt, e) < 0)
				return -1;
			cell_from_counts(&out[i], &cnt);
			out[i].hash = cnt.present * 31 + cnt.swapped * 7 +
				      cnt.file * 3 + cnt.huge;
		}
	}
	for (i = 0; i < c1 - c0; i++)
		finish_cell(&out[i], s->hugetlb, visible);
	return 0;
}

static int load_map(struct pages_screen *p, struct app *a,
		    struct pages_ctx *pc, bool have_prev, struct vms_err *e)
{
	const uint64_t cols = (uint64_t)p->cols;
	int r = 0;

	while (r < p->h) {
		uint64_t row = p->top + (uint64_t)r, c0, c1, nc, i;
		struct cell *out = &p->cells[(size_t)r * cols];
		const struct seg *s;
		int k;

		if (row >= p->total) {
			for (i = 0; i < cols; i++)
				memset(&out[i], 0, sizeof out[i]);
			r++;
			continue;
		}
		s = &p->segs[seg_of_row(p, row)];
		k = 1;
		while (r + k < p->h && row + (uint64_t)k < s->row0 + s->nrows)
			k++;
		for (i = 0; i < (uint64_t)k * cols; i++)
			memset(&out[i], 0, sizeof out[i]);
		if (s->hole) {
			for (i = 0; i < cols; i++)
				out[i].type = CELL_HOLE;
			r += k;
			continue;
		}
		nc = ncells_of(p, s);
		c0 = (row - s->row0) * cols;
		c1 = c0 + (uint64_t)k * cols;
		if (c1 > nc)
			c1 = nc;
		if (s->gap) {
			for (i = 0; i < c1 - c0; i++) {
				out[i].type = CELL_GAP;
				out[i].pages = 1;
			}
		} else if (fill_cells(p, a, pc, s, c0, c1, out,
				      have_prev ? &p->pcells[(size_t)r * cols] : NULL,
				      e) < 0) {
			return -1;
		}
		r += k;
	}
	return 0;
}

static bool cell_differs(const struct cell *x, const struct cell *y)
{
	return x->type != y->type || x->pages != y->pages ||
	       x->present != y->present || x->swapped != y->swapped ||
	       x->file != y->file || x->thp != y->thp || x->zero != y->zero ||
	       x->anon != y->anon || x->unknown != y->unknown ||
	       x->hugetlb != y->hugetlb;
}

static bool row_differs(const struct trow *x, const struct trow *y)
{
	return x->type != y->type || x->pi.vaddr != y->pi.vaddr ||
	       x->pi.pm != y->pi.pm || x->pi.kflags != y->pi.kflags ||
	       x->pi.kcount != y->pi.kcount || x->pi.cg_ino != y->pi.cg_ino ||
	       x->pi.state != y->pi.state;
}

/* Read the visible rows.  With mark, compare with the last read of the
 * same view and mark what changed.  Returns 1 when the screen differs. */
static int load(struct pages_screen *p, struct app *a, bool mark,
		struct vms_err *e)
{
	struct pages_ctx *pc = procview_pages(&a->pv, e);
	bool same_view = p->ld_ok && p->ld_top == p->top && p->ld_h == p->h &&
			 p->ld_cols == p->cols && p->ld_zoom == p->zoom &&
			 p->ld_map == p->map && p->ld_gen == a->pv.gen;
	bool had = p->any_changed, differs = !same_view;
	size_t i, n;

	if (!pc)
		return -1;
	mark = mark && same_view;
	if (p->map && a->root->live && mmsig_exact(a->root)) {
		/* the fingerprint first: what changes after it is in the
		 * read below, or moves it for the next refresh */
		struct timespec now;
		uint64_t sig;
		bool have = mm_signature(a->root, a->pv.pid, &sig, NULL) == 0;
		int64_t age;

		clock_gettime(CLOCK_MONOTONIC, &now);
		age = (int64_t)(now.tv_sec - p->full_at.tv_sec) * 1000000000 +
		      (now.tv_nsec - p->full_at.tv_nsec);
		if (mark && have && p->sig_ok && sig == p->sig &&
		    age < MAP_FULL_EVERY_NS) {
			n = (size_t)p->h * (size_t)p->cols;
			for (i = 0; i < n; i++)
				p->cells[i].changed = false;
			p->any_changed = false;
			return had;
		}
		p->sig = sig;
		p->sig_ok = have;
		p->full_at = now;
	}
	if (p->map) {
		struct cell *t;

		n = (size_t)p->h * (size_t)p->cols;
		if (!grow((void **)&p->cells, &p->cells_cap, n, sizeof *p->cells,
			  (void **)&p->pcells)) {
			err_set(e, ENOMEM, "out of memory for %zu map cells", n);
			return -1;
		}
		/* the last read becomes prev */
		t = p->pcells;
		p->pcells = p->cells;
		p->cells = t;
		if (load_map(p, a, pc, same_view, e) < 0) {
			p->ld_ok = false;
			return -1;
		}
		p->any_changed = false;
		for (i = 0; i < n; i++) {
			bool d = same_view && cell_differs(&p->cells[i], &p->pcells[i]);

			differs |= d;
			p->cells[i].changed = mark && d;
			p->any_changed |= mark && d;
		}
	} else {
		struct trow *t;

		n = (size_t)p->h;
		if (!grow((void **)&p->rows, &p->rows_cap, n, sizeof *p->rows,
			  (void **)&p->prow)) {
			err_set(e, ENOMEM, "out of memory for %zu rows", n);
			return -1;
		}
		if (p->pis_cap < n) {
			struct page_info *np = calloc(n, sizeof *np);

			if (!np) {
				err_set(e, ENOMEM, "out of memory for %zu rows", n);
				return -1;
			}
			free(p->pis);
			p->pis = np;
			p->pis_cap = n;
		}
		t = p->prow;
		p->prow = p->rows;
		p->rows = t;
		if (load_table(p, a, pc, e) < 0) {
			p->ld_ok = false;
			return -1;
		}
		p->any_changed = false;
		for (i = 0; i < n; i++) {
			bool d = same_view && row_differs(&p->rows[i], &p->prow[i]);

			differs |= d;
			p->rows[i].changed = mark && d;
			p->any_changed |= mark && d;
		}
	}
	p->ld_ok = true;
	p->ld_top = p->top;
	p->ld_h = p->h;
	p->ld_cols = p->cols;
	p->ld_zoom = p->zoom;
	p->ld_map = p->map;
	p->ld_gen = a->pv.gen;
	return differs || had;
}

/* ---- screen interface ---- */

static unsigned pages_context(struct screen *s)
{
	return PG(s)->map ? CTX_MAP : CTX_TABLE;
}

static int pages_update(struct screen *s, struct app *a, int h, int w,
			bool re, struct vms_err *e)
{
	struct pages_screen *p = PG(s);
	int rc = 0, lr;
	bool mark = re && !s->stale;

	if (re || s->stale) {
		int r = procview_refresh(&a->pv, false, e);

		if (r < 0)
			return -1;
		rc |= r;
	}
	s->stale = false;
	if (!a->pv.vmas.n) {
		err_set(e, VMS_ENOPROC, "process %d has no mappings left",
			a->pv.pid);
		return -1;
	}
	p->h = h - 1 > 1 ? h - 1 : 1;
	if (!p->lay_ok || p->lay_gen != a->pv.gen || p->lay_map != p->map ||
	    p->lay_zoom != p->zoom || (p->map && p->lay_cols != w)) {
		p->w = w;
		if (build_layout(p, a, e) < 0)
			return -1;
		snap_cursor(p);
		if (p->anchor) {
			uint64_t r = cur_row(p);

			p->top = r >= p->anchor_off ? r - p->anchor_off : 0;
			p->anchor = false;
		}
		ensure_visible(p);
		rc = 1;
		mark = false;
	}
	p->w = w;
	ensure_visible(p);
	if (!re && p->ld_ok && p->ld_top == p->top && p->ld_h == p->h &&
	    p->ld_cols == p->cols && p->ld_zoom == p->zoom &&
	    p->ld_map == p->map && p->ld_gen == a->pv.gen)
		return rc;
	lr = load(p, a, mark, e);
	if (lr < 0)
		return -1;
	return rc | lr;
}

static int state_elem(int st)
{
	return EL_PAGE_NOT_PRESENT + (st >= 0 && st < PAGE_STATE__COUNT ? st : 0);
}

static const char *state_glyph(int st, bool utf8)
{
	switch (st) {
	case PAGE_NOT_PRESENT: return utf8 ? "\xc2\xb7" : ".";
	case PAGE_ANON: return "a";
	case PAGE_FILE: return "f";
	case PAGE_THP: return "T";
	case PAGE_HUGETLB: return "H";
	case PAGE_ZERO: return "z";
	case PAGE_KSM: return "k";
	case PAGE_SWAPPED: return "S";
	case PAGE_PRESENT: return "p";
	case PAGE_GAP: return "~";
	default: return " ";
	}
}

/* The look of a cell: glyph and state for its colour. */
static void cell_look(const struct cell *c, bool utf8, char *glyph,
		      size_t n, int *state)
{
	static const struct { int st; size_t off; } kinds[] = {
		{ PAGE_ANON, offsetof(struct cell, anon) },
		{ PAGE_FILE, offsetof(struct cell, file) },
		{ PAGE_THP, offsetof(struct cell, thp) },
		{ PAGE_ZERO, offsetof(struct cell, zero) },
		{ PAGE_HUGETLB, offsetof(struct cell, hugetlb) },
		{ PAGE_PRESENT, offsetof(struct cell, unknown) },
	};
	uint32_t best = 0;
	int best_st = PAGE_NOT_PRESENT;
	size_t i;

	if (c->type == CELL_HOLE || c->type == CELL_NONE) {
		*state = PAGE_HOLE;
		snprintf(glyph, n, " ");
		return;
	}
	if (c->type == CELL_GAP) {
		*state = PAGE_GAP;
		snprintf(glyph, n, "~");
		return;
	}
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		uint32_t v = *(const uint32_t *)((const char *)c + kinds[i].off);

		if (v > best) {
			best = v;
			best_st = kinds[i].st;
		}
	}
	if (best && best == c->pages) {
		*state = best_st;
		snprintf(glyph, n, "%s", state_glyph(best_st, utf8));
	} else if (c->present) {
		unsigned tenth = (unsigned)((uint64_t)c->present * 10 / c->pages);

		*state = best_st;
		snprintf(glyph, n, "%u", tenth < 1 ? 1 : tenth > 9 ? 9 : tenth);
	} else if (c->swapped == c->pages) {
		*state = PAGE_SWAPPED;
		snprintf(glyph, n, "S");
	} else if (c->swapped) {
		*state = PAGE_SWAPPED;
		snprintf(glyph, n, "s");
	} else {
		*state = PAGE_NOT_PRESENT;
		snprintf(glyph, n, "%s", state_glyph(PAGE_NOT_PRESENT, utf8));
	}
}

static void draw_map(struct pages_screen *p, struct app *a, int y, int w)
{
	bool utf8 = draw_utf8();
	int r, c, ccol = cur_col(p);
	uint64_t crow = cur_row(p);
	char lab[32], g[8];

	/* legend */
	{
		static const int order[] = { PAGE_NOT_PRESENT, PAGE_ANON,
			PAGE_FILE, PAGE_THP, PAGE_ZERO, PAGE_SWAPPED,
			PAGE_HUGETLB, PAGE_PRESENT, PAGE_GAP };
		static const char *const names[] = { "none", "anon", "file",
			"thp", "zero", "swap", "hugetlb", "present", "gap" };
		int x = 0;
		size_t i;
		char z[64];

		draw_fill(y, 0, w, app_attr(a, EL_HEADER));
		for (i = 0; i < sizeof order / sizeof order[0]; i++) {
			if (order[i] == PAGE_PRESENT && a->root->pfn_visible)
				continue;
			if (x + 3 + (int)strlen(names[i]) > w)
				break;
			x += draw_text(y, x, 1, app_attr(a, state_elem(order[i])),
				       state_glyph(order[i], utf8), false);
			x += draw_fmt(y, x, w - x, app_attr(a, EL_HEADER), false,
				      " %s  ", names[i]);
		}
		snprintf(z, sizeof z, "1-9 tenths present | %llu page%s/cell",
			 (unsigned long long)(UINT64_C(1) << p->zoom),
			 p->zoom ? "s" : "");
		if (x + (int)strlen(z) + 1 <= w)
			draw_text(y, w - (int)strlen(z), (int)strlen(z),
				  app_attr(a, EL_HEADER), z, false);
	}
	for (r = 0; r < p->h; r++) {
		uint64_t row = p->top + (uint64_t)r;
		const struct seg *s;
		const struct cell *cells = &p->cells[(size_t)r * (size_t)p->cols];
		int yy = y + 1 + r;

		if (row >= p->total)
			break;
		s = &p->segs[seg_of_row(p, row)];
		fmt_addr(lab, sizeof lab, row_addr(p, row, 0), p->digits);
		if ((int)strlen(lab) > p->digits) {
			/* wider than the column ([vsyscall]): keep the end */
			size_t l = strlen(lab);

			memmove(lab + 1, lab + l - (size_t)p->digits + 1,
				(size_t)p->digits);
			lab[0] = '~';
		}
		draw_text(yy, 0, p->label_w, app_attr(a, row == s->row0 ? EL_KEY : EL_DIM),
			  lab, true);
		if (s->hole) {
			char sz[32], txt[96];

			units_size(sz, sizeof sz, s->end - s->start);
			snprintf(txt, sizeof txt, " hole: %s unmapped ", sz);
			draw_fill(yy, p->label_w, w - p->label_w,
				  app_attr(a, row == crow ? EL_SELECTED : EL_PAGE_HOLE));
			if (utf8)
				draw_hline(yy, p->label_w, w - p->label_w,
					   app_attr(a, row == crow ? EL_SELECTED : EL_PAGE_HOLE));
			draw_text(yy, p->label_w + 2, w - p->label_w - 2,
				  app_attr(a, row == crow ? EL_SELECTED : EL_PAGE_HOLE),
				  txt, false);
			continue;
		}
		for (c = 0; c < p->cols && p->label_w + c < w; c++) {
			const struct cell *ce = &cells[c];
			int st;
			attr_t at;

			if (ce->type == CELL_NONE)
				break;
			cell_look(ce, utf8, g, sizeof g, &st);
			at = app_attr(a, state_elem(st));
			if (ce->changed)
				at |= A_BOLD | A_UNDERLINE;
			if (row == crow && c == ccol)
				at = app_attr(a, EL_SELECTED) | A_BOLD;
			draw_text(yy, p->label_w + c, 1, at, g, false);
		}
	}
}

struct tcol { const char *name; int width; };

/* The physical address of a table row, when known. */
static bool row_phys(const struct pages_screen *p, struct app *a,
		     const struct trow *t, uint64_t *phys)
{
	const struct page_info *pi = &t->pi;

	if (t->type != ROW_PAGE)
		return false;
	if ((pi->pm & PM_PRESENT) && a->root->pfn_visible &&
	    (pi->pm & PM_PFN_MASK)) {
		*phys = (pi->pm & PM_PFN_MASK) << p->shift;
		return true;
	}
	if (t->phys_known) {
		*phys = t->phys;
		return true;
	}
	return false;
}

static void draw_table(struct pages_screen *p, struct app *a, int y, int w)
{
	enum { C_STATE, C_PFN, C_PHYS, C_FLAGS, C_MAP, C_RANGE, C_CGROUP };
	static const struct tcol all[] = {
		[C_STATE] = { "STATE", 12 }, [C_PFN] = { "PFN", 11 },
		[C_PHYS] = { "PHYS", 14 }, [C_FLAGS] = { "FLAGS", 11 },
		[C_MAP] = { "MAP", 5 }, [C_RANGE] = { "RANGE", 30 },
		[C_CGROUP] = { "CGROUP", 0 },
	};
	struct tcol cols[7];
	int ids[7], nall = 0;
	struct pages_ctx *pc = a->pv.pc_open ? &a->pv.pc : NULL;
	int ncols = 0, x, r, i;
	uint64_t crow = cur_row(p);
	char buf[512];

	/* the range of each physical address only when there is room */
	for (i = 0; i < (int)(sizeof all / sizeof all[0]); i++) {
		if (i == C_RANGE && w < 120)
			continue;
		ids[nall] = i;
		cols[nall++] = all[i];
	}
	/* which columns fit */
	x = p->digits + 1;
	for (i = 0; i < nall; i++) {
		int cw = cols[i].width ? cols[i].width : 8;

		if (x + cw > w)
			break;
		x += cols[i].width;
		ncols++;
	}
	draw_fill(y, 0, w, app_attr(a, EL_HEADER));
	x = draw_fmt(y, 0, w, app_attr(a, EL_HEADER), false, "%-*s", p->digits + 1,
		     "ADDRESS");
	for (i = 0; i < ncols; i++)
		x += draw_fmt(y, x, cols[i].width ? cols[i].width : w - x,
			      app_attr(a, EL_HEADER), false, "%-*s",
			      cols[i].width, cols[i].name);

	for (r = 0; r < p->h; r++) {
		const struct trow *t = &p->rows[r];
		const struct page_info *pi = &t->pi;
		uint64_t row = p->top + (uint64_t)r;
		int yy = y + 1 + r;
		attr_t at = app_attr(a, EL_NORMAL), sat;
		bool sel = row == crow;
		char f[64];

		if (t->type == ROW_NONE)
			break;
		if (t->changed)
			at = app_attr(a, EL_CHANGED);
		if (sel)
			at = app_attr(a, EL_SELECTED);
		sat = sel ? at : app_attr(a, state_elem(pi->state)) |
				 (t->changed ? A_BOLD | A_UNDERLINE : 0);
		draw_fill(yy, 0, w, at);
		fmt_addr(buf, sizeof buf, pi->vaddr, p->digits);
		x = draw_text(yy, 0, p->digits + 1, at, buf, true);
		if (t->type == ROW_HOLE) {
			const struct seg *s = &p->segs[seg_of_row(p, row)];
			char sz[32];

			units_size(sz, sizeof sz, s->end - s->start);
			draw_fmt(yy, x, w - x, sel ? at : app_attr(a, EL_PAGE_HOLE),
				 true, "%-8s  %s unmapped, up to %0*llx", "hole", sz,
				 p->digits, (unsigned long long)s->end);
			continue;
		}
		for (i = 0; i < ncols; i++) {
			int cw = cols[i].width ? cols[i].width : w - x;
			attr_t ca = at;

			buf[0] = '\0';
			switch (ids[i]) {
			case C_STATE:
				snprintf(buf, sizeof buf, "%s",
					 page_state_name(pi->state));
				ca = sat;
				break;
			case C_PFN:
				if (pi->pm & PM_PRESENT) {
					uint64_t pfn = pi->pm & PM_PFN_MASK;

					if (a->root->pfn_visible && pfn)
						snprintf(buf, sizeof buf, "%llx",
							 (unsigned long long)pfn);
					else
						snprintf(buf, sizeof buf, "hidden");
				} else if (pi->state == PAGE_SWAPPED) {
					snprintf(buf, sizeof buf, "swap");
				} else {
					snprintf(buf, sizeof buf, "-");
				}
				break;
			case C_PHYS:
				if ((pi->pm & PM_PRESENT) && a->root->pfn_visible &&
				    (pi->pm & PM_PFN_MASK))
					snprintf(buf, sizeof buf, "%llx",
						 (unsigned long long)((pi->pm & PM_PFN_MASK)
								      << p->shift));
				else if (t->phys_known)
					snprintf(buf, sizeof buf, "%llx",
						 (unsigned long long)t->phys);
				else
					snprintf(buf, sizeof buf, "-");
				break;
			case C_FLAGS:
				if (pi->have_kpage) {
					kpage_flags_short(pi->kflags, f, sizeof f);
					snprintf(buf, sizeof buf, "%s", f[0] ? f : "0");
				} else {
					snprintf(buf, sizeof buf, "-");
				}
				break;
			case C_MAP:
				if (pi->have_kpage)
					snprintf(buf, sizeof buf, "%llu",
						 (unsigned long long)pi->kcount);
				else
					snprintf(buf, sizeof buf, "-");
				break;
			case C_RANGE: {
				uint64_t ph;

				if (!row_phys(p, a, t, &ph) ||
				    !krview_annotate(a, ph, false, buf, sizeof buf)) {
					snprintf(buf, sizeof buf, "-");
					break;
				}
				/* innermost last: keep the end */
				draw_text_tail(yy, x, cw - 1, at, buf);
				x += cw;
				continue;
			}
			case C_CGROUP:
				{
					const char *cg = pc ? pages_cgroup(pc, pi) : NULL;

					if (cg) {
						/* the end of the path says most */
						char esc[512];

						escape_text(esc, sizeof esc, cg, strlen(cg));
						draw_text_tail(yy, x, cw, at, esc);
						x += cw;
						continue;
					}
					snprintf(buf, sizeof buf, "-");
				}
				break;
			}
			draw_text(yy, x, cw - 1, ca, buf, false);
			x += cw;
		}
	}
}

static void pages_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct pages_screen *p = PG(s);

	(void)h;
	if (!p->lay_ok || !p->ld_ok || !p->nsegs)
		return;
	if (p->map)
		draw_map(p, a, y, w);
	else
		draw_table(p, a, y, w);
}

static const struct vma *cur_vma(struct pages_screen *p, struct app *a)
{
	return vmas_find(&a->pv.vmas, p->cur);
}

static void pages_title(struct screen *s, struct app *a, char *buf, size_t n)
{
	struct pages_screen *p = PG(s);
	const struct vma *v = cur_vma(p, a);
	char comm[128], name[256], form[64];

	escape_text(comm, sizeof comm, a->pv.comm, strlen(a->pv.comm));
	if (p->map)
		snprintf(form, sizeof form, "map %llu pg/cell",
			 (unsigned long long)(UINT64_C(1) << p->zoom));
	else
		snprintf(form, sizeof form, "table");
	if (!v) {
		snprintf(buf, n, "PID %d %s | hole | %s", a->pv.pid, comm, form);
		return;
	}
	escape_text(name, sizeof name, v->name ? v->name : "",
		    v->name ? strlen(v->name) : 0);
	snprintf(buf, n, "PID %d %s | %s | %llx-%llx %s %s %s", a->pv.pid, comm,
		 form, (unsigned long long)v->start, (unsigned long long)v->end,
		 v->perms, vma_kind_name(v->kind), name);
}

static void pages_info(struct screen *s, struct app *a, char *buf, size_t n,
		       int *elem)
{
	struct pages_screen *p = PG(s);
	uint64_t crow;

	*elem = EL_INFO;
	buf[0] = '\0';
	if (!p->lay_ok || !p->ld_ok || !p->nsegs)
		return;
	crow = cur_row(p);
	if (crow < p->top || crow >= p->top + (uint64_t)p->h)
		return;
	if (p->map) {
		const struct cell *c = &p->cells[(size_t)(crow - p->top) * (size_t)p->cols +
						 (size_t)cur_col(p)];
		const struct vma *v = cur_vma(p, a);
		uint64_t end = p->cur + ((uint64_t)c->pages << p->shift);
		char kinds[160] = "";

		if (c->type == CELL_HOLE || !v) {
			snprintf(buf, n, "hole: no VMA maps this address");
			return;
		}
		if (c->type == CELL_GAP) {
			*elem = EL_WARN;
			snprintf(buf, n, "%llx: %s gap: pagemap cannot see VM_PFNMAP/VM_IO pages",
				 (unsigned long long)p->cur, vma_kind_name(v->kind));
			return;
		}
		{
			size_t l = 0;

#define K(field, name) if (c->field) l += (size_t)snprintf(kinds + l, sizeof kinds - l, \
							 "%s%u " name, l ? ", " : "", c->field)
			K(anon, "anon");
			K(file, "file");
			K(thp, "thp");
			K(zero, "zero");
			K(hugetlb, "hugetlb");
			K(unknown, "kind hidden");
#undef K
		}
		if (c->pages == 1)
			snprintf(buf, n, "%llx: %s%s | Enter: detail",
				 (unsigned long long)p->cur,
				 c->present ? "present, " : c->swapped ? "swapped" : "not present",
				 kinds);
		else
			snprintf(buf, n, "%llx-%llx: %u pages: %u present%s%s%s, %u swapped, %u not present",
				 (unsigned long long)p->cur, (unsigned long long)end,
				 c->pages, c->present, kinds[0] ? " (" : "", kinds,
				 kinds[0] ? ")" : "", c->swapped,
				 c->pages - c->present - c->swapped);
		return;
	}
	{
		const struct trow *t = &p->rows[crow - p->top];

		if (t->type == ROW_HOLE) {
			snprintf(buf, n, "%s", explain_page_state(PAGE_HOLE));
			return;
		}
		if (t->pi.state == PAGE_GAP) {
			*elem = EL_WARN;
			if (t->phys_known)
				snprintf(buf, n, "gap: no struct page, pagemap reads zeros; physical 0x%llx from %s",
					 (unsigned long long)t->phys, p->gp_source);
			else
				snprintf(buf, n, "gap: no struct page, pagemap reads zeros; physical address unknown");
			return;
		}
		snprintf(buf, n, "%s", explain_page_state(t->pi.state));
	}
}

static void move_rows(struct pages_screen *p, int64_t d)
{
	uint64_t r = cur_row(p);

	if (d < 0 && (uint64_t)-d > r)
		r = 0;
	else if (d > 0 && r + (uint64_t)d >= p->total)
		r = p->total - 1;
	else
		r += (uint64_t)d;
	p->cur = row_addr(p, r, p->want_col);
}

static void move_cells(struct pages_screen *p, int d)
{
	size_t si = seg_of_addr(p, p->cur);
	const struct seg *s = &p->segs[si];
	uint64_t cell = s->hole ? 0 : cur_cell(p, s);

	if (d < 0) {
		if (!s->hole && cell > 0) {
			p->cur -= (UINT64_C(1) << p->zoom) << p->shift;
		} else if (si > 0) {
			const struct seg *ps = &p->segs[si - 1];

			p->cur = ps->hole ? ps->start
					  : ps->start + (((ncells_of(p, ps) - 1) << p->zoom) << p->shift);
		}
	} else {
		if (!s->hole && cell + 1 < ncells_of(p, s))
			p->cur += (UINT64_C(1) << p->zoom) << p->shift;
		else if (si + 1 < p->nsegs)
			p->cur = p->segs[si + 1].start;
	}
	p->want_col = cur_col(p);
}

static unsigned fit_zoom(struct pages_screen *p, const struct seg *s)
{
	uint64_t np = npages_of(p, s), room = (uint64_t)p->h * (uint64_t)(p->w - p->label_w);
	unsigned z = 0;

	if (room < 1)
		room = 1;
	while (z < MAX_ZOOM && ((np + (UINT64_C(1) << z) - 1) >> z) > room)
		z++;
	return z;
}

static bool pages_action(struct screen *s, struct app *a, enum action act)
{
	struct pages_screen *p = PG(s);
	const struct seg *sg;
	size_t si;
	int64_t page = p->h > 1 ? p->h - 1 : 1;

	if (!p->lay_ok || !p->nsegs)
		return false;
	si = seg_of_addr(p, p->cur);
	sg = &p->segs[si];
	if (act == ACT_FORM || act == ACT_ZOOM_IN || act == ACT_ZOOM_OUT ||
	    act == ACT_ZOOM_FIT) {
		uint64_t r = cur_row(p);

		p->anchor = true;
		p->anchor_off = r >= p->top ? r - p->top : 0;
	}
	switch (act) {
	case ACT_UP: move_rows(p, -1); break;
	case ACT_DOWN: move_rows(p, 1); break;
	case ACT_PGUP: move_rows(p, -page); break;
	case ACT_PGDN: move_rows(p, page); break;
	case ACT_LEFT: move_cells(p, -1); break;
	case ACT_RIGHT: move_cells(p, 1); break;
	case ACT_HOME:
		p->cur = p->cur == sg->start ? p->segs[0].start : sg->start;
		p->want_col = 0;
		break;
	case ACT_END: {
		uint64_t last = sg->hole ? sg->start
			: sg->end - (UINT64_C(1) << p->shift);

		if (p->cur >= last - (p->map ? ((UINT64_C(1) << p->zoom) - 1) << p->shift : 0) &&
		    si + 1 < p->nsegs) {
			sg = &p->segs[p->nsegs - 1];
			last = sg->end - (UINT64_C(1) << p->shift);
		}
		p->cur = last;
		break;
	}
	case ACT_NEXT_VMA:
		while (++si < p->nsegs && p->segs[si].hole)
			;
		if (si < p->nsegs)
			p->cur = p->segs[si].start;
		break;
	case ACT_PREV_VMA:
		if (p->cur != sg->start && !sg->hole) {
			p->cur = sg->start;
			break;
		}
		while (si > 0 && p->segs[--si].hole)
			;
		p->cur = p->segs[si].start;
		break;
	case ACT_OPEN:
		if (sg->hole) {
			app_message(a, EL_WARN, "a hole: no pages here");
			return true;
		}
		if (p->map && p->zoom > 0) {
			/* a cell of many pages: show them in the table */
			p->map = false;
			a->prefer_map = false;
			break;
		}
		app_open_detail(a, p->cur);
		return true;
	case ACT_PHYS: {
		uint64_t crow = cur_row(p), ph;

		if (p->map || !p->ld_ok || crow < p->top ||
		    crow >= p->top + (uint64_t)p->h)
			return false;   /* the map opens without an address */
		if (row_phys(p, a, &p->rows[crow - p->top], &ph)) {
			app_open_phys(a, true, ph);
		} else {
			app_open_phys(a, false, 0);
			app_message(a, EL_WARN,
				    "this page has no known physical address: the map opens without one");
		}
		return true;
	}
	case ACT_FORM:
		p->map = !p->map;
		a->prefer_map = p->map;
		break;
	case ACT_ZOOM_IN:
		if (p->zoom)
			p->zoom--;
		break;
	case ACT_ZOOM_OUT:
		if (p->zoom < MAX_ZOOM)
			p->zoom++;
		break;
	case ACT_ZOOM_FIT: {
		unsigned z = sg->hole ? 0 : fit_zoom(p, sg);

		p->zoom = p->zoom == z ? 0 : z;
		break;
	}
	default:
		return false;
	}
	if (act != ACT_UP && act != ACT_DOWN && act != ACT_PGUP &&
	    act != ACT_PGDN)
		p->want_col = 0;
	if (act == ACT_LEFT || act == ACT_RIGHT)
		p->want_col = cur_col(p);
	snap_cursor(p);
	if (p->lay_map == p->map && p->lay_zoom == p->zoom)
		ensure_visible(p);
	else
		p->lay_ok = false;
	s->dirty = true;
	return true;
}

static bool pages_goto(struct screen *s, struct app *a, uint64_t addr)
{
	struct pages_screen *p = PG(s);

	(void)a;
	p->cur = addr & ~((UINT64_C(1) << p->shift) - 1);
	if (p->lay_ok) {
		snap_cursor(p);
		ensure_visible(p);
		/* show the target near the top, with a row of context */
		{
			uint64_t r = cur_row(p);

			p->top = r > 0 ? r - 1 : 0;
			ensure_visible(p);
		}
	}
	s->dirty = true;
	return true;
}

static bool pages_search(struct screen *s, struct app *a, const char *text,
			 int dir, bool from_here)
{
	uint64_t addr;

	(void)dir;
	(void)from_here;
	if (!parse_addr(text, &addr))
		return false;
	if (!a->pv.vmas.n || addr < a->pv.vmas.v[0].start ||
	    addr >= a->pv.vmas.v[a->pv.vmas.n - 1].end)
		return false;
	return pages_goto(s, a, addr);
}

static void pages_destroy(struct screen *s)
{
	struct pages_screen *p = PG(s);

	free(p->segs);
	free(p->rows);
	free(p->prow);
	free(p->cells);
	free(p->pcells);
	free(p->raw);
	free(p->kpfn);
	free(p->kfl);
	free(p->kidx);
	free(p->cnt);
	free(p->pis);
	free(p);
}

static const struct screen_ops pages_ops = {
	.name = "pages",
	.context = pages_context,
	.update = pages_update,
	.draw = pages_draw,
	.info = pages_info,
	.title = pages_title,
	.action = pages_action,
	.search = pages_search,
	.filter = NULL,
	.goto_addr = pages_goto,
	.destroy = pages_destroy,
};

struct screen *screen_pages_new(struct app *a, uint64_t addr, bool map,
				struct vms_err *e)
{
	struct pages_screen *p;

	if (!procview_pages(&a->pv, e))
		return NULL;
	p = calloc(1, sizeof *p);
	if (!p || !(p->raw = malloc(RAW_CHUNK * sizeof *p->raw))) {
		free(p);
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	p->base.ops = &pages_ops;
	p->base.is_process = true;
	p->map = map;
	p->shift = a->root->page_shift;
	p->cur = addr;
	p->h = 1;
	/* the first layout puts the cursor at the top */
	p->top = UINT64_MAX;
	return &p->base;
}
