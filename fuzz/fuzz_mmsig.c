/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: mmsig_from_text, the reader of /proc/PID/stat,
 * /proc/PID/status and /proc/vmstat behind the live page map's
 * fingerprint.  The input is the three texts separated by NUL bytes (a
 * missing vmstat is NULL).  Asserts that the same texts always give the
 * same fingerprint. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/mmsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3), *stat, *status, *vmstat, *end;
	struct vms_err e;
	uint64_t a, b;
	int ra, rb;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	end = buf + size;
	stat = buf;
	status = stat + strlen(stat) + 1;
	vmstat = status <= end ? status + strlen(status) + 1 : NULL;
	if (status > end)
		status = end;   /* "" */
	if (vmstat && vmstat > end)
		vmstat = NULL;
	ra = mmsig_from_text(stat, status, vmstat, &a, &e);
	rb = mmsig_from_text(stat, status, vmstat, &b, &e);
	assert(ra == rb);
	assert(ra < 0 || a == b);
	assert(ra == 0 || e.code == VMS_EFORMAT);
	free(buf);
	return 0;
}
