/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bootlog: the state of the boot log parser between lines, and the
 * parsers of its one-line forms, each in the file of its family.  Internal
 * to bootlog*.c; the contract is kranges_parse_bootlog in
 * include/vmscope/kranges.h. */
#ifndef VMSCOPE_CORE_BOOTLOG_H
#define VMSCOPE_CORE_BOOTLOG_H

#include <stdbool.h>
#include <stdint.h>
#include "vmscope/kranges.h"
#include "scan.h"

struct bootlog {
	struct kranges *k;
	unsigned line;
	const char *raw, *rawe;      /* the whole line, for the source */
	bool terminated;
	int in_layout;               /* after "Virtual kernel memory layout:" */
	char layout_last[40];
	int in_zones;                /* 1 "Zone ranges:", 2 "Zone PFN ranges:" */
	int in_oldnodes;             /* after "early_node_map[..] active PFN ranges" */
	int pool;                    /* index of the last reserved-memory pool */
	unsigned pool_line;
	int added;
	unsigned used;
	unsigned joined, join_first;  /* wrapped lines joined to the one before */
	unsigned unjoined, unjoined_first; /* wrapped-looking, left as they are */
};

/* Add a range from the current line (its source).  The index or -1. */
int bootlog_add(struct bootlog *b, enum krange_space sp,
		enum krange_kind kind, uint64_t s, uint64_t t,
		const char *name);
/* The same with an inclusive last address (to the top when it is
 * 0xffffffffffffffff). */
int bootlog_add_last(struct bootlog *b, enum krange_space sp,
		     enum krange_kind kind, uint64_t s, uint64_t last,
		     const char *name);
/* Why a line with a number too large for 64 bits is skipped. */
#define BOOTLOG_TOO_LARGE "number too large (more than 64 bits)"
/* Record the current line as one that could not be read. */
void bootlog_skip(struct bootlog *b, const char *reason);

/* "[mem 0xS-0xE]" with optional flags before the ']' ("window",
 * "64bit"): *start and the inclusive *last. */
bool bootlog_mem_bracket(struct scan *s, uint64_t *start, uint64_t *last);

/* The one-line forms: each reads the message [m, me) and returns 1 when
 * it was its kind of line (ranges added), 0 when not, -1 when it was but
 * could not be read (the caller records the skip). */
int bootlog_e820(struct bootlog *b, const char *m, const char *me);
int bootlog_mips_mem(struct bootlog *b, const char *m, const char *me);
/* "efi: memNN: ..." the EFI memory map, bootlog_efi.c */
int bootlog_efi(struct bootlog *b, const char *m, const char *me);
int bootlog_reserved(struct bootlog *b, const char *m, const char *me);
int bootlog_node(struct bootlog *b, const char *m, const char *me);
int bootlog_pci_acpi(struct bootlog *b, const char *m, const char *me);
/* The kernel's message of the line [p, e) behind its prefixes (level,
 * timestamp, syslog): *mp; true when there was such a prefix. */
bool bootlog_message(const char *p, const char *e, const char **mp);
/* Read one line (the parser's step). */
void bootlog_line(struct bootlog *b, const char *lp, const char *le);
/* The step over the line [lp, le) with the next line [np, ne) (np NULL at
 * the end): when the line is of a known form but cut, and the next line
 * is its rest wrapped by a mail client or a terminal, read the two as one
 * and return true (the next line is consumed); else read [lp, le) alone
 * and return false.  bootlog_wrap.c. */
bool bootlog_step(struct bootlog *b, const char *lp, const char *le,
		  const char *np, const char *ne);
/* The notes on the lines joined, and those that look wrapped but could
 * not be joined. */
void bootlog_wrap_notes(struct bootlog *b);
/* The architecture a log is of, from the lines only that architecture
 * prints ("CPU0 revision is:" MIPS, "riscv:" RISC-V ...): sets
 * k->bootlog_arch when not yet known.  bootlog_arch.c. */
void bootlog_arch_line(struct kranges *k, const char *m, const char *me);

/* Lines of a block: a zone of "Zone ranges:" / "Zone PFN ranges:", a
 * range of the old "early_node_map". */
int bootlog_zone(struct bootlog *b, const char *m, const char *me);
int bootlog_oldnode(struct bootlog *b, const char *m, const char *me);

#endif
