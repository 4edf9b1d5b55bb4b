/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for src/core/escape.c: untrusted text made safe for a
 * terminal and for JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vmscope/escape.h"

/* escape_text into a roomy buffer, checking the returned length. */
static void check_text(const char *src, size_t len, const char *want)
{
	char out[256];
	size_t need = escape_text(out, sizeof out, src, len);

	assert_string_equal(out, want);
	assert_int_equal(need, strlen(want));
}

static void test_plain_ascii_passes(void **state)
{
	check_text("/usr/lib/libc.so.6", 18, "/usr/lib/libc.so.6");
	check_text("with spaces  ", 13, "with spaces  ");
	check_text("", 0, "");
}

static void test_controls_escaped(void **state)
{
	check_text("a\nb", 3, "a\\nb");
	check_text("a\tb", 3, "a\\tb");
	check_text("a\rb", 3, "a\\rb");
	check_text("\x1b[2J", 4, "\\e[2J");
	check_text("back\\slash", 10, "back\\\\slash");
	check_text("bell\x07", 5, "bell\\x07");
	check_text("del\x7f", 4, "del\\x7f");
	check_text("\x01\x1f", 2, "\\x01\\x1f");
}

static void test_embedded_nul(void **state)
{
	check_text("a\0b", 3, "a\\x00b");
}

static void test_utf8(void **state)
{
	/* valid printable UTF-8 passes: é, €, 😀 */
	check_text("caf\xc3\xa9", 5, "caf\xc3\xa9");
	check_text("\xe2\x82\xac", 3, "\xe2\x82\xac");
	check_text("\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80");
	/* C1 controls (U+0085, U+009B CSI) as UTF-8: escaped byte-wise */
	check_text("\xc2\x85", 2, "\\xc2\\x85");
	check_text("\xc2\x9b" "2J", 4, "\\xc2\\x9b2J");
	/* raw C1 bytes and stray continuation bytes */
	check_text("\x9b", 1, "\\x9b");
	check_text("\x80", 1, "\\x80");
	/* overlong '/', surrogate, beyond U+10FFFF, bad leads */
	check_text("\xc0\xaf", 2, "\\xc0\\xaf");
	check_text("\xe0\x80\xaf", 3, "\\xe0\\x80\\xaf");
	check_text("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");
	check_text("\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80");
	check_text("\xff\xfe", 2, "\\xff\\xfe");
	/* a sequence cut by len is not read past len */
	check_text("\xe2\x82\xac", 2, "\\xe2\\x82");
}

/* Bidi and invisible formatting characters are escaped as C1 controls
 * are, byte by byte: U+202E would reorder the rest of the line, U+200B
 * and U+FEFF hide inside a name. */
static void test_bidi_and_invisible_escaped(void **state)
{
	/* RLO, PDF, LRE..RLE, LRI..PDI, ALM, LRM, RLM */
	check_text("a\xe2\x80\xae" "b", 5, "a\\xe2\\x80\\xaeb");
	check_text("\xe2\x80\xac", 3, "\\xe2\\x80\\xac");
	check_text("\xe2\x80\xaa\xe2\x80\xab", 6,
		   "\\xe2\\x80\\xaa\\xe2\\x80\\xab");
	check_text("\xe2\x81\xa6x\xe2\x81\xa9", 7,
		   "\\xe2\\x81\\xa6x\\xe2\\x81\\xa9");
	check_text("\xd8\x9c", 2, "\\xd8\\x9c");
	check_text("\xe2\x80\x8e\xe2\x80\x8f", 6,
		   "\\xe2\\x80\\x8e\\xe2\\x80\\x8f");
	/* zero width space, joiner, word joiner, BOM, soft hyphen */
	check_text("\xe2\x80\x8b", 3, "\\xe2\\x80\\x8b");
	check_text("\xe2\x80\x8d", 3, "\\xe2\\x80\\x8d");
	check_text("\xe2\x81\xa0", 3, "\\xe2\\x81\\xa0");
	check_text("\xef\xbb\xbf", 3, "\\xef\\xbb\\xbf");
	check_text("\xc2\xad", 2, "\\xc2\\xad");
	/* line and paragraph separators */
	check_text("\xe2\x80\xa8\xe2\x80\xa9", 6,
		   "\\xe2\\x80\\xa8\\xe2\\x80\\xa9");
	/* a tag character (U+E0041), beyond the BMP */
	check_text("\xf3\xa0\x81\x81", 4, "\\xf3\\xa0\\x81\\x81");
	/* their neighbours are ordinary text: U+2027, U+202F, U+2065
	 * (unassigned, not ignorable), U+00AC, U+FEFE */
	check_text("\xe2\x80\xa7\xe2\x80\xaf", 6, "\xe2\x80\xa7\xe2\x80\xaf");
	check_text("\xc2\xac\xef\xbb\xbe", 5, "\xc2\xac\xef\xbb\xbe");
}

static void test_hidden_code_points(void **state)
{
	static const uint32_t hidden[] = {
		0x80, 0x9f, 0xad, 0x61c, 0x200b, 0x200f, 0x2028, 0x202e,
		0x2060, 0x2066, 0x2069, 0x206f, 0xfe0f, 0xfeff, 0xfff9,
		0xe0001, 0xe007f,
	};
	static const uint32_t shown[] = {
		0x41, 0xa0, 0xe9, 0x61b, 0x200a, 0x2010, 0x2027, 0x202f,
		0x205f, 0x2070, 0xfe10, 0xfefe, 0xfffc, 0xfffd, 0x1f600,
		0xe1000,
	};
	size_t i;

	for (i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
		assert_true(escape_hidden_cp(hidden[i]));
	for (i = 0; i < sizeof shown / sizeof shown[0]; i++)
		assert_false(escape_hidden_cp(shown[i]));
	/* escape_unsafe_len: what one unit of escape_text would escape */
	assert_int_equal(escape_unsafe_len("a", 1), 0);
	assert_int_equal(escape_unsafe_len("\x1b[", 2), 1);
	assert_int_equal(escape_unsafe_len("\xe2\x80\xae", 3), 3);
	assert_int_equal(escape_unsafe_len("\xe2\x82\xac", 3), 0);
	assert_int_equal(escape_unsafe_len("\xe2\x82", 2), 1);
	assert_int_equal(escape_unsafe_len("\xc2\x9b", 2), 2);
	assert_int_equal(escape_unsafe_len("\xff", 1), 1);
}

static void test_length_and_truncation(void **state)
{
	char out[8];
	size_t need;

	/* a NULL, 0 buffer only measures */
	assert_int_equal(escape_text(NULL, 0, "a\nb", 3), 4);
	/* always NUL-terminated, returns the full length */
	memset(out, 'X', sizeof out);
	need = escape_text(out, 4, "abcdef", 6);
	assert_int_equal(need, 6);
	assert_string_equal(out, "abc");
	assert_int_equal(out[4], 'X'); /* nothing written past n */
	/* n == 1: just the NUL */
	need = escape_text(out, 1, "abc", 3);
	assert_int_equal(need, 3);
	assert_string_equal(out, "");
}

/* A cut never leaves half an escape or half a UTF-8 character: the
 * output stays safe to send to a terminal. */
static void test_truncation_keeps_units_whole(void **state)
{
	char out[8];

	/* "ab\e": room for "ab\" only */
	assert_int_equal(escape_text(out, 4, "ab\x1b", 3), 4);
	assert_string_equal(out, "ab");
	/* "a\x07": room for "a\x" only */
	assert_int_equal(escape_text(out, 5, "a\x07", 2), 5);
	assert_string_equal(out, "a");
	/* "ab€": room for "ab" and the first byte of € */
	assert_int_equal(escape_text(out, 4, "ab\xe2\x82\xac", 5), 5);
	assert_string_equal(out, "ab");
	/* exactly enough room */
	assert_int_equal(escape_text(out, 6, "ab\xe2\x82\xac", 5), 5);
	assert_string_equal(out, "ab\xe2\x82\xac");
	/* once a unit is cut, later shorter ones are not squeezed in */
	assert_int_equal(escape_text(out, 3, "a\x1b" "b", 3), 4);
	assert_string_equal(out, "a");
}

static void test_dup(void **state)
{
	char *s = escape_dup("/tmp/\x1b]0;owned\x07");

	assert_non_null(s);
	assert_string_equal(s, "/tmp/\\e]0;owned\\x07");
	free(s);
	s = escape_dup("");
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

/* escape_json into a string through a memstream. */
static char *json(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	escape_json(f, s);
	fclose(f);
	return buf;
}

static void check_json(const char *s, const char *want)
{
	char *got = json(s);

	assert_string_equal(got, want);
	free(got);
}

static void test_json(void **state)
{
	check_json("", "\"\"");
	check_json("/usr/bin/cat", "\"/usr/bin/cat\"");
	check_json("a\"b\\c", "\"a\\\"b\\\\c\"");
	check_json("l1\nl2\tx\r", "\"l1\\nl2\\tx\\r\"");
	check_json("\x1b[0m\x01\x7f", "\"\\u001b[0m\\u0001\\u007f\"");
	/* valid UTF-8 stays as is */
	check_json("caf\xc3\xa9 \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
	/* invalid bytes: \u00XX of the byte */
	check_json("a\xff" "b\xc3", "\"a\\u00ffb\\u00c3\"");
	check_json("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"");
	/* a C1 control character (valid UTF-8 U+0085, U+009B) is one
	 * control character: \u0085, not its two bytes */
	check_json("\xc2\x85", "\"\\u0085\"");
	check_json("x\xc2\x9by", "\"x\\u009by\"");
	/* bidi and invisible characters too, one \\u each; beyond the
	 * BMP as a surrogate pair */
	check_json("a\xe2\x80\xae" "b", "\"a\\u202eb\"");
	check_json("\xe2\x81\xa6\xd8\x9c\xef\xbb\xbf\xc2\xad",
		   "\"\\u2066\\u061c\\ufeff\\u00ad\"");
	check_json("\xe2\x80\xa8", "\"\\u2028\"");
	check_json("\xf3\xa0\x81\x81", "\"\\udb40\\udc41\"");
	/* ordinary neighbours stay raw */
	check_json("\xe2\x80\xaf", "\"\xe2\x80\xaf\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_ascii_passes),
		cmocka_unit_test(test_controls_escaped),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_bidi_and_invisible_escaped),
		cmocka_unit_test(test_hidden_code_points),
		cmocka_unit_test(test_length_and_truncation),
		cmocka_unit_test(test_truncation_keeps_units_whole),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
