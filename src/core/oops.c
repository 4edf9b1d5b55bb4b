/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oops: the scanner of kernel messages (see oops.h).  The formats are
 * those of the kernels' own printers: arch/x86/mm/fault.c dump_pagetable
 * and show_fault_oops, arch/arm/mm/fault.c show_pte, arch/arm64/mm/
 * fault.c show_pte and mem_abort_decode, arch/riscv/mm/fault.c show_pte
 * (Linux 6.14 and later) and the RISC-V register dump. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "vmscope/oops.h"

/* A keyword that precedes a page-table value. */
static const struct keyword {
	const char *word;
	enum pte_arch arch;
	enum pte_level level;
	bool upper_word;  /* must be followed by a blank, then hex */
} keywords[] = {
	{ "PGD ", PTE_X86_64, PTE_L_PGD, true },
	{ "P4D ", PTE_X86_64, PTE_L_P4D, true },
	{ "PUD ", PTE_X86_64, PTE_L_PUD, true },
	{ "PMD ", PTE_X86_64, PTE_L_PMD, true },
	{ "PTE ", PTE_X86_64, PTE_L_PTE, true },
	{ "*pdpt = ", PTE_X86_32, PTE_L_PGD, false },
	{ "*pde = ", PTE_X86_32, PTE_L_PMD, false },
	{ "*pte = ", PTE_X86_32, PTE_L_PTE, false },
	{ "*pgd=", PTE_ARM, PTE_L_PGD, false },
	{ "*pud=", PTE_ARM, PTE_L_PUD, false },
	{ "*pmd=", PTE_ARM, PTE_L_PMD, false },
	{ "*pte=", PTE_ARM, PTE_L_PTE, false },
	{ "*ppte=", PTE_ARM, PTE_L_PPTE, false },
	{ "pgd=", PTE_ARM64, PTE_L_PGD, false },
	{ "p4d=", PTE_ARM64, PTE_L_P4D, false },
	{ "pud=", PTE_ARM64, PTE_L_PUD, false },
	{ "pmd=", PTE_ARM64, PTE_L_PMD, false },
	{ "pte=", PTE_ARM64, PTE_L_PTE, false },
};

static bool word_start(const char *text, const char *p)
{
	return p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '*' ||
			      p[-1] == '_');
}

/* Hex digits at p (an optional 0x first), at most 16; the count read. */
static size_t parse_hex(const char *p, const char *end, uint64_t *v)
{
	const char *s = p;
	size_t n = 0;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	*v = 0;
	while (p < end && isxdigit((unsigned char)*p) && n < 16) {
		int c = tolower((unsigned char)*p++);

		*v = *v << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
		n++;
	}
	if (!n || (p < end && (isalnum((unsigned char)*p) || *p == '_')))
		return 0;
	return (size_t)(p - s);
}

static const char *find(const char *p, const char *end, const char *s)
{
	size_t l = strlen(s);

	for (; p + l <= end; p++)
		if (*p == *s && !memcmp(p, s, l))
			return p;
	return NULL;
}

static void add_entry(struct oops_report *r, enum pte_level level,
		      uint64_t v, unsigned line)
{
	struct oops_entry *last = r->n ? &r->e[r->n - 1] : NULL;

	if (r->n >= OOPS_MAX_ENTRIES) {
		r->more = true;
		return;
	}
	if (!last || level <= last->level)
		r->walks++;
	r->e[r->n].level = level;
	r->e[r->n].raw = v;
	r->e[r->n].walk = r->walks - 1;
	r->e[r->n].line = line;
	r->n++;
}

/* Keywords on the line [p, end). */
static void scan_entries(struct oops_report *r, const char *text,
			 const char *p, const char *end, unsigned line)
{
	size_t k;

	for (; p < end; p++) {
		for (k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
			const struct keyword *w = &keywords[k];
			size_t wl = strlen(w->word), hl;
			uint64_t v;

			if (*p != w->word[0] || (size_t)(end - p) < wl ||
			    memcmp(p, w->word, wl) || !word_start(text, p))
				continue;
			if (!(hl = parse_hex(p + wl, end, &v)))
				continue;
			if (r->arch == PTE_ARCH_NONE) {
				r->arch = w->arch;
				snprintf(r->arch_why, sizeof r->arch_why,
					 "the format '%.*s'", (int)strcspn(w->word, " ="),
					 w->word);
			}
			if (w->arch == r->arch ||
			    (r->arch == PTE_RISCV && w->arch == PTE_ARM64))
				add_entry(r, w->level, v, line);
			p += wl + hl - 1;
			break;
		}
	}
}

static bool after(const char *p, const char *end, const char *key,
		  uint64_t *v)
{
	const char *q = find(p, end, key);

	if (!q)
		return false;
	q += strlen(key);
	while (q < end && *q == ' ')
		q++;
	return parse_hex(q, end, v) > 0;
}

/* "Not tainted 5.18.0-rc3" / "Tainted: G W 6.1.59 #1" / "Linux version" */
static void kernel_release(struct oops_report *r, const char *p,
			   const char *end)
{
	const char *q = find(p, end, "ainted");
	unsigned a, b;

	if (!q)
		q = find(p, end, "Linux version ");
	if (!q)
		return;
	for (; q + 3 < end; q++)
		if (isdigit((unsigned char)*q) && q[-1] == ' ' &&
		    sscanf(q, "%u.%u", &a, &b) == 2 && a >= 2 && a < 100) {
			r->kernel[0] = a;
			r->kernel[1] = b;
			return;
		}
}

static void copy_fault(struct oops_report *r, const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

	while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
		n--;
	if (n >= sizeof r->fault)
		n = sizeof r->fault - 1;
	memcpy(r->fault, p, n);
	r->fault[n] = '\0';
}

static void set_riscv(struct oops_report *r, const char *why)
{
	if (r->arch != PTE_ARCH_NONE && r->arch != PTE_ARM64)
		return;
	r->arch = PTE_RISCV;
	snprintf(r->arch_why, sizeof r->arch_why, "%s", why);
}

/* RISC-V's own lines: show_pte's "Current COMM pgtable: 4K pagesize,
 * 39-bit VAs, pgdp=0x..." (arm64 writes "4k pages"), then the same
 * "[ADDR] pgd=..., p4d=..." as arm64; the register dump's "status: ...
 * badaddr: ADDR cause: ...".  True when the line is one of them. */
static bool scan_riscv(struct oops_report *r, const char *p, const char *end)
{
	const char *q = find(p, end, "K pagesize, ");
	char buf[24];
	unsigned vab;
	uint64_t v;
	size_t n;

	if (q) {
		q += strlen("K pagesize, ");
		n = (size_t)(end - q) < sizeof buf - 1 ? (size_t)(end - q) : sizeof buf - 1;
		memcpy(buf, q, n);
		buf[n] = '\0';
		if (sscanf(buf, "%u-bit VAs", &vab) != 1 || (vab != 39 && vab != 48 && vab != 57))
			return false;
		set_riscv(r, "the line 'pgtable: ... K pagesize' (RISC-V show_pte)");
		r->va_bits = vab;
		r->mode = vab == 57 ? PTE_RISCV_SV57 : vab == 48 ? PTE_RISCV_SV48 :
			  PTE_RISCV_SV39;
		return true;
	}
	if (!(q = find(p, end, "badaddr: ")) || !find(q, end, " cause: "))
		return false;
	set_riscv(r, "the line 'badaddr: ... cause:' (RISC-V)");
	if (!r->have_addr && parse_hex(q + 9, end, &v)) {
		r->have_addr = true;
		r->fault_addr = v;
	}
	return true;
}

/* The lines that say what the fault was. */
static void scan_fault(struct oops_report *r, const char *p, const char *end)
{
	static const char *const addr_keys[] = {
		"handle page fault for address:", "paging request at virtual address",
		"dereference, address:",
		"paging request at ", "dereference at virtual address",
		"dereference at ", "Corrupted page table at address",
		"at virtual address",
	};
	const char *q;
	uint64_t v;
	size_t i;

	for (i = 0; !r->have_addr && i < sizeof addr_keys / sizeof addr_keys[0]; i++)
		if (after(p, end, addr_keys[i], &v)) {
			r->have_addr = true;
			r->fault_addr = v;
		}
	if (!r->have_addr && ((q = find(p, end, "] pgd=")) ||
			      (q = find(p, end, "] *pgd=")))) {
		const char *b = q;

		while (b > p && b[-1] != '[')
			b--;
		if (b > p && parse_hex(b, q, &v) == (size_t)(q - b)) {
			r->have_addr = true;
			r->fault_addr = v;
		}
	}
	if (!r->have_addr && find(p, end, "Unhandled fault:") &&
	    (q = find(p, end, ") at 0x")) && parse_hex(q + 5, end, &v)) {
		r->have_addr = true;
		r->fault_addr = v;
	}
	if (after(p, end, "#PF: error_code(", &v) || after(p, end, "Bad pagetable:", &v) ||
	    (!r->have_error_code && r->arch == PTE_X86_64 && after(p, end, "Oops: ", &v))) {
		r->have_error_code = true;
		r->error_code = (unsigned)v;
	}
	if (find(p, end, "Bad pagetable") || find(p, end, "Corrupted page table") ||
	    find(p, end, "reserved bit violation") || find(p, end, "address size fault"))
		r->bad_pagetable = true;
	if ((q = find(p, end, "FSC = ")) && (q = find(q, end, ": ")))
		copy_fault(r, q + 2, end);
	else if ((q = find(p, end, "#PF: error_code(")) && (q = find(q, end, " - ")))
		copy_fault(r, q + 3, end);
	if (!scan_riscv(r, p, end) && (q = find(p, end, "pgtable: "))) {
		unsigned kib = 0, vab;

		if (sscanf(q + 9, "%uk pages", &kib) == 1 && (kib == 4 || kib == 16 || kib == 64))
			r->mode = kib == 16 ? PTE_ARM64_16K : kib == 64 ? PTE_ARM64_64K :
				  PTE_ARM64_4K;
		if ((q = find(q, end, "pages, ")) && sscanf(q + 7, "%u-bit", &vab) == 1)
			r->va_bits = vab;
	}
	kernel_release(r, p, end);
}

/* Bare numbers: 0x-prefixed, or 8 or more hex digits. */
static void scan_bare(struct oops_report *r, const char *text, size_t len,
		      enum pte_level level)
{
	const char *p = text, *end = text + len;
	unsigned line = 1;

	for (; p < end; p++) {
		uint64_t v;
		size_t hl;

		if (*p == '\n')
			line++;
		if (!isxdigit((unsigned char)*p) || !word_start(text, p))
			continue;
		hl = parse_hex(p, end, &v);
		if (hl && (hl >= 8 || (hl > 2 && p[1] == 'x'))) {
			if (r->n < OOPS_MAX_ENTRIES) {
				r->e[r->n] = (struct oops_entry){ level, v,
								  r->walks++, line };
				r->n++;
			} else {
				r->more = true;
			}
			p += hl - 1;
		} else {
			while (p + 1 < end && isalnum((unsigned char)p[1]))
				p++;
		}
	}
	r->bare = r->n > 0;
}

void oops_scan(const char *text, size_t len, enum pte_level bare_level,
	       struct oops_report *r)
{
	const char *p = text, *end = text + len;
	unsigned line = 1;

	memset(r, 0, sizeof *r);
	r->mode = -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		scan_entries(r, text, p, le, line);
		scan_fault(r, p, le);
		p = nl ? nl + 1 : end;
		line++;
	}
	if (r->arch == PTE_X86_32) {
		size_t i;

		r->mode = PTE_X86_NOPAE;
		for (i = 0; i < r->n; i++)
			if (r->e[i].level == PTE_L_PGD || r->e[i].raw >> 32)
				r->mode = PTE_X86_PAE;
	} else if (r->arch == PTE_ARM) {
		size_t i;

		r->mode = PTE_ARM_LPAE;
		for (i = 0; i < r->n; i++)
			if (r->e[i].level == PTE_L_PPTE)
				r->mode = PTE_ARM_SHORT;
	} else if (r->arch == PTE_X86_64) {
		size_t i;

		for (i = 0; i + 1 < r->n; i++)
			if (r->e[i].level == PTE_L_PGD &&
			    r->e[i + 1].level == PTE_L_P4D)
				r->mode = r->e[i].raw == r->e[i + 1].raw ? -1 :
					  PTE_X86_5LEVEL;
	}
	if (!r->n)
		scan_bare(r, text, len, bare_level);
}
