/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: kranges_parse_fw_memmap, one /sys/firmware/memmap/N
 * entry per input line group.  The input is split on NUL or newline into
 * start, end and type (as the three files' contents would be); up to 16
 * entries per input, then the map. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_kranges.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kranges k;
	char *copy = malloc(size + 1), *f[3], *p, *end;
	unsigned idx = 0;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	end = copy + size;
	kranges_init(&k);
	p = copy;
	while (p < end && idx < 16) {
		int i;

		for (i = 0; i < 3; i++) {
			char *q = p;

			while (q < end && *q && *q != '\n')
				q++;
			*q = '\0';
			f[i] = p;
			p = q < end ? q + 1 : end;
		}
		kranges_parse_fw_memmap(&k, idx++, f[0], f[1], f[2]);
	}
	fuzz_kranges_walk(&k, data, size);
	kranges_free(&k);
	free(copy);
	return 0;
}
