/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the EFI memory map lines of the boot log
 * (src/core/bootlog_efi.c): the three forms x86 kernels print, their
 * types and the runtime attribute; and the kernel versions the notes on
 * a missing layout block give (src/core/bootlog_arch.c). */
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

/* 5.x/6.x: short names, the RUN column, an inclusive end "]" */
static void test_efi_inclusive_end(void **state)
{
	struct kranges k;

	(void)state;
	parse(&k, "[    0.000000] efi: mem00: [Conventional|   |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000000000-0x000000000009ffff] (0MB)\n"
		  "[    0.000000] efi: mem01: [Runtime Code|RUN|  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x00000000bde00000-0x00000000bdefffff] (1MB)\n");
	assert_int_equal(k.n, 2);
	assert_int_equal(k.r[0].start, 0);
	assert_int_equal(k.r[0].end, 0xa0000);
	assert_int_equal(k.r[0].kind, KR_RAM);
	assert_int_equal(k.r[1].end, 0xbdf00000);
	assert_int_equal(k.r[1].kind, KR_RESERVED);
	assert_non_null(strstr(k.r[1].name, "Runtime Services Code, runtime-mapped"));
	assert_string_equal(k.bootlog_arch, "x86");
	kranges_free(&k);
}

/* 3.x/4.x: long names, an exclusive end ")" */
static void test_efi_exclusive_end(void **state)
{
	struct kranges k;

	(void)state;
	parse(&k, "efi: mem03: [ACPI Memory NVS    |   |  |  |  |   |WB|WT|WC|UC] range=[0x000000000006c000-0x000000000006d000) (0MB)\n"
		  "efi: mem04: [Memory Mapped I/O  |RUN|  |  |  |   |  |  |  |UC] range=[0x00000000e0000000-0x00000000f0000000) (256MB)\n"
		  "efi: mem05: [Persistent Memory  |   |  |  |NV|   |WB|WT|WC|UC] range=[0x0000000100000000-0x0000000140000000) (1024MB)\n");
	assert_int_equal(k.n, 3);
	assert_int_equal(k.r[0].kind, KR_ACPI);
	assert_int_equal(k.r[0].end, 0x6d000);
	assert_int_equal(k.r[1].kind, KR_DEVICE);
	assert_int_equal(k.r[2].kind, KR_PMEM);
	kranges_free(&k);
}

/* the oldest numeric form; an unknown type; attributes without a column */
static void test_efi_numeric_and_unknown(void **state)
{
	struct kranges k;

	(void)state;
	parse(&k, "efi: mem21: type=6, attr=0x800000000000000f, range=[0x00000000ae0d3000-0x00000000ae374000) (2MB)\n"
		  "efi: mem22: [type=16|attr=0x8000000000000100] range=[0x0000000000200000-0x0000000000200fff] (0MB)\n"
		  "efi: mem23: type=12, attr=0x0, range=[0x00000000fed00000-0x00000000fed01000) (0MB)\n");
	assert_int_equal(k.n, 3);
	assert_int_equal(k.skipped, 0);
	assert_int_equal(k.r[0].kind, KR_RESERVED);
	assert_non_null(strstr(k.r[0].name, "Runtime Services Data, runtime-mapped"));
	assert_string_equal(k.r[1].name, "EFI memory of type 16, runtime-mapped");
	assert_int_equal(k.r[1].end, 0x201000);
	assert_int_equal(k.r[2].kind, KR_DEVICE);
	kranges_free(&k);
}

/* cut or garbled: recorded as skipped, never a range */
static void test_efi_garbled(void **state)
{
	struct kranges k;

	(void)state;
	parse(&k, "efi: mem00: [Conventional Memory|   |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000000000-0x00000\n"
		  "efi: mem01: [Frobnicated|   |WB] range=[0x0-0x1000) (0MB)\n"
		  "efi: mem02: type=7, attr=0xf, range=[0x0000000000002000-0x0000000000001000) (0MB)\n"
		  "efi: memmap: nothing to see\n");
	assert_int_equal(k.n, 0);
	assert_int_equal(k.skipped, 3);
	kranges_free(&k);
}

/* the versions each architecture stopped printing its layout block at,
 * by the commits that removed it (bootlog_arch.c) */
static void test_layout_absence_versions(void **state)
{
	char b[400];

	(void)state;
	kranges_layout_absence("aarch64", "4.15.18", b, sizeof b);
	assert_non_null(strstr(b, "this 4.15.18 kernel printed it"));
	kranges_layout_absence("aarch64", "4.16.0", b, sizeof b);
	assert_non_null(strstr(b, "before 4.16 only, commit 071929dbdd86"));
	kranges_layout_absence("i686", "5.6.19", b, sizeof b);
	assert_non_null(strstr(b, "this 5.6.19 kernel printed it"));
	kranges_layout_absence("i686", "5.7.0", b, sizeof b);
	assert_non_null(strstr(b, "commit 681ff0181bbf removed it, and this is 5.7.0"));
	kranges_layout_absence("ppc", "6.14.0", b, sizeof b);
	assert_non_null(strstr(b, "this 6.14.0 kernel printed it"));
	kranges_layout_absence("ppc", "6.15.2", b, sizeof b);
	assert_non_null(strstr(b, "before 6.15 only, commit 2bf3caa7cc3b"));
	kranges_layout_absence("", "", b, sizeof b);
	assert_non_null(strstr(b, "arm64 from 4.16"));
	assert_non_null(strstr(b, "32-bit PowerPC from 6.15"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_efi_inclusive_end),
		cmocka_unit_test(test_efi_exclusive_end),
		cmocka_unit_test(test_efi_numeric_and_unknown),
		cmocka_unit_test(test_efi_garbled),
		cmocka_unit_test(test_layout_absence_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
