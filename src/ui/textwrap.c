/* SPDX-License-Identifier: GPL-3.0-or-later */
/* textwrap: display columns, line breaking and cut marks (textwrap.h). */
#include <stdint.h>
#include <string.h>
#include <wchar.h>
#include "textwrap.h"

size_t textwrap_fit(const char *s, int width, bool utf8, int *cols)
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

		if (ch < 0x80 || !utf8) {
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
	if (cols)
		*cols = c;
	return i;
}

int textwrap_width(const char *s, bool utf8)
{
	int cols;

	textwrap_fit(s, INT32_MAX, utf8, &cols);
	return cols;
}

int textwrap_break(const char *text, int width, bool utf8,
		   struct textwrap_line *out, int max)
{
	const char *p = text;
	int nl = 0;

	if (width < 1)
		width = 1;
	while (*p == ' ')
		p++;
	while (*p) {
		size_t nb = textwrap_fit(p, width, utf8, NULL), cut = nb, len;

		if (nb == 0)
			nb = cut = 1;   /* a character wider than the line */
		if (p[nb] && p[nb] != ' ') {
			/* back up to the last space, if the line has one */
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = nb;
		}
		len = cut;
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (nl < max) {
			out[nl].off = (size_t)(p - text);
			out[nl].len = len;
		}
		nl++;
		p += cut;
		while (*p == ' ')
			p++;
	}
	return nl;
}

const char *textwrap_mark(bool utf8)
{
	return utf8 ? "\xe2\x80\xa6" : ">";
}

bool textwrap_clip(const char *s, int width, bool utf8, char *buf, size_t n)
{
	size_t nb;

	if (!n)
		return false;
	buf[0] = '\0';
	if (width <= 0)
		return *s != '\0';
	if (textwrap_width(s, utf8) <= width) {
		nb = strlen(s);
		if (nb >= n)
			nb = n - 1;
		memcpy(buf, s, nb);
		buf[nb] = '\0';
		return false;
	}
	nb = textwrap_fit(s, width - 1, utf8, NULL);
	/* no blank right before the mark: it would hide that it is a cut */
	while (nb > 0 && s[nb - 1] == ' ')
		nb--;
	if (nb + 4 > n)
		nb = n > 4 ? n - 4 : 0;
	memcpy(buf, s, nb);
	strcpy(buf + nb, textwrap_mark(utf8));
	return true;
}
