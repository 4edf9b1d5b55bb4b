/* SPDX-License-Identifier: GPL-3.0-or-later */
/* explain: the teaching text, in one place.  Every string is one line
 * (no newline), plain ASCII, suitable for a status line or --json. */
#ifndef VMSCOPE_EXPLAIN_H
#define VMSCOPE_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>
#include "vmscope/vmas.h"
#include "vmscope/pages.h"

const char *explain_vma_kind(enum vma_kind k);
/* Why pagemap cannot describe this gap VMA (uio, /dev/mem, vvar, a
 * character device without VmFlags, above the end of pagemap, other):
 * one plain sentence for people new to the kernel, then the precise text
 * in the kernel's terms, written into buf (n bytes; EXPLAIN_GAP_MAX is
 * enough), which is returned.  pagemap_end: where the process's pagemap ends (TASK_SIZE,
 * vma_list.pagemap_end), 0 when unknown. */
#define EXPLAIN_GAP_MAX 560
const char *explain_gap(const struct vma *v, uint64_t pagemap_end, char *buf,
			size_t n);
/* Meaning of pagemap bit (55..63, or 0 for the PFN field); NULL unknown. */
const char *explain_pagemap_bit(int bit);
/* Meaning of a kpageflags bit; NULL for an undefined bit. */
const char *explain_kpage_flag(unsigned bit);
const char *explain_page_state(enum page_state s);
/* What a page's map count (kpagecount) and cgroup (kpagecgroup) mean. */
const char *explain_kpagecount(void);
const char *explain_kpagecgroup(void);
/* Why PFNs are hidden from a reader without CAP_SYS_ADMIN. */
const char *explain_pfn_hidden(void);

#endif
