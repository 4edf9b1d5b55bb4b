/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_array: a list read once (v_huge) that grows past 2 MiB of VMAs
 * (heap, then its own mapping, then moved by mremap) keeps every VMA as
 * it was written, as does a kept list (heap only, never mapped); the
 * holes list of a large list is whole too; all free cleanly (the
 * sanitizer and valgrind runs see any leak or bad free). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/vmas.h"
#include "../../src/core/vmas_int.h"

/* 60,000 VMAs: 5.8 MB of struct vma, past the heap's 2 MiB and two
 * doublings of the mapping.  Every third one has a hole after it. */
#define N 60000

static char *make_maps(size_t *len)
{
	size_t cap = (size_t)N * 80, n = 0;
	char *t = malloc(cap);
	uint64_t a = 0x10000;

	assert_non_null(t);
	for (int i = 0; i < N; i++) {
		n += (size_t)snprintf(t + n, cap - n,
				      "%012llx-%012llx %s %08x 00:00 0 %s\n",
				      (unsigned long long)a,
				      (unsigned long long)(a + 0x1000),
				      i % 2 ? "rw-p" : "r--p", i,
				      i % 5 ? "" : "/lib/x.so");
		a += i % 3 == 2 ? 0x3000 : 0x1000;
	}
	*len = n;
	return t;
}

static void test_large_list(void **state)
{
	size_t len, holes = 0;
	char *t = make_maps(&len);
	struct vma_list l, h;
	struct vms_err e;
	uint64_t a = 0x10000;

	(void)state;
	assert_int_equal(vmas_parse(t, len, &l, &e), 0);
	assert_int_equal(l.n, N);
	assert_int_equal(l.v_map_len, 0);   /* a kept list: the heap */
	for (int i = 0; i < N; i++) {
		assert_int_equal(l.v[i].start, a);
		assert_int_equal(l.v[i].end, a + 0x1000);
		assert_int_equal(l.v[i].offset, (uint64_t)i);
		assert_string_equal(l.v[i].perms, i % 2 ? "rw-p" : "r--p");
		assert_string_equal(l.v[i].name, i % 5 ? "" : "/lib/x.so");
		assert_int_equal(l.v[i].kind, i % 5 ? VMA_KIND_ANON :
				 VMA_KIND_FILE);
		a += i % 3 == 2 ? 0x3000 : 0x1000;
	}
	assert_int_equal(vmas_with_holes(&l, &h, &e), 0);
	for (size_t i = 0; i < h.n; i++)
		holes += h.v[i].kind == VMA_KIND_HOLE;
	assert_int_equal(holes, (N - 1) / 3);
	assert_int_equal(h.n, N + holes);
	assert_int_equal(h.v[h.n - 1].start, l.v[N - 1].start);
	vmas_free_holes(&h);
	vmas_free(&l);
	assert_null(l.v);
	free(t);
}

/* Grown one VMA at a time, as the parser grows it. */
static void grow_and_check(bool huge)
{
	struct vma_list l;

	memset(&l, 0, sizeof l);
	l.v_huge = huge;
	for (size_t i = 0; i < N; i++) {
		if (l.n == l.cap)
			assert_int_equal(vmas_array_grow(&l, l.cap ? l.cap * 2 : 64), 0);
		memset(&l.v[l.n], 0, sizeof l.v[l.n]);
		l.v[l.n].start = i << 12;
		l.v[l.n].inode = i * 7;
		l.n++;
	}
	if (huge)
		assert_true(l.v_map_len >= (size_t)N * sizeof(struct vma));
	else
		assert_int_equal(l.v_map_len, 0);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(l.v[i].start, i << 12);
		assert_int_equal(l.v[i].inode, i * 7);
	}
	vmas_array_free(&l);
	assert_null(l.v);
	assert_int_equal(l.cap, 0);
}

static void test_grow_huge(void **state)
{
	(void)state;
	grow_and_check(true);
}

static void test_grow_kept(void **state)
{
	(void)state;
	grow_and_check(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_huge),
		cmocka_unit_test(test_grow_kept),
		cmocka_unit_test(test_large_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
