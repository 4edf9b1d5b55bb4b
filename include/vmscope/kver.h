/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kver: a kernel release string ("3.4.113-sun7i+", "6.18.44") as one
 * number that compares the way versions do, so that formats that changed
 * between kernels (pagemap's bits 55-60, kpageflags) can be read as the
 * root's kernel wrote them. */
#ifndef VMSCOPE_KVER_H
#define VMSCOPE_KVER_H

#include <stddef.h>
#include <stdint.h>
#include "vmscope/root.h"

/* Version a.b.c as a comparable number (c saturates at 65535). */
#define KVER(a, b, c) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
		       (uint32_t)((c) > 65535 ? 65535 : (c)))
/* The version could not be read: readers take today's formats. */
#define KVER_UNKNOWN 0u

/* "MAJOR.MINOR[.PATCH]" at the start of release, whatever follows
 * ("-sun7i+", "-5-686", ".27" of 2.6.32.27); KVER_UNKNOWN for anything
 * else (NULL, empty, "garbage", "6", "0.9"). */
uint32_t kver_parse(const char *release);

/* The version of the root's kernel: uname live, kernel_release of the
 * snapshot's conf otherwise. */
uint32_t kver_of_root(const struct vms_root *r);

/* "3.4" (major.minor, how the kernel's documentation names versions;
 * "2.6.32" for 2.6 kernels), or
 * "an unknown kernel" for KVER_UNKNOWN.  Returns buf. */
const char *kver_format(uint32_t v, char *buf, size_t n);

#endif
