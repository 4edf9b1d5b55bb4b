/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/escape.h"

/* Length of the valid, printable UTF-8 sequence at s (at most len bytes),
 * or 0 when the bytes are not one (invalid, overlong, surrogate, or a C1
 * control character U+0080-U+009F). */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
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

static char *put_u4(char *d, unsigned v)
{
	static const char hex[] = "0123456789abcdef";

	*d++ = '\\';
	*d++ = 'u';
	*d++ = '0';
	*d++ = '0';
	*d++ = hex[(v >> 4) & 15];
	*d++ = hex[v & 15];
	return d;
}

char *escape_json_mem(char *d, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	*d++ = '"';
	while (i < len) {
		unsigned char c = p[i];
		size_t u;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*d++ = (char)c;  /* the common case: printable ASCII */
			i++;
			continue;
		}
		if (c == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f) {
			/* a C1 control character (U+0080-U+009F) */
			d = put_u4(d, p[i + 1]);
			i += 2;
			continue;
		}
		if (c >= 0x80) {
			u = utf8_seq(p + i, len - i);
			if (u) {
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
