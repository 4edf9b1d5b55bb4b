/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ramclass: free blocks whose tail frames read no flags, deferred-init
 * tails counted free, the struct page array at the top of the tail. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vmscope/ramclass.h"

#define F(b) (UINT64_C(1) << (b))

static enum kheat_cat frame(struct ramclass *rc, uint64_t pfn, uint64_t fl)
{
	int u;

	return ramclass_frame(rc, pfn, fl, &u);
}

/* A BUDDY head at an 8-aligned PFN, then flagless frames: those up to
 * its alignment are free, the one after is not. */
static void test_buddy_head_then_flagless(void **state)
{
	struct ramclass rc;
	uint64_t p;

	(void)state;
	ramclass_init(&rc);
	assert_int_equal(frame(&rc, 8, F(KPF_BUDDY)), KHEAT_FREE);
	for (p = 9; p < 16; p++)
		assert_int_equal(frame(&rc, p, 0), KHEAT_FREE);
	assert_int_equal(frame(&rc, 16, 0), KHEAT_OTHER);
}

/* A flagged frame ends the block early; a break forgets it. */
static void test_flagged_frame_ends_block(void **state)
{
	struct ramclass rc;

	(void)state;
	ramclass_init(&rc);
	frame(&rc, 1024, F(KPF_BUDDY));
	assert_int_equal(frame(&rc, 1025, 0), KHEAT_FREE);
	assert_int_equal(frame(&rc, 1026, F(KPF_ANON)), KHEAT_ANON);
	assert_int_equal(frame(&rc, 1027, 0), KHEAT_OTHER);
	frame(&rc, 2048, F(KPF_BUDDY));
	ramclass_break(&rc);
	assert_int_equal(frame(&rc, 2049, 0), KHEAT_OTHER);
}

/* No block is larger than 2^10 frames, however aligned the head. */
static void test_block_at_most_max_order(void **state)
{
	struct ramclass rc;

	(void)state;
	ramclass_init(&rc);
	frame(&rc, UINT64_C(1) << 20, F(KPF_BUDDY));
	assert_int_equal(frame(&rc, (UINT64_C(1) << 20) + 1023, 0), KHEAT_FREE);
	assert_int_equal(frame(&rc, (UINT64_C(1) << 20) + 1024, 0), KHEAT_OTHER);
}

static void test_flagless_suffix(void **state)
{
	uint64_t f[6] = { 1, 0, 4, 0, 0, 0 };

	(void)state;
	assert_int_equal(ramclass_flagless_suffix(f, 6), 3);
	assert_int_equal(ramclass_flagless_suffix(f, 3), 0);
	memset(f, 0, sizeof f);
	assert_int_equal(ramclass_flagless_suffix(f, 6), 6);
}

/* A deferred-init tail is free but for the struct page array at its top:
 * 2^20 frames of RAM, 64 bytes each, 4K pages: 16384 frames. */
static void test_tail_free_but_memmap(void **state)
{
	struct ramclass rc;
	uint64_t lo = 0x80000, hi = 0x100000;
	int u;

	(void)state;
	ramclass_init(&rc);
	ramclass_add_tail(&rc, lo, hi);
	ramclass_place_memmap(&rc, UINT64_C(1) << 20, 64, 4096);
	assert_int_equal(rc.ntails, 1);
	assert_int_equal(rc.tail[0].memmap_lo, hi - 16384);
	assert_int_equal(ramclass_frame(&rc, lo, 0, &u), KHEAT_FREE);
	assert_int_equal(u, 1);
	assert_int_equal(frame(&rc, hi - 16385, 0), KHEAT_FREE);
	assert_int_equal(frame(&rc, hi - 16384, 0), KHEAT_OTHER);
	/* a flagged frame inside the tail keeps its own class */
	assert_int_equal(frame(&rc, lo + 5, F(KPF_SLAB)), KHEAT_SLAB);
	assert_int_equal(ramclass_frame(&rc, lo - 1, 0, &u), KHEAT_OTHER);
	assert_int_equal(u, 0);
}

/* A short flagless end of RAM is no tail: it may be pages in use. */
static void test_short_suffix_no_tail(void **state)
{
	struct ramclass rc;

	(void)state;
	ramclass_init(&rc);
	ramclass_add_tail(&rc, 100, 100 + RAMCLASS_TAIL_MIN - 1);
	assert_int_equal(rc.ntails, 0);
	assert_int_equal(frame(&rc, 150, 0), KHEAT_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buddy_head_then_flagless),
		cmocka_unit_test(test_flagged_frame_ends_block),
		cmocka_unit_test(test_block_at_most_max_order),
		cmocka_unit_test(test_flagless_suffix),
		cmocka_unit_test(test_tail_free_but_memmap),
		cmocka_unit_test(test_short_suffix_no_tail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
