/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kpage: flag names, formatting, and kpage_read against sparse fixture
 * files (unsorted input, duplicates, skips, PFNs past the end) and the
 * live /proc/kpage* for pages of this process. */
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
#include "vmscope/kpage.h"
#include "vmscope/pagemap.h"
#include "vmscope/root.h"

#define KB(b) (UINT64_C(1) << (b))

/* ---- names and formatting ---- */

static void test_names_match_kernel(void **st)
{
	static const char *const want[64] = {
		"LOCKED", "ERROR", "REFERENCED", "UPTODATE", "DIRTY", "LRU",
		"ACTIVE", "SLAB", "WRITEBACK", "RECLAIM", "BUDDY", "MMAP",
		"ANON", "SWAPCACHE", "SWAPBACKED", "COMPOUND_HEAD",
		"COMPOUND_TAIL", "HUGE", "UNEVICTABLE", "HWPOISON", "NOPAGE",
		"KSM", "THP", "OFFLINE", "ZERO_PAGE", "IDLE", "PGTABLE",
		[32] = "RESERVED", "MLOCKED", "OWNER_2", "PRIVATE", "PRIVATE_2",
		"OWNER_PRIVATE", "ARCH", "UNCACHED", "SOFTDIRTY", "ARCH_2",
		"ARCH_3",
	};
	unsigned b;

	for (b = 0; b < 64; b++) {
		if (want[b]) {
			assert_non_null(kpage_flag_name(b));
			assert_string_equal(kpage_flag_name(b), want[b]);
		} else {
			assert_null(kpage_flag_name(b));
			assert_null(kpage_flag_abbrev(b));
			assert_int_equal(kpage_flag_letter(b), 0);
		}
	}
	assert_null(kpage_flag_name(64));
	assert_null(kpage_flag_name(1000));
	assert_string_equal(kpage_flag_name(KPF_ANON), "ANON");
	assert_string_equal(kpage_flag_name(KPF_ARCH_3), "ARCH_3");
}

static void test_abbrevs_short_and_unique(void **st)
{
	unsigned a, b;

	for (a = 0; a < 64; a++) {
		const char *x = kpage_flag_abbrev(a);

		if (!kpage_flag_name(a))
			continue;
		assert_non_null(x);
		assert_true(strlen(x) >= 2 && strlen(x) <= 3);
		assert_true(kpage_flag_letter(a) > ' ');
		for (b = a + 1; b < 64; b++) {
			if (!kpage_flag_name(b))
				continue;
			assert_string_not_equal(x, kpage_flag_abbrev(b));
			assert_int_not_equal(kpage_flag_letter(a),
					     kpage_flag_letter(b));
		}
	}
	assert_string_equal(kpage_flag_abbrev(KPF_LRU), "LRU");
	/* page-types' letters, so people who know that tool read ours */
	assert_int_equal(kpage_flag_letter(KPF_LRU), 'l');
	assert_int_equal(kpage_flag_letter(KPF_ANON), 'a');
	assert_int_equal(kpage_flag_letter(KPF_ACTIVE), 'A');
}

static void test_format_known_and_unknown(void **st)
{
	char buf[512];
	size_t n;

	n = kpage_flags_format(KB(KPF_LRU) | KB(KPF_ANON) | KB(48), ",", buf,
			       sizeof buf);
	assert_string_equal(buf, "LRU,ANON,BIT48");
	assert_int_equal(n, strlen(buf));

	kpage_flags_format(KB(27) | KB(63), " ", buf, sizeof buf);
	assert_string_equal(buf, "BIT27 BIT63");

	kpage_flags_format(KB(KPF_UPTODATE) | KB(KPF_MMAP) | KB(KPF_SWAPBACKED) |
			   KB(KPF_ARCH_2), "|", buf, sizeof buf);
	assert_string_equal(buf, "UPTODATE|MMAP|SWAPBACKED|ARCH_2");

	n = kpage_flags_format(0, ",", buf, sizeof buf);
	assert_int_equal(n, 0);
	assert_string_equal(buf, "");
}

static void test_format_truncates_like_snprintf(void **st)
{
	char big[2048], small[8];
	size_t full, n;

	full = kpage_flags_format(UINT64_MAX, ",", big, sizeof big);
	assert_int_equal(full, strlen(big));
	/* every bit 0..63 appears, named or numbered */
	assert_non_null(strstr(big, "LOCKED,ERROR,"));
	assert_non_null(strstr(big, "PGTABLE,BIT27,BIT28,BIT29,BIT30,BIT31,RESERVED"));
	assert_non_null(strstr(big, "ARCH_3,BIT43"));
	assert_non_null(strstr(big, "BIT62,BIT63"));

	memset(small, 'x', sizeof small);
	n = kpage_flags_format(UINT64_MAX, ",", small, sizeof small);
	assert_int_equal(n, full);
	assert_string_equal(small, "LOCKED,");
	n = kpage_flags_format(UINT64_MAX, ",", NULL, 0);
	assert_int_equal(n, full);
}

static void test_short_form(void **st)
{
	char buf[80];
	size_t n;

	n = kpage_flags_short(KB(KPF_REFERENCED) | KB(KPF_UPTODATE) |
			      KB(KPF_LRU) | KB(KPF_ACTIVE) | KB(KPF_MMAP) |
			      KB(KPF_ANON) | KB(KPF_SWAPBACKED), buf, sizeof buf);
	assert_string_equal(buf, "RUlAMab");
	assert_int_equal(n, 7);
	kpage_flags_short(KB(KPF_ZERO_PAGE) | KB(27) | KB(48) | KB(63), buf,
			  sizeof buf);
	assert_string_equal(buf, "z???");
	n = kpage_flags_short(UINT64_MAX, buf, 4);
	assert_int_equal(n, 64);
	assert_int_equal(strlen(buf), 3);
}

/* ---- kpage_read against a sparse fixture ---- */

struct fixture {
	char dir[64];
	struct vms_root root;
	struct kpage kp;
};

static uint64_t val_flags(uint64_t pfn) { return pfn * 0x10001 + 1; }
static uint64_t val_count(uint64_t pfn) { return pfn + 7; }
static uint64_t val_cg(uint64_t pfn) { return (pfn ^ 0xabcdef) + 1; }

static void write_at(const char *path, uint64_t pfn, uint64_t v)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0600);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, &v, 8, (off_t)(pfn * 8)), 8);
	close(fd);
}

static void write_dense(const char *path, uint64_t n,
			uint64_t (*fn)(uint64_t))
{
	uint64_t *b = malloc(n * 8), i;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_non_null(b);
	assert_true(fd >= 0);
	for (i = 0; i < n; i++)
		b[i] = fn(i);
	assert_int_equal(write(fd, b, n * 8), (ssize_t)(n * 8));
	close(fd);
	free(b);
}

static void mkroot(struct fixture *f)
{
	char p[128];
	FILE *c;

	snprintf(f->dir, sizeof f->dir, "/tmp/vmscope-kpage.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(p, sizeof p, "%s/proc", f->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/%s", f->dir, ROOT_CONF_NAME);
	c = fopen(p, "w");
	assert_non_null(c);
	fprintf(c, "format=1\npage_size=4096\narch=armv7l\npfn_visible=1\n");
	fclose(c);
}

static void rmroot(struct fixture *f)
{
	static const char *const names[] = { "proc/kpageflags",
		"proc/kpagecount", "proc/kpagecgroup", "proc",
		ROOT_CONF_NAME };
	char p[128];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", f->dir, names[i]);
		if (remove(p) < 0 && errno != ENOENT)
			fail_msg("cannot remove %s", p);
	}
	rmdir(f->dir);
}

/* Sparse files: a few entries scattered up to PFN 2^32+3 (offset 32 GiB:
 * past 2 GiB, as on a 32-bit board with memory above 4 GiB). */
static const uint64_t sparse_pfns[] = {
	0, 5, 6, 7, 8, 1000, 65535, 65536, 65537, 0x100000,
	(UINT64_C(1) << 32) + 3,
};

static int setup_sparse(void **st)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct vms_err e;
	char p[3][128];
	size_t i;

	mkroot(f);
	snprintf(p[0], sizeof p[0], "%s/proc/kpageflags", f->dir);
	snprintf(p[1], sizeof p[1], "%s/proc/kpagecount", f->dir);
	snprintf(p[2], sizeof p[2], "%s/proc/kpagecgroup", f->dir);
	for (i = 0; i < sizeof sparse_pfns / sizeof sparse_pfns[0]; i++) {
		write_at(p[0], sparse_pfns[i], val_flags(sparse_pfns[i]));
		write_at(p[1], sparse_pfns[i], val_count(sparse_pfns[i]));
		write_at(p[2], sparse_pfns[i], val_cg(sparse_pfns[i]));
	}
	if (root_open(&f->root, f->dir, &e) < 0)
		fail_msg("root_open: %s", e.msg);
	kpage_open(&f->root, &f->kp);
	*st = f;
	return 0;
}

static int teardown(void **st)
{
	struct fixture *f = *st;

	kpage_close(&f->kp);
	root_close(&f->root);
	rmroot(f);
	free(f);
	return 0;
}

static bool in_sparse(uint64_t pfn)
{
	size_t i;

	for (i = 0; i < sizeof sparse_pfns / sizeof sparse_pfns[0]; i++)
		if (sparse_pfns[i] == pfn)
			return true;
	return false;
}

static void test_read_unsorted_dups_skips(void **st)
{
	struct fixture *f = *st;
	const uint64_t big = (UINT64_C(1) << 32) + 3;
	/* unsorted, duplicates, a run crossing the 64K boundary, holes in
	 * the sparse file (read as 0), PFNs far past the end */
	const uint64_t in[] = {
		1000, 7, big, 5, 65537, 6, 7, 65535, 65536, 0x100000, 5, 999,
		big + 1, UINT64_C(1) << 40, 8, 1000, 0, UINT64_MAX, 65536, 2,
	};
	enum { N = sizeof in / sizeof in[0] };
	bool skip[N] = { false };
	uint64_t fl[N], co[N], cg[N];
	struct vms_err e;
	size_t i;

	skip[3] = true;  /* 5: skipped here, read at index 10 */
	skip[19] = true;
	memset(fl, 0xee, sizeof fl);
	memset(co, 0xee, sizeof co);
	memset(cg, 0xee, sizeof cg);
	assert_int_equal(kpage_read(&f->kp, in, skip, N, fl, co, cg, &e), 0);
	for (i = 0; i < N; i++) {
		bool have = !skip[i] && in_sparse(in[i]);

		assert_int_equal(fl[i], have ? val_flags(in[i]) : 0);
		assert_int_equal(co[i], have ? val_count(in[i]) : 0);
		assert_int_equal(cg[i], have ? val_cg(in[i]) : 0);
	}
	assert_int_equal(fl[0], val_flags(1000));
	assert_int_equal(fl[2], val_flags(big));
	assert_int_equal(fl[3], 0);          /* skipped */
	assert_int_equal(fl[10], val_flags(5));
	assert_int_equal(fl[11], 0);         /* 999: a hole in the file */
	assert_int_equal(fl[13], 0);         /* 2^40: past the end */
	assert_int_equal(fl[17], 0);         /* UINT64_MAX: no such page */
}

static void test_read_subset_and_strided(void **st)
{
	struct fixture *f = *st;
	const uint64_t in[] = { 65536, 6, 6, 1000 };
	struct rec { uint64_t a, flags, b, count, cg; } r[4];
	uint64_t co[4];
	struct vms_err e;
	size_t i;

	/* only counts */
	memset(co, 0xee, sizeof co);
	assert_int_equal(kpage_read(&f->kp, in, NULL, 4, NULL, co, NULL, &e), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(co[i], val_count(in[i]));

	/* into an array of structs, neighbours untouched */
	memset(r, 0x5a, sizeof r);
	assert_int_equal(kpage_read_strided(&f->kp, in, NULL, 4, &r[0].flags,
					    &r[0].count, &r[0].cg, sizeof r[0],
					    &e), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(r[i].flags, val_flags(in[i]));
		assert_int_equal(r[i].count, val_count(in[i]));
		assert_int_equal(r[i].cg, val_cg(in[i]));
		assert_int_equal(r[i].a, UINT64_C(0x5a5a5a5a5a5a5a5a));
		assert_int_equal(r[i].b, UINT64_C(0x5a5a5a5a5a5a5a5a));
	}
	assert_int_equal(kpage_check(&f->kp, 7, &e), 0);
}

/* Dense files of 200,000 PFNs, 150,000 random lookups (some past the
 * end): the sort, the runs and the 64K-PFN read blocks at scale. */
static int setup_dense(void **st)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct vms_err e;
	char p[128];

	mkroot(f);
	snprintf(p, sizeof p, "%s/proc/kpageflags", f->dir);
	write_dense(p, 200000, val_flags);
	snprintf(p, sizeof p, "%s/proc/kpagecount", f->dir);
	write_dense(p, 200000, val_count);
	/* no kpagecgroup: a kernel without CONFIG_MEMCG */
	if (root_open(&f->root, f->dir, &e) < 0)
		fail_msg("root_open: %s", e.msg);
	kpage_open(&f->root, &f->kp);
	*st = f;
	return 0;
}

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_read_dense_random(void **st)
{
	struct fixture *f = *st;
	enum { N = 150000 };
	uint64_t *in = malloc(N * 8), *fl = malloc(N * 8), *co = malloc(N * 8);
	uint64_t *cg = malloc(N * 8), seed = 0x1234567;
	bool *skip = malloc(N);
	struct vms_err e;
	size_t i;
	int round;

	assert_true(in && fl && co && cg && skip);
	for (round = 0; round < 4; round++) {
		for (i = 0; i < N; i++) {
			uint64_t r = rng(&seed);

			/* 0 random; 1 ascending runs; 2 descending; 3 one
			 * run longer than a read block (64K PFNs) */
			if (round == 0)
				in[i] = r % 250000;
			else if (round == 1)
				in[i] = (i % 97 == 0) ? r % 250000 : in[i - 1] + 1;
			else if (round == 2)
				in[i] = 240000 - i;
			else
				in[i] = 10 + i;
			skip[i] = round < 3 && r % 11 == 0;
		}
		memset(cg, 0xee, N * 8);
		assert_int_equal(kpage_read(&f->kp, in, skip, N, fl, co, cg, &e), 0);
		for (i = 0; i < N; i++) {
			bool have = !skip[i] && in[i] < 200000;

			if (fl[i] != (have ? val_flags(in[i]) : 0) ||
			    co[i] != (have ? val_count(in[i]) : 0))
				fail_msg("round %d entry %zu pfn %llu: flags 0x%llx count %llu",
					 round, i, (unsigned long long)in[i],
					 (unsigned long long)fl[i],
					 (unsigned long long)co[i]);
			assert_int_equal(cg[i], 0); /* no file: zeros */
		}
	}
	assert_int_equal(kpage_check(&f->kp, 3, &e), 0);
	assert_int_equal(kpage_check(&f->kp, 4, &e), -1);
	assert_non_null(strstr(e.msg, "kpagecgroup"));
	free(in);
	free(fl);
	free(co);
	free(cg);
	free(skip);
}

/* ---- live: this process's own pages ---- */

static void test_live_anon_and_zero_page(void **st)
{
	struct vms_root r;
	struct pagemap pm;
	struct kpage kp;
	struct vms_err e;
	uint64_t raw[3], pfns[3], fl[3], co[3];
	size_t ps;
	volatile char *m;
	char c;

	assert_int_equal(root_open(&r, NULL, &e), 0);
	if (!r.pfn_visible) {
		root_close(&r);
		skip();
	}
	ps = r.page_size;
	m = mmap(NULL, 3 * ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	madvise((void *)m, 3 * ps, MADV_NOHUGEPAGE);
	m[0] = 1;           /* written: an anonymous page of our own */
	c = m[ps];          /* read only: maps the shared zero page */
	(void)c;
	m[2 * ps] = 2;

	assert_int_equal(pagemap_open(&r, getpid(), &pm, &e), 0);
	assert_int_equal(pagemap_read(&pm, (uintptr_t)m, 3, raw, &e), 0);
	pfns[0] = raw[0] & PM_PFN_MASK;
	pfns[1] = raw[1] & PM_PFN_MASK;
	pfns[2] = raw[2] & PM_PFN_MASK;
	assert_true(raw[0] & PM_PRESENT);
	assert_true(raw[1] & PM_PRESENT);
	assert_true(pfns[0] != 0 && pfns[1] != 0);

	kpage_open(&r, &kp);
	assert_int_equal(kpage_check(&kp, 7, &e), 0);
	assert_int_equal(kpage_read(&kp, pfns, NULL, 3, fl, co, NULL, &e), 0);
	assert_true(fl[0] & KB(KPF_ANON));
	assert_true(fl[0] & KB(KPF_MMAP));
	assert_false(fl[0] & KB(KPF_ZERO_PAGE));
	assert_int_equal(co[0], 1);           /* mapped once: by us */
	assert_true(fl[1] & KB(KPF_ZERO_PAGE));
	assert_false(fl[1] & KB(KPF_ANON));
	assert_true(fl[2] & KB(KPF_ANON));
	kpage_close(&kp);
	pagemap_close(&pm);
	munmap((void *)m, 3 * ps);
	root_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_match_kernel),
		cmocka_unit_test(test_abbrevs_short_and_unique),
		cmocka_unit_test(test_format_known_and_unknown),
		cmocka_unit_test(test_format_truncates_like_snprintf),
		cmocka_unit_test(test_short_form),
		cmocka_unit_test_setup_teardown(test_read_unsorted_dups_skips,
						setup_sparse, teardown),
		cmocka_unit_test_setup_teardown(test_read_subset_and_strided,
						setup_sparse, teardown),
		cmocka_unit_test_setup_teardown(test_read_dense_random,
						setup_dense, teardown),
		cmocka_unit_test(test_live_anon_and_zero_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
