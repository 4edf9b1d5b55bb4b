/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages_layout: the page screen's rows over a process's VMAs and the
 * holes between them, in the table (a row a page) and the map (rows of
 * cells): which address each row and cell shows, where the cursor's
 * row is, and how the cursor moves across a hole, for a hand-made list
 * with holes, neighbours without one, a gap VMA and one above the end
 * of pagemap whose hole stops at that end. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "ui/pages_layout.c"
#include "ui/procview.c"

static char empty[1];
static const uint64_t zeros[SMAPS__COUNT];

#define VMA(s, e, k) { .start = (s), .end = (e), .kind = (k), \
		       .perms = "rw-p", .name = empty, .vmflags_text = "", \
		       .smaps = zeros }

/*   V0 [0x10000, 0x13000)  3 pages
 *   V1 [0x13000, 0x14000)  1 page, no hole before it
 *   hole [0x14000, 0x20000)
 *   V2 [0x20000, 0x2a000) 10 pages
 *   hole [0x2a000, 0x30000)
 *   V3 [0x30000, 0x32000)  2 pages, a gap (VM_IO)
 *   hole [0x32000, 0x80000): it stops at the end of pagemap
 *   V4 [0xff000, 0x100000) above that end (as [vsyscall] is) */
static struct vma vmas[] = {
	VMA(0x10000, 0x13000, VMA_KIND_ANON),
	VMA(0x13000, 0x14000, VMA_KIND_ANON),
	VMA(0x20000, 0x2a000, VMA_KIND_ANON),
	VMA(0x30000, 0x32000, VMA_KIND_ANON),
	VMA(0xff000, 0x100000, VMA_KIND_VSYSCALL),
};

static struct app app;

static struct pages_screen layout(bool map, int w)
{
	struct pages_screen p = { .map = map, .shift = 12, .w = w, .h = 5 };
	struct vms_err e;

	vmas[3].vmflags = UINT64_C(1) << VMF_IO;
	vmas[3].has_smaps = true;
	vmas[3].vmflags_text = "rd wr io";
	vmas[4].above_pagemap = true;
	app.pv.vmas.v = vmas;
	app.pv.vmas.n = sizeof vmas / sizeof vmas[0];
	app.pv.vmas.pagemap_end = 0x80000;
	app.pv.vmas.addr_width = 16;
	app.pv.gen = 1;
	assert_int_equal(pages_layout_build(&p, &app, &e), 0);
	return p;
}

/* The table: a row a page, a row a hole, in address order. */
static void test_table_rows(void **state)
{
	static const uint64_t addr[] = {
		0x10000, 0x11000, 0x12000, 0x13000, 0x14000,
		0x20000, 0x21000, 0x22000, 0x23000, 0x24000,
		0x25000, 0x26000, 0x27000, 0x28000, 0x29000,
		0x2a000, 0x30000, 0x31000, 0x32000, 0xff000,
	};
	struct pages_screen p = layout(false, 80);
	uint64_t r;

	(void)state;
	assert_int_equal(p.total, 20);
	for (r = 0; r < p.total; r++)
		if (pages_layout_row_addr(&p, r, 0) != addr[r])
			fail_msg("row %llu: %llx, not %llx",
				 (unsigned long long)r,
				 (unsigned long long)pages_layout_row_addr(&p, r, 0),
				 (unsigned long long)addr[r]);
	/* each row's address puts the cursor back on that row */
	for (r = 0; r < p.total; r++) {
		p.cur = addr[r];
		pages_layout_snap(&p);
		assert_int_equal(p.cur, addr[r]);
		assert_int_equal(pages_layout_cur_row(&p), r);
		assert_int_equal(pages_layout_cur_col(&p), 0);
	}
	pages_layout_free(&p);
}

/* The map, 4 cells a row: a VMA's cells run on over rows, the last
 * column of a short row stays on its last cell, a hole is one row. */
static void test_map_rows(void **state)
{
	static const uint64_t addr[][4] = {
		{ 0x10000, 0x11000, 0x12000, 0x12000 },   /* V0 */
		{ 0x13000, 0x13000, 0x13000, 0x13000 },   /* V1 */
		{ 0x14000, 0x14000, 0x14000, 0x14000 },   /* hole */
		{ 0x20000, 0x21000, 0x22000, 0x23000 },   /* V2 */
		{ 0x24000, 0x25000, 0x26000, 0x27000 },
		{ 0x28000, 0x29000, 0x29000, 0x29000 },
		{ 0x2a000, 0x2a000, 0x2a000, 0x2a000 },   /* hole */
		{ 0x30000, 0x31000, 0x31000, 0x31000 },   /* V3 */
		{ 0x32000, 0x32000, 0x32000, 0x32000 },   /* hole */
		{ 0xff000, 0xff000, 0xff000, 0xff000 },   /* V4 */
	};
	struct pages_screen p = layout(true, 9 + 4 + 3);
	uint64_t r;
	int c;

	(void)state;
	assert_int_equal(p.cols, 4);
	assert_int_equal(p.total, 10);
	for (r = 0; r < p.total; r++)
		for (c = 0; c < 4; c++)
			if (pages_layout_row_addr(&p, r, c) != addr[r][c])
				fail_msg("row %llu col %d: %llx, not %llx",
					 (unsigned long long)r, c,
					 (unsigned long long)pages_layout_row_addr(&p, r, c),
					 (unsigned long long)addr[r][c]);
	p.cur = 0x26000;
	assert_int_equal(pages_layout_cur_row(&p), 4);
	assert_int_equal(pages_layout_cur_col(&p), 2);
	pages_layout_free(&p);
}

/* The cursor: in a hole it goes to the hole's start; past the hole's
 * end, below a VMA above pagemap, to that VMA; below the first VMA and
 * above the last, inside the address space. */
static void test_snap(void **state)
{
	struct pages_screen p = layout(false, 80);

	(void)state;
	p.cur = 0x15000;
	pages_layout_snap(&p);
	assert_int_equal(p.cur, 0x14000);
	assert_int_equal(pages_layout_cur_row(&p), 4);
	p.cur = 0x90000;
	pages_layout_snap(&p);
	assert_int_equal(p.cur, 0xff000);
	p.cur = 0x1000;
	pages_layout_snap(&p);
	assert_int_equal(p.cur, 0x10000);
	p.cur = 0x200000;
	pages_layout_snap(&p);
	assert_int_equal(p.cur, 0xff000);
	pages_layout_free(&p);
}

/* Left and Right step cell by cell, a hole one step; Up and Down row
 * by row. */
static void test_moves(void **state)
{
	static const uint64_t right[] = {
		0x11000, 0x12000, 0x13000, 0x14000, 0x20000,
	};
	struct pages_screen p = layout(true, 9 + 4 + 3);
	size_t i;

	(void)state;
	p.cur = 0x10000;
	for (i = 0; i < sizeof right / sizeof right[0]; i++) {
		pages_layout_move_cells(&p, 1);
		assert_int_equal(p.cur, right[i]);
	}
	pages_layout_move_cells(&p, -1);
	assert_int_equal(p.cur, 0x14000);
	pages_layout_move_cells(&p, -1);
	assert_int_equal(p.cur, 0x13000);
	p.cur = 0x29000;
	pages_layout_move_cells(&p, 1);
	assert_int_equal(p.cur, 0x2a000);
	pages_layout_move_cells(&p, 1);
	assert_int_equal(p.cur, 0x30000);
	pages_layout_move_cells(&p, -1);
	assert_int_equal(p.cur, 0x2a000);
	pages_layout_move_cells(&p, -1);
	assert_int_equal(p.cur, 0x29000);
	p.cur = 0x13000;
	p.want_col = 0;
	pages_layout_move_rows(&p, 1);
	assert_int_equal(p.cur, 0x14000);
	pages_layout_move_rows(&p, 1);
	assert_int_equal(p.cur, 0x20000);
	pages_layout_move_rows(&p, -2);
	assert_int_equal(p.cur, 0x13000);
	pages_layout_move_rows(&p, 100);
	assert_int_equal(p.cur, 0xff000);
	pages_layout_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_map_rows),
		cmocka_unit_test(test_snap),
		cmocka_unit_test(test_moves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
