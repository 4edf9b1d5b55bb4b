/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util: what the batch commands share: argument parsing, messages,
 * formatting of sizes, escaped names and page rows. */
#ifndef VMSCOPE_CLI_UTIL_H
#define VMSCOPE_CLI_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "vmscope/err.h"
#include "vmscope/kranges.h"
#include "vmscope/pages.h"
#include "vmscope/root.h"
#include "vmscope/vmas.h"
#include "json.h"

/* A range merged from many sources (a log of many boots) lists the first
 * this many in text output; --json lists every one. */
#define CLI_MAX_SOURCES 6

void util_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "CMD: unexpected 'ARG' (usage: USAGE)", ARG escaped. */
void util_unexpected(const char *cmd, const char *arg, const char *usage);
/* A PID argument: decimal, 1..INT_MAX.  Prints the error itself. */
bool util_parse_pid(const char *s, int *pid);
/* An address: hex, with or without 0x.  Prints the error itself. */
bool util_parse_addr(const char *s, uint64_t *addr);
/* "4K", "1.5M", "64G" */
/* The boot-log options of kernel and phys at argv[*i]: --bootlog FILE
 * (*i moved to FILE), --bootlog=FILE, --no-bootlog, into ko.  False
 * when argv[*i] is none of them. */
bool util_bootlog_option(int argc, char **argv, int *i,
			 struct kranges_opts *ko);
/* Print untrusted text escaped for a terminal. */
void util_put_escaped(FILE *f, const char *s);
/* Read the VMAs (with smaps) of pid, printing the error.  Returns 0/-1. */
int util_read_vmas(const struct vms_root *r, int pid, struct vma_list *l);
/* comm of pid ("?" if unreadable), escaped, into buf. */
void util_comm(const struct vms_root *r, int pid, char *buf, size_t n);
/* "sources": every source of r (source, line, where, text) as a JSON
 * member of the current object. */
void util_krange_sources_json(struct json *j, const struct kranges *k,
			      const struct krange *r);
/* The per-page fields of p as JSON members of the current object. */
void util_page_json(struct json *j, struct pages_ctx *c,
		    const struct page_info *p);
/* The same, for many pages: each set of kpageflags and each cgroup path
 * rendered once, kept in m (a json_start_buffered writer; zero m before
 * the first call, util_page_json_memo_free it after the last). */
#define PAGE_JSON_MEMO 64
struct page_json_slot { uint64_t key; char *text; size_t len; };
struct page_json_memo {
	struct page_json_slot fl[PAGE_JSON_MEMO], cg[PAGE_JSON_MEMO];
	struct page_json_slot bits[PAGE_JSON_MEMO]; /* flag members, by entry bits */
};
void util_page_json_memo(struct json *j, struct pages_ctx *c,
			 const struct page_info *p, struct page_json_memo *m);
void util_page_json_memo_free(struct page_json_memo *m);
/* Its pagemap bits: soft_dirty, exclusive, uffd_wp, guard, file_shared
 * (null where the entry's kernel had no such bit). */
void util_page_json_bits(struct json *j, const struct pagemap_entry *pe);

#endif
