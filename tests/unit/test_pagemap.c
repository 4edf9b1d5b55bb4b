/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pagemap: decoding hand-built entries bit by bit, reading this process's
 * own pagemap, PAGEMAP_SCAN counts against plain reads, and a snapshot
 * pagemap (a regular file: no ioctl, short file is an error). */
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
#include "vmscope/pagemap.h"
#include "vmscope/root.h"

#define BIT(b) (UINT64_C(1) << (b))

/* ---- decode ---- */

static void test_decode_present_pfn(void **st)
{
	struct pagemap_entry pe;

	pagemap_decode(PM_PRESENT | 0x12345, NULL, &pe);
	assert_true(pe.present);
	assert_false(pe.swapped);
	assert_int_equal(pe.pfn, 0x12345);
	assert_int_equal(pe.swap_type, 0);
	assert_int_equal(pe.swap_offset, 0);
	assert_false(pe.soft_dirty || pe.exclusive || pe.uffd_wp ||
		     pe.guard || pe.file_shared);

	/* the widest PFN: all 55 bits; bits 59-60 (unused) do not leak in */
	pagemap_decode(PM_PRESENT | BIT(59) | BIT(60) | (BIT(55) - 1), NULL, &pe);
	assert_int_equal(pe.pfn, BIT(55) - 1);
	assert_true(pe.present);
	assert_false(pe.soft_dirty);
}

static void test_decode_each_flag_bit(void **st)
{
	struct pagemap_entry pe;

	pagemap_decode(BIT(55), NULL, &pe);
	assert_true(pe.soft_dirty);
	assert_false(pe.present || pe.exclusive || pe.uffd_wp);
	pagemap_decode(BIT(56), NULL, &pe);
	assert_true(pe.exclusive);
	assert_false(pe.soft_dirty || pe.uffd_wp || pe.guard);
	pagemap_decode(BIT(57), NULL, &pe);
	assert_true(pe.uffd_wp);
	assert_false(pe.exclusive || pe.guard);
	pagemap_decode(BIT(58), NULL, &pe);
	assert_true(pe.guard);
	assert_false(pe.uffd_wp || pe.file_shared);
	pagemap_decode(BIT(61), NULL, &pe);
	assert_true(pe.file_shared);
	assert_false(pe.guard || pe.swapped || pe.present);
	pagemap_decode(BIT(62), NULL, &pe);
	assert_true(pe.swapped);
	assert_false(pe.present || pe.file_shared);
	pagemap_decode(BIT(63), NULL, &pe);
	assert_true(pe.present);
	assert_false(pe.swapped);
	assert_int_equal(pe.pfn, 0); /* present with PFN 0: hidden */

	/* everything at once */
	pagemap_decode(PM_PRESENT | PM_FILE_SHARED | PM_EXCLUSIVE |
		       PM_SOFT_DIRTY | PM_UFFD_WP | 7, NULL, &pe);
	assert_true(pe.present && pe.file_shared && pe.exclusive &&
		    pe.soft_dirty && pe.uffd_wp);
	assert_false(pe.guard || pe.swapped);
	assert_int_equal(pe.pfn, 7);
}

static void test_decode_swap(void **st)
{
	struct pagemap_entry pe;

	/* type 3, offset 0x1234 */
	pagemap_decode(PM_SWAPPED | (UINT64_C(0x1234) << 5) | 3, NULL, &pe);
	assert_true(pe.swapped);
	assert_false(pe.present);
	assert_int_equal(pe.swap_type, 3);
	assert_int_equal(pe.swap_offset, 0x1234);
	assert_int_equal(pe.pfn, 0);

	/* largest: type 31, offset 2^50-1 */
	pagemap_decode(PM_SWAPPED | PM_SOFT_DIRTY | (BIT(55) - 1), NULL, &pe);
	assert_int_equal(pe.swap_type, 31);
	assert_int_equal(pe.swap_offset, BIT(50) - 1);
	assert_true(pe.soft_dirty);

	/* a shmem page in swap: file bit too */
	pagemap_decode(PM_SWAPPED | PM_FILE_SHARED | (UINT64_C(9) << 5) | 1, NULL, &pe);
	assert_true(pe.file_shared);
	assert_int_equal(pe.swap_type, 1);
	assert_int_equal(pe.swap_offset, 9);
}

static void test_bit_names(void **st)
{
	static const int want[] = { 55, 56, 57, 58, 61, 62, 63 };
	size_t i, n = 0;

	for (i = 0; pagemap_bits[i].name; i++) {
		assert_int_equal(pagemap_bits[i].bit, want[i]);
		n++;
	}
	assert_int_equal(n, sizeof want / sizeof want[0]);
	assert_string_equal(pagemap_bits[0].name, "soft-dirty");
	assert_string_equal(pagemap_bits[6].name, "present");
}

/* ---- live: this process ---- */

static void test_open_missing_process(void **st)
{
	struct vms_root r;
	struct pagemap pm;
	struct vms_err e;

	assert_int_equal(root_open(&r, NULL, &e), 0);
	/* beyond pid_max (at most 2^22): never a process */
	assert_int_equal(pagemap_open(&r, 99999999, &pm, &e), -1);
	assert_int_equal(e.code, VMS_ENOPROC);
	assert_non_null(strstr(e.msg, "99999999"));
	assert_int_equal(pm.fd, -1);
	root_close(&r);
}

static void test_live_touched_untouched_zero(void **st)
{
	struct vms_root r;
	struct pagemap pm;
	struct vms_err e;
	struct pagemap_entry pe[4];
	uint64_t raw[4];
	size_t ps, i;
	volatile char *m;
	char c;

	assert_int_equal(root_open(&r, NULL, &e), 0);
	ps = r.page_size;
	assert_int_equal(ps, (size_t)sysconf(_SC_PAGESIZE));
	m = mmap(NULL, 4 * ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	madvise((void *)m, 4 * ps, MADV_NOHUGEPAGE);
	m[0] = 1;            /* written */
	c = m[2 * ps];       /* read: the zero page */
	c += m[3 * ps];      /* read: the zero page again */
	(void)c;             /* page 1 never touched */

	assert_int_equal(pagemap_open(&r, getpid(), &pm, &e), 0);
	assert_int_equal(pagemap_read(&pm, (uintptr_t)m, 4, raw, &e), 0);
	for (i = 0; i < 4; i++)
		pagemap_decode(raw[i], NULL, &pe[i]);
	assert_true(pe[0].present);
	assert_true(pe[0].exclusive);      /* mapped only by us */
	assert_false(pe[0].file_shared);   /* anonymous */
	assert_false(pe[1].present);
	assert_false(pe[1].swapped);
	assert_int_equal(raw[1] & ~PM_SOFT_DIRTY, 0);
	assert_true(pe[2].present && pe[3].present);
	if (r.pfn_visible) {
		assert_true(pe[0].pfn != 0);
		/* both read-only pages are the one shared zero page */
		assert_true(pe[2].pfn != 0);
		assert_int_equal(pe[2].pfn, pe[3].pfn);
		assert_int_not_equal(pe[0].pfn, pe[2].pfn);
	}
	pagemap_close(&pm);
	munmap((void *)m, 4 * ps);
	root_close(&r);
}

static void test_live_count_scan_and_plain(void **st)
{
	struct vms_root r;
	struct pagemap pm;
	struct vms_err e;
	struct pagemap_counts cs, cp;
	size_t ps, i, np = 256;
	volatile char *m, *f;
	char c = 0;
	int memfd;

	assert_int_equal(root_open(&r, NULL, &e), 0);
	ps = r.page_size;
	m = mmap(NULL, np * ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	madvise((void *)m, np * ps, MADV_NOHUGEPAGE);
	for (i = 0; i < 10; i++)
		m[(i * 7) * ps] = 1;           /* 10 written pages */
	for (i = 0; i < 3; i++)
		c += m[(100 + i) * ps];        /* 3 zero-page reads */
	(void)c;
	/* shared memory pages count as file */
	memfd = memfd_create("vmscope-test", 0);
	assert_true(memfd >= 0);
	assert_int_equal(ftruncate(memfd, 4 * ps), 0);
	f = mmap(NULL, 4 * ps, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	assert_true(f != MAP_FAILED);
	f[0] = 1;
	f[ps] = 1;

	assert_int_equal(pagemap_open(&r, getpid(), &pm, &e), 0);
	assert_int_equal(pagemap_count(&pm, (uintptr_t)m,
				       (uintptr_t)m + np * ps, &cs, &e), 0);
	assert_int_equal(cs.pages, np);
	assert_int_equal(cs.present, 13);
	assert_int_equal(cs.swapped, 0);
	assert_int_equal(cs.file, 0);
	if (pagemap_scan_supported(&pm)) {
		assert_true(cs.exact_huge);
		assert_int_equal(cs.pfnzero, 3);
		assert_int_equal(cs.huge, 0);
		assert_int_equal(cs.written, 0); /* no uffd-wp here */
	} else {
		assert_false(cs.exact_huge);
	}
	assert_int_equal(pagemap_count(&pm, (uintptr_t)f,
				       (uintptr_t)f + 4 * ps, &cs, &e), 0);
	assert_int_equal(cs.present, 2);
	assert_int_equal(cs.file, 2);

	/* the fallback gives the same counts, without huge/zero */
	pm.scan_state = -1;
	assert_int_equal(pagemap_count(&pm, (uintptr_t)m,
				       (uintptr_t)m + np * ps, &cp, &e), 0);
	assert_int_equal(cp.pages, np);
	assert_int_equal(cp.present, 13);
	assert_int_equal(cp.file, 0);
	assert_false(cp.exact_huge);
	assert_int_equal(cp.pfnzero, 0);
	assert_int_equal(pagemap_count(&pm, (uintptr_t)f,
				       (uintptr_t)f + 4 * ps, &cp, &e), 0);
	assert_int_equal(cp.present, 2);
	assert_int_equal(cp.file, 2);

	/* not page-aligned */
	assert_int_equal(pagemap_count(&pm, (uintptr_t)m + 1,
				       (uintptr_t)m + ps, &cp, &e), -1);
	assert_int_equal(e.code, EINVAL);
	pagemap_close(&pm);
	munmap((void *)f, 4 * ps);
	close(memfd);
	munmap((void *)m, np * ps);
	root_close(&r);
}

/* Per-cell counts from one walk: each cell's counts equal those of the
 * raw entries of its own pages (present, present file, swapped), and of
 * pagemap_count over that cell alone (THP, zero page); the last cell is
 * cut at the end of the range.  On memory this test maps in a pattern: a
 * run, single pages, zero-page reads, a THP, a shared file. */
static void test_live_count_cells(void **st)
{
	struct vms_root r;
	struct pagemap pm;
	struct vms_err e;
	struct pagemap_counts cells[64], one;
	size_t ps, i, j, np = 1024 + 512, ncell;
	const unsigned shift = 5;           /* 32 pages per cell */
	uint64_t *raw;
	char *base, *m;
	volatile char c = 0;

	(void)st;
	assert_int_equal(root_open(&r, NULL, &e), 0);
	ps = r.page_size;
	assert_int_equal(pagemap_open(&r, getpid(), &pm, &e), 0);
	if (!pagemap_scan_supported(&pm)) {
		assert_int_equal(pagemap_count_cells(&pm, 0, 0, shift, cells, 0, &e), -1);
		assert_int_equal(e.code, ENOTSUP);
		pagemap_close(&pm);
		root_close(&r);
		skip();
	}
	/* 2 MiB aligned, so that a THP can form in its first 512 pages */
	base = mmap(NULL, np * ps + (2u << 20), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(base != MAP_FAILED);
	m = (char *)(((uintptr_t)base + (2u << 20) - 1) & ~(uintptr_t)((2u << 20) - 1));
	madvise(m, 512 * ps, MADV_HUGEPAGE);
	madvise(m + 512 * ps, (np - 512) * ps, MADV_NOHUGEPAGE);
	m[0] = 1;                                  /* THP, if the kernel gives one */
	for (i = 600; i < 700; i++)
		m[i * ps] = 1;                     /* a run over cell edges */
	for (i = 700; i < np; i += 37)
		m[i * ps] = 1;                     /* scattered pages */
	for (i = 900; i < 940; i += 3)
		c += ((volatile char *)m)[i * ps]; /* zero-page reads */
	(void)c;

	/* 1536 pages minus 5: the last cell is short */
	np -= 5;
	ncell = (np + (1u << shift) - 1) >> shift;
	assert_true(ncell <= sizeof cells / sizeof cells[0]);
	assert_int_equal(pagemap_count_cells(&pm, (uintptr_t)m,
					     (uintptr_t)m + np * ps, shift,
					     cells, ncell, &e), 0);
	raw = malloc(np * sizeof *raw);
	assert_non_null(raw);
	assert_int_equal(pagemap_read(&pm, (uintptr_t)m, np, raw, &e), 0);
	for (i = 0; i < ncell; i++) {
		uint64_t first = (uint64_t)i << shift, last = first + (1u << shift);
		uint64_t present = 0, pfile = 0, swapped = 0;

		if (last > np)
			last = np;
		for (j = first; j < last; j++) {
			present += (raw[j] & PM_PRESENT) != 0;
			pfile += (raw[j] & PM_PRESENT) && (raw[j] & PM_FILE_SHARED);
			swapped += !(raw[j] & PM_PRESENT) && (raw[j] & PM_SWAPPED);
		}
		assert_int_equal(cells[i].pages, last - first);
		assert_int_equal(cells[i].present, present);
		assert_int_equal(cells[i].present_file, pfile);
		assert_int_equal(cells[i].swapped, swapped);
		assert_int_equal(pagemap_count(&pm, (uintptr_t)m + first * ps,
					       (uintptr_t)m + last * ps, &one, &e), 0);
		assert_int_equal(cells[i].huge, one.huge);
		assert_int_equal(cells[i].pfnzero, one.pfnzero);
		assert_true(cells[i].exact_huge);
	}
	/* the pattern is seen: the run, the zero pages */
	assert_int_equal(cells[600 >> shift].present >= 8, 1);
	assert_int_equal(cells[900 >> shift].pfnzero + cells[(900 >> shift) + 1].pfnzero > 0, 1);

	/* not page-aligned */
	assert_int_equal(pagemap_count_cells(&pm, (uintptr_t)m + 1,
					     (uintptr_t)m + ps, shift, cells, 1, &e), -1);
	assert_int_equal(e.code, EINVAL);
	free(raw);
	pagemap_close(&pm);
	munmap(base, (np + 5) * ps + (2u << 20));
	root_close(&r);
}

/* A large sparse reservation: scan and plain reads agree; the plain path
 * never holds more than a batch in memory. */
static void test_live_count_sparse_reservation(void **st)
{
	struct vms_root r;
	struct pagemap pm;
	struct vms_err e;
	struct pagemap_counts cs, cp;
	size_t ps, len = (size_t)1 << 30, i;
	char *m;

	assert_int_equal(root_open(&r, NULL, &e), 0);
	ps = r.page_size;
	m = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_NORESERVE, -1, 0);
	assert_true(m != MAP_FAILED);
	for (i = 0; i < 5; i++) {
		char *p = m + (i * (len / 5) & ~(ps - 1));

		assert_int_equal(mprotect(p, ps, PROT_READ | PROT_WRITE), 0);
		*(volatile char *)p = 1;
	}
	assert_int_equal(pagemap_open(&r, getpid(), &pm, &e), 0);
	assert_int_equal(pagemap_count(&pm, (uintptr_t)m, (uintptr_t)m + len,
				       &cs, &e), 0);
	assert_int_equal(cs.pages, len / ps);
	assert_int_equal(cs.present, 5);
	pm.scan_state = -1;
	assert_int_equal(pagemap_count(&pm, (uintptr_t)m, (uintptr_t)m + len,
				       &cp, &e), 0);
	assert_int_equal(cp.pages, len / ps);
	assert_int_equal(cp.present, 5);
	pagemap_close(&pm);
	munmap(m, len);
	root_close(&r);
}

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102 /* Linux 6.13 */
#endif

/* A guard region is a swap-format marker in the page table: pagemap
 * shows bits 62 and 58.  It is not a page in swap, and both counting
 * paths must agree on that. */
static void test_live_guard_region(void **st)
{
	struct vms_root r;
	struct pagemap pm;
	struct vms_err e;
	struct pagemap_counts cs, cp;
	struct pagemap_entry pe;
	uint64_t raw[3];
	size_t ps;
	volatile char *m;

	assert_int_equal(root_open(&r, NULL, &e), 0);
	ps = r.page_size;
	m = mmap(NULL, 3 * ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	m[0] = 1;
	if (madvise((void *)(m + ps), ps, MADV_GUARD_INSTALL) < 0) {
		munmap((void *)m, 3 * ps);
		root_close(&r);
		skip(); /* kernel before 6.13 */
	}
	assert_int_equal(pagemap_open(&r, getpid(), &pm, &e), 0);
	assert_int_equal(pagemap_read(&pm, (uintptr_t)m, 3, raw, &e), 0);
	pagemap_decode(raw[1], NULL, &pe);
	assert_true(pe.guard);
	assert_false(pe.present);
	assert_int_equal(pagemap_count(&pm, (uintptr_t)m, (uintptr_t)m + 3 * ps,
				       &cs, &e), 0);
	assert_int_equal(cs.present, 1);
	assert_int_equal(cs.swapped, 0);
	pm.scan_state = -1;
	assert_int_equal(pagemap_count(&pm, (uintptr_t)m, (uintptr_t)m + 3 * ps,
				       &cp, &e), 0);
	assert_int_equal(cp.present, 1);
	assert_int_equal(cp.swapped, 0);
	pagemap_close(&pm);
	munmap((void *)m, 3 * ps);
	root_close(&r);
}

/* ---- snapshot: a regular file ---- */

struct snap {
	char dir[64];
	char path[128];
	struct vms_root root;
};

static int setup_snapshot(void **st)
{
	struct snap *s = calloc(1, sizeof *s);
	char p[160];
	struct vms_err e;
	FILE *c;
	int fd;
	uint64_t ents[4] = {
		PM_PRESENT | PM_EXCLUSIVE | 0x1000,
		0,
		PM_SWAPPED | (UINT64_C(77) << 5) | 2,
		PM_PRESENT | PM_FILE_SHARED | 0x2000,
	};

	snprintf(s->dir, sizeof s->dir, "/tmp/vmscope-pm.XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(p, sizeof p, "%s/proc", s->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/proc/42", s->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/%s", s->dir, ROOT_CONF_NAME);
	c = fopen(p, "w");
	assert_non_null(c);
	/* a 16K-page board: page size from the root, not 4096 */
	fprintf(c, "page_size=16384\narch=aarch64\npfn_visible=1\n");
	fclose(c);
	/* entries for pages 0x40000..0x40003 (vaddr 0x40000 * 16K) */
	snprintf(s->path, sizeof s->path, "%s/proc/42/pagemap", s->dir);
	fd = open(s->path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, ents, sizeof ents, 0x40000 * 8),
			 (ssize_t)sizeof ents);
	close(fd);
	if (root_open(&s->root, s->dir, &e) < 0)
		fail_msg("%s", e.msg);
	*st = s;
	return 0;
}

static int teardown_snapshot(void **st)
{
	struct snap *s = *st;
	char p[160];

	root_close(&s->root);
	unlink(s->path);
	snprintf(p, sizeof p, "%s/proc/42", s->dir);
	rmdir(p);
	snprintf(p, sizeof p, "%s/proc", s->dir);
	rmdir(p);
	snprintf(p, sizeof p, "%s/%s", s->dir, ROOT_CONF_NAME);
	unlink(p);
	rmdir(s->dir);
	free(s);
	return 0;
}

static void test_snapshot_read_count(void **st)
{
	struct snap *s = *st;
	struct pagemap pm;
	struct vms_err e;
	struct pagemap_counts c;
	struct pagemap_entry pe;
	uint64_t raw[4], base = UINT64_C(0x40000) * 16384;

	assert_int_equal(pagemap_open(&s->root, 42, &pm, &e), 0);
	assert_int_equal(pm.page_size, 16384);
	assert_int_equal(pm.page_shift, 14);
	assert_int_equal(pagemap_read(&pm, base, 4, raw, &e), 0);
	pagemap_decode(raw[0], NULL, &pe);
	assert_true(pe.present && pe.exclusive);
	assert_int_equal(pe.pfn, 0x1000);
	pagemap_decode(raw[2], NULL, &pe);
	assert_true(pe.swapped);
	assert_int_equal(pe.swap_type, 2);
	assert_int_equal(pe.swap_offset, 77);

	/* a regular file has no PAGEMAP_SCAN: counts by plain reads */
	assert_false(pagemap_scan_supported(&pm));
	assert_int_equal(pagemap_count(&pm, base, base + 4 * 16384, &c, &e), 0);
	assert_int_equal(c.pages, 4);
	assert_int_equal(c.present, 2);
	assert_int_equal(c.swapped, 1);
	assert_int_equal(c.file, 1);
	assert_false(c.exact_huge);

	/* the maps claim a page the file does not have */
	assert_int_equal(pagemap_read(&pm, base + 3 * 16384, 2, raw, &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	assert_non_null(strstr(e.msg, "pagemap of process 42"));
	pagemap_close(&pm);

	assert_int_equal(pagemap_open(&s->root, 43, &pm, &e), -1);
	assert_int_equal(e.code, VMS_ENOPROC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_present_pfn),
		cmocka_unit_test(test_decode_each_flag_bit),
		cmocka_unit_test(test_decode_swap),
		cmocka_unit_test(test_bit_names),
		cmocka_unit_test(test_open_missing_process),
		cmocka_unit_test(test_live_touched_untouched_zero),
		cmocka_unit_test(test_live_count_scan_and_plain),
		cmocka_unit_test(test_live_count_cells),
		cmocka_unit_test(test_live_count_sparse_reservation),
		cmocka_unit_test(test_live_guard_region),
		cmocka_unit_test_setup_teardown(test_snapshot_read_count,
						setup_snapshot,
						teardown_snapshot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
