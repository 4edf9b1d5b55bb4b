/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages and cgroups: the state of hand-built pages, pages_read on this
 * process's own mappings (anon, zero page, untouched, hole, [vvar], shared
 * memory, THP), hidden PFNs, and the memory cgroup of a page. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/pages.h"

#define KB(b) (UINT64_C(1) << (b))

/* ---- page_state_of on hand-built pages ---- */

static struct vma mkvma(enum vma_kind k)
{
	struct vma v;

	memset(&v, 0, sizeof v);
	v.start = 0x10000;
	v.end = 0x20000;
	v.kind = k;
	v.name = (char *)"";
	memcpy(v.perms, "rw-p", 5);
	return v;
}

static void test_state_names(void **st)
{
	int a, b;

	assert_string_equal(page_state_name(PAGE_ANON), "anon");
	assert_string_equal(page_state_name(PAGE_SWAPPED), "swapped");
	assert_string_equal(page_state_name(PAGE_NOT_PRESENT), "not-present");
	for (a = 0; a < PAGE_STATE__COUNT; a++) {
		assert_non_null(page_state_name((enum page_state)a));
		for (b = a + 1; b < PAGE_STATE__COUNT; b++)
			assert_string_not_equal(page_state_name((enum page_state)a),
						page_state_name((enum page_state)b));
	}
	assert_string_equal(page_state_name(PAGE_STATE__COUNT), "unknown");
}

static void test_state_of_built_pages(void **st)
{
	struct vma anon = mkvma(VMA_KIND_ANON), file = mkvma(VMA_KIND_FILE);
	struct vma vvar = mkvma(VMA_KIND_VVAR), huge = mkvma(VMA_KIND_HUGETLB);
	struct vma hole = mkvma(VMA_KIND_HOLE);
	struct page_info p;

	memset(&p, 0, sizeof p);
	assert_int_equal(page_state_of(&p, NULL, true), PAGE_HOLE);
	assert_int_equal(page_state_of(&p, &hole, true), PAGE_HOLE);
	p.pm = PM_PRESENT | 5;
	assert_int_equal(page_state_of(&p, &vvar, true), PAGE_GAP);
	p.pm = 0;
	assert_int_equal(page_state_of(&p, &anon, true), PAGE_NOT_PRESENT);
	p.pm = PM_SWAPPED | (UINT64_C(12) << 5) | 1;
	assert_int_equal(page_state_of(&p, &anon, true), PAGE_SWAPPED);
	/* a guard marker is a swap-format entry, but no page is in swap */
	p.pm = PM_SWAPPED | PM_GUARD;
	assert_int_equal(page_state_of(&p, &anon, true), PAGE_NOT_PRESENT);

	/* present, kinds from kpageflags */
	p.pm = PM_PRESENT | 0x1234;
	p.have_kpage = true;
	p.kflags = KB(KPF_ANON) | KB(KPF_MMAP) | KB(KPF_LRU);
	assert_int_equal(page_state_of(&p, &anon, true), PAGE_ANON);
	p.kflags = KB(KPF_ZERO_PAGE) | KB(KPF_RESERVED);
	assert_int_equal(page_state_of(&p, &anon, true), PAGE_ZERO);
	p.kflags = KB(KPF_ANON) | KB(KPF_THP) | KB(KPF_COMPOUND_TAIL);
	assert_int_equal(page_state_of(&p, &anon, true), PAGE_THP);
	p.kflags = KB(KPF_ANON) | KB(KPF_KSM);
	assert_int_equal(page_state_of(&p, &anon, true), PAGE_KSM);
	p.kflags = KB(KPF_UPTODATE) | KB(KPF_MMAP) | KB(KPF_LRU);
	assert_int_equal(page_state_of(&p, &file, true), PAGE_FILE);
	/* a page-cache large folio carries THP too, but is a file page */
	p.kflags = KB(KPF_UPTODATE) | KB(KPF_MMAP) | KB(KPF_LRU) |
		   KB(KPF_THP) | KB(KPF_COMPOUND_HEAD);
	assert_int_equal(page_state_of(&p, &file, true), PAGE_FILE);
	/* shmem THP is a THP */
	p.kflags = KB(KPF_SWAPBACKED) | KB(KPF_THP) | KB(KPF_COMPOUND_HEAD);
	assert_int_equal(page_state_of(&p, &file, true), PAGE_THP);
	/* shmem: swap-backed but not anonymous */
	p.kflags = KB(KPF_SWAPBACKED) | KB(KPF_MMAP);
	assert_int_equal(page_state_of(&p, &anon, true), PAGE_FILE);
	p.kflags = KB(KPF_HUGE) | KB(KPF_COMPOUND_HEAD);
	assert_int_equal(page_state_of(&p, &anon, true), PAGE_HUGETLB);
	p.kflags = 0;
	assert_int_equal(page_state_of(&p, &huge, true), PAGE_HUGETLB);

	/* without kpageflags: pagemap's file bit decides */
	p.have_kpage = false;
	p.kflags = KB(KPF_ZERO_PAGE); /* not read: must be ignored */
	p.pm = PM_PRESENT | 0x1234;
	assert_int_equal(page_state_of(&p, &anon, true), PAGE_ANON);
	p.pm = PM_PRESENT | PM_FILE_SHARED | 0x1234;
	assert_int_equal(page_state_of(&p, &file, true), PAGE_FILE);
	/* PFN hidden: present, kind unknown (could be the zero page) */
	p.pm = PM_PRESENT;
	assert_int_equal(page_state_of(&p, &anon, false), PAGE_PRESENT);
	p.pm = PM_PRESENT | PM_FILE_SHARED;
	assert_int_equal(page_state_of(&p, &file, false), PAGE_FILE);
}

/* ---- cgroups ---- */

static void free_mounts(char **m, int n)
{
	while (n-- > 0)
		free(m[n]);
}

static void test_mountinfo_v1_memory(void **st)
{
	const char *text =
		"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
		"32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
		"35 31 0:32 / /sys/fs/cgroup/mem\\040ory rw,relatime shared:9 - cgroup cgroup rw,memory\n"
		"36 31 0:33 / /sys/fs/cgroup/memory_x rw - cgroup cgroup rw,memory_recursiveprot\n"
		"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
	char *m[4];
	int n = cgroups_parse_mountinfo(text, m, 4);

	/* v1 memory wins over the (memory-less) v2 unified mount; the
	 * octal escape is undone; "memory_recursiveprot" is not "memory" */
	assert_int_equal(n, 1);
	assert_string_equal(m[0], "/sys/fs/cgroup/mem ory");
	free_mounts(m, n);
}

static void test_mountinfo_v2_and_none(void **st)
{
	const char *v2 =
		"25 30 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"
		"26 30 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n"
		"27 30 0:23 / /mnt/c2 rw - cgroup2 none rw\n";
	const char *none =
		"22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"
		"garbage line\n"
		"\n";
	char *m[4];
	int n = cgroups_parse_mountinfo(v2, m, 4);

	assert_int_equal(n, 2); /* the same place twice counts once */
	assert_string_equal(m[0], "/sys/fs/cgroup");
	assert_string_equal(m[1], "/mnt/c2");
	free_mounts(m, n);
	n = cgroups_parse_mountinfo(v2, m, 1);
	assert_int_equal(n, 1);
	free_mounts(m, n);
	assert_int_equal(cgroups_parse_mountinfo(none, m, 4), 0);
	assert_int_equal(cgroups_parse_mountinfo("", m, 4), 0);
}

struct snap {
	char dir[64];
	struct vms_root root;
};

static void test_cgroups_snapshot_file(void **st)
{
	struct snap s;
	struct cgroups *cg;
	struct vms_err e;
	char p[128];
	FILE *f;

	snprintf(s.dir, sizeof s.dir, "/tmp/vmscope-cg.XXXXXX");
	assert_non_null(mkdtemp(s.dir));
	snprintf(p, sizeof p, "%s/%s", s.dir, ROOT_CONF_NAME);
	f = fopen(p, "w");
	assert_non_null(f);
	fprintf(f, "page_size=4096\narch=armv7l\n");
	fclose(f);
	snprintf(p, sizeof p, "%s/cgroup-inodes", s.dir);
	f = fopen(p, "w");
	assert_non_null(f);
	fprintf(f, "1 /\n4242 /system.slice/a b.service\nbad\n77 /user.slice\n");
	fclose(f);
	assert_int_equal(root_open(&s.root, s.dir, &e), 0);
	assert_int_equal(cgroups_open(&s.root, &cg, &e), 0);
	assert_string_equal(cgroups_path(cg, 1), "/");
	assert_string_equal(cgroups_path(cg, 4242), "/system.slice/a b.service");
	assert_string_equal(cgroups_path(cg, 77), "/user.slice");
	assert_null(cgroups_path(cg, 5));
	assert_null(cgroups_path(cg, 0));
	cgroups_free(cg);
	root_close(&s.root);
	unlink(p);
	snprintf(p, sizeof p, "%s/%s", s.dir, ROOT_CONF_NAME);
	unlink(p);
	rmdir(s.dir);
}

/* The memory cgroup of this process as /proc/self/cgroup names it. */
static bool self_memcg(char *buf, size_t n)
{
	char line[4096];
	bool v1 = false, found = false;
	FILE *f = fopen("/proc/self/cgroup", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof line, f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		bool mem;

		if (!c2)
			continue;
		line[strcspn(line, "\n")] = '\0';
		*c2 = '\0';
		mem = strcmp(c1 + 1, "memory") == 0 ||
		      strstr(c1 + 1, ",memory") || strncmp(c1 + 1, "memory,", 7) == 0;
		if (mem || (!v1 && strcmp(line, "0:") == 0)) {
			snprintf(buf, n, "%s", c2 + 1);
			found = true;
			if (mem)
				v1 = true;
		}
	}
	fclose(f);
	return found;
}

/* ---- pages_read on this process ---- */

struct live {
	struct vms_root root;
	struct pages_ctx c;
	struct vma_list l;
	size_t ps;
};

static int setup_live(void **st)
{
	struct live *L = calloc(1, sizeof *L);
	struct vms_err e;

	if (root_open(&L->root, NULL, &e) < 0)
		fail_msg("%s", e.msg);
	L->ps = L->root.page_size;
	if (pages_open(&L->c, &L->root, getpid(), &e) < 0)
		fail_msg("%s", e.msg);
	*st = L;
	return 0;
}

static int teardown_live(void **st)
{
	struct live *L = *st;

	pages_close(&L->c);
	vmas_free(&L->l);
	root_close(&L->root);
	free(L);
	return 0;
}

static void reread_vmas(struct live *L)
{
	struct vms_err e;

	vmas_free(&L->l);
	memset(&L->l, 0, sizeof L->l);
	if (vmas_read(&L->root, getpid(), true, &L->l, &e) < 0)
		fail_msg("%s", e.msg);
}

static void test_live_states(void **st)
{
	struct live *L = *st;
	struct page_info pi[6];
	struct vms_err e;
	size_t ps = L->ps, i;
	volatile char *m;
	char c, want[256];
	const char *cg;
	uint64_t pfn;

	/* pages: 0 written, 1 read (zero page), 2 untouched, 3 unmapped
	 * (a hole), 4 written, 5 untouched */
	m = mmap(NULL, 6 * ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	madvise((void *)m, 6 * ps, MADV_NOHUGEPAGE);
	m[0] = 1;
	c = m[ps];
	(void)c;
	m[4 * ps] = 4;
	assert_int_equal(munmap((void *)(m + 3 * ps), ps), 0);
	reread_vmas(L);

	memset(pi, 0xee, sizeof pi);
	assert_int_equal(pages_read(&L->c, &L->l, (uintptr_t)m, 6, PAGES_ALL,
				    pi, &e), 0);
	for (i = 0; i < 6; i++)
		assert_int_equal(pi[i].vaddr, (uintptr_t)m + i * ps);
	assert_int_equal(pi[2].state, PAGE_NOT_PRESENT);
	assert_int_equal(pi[3].state, PAGE_HOLE);
	assert_int_equal(pi[3].pm, 0);
	assert_int_equal(pi[5].state, PAGE_NOT_PRESENT);
	assert_false(pi[2].have_kpage);
	assert_int_equal(pi[2].kflags, 0);
	assert_true(pi[0].pm & PM_PRESENT);
	assert_true(pi[1].pm & PM_PRESENT);
	if (!L->root.pfn_visible) {
		assert_int_equal(pi[0].state, PAGE_PRESENT);
		return;
	}
	assert_true(pages_pfn(&L->c, &pi[0], &pfn));
	assert_true(pfn != 0);
	assert_int_equal(pi[0].state, PAGE_ANON);
	assert_int_equal(pi[4].state, PAGE_ANON);
	assert_true(pi[0].have_kpage);
	assert_true(pi[0].kflags & KB(KPF_ANON));
	assert_int_equal(pi[0].kcount, 1);
	assert_int_equal(pi[1].state, PAGE_ZERO);
	assert_true(pi[1].kflags & KB(KPF_ZERO_PAGE));

	/* the page is charged to this process's memory cgroup */
	assert_true(pi[0].cg_ino != 0);
	cg = pages_cgroup(&L->c, &pi[0]);
	assert_non_null(cg);
	assert_true(self_memcg(want, sizeof want));
	assert_string_equal(cg, want);
	assert_string_equal(cgroups_path(L->c.cg, pi[4].cg_ino), want);

	/* only what was asked for is read */
	memset(pi, 0xee, sizeof pi);
	assert_int_equal(pages_read(&L->c, &L->l, (uintptr_t)m, 2,
				    PAGES_KCOUNT, pi, &e), 0);
	assert_int_equal(pi[0].kcount, 1);
	assert_int_equal(pi[0].kflags, 0);
	assert_int_equal(pi[0].cg_ino, 0);
	assert_int_equal(pi[0].state, PAGE_ANON); /* from pagemap alone */

	munmap((void *)m, 3 * ps);
	munmap((void *)(m + 4 * ps), 2 * ps);
}

static void test_live_vvar_is_gap(void **st)
{
	struct live *L = *st;
	struct page_info *pi;
	struct vms_err e;
	const struct vma *v = NULL;
	uint64_t stop;
	size_t i, k, n, gaps = 0, others = 0;

	reread_vmas(L);
	for (i = 0; i < L->l.n; i++)
		if (strcmp(L->l.v[i].name, "[vvar]") == 0)
			v = &L->l.v[i];
	if (!v)
		skip();
	assert_true(vma_is_gap(v));
	/* [vvar] and the VMAs after it ([vvar_vclock], [vdso], ...) in one
	 * call: gap pages are told apart without reading pagemap */
	k = (size_t)(v - L->l.v);
	stop = k + 3 < L->l.n ? L->l.v[k + 3].end : v->end;
	n = (size_t)((stop - v->start) / L->ps);
	pi = calloc(n, sizeof *pi);
	assert_non_null(pi);
	memset(pi, 0xee, n * sizeof *pi);
	assert_int_equal(pages_read(&L->c, &L->l, v->start, n, PAGES_ALL, pi,
				    &e), 0);
	for (i = 0; i < n; i++) {
		const struct vma *w = vmas_find(&L->l, pi[i].vaddr);

		assert_int_equal(pi[i].vaddr, v->start + i * L->ps);
		assert_int_equal(pi[i].state,
				 page_state_of(&pi[i], w, L->root.pfn_visible));
		if (w && vma_is_gap(w)) {
			assert_int_equal(pi[i].state, PAGE_GAP);
			assert_int_equal(pi[i].pm, 0);
			assert_false(pi[i].have_kpage);
			gaps++;
		} else {
			assert_int_not_equal(pi[i].state, PAGE_GAP);
			others++;
		}
	}
	assert_true(gaps >= (v->end - v->start) / L->ps);
	assert_true(others > 0);
	free(pi);
}

static void test_live_shmem_and_hidden_pfn(void **st)
{
	struct live *L = *st;
	struct vms_root hidden;
	struct pages_ctx hc;
	struct page_info pi[3];
	struct vms_err e;
	size_t ps = L->ps;
	volatile char *a, *s;
	uint64_t pfn;
	int fd;

	a = mmap(NULL, ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(a != MAP_FAILED);
	a[0] = 1;
	fd = memfd_create("vmscope-pages", 0);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 2 * ps), 0);
	s = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(s != MAP_FAILED);
	s[0] = 1;
	reread_vmas(L);

	assert_int_equal(pages_read(&L->c, &L->l, (uintptr_t)s, 2, PAGES_ALL,
				    pi, &e), 0);
	assert_int_equal(pi[0].state, PAGE_FILE);
	assert_true(pi[0].pm & PM_FILE_SHARED);
	assert_int_equal(pi[1].state, PAGE_NOT_PRESENT);

	/* a reader without CAP_SYS_ADMIN: PFN hidden, not zero */
	hidden = L->root;
	hidden.pfn_visible = false;
	assert_int_equal(pages_open(&hc, &hidden, getpid(), &e), 0);
	assert_int_equal(pages_read(&hc, &L->l, (uintptr_t)a, 1, PAGES_ALL,
				    pi, &e), 0);
	assert_int_equal(pi[0].state, PAGE_PRESENT);
	assert_false(pi[0].have_kpage);
	assert_false(pages_pfn(&hc, &pi[0], &pfn));
	assert_null(pages_cgroup(&hc, &pi[0]));
	assert_int_equal(pages_read(&hc, &L->l, (uintptr_t)s, 1, PAGES_ALL,
				    pi, &e), 0);
	assert_int_equal(pi[0].state, PAGE_FILE);
	pages_close(&hc);

	munmap((void *)s, 2 * ps);
	close(fd);
	munmap((void *)a, ps);
}

static void test_live_thp(void **st)
{
	struct live *L = *st;
	struct pagemap_counts cnt;
	struct page_info *pi;
	struct vms_err e;
	size_t huge = (size_t)2 << 20, np = huge / L->ps, i;
	char *raw, *m;

	raw = mmap(NULL, 2 * huge, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(raw != MAP_FAILED);
	m = (char *)(((uintptr_t)raw + huge - 1) & ~(uintptr_t)(huge - 1));
	if (madvise(m, huge, MADV_HUGEPAGE) < 0) {
		munmap(raw, 2 * huge);
		skip();
	}
	memset(m, 1, huge);
	reread_vmas(L);
	pi = calloc(np, sizeof *pi);
	assert_non_null(pi);
	assert_int_equal(pages_read(&L->c, &L->l, (uintptr_t)m, np, PAGES_ALL,
				    pi, &e), 0);
	if (!L->root.pfn_visible || !(pi[0].kflags & KB(KPF_THP))) {
		/* no huge page to be had now: nothing to check */
		free(pi);
		munmap(raw, 2 * huge);
		skip();
	}
	for (i = 0; i < np; i++) {
		assert_int_equal(pi[i].state, PAGE_THP);
		assert_true(pi[i].kflags & KB(i ? KPF_COMPOUND_TAIL
						: KPF_COMPOUND_HEAD));
	}
	/* contiguous physical pages */
	assert_int_equal((pi[np - 1].pm & PM_PFN_MASK) - (pi[0].pm & PM_PFN_MASK),
			 np - 1);
	if (pagemap_scan_supported(&L->c.pm)) {
		assert_int_equal(pagemap_count(&L->c.pm, (uintptr_t)m,
					       (uintptr_t)m + huge, &cnt, &e), 0);
		assert_int_equal(cnt.huge, np);
		assert_int_equal(cnt.present, np);
	}
	free(pi);
	munmap(raw, 2 * huge);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_state_of_built_pages),
		cmocka_unit_test(test_mountinfo_v1_memory),
		cmocka_unit_test(test_mountinfo_v2_and_none),
		cmocka_unit_test(test_cgroups_snapshot_file),
		cmocka_unit_test_setup_teardown(test_live_states, setup_live,
						teardown_live),
		cmocka_unit_test_setup_teardown(test_live_vvar_is_gap,
						setup_live, teardown_live),
		cmocka_unit_test_setup_teardown(test_live_shmem_and_hidden_pfn,
						setup_live, teardown_live),
		cmocka_unit_test_setup_teardown(test_live_thp, setup_live,
						teardown_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
