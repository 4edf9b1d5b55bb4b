/* SPDX-License-Identifier: GPL-3.0-or-later */
/* draw: text on stdscr clipped to a width, escaped when it is untrusted,
 * boxes and lines in UTF-8 or ASCII, and the width and wrapping of
 * text. */
#ifndef VMSCOPE_DRAW_H
#define VMSCOPE_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "uicurses.h"

void draw_setup(bool utf8);
bool draw_utf8(void);
/* Text already safe for the terminal (escaped or ours), clipped to
 * width columns; pad with spaces to width when pad.  Returns columns.
 * Whatever would still upset the terminal (a control, bidi or invisible
 * character, invalid UTF-8) is drawn as '?' (draw_defuse). */
int draw_text(int y, int x, int width, attr_t a, const char *s, bool pad);
/* s (len bytes) into buf (size n, NUL-terminated, cut at a whole unit)
 * with each unit escape_text would escape replaced by one '?': for text
 * shown as typed (the command line).  Returns the bytes written. */
size_t draw_defuse(char *buf, size_t n, const char *s, size_t len);
/* Like draw_text, but when s is too wide keep its end (paths). */
int draw_text_tail(int y, int x, int width, attr_t a, const char *s);
/* Untrusted process text: escaped (escape_text) then drawn. */
int draw_untrusted(int y, int x, int width, attr_t a, const char *s,
		   bool pad);
void draw_fill(int y, int x, int width, attr_t a);
void draw_hline(int y, int x, int width, attr_t a);
void draw_box(int y, int x, int h, int w, attr_t a);
/* printf into a buffer then draw_text. */
int draw_fmt(int y, int x, int width, attr_t a, bool pad, const char *fmt,
	     ...) __attribute__((format(printf, 6, 7)));
/* Display columns of a UTF-8 string. */
int text_width(const char *s);
/* Word-wrap text into up to max lines of width columns; returns the
 * number of lines. */
int wrap_text(const char *text, int width, char lines[][256], int max);
/* text word-wrapped at x over up to max_lines rows of width columns,
 * each padded; when it needs more, the last row ends in the cut mark.
 * Returns the rows drawn. */
int draw_wrapped(int y, int x, int width, int max_lines, attr_t a,
		 const char *text);
/* The rows text needs, wrapped to width. */
int wrapped_lines(const char *text, int width);
/* Trusted text clipped to width with a mark (textwrap_clip) when cut. */
int draw_text_cut(int y, int x, int width, attr_t a, const char *s);
/* printf into a buffer then draw_text_cut: a cut shows its mark. */
int draw_fmt_cut(int y, int x, int width, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Hex address with at least digits digits (no 0x). */
void fmt_addr(char *buf, size_t n, uint64_t a, int digits);

#endif
