/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uitext: what the screens match typed text with: case-insensitive
 * substrings (search, filter) and hex addresses. */
#ifndef VMSCOPE_UITEXT_H
#define VMSCOPE_UITEXT_H

#include <stdbool.h>
#include <stdint.h>

/* Case-insensitive substring; an empty needle matches, a NULL hay not. */
bool text_match(const char *hay, const char *needle);
/* A hex address, "0x7f.." or "7f..", up to 16 digits, nothing else. */
bool parse_addr(const char *s, uint64_t *out);

#endif
