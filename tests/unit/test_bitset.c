/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bitset: a bit per row; each bit set and cleared alone, across the
 * word boundaries, as the VMA screen marks its changed rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "ui/bitset.h"

static void test_words(void **state)
{
	(void)state;
	assert_int_equal(bitset_words(0), 0);
	assert_int_equal(bitset_words(1), 1);
	assert_int_equal(bitset_words(64), 1);
	assert_int_equal(bitset_words(65), 2);
	assert_int_equal(bitset_words(200000), 3125);
}

/* Every bit of 200 set alone: that one reads back set, every other
 * clear; then cleared, all clear again. */
static void test_each_bit_alone(void **state)
{
	enum { N = 200 };
	uint64_t b[4];
	size_t i, k;

	(void)state;
	memset(b, 0xff, sizeof b);
	bitset_clear(b, N);
	for (i = 0; i < N; i++) {
		bitset_put(b, i, true);
		for (k = 0; k < N; k++)
			if (bitset_get(b, k) != (k == i))
				fail_msg("bit %zu set: bit %zu reads %d", i, k,
					 bitset_get(b, k));
		bitset_put(b, i, false);
		assert_false(bitset_get(b, i));
	}
}

/* A pattern over many words, as a refresh marks rows: each reads back;
 * putting a bit to what it is changes nothing. */
static void test_pattern(void **state)
{
	enum { N = 1000 };
	uint64_t b[16];
	size_t i;

	(void)state;
	bitset_clear(b, N);
	for (i = 0; i < N; i++)
		bitset_put(b, i, i % 7 == 3 || i % 64 == 63);
	for (i = 0; i < N; i++)
		bitset_put(b, i, bitset_get(b, i));
	for (i = 0; i < N; i++)
		if (bitset_get(b, i) != (i % 7 == 3 || i % 64 == 63))
			fail_msg("bit %zu reads %d", i, bitset_get(b, i));
	bitset_clear(b, N);
	for (i = 0; i < N; i++)
		assert_false(bitset_get(b, i));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_each_bit_alone),
		cmocka_unit_test(test_pattern),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
