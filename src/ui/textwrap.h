/* SPDX-License-Identifier: GPL-3.0-or-later */
/* textwrap: text measured in display columns, broken into lines at
 * spaces, and cut with a mark that says more is there.  No curses: the
 * help, the detail panel, the message line and the table cells all use
 * it, and its unit test runs without a terminal. */
#ifndef VMSCOPE_TEXTWRAP_H
#define VMSCOPE_TEXTWRAP_H

#include <stdbool.h>
#include <stddef.h>

/* A line of a wrapped text: len bytes from text + off. */
struct textwrap_line {
	size_t off, len;
};

/* Columns of the UTF-8 text s (every byte one column when !utf8). */
int textwrap_width(const char *s, bool utf8);
/* Bytes of s that fit in width columns; *cols (may be NULL) gets the
 * columns they take. */
size_t textwrap_fit(const char *s, int width, bool utf8, int *cols);
/* Break text into lines of at most width columns, at spaces where a
 * line has one (a word longer than a line is cut).  Fills up to max
 * lines and returns how many the whole text needs (more than max: it
 * did not all fit). */
int textwrap_break(const char *text, int width, bool utf8,
		   struct textwrap_line *out, int max);
/* s cut to width columns into buf; when it does not fit, the end is
 * the mark ("…" in UTF-8, ">" otherwise) so the cut shows.  Returns
 * true when s was cut. */
bool textwrap_clip(const char *s, int width, bool utf8, char *buf,
		   size_t n);
/* The mark textwrap_clip ends a cut text with. */
const char *textwrap_mark(bool utf8);

#endif
