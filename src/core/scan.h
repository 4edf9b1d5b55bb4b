/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan: a cursor over one line of text that need not be NUL-terminated.
 * Internal to the core's parsers (bootlog*.c, kranges_proc.c,
 * vmas_parse.c).  A function that fails leaves the cursor where it was.
 * A number too large for 64 bits is never read in part: it fails, and
 * scan_overflows counts it, so a parser can name the line's error. */
#ifndef VMSCOPE_CORE_SCAN_H
#define VMSCOPE_CORE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scan {
	const char *p, *e;     /* what is left to read: [p, e) */
};

/* Skip spaces and tabs. */
void scan_ws(struct scan *s);
/* Take lit if the text starts with it (scan_lit_ci: in any case). */
bool scan_lit(struct scan *s, const char *lit);
bool scan_lit_ci(struct scan *s, const char *lit);
/* The value of a hex digit, -1 for any other character. */
int scan_hexval(int c);
/* Hex digits (no prefix), at least one, no overflow. */
bool scan_hexdigits(struct scan *s, uint64_t *v);
/* Hex with an optional 0x (scan_hex) or a required one (scan_hex0x). */
bool scan_hex(struct scan *s, uint64_t *v);
bool scan_hex0x(struct scan *s, uint64_t *v);
/* Decimal digits, at least one, no overflow. */
bool scan_dec(struct scan *s, uint64_t *v);
/* How many numbers too large for 64 bits the functions above met so far
 * (in this thread): compare before and after reading a line. */
unsigned scan_overflows(void);

/* The first lit in [p, e), or NULL. */
const char *scan_find(const char *p, const char *e, const char *lit);
/* Narrow [*p, *e) to leave out white space at both ends. */
void scan_trim(const char **p, const char **e);
/* [p, e) trimmed into dst, cut to fit n bytes, NUL-terminated. */
void scan_copy_trim(char *dst, size_t n, const char *p, const char *e);
/* Next line of [*pos, end): sets [lp, le) without the newline (and a
 * trailing \r); returns false at the end. */
bool scan_next_line(const char **pos, const char *end, const char **lp,
		    const char **le, bool *terminated);

#endif
