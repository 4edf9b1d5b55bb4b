/* SPDX-License-Identifier: GPL-3.0-or-later */
/* textwrap: what the help, the detail panel and the message line show
 * of a text too wide for the screen: every word, on as many lines as it
 * takes, or a cut that says so. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <locale.h>
#include <cmocka.h>
#include "ui/textwrap.c"

/* The lines of text at width, joined by '|'. */
static void broken(const char *text, int width, bool utf8, char *buf,
		   size_t n, int *count)
{
	struct textwrap_line l[16];
	int i, k = textwrap_break(text, width, utf8, l, 16);
	size_t o = 0;

	*count = k;
	buf[0] = '\0';
	for (i = 0; i < k && i < 16; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s%.*s", i ? "|" : "",
				      (int)l[i].len, text + l[i].off);
}

static void test_break_at_spaces(void **state)
{
	char buf[256];
	int n;

	(void)state;
	broken("z  zoom to fit this VMA on the screen (1 page per cell again: z)",
	       24, false, buf, sizeof buf, &n);
	assert_string_equal(buf, "z  zoom to fit this VMA|on the screen (1 page|per cell again: z)");
	assert_int_equal(n, 3);
}

static void test_nothing_lost(void **state)
{
	const char *t = "swapped: the page is in swap; bits 0-4 give the swap type and bits 5-54 the offset in it.";
	struct textwrap_line l[8];
	int i, n = textwrap_break(t, 30, false, l, 8);
	size_t words = 0, seen = 0;

	(void)state;
	for (i = 0; t[i]; i++)
		words += t[i] != ' ';
	for (i = 0; i < n; i++) {
		size_t k;

		assert_true(l[i].len <= 30);
		for (k = 0; k < l[i].len; k++)
			seen += t[l[i].off + k] != ' ';
	}
	assert_int_equal(seen, words);
}

static void test_long_word_cut(void **state)
{
	char buf[256];
	int n;

	(void)state;
	broken("/process_api/89fde2d687baf16c219c066e3e7104e9", 20, false, buf,
	       sizeof buf, &n);
	assert_string_equal(buf, "/process_api/89fde2d|687baf16c219c066e3e7|104e9");
}

static void test_count_beyond_max(void **state)
{
	struct textwrap_line l[2];

	(void)state;
	assert_int_equal(textwrap_break("a b c d e f", 1, false, l, 2), 6);
	assert_int_equal(textwrap_break("", 10, false, l, 2), 0);
	assert_int_equal(textwrap_break("   ", 10, false, l, 2), 0);
}

static void test_clip_marks_a_cut(void **state)
{
	char buf[64];

	(void)state;
	assert_false(textwrap_clip("UlMabd", 8, false, buf, sizeof buf));
	assert_string_equal(buf, "UlMabd");
	assert_true(textwrap_clip("89fde2d687baf16c219c", 8, false, buf,
				  sizeof buf));
	assert_string_equal(buf, "89fde2d>");
	/* a blank before the mark would hide the cut: dropped */
	assert_true(textwrap_clip("needs root (run vmscope", 12, false, buf,
				  sizeof buf));
	assert_string_equal(buf, "needs root>");
}

static void test_utf8_columns(void **state)
{
	char buf[64];

	(void)state;
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		skip();
	assert_int_equal(textwrap_width("PID\xe2\x86\x91", true), 4);
	assert_true(textwrap_clip("\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7", 3, true,
				  buf, sizeof buf));
	assert_string_equal(buf, "\xc2\xb7\xc2\xb7\xe2\x80\xa6");
	assert_int_equal(textwrap_width(buf, true), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_break_at_spaces),
		cmocka_unit_test(test_nothing_lost),
		cmocka_unit_test(test_long_word_cut),
		cmocka_unit_test(test_count_beyond_max),
		cmocka_unit_test(test_clip_marks_a_cut),
		cmocka_unit_test(test_utf8_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
