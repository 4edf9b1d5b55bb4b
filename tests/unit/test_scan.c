/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the line cursor the core's parsers share
 * (src/core/scan.c): numbers with and without prefixes, overflow, where
 * the cursor is left, lines with \r\n and without a last newline, and
 * reads that stay within the text (each test text is an exact-size heap
 * copy, so ASan sees a read past its end). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/scan.h"

/* An exact-size copy of s (no NUL) as a cursor; free c->p's start. */
static struct scan text(const char *s)
{
	size_t n = strlen(s);
	char *copy = malloc(n ? n : 1);
	struct scan c;

	assert_non_null(copy);
	memcpy(copy, s, n);
	c.p = copy;
	c.e = copy + n;
	return c;
}

static void test_hex(void **state)
{
	struct scan s = text("0x1fZ ffffffffffffffff 10000000000000000");
	const char *start = s.p;
	uint64_t v;

	(void)state;
	assert_true(scan_hex(&s, &v));
	assert_int_equal(v, 0x1f);
	assert_int_equal(*s.p, 'Z');
	assert_false(scan_hex(&s, &v));        /* no digit: cursor stays */
	assert_int_equal(*s.p, 'Z');
	s.p += 2;
	assert_true(scan_hexdigits(&s, &v));
	assert_true(v == UINT64_MAX);
	scan_ws(&s);
	{
		const char *before = s.p;

		assert_false(scan_hex(&s, &v));    /* 17 digits overflow */
		assert_ptr_equal(s.p, before);      /* and scan_hex restores */
	}
	free((char *)start);
}

static void test_hex0x_needs_prefix(void **state)
{
	struct scan s = text("1f 0X2a 0x");
	const char *start = s.p;
	uint64_t v;

	(void)state;
	assert_false(scan_hex0x(&s, &v));
	assert_ptr_equal(s.p, start);
	s.p += 3;
	assert_true(scan_hex0x(&s, &v));
	assert_int_equal(v, 0x2a);
	scan_ws(&s);
	assert_false(scan_hex0x(&s, &v));        /* "0x" at the very end */
	assert_ptr_equal(s.p, s.e - 2);
	free((char *)start);
}

static void test_dec_and_literals(void **state)
{
	struct scan s = text("Zone ranges: 4096->x 99999999999999999999");
	const char *start = s.p;
	uint64_t v;

	(void)state;
	assert_false(scan_lit(&s, "zone"));
	assert_true(scan_lit_ci(&s, "zone RANGES:"));
	scan_ws(&s);
	assert_true(scan_dec(&s, &v));
	assert_int_equal(v, 4096);
	assert_true(scan_lit(&s, "->"));
	assert_false(scan_dec(&s, &v));
	assert_false(scan_lit(&s, "xx"));       /* no match: the cursor stays */
	s.p++;
	scan_ws(&s);
	assert_false(scan_dec(&s, &v));          /* overflow */
	assert_int_equal(scan_hexval('a'), 10);
	assert_int_equal(scan_hexval('F'), 15);
	assert_int_equal(scan_hexval('g'), -1);
	assert_int_equal(scan_hexval(0xe9), -1);
	free((char *)start);
}

static void test_find_trim_copy(void **state)
{
	struct scan s = text("  cma: Reserved 16 MiB  ");
	const char *start = s.p, *p = s.p, *e = s.e;
	char small[8], big[64];

	(void)state;
	assert_ptr_equal(scan_find(s.p, s.e, "Reserved"), s.p + 7);
	assert_null(scan_find(s.p, s.e, "MiB  x"));
	assert_null(scan_find(s.p, s.p + 3, "cma"));
	scan_trim(&p, &e);
	assert_ptr_equal(p, s.p + 2);
	assert_ptr_equal(e, s.e - 2);
	scan_copy_trim(big, sizeof big, s.p, s.e);
	assert_string_equal(big, "cma: Reserved 16 MiB");
	scan_copy_trim(small, sizeof small, s.p, s.e);
	assert_string_equal(small, "cma: Re");
	scan_copy_trim(big, sizeof big, s.p, s.p + 2);
	assert_string_equal(big, "");
	free((char *)start);
}

static void test_next_line(void **state)
{
	struct scan s = text("one\r\n\ntwo");
	const char *start = s.p, *pos = s.p, *lp, *le;
	bool term;

	(void)state;
	assert_true(scan_next_line(&pos, s.e, &lp, &le, &term));
	assert_int_equal(le - lp, 3);
	assert_true(term);
	assert_true(scan_next_line(&pos, s.e, &lp, &le, &term));
	assert_ptr_equal(lp, le);
	assert_true(term);
	assert_true(scan_next_line(&pos, s.e, &lp, &le, &term));
	assert_memory_equal(lp, "two", 3);
	assert_int_equal(le - lp, 3);
	assert_false(term);
	assert_false(scan_next_line(&pos, s.e, &lp, &le, &term));
	free((char *)start);
}

/* The largest numbers read, one more is an overflow: counted, and
 * nothing of it read (no "9" left over to be taken for a number). */
static void test_overflow_edges(void **state)
{
	struct scan s = text("18446744073709551615 18446744073709551616 "
			     "99999999999999999999K ffffffffffffffff "
			     "0x00000000000000000001 0x10000000000000000");
	const char *start = s.p, *at;
	unsigned before = scan_overflows();
	uint64_t v;

	(void)state;
	assert_true(scan_dec(&s, &v));
	assert_true(v == UINT64_MAX);
	assert_int_equal(scan_overflows(), before);
	scan_ws(&s);
	at = s.p;
	assert_false(scan_dec(&s, &v));
	assert_ptr_equal(s.p, at);
	assert_int_equal(scan_overflows(), before + 1);
	s.p += 21;
	at = s.p;
	assert_false(scan_dec(&s, &v));
	assert_ptr_equal(s.p, at);
	assert_int_equal(*s.p, '9');
	assert_int_equal(scan_overflows(), before + 2);
	s.p += 22;
	assert_true(scan_hexdigits(&s, &v));
	assert_true(v == UINT64_MAX);
	scan_ws(&s);
	assert_true(scan_hex0x(&s, &v));      /* leading zeros are no overflow */
	assert_true(v == 1);
	scan_ws(&s);
	at = s.p;
	assert_false(scan_hex0x(&s, &v));
	assert_ptr_equal(s.p, at);
	at = s.p + 2;
	s.p = at;
	assert_false(scan_hexdigits(&s, &v));
	assert_ptr_equal(s.p, at);
	assert_int_equal(scan_overflows(), before + 4);
	free((char *)start);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_hex0x_needs_prefix),
		cmocka_unit_test(test_dec_and_literals),
		cmocka_unit_test(test_find_trim_copy),
		cmocka_unit_test(test_next_line),
		cmocka_unit_test(test_overflow_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
