/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: kranges_parse_kallsyms (/proc/kallsyms), then the
 * map. */
#include <stddef.h>
#include <stdint.h>
#include "fuzz_kranges.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kranges k;
	const char *text = (const char *)data;

	kranges_init(&k);
	kranges_parse_kallsyms(&k, text, size);
	fuzz_kranges_walk(&k, data, size);
	kranges_free(&k);
	return 0;
}
