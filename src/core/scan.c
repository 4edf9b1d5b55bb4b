/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan: a cursor over text that is not NUL-terminated, for the core's
 * line parsers (the boot log, /proc/iomem, vmallocinfo, kallsyms,
 * modules, the command line; the hex digits of maps).  Every function
 * reads only within [p, e). */
#include <ctype.h>
#include <string.h>
#include "scan.h"

static _Thread_local unsigned overflows;

unsigned scan_overflows(void)
{
	return overflows;
}

/* A number that does not fit: counted, and nothing of it read. */
static bool too_large(struct scan *s, const char *start)
{
	overflows++;
	s->p = start;
	return false;
}

void scan_ws(struct scan *s)
{
	while (s->p < s->e && (*s->p == ' ' || *s->p == '\t'))
		s->p++;
}

bool scan_lit(struct scan *s, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(s->e - s->p) < n || memcmp(s->p, lit, n))
		return false;
	s->p += n;
	return true;
}

bool scan_lit_ci(struct scan *s, const char *lit)
{
	size_t n = strlen(lit), i;

	if ((size_t)(s->e - s->p) < n)
		return false;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)s->p[i]) != tolower((unsigned char)lit[i]))
			return false;
	s->p += n;
	return true;
}

int scan_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits (no prefix), at least one, no overflow. */
bool scan_hexdigits(struct scan *s, uint64_t *v)
{
	uint64_t x = 0;
	const char *st = s->p;
	int d;

	while (s->p < s->e && (d = scan_hexval((unsigned char)*s->p)) >= 0) {
		if (x >> 60)
			return too_large(s, st);
		x = x << 4 | (uint64_t)d;
		s->p++;
	}
	if (s->p == st)
		return false;
	*v = x;
	return true;
}

/* Hex with an optional 0x. */
bool scan_hex(struct scan *s, uint64_t *v)
{
	struct scan save = *s;

	if (s->e - s->p >= 2 && s->p[0] == '0' && (s->p[1] == 'x' || s->p[1] == 'X'))
		s->p += 2;
	if (!scan_hexdigits(s, v)) {
		*s = save;
		return false;
	}
	return true;
}

bool scan_hex0x(struct scan *s, uint64_t *v)
{
	struct scan save = *s;

	if (!scan_lit(s, "0x") && !scan_lit(s, "0X"))
		return false;
	if (!scan_hexdigits(s, v)) {
		*s = save;
		return false;
	}
	return true;
}

bool scan_dec(struct scan *s, uint64_t *v)
{
	uint64_t x = 0;
	const char *st = s->p;

	while (s->p < s->e && *s->p >= '0' && *s->p <= '9') {
		unsigned d = (unsigned)(*s->p - '0');

		if (x > UINT64_MAX / 10 || (x == UINT64_MAX / 10 && d > UINT64_MAX % 10))
			return too_large(s, st);
		x = x * 10 + d;
		s->p++;
	}
	if (s->p == st)
		return false;
	*v = x;
	return true;
}

const char *scan_find(const char *p, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	while ((size_t)(e - p) >= n) {
		if (!memcmp(p, lit, n))
			return p;
		p++;
	}
	return NULL;
}

void scan_trim(const char **p, const char **e)
{
	while (*p < *e && isspace((unsigned char)**p))
		(*p)++;
	while (*e > *p && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

void scan_copy_trim(char *dst, size_t n, const char *p, const char *e)
{
	size_t len;

	scan_trim(&p, &e);
	len = (size_t)(e - p);
	if (len >= n)
		len = n - 1;
	memcpy(dst, p, len);
	dst[len] = '\0';
}

/* Next line of [*pos, end): sets [lp, le) without the newline (and a
 * trailing \r); returns false at the end. */
bool scan_next_line(const char **pos, const char *end, const char **lp,
		      const char **le, bool *terminated)
{
	const char *p = *pos, *nl;

	if (p >= end)
		return false;
	nl = memchr(p, '\n', (size_t)(end - p));
	*lp = p;
	*le = nl ? nl : end;
	*terminated = nl != NULL;
	*pos = nl ? nl + 1 : end;
	if (*le > *lp && (*le)[-1] == '\r')
		(*le)--;
	return true;
}

/* ---- the boot log ---- */
