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

/* A present page from its kpageflags (non-zero: the page exists). */
static enum page_state state_from_kflags(uint64_t kf)
{
	if (kf & KBIT(KPF_ZERO_PAGE))
		return PAGE_ZERO;
	if (kf & KBIT(KPF_HUGE))
		return PAGE_HUGETLB;
	/* The kernel sets THP on every rmappable large folio, page cache
	 * ones included (ext4/xfs read in large folios): only anonymous and
	 * shmem ones are transparent huge pages in the sense a user means. */
	if ((kf & KBIT(KPF_THP)) &&
	    (kf & (KBIT(KPF_ANON) | KBIT(KPF_SWAPBACKED))))
		return PAGE_THP;
	if (kf & KBIT(KPF_KSM))
		return PAGE_KSM;
	return kf & KBIT(KPF_ANON) ? PAGE_ANON : PAGE_FILE;
}

/* A present page without kpageflags: what pagemap alone can tell. */
static enum page_state state_from_pm(uint64_t pm, bool hugetlb_vma,
				     bool pfn_visible)
{
	if (hugetlb_vma)
		return PAGE_HUGETLB;
	if (pm & PM_FILE_SHARED)
		return PAGE_FILE;
	/* with the PFN hidden an anonymous-looking page may be the zero
	 * page, a THP or a KSM page: say only that it is there */
	return pfn_visible ? PAGE_ANON : PAGE_PRESENT;
}

static enum page_state state_not_present(uint64_t pm)
{
	/* guard markers and migration entries are swap-format entries too;
	 * only a real swap entry is "swapped" */
	if ((pm & PM_SWAPPED) && !(pm & PM_GUARD))
		return PAGE_SWAPPED;
	return PAGE_NOT_PRESENT;
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
	return state_from_pm(p->pm, false, pfn_visible);
}

bool pages_pfn(const struct pages_ctx *c, const struct page_info *p,
	       uint64_t *pfn)
{
	if (!(p->pm & PM_PRESENT) || !c->root->pfn_visible)
		return false;
	*pfn = p->pm & PM_PFN_MASK;
	return *pfn != 0;
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
		skip[i] = true;
	}
}

int pages_read(struct pages_ctx *c, const struct vma_list *vmas,
	       uint64_t start, size_t npages, unsigned what,
	       struct page_info *out, struct vms_err *e)
{
	const unsigned shift = c->pm.page_shift;
	const bool visible = c->root->pfn_visible;
	static const struct vma_list none; /* no VMAs: all holes */
	uint64_t end, *pfns;
	bool *skip, want_kpage, any_kpage = false;
	size_t i = 0, vi;

	if (npages == 0)
		return 0;
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
	if (scratch(c, npages, e) < 0)
		return -1;
	if (!vmas)
		vmas = &none;
	pfns = c->pfns;
	skip = c->skip;
	end = start + ((uint64_t)npages << shift);
	vi = vma_after(vmas, start);

	while (i < npages) {
		uint64_t addr = start + ((uint64_t)i << shift), stop;
		const struct vma *v = vi < vmas->n ? &vmas->v[vi] : NULL;
		size_t n, j, k;
		bool huge;

		if (!v || v->start > addr || v->kind == VMA_KIND_HOLE) {
			/* no VMA here: up to the next one */
			stop = !v ? end : v->kind == VMA_KIND_HOLE ? v->end
							       : v->start;
			if (stop > end)
				stop = end;
			n = (size_t)((stop - addr) >> shift);
			fill_blank(out + i, skip + i, addr, shift, n, PAGE_HOLE);
			i += n;
			if (v && v->kind == VMA_KIND_HOLE)
				vi++;
			continue;
		}
		if (!readable_vma(v)) {
			/* VM_PFNMAP/VM_IO: pagemap shows nothing, do not ask */
			stop = v->end < end ? v->end : end;
			n = (size_t)((stop - addr) >> shift);
			fill_blank(out + i, skip + i, addr, shift, n, PAGE_GAP);
			i += n;
			vi++;
			continue;
		}
		/* a run of adjacent readable VMAs: one pagemap read */
		for (k = vi; k + 1 < vmas->n && vmas->v[k].end < end &&
		     vmas->v[k + 1].start == vmas->v[k].end &&
		     readable_vma(&vmas->v[k + 1]); k++)
			;
		stop = vmas->v[k].end < end ? vmas->v[k].end : end;
		n = (size_t)((stop - addr) >> shift);
		if (pagemap_read(&c->pm, addr, n, pfns + i, e) < 0)
			return -1;
		for (; vi <= k; vi++) {
			uint64_t vend = vmas->v[vi].end < stop ? vmas->v[vi].end
							       : stop;
			size_t m = (size_t)((vend - addr) >> shift);

			huge = vmas->v[vi].kind == VMA_KIND_HUGETLB;
			for (j = i; j < i + m; j++) {
				struct page_info *p = &out[j];
				uint64_t pm = pfns[j], pfn = pm & PM_PFN_MASK;

				p->vaddr = start + ((uint64_t)j << shift);
				p->pm = pm;
				p->kflags = p->kcount = p->cg_ino = 0;
				p->have_kpage = false;
				if (pm & PM_PRESENT) {
					p->state = (uint8_t)state_from_pm(pm, huge,
									  visible);
					skip[j] = !visible || !pfn;
					pfns[j] = pfn;
					any_kpage |= !skip[j];
				} else {
					p->state = (uint8_t)state_not_present(pm);
					skip[j] = true;
				}
			}
			i += m;
			addr = vend;
			if (vend == stop && vmas->v[vi].end > stop)
				break; /* the range ends inside this VMA */
		}
	}

	want_kpage = (what & PAGES_KFLAGS && kpage_has(&c->kp, PAGES_KFLAGS)) ||
		     (what & PAGES_KCOUNT && kpage_has(&c->kp, PAGES_KCOUNT)) ||
		     (what & PAGES_CGROUP && kpage_has(&c->kp, PAGES_CGROUP));
	if (!want_kpage || !any_kpage)
		return 0;
	if (kpage_read_strided(&c->kp, pfns, skip, npages,
			       what & PAGES_KFLAGS ? &out[0].kflags : NULL,
			       what & PAGES_KCOUNT ? &out[0].kcount : NULL,
			       what & PAGES_CGROUP ? &out[0].cg_ino : NULL,
			       sizeof *out, e) < 0)
		return -1;
	for (i = 0; i < npages; i++) {
		struct page_info *p = &out[i];

		if (skip[i])
			continue;
		p->have_kpage = true;
		if (p->kflags && p->state != PAGE_HUGETLB)
			p->state = (uint8_t)state_from_kflags(p->kflags);
	}
	return 0;
}

const char *pages_cgroup(struct pages_ctx *c, const struct page_info *p)
{
	if (!p->have_kpage || !p->cg_ino)
		return NULL;
	return cgroups_path(c->cg, p->cg_ino);
}
