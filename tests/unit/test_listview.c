/* SPDX-License-Identifier: GPL-3.0-or-later */
/* listview: the list every list screen is.  The drawing functions are
 * stubs that record where text lands, so the selection, scrolling,
 * search, filtered view and column layout are tested without a
 * terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "ui/listview.c"
#include "ui/uitext.c"

/* ---- drawing stubs: the last line drawn, as text at columns ---- */

static char screen_line[4][128];

static int put(int y, int x, int width, const char *s)
{
	int i;

	if (y < 0 || y >= 4)
		return 0;
	for (i = 0; s[i] && i < width && x + i < 127; i++)
		screen_line[y][x + i] = s[i];
	return i;
}

int draw_text(int y, int x, int width, attr_t a, const char *s, bool pad)
{
	(void)a;
	(void)pad;
	return put(y, x, width, s);
}

int draw_text_tail(int y, int x, int width, attr_t a, const char *s)
{
	int l = (int)strlen(s);

	(void)a;
	return put(y, x, width, l > width ? s + l - width : s);
}

int draw_fmt(int y, int x, int width, attr_t a, bool pad, const char *fmt,
	     ...)
{
	char buf[256];
	va_list ap;

	(void)a;
	(void)pad;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return put(y, x, width, buf);
}

void draw_fill(int y, int x, int width, attr_t a)
{
	(void)a;
	if (y >= 0 && y < 4)
		memset(screen_line[y] + x, ' ', (size_t)(x + width < 127 ? width : 127 - x));
}

static void clear_screen(void)
{
	memset(screen_line, 0, sizeof screen_line);
}

/* ---- a list of words; rows 0 and 5 are section titles ---- */

static const char *const words[] = { "[fruit]", "apple", "banana", "cherry",
	"damson", "[nuts]", "almond", "brazil", "cashew" };
#define NWORDS (sizeof words / sizeof words[0])

static bool word_selectable(void *ctx, int64_t row)
{
	(void)ctx;
	return words[row][0] != '[';
}

static bool word_matches(void *ctx, int64_t row, const char *t)
{
	(void)ctx;
	return text_match(words[row], t);
}

static struct listview make(int h, bool sections)
{
	struct listview lv = { 0 };

	lv.h = h;
	lv.matches = word_matches;
	if (sections)
		lv.selectable = word_selectable;
	listview_set_rows(&lv, NWORDS);
	return lv;
}

/* The first PgDn from the top shows the next page, not only a cursor
 * moved to the last row shown; PgUp brings the page back. */
static void test_page_keys_turn_the_page(void **state)
{
	struct listview lv = make(4, false);

	(void)state;
	assert_true(listview_move(&lv, ACT_PGDN));
	assert_int_equal(lv.sel, 3);
	assert_int_equal(lv.top, 3);
	assert_true(listview_move(&lv, ACT_PGUP));
	assert_int_equal(lv.sel, 0);
	assert_int_equal(lv.top, 0);
}

static void test_keys_and_scrolling(void **state)
{
	struct listview lv = make(3, false);

	(void)state;
	assert_true(listview_move(&lv, ACT_DOWN));
	assert_int_equal(lv.sel, 1);
	assert_true(listview_move(&lv, ACT_PGDN));   /* a page is h - 1 */
	assert_int_equal(lv.sel, 3);
	assert_int_equal(lv.top, 2);                 /* the view turns a page */
	assert_true(listview_move(&lv, ACT_END));
	assert_int_equal(lv.sel, NWORDS - 1);
	assert_int_equal(lv.top, NWORDS - 3);
	assert_true(listview_move(&lv, ACT_DOWN));   /* stays at the end */
	assert_int_equal(lv.sel, NWORDS - 1);
	assert_true(listview_move(&lv, ACT_HOME));
	assert_int_equal(lv.sel, 0);
	assert_int_equal(lv.top, 0);
	assert_true(listview_move(&lv, ACT_UP));
	assert_int_equal(lv.sel, 0);
	assert_false(listview_move(&lv, ACT_OPEN));
}

static void test_sections_are_skipped(void **state)
{
	struct listview lv = make(4, true);

	(void)state;
	listview_select(&lv, 0);                     /* a title: the next row */
	assert_int_equal(lv.sel, 1);
	lv.sel = 4;
	listview_clamp(&lv);
	assert_true(listview_move(&lv, ACT_DOWN));   /* over "[nuts]" */
	assert_int_equal(lv.sel, 6);
	assert_true(listview_move(&lv, ACT_UP));
	assert_int_equal(lv.sel, 4);
	assert_true(listview_move(&lv, ACT_HOME));   /* first selectable */
	assert_int_equal(lv.sel, 1);
	assert_int_equal(lv.top, 0);                 /* its title in view */
}

static void test_search_wraps_both_ways(void **state)
{
	struct listview lv = make(4, true);

	(void)state;
	listview_select(&lv, 1);
	assert_true(listview_search(&lv, "an", 1, true));
	assert_string_equal(words[lv.sel], "banana");
	assert_true(listview_search(&lv, "an", 1, false)); /* only itself */
	assert_string_equal(words[lv.sel], "banana");
	assert_true(listview_search(&lv, "SH", 1, false)); /* any case */
	assert_string_equal(words[lv.sel], "cashew");
	assert_true(listview_search(&lv, "A", 1, false));
	assert_string_equal(words[lv.sel], "apple"); /* round the end */
	assert_true(listview_search(&lv, "a", -1, false));
	assert_string_equal(words[lv.sel], "cashew"); /* back round it */
	assert_true(listview_search(&lv, "a", -1, false));
	assert_string_equal(words[lv.sel], "brazil");
	assert_false(listview_search(&lv, "nuts", 1, true)); /* titles not */
	assert_false(listview_search(&lv, "zzz", 1, true));
	assert_string_equal(words[lv.sel], "brazil");
}

static bool keep_matching(void *ctx, size_t i)
{
	struct listview *lv = ctx;

	return words[i][0] != '[' && text_match(words[i], lv->filter);
}

static void test_filtered_view(void **state)
{
	struct listview lv = make(4, false);

	(void)state;
	lv.ctx = &lv;
	listview_set_filter(&lv, "an");
	assert_true(listview_build_view(&lv, NWORDS, keep_matching));
	assert_int_equal(lv.n, 1);
	assert_string_equal(words[lv.view[0]], "banana");
	listview_set_filter(&lv, "A");
	assert_true(listview_build_view(&lv, NWORDS, keep_matching));
	assert_int_equal(lv.n, 6);
	assert_string_equal(words[lv.view[2]], "damson");
	listview_set_filter(&lv, "");
	assert_true(listview_build_view(&lv, NWORDS, keep_matching));
	assert_int_equal(lv.n, 7);
	listview_free(&lv);
}

static size_t keep_calls;

/* Every third item of a long list, as the VMA screen keeps a VMA and
 * skips a hole. */
static bool keep_third(void *ctx, size_t i)
{
	(void)ctx;
	keep_calls++;
	return i % 3 == 1;
}

/* The view grows with the rows kept, far past its first room, and
 * holds each item's index; a list of more items than a view numbers
 * (a uint32_t each) is refused before any is asked about. */
static void test_view_of_many_items(void **state)
{
	struct listview lv = make(4, false);
	size_t i;

	(void)state;
	assert_true(listview_build_view(&lv, 300001, keep_third));
	assert_int_equal(lv.n, 100000);
	for (i = 0; i < lv.nview; i++)
		if (lv.view[i] != 3 * i + 1)
			fail_msg("view[%zu] = %u, not %zu", i, lv.view[i],
				 3 * i + 1);
	assert_true(lv.view_cap >= lv.nview && lv.view_cap <= 2 * lv.nview);
	if ((uint64_t)SIZE_MAX > LISTVIEW_MAX_ITEMS) {
		keep_calls = 0;
		assert_false(listview_build_view(
			&lv, (size_t)(LISTVIEW_MAX_ITEMS + 1), keep_third));
		assert_int_equal(keep_calls, 0);
		assert_int_equal(lv.n, 0);
	}
	listview_free(&lv);
}

static void num_cell(void *ctx, struct lv_cell *c)
{
	(void)ctx;
	snprintf(c->buf, c->n, "%lld", (long long)c->row * 1000);
}

static void word_cell(void *ctx, struct lv_cell *c)
{
	(void)ctx;
	snprintf(c->buf, c->n, "%s", words[c->row]);
}

static attr_t plain(void *ctx, int64_t row, bool sel)
{
	(void)ctx;
	(void)row;
	(void)sel;
	return A_NORMAL;
}

static void test_columns(void **state)
{
	struct lv_column c[] = {
		{ .title = "NUM", .mark = "v", .width = 5, .right = true,
		  .cell = num_cell },
		{ .title = "WORD", .width = 4, .lead = true, .cell = word_cell },
		{ .title = "REST", .lead = true, .tail = true,
		  .cell = word_cell },
	};
	struct listview lv = make(2, false);

	(void)state;
	lv.row_attr = plain;
	lv.top = 1;
	lv.sel = 1;
	clear_screen();
	listview_draw_header(c, 3, 0, 20, A_NORMAL);
	/* a right-aligned title, its mark in the blank after it */
	assert_string_equal(screen_line[0], "  NUMv WORD REST    ");
	listview_draw_rows(&lv, c, 3, 1, 20);
	/* numbers right-aligned, the blank after them; a lead column
	 * after its own blank, cut to its width; the last column the
	 * rest, its end kept */
	assert_string_equal(screen_line[1], " 1000  appl apple   ");
	assert_string_equal(screen_line[2], " 2000  bana banana  ");
	clear_screen();
	listview_draw_rows(&lv, c, 3, 1, 15);
	assert_string_equal(screen_line[1], " 1000  appl ple");
	assert_int_equal(listview_column_x(c, 2), 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_and_scrolling),
		cmocka_unit_test(test_page_keys_turn_the_page),
		cmocka_unit_test(test_sections_are_skipped),
		cmocka_unit_test(test_search_wraps_both_ways),
		cmocka_unit_test(test_filtered_view),
		cmocka_unit_test(test_view_of_many_items),
		cmocka_unit_test(test_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
