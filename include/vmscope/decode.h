/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decode: what `vmscope decode` and the explorer's :decode share: scan
 * a pasted kernel message (oops.h), choose the architecture and mode
 * (the command's options, else what the message's formats say, else the
 * root's), decode every entry (pte.h), place it on the root's map when
 * the message is from a machine of the root's architecture, and name
 * the mistakes (ptecheck.h).  decode_format gives the result as lines
 * of text for a person; the caller escapes them for its output. */
#ifndef VMSCOPE_DECODE_H
#define VMSCOPE_DECODE_H

#include <stdbool.h>
#include "vmscope/err.h"
#include "vmscope/kranges.h"
#include "vmscope/oops.h"
#include "vmscope/pte.h"
#include "vmscope/ptecheck.h"
#include "vmscope/root.h"

struct decode_opts {
	const char *arch, *mode;  /* NULL: from the message or the root */
	unsigned phys_bits;       /* --phys-bits, 0: unknown */
	const char *kernel;       /* "5.18": the kernel's release */
	const char *level;        /* the level of bare numbers, NULL: pte */
	bool no_map;              /* do not read the root's map */
	struct kranges_opts ko;   /* how to read it */
};

struct decode_item {
	struct oops_entry src;
	struct pte_entry pte;
	struct ptecheck_result chk;
};

struct decode_result {
	struct oops_report oops;
	struct pte_fmt fmt;
	char arch_from[160];      /* why this architecture */
	char pa_from[64];         /* the physical address width and whence,
	                           * "" unknown */
	bool map_used;            /* entries were placed on the root's map */
	char map_why[200];        /* why not, or which map */
	struct kranges k;
	bool k_loaded;
	struct decode_item item[OOPS_MAX_ENTRIES];
	size_t n;
};

/* Decode text.  -1 with e on a bad option (unknown arch or mode) or when
 * the map cannot be read for want of memory; a text without values gives
 * 0 and res->n == 0. */
int decode_run(const struct vms_root *r, const char *text, size_t len,
	       const struct decode_opts *o, struct decode_result *res,
	       struct vms_err *e);
void decode_free(struct decode_result *res);

/* The format of the root's own entries: its architecture, arm64's
 * granule from its page size, its kernel release; the modes the root
 * does not tell (PAE, LPAE, Sv48/57, 5-level) are each one's default. */
void decode_root_fmt(const struct vms_root *r, struct pte_fmt *f);

/* The result as lines of text (no newline), each given to line(ctx, s).
 * Lines may hold untrusted text (range names, the message's words). */
void decode_format(const struct decode_result *res,
		   void (*line)(void *ctx, const char *s), void *ctx);

#endif
