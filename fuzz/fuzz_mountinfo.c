/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: cgroups_parse_mountinfo, the memory-cgroup mounts
 * in /proc/self/mountinfo (v1 memory controller, cgroup2). */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/cgroups.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *mounts[4];
	int n, i, max;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* a small max too: the limit is part of the contract */
	max = size ? 1 + data[0] % 4 : 4;
	n = cgroups_parse_mountinfo(text, mounts, max);
	assert(n >= 0 && n <= max);
	for (i = 0; i < n; i++) {
		assert(mounts[i]);
		free(mounts[i]);
	}
	free(text);
	return 0;
}
