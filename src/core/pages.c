/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages: pagemap + kpageflags/kpagecount/kpagecgroup for a range of a
 * process, and the state of each page. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/pages.h"

static const char *const state_names[PAGE_STATE__COUNT] = {
	[PAGE_NOT_PRESENT] = "not-present",
	[PAGE_ANON] = "anon",
	[PAGE_FILE] = "file",
	[PAGE_THP] = "thp",
	[PAGE_HUGETLB] = "hugetlb",
	[PAGE_ZERO] = "zero",
	[PAGE_KSM] = "ksm",
	[PAGE_SWAPPED] = "swapped",
	[PAGE_PRESENT] = "present",
	[PAGE_GAP] = "gap",
	[PAGE_HOLE] = "hole",
};

const char *page_state_name(enum page_state s)
{
	return (unsigned)s < PAGE_STATE__COUNT ? state_names[s] : "unknown";
}

#define KBIT(b) (UINT64_C(1) << (b))

bool pages_kflags_thp(uint64_t kf)
{
	/* The kernel sets THP on every rmappable large folio, page cache
	 * ones included (ext4/xfs read in large folios): only anonymous and
	 * shmem ones are transparent huge pages in the sense a user means. */
	return (kf & KBIT(KPF_THP)) &&
	       (kf & (KBIT(KPF_ANON) | KBIT(KPF_SWAPBACKED)));
}

bool pages_kflags_zero(uint64_t kf)
{
	return (kf & KBIT(KPF_ZERO_PAGE)) != 0;
}

bool pages_pm_swapped(uint64_t pm)
{
	/* guard markers and migration entries are swap-format entries too;
	 * only a real swap entry is "swapped" */
	return (pm & PM_SWAPPED) && !(pm & PM_GUARD);
}

bool pages_pm_pfn(uint64_t pm, bool pfn_visible, uint64_t *pfn)
{
	if (!(pm & PM_PRESENT) || !pfn_visible)
		return false;
	*pfn = pm & PM_PFN_MASK;
	return *pfn != 0;
}

/* A present page from its kpageflags (non-zero: the page exists). */
static enum page_state state_from_kflags(uint64_t kf)
{
	if (pages_kflags_zero(kf))
		return PAGE_ZERO;
	if (kf & KBIT(KPF_HUGE))
		return PAGE_HUGETLB;
	if (pages_kflags_thp(kf))
		return PAGE_THP;
	if (kf & KBIT(KPF_KSM))
		return PAGE_KSM;
	return kf & KBIT(KPF_ANON) ? PAGE_ANON : PAGE_FILE;
}

/* A present page without kpageflags: what pagemap alone can tell, from
 * an entry cleaned of the bits its kernel did not have (pagemap_clean). */
static enum page_state state_from_pm(uint64_t pm, uint64_t known,
				     bool hugetlb_vma, bool pfn_visible)
{
	if (hugetlb_vma)
		return PAGE_HUGETLB;
	if (pm & PM_FILE_SHARED)
		return PAGE_FILE;
	/* before 3.5 bit 61 was reserved: file or anon, pagemap cannot say */
	if (!(known & PM_FILE_SHARED))
		return PAGE_PRESENT;
	/* with the PFN hidden an anonymous-looking page may be the zero
	 * page, a THP or a KSM page: say only that it is there */
	return pfn_visible ? PAGE_ANON : PAGE_PRESENT;
}

static enum page_state state_not_present(uint64_t pm)
{
	return pages_pm_swapped(pm) ? PAGE_SWAPPED : PAGE_NOT_PRESENT;
}

enum page_state page_state_of(const struct page_info *p, const struct vma *v,
			      bool pfn_visible)
{
	if (!v || v->kind == VMA_KIND_HOLE)
		return PAGE_HOLE;
	if (vma_is_gap(v))
		return PAGE_GAP;
	if (!(p->pm & PM_PRESENT))
		return state_not_present(p->pm);
	if (v->kind == VMA_KIND_HUGETLB)
		return PAGE_HUGETLB;
	if (p->have_kpage && p->kflags)
		return state_from_kflags(p->kflags);
	return state_from_pm(p->pm, PM_FILE_SHARED, false, pfn_visible);
}

bool pages_pfn(const struct pages_ctx *c, const struct page_info *p,
	       uint64_t *pfn)
{
	return pages_pm_pfn(p->pm, c->root->pfn_visible, pfn);
}

int pages_open(struct pages_ctx *c, const struct vms_root *r, int pid,
	       struct vms_err *e)
{
	memset(c, 0, sizeof *c);
	c->root = r;
	c->pid = pid;
	if (pagemap_open(r, pid, &c->pm, e) < 0)
		return -1;
	kpage_open(r, &c->kp);
	if (cgroups_open(r, &c->cg, e) < 0) {
		kpage_close(&c->kp);
		pagemap_close(&c->pm);
		return -1;
	}
	return 0;
}

void pages_close(struct pages_ctx *c)
{
	pagemap_close(&c->pm);
	kpage_close(&c->kp);
	cgroups_free(c->cg);
	c->cg = NULL;
	free(c->pfns);
	free(c->skip);
	c->pfns = NULL;
	c->skip = NULL;
	c->scratch_cap = 0;
}

static int scratch(struct pages_ctx *c, size_t n, struct vms_err *e)
{
	uint64_t *p;
	bool *s;

	if (n <= c->scratch_cap)
		return 0;
	p = malloc(n * sizeof *p);
	s = malloc(n * sizeof *s);
	if (!p || !s || n > SIZE_MAX / sizeof *p) {
		free(p);
		free(s);
		err_sys(e, ENOMEM, "reading %zu pages of process %d", n, c->pid);
		return -1;
	}
	free(c->pfns);
	free(c->skip);
	c->pfns = p;
	c->skip = s;
	c->scratch_cap = n;
	return 0;
}

/* Index of the first VMA that ends after addr (l->n when none). */
static size_t vma_after(const struct vma_list *l, uint64_t addr)
{
	size_t lo = 0, hi = l ? l->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool readable_vma(const struct vma *v)
{
	return v->kind != VMA_KIND_HOLE && !vma_is_gap(v);
}

static void fill_blank(struct page_info *out, bool *skip, uint64_t vaddr,
		       unsigned shift, size_t n, enum page_state st)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct page_info *p = &out[i];

		p->vaddr = vaddr + ((uint64_t)i << shift);
		p->pm = p->kflags = p->kcount = p->cg_ino = 0;
		p->state = (uint8_t)st;
		p->have_kpage = false;
		p->frame = KPAGE_REC_YES;
		skip[i] = true;
	}
}

/* One pages_read: the range, where it is, and what it fills. */
struct pages_walk {
	struct pages_ctx *c;
	const struct vma_list *vmas;
	uint64_t start, end;
	size_t npages;
	struct page_info *out;
	size_t i, vi;      /* next page, next VMA */
	bool any_kpage;    /* some page has a PFN to read kpage data of */
};

static uint64_t walk_addr(const struct pages_walk *w, size_t i)
{
	return w->start + ((uint64_t)i << w->c->pm.page_shift);
}

static int check_range(const struct pages_ctx *c, uint64_t start,
		       size_t npages, struct vms_err *e)
{
	const unsigned shift = c->pm.page_shift;

	if (start & (((uint64_t)1 << shift) - 1)) {
		err_set(e, EINVAL, "address 0x%llx is not page-aligned (page size %u)",
			(unsigned long long)start, c->pm.page_size);
		return -1;
	}
	if (npages > (UINT64_MAX - start) >> shift) {
		err_set(e, VMS_ERANGE_, "range of %zu pages from 0x%llx wraps around",
			npages, (unsigned long long)start);
		return -1;
	}
	return 0;
}

/* Pages up to stop (clipped to the range's end) marked st, unread. */
static void walk_blank(struct pages_walk *w, uint64_t stop,
		       enum page_state st)
{
	const unsigned shift = w->c->pm.page_shift;
	uint64_t addr = walk_addr(w, w->i);
	size_t n;

	if (stop > w->end)
		stop = w->end;
	n = (size_t)((stop - addr) >> shift);
	fill_blank(w->out + w->i, w->c->skip + w->i, addr, shift, n, st);
	w->i += n;
}

/* Pages [i, i + m) from their raw entries (in c->pfns), in a VMA that is
 * hugetlb or not: the state pagemap alone gives, and the PFNs to read
 * kpage data of (c->pfns and c->skip). */
static void walk_entries(struct pages_walk *w, size_t m, bool huge)
{
	struct pages_ctx *c = w->c;
	const bool visible = c->root->pfn_visible;
	size_t j;

	for (j = w->i; j < w->i + m; j++) {
		struct page_info *p = &w->out[j];
		uint64_t raw = c->pfns[j], pfn = 0;
		uint64_t pm = pagemap_clean(raw, &c->pm.layout);

		p->vaddr = walk_addr(w, j);
		p->pm = raw;
		p->kflags = p->kcount = p->cg_ino = 0;
		p->have_kpage = false;
		p->frame = KPAGE_REC_YES;
		if (pm & PM_PRESENT) {
			p->state = (uint8_t)state_from_pm(pm, c->pm.layout.flags,
							  huge, visible);
			c->skip[j] = !pages_pm_pfn(pm, visible, &pfn);
			w->any_kpage |= !c->skip[j];
		} else {
			p->state = (uint8_t)state_not_present(pm);
			c->skip[j] = true;
		}
		c->pfns[j] = pfn;
	}
	w->i += m;
}

/* A run of adjacent readable VMAs from w->vi: one pagemap read. */
static int walk_run(struct pages_walk *w, struct vms_err *e)
{
	const struct vma_list *vmas = w->vmas;
	const unsigned shift = w->c->pm.page_shift;
	uint64_t addr = walk_addr(w, w->i), stop;
	size_t k;

	for (k = w->vi; k + 1 < vmas->n && vmas->v[k].end < w->end &&
	     vmas->v[k + 1].start == vmas->v[k].end &&
	     readable_vma(&vmas->v[k + 1]); k++)
		;
	stop = vmas->v[k].end < w->end ? vmas->v[k].end : w->end;
	if (pagemap_read(&w->c->pm, addr, (size_t)((stop - addr) >> shift),
			 w->c->pfns + w->i, e) < 0)
		return -1;
	for (; w->vi <= k; w->vi++) {
		const struct vma *v = &vmas->v[w->vi];
		uint64_t vend = v->end < stop ? v->end : stop;

		walk_entries(w, (size_t)((vend - addr) >> shift),
			     v->kind == VMA_KIND_HUGETLB);
		addr = vend;
		if (vend == stop && v->end > stop)
			break; /* the range ends inside this VMA */
	}
	return 0;
}

/* kpage data of the pages with a visible PFN (c->pfns, c->skip for
 * out[0..n)), and their states. */
static int read_kpage(struct pages_ctx *c, struct page_info *out, size_t n,
		      unsigned what, bool any_kpage, struct vms_err *e)
{
	bool want;
	size_t i;

	want = (what & PAGES_KFLAGS && kpage_has(&c->kp, PAGES_KFLAGS)) ||
	       (what & PAGES_KCOUNT && kpage_has(&c->kp, PAGES_KCOUNT)) ||
	       (what & PAGES_CGROUP && kpage_has(&c->kp, PAGES_CGROUP));
	if (!want || !any_kpage)
		return 0;
	if (kpage_read_strided(&c->kp, c->pfns, c->skip, n,
			       what & PAGES_KFLAGS ? &out[0].kflags : NULL,
			       what & PAGES_KCOUNT ? &out[0].kcount : NULL,
			       what & PAGES_CGROUP ? &out[0].cg_ino : NULL,
			       sizeof *out, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct page_info *p = &out[i];

		if (c->skip[i])
			continue;
		/* a frame a snapshot did not record reads as zeros: that is
		 * not "no flags, map count 0" */
		p->frame = (uint8_t)kpage_rec_of(&c->kp, c->pfns[i], p->kflags);
		if (p->frame != KPAGE_REC_YES) {
			p->kflags = p->kcount = p->cg_ino = 0;
			continue;
		}
		p->have_kpage = true;
		if (p->kflags && p->state != PAGE_HUGETLB)
			p->state = (uint8_t)state_from_kflags(p->kflags);
	}
	return 0;
}

int pages_read_kpage(struct pages_ctx *c, struct page_info *pages, size_t n,
		     unsigned what, struct vms_err *e)
{
	const bool visible = c->root->pfn_visible;
	bool any = false;
	size_t i;

	if (n == 0)
		return 0;
	if (scratch(c, n, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct page_info *p = &pages[i];
		uint64_t pfn = 0;
		bool row = p->state != PAGE_HOLE && p->state != PAGE_GAP &&
			   !p->have_kpage;

		c->skip[i] = !row ||
			     !pages_pm_pfn(pagemap_clean(p->pm, &c->pm.layout),
					   visible, &pfn);
		c->pfns[i] = pfn;
		any |= !c->skip[i];
	}
	return read_kpage(c, pages, n, what, any, e);
}

int pages_read(struct pages_ctx *c, const struct vma_list *vmas,
	       uint64_t start, size_t npages, unsigned what,
	       struct page_info *out, struct vms_err *e)
{
	static const struct vma_list none; /* no VMAs: all holes */
	struct pages_walk w;

	if (npages == 0)
		return 0;
	if (check_range(c, start, npages, e) < 0 || scratch(c, npages, e) < 0)
		return -1;
	memset(&w, 0, sizeof w);
	w.c = c;
	w.vmas = vmas ? vmas : &none;
	w.start = start;
	w.npages = npages;
	w.out = out;
	w.end = start + ((uint64_t)npages << c->pm.page_shift);
	w.vi = vma_after(w.vmas, start);
	while (w.i < npages) {
		uint64_t addr = walk_addr(&w, w.i);
		const struct vma *v = w.vi < w.vmas->n ? &w.vmas->v[w.vi] : NULL;

		if (!v || v->start > addr) {
			/* no VMA here: up to the next one */
			walk_blank(&w, v ? v->start : w.end, PAGE_HOLE);
		} else if (v->kind == VMA_KIND_HOLE) {
			walk_blank(&w, v->end, PAGE_HOLE);
			w.vi++;
		} else if (!readable_vma(v)) {
			/* VM_PFNMAP/VM_IO: pagemap shows nothing, do not ask */
			walk_blank(&w, v->end, PAGE_GAP);
			w.vi++;
		} else if (walk_run(&w, e) < 0) {
			return -1;
		}
	}
	return read_kpage(c, out, npages, what, w.any_kpage, e);
}

const char *pages_cgroup(struct pages_ctx *c, const struct page_info *p)
{
	if (!p->have_kpage || !p->cg_ino)
		return NULL;
	return cgroups_path(c->cg, p->cg_ino);
}
