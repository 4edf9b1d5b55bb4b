/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/escape.h"

/* Code points a terminal does not show as themselves: ranges, first and
 * last, sorted.  Unicode's Bidi_Control and Default_Ignorable_Code_Point
 * sets (DerivedCoreProperties.txt, PropList.txt) and the line and
 * paragraph separators; see escape.h. */
static const uint32_t hidden_ranges[][2] = {
	{ 0x0080, 0x009f },   /* C1 controls */
	{ 0x00ad, 0x00ad },   /* soft hyphen */
	{ 0x034f, 0x034f },   /* combining grapheme joiner */
	{ 0x061c, 0x061c },   /* Arabic letter mark */
	{ 0x115f, 0x1160 },   /* Hangul fillers */
	{ 0x17b4, 0x17b5 },   /* Khmer inherent vowels */
	{ 0x180b, 0x180f },   /* Mongolian selectors, vowel separator */
	{ 0x200b, 0x200f },   /* zero width space .. right-to-left mark */
	{ 0x2028, 0x202e },   /* line/paragraph separators, bidi embeddings */
	{ 0x2060, 0x206f },   /* word joiner, invisible operators, isolates */
	{ 0x3164, 0x3164 },   /* Hangul filler */
	{ 0xfe00, 0xfe0f },   /* variation selectors */
	{ 0xfeff, 0xfeff },   /* zero width no-break space (BOM) */
	{ 0xffa0, 0xffa0 },   /* halfwidth Hangul filler */
	{ 0xfff0, 0xfffb },   /* unassigned specials, interlinear annotation */
	{ 0x1bca0, 0x1bca3 }, /* shorthand format controls */
	{ 0x1d173, 0x1d17a }, /* musical symbol format controls */
	{ 0xe0000, 0xe0fff }, /* tags, variation selectors supplement */
};

bool escape_hidden_cp(uint32_t cp)
{
	size_t i;

	for (i = 0; i < sizeof hidden_ranges / sizeof hidden_ranges[0]; i++) {
		if (cp < hidden_ranges[i][0])
			return false;
		if (cp <= hidden_ranges[i][1])
			return true;
	}
	return false;
}

/* The code point of the well-formed UTF-8 sequence at s (at most len
 * bytes) into *cp and its length, or 0 when the bytes are not one
 * (invalid, truncated, overlong, a surrogate, beyond U+10FFFF). */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c;
	size_t n, i;

	if (s[0] < 0x80)
		return 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Length of the valid UTF-8 sequence at s that a terminal shows as
 * itself, or 0 (not UTF-8, or a hidden code point: escape_hidden_cp). */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	uint32_t cp;
	size_t n = utf8_decode(s, len, &cp);

	return n && !escape_hidden_cp(cp) ? n : 0;
}

size_t escape_unsafe_len(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	if (len == 0)
		return 0;
	if (p[0] < 0x80)
		return p[0] < 0x20 || p[0] == 0x7f ? 1 : 0;
	n = utf8_decode(p, len, &cp);
	if (n == 0)
		return 1;
	return escape_hidden_cp(cp) ? n : 0;
}

size_t escape_text(char *dst, size_t n, const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t out = 0, w = 0, i = 0;
	int full = n == 0;
	char tmp[8];

	/* Units (a character, an escape) go in whole or not at all, and
	 * nothing goes in after the first that did not fit: a cut never
	 * leaves half an escape or half a UTF-8 sequence. */
#define PUT(str, k) do { \
		if (!full && w + (k) < n) { \
			memcpy(dst + w, (str), (k)); \
			w += (k); \
		} else { \
			full = 1; \
		} \
		out += (k); \
	} while (0)

	while (i < len) {
		unsigned char c = s[i];
		size_t u;

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			PUT(&src[i], 1);
			i++;
			continue;
		}
		if (c >= 0x80 && (u = utf8_seq(s + i, len - i)) > 0) {
			PUT(&src[i], u);
			i += u;
			continue;
		}
		switch (c) {
		case '\n': PUT("\\n", 2); break;
		case '\t': PUT("\\t", 2); break;
		case '\r': PUT("\\r", 2); break;
		case 0x1b: PUT("\\e", 2); break;
		case '\\': PUT("\\\\", 2); break;
		default:
			tmp[0] = '\\';
			tmp[1] = 'x';
			tmp[2] = "0123456789abcdef"[c >> 4];
			tmp[3] = "0123456789abcdef"[c & 15];
			PUT(tmp, 4);
		}
		i++;
	}
#undef PUT
	if (n > 0)
		dst[w] = '\0';
	return out;
}

char *escape_dup(const char *s)
{
	size_t len = strlen(s);
	size_t need = escape_text(NULL, 0, s, len);
	char *d = malloc(need + 1);

	if (d)
		escape_text(d, need + 1, s, len);
	return d;
}

/* \uXXXX of a 16-bit value */
static char *put_u4(char *d, unsigned v)
{
	static const char hex[] = "0123456789abcdef";

	*d++ = '\\';
	*d++ = 'u';
	*d++ = hex[(v >> 12) & 15];
	*d++ = hex[(v >> 8) & 15];
	*d++ = hex[(v >> 4) & 15];
	*d++ = hex[v & 15];
	return d;
}

/* \uXXXX, or a surrogate pair beyond the BMP (JSON has no \U) */
static char *put_cp(char *d, uint32_t cp)
{
	if (cp < 0x10000)
		return put_u4(d, cp);
	cp -= 0x10000;
	d = put_u4(d, 0xd800 + (cp >> 10));
	return put_u4(d, 0xdc00 + (cp & 0x3ff));
}

char *escape_json_mem(char *d, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	*d++ = '"';
	while (i < len) {
		unsigned char c = p[i];
		size_t u;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*d++ = (char)c;  /* the common case: printable ASCII */
			i++;
			continue;
		}
		if (c >= 0x80) {
			u = utf8_decode(p + i, len - i, &cp);
			if (u && escape_hidden_cp(cp)) {
				d = put_cp(d, cp);  /* C1, bidi, invisible */
				i += u;
			} else if (u) {
				memcpy(d, p + i, u);
				d += u;
				i += u;
			} else {
				/* keep the byte, as the code point of its value */
				d = put_u4(d, c);
				i++;
			}
			continue;
		}
		i++;
		*d++ = '\\';
		switch (c) {
		case '"': *d++ = '"'; break;
		case '\\': *d++ = '\\'; break;
		case '\n': *d++ = 'n'; break;
		case '\t': *d++ = 't'; break;
		case '\r': *d++ = 'r'; break;
		default: d = put_u4(d - 1, c);
		}
	}
	*d++ = '"';
	return d;
}

void escape_json(FILE *f, const char *s)
{
	size_t len = strlen(s);
	char small[256], *buf = small, *end;

	if (len > (sizeof small - 2) / 6) {
		buf = malloc(ESCAPE_JSON_MAX(len));
		if (!buf) {
			fputs("null", f);
			return;
		}
	}
	end = escape_json_mem(buf, s, len);
	fwrite(buf, 1, (size_t)(end - buf), f);
	if (buf != small)
		free(buf);
}
