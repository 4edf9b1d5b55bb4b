/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kver: kernel release strings as comparable numbers. */
#include <stdio.h>
#include "vmscope/kver.h"

/* A decimal number of at most max at *p: its value, *p past it; -1 when
 * there is no digit or it is larger than max. */
static long number(const char **p, long max)
{
	const char *s = *p;
	long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
		s++;
	}
	*p = s;
	return v;
}

uint32_t kver_parse(const char *release)
{
	const char *p = release;
	long a, b, c = 0;

	if (!p)
		return KVER_UNKNOWN;
	a = number(&p, 255);
	if (a < 1 || *p != '.')
		return KVER_UNKNOWN;
	p++;
	b = number(&p, 255);
	if (b < 0)
		return KVER_UNKNOWN;
	if (*p == '.') {
		const char *q = p + 1;
		long v = number(&q, 1L << 30);

		if (v >= 0)
			c = v;
	}
	return KVER(a, b, c);
}

uint32_t kver_of_root(const struct vms_root *r)
{
	return r ? kver_parse(r->release) : KVER_UNKNOWN;
}

const char *kver_format(uint32_t v, char *buf, size_t n)
{
	if (v == KVER_UNKNOWN)
		snprintf(buf, n, "an unknown kernel");
	else if (v >> 24 == 2) /* 2.6.x: the third number is the release */
		snprintf(buf, n, "2.%u.%u", (unsigned)(v >> 16 & 0xff),
			 (unsigned)(v & 0xffff));
	else
		snprintf(buf, n, "%u.%u", (unsigned)(v >> 24),
			 (unsigned)(v >> 16 & 0xff));
	return buf;
}
