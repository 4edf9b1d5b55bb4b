/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include "outbuf.h"

void outbuf_init(struct outbuf *o, FILE *f)
{
	o->f = f;
	o->len = 0;
	o->failed = false;
	o->drains = 0;
	o->b = malloc(OUTBUF_SIZE);
}

void outbuf_drain(struct outbuf *o)
{
	o->drains++;
	if (o->len && fwrite(o->b, 1, o->len, o->f) != o->len)
		o->failed = true;
	o->len = 0;
}

int outbuf_flush(struct outbuf *o)
{
	if (o->b)
		outbuf_drain(o);
	if (fflush(o->f) != 0 || ferror(o->f))
		o->failed = true;
	return o->failed ? -1 : 0;
}

int outbuf_free(struct outbuf *o)
{
	int rc = outbuf_flush(o);

	free(o->b);
	o->b = NULL;
	return rc;
}

void outbuf_put(struct outbuf *o, const char *s, size_t n)
{
	char *d;

	if (!o->b || n > OUTBUF_SIZE / 2) {
		if (o->b)
			outbuf_drain(o);
		if (n && fwrite(s, 1, n, o->f) != n)
			o->failed = true;
		return;
	}
	d = outbuf_room(o, n);
	memcpy(d, s, n);
	o->len += n;
}

char *outbuf_fmt_hex(char *dst, uint64_t v, int width)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	int n = 0, i;

	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	for (i = n; i < width; i++)
		*dst++ = '0';
	while (n)
		*dst++ = tmp[--n];
	return dst;
}

char *outbuf_fmt_dec(char *dst, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*dst++ = tmp[--n];
	return dst;
}

char *outbuf_fmt_left(char *dst, const char *s, size_t n, int width)
{
	memcpy(dst, s, n);
	dst += n;
	for (; (int)n < width; n++)
		*dst++ = ' ';
	return dst;
}
