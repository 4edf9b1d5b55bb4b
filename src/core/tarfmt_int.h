/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tarfmt_int: what the tarfmt*.c files share (header fields), nothing
 * public. */
#ifndef VMSCOPE_TARFMT_INT_H
#define VMSCOPE_TARFMT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Offsets in a header block. */
enum {
	TH_NAME = 0, TH_MODE = 100, TH_UID = 108, TH_GID = 116,
	TH_SIZE = 124, TH_MTIME = 136, TH_CHKSUM = 148, TH_TYPE = 156,
	TH_MAGIC = 257, TH_UNAME = 265, TH_GNAME = 297, TH_PREFIX = 345,
	TH_SPARSE = 386,      /* old GNU: 4 slots of offset[12] numbytes[12] */
	TH_ISEXT = 482, TH_REALSIZE = 483,
	TH_EXT_ISEXT = 504,   /* an extension block: 21 slots, then this */
};
#define TH_SPARSE_SLOTS 4
#define TH_EXT_SLOTS 21

/* An unsigned number into a field of w bytes: octal with a NUL when it
 * fits, else GNU base-256. */
void tarfmt_put_num(char *f, size_t w, uint64_t v);
/* A number field: octal (leading spaces, ended by NUL or space) or
 * base-256.  -1 when malformed or negative. */
int tarfmt_get_num(const char *f, size_t w, uint64_t *out);
/* The header's checksum, unsigned; *ssum (if not NULL) the signed sum
 * some old writers used. */
unsigned tarfmt_header_sum(const unsigned char *h, int *ssum);

struct tarfmt_index;
/* True when some member's name is below name ("name/..."). */
bool tarfmt_has_below(const struct tarfmt_index *idx, const char *name);
/* src (len bytes, untrusted) escaped into buf for a message. */
const char *tarfmt_shown(const char *src, char *buf, size_t n);

#endif
