/* SPDX-License-Identifier: GPL-3.0-or-later */
/* escape: untrusted text (comm, paths) made safe for a terminal or JSON. */
#ifndef VMSCOPE_ESCAPE_H
#define VMSCOPE_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Copy src (len bytes, may contain NULs) into dst (size n, always
 * NUL-terminated), escaping for a terminal: C0/C1 control characters,
 * DEL, backslash and invalid UTF-8 become \n, \t, \e, \\, \xHH; valid
 * UTF-8 printable text passes through.  Returns the length the full
 * escaped text needs (like snprintf), so callers can detect truncation. */
size_t escape_text(char *dst, size_t n, const char *src, size_t len);

/* Convenience: escape a NUL-terminated string into a malloc'd buffer.
 * Returns NULL only on allocation failure. */
char *escape_dup(const char *s);

/* Write s as a JSON string literal (with quotes) to f: control
 * characters as \uXXXX, invalid UTF-8 bytes as \u00XX of the byte (so
 * the output always stays valid JSON and nothing is lost). */
void escape_json(FILE *f, const char *s);
/* The same literal written to dst, which has room for
 * ESCAPE_JSON_MAX(len) bytes; s is len bytes.  Returns the end. */
#define ESCAPE_JSON_MAX(len) (6 * (len) + 2)
char *escape_json_mem(char *dst, const char *s, size_t len);

#endif
