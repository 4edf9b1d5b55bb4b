/* SPDX-License-Identifier: GPL-3.0-or-later */
/* draw: text clipped to display columns, untrusted text escaped first,
 * UTF-8 line drawing with an ASCII fallback, and number formatting. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "draw.h"
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
	size_t i = 0, len = strlen(s);
	int c = 0;
	mbstate_t st;

	memset(&st, 0, sizeof st);
	while (i < len && c < width) {
		unsigned char ch = (unsigned char)s[i];
		wchar_t wc;
		size_t k;
		int w;

		if (ch < 0x80 || !use_utf8) {
			i++;
			c++;
			continue;
		}
		k = mbrtowc(&wc, s + i, len - i, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof st);
			i++;
			c++;
			continue;
		}
		w = wcwidth(wc);
		if (w < 0)
			w = 1;
		if (c + w > width)
			break;
		c += w;
		i += k;
	}
	*cols = c;
	return i;
}

int text_width(const char *s)
{
	int cols;

	fit_bytes(s, INT32_MAX, &cols);
	return cols;
}

int draw_text(int y, int x, int width, attr_t a, const char *s, bool pad)
{
	int cols = 0, maxx = getmaxx(stdscr), maxy = getmaxy(stdscr);
	size_t nb;

	if (y < 0 || y >= maxy || x < 0 || x >= maxx || width <= 0)
		return 0;
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
 * number of lines written (up to max), each NUL-terminated in lines[i]
 * (size n each). */
int wrap_text(const char *text, int width, char lines[][256], int max)
{
	int nl = 0;
	const char *p = text;

	if (width < 8)
		width = 8;
	if (width > 255)
		width = 255;
	while (*p && nl < max) {
		int cols;
		size_t nb = fit_bytes(p, width, &cols), cut = nb;

		if (p[nb]) {
			/* back up to the last space, if there is one */
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = nb;
		}
		if (cut > 255)
			cut = 255;
		memcpy(lines[nl], p, cut);
		lines[nl][cut] = '\0';
		nl++;
		p += cut;
		while (*p == ' ')
			p++;
	}
	return nl;
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
