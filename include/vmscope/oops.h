/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oops: finds page-table values and what surrounds them in kernel
 * messages pasted as text: x86 "BUG: unable to handle page fault for
 * address: ADDR", "#PF: error_code(0x000b) - reserved bit violation",
 * "PGD ... P4D ... PUD ... PMD ... PTE ...", "Corrupted page table at
 * address ADDR", "Bad pagetable: 000d"; x86_32 "*pdpt = ... *pde = ...
 * *pte = ..."; ARM "pgd = c0004000", "[ADDR] *pgd=..., *pte=...,
 * *ppte=..."; arm64 "[ADDR] pgd=..., p4d=..., pud=..., pmd=..., pte=...",
 * "user pgtable: 4k pages, 48-bit VAs", "FSC = 0x03: level 3 address size
 * fault".  With none of these, bare hex numbers are taken as entries.
 * Pure: no I/O; the text is untrusted and only ever read. */
#ifndef VMSCOPE_OOPS_H
#define VMSCOPE_OOPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmscope/pte.h"

#define OOPS_MAX_ENTRIES 32

struct oops_entry {
	enum pte_level level;
	uint64_t raw;
	unsigned walk;       /* 0, 1, ...: entries of one printed walk */
	unsigned line;       /* 1-based line of the text */
};

struct oops_report {
	enum pte_arch arch;      /* what the formats say; NONE: no telling */
	char arch_why[64];       /* "'*ppte=' (ARM short descriptors)" */
	int mode;                /* -1: the text does not say */
	unsigned va_bits;        /* arm64 "48-bit VAs", 0 unknown */
	unsigned kernel[2];      /* "Not tainted 5.18.0" -> 5, 18 */
	bool have_addr;
	uint64_t fault_addr;     /* the faulting virtual address */
	bool have_error_code;    /* x86 page-fault error code */
	unsigned error_code;
	bool bad_pagetable;      /* "Bad pagetable" / "Corrupted page table"
	                          * / "address size fault" (arm64)
	                          * / "reserved bit violation" */
	char fault[96];          /* the kernel's own words on the fault
	                          * ("level 3 address size fault"), escaped
	                          * by the printer */
	bool bare;               /* no format found: bare numbers */
	struct oops_entry e[OOPS_MAX_ENTRIES];
	size_t n;
	bool more;               /* entries beyond OOPS_MAX_ENTRIES left out */
	unsigned walks;
};

/* Scan len bytes of text (need not be NUL-terminated).  bare_level is
 * the level given to bare numbers. */
void oops_scan(const char *text, size_t len, enum pte_level bare_level,
	       struct oops_report *r);

#endif
