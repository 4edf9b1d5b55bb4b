/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: kranges_parse_cmdline (the kernel command line:
 * memmap=, mem=), then the map. */
#include <stddef.h>
#include <stdint.h>
#include "fuzz_kranges.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kranges k;
	const char *text = (const char *)data;

	kranges_init(&k);
	kranges_parse_cmdline(&k, text, size, KSRC_CMDLINE, 1);
	fuzz_kranges_walk(&k, data, size);
	kranges_free(&k);
	return 0;
}
