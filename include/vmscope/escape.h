/* SPDX-License-Identifier: GPL-3.0-or-later */
/* escape: untrusted text (comm, paths) made safe for a terminal or JSON. */
#ifndef VMSCOPE_ESCAPE_H
#define VMSCOPE_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Whether code point cp is one a terminal does not show as itself, and
 * so is escaped: the C1 controls U+0080-U+009F; Unicode's Bidi_Control
 * set (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069), which
 * reorders the text around it; its Default_Ignorable_Code_Point set
 * (U+00AD soft hyphen, U+200B-U+200D zero width characters, U+2060-U+206F,
 * U+FEFF, variation selectors, tags, ...), drawn as nothing, so that two
 * names look the same; U+2028/U+2029, which break the line; and the
 * interlinear annotation controls U+FFF9-U+FFFB.  The price: an emoji
 * built with a zero width joiner or a variation selector shows its
 * joiner escaped. */
bool escape_hidden_cp(uint32_t cp);

/* Bytes at s (len available) that escape_text would escape as one unit:
 * 1 for a C0 control, DEL or a byte that starts no valid UTF-8; the
 * sequence's length for a hidden code point (escape_hidden_cp); 0 when
 * s starts with printable text.  For a second line of defence where
 * text is drawn. */
size_t escape_unsafe_len(const char *s, size_t len);

/* Copy src (len bytes, may contain NULs) into dst (size n, always
 * NUL-terminated), escaping for a terminal: C0 control characters, DEL,
 * backslash and invalid UTF-8 become \n, \t, \e, \\, \xHH; the code
 * points of escape_hidden_cp (C1, bidi, invisible) become the \xHH of
 * each of their UTF-8 bytes (U+202E is \xe2\x80\xae); the rest of valid
 * UTF-8 passes through.  Returns the length the full
 * escaped text needs (like snprintf), so callers can detect truncation. */
size_t escape_text(char *dst, size_t n, const char *src, size_t len);

/* Convenience: escape a NUL-terminated string into a malloc'd buffer.
 * Returns NULL only on allocation failure. */
char *escape_dup(const char *s);

/* Write s as a JSON string literal (with quotes) to f: control
 * characters and the code points of escape_hidden_cp as \uXXXX (a
 * surrogate pair beyond U+FFFF), invalid UTF-8 bytes as \u00XX of the
 * byte (so the output always stays valid JSON and nothing is lost). */
void escape_json(FILE *f, const char *s);
/* The same literal written to dst, which has room for
 * ESCAPE_JSON_MAX(len) bytes; s is len bytes.  Returns the end. */
#define ESCAPE_JSON_MAX(len) (6 * (len) + 2)
char *escape_json_mem(char *dst, const char *s, size_t len);

#endif
