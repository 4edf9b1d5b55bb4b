/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bitset: one bit per row, for marks a screen keeps on every row of a
 * long list (the VMA screen's "changed at the last refresh": 100,000
 * rows in 12.5 KB where a bool each took 100 KB). */
#ifndef VMSCOPE_UI_BITSET_H
#define VMSCOPE_UI_BITSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The 64-bit words that hold n bits. */
static inline size_t bitset_words(size_t n)
{
	return n / 64 + (n % 64 != 0);
}

static inline bool bitset_get(const uint64_t *b, size_t i)
{
	return b[i / 64] >> (i % 64) & 1;
}

/* Bit i set to v. */
static inline void bitset_put(uint64_t *b, size_t i, bool v)
{
	uint64_t m = UINT64_C(1) << (i % 64);

	b[i / 64] = v ? b[i / 64] | m : b[i / 64] & ~m;
}

/* The first n bits cleared (the whole words that hold them). */
static inline void bitset_clear(uint64_t *b, size_t n)
{
	memset(b, 0, bitset_words(n) * sizeof *b);
}

#endif
