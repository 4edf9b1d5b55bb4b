/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: root_parse_conf, the snapshot's
 * vmscope-snapshot.conf (a file from another machine), then
 * root_describe as the headers use it. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "vmscope/root.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vms_root r;
	struct vms_err e;
	char desc[512];

	memset(&r, 0, sizeof r);
	snprintf(r.path, sizeof r.path, "fuzz");
	if (root_parse_conf(&r, (const char *)data, size, &e) < 0)
		return 0;
	assert(r.page_size >= 512 && r.page_size <= (1u << 20));
	assert((r.page_size & (r.page_size - 1)) == 0);
	assert(1u << r.page_shift == r.page_size);
	assert(r.addr_bits == 32 || r.addr_bits == 64);
	assert(memchr(r.arch, '\0', sizeof r.arch));
	assert(memchr(r.release, '\0', sizeof r.release));
	assert(memchr(r.hostname, '\0', sizeof r.hostname));
	assert(memchr(r.taken, '\0', sizeof r.taken));
	root_describe(&r, desc, sizeof desc);
	(void)root_addr_width(&r);
	return 0;
}
