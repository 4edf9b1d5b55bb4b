/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pte: names of architectures, modes and levels, the dispatch to each
 * architecture's decoder, and the x86 page-fault error code (Intel SDM
 * vol. 3, 4.7 "Page-Fault Exceptions", figure 4-12). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "vmscope/pte.h"

const char *pte_arch_name(enum pte_arch a)
{
	switch (a) {
	case PTE_X86_64: return "x86_64";
	case PTE_X86_32: return "x86_32";
	case PTE_ARM: return "arm";
	case PTE_ARM64: return "arm64";
	case PTE_RISCV: return "riscv";
	case PTE_ARCH_NONE: break;
	}
	return "unknown";
}

static const char *const mode_names[][3] = {
	[PTE_X86_64] = { "4level", "5level", NULL },
	[PTE_X86_32] = { "nopae", "pae", NULL },
	[PTE_ARM] = { "short", "lpae", NULL },
	[PTE_ARM64] = { "4k", "16k", "64k" },
	[PTE_RISCV] = { "sv39", "sv48", "sv57" },
};

const char *pte_mode_name(enum pte_arch a, int mode)
{
	if (a == PTE_ARCH_NONE || a > PTE_RISCV || mode < 0 || mode > 2 ||
	    !mode_names[a][mode])
		return "?";
	return mode_names[a][mode];
}

int pte_mode_parse(enum pte_arch a, const char *s)
{
	int i;

	if (a == PTE_ARCH_NONE || a > PTE_RISCV)
		return -1;
	for (i = 0; i < 3; i++)
		if (mode_names[a][i] && !strcasecmp(mode_names[a][i], s))
			return i;
	if (a == PTE_X86_64 && (!strcmp(s, "4") || !strcmp(s, "5")))
		return s[0] == '5';
	return -1;
}

const char *pte_mode_choices(enum pte_arch a)
{
	switch (a) {
	case PTE_X86_64: return "4level, 5level";
	case PTE_X86_32: return "nopae, pae";
	case PTE_ARM: return "short, lpae";
	case PTE_ARM64: return "4k, 16k, 64k";
	case PTE_RISCV: return "sv39, sv48, sv57";
	case PTE_ARCH_NONE: break;
	}
	return "";
}

enum pte_arch pte_arch_parse(const char *s)
{
	static const struct { const char *name; enum pte_arch a; } t[] = {
		{ "x86_64", PTE_X86_64 }, { "amd64", PTE_X86_64 },
		{ "x86-64", PTE_X86_64 }, { "x86_32", PTE_X86_32 },
		{ "x86", PTE_X86_32 }, { "i386", PTE_X86_32 },
		{ "i486", PTE_X86_32 }, { "i586", PTE_X86_32 },
		{ "i686", PTE_X86_32 }, { "aarch64", PTE_ARM64 },
		{ "arm64", PTE_ARM64 }, { "riscv64", PTE_RISCV },
		{ "riscv", PTE_RISCV },
	};
	size_t i;

	if (!s || !*s)
		return PTE_ARCH_NONE;
	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcasecmp(t[i].name, s))
			return t[i].a;
	if (!strncasecmp(s, "arm", 3))   /* arm, armv7l, armv6l, armhf */
		return PTE_ARM;
	return PTE_ARCH_NONE;
}

const char *pte_level_name(enum pte_level l)
{
	static const char *const n[] = { "pgd", "p4d", "pud", "pmd", "pte",
					  "ppte" };

	return l < PTE_L__COUNT ? n[l] : "?";
}

const char *pte_kind_name(enum pte_kind k)
{
	switch (k) {
	case PTE_K_NONE: return "none";
	case PTE_K_INVALID: return "not present";
	case PTE_K_TABLE: return "table";
	case PTE_K_LEAF: return "leaf";
	}
	return "?";
}

const char *pte_mem_name(enum pte_mem m)
{
	switch (m) {
	case PTE_MEM_UNKNOWN: return "unknown";
	case PTE_MEM_CACHED: return "cached";
	case PTE_MEM_WC: return "uncached normal (write-combining)";
	case PTE_MEM_DEVICE: return "device (uncached)";
	}
	return "?";
}

void pte_attr_add(struct pte_entry *e, const char *name, const char *fmt, ...)
{
	struct pte_attr *a;
	va_list ap;

	if (e->nattr >= PTE_MAX_ATTR)
		return;
	a = &e->attr[e->nattr++];
	snprintf(a->name, sizeof a->name, "%s", name);
	va_start(ap, fmt);
	vsnprintf(a->value, sizeof a->value, fmt, ap);
	va_end(ap);
}

const char *pte_attr_get(const struct pte_entry *e, const char *name)
{
	unsigned i;

	for (i = 0; i < e->nattr; i++)
		if (!strcmp(e->attr[i].name, name))
			return e->attr[i].value;
	return NULL;
}

void pte_decode(const struct pte_fmt *f, enum pte_level level, uint64_t raw,
		struct pte_entry *out)
{
	memset(out, 0, sizeof *out);
	out->level = level;
	out->raw = raw;
	switch (f->arch) {
	case PTE_X86_64:
	case PTE_X86_32:
		pte_x86_decode(f, level, out);
		break;
	case PTE_ARM:
		pte_arm_decode(f, level, out);
		break;
	case PTE_ARM64:
		pte_arm64_decode(f, level, out);
		break;
	case PTE_RISCV:
		pte_riscv_decode(f, level, out);
		break;
	case PTE_ARCH_NONE:
		snprintf(out->note, sizeof out->note,
			 "unknown architecture: give --arch");
		break;
	}
	out->pfn = out->addr >> 12;
}

size_t pte_x86_error_code(unsigned code, char *buf, size_t n)
{
	static const struct { unsigned bit; const char *set, *clear; } b[] = {
		{ 0, "P: protection violation on a present page",
		  "P: the page was not present" },
		{ 1, "W: a write", "W: a read" },
		{ 2, "U: in user mode", "U: in supervisor (kernel) mode" },
		{ 3, "RSVD: a reserved bit was set in a paging entry", NULL },
		{ 4, "I: an instruction fetch", NULL },
		{ 5, "PK: protection-key violation", NULL },
		{ 6, "SS: shadow-stack access", NULL },
		{ 7, "HLAT: during HLAT paging", NULL },
		{ 15, "SGX: SGX access-control violation", NULL },
	};
	size_t i, len = 0;

	if (n)
		buf[0] = '\0';
	for (i = 0; i < sizeof b / sizeof b[0]; i++) {
		const char *s = (code >> b[i].bit & 1) ? b[i].set : b[i].clear;
		int k;

		if (!s)
			continue;
		k = snprintf(buf + (len < n ? len : n), len < n ? n - len : 0,
			     "%s%s", len ? "; " : "", s);
		if (k > 0)
			len += (size_t)k;
	}
	return len;
}
