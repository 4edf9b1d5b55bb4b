/* SPDX-License-Identifier: GPL-3.0-or-later */
/* units: one way to print a size, for screens, text output and messages. */
#ifndef VMSCOPE_UNITS_H
#define VMSCOPE_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* bytes as "0B", "512B", "4.0K", "1.5M", "12G", "16E": binary units, one
 * decimal below 10, none above.  buf of 8 bytes is always enough. */
void units_size(char *buf, size_t n, uint64_t bytes);

#endif
