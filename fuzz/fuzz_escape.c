/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: escape_text and escape_json, the functions every
 * process name and path goes through.  Asserts what the views rely on:
 * the text escape holds no control byte (C0, DEL, C1), no bidi control
 * or invisible formatting character and is valid UTF-8 at any buffer size, a truncated escape is a prefix of the full one,
 * and the JSON escape is one valid JSON string. */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bidi_Control and the invisible characters that matter most, listed
 * here apart from escape.c's own table so that a slip there shows. */
static bool bidi_or_invisible(uint32_t cp)
{
	return cp == 0x00ad || cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) ||
	       cp == 0xfeff || (cp >= 0xe0000 && cp <= 0xe007f);
}

/* Valid UTF-8 without C0, DEL, C1, bidi or invisible code points; len
 * bytes. */
static bool clean_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t n, k;

		if (c < 0x20 || c == 0x7f)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 4, cp = c & 0x07;
		else
			return false;
		if (i + n > len)
			return false;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
		    (cp >= 0x80 && cp <= 0x9f) || bidi_or_invisible(cp))
			return false;
		i += n;
	}
	return true;
}

/* One JSON string literal, exactly: quotes, escapes, no raw control
 * characters, valid UTF-8 inside. */
static bool json_string(const char *s, size_t len)
{
	size_t i;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return false;
	for (i = 1; i < len - 1; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (++i >= len - 1)
			return false;
		switch (s[i]) {
		case '"': case '\\': case '/': case 'b': case 'f':
		case 'n': case 'r': case 't':
			break;
		case 'u':
			if (i + 4 >= len - 1 ||
			    strspn(s + i + 1, "0123456789abcdefABCDEF") < 4)
				return false;
			i += 4;
			break;
		default:
			return false;
		}
	}
	/* raw bytes between the escapes must be valid UTF-8; DEL, C1 and
	 * bidi are legal JSON but the escape writes them as \uXXXX too */
	return clean_utf8((const unsigned char *)s + 1, len - 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	size_t need, n, got;
	char *full, *part, *js = NULL, *nul;
	size_t jlen = 0;
	FILE *f;

	need = escape_text(NULL, 0, src, size);
	full = malloc(need + 1);
	assert(full);
	assert(escape_text(full, need + 1, src, size) == need);
	assert(strlen(full) == need);
	assert(clean_utf8((unsigned char *)full, need));
	/* every smaller buffer: a clean prefix of the full escape */
	for (n = 1; n <= need && n <= 64; n++) {
		part = malloc(n);
		assert(part);
		assert(escape_text(part, n, src, size) == need);
		got = strlen(part);
		assert(got < n);
		assert(memcmp(part, full, got) == 0);
		assert(clean_utf8((unsigned char *)part, got));
		free(part);
	}
	free(full);

	/* escape_json and escape_dup take C strings: up to the first NUL */
	nul = malloc(size + 1);
	assert(nul);
	memcpy(nul, data, size);
	nul[size] = '\0';
	f = open_memstream(&js, &jlen);
	assert(f);
	escape_json(f, nul);
	fclose(f);
	assert(json_string(js, jlen));
	free(js);
	full = escape_dup(nul);
	assert(full && clean_utf8((unsigned char *)full, strlen(full)));
	free(full);
	free(nul);
	return 0;
}
