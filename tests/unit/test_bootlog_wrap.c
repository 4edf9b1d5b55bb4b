/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the boot log's wrapped lines (src/core/bootlog_wrap.c)
 * and the kernel banner behind serial-console garbage (bootlog.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vmscope/kranges.h"

static void parse(struct kranges *k, const char *s)
{
	kranges_init(k);
	assert_true(kranges_parse_bootlog(k, s, strlen(s)) >= 0);
}

static bool has_note(const struct kranges *k, const char *part)
{
	size_t i;

	for (i = 0; i < k->nnotes; i++)
		if (strstr(k->notes[i], part))
			return true;
	return false;
}

/* a terminal wrapped an e820 line inside its end address: joined */
static void test_wrap_terminal_joined(void **state)
{
	struct kranges k;

	(void)state;
	parse(&k, "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x00000000\n"
		  "0009fbff] usable\n"
		  "[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007ffdffff] usable\n");
	assert_int_equal(k.n, 2);
	assert_int_equal(k.r[0].start, 0);
	assert_int_equal(k.r[0].end, 0x9fc00);
	assert_int_equal(k.skipped, 0);
	assert_true(has_note(&k, "1 line of the boot log wrapped"));
	kranges_free(&k);
}

/* a mail client's hard wrap ate the space before the pool's size */
static void test_wrap_mail_joined(void **state)
{
	struct kranges k;

	(void)state;
	parse(&k, "[    0.000000] Reserved memory: created CMA memory pool at 0x0000000038000000,\n"
		  "size 128 MiB\n");
	assert_int_equal(k.n, 1);
	assert_int_equal(k.r[0].start, 0x38000000);
	assert_int_equal(k.r[0].end, 0x40000000);
	kranges_free(&k);
}

/* a cut line whose rest does not make it readable: read alone, named */
static void test_wrap_unjoinable_named(void **state)
{
	struct kranges k;

	(void)state;
	parse(&k, "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x00000000\n"
		  "and then something else\n");
	assert_int_equal(k.n, 0);
	assert_int_equal(k.skipped, 1);
	assert_true(has_note(&k, "wrapped (a cut line followed by one without a log prefix"));
	kranges_free(&k);
}

/* a line with its own log prefix is never taken for a line's rest */
static void test_wrap_prefixed_not_joined(void **state)
{
	struct kranges k;

	(void)state;
	parse(&k, "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x00000000\n"
		  "[    0.000000] 0009fbff] usable\n");
	assert_int_equal(k.n, 0);
	assert_false(has_note(&k, "wrapped"));
	kranges_free(&k);
}

/* "Linux version" behind U-Boot's last words and line noise */
static void test_banner_behind_garbage(void **state)
{
	static const char log[] = "\x00\xff" "U-Boot 2017.09 Starting kernel ..."
		"Linux version 4.14.0-xilinx (builder@host) (gcc version 7.2.0) #1 SMP\n"
		"Kernel command line: console=ttyPS0,115200\n";
	struct kranges k;

	(void)state;
	kranges_init(&k);
	assert_true(kranges_parse_bootlog(&k, log, sizeof log - 1) >= 0);
	assert_string_equal(k.bootlog_kernel, "4.14.0-xilinx");
	kranges_free(&k);
	/* but not a mention of the words in another message */
	parse(&k, "usb 1-1: Linux version 3 of the protocol is not supported\n");
	assert_string_equal(k.bootlog_kernel, "");
	kranges_free(&k);
}

/* the notes name each architecture's kernels truly */
static void test_layout_absence(void **state)
{
	char b[400];

	(void)state;
	kranges_layout_absence("armv7l", "5.10.11-v7l+", b, sizeof b);
	assert_non_null(strstr(b, "before 5.1 only"));
	kranges_layout_absence("arm", "3.4.39", b, sizeof b);
	assert_non_null(strstr(b, "this 3.4.39 kernel printed it"));
	kranges_layout_absence("mips", "3.2.0", b, sizeof b);
	assert_non_null(strstr(b, "MIPS kernels never print one"));
	assert_null(strstr(b, "arm64"));
	kranges_layout_absence("ppc64", "", b, sizeof b);
	assert_non_null(strstr(b, "only 32-bit ones did (before 6.15)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap_terminal_joined),
		cmocka_unit_test(test_wrap_mail_joined),
		cmocka_unit_test(test_wrap_unjoinable_named),
		cmocka_unit_test(test_wrap_prefixed_not_joined),
		cmocka_unit_test(test_banner_behind_garbage),
		cmocka_unit_test(test_layout_absence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
