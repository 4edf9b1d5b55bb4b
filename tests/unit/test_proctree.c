/* SPDX-License-Identifier: GPL-3.0-or-later */
/* proctree: tree order, depths and htop's lines from (pid, ppid) pairs;
 * orphans and a process that is its own parent become roots; a cycle
 * of parents is cut; a long chain does not recurse. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/proctree.h"

static void build(const int *id, const int *parent, size_t n,
		  struct proctree_row *out)
{
	assert_int_equal(proctree_build(id, parent, n, out), 0);
}

/*  1 init
 *  |- 10 sshd
 *  |  `- 11 bash
 *  |     `- 12 vmscope
 *  `- 20 cron
 *  2 kthreadd (its parent 0 is not listed)
 *  `- 3 kworker */
static void test_order_and_lines(void **st)
{
	/* input order: siblings stay in it */
	const int id[] = { 1, 2, 3, 10, 11, 12, 20 };
	const int parent[] = { 0, 0, 2, 1, 10, 11, 1 };
	const int want_id[] = { 1, 10, 11, 12, 20, 2, 3 };
	const unsigned want_depth[] = { 0, 1, 2, 3, 1, 0, 1 };
	const char *want_u8[] = { "", "\xe2\x94\x9c\xe2\x94\x80 ",
		"\xe2\x94\x82  \xe2\x94\x94\xe2\x94\x80 ",
		"\xe2\x94\x82     \xe2\x94\x94\xe2\x94\x80 ",
		"\xe2\x94\x94\xe2\x94\x80 ", "", "\xe2\x94\x94\xe2\x94\x80 " };
	const char *want_ascii[] = { "", "|- ", "|  `- ", "|     `- ", "`- ",
		"", "`- " };
	struct proctree_row r[7];
	char buf[64];
	size_t i;

	(void)st;
	build(id, parent, 7, r);
	for (i = 0; i < 7; i++) {
		assert_int_equal(id[r[i].item], want_id[i]);
		assert_int_equal(r[i].depth, want_depth[i]);
		proctree_prefix(&r[i], true, buf, sizeof buf);
		assert_string_equal(buf, want_u8[i]);
		proctree_prefix(&r[i], false, buf, sizeof buf);
		assert_string_equal(buf, want_ascii[i]);
	}
	/* cut to fit, terminated */
	proctree_prefix(&r[3], false, buf, 5);
	assert_string_equal(buf, "|  ");
}

static void test_siblings_keep_input_order(void **st)
{
	/* sorted by something else (RSS, say): children follow it */
	const int id[] = { 30, 5, 31, 1 };
	const int parent[] = { 1, 1, 1, 0 };
	struct proctree_row r[4];

	(void)st;
	build(id, parent, 4, r);
	assert_int_equal(id[r[0].item], 1);
	assert_int_equal(id[r[1].item], 30);
	assert_int_equal(id[r[2].item], 5);
	assert_int_equal(id[r[3].item], 31);
}

static void test_self_parent_and_cycle(void **st)
{
	/* 7 is its own parent; 8 -> 9 -> 8 is a cycle, 4 hangs off it */
	const int id[] = { 7, 8, 9, 4 };
	const int parent[] = { 7, 9, 8, 9 };
	struct proctree_row r[4];
	bool seen[4] = { false };
	size_t i, roots = 0;

	(void)st;
	build(id, parent, 4, r);
	for (i = 0; i < 4; i++) {
		assert_false(seen[r[i].item]);
		seen[r[i].item] = true;
		roots += r[i].depth == 0;
	}
	assert_int_equal(roots, 2);
	assert_int_equal(id[r[0].item], 7);
	assert_int_equal(r[0].depth, 0);
	/* the cycle is cut at its first item met (8): 9 and 4 below it */
	assert_int_equal(id[r[1].item], 8);
	assert_int_equal(id[r[2].item], 9);
	assert_int_equal(r[2].depth, 1);
	assert_int_equal(id[r[3].item], 4);
	assert_int_equal(r[3].depth, 2);
}

static void test_long_chain(void **st)
{
	size_t n = 200000, i;
	int *id = malloc(n * sizeof *id), *parent = malloc(n * sizeof *parent);
	struct proctree_row *r = malloc(n * sizeof *r);
	char buf[32];

	(void)st;
	assert_non_null(id);
	assert_non_null(parent);
	assert_non_null(r);
	/* listed deepest first: order must come from the links */
	for (i = 0; i < n; i++) {
		id[i] = (int)(n - i);
		parent[i] = (int)(n - i - 1);
	}
	build(id, parent, n, r);
	for (i = 0; i < n; i++) {
		assert_int_equal(id[r[i].item], (int)(i + 1));
		assert_int_equal(r[i].depth, i);
	}
	proctree_prefix(&r[n - 1], false, buf, sizeof buf);
	assert_true(strlen(buf) < sizeof buf);
	free(id);
	free(parent);
	free(r);
}

static void test_empty(void **st)
{
	struct proctree_row r[1];

	(void)st;
	assert_int_equal(proctree_build(NULL, NULL, 0, r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_lines),
		cmocka_unit_test(test_siblings_keep_input_order),
		cmocka_unit_test(test_self_parent_and_cycle),
		cmocka_unit_test(test_long_chain),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
