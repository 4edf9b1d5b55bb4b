/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_value8: the word-at-a-time read of a smaps value in the kernel's
 * "%8lu" padding agrees with a byte-at-a-time reading on every value
 * form (1 to 8 digits, each digit at each place), and refuses what the
 * kernel never writes: a blank after a digit, no digit, a sign, a byte
 * just outside '0'..'9' or ' ', a high byte. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "vmscope/vmas.h"
#include "../../src/core/vmas_int.h"

/* The reference: blanks, then 1 to 8 digits, nothing else. */
static int slow_value8(const char *p, uint64_t *val)
{
	int i = 0;
	uint64_t v = 0;

	while (i < 8 && p[i] == ' ')
		i++;
	if (i == 8)
		return 0;
	for (; i < 8; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*val = v;
	return 1;
}

static void check(const char *p)
{
	uint64_t a = 12345, b = 12345;
	int ra = vmas_value8(p, &a), rb = slow_value8(p, &b);

	if (ra != rb || (ra && a != b))
		fail_msg("'%.8s': fast %d %llu, reference %d %llu", p, ra,
			 (unsigned long long)a, rb, (unsigned long long)b);
}

static void test_kernel_forms(void **state)
{
	char buf[16];
	uint64_t v;
	const uint64_t vals[] = { 0, 1, 4, 9, 10, 99, 100, 4096, 65536,
				  1048576, 9999999, 10000000, 12345678,
				  87654321, 99999999 };

	(void)state;
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		snprintf(buf, sizeof buf, "%8llu", (unsigned long long)vals[i]);
		assert_int_equal(vmas_value8(buf, &v), 1);
		assert_int_equal(v, vals[i]);
	}
	/* every digit at every place, with every width of blanks */
	for (int w = 1; w <= 8; w++)
		for (int pos = 0; pos < w; pos++)
			for (char d = '0'; d <= '9'; d++) {
				memset(buf, ' ', 8);
				memset(buf + 8 - w, '1', (size_t)w);
				buf[8 - w + pos] = d;
				check(buf);
			}
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"        ", "   1 2  ", "1       ", "  -1234 ", "   +123 ",
		"   12:3 ", "   12/3 ", "\t     12", "   1\20023",
		"00 00000", "1234567a", "   12\n34",
	};
	char buf[9];
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memcpy(buf, bad[i], 8);
		assert_int_equal(vmas_value8(buf, &v), 0);
		check(buf);
	}
	/* each single byte at each place */
	for (int pos = 0; pos < 8; pos++)
		for (int c = 0; c < 256; c++) {
			memcpy(buf, "  123456", 8);
			buf[pos] = (char)c;
			check(buf);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_forms),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
