/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What `vmscope pages` builds its batches from: PAGEMAP_SCAN's regions of
 * non-empty entries (pagemap_scan_used) against plain pagemap reads,
 * pages_read_kpage after pages_read without kpage data against
 * pages_read with it, escape_json_mem against escape_json, and the
 * hand-written number formatting of outbuf against printf. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "vmscope/escape.h"
#include "vmscope/pages.h"
#include "../../src/cli/outbuf.c"

#define NP 300

struct used { uint64_t s[NP], t[NP]; size_t n; };

static void put_used(void *arg, uint64_t s, uint64_t t, uint64_t cat)
{
	struct used *u = arg;

	(void)cat;
	assert_true(u->n < NP);
	assert_true(!u->n || s >= u->t[u->n - 1]);   /* in order */
	u->s[u->n] = s;
	u->t[u->n++] = t;
}

/* Every page inside a reported region has an entry; every other page of
 * the VMA reads empty. */
static void test_live_scan_used(void **st)
{
	struct vms_root r;
	struct pagemap pm;
	struct vms_err e;
	struct used u = { .n = 0 };
	uint64_t raw[NP];
	size_t ps, i, k;
	char *m;

	(void)st;
	assert_int_equal(root_open(&r, NULL, &e), 0);
	ps = r.page_size;
	assert_int_equal(pagemap_open(&r, getpid(), &pm, &e), 0);
	m = mmap(NULL, NP * ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	madvise(m, NP * ps, MADV_NOHUGEPAGE);
	for (i = 10; i < 60; i++)
		m[i * ps] = 1;          /* a run */
	for (i = 100; i < NP; i += 7)
		m[i * ps] = 1;          /* scattered pages */
	if (pagemap_scan_used(&pm, (uintptr_t)m, (uintptr_t)m + NP * ps,
			      put_used, &u, &e) < 0) {
		assert_int_equal(e.code, ENOTSUP);
		goto out;
	}
	assert_int_equal(pagemap_read(&pm, (uintptr_t)m, NP, raw, &e), 0);
	for (i = 0, k = 0; i < NP; i++) {
		uint64_t a = (uintptr_t)m + i * ps;
		bool inside;

		while (k < u.n && u.t[k] <= a)
			k++;
		inside = k < u.n && u.s[k] <= a;
		if (inside)
			assert_true(raw[i] & (PM_PRESENT | PM_SWAPPED));
		else
			assert_true((raw[i] & ~PM_SOFT_DIRTY) == 0);
	}
	assert_true(u.n >= 2);
	assert_int_equal(u.s[0], (uintptr_t)m + 10 * ps);
	assert_int_equal(u.t[0], (uintptr_t)m + 60 * ps);
out:
	munmap(m, NP * ps);
	pagemap_close(&pm);
	root_close(&r);
}

/* pages_read then pages_read_kpage: the same pages as pages_read with
 * every kpage file at once. */
static void test_live_read_kpage(void **st)
{
	struct vms_root r;
	struct pages_ctx c;
	struct vma_list l;
	struct vms_err e;
	struct page_info a[8], b[8];
	size_t ps, i;
	char *m;

	(void)st;
	assert_int_equal(root_open(&r, NULL, &e), 0);
	ps = r.page_size;
	assert_int_equal(pages_open(&c, &r, getpid(), &e), 0);
	m = mmap(NULL, 8 * ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	madvise(m, 8 * ps, MADV_NOHUGEPAGE);
	for (i = 0; i < 8; i += 2)
		m[i * ps] = 1;
	memset(&l, 0, sizeof l);
	assert_int_equal(vmas_read(&r, getpid(), true, &l, &e), 0);
	assert_int_equal(pages_read(&c, &l, (uintptr_t)m, 8, PAGES_ALL, a, &e), 0);
	assert_int_equal(pages_read(&c, &l, (uintptr_t)m, 8, 0, b, &e), 0);
	for (i = 0; i < 8; i++)
		assert_false(b[i].have_kpage);
	assert_int_equal(pages_read_kpage(&c, b, 8, PAGES_ALL, &e), 0);
	for (i = 0; i < 8; i++) {
		assert_int_equal(a[i].vaddr, b[i].vaddr);
		assert_int_equal(a[i].pm, b[i].pm);
		assert_int_equal(a[i].state, b[i].state);
		assert_int_equal(a[i].have_kpage, b[i].have_kpage);
		assert_int_equal(a[i].cg_ino, b[i].cg_ino);
		assert_int_equal(a[i].have_kpage, r.pfn_visible &&
				 kpage_has(&c.kp, PAGES_ALL) && i % 2 == 0);
	}
	/* a second call leaves pages that have their data as they are */
	b[0].kcount = 12345;
	assert_int_equal(pages_read_kpage(&c, b, 8, PAGES_ALL, &e), 0);
	if (b[0].have_kpage)
		assert_int_equal(b[0].kcount, 12345);
	vmas_free(&l);
	munmap(m, 8 * ps);
	pages_close(&c);
	root_close(&r);
}

static void test_json_mem(void **st)
{
	static const char *const s[] = {
		"", "/usr/bin/cat", "a\"b\\c", "l1\nl2\tx\r", "\x1b[0m\x01\x7f",
		"caf\xc3\xa9 \xf0\x9f\x98\x80", "a\xff\x62\xc3", "\xed\xa0\x80",
		"\xc2\x85", "x\xc2\x9by", "/process_api/c31351cc8792f1c4",
	};
	size_t i;

	(void)st;
	for (i = 0; i < sizeof s / sizeof s[0]; i++) {
		size_t len = strlen(s[i]), n = 0;
		char *want = NULL, *got = malloc(ESCAPE_JSON_MAX(len) + 1);
		FILE *f = open_memstream(&want, &n);

		assert_non_null(f);
		assert_non_null(got);
		escape_json(f, s[i]);
		fclose(f);
		*escape_json_mem(got, s[i], len) = '\0';
		assert_string_equal(got, want);
		free(got);
		free(want);
	}
}

static void test_fmt(void **st)
{
	static const uint64_t v[] = {
		0, 1, 9, 10, 15, 16, 255, 4096, 0x7fc5cd400000, UINT64_MAX,
		12345678901234567890u,
	};
	char got[64], want[64];
	size_t i;
	int w;

	(void)st;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		for (w = 0; w <= 18; w += 6) {
			*outbuf_fmt_hex(got, v[i], w) = '\0';
			snprintf(want, sizeof want, "%0*" PRIx64, w, v[i]);
			assert_string_equal(got, want);
		}
		*outbuf_fmt_dec(got, v[i]) = '\0';
		snprintf(want, sizeof want, "%" PRIu64, v[i]);
		assert_string_equal(got, want);
	}
	*outbuf_fmt_left(got, "anon", 4, 11) = '\0';
	assert_string_equal(got, "anon       ");
	*outbuf_fmt_left(got, "not-present", 11, 5) = '\0';
	assert_string_equal(got, "not-present");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_scan_used),
		cmocka_unit_test(test_live_read_kpage),
		cmocka_unit_test(test_json_mem),
		cmocka_unit_test(test_fmt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
