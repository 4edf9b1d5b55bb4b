/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uitext: matching typed text (see uitext.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "uitext.h"

bool text_match(const char *hay, const char *needle)
{
	size_t nl = strlen(needle), i;

	if (!nl)
		return true;
	if (!hay)
		return false;
	for (; *hay; hay++) {
		for (i = 0; i < nl && hay[i]; i++)
			if (tolower((unsigned char)hay[i]) !=
			    tolower((unsigned char)needle[i]))
				break;
		if (i == nl)
			return true;
	}
	return false;
}

bool parse_addr(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	while (isspace((unsigned char)*s))
		s++;
	if (!isxdigit((unsigned char)*s))
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!isxdigit((unsigned char)*s))
		return false;
	if (strspn(s, "0123456789abcdefABCDEF") > 16)
		return false;
	v = strtoull(s, &end, 16);
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return false;
	*out = v;
	return true;
}
