/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for boot-log numbers at the edges (issue 14 point 7): a
 * number too large for 64 bits makes its line an error, listed as
 * skipped with "number too large", never read in part; a range whose
 * inclusive end is 0xffffffffffffffff runs to the top of the space and
 * keeps that last address (to_top), in every form that prints one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vmscope/kranges.h"

#define TOO_LARGE "number too large (more than 64 bits)"

/* Parse from an exact-size heap copy, so ASan catches a read past it. */
static void bootlog(struct kranges *k, const char *s)
{
	size_t len = strlen(s);
	char *copy = malloc(len);

	assert_non_null(copy);
	memcpy(copy, s, len);
	kranges_init(k);
	assert_true(kranges_parse_bootlog(k, copy, len) >= 0);
	free(copy);
	assert_int_equal(kranges_finalize(k, NULL), 0);
}

static const struct krange *named(const struct kranges *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (!strcmp(k->r[i].name, name))
			return &k->r[i];
	fail_msg("no range named '%s'", name);
	return NULL;
}

static void assert_skipped(const struct kranges *k, unsigned line,
			   const char *reason)
{
	size_t i;

	for (i = 0; i < k->nskip; i++)
		if (k->skip[i].line == line) {
			assert_string_equal(k->skip[i].reason, reason);
			return;
		}
	fail_msg("line %u is not listed as skipped", line);
}

/* "16384K/99999999999999999999K available" once gave "9K available". */
static void test_memory_total_too_large(void **state)
{
	struct kranges k;

	(void)state;
	bootlog(&k, "[    0.0] Memory: 16384K/99999999999999999999K available (1K kernel code)\n"
		    "[    0.0] Memory: 99999999999999999999K/16384K available\n");
	assert_false(k.mem.present);
	assert_int_equal(k.mem.available_kib, 0);
	assert_int_equal(k.skipped, 2);
	assert_skipped(&k, 1, TOO_LARGE);
	assert_skipped(&k, 2, TOO_LARGE);
	kranges_free(&k);
}

/* Every one-line form, each with a number one past 64 bits. */
static void test_forms_too_large(void **state)
{
	static const char *const lines[] = {
		"BIOS-e820: [mem 0x00000000000000000-0x10000000000000000] usable",
		"BIOS-e820: 0000000000000000 - 10000000000000000 (usable)",
		"efi: mem07: [Conventional|   |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0-0x10000000000000000] (0MB)",
		"OF: reserved mem: 0x0000000080000000..0x10000000000000000 (16 KiB) nomap non-reusable x",
		"NUMA: node 18446744073709551616: [mem 0x0-0xfff]",
		"pci_bus 0000:00: root bus resource [mem 0x100000000-0x10000000000000000 window]",
		"ACPI: Reserving FACP table memory at [mem 0xa0c97-0x1a0daa00000000000]",
		"Memory: 18446744073709551616K/16384K available",
		"cma: Reserved 99999999999999999999 MiB at 0x0000000080000000",
	};
	char log[2048];
	size_t i, off = 0;
	struct kranges k;

	(void)state;
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
		off += (size_t)snprintf(log + off, sizeof log - off,
					"[    0.000000] %s\n", lines[i]);
	bootlog(&k, log);
	assert_int_equal(k.n, 0);
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
		assert_skipped(&k, (unsigned)i + 1, TOO_LARGE);
	assert_int_equal(k.skipped, sizeof lines / sizeof lines[0]);
	kranges_free(&k);
}

/* A timestamp too large is no prefix; the largest numbers still read. */
static void test_largest_numbers_read(void **state)
{
	struct kranges k;
	const struct krange *r;

	(void)state;
	bootlog(&k, "[    0.0] Memory: 18446744073709551615K/18446744073709551615K available\n"
		    "[    0.0] BIOS-e820: [mem 0x0000000000000000-0xfffffffffffffffe] usable\n");
	assert_true(k.mem.present);
	assert_true(k.mem.available_kib == UINT64_MAX);
	assert_int_equal(k.skipped, 0);
	r = named(&k, "e820 usable");
	assert_false(r->to_top);
	assert_true(krange_last(r) == UINT64_MAX - 1);
	kranges_free(&k);
}

/* Inclusive ends at 2^64-1: the top of the space, LAST as printed. */
static void test_to_top(void **state)
{
	struct kranges k;
	const struct krange *r;

	(void)state;
	bootlog(&k, "[    0.000000] BIOS-e820: [mem 0xffffffffffffffff-0xffffffffffffffff] reserved\n"
		    "[    0.000000] pci_bus 0000:00: root bus resource [mem 0x100000000-0xffffffffffffffff window]\n"
		    "[    0.000000] efi: mem01: [Reserved   |   |  |  |  |  |  |  |   |  |  |  |  ] range=[0xfffffffffff00000-0xffffffffffffffff] (1MB)\n"
		    "[    0.000000] Virtual kernel memory layout:\n"
		    "[    0.000000]       kernel : 0xffffffff80000000 - 0xffffffffffffffff   (2047 MB)\n");
	assert_int_equal(k.skipped, 0);
	r = named(&k, "e820 reserved");
	assert_true(r->to_top);
	assert_true(r->start == UINT64_MAX && krange_last(r) == UINT64_MAX);
	assert_true(krange_size(r) == 1);
	r = named(&k, "PCI bus 0000:00 window");
	assert_true(r->to_top);
	assert_true(krange_last(r) == UINT64_MAX);
	assert_true(krange_size(r) == UINT64_MAX - 0xffffffff);
	r = named(&k, "kernel");
	assert_true(r->to_top);
	assert_true(krange_last(r) == UINT64_MAX);
	assert_true(krange_size(r) == 0x80000000);
	/* the address at the very top is in them */
	assert_non_null(kranges_lookup(&k, KSPACE_PHYS, UINT64_MAX));
	kranges_free(&k);
}

/* One byte short of the top is not the top. */
static void test_not_top(void **state)
{
	struct kranges k;
	const struct krange *r;

	(void)state;
	bootlog(&k, "[    0.000000] pci_bus 0000:00: root bus resource [mem 0x100000000-0xfffffffffffffffe window]\n");
	r = named(&k, "PCI bus 0000:00 window");
	assert_false(r->to_top);
	assert_true(r->end == UINT64_MAX);
	assert_true(krange_last(r) == UINT64_MAX - 1);
	assert_null(kranges_lookup(&k, KSPACE_PHYS, UINT64_MAX));
	kranges_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_total_too_large),
		cmocka_unit_test(test_forms_too_large),
		cmocka_unit_test(test_largest_numbers_read),
		cmocka_unit_test(test_to_top),
		cmocka_unit_test(test_not_top),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
