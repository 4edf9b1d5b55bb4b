/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kver and what depends on it: release strings as versions, pagemap
 * entries decoded by the layout of each kernel (entries built from that
 * version's Documentation/vm/pagemap.txt and fs/proc/task_mmu.c), and
 * kpageflags names by the version that defined them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "vmscope/kpage.h"
#include "vmscope/kver.h"
#include "vmscope/pagemap.h"
#include "vmscope/pages.h"

#define BIT(b) (UINT64_C(1) << (b))
/* PM_PSHIFT(PAGE_SHIFT) of kernels before 4.2: 12 << 55 */
#define PSHIFT12 (UINT64_C(12) << 55)

static void test_parse_releases(void **st)
{
	char buf[32];

	(void)st;
	assert_int_equal(kver_parse("3.4.113-sun7i+"), KVER(3, 4, 113));
	assert_int_equal(kver_parse("5.10.0-xilinx-v2021.2"), KVER(5, 10, 0));
	assert_int_equal(kver_parse("6.18.44"), KVER(6, 18, 44));
	assert_int_equal(kver_parse("2.6.32-5-686"), KVER(2, 6, 32));
	assert_int_equal(kver_parse("2.6.32.27"), KVER(2, 6, 32));
	assert_int_equal(kver_parse("4.19"), KVER(4, 19, 0));
	assert_int_equal(kver_parse("4.9.337"), KVER(4, 9, 337));
	assert_true(kver_parse("4.9.337") > kver_parse("4.9.255"));
	assert_true(kver_parse("3.4.113-sun7i+") < KVER(3, 5, 0));
	assert_true(kver_parse("3.10.108") < KVER(3, 11, 0));
	assert_true(kver_parse("4.1.52") < KVER(4, 2, 0));
	assert_true(kver_parse("10.0") > KVER(9, 255, 65535));
	/* not a version: unknown (read as today's) */
	assert_int_equal(kver_parse(NULL), KVER_UNKNOWN);
	assert_int_equal(kver_parse(""), KVER_UNKNOWN);
	assert_int_equal(kver_parse("garbage"), KVER_UNKNOWN);
	assert_int_equal(kver_parse("6"), KVER_UNKNOWN);
	assert_int_equal(kver_parse("6."), KVER_UNKNOWN);
	assert_int_equal(kver_parse("0.9"), KVER_UNKNOWN);
	assert_int_equal(kver_parse("999.1"), KVER_UNKNOWN);
	assert_int_equal(kver_parse("v5.10"), KVER_UNKNOWN);
	assert_string_equal(kver_format(KVER(3, 4, 113), buf, sizeof buf), "3.4");
	assert_string_equal(kver_format(KVER(2, 6, 32), buf, sizeof buf),
			    "2.6.32");
	assert_string_equal(kver_format(KVER_UNKNOWN, buf, sizeof buf),
			    "an unknown kernel");
}

static void decode_at(uint32_t kver, uint64_t raw, struct pagemap_entry *pe)
{
	struct pagemap_layout l = pagemap_layout_for(kver);

	pagemap_decode(raw, &l, pe);
}

/* 2.6.25-3.4: present, swapped, page shift; bit 61 reserved. */
static void test_layout_page_shift(void **st)
{
	struct pagemap_entry pe;
	struct pagemap_layout l = pagemap_layout_for(KVER(3, 4, 113));

	(void)st;
	/* a present anonymous 4K page: bits 57 and 58 are the shift */
	decode_at(KVER(3, 4, 113), PM_PRESENT | PSHIFT12 | 0x5f3a2, &pe);
	assert_true(pe.present);
	assert_int_equal(pe.pfn, 0x5f3a2);
	assert_int_equal(pe.page_shift, 12);
	assert_false(pe.soft_dirty || pe.exclusive || pe.uffd_wp || pe.guard ||
		     pe.file_shared);
	assert_false(pagemap_entry_has(&pe, 55));
	assert_false(pagemap_entry_has(&pe, 56));
	assert_false(pagemap_entry_has(&pe, 57));
	assert_false(pagemap_entry_has(&pe, 58));
	assert_false(pagemap_entry_has(&pe, 61)); /* reserved before 3.5 */
	assert_true(pagemap_entry_has(&pe, 62));
	assert_true(pagemap_entry_has(&pe, 63));
	/* swapped: type 0-4, offset 5-54 as today, plus the shift */
	decode_at(KVER(3, 4, 113), PM_SWAPPED | PSHIFT12 | (0x42 << 5) | 1, &pe);
	assert_true(pe.swapped);
	assert_false(pe.present || pe.guard);
	assert_int_equal(pe.swap_type, 1);
	assert_int_equal(pe.swap_offset, 0x42);
	assert_true(pages_pm_swapped(pagemap_clean(PM_SWAPPED | PSHIFT12, &l)));
	/* PM_NOT_PRESENT = PM_PSHIFT(PAGE_SHIFT): holes too */
	decode_at(KVER(3, 4, 113), PSHIFT12, &pe);
	assert_false(pe.present || pe.swapped || pe.uffd_wp || pe.guard);
	assert_int_equal(pe.page_shift, 12);
	assert_int_equal(pagemap_clean(PSHIFT12, &l), 0);
	/* 64K pages (arm64 3.10): shift 16 is bit 59 */
	decode_at(KVER(3, 10, 0), PM_PRESENT | (UINT64_C(16) << 55) | 7, &pe);
	assert_int_equal(pe.page_shift, 16);
	assert_int_equal(pe.pfn, 7);
	/* 2.6.32 reads the same */
	decode_at(KVER(2, 6, 32), PM_PRESENT | PSHIFT12 | 9, &pe);
	assert_int_equal(pe.page_shift, 12);
	assert_false(pe.guard);
}

/* 3.5: bit 61 file-page or shared-anon; 3.11-4.1: page shift until
 * soft-dirty bits were cleared once, then "v2": 55 soft-dirty, 56-60 0. */
static void test_layout_transition(void **st)
{
	struct pagemap_entry pe;

	(void)st;
	decode_at(KVER(3, 5, 0), PM_PRESENT | PM_FILE_SHARED | PSHIFT12 | 3, &pe);
	assert_true(pe.file_shared && pagemap_entry_has(&pe, 61));
	assert_int_equal(pe.page_shift, 12);
	/* 3.14 before any clear_refs 4: page shift, soft-dirty not in it */
	decode_at(KVER(3, 14, 0), PM_PRESENT | PSHIFT12 | 3, &pe);
	assert_int_equal(pe.page_shift, 12);
	assert_false(pe.soft_dirty || pagemap_entry_has(&pe, 55));
	assert_false(pe.uffd_wp || pe.guard);
	/* after it: a v2 entry, bit 55 is soft-dirty */
	decode_at(KVER(3, 14, 0), PM_PRESENT | PM_SOFT_DIRTY | 3, &pe);
	assert_int_equal(pe.page_shift, 0);
	assert_true(pe.soft_dirty && pagemap_entry_has(&pe, 55));
	assert_false(pagemap_entry_has(&pe, 56)); /* exclusive: 4.2 */
	decode_at(KVER(4, 1, 52), PM_SWAPPED | PM_SOFT_DIRTY | (5 << 5), &pe);
	assert_true(pe.swapped && pe.soft_dirty);
	assert_int_equal(pe.swap_offset, 5);
	decode_at(KVER(4, 1, 52), 0, &pe);
	assert_false(pe.present || pe.swapped || pe.soft_dirty);
}

/* 4.2 exclusive, 5.13 uffd-wp, 6.15 guard; unknown = today's. */
static void test_layout_flags(void **st)
{
	const uint64_t all = PM_PRESENT | PM_SOFT_DIRTY | PM_EXCLUSIVE |
			     PM_UFFD_WP | PM_GUARD | 1;
	struct pagemap_entry pe;

	(void)st;
	decode_at(KVER(4, 2, 0), all, &pe);
	assert_true(pe.soft_dirty && pe.exclusive);
	assert_false(pe.uffd_wp || pe.guard);
	assert_false(pagemap_entry_has(&pe, 57));
	assert_int_equal(pe.page_shift, 0);
	decode_at(KVER(5, 10, 0), all, &pe);
	assert_false(pe.uffd_wp || pagemap_entry_has(&pe, 57));
	decode_at(KVER(5, 13, 0), all, &pe);
	assert_true(pe.uffd_wp && pagemap_entry_has(&pe, 57));
	assert_false(pe.guard || pagemap_entry_has(&pe, 58));
	decode_at(KVER(6, 15, 0), all, &pe);
	assert_true(pe.guard && pagemap_entry_has(&pe, 58));
	decode_at(KVER_UNKNOWN, all, &pe);
	assert_true(pe.soft_dirty && pe.exclusive && pe.uffd_wp && pe.guard);
	pagemap_decode(all, NULL, &pe);
	assert_true(pe.guard && pagemap_entry_has(&pe, 58));
	/* a guard marker is swap-format: swapped only where 58 is guard */
	decode_at(KVER(6, 18, 0), PM_SWAPPED | PM_GUARD, &pe);
	assert_true(pe.guard);
}

static void test_kpage_names_by_version(void **st)
{
	char buf[128];

	(void)st;
	assert_null(kpage_flag_name_for(KPF_THP, KVER(3, 3, 0)));
	assert_string_equal(kpage_flag_name_for(KPF_THP, KVER(3, 4, 0)), "THP");
	assert_null(kpage_flag_name_for(23, KVER(3, 4, 113)));
	assert_string_equal(kpage_flag_name_for(23, KVER(3, 18, 0)), "BALLOON");
	assert_string_equal(kpage_flag_name_for(23, KVER(4, 19, 0)), "BALLOON");
	assert_string_equal(kpage_flag_name_for(23, KVER(5, 1, 0)), "OFFLINE");
	assert_null(kpage_flag_name_for(KPF_ZERO_PAGE, KVER(3, 18, 0)));
	assert_string_equal(kpage_flag_name_for(KPF_ZERO_PAGE, KVER(4, 0, 0)),
			    "ZERO_PAGE");
	assert_null(kpage_flag_name_for(KPF_IDLE, KVER(4, 2, 0)));
	assert_null(kpage_flag_name_for(KPF_PGTABLE, KVER(4, 17, 0)));
	assert_string_equal(kpage_flag_name_for(KPF_PGTABLE, KVER(4, 18, 0)),
			    "PGTABLE");
	assert_string_equal(kpage_flag_name_for(34, KVER(3, 4, 0)),
			    "MAPPEDTODISK");
	assert_string_equal(kpage_flag_name_for(34, KVER(6, 12, 0)), "OWNER_2");
	assert_string_equal(kpage_flag_name_for(39, KVER(6, 11, 0)), "UNCACHED");
	assert_null(kpage_flag_name_for(39, KVER(6, 12, 0)));
	assert_null(kpage_flag_name_for(KPF_SOFTDIRTY, KVER(3, 12, 0)));
	assert_null(kpage_flag_name_for(KPF_ARCH_2, KVER(5, 9, 0)));
	assert_null(kpage_flag_name_for(KPF_ARCH_3, KVER(6, 1, 0)));
	assert_string_equal(kpage_flag_name_for(KPF_ARCH_3, KVER(6, 2, 0)),
			    "ARCH_3");
	assert_null(kpage_flag_name_for(KPF_MMAP, KVER(2, 6, 30)));
	/* unknown version: today's names (as kpage_flag_name) */
	assert_string_equal(kpage_flag_name_for(23, KVER_UNKNOWN), "OFFLINE");
	kpage_flags_format_for(BIT(KPF_LRU) | BIT(23) | BIT(34), KVER(3, 4, 113),
			       ",", buf, sizeof buf);
	assert_string_equal(buf, "LRU,BIT23,MAPPEDTODISK");
	kpage_flags_format_for(BIT(KPF_LRU) | BIT(23), KVER(4, 9, 0), ",", buf,
			       sizeof buf);
	assert_string_equal(buf, "LRU,BALLOON");
	kpage_flags_short_for(BIT(KPF_LRU) | BIT(23) | BIT(KPF_ANON),
			      KVER(3, 4, 0), buf, sizeof buf);
	assert_string_equal(buf, "la?");
	kpage_flags_short_for(BIT(23), KVER(4, 9, 0), buf, sizeof buf);
	assert_string_equal(buf, "o");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_releases),
		cmocka_unit_test(test_layout_page_shift),
		cmocka_unit_test(test_layout_transition),
		cmocka_unit_test(test_layout_flags),
		cmocka_unit_test(test_kpage_names_by_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
