/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages_rows: the lines (or JSON objects) of `vmscope pages`: a page, or
 * a run of pages that read the same (not-present, gap, hole), into one
 * large output buffer, numbers formatted by hand, each cgroup path and
 * each set of flags escaped and formatted once. */
#ifndef VMSCOPE_CLI_PAGES_ROWS_H
#define VMSCOPE_CLI_PAGES_ROWS_H

#include "cli.h"
#include "json.h"
#include "util.h"
#include "outbuf.h"
#include "vmscope/pages.h"

/* A gap VMA's physical addresses, where known: phys0 is at vaddr0. */
struct gap_rows {
	uint64_t vaddr0, phys0;
	char source[160];   /* a copy: the lookup's own result is gone */
};

#define PAGES_ROWS_MEMO 64

struct pages_rows {
	const struct cli_opts *o;
	struct pages_ctx *c;
	struct outbuf ob;
	struct json j;
	int w;                 /* hex digits of an address */
	struct { uint64_t ino; char *text; size_t len; } cg[PAGES_ROWS_MEMO];
	struct { uint64_t kflags, key; char *text; size_t len; } fl[PAGES_ROWS_MEMO];
	struct page_json_memo jm;  /* --json */
};

/* Output to stdout for the pages of c, addresses w hex digits wide:
 * 0, or -1 out of memory. */
int pages_rows_open(struct pages_rows *pr, struct pages_ctx *c,
		    const struct cli_opts *o, int w);
/* Everything written: 0, or -1 when a write failed. */
int pages_rows_close(struct pages_rows *pr);

/* One page; gp: the physical address of a gap page, or NULL. */
void pages_rows_page(struct pages_rows *pr, const struct page_info *p,
		     const struct gap_rows *gp);
/* The pages from p->vaddr up to end, all in p->state (not-present, gap,
 * hole) with the pagemap entry p->pm: one line. */
void pages_rows_run(struct pages_rows *pr, const struct page_info *p,
		    uint64_t end, const struct gap_rows *gp);

#endif
