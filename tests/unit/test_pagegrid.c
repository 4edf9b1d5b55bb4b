/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pagegrid: cells of pages at a zoom, the counts of hand-built entries
 * (THP and zero page by pages.c's rules, guard markers not swapped,
 * hidden PFNs), how a cell looks, and pagegrid_fill on a hand-made
 * snapshot root (kpageflags, no PAGEMAP_SCAN) and on this process. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/pagegrid.h"

#define KB(b) (UINT64_C(1) << (b))

/* ---- grouping ---- */

static void test_cells_at_zoom(void **st)
{
	assert_int_equal(pagegrid_ncells(16, 0), 16);
	assert_int_equal(pagegrid_ncells(16, 2), 4);
	assert_int_equal(pagegrid_ncells(10, 2), 3);
	assert_int_equal(pagegrid_ncells(1, 5), 1);
	assert_int_equal(pagegrid_ncells(0, 3), 0);
	/* the last cell holds what is left */
	assert_int_equal(pagegrid_cell_pages(10, 2, 0), 4);
	assert_int_equal(pagegrid_cell_pages(10, 2, 2), 2);
	assert_int_equal(pagegrid_cell_pages(10, 2, 3), 0);
	assert_int_equal(pagegrid_cell_pages(10, 0, 9), 1);
	/* 1000 pages in 100 cells: 2^4 = 16 pages a cell gives 63 */
	assert_int_equal(pagegrid_fit_zoom(1000, 100, 36), 4);
	assert_int_equal(pagegrid_fit_zoom(100, 100, 36), 0);
	assert_int_equal(pagegrid_fit_zoom(101, 100, 36), 1);
	assert_int_equal(pagegrid_fit_zoom(UINT64_C(1) << 40, 1, 36), 36);
	assert_int_equal(pagegrid_fit_zoom(8, 0, 36), 3); /* room of one */
}

/* ---- counting ---- */

static struct pagegrid_cell counted(const uint64_t *pm, const uint64_t *kf,
				    size_t n, bool hugetlb, bool visible)
{
	struct pagegrid_cell c;
	size_t i;

	pagegrid_cell_start(&c, (uint32_t)n);
	for (i = 0; i < n; i++) {
		pagegrid_count_entry(&c, pm[i]);
		if (kf && kf[i])
			pagegrid_count_kflags(&c, kf[i]);
	}
	pagegrid_cell_finish(&c, hugetlb, visible);
	return c;
}

static void test_count_entries(void **st)
{
	const uint64_t pm[] = {
		PM_PRESENT | 100,
		PM_PRESENT | PM_FILE_SHARED | 101,
		PM_SWAPPED | (UINT64_C(7) << 5) | 1,
		PM_SWAPPED | PM_GUARD,   /* a guard marker: not in swap */
		0,
	};
	struct pagegrid_cell c = counted(pm, NULL, 5, false, true), d;

	assert_int_equal(c.type, PAGEGRID_PAGES);
	assert_int_equal(c.pages, 5);
	assert_int_equal(c.present, 2);
	assert_int_equal(c.file, 1);
	assert_int_equal(c.anon, 1);
	assert_int_equal(c.swapped, 1);
	assert_int_equal(c.unknown, 0);
	/* the hash follows the entries */
	d = counted(pm, NULL, 4, false, true);
	assert_true(c.hash != d.hash);
	d = counted(pm, NULL, 5, false, true);
	assert_true(c.hash == d.hash);
	assert_false(pagegrid_cell_differs(&c, &d));
	d.swapped = 0;
	assert_true(pagegrid_cell_differs(&c, &d));
}

static void test_count_kflags_rules(void **st)
{
	const uint64_t pm[] = { PM_PRESENT | 1, PM_PRESENT | 2,
		PM_PRESENT | PM_FILE_SHARED | 3,
		PM_PRESENT | 4, PM_PRESENT | 5 };
	const uint64_t kf[] = {
		KB(KPF_ZERO_PAGE) | KB(KPF_RESERVED),
		KB(KPF_ANON) | KB(KPF_THP) | KB(KPF_COMPOUND_HEAD),
		/* a page-cache large folio: THP set, but a file page */
		KB(KPF_LRU) | KB(KPF_THP) | KB(KPF_COMPOUND_TAIL),
		/* shmem THP */
		KB(KPF_SWAPBACKED) | KB(KPF_THP) | KB(KPF_COMPOUND_HEAD),
		KB(KPF_ANON) | KB(KPF_LRU),
	};
	struct pagegrid_cell c = counted(pm, kf, 5, false, true);

	assert_int_equal(c.present, 5);
	assert_int_equal(c.zero, 1);
	assert_int_equal(c.thp, 2);
	assert_int_equal(c.file, 1);   /* the page-cache folio */
	assert_int_equal(c.anon, 1);
	/* the same rules as the page table's */
	assert_true(pages_kflags_thp(kf[1]) && pages_kflags_thp(kf[3]));
	assert_false(pages_kflags_thp(kf[2]));
	assert_true(pages_kflags_zero(kf[0]));
}

static void test_finish(void **st)
{
	const uint64_t pm[] = { PM_PRESENT | 1, PM_PRESENT, PM_PRESENT |
		PM_FILE_SHARED, 0 };
	struct pagegrid_cell c = counted(pm, NULL, 4, false, false);
	struct pagemap_counts pc;

	/* PFNs hidden: the anonymous-looking pages are of a hidden kind */
	assert_int_equal(c.present, 3);
	assert_int_equal(c.file, 1);
	assert_int_equal(c.anon, 0);
	assert_int_equal(c.unknown, 2);
	/* hugetlb: every present page */
	c = counted(pm, NULL, 4, true, true);
	assert_int_equal(c.hugetlb, 3);
	assert_int_equal(c.file + c.anon + c.thp + c.zero + c.unknown, 0);
	/* counts that overlap (PAGEMAP_SCAN's file includes THP) are
	 * clamped so the kinds add up to the present pages */
	memset(&pc, 0, sizeof pc);
	pc.present = 8;
	pc.pfnzero = 10;
	pagegrid_cell_start(&c, 16);
	pagegrid_cell_from_counts(&c, &pc);
	pagegrid_cell_finish(&c, false, true);
	assert_int_equal(c.zero, 8);
	assert_int_equal(c.thp + c.file + c.anon, 0);
	pc.pfnzero = 2;
	pc.huge = 4;
	pc.present_file = 5;
	pc.swapped = 3;
	pagegrid_cell_start(&c, 16);
	pagegrid_cell_from_counts(&c, &pc);
	pagegrid_cell_finish(&c, false, true);
	assert_int_equal(c.zero, 2);
	assert_int_equal(c.thp, 4);
	assert_int_equal(c.file, 2);
	assert_int_equal(c.anon, 0);
	assert_int_equal(c.swapped, 3);
}

/* ---- look ---- */

static struct pagegrid_look look_of(uint32_t pages, uint32_t present,
				    uint32_t anon, uint32_t file,
				    uint32_t swapped)
{
	struct pagegrid_cell c;

	pagegrid_cell_start(&c, pages);
	c.present = present;
	c.anon = anon;
	c.file = file;
	c.swapped = swapped;
	return pagegrid_cell_look(&c);
}

static void test_look(void **st)
{
	struct pagegrid_look l;
	struct pagegrid_cell c;

	l = look_of(4, 4, 4, 0, 0);
	assert_int_equal(l.state, PAGE_ANON);
	assert_int_equal(l.mark, PAGEGRID_MARK_STATE);
	/* half present, mostly file: 5 tenths, file's colour */
	l = look_of(8, 4, 1, 3, 0);
	assert_int_equal(l.state, PAGE_FILE);
	assert_int_equal(l.mark, PAGEGRID_MARK_TENTHS);
	assert_int_equal(l.tenths, 5);
	/* a few: at least 1; nearly all: at most 9 */
	assert_int_equal(look_of(64, 1, 1, 0, 0).tenths, 1);
	assert_int_equal(look_of(64, 63, 63, 0, 0).tenths, 9);
	/* all present but of two kinds: a tie goes to the first kind */
	l = look_of(4, 4, 2, 2, 0);
	assert_int_equal(l.state, PAGE_ANON);
	assert_int_equal(l.mark, PAGEGRID_MARK_TENTHS);
	assert_int_equal(l.tenths, 9);
	l = look_of(4, 0, 0, 0, 4);
	assert_int_equal(l.state, PAGE_SWAPPED);
	assert_int_equal(l.mark, PAGEGRID_MARK_STATE);
	l = look_of(4, 0, 0, 0, 1);
	assert_int_equal(l.state, PAGE_SWAPPED);
	assert_int_equal(l.mark, PAGEGRID_MARK_SOME_SWAPPED);
	l = look_of(4, 0, 0, 0, 0);
	assert_int_equal(l.state, PAGE_NOT_PRESENT);
	assert_int_equal(l.mark, PAGEGRID_MARK_STATE);
	memset(&c, 0, sizeof c);
	c.type = PAGEGRID_GAP;
	assert_int_equal(pagegrid_cell_look(&c).state, PAGE_GAP);
	c.type = PAGEGRID_HOLE;
	assert_int_equal(pagegrid_cell_look(&c).state, PAGE_HOLE);
	c.type = PAGEGRID_NONE;
	assert_int_equal(pagegrid_cell_look(&c).state, PAGE_HOLE);
}

/* ---- pagegrid_fill on a snapshot root ---- */

#define SNAP_PID 7
#define SPAN_START UINT64_C(0x10000)

struct snapfix {
	char dir[64];
	struct vms_root root;
	struct pages_ctx pc;
	struct pagegrid_reader rd;
};

/* 16 pages from SPAN_START: their entries and their PFNs' kpageflags. */
static const struct { uint64_t pm, kf; } snap_pages[16] = {
	[0] = { PM_PRESENT | 100, KB(KPF_ANON) | KB(KPF_LRU) },
	[1] = { PM_PRESENT | 101, KB(KPF_ZERO_PAGE) },
	[2] = { PM_PRESENT | 102, KB(KPF_ANON) | KB(KPF_THP) },
	[3] = { PM_PRESENT | PM_FILE_SHARED | 103, KB(KPF_LRU) | KB(KPF_THP) },
	[4] = { PM_PRESENT | PM_FILE_SHARED | 104,
		KB(KPF_SWAPBACKED) | KB(KPF_THP) },
	[5] = { PM_SWAPPED | (UINT64_C(3) << 5), 0 },
	[6] = { PM_SWAPPED | PM_GUARD, 0 },
	[12] = { PM_PRESENT, 0 },  /* PFN 0: no kpageflags to read */
};

static void write_file(const char *dir, const char *rel, const void *buf,
		       size_t n, off_t off)
{
	char p[160];
	int fd;

	snprintf(p, sizeof p, "%s/%s", dir, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	if (n)
		assert_int_equal(pwrite(fd, buf, n, off), (ssize_t)n);
	close(fd);
}

static void snap_write(struct snapfix *f, bool visible)
{
	char p[160], conf[128];
	uint64_t pm[16], kf[105];
	size_t i;

	memset(kf, 0, sizeof kf);
	for (i = 0; i < 16; i++) {
		pm[i] = snap_pages[i].pm;
		if (pm[i] & PM_PRESENT)
			kf[pm[i] & PM_PFN_MASK] = snap_pages[i].kf;
	}
	snprintf(p, sizeof p, "%s/proc", f->dir);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/proc/%d", f->dir, SNAP_PID);
	mkdir(p, 0755);
	snprintf(conf, sizeof conf, "page_size=4096\narch=x86_64\npfn_visible=%d\n",
		 visible ? 1 : 0);
	write_file(f->dir, ROOT_CONF_NAME, conf, strlen(conf), 0);
	snprintf(p, sizeof p, "proc/%d/pagemap", SNAP_PID);
	write_file(f->dir, p, pm, sizeof pm, (off_t)(SPAN_START / 4096 * 8));
	write_file(f->dir, "proc/kpageflags", kf, sizeof kf, 0);
}

static void snap_open(struct snapfix *f, bool visible)
{
	struct vms_err e;

	snap_write(f, visible);
	if (root_open(&f->root, f->dir, &e) < 0)
		fail_msg("%s", e.msg);
	if (pages_open(&f->pc, &f->root, SNAP_PID, &e) < 0)
		fail_msg("%s", e.msg);
	assert_false(pagemap_scan_supported(&f->pc.pm));
	assert_int_equal(pagegrid_reader_init(&f->rd, &e), 0);
}

static void snap_close(struct snapfix *f)
{
	pagegrid_reader_free(&f->rd);
	pages_close(&f->pc);
	root_close(&f->root);
}

static int setup_snap(void **st)
{
	struct snapfix *f = calloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "/tmp/vmscope-grid.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	*st = f;
	return 0;
}

static int teardown_snap(void **st)
{
	struct snapfix *f = *st;
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void fill(struct snapfix *f, uint64_t npages, unsigned zoom,
		 bool hugetlb, uint64_t c0, uint64_t c1,
		 struct pagegrid_cell *out)
{
	struct pagegrid_span s = { SPAN_START, npages, zoom, hugetlb };
	struct vms_err e;

	if (pagegrid_fill(&f->rd, &f->pc, &s, c0, c1, out, NULL, &e) < 0)
		fail_msg("%s", e.msg);
}

static void test_fill_snapshot_pages(void **st)
{
	struct snapfix *f = *st;
	struct pagegrid_cell c[16];

	snap_open(f, true);
	fill(f, 16, 0, false, 0, 16, c);
	assert_int_equal(c[0].anon, 1);
	assert_int_equal(c[1].zero, 1);
	assert_int_equal(c[2].thp, 1);
	/* the THP rule: a page-cache folio is a file page */
	assert_int_equal(c[3].thp, 0);
	assert_int_equal(c[3].file, 1);
	assert_int_equal(c[4].thp, 1);
	assert_int_equal(c[4].file, 0);
	assert_int_equal(c[5].swapped, 1);
	/* a guard marker is neither swapped nor present */
	assert_int_equal(c[6].swapped + c[6].present, 0);
	assert_int_equal(c[7].present, 0);
	/* present with PFN 0: no kpageflags, counted as anonymous */
	assert_int_equal(c[12].present, 1);
	assert_int_equal(c[12].anon, 1);
	assert_int_equal(pagegrid_cell_look(&c[12]).state, PAGE_ANON);
	snap_close(f);
}

static void test_fill_snapshot_zoomed(void **st)
{
	struct snapfix *f = *st;
	struct pagegrid_cell c[4];

	snap_open(f, true);
	fill(f, 16, 2, false, 0, 4, c);
	assert_int_equal(c[0].pages, 4);
	assert_int_equal(c[0].present, 4);
	assert_int_equal(c[0].zero, 1);
	assert_int_equal(c[0].thp, 1);
	assert_int_equal(c[0].file, 1);
	assert_int_equal(c[0].anon, 1);
	assert_int_equal(c[1].present, 1);
	assert_int_equal(c[1].thp, 1);
	assert_int_equal(c[1].swapped, 1);
	assert_int_equal(c[2].present + c[2].swapped, 0);
	assert_int_equal(c[3].present, 1);
	/* cells 1..2 alone land at out[0..1] */
	fill(f, 16, 2, false, 1, 3, c);
	assert_int_equal(c[0].thp, 1);
	assert_int_equal(c[0].swapped, 1);
	assert_int_equal(c[1].present, 0);
	/* a span of 10 pages: the last cell holds 2 */
	fill(f, 10, 2, false, 0, 3, c);
	assert_int_equal(c[2].pages, 2);
	/* hugetlb: the present pages are hugetlb, whatever their flags */
	fill(f, 16, 2, true, 0, 4, c);
	assert_int_equal(c[0].hugetlb, 4);
	assert_int_equal(c[0].thp + c[0].zero + c[0].anon, 0);
	snap_close(f);
}

static void test_fill_snapshot_hidden_pfns(void **st)
{
	struct snapfix *f = *st;
	struct pagegrid_cell c[4];

	snap_open(f, false);
	fill(f, 16, 2, false, 0, 4, c);
	/* PFN hidden: no kpageflags asked; what pagemap alone tells */
	assert_int_equal(c[0].present, 4);
	assert_int_equal(c[0].zero + c[0].thp + c[0].anon, 0);
	assert_int_equal(c[0].file, 1);
	assert_int_equal(c[0].unknown, 3);
	assert_int_equal(pagegrid_cell_look(&c[3]).state, PAGE_PRESENT);
	snap_close(f);
}

/* The rules the table (pages_read) and the map share. */
static void test_shared_rules(void **st)
{
	uint64_t pfn = 99;

	assert_true(pages_pm_pfn(PM_PRESENT | 5, true, &pfn));
	assert_int_equal(pfn, 5);
	pfn = 99;
	assert_false(pages_pm_pfn(PM_PRESENT | 5, false, &pfn)); /* hidden */
	assert_int_equal(pfn, 99);
	assert_false(pages_pm_pfn(PM_PRESENT, true, &pfn));     /* PFN 0 */
	assert_false(pages_pm_pfn(5, true, &pfn));              /* absent */
	assert_true(pages_pm_swapped(PM_SWAPPED | 1));
	assert_false(pages_pm_swapped(PM_SWAPPED | PM_GUARD));
	assert_false(pages_pm_swapped(PM_PRESENT));
}

/* pages_read on the same snapshot: one page per row, as the table
 * reads them, with the hole and gap VMAs around. */
static void read_snapshot(struct snapfix *f, struct page_info *pi)
{
	struct vma v[3];
	struct vma_list l;
	struct vms_err e;

	memset(v, 0, sizeof v);
	memset(&l, 0, sizeof l);
	v[0].start = SPAN_START;
	v[0].end = SPAN_START + 8 * 4096;
	v[0].kind = VMA_KIND_ANON;
	v[1].start = v[0].end;
	v[1].end = SPAN_START + 16 * 4096;
	v[1].kind = VMA_KIND_ANON;
	/* a hole of one page, then a PFNMAP gap */
	v[2].start = SPAN_START + 17 * 4096;
	v[2].end = SPAN_START + 18 * 4096;
	v[2].kind = VMA_KIND_IO;
	l.v = v;
	l.n = 3;
	if (pages_read(&f->pc, &l, SPAN_START, 18, PAGES_ALL, pi, &e) < 0)
		fail_msg("%s", e.msg);
}

static void test_read_snapshot(void **st)
{
	struct snapfix *f = *st;
	struct page_info pi[18];

	snap_open(f, true);
	read_snapshot(f, pi);
	assert_int_equal(pi[0].state, PAGE_ANON);
	assert_true(pi[0].have_kpage);
	assert_int_equal(pi[1].state, PAGE_ZERO);
	assert_int_equal(pi[2].state, PAGE_THP);
	assert_int_equal(pi[3].state, PAGE_FILE);
	assert_int_equal(pi[4].state, PAGE_THP);
	assert_int_equal(pi[5].state, PAGE_SWAPPED);
	assert_int_equal(pi[6].state, PAGE_NOT_PRESENT);
	assert_int_equal(pi[12].state, PAGE_ANON);
	assert_false(pi[12].have_kpage);            /* PFN 0 */
	assert_int_equal(pi[16].state, PAGE_HOLE);
	assert_int_equal(pi[17].state, PAGE_GAP);
	assert_int_equal(pi[17].vaddr, SPAN_START + 17 * 4096);
	snap_close(f);
	snap_open(f, false);
	read_snapshot(f, pi);
	assert_int_equal(pi[0].state, PAGE_PRESENT);
	assert_false(pi[0].have_kpage);
	assert_int_equal(pi[3].state, PAGE_FILE);
	assert_int_equal(pi[5].state, PAGE_SWAPPED);
	snap_close(f);
}

/* ---- pagegrid_fill on this process ---- */

static void test_fill_live(void **st)
{
	struct vms_root root;
	struct pages_ctx pc;
	struct pagegrid_reader rd;
	struct pagegrid_cell a[64], b[64], z[4];
	struct pagegrid_span s;
	struct vms_err e;
	volatile char *m;
	size_t ps, i;
	uint32_t present = 0;
	char ch;

	if (root_open(&root, NULL, &e) < 0 ||
	    pages_open(&pc, &root, getpid(), &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(pagegrid_reader_init(&rd, &e), 0);
	ps = root.page_size;
	/* pages 0-15 written, 16-31 read (the zero page), 32-63 untouched */
	m = mmap(NULL, 64 * ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	madvise((void *)m, 64 * ps, MADV_NOHUGEPAGE);
	for (i = 0; i < 16; i++)
		m[i * ps] = 1;
	for (i = 16; i < 32; i++)
		ch = m[i * ps];
	(void)ch;
	s.start = (uint64_t)(uintptr_t)m;
	s.npages = 64;
	s.hugetlb = false;
	s.zoom = 0;
	if (pagegrid_fill(&rd, &pc, &s, 0, 64, a, NULL, &e) < 0)
		fail_msg("%s", e.msg);
	for (i = 0; i < 64; i++)
		present += a[i].present;
	assert_int_equal(present, 32);
	assert_int_equal(a[0].present, 1);
	assert_int_equal(a[40].present, 0);
	/* zoomed out (one PAGEMAP_SCAN walk where the kernel has it): the
	 * same pages in 16-page cells */
	s.zoom = 4;
	if (pagegrid_fill(&rd, &pc, &s, 0, 4, z, NULL, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(z[0].present, 16);
	assert_int_equal(z[1].present, 16);
	assert_int_equal(z[2].present + z[3].present, 0);
	assert_int_equal(z[0].zero, 0);
	if (pagemap_scan_supported(&pc.pm) || root.pfn_visible) {
		assert_int_equal(z[1].zero, 16);
		assert_int_equal(a[20].zero, 1);
		/* a cell whose entries did not change keeps its counts */
		s.zoom = 0;
		memcpy(b, a, sizeof b);
		b[20].zero = 0;
		if (pagegrid_fill(&rd, &pc, &s, 0, 64, a, b, &e) < 0)
			fail_msg("%s", e.msg);
		if (pagemap_scan_supported(&pc.pm))
			assert_int_equal(a[20].zero, 0);
		assert_int_equal(a[21].zero, 1);
	}
	munmap((void *)m, 64 * ps);
	pagegrid_reader_free(&rd);
	pages_close(&pc);
	root_close(&root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells_at_zoom),
		cmocka_unit_test(test_count_entries),
		cmocka_unit_test(test_count_kflags_rules),
		cmocka_unit_test(test_finish),
		cmocka_unit_test(test_look),
		cmocka_unit_test_setup_teardown(test_fill_snapshot_pages,
						setup_snap, teardown_snap),
		cmocka_unit_test_setup_teardown(test_fill_snapshot_zoomed,
						setup_snap, teardown_snap),
		cmocka_unit_test_setup_teardown(test_fill_snapshot_hidden_pfns,
						setup_snap, teardown_snap),
		cmocka_unit_test(test_shared_rules),
		cmocka_unit_test_setup_teardown(test_read_snapshot,
						setup_snap, teardown_snap),
		cmocka_unit_test(test_fill_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
