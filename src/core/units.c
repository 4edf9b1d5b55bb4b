/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <inttypes.h>
#include <stdio.h>
#include "vmscope/units.h"

void units_size(char *buf, size_t n, uint64_t bytes)
{
	static const char units[] = "BKMGTPE";
	uint64_t unit = 1;
	unsigned u = 0;

	while (u < sizeof units - 2 && bytes / unit >= 1024) {
		unit <<= 10;
		u++;
	}
	if (u == 0) {
		snprintf(buf, n, "%" PRIu64 "B", bytes);
	} else if (bytes / unit < 10) {
		/* one decimal, rounded the way printf rounds, in integers so
		 * 16E and other values past 2^53 stay exact */
		uint64_t tenths = (bytes / unit) * 10 +
				  ((bytes % unit) * 10 + unit / 2) / unit;

		if (tenths >= 100)
			snprintf(buf, n, "10%c", units[u]);
		else
			snprintf(buf, n, "%" PRIu64 ".%" PRIu64 "%c",
				 tenths / 10, tenths % 10, units[u]);
	} else {
		uint64_t whole = bytes / unit + ((bytes % unit) >= unit / 2);

		if (whole >= 1024 && u < sizeof units - 2)
			snprintf(buf, n, "1.0%c", units[u + 1]);
		else
			snprintf(buf, n, "%" PRIu64 "%c", whole, units[u]);
	}
}
