/* SPDX-License-Identifier: GPL-3.0-or-later */
/* draw: text clipped to display columns, untrusted text escaped first,
 * UTF-8 line drawing with an ASCII fallback, and number formatting. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draw.h"
#include "textwrap.h"
#include "vmscope/escape.h"

static bool use_utf8;

void draw_setup(bool utf8)
{
	use_utf8 = utf8;
}

bool draw_utf8(void)
{
	return use_utf8;
}

/* Bytes of s that fit in width columns; *cols gets the columns used.
 * Outside UTF-8 every non-ASCII byte counts one column (drawn as '?'). */
static size_t fit_bytes(const char *s, int width, int *cols)
{
	return textwrap_fit(s, width, use_utf8, cols);
}

int text_width(const char *s)
{
	int cols;

	fit_bytes(s, INT32_MAX, &cols);
	return cols;
}

size_t draw_defuse(char *buf, size_t n, const char *s, size_t len)
{
	size_t i, w = 0, u, k;

	if (n == 0)
		return 0;
	for (i = 0; i < len; i += u ? u : k) {
		unsigned char c = (unsigned char)s[i];

		u = escape_unsafe_len(s + i, len - i);
		/* a safe unit: ASCII, or valid UTF-8 of the lead's length */
		k = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (w + (u ? 1 : k) >= n)
			break;
		if (u)
			buf[w++] = '?';
		else
			memcpy(buf + w, s + i, k), w += k;
	}
	buf[w] = '\0';
	return w;
}

/* s, or a copy in buf (draw_defuse) when s holds a unit to defuse or is
 * longer than any line. */
static const char *defuse(const char *s, char *buf, size_t n)
{
	size_t len = strlen(s), i, u, k;

	for (i = 0; i < len && len < n; i += u ? u : k) {
		unsigned char c = (unsigned char)s[i];

		if ((u = escape_unsafe_len(s + i, len - i)) > 0)
			break;
		k = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	}
	if (i >= len)
		return s;
	draw_defuse(buf, n, s, len);
	return buf;
}

int draw_text(int y, int x, int width, attr_t a, const char *s, bool pad)
{
	int cols = 0, maxx = getmaxx(stdscr), maxy = getmaxy(stdscr);
	char safe[4096];
	size_t nb;

	if (y < 0 || y >= maxy || x < 0 || x >= maxx || width <= 0)
		return 0;
	s = defuse(s, safe, sizeof safe);
	if (x + width > maxx)
		width = maxx - x;
	nb = fit_bytes(s, width, &cols);
	attrset(a);
	if (use_utf8) {
		mvaddnstr(y, x, s, (int)nb);
	} else {
		size_t i;

		move(y, x);
		for (i = 0; i < nb; i++) {
			unsigned char ch = (unsigned char)s[i];

			addch(ch < 0x80 && ch >= 0x20 ? ch : '?');
		}
	}
	if (pad && cols < width) {
		int i;

		for (i = cols; i < width; i++)
			mvaddch(y, x + i, ' ');
		cols = width;
	}
	attrset(A_NORMAL);
	return cols;
}

int draw_untrusted(int y, int x, int width, attr_t a, const char *s,
		   bool pad)
{
	char buf[1024];

	escape_text(buf, sizeof buf, s ? s : "", s ? strlen(s) : 0);
	return draw_text(y, x, width, a, buf, pad);
}

int draw_fmt(int y, int x, int width, attr_t a, bool pad, const char *fmt,
	     ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return draw_text(y, x, width, a, buf, pad);
}

int draw_fmt_cut(int y, int x, int width, attr_t a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return draw_text_cut(y, x, width, a, buf);
}

void draw_fill(int y, int x, int width, attr_t a)
{
	draw_text(y, x, width, a, "", true);
}

void draw_hline(int y, int x, int width, attr_t a)
{
	int maxx = getmaxx(stdscr);

	if (y < 0 || y >= getmaxy(stdscr) || x < 0 || x >= maxx || width <= 0)
		return;
	if (x + width > maxx)
		width = maxx - x;
	attrset(a);
	if (use_utf8)
		mvhline_set(y, x, WACS_HLINE, width);
	else
		mvhline(y, x, '-', width);
	attrset(A_NORMAL);
}

void draw_box(int y, int x, int h, int w, attr_t a)
{
	int i;

	if (h < 2 || w < 2)
		return;
	attrset(a);
	if (use_utf8) {
		mvadd_wch(y, x, WACS_ULCORNER);
		mvadd_wch(y, x + w - 1, WACS_URCORNER);
		mvadd_wch(y + h - 1, x, WACS_LLCORNER);
		mvadd_wch(y + h - 1, x + w - 1, WACS_LRCORNER);
		mvhline_set(y, x + 1, WACS_HLINE, w - 2);
		mvhline_set(y + h - 1, x + 1, WACS_HLINE, w - 2);
		for (i = 1; i < h - 1; i++) {
			mvadd_wch(y + i, x, WACS_VLINE);
			mvadd_wch(y + i, x + w - 1, WACS_VLINE);
		}
	} else {
		mvaddch(y, x, '+');
		mvaddch(y, x + w - 1, '+');
		mvaddch(y + h - 1, x, '+');
		mvaddch(y + h - 1, x + w - 1, '+');
		mvhline(y, x + 1, '-', w - 2);
		mvhline(y + h - 1, x + 1, '-', w - 2);
		for (i = 1; i < h - 1; i++) {
			mvaddch(y + i, x, '|');
			mvaddch(y + i, x + w - 1, '|');
		}
	}
	attrset(A_NORMAL);
}

void fmt_addr(char *buf, size_t n, uint64_t a, int digits)
{
	snprintf(buf, n, "%0*llx", digits, (unsigned long long)a);
}

/* Break text into lines of at most width columns at spaces; returns the
 * number of lines written (up to max), each NUL-terminated in lines[i]. */
int wrap_text(const char *text, int width, char lines[][256], int max)
{
	struct textwrap_line l[64];
	int i, n;

	if (width < 8)
		width = 8;
	if (width > 255)
		width = 255;
	if (max > 64)
		max = 64;
	n = textwrap_break(text, width, use_utf8, l, max);
	if (n > max)
		n = max;
	for (i = 0; i < n; i++) {
		size_t len = l[i].len > 255 ? 255 : l[i].len;

		memcpy(lines[i], text + l[i].off, len);
		lines[i][len] = '\0';
	}
	return n;
}

int draw_wrapped(int y, int x, int width, int max_lines, attr_t a,
		 const char *text)
{
	struct textwrap_line l[64];
	char line[1024];
	int i, n;

	if (max_lines > 64)
		max_lines = 64;
	if (max_lines <= 0 || width <= 0)
		return 0;
	n = textwrap_break(text, width, use_utf8, l, max_lines);
	for (i = 0; i < n && i < max_lines; i++) {
		size_t len = l[i].len < sizeof line ? l[i].len : sizeof line - 1;

		memcpy(line, text + l[i].off, len);
		line[len] = '\0';
		if (i == max_lines - 1 && n > max_lines) {
			/* the last line that fits shows that more is cut */
			char cut[1024];

			snprintf(cut, sizeof cut, "%s%s", line, text + l[i].off + len);
			textwrap_clip(cut, width, use_utf8, line, sizeof line);
		}
		draw_text(y + i, x, width, a, line, true);
	}
	return i;
}

int wrapped_lines(const char *text, int width)
{
	struct textwrap_line l[1];

	return textwrap_break(text, width, use_utf8, l, 0);
}

int draw_text_cut(int y, int x, int width, attr_t a, const char *s)
{
	char buf[1024];

	textwrap_clip(s, width, use_utf8, buf, sizeof buf);
	return draw_text(y, x, width, a, buf, false);
}

int draw_text_tail(int y, int x, int width, attr_t a, const char *s)
{
	const char *p = s;
	int lead = 1;

	if (width <= 1 || text_width(s) <= width)
		return draw_text(y, x, width, a, s, false);
	/* drop characters from the front until the rest fits after "..." */
	while (*p && text_width(p) > width - lead) {
		p++;
		while (((unsigned char)*p & 0xc0) == 0x80)
			p++;
	}
	draw_text(y, x, 1, a, use_utf8 ? "\xe2\x80\xa6" : "~", false);
	return 1 + draw_text(y, x + 1, width - 1, a, p, false);
}
