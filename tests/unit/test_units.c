/* SPDX-License-Identifier: GPL-3.0-or-later */
/* units_size: the one size format of screens, text output and messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "vmscope/units.h"

static void check(uint64_t bytes, const char *want)
{
	char buf[16];

	units_size(buf, sizeof buf, bytes);
	if (strcmp(buf, want) != 0)
		fail_msg("units_size(%llu) = \"%s\", want \"%s\"",
			 (unsigned long long)bytes, buf, want);
}

static void test_small(void **state)
{
	(void)state;
	check(0, "0B");
	check(1, "1B");
	check(1023, "1023B");
}

static void test_one_decimal_below_ten(void **state)
{
	(void)state;
	check(4096, "4.0K");
	check(1536, "1.5K");
	check(10239, "10K");          /* 9.999K rounds up to 10K */
	check(3ull << 20, "3.0M");
	check((3ull << 20) + (1ull << 19), "3.5M");
}

static void test_whole_at_ten_and_above(void **state)
{
	(void)state;
	check(12ull << 30, "12G");
	check(1023ull << 10, "1023K");
	check((1024ull << 10) - 1, "1.0M"); /* 1023.999K is 1.0M, not 1024K */
	check(21ull << 30, "21G");
}

static void test_exabytes_exact(void **state)
{
	(void)state;
	check(UINT64_MAX, "16E");
	check(1ull << 62, "4.0E");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_one_decimal_below_ten),
		cmocka_unit_test(test_whole_at_ten_and_above),
		cmocka_unit_test(test_exabytes_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
