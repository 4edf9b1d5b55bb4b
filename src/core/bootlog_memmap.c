/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bootlog_memmap: the boot log's lines that place physical memory: the
 * firmware's e820 map (and MIPS's "memory:" lines), zones, NUMA nodes,
 * PCI windows and the e820 gap for them, ECAM/MMCONFIG, ACPI tables. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bootlog.h"
#include "scan.h"

/* "[mem 0xS-0xE]" with optional flags before the ']' ("window", "64bit"):
 * E is the last byte, inclusive. */
bool bootlog_mem_bracket(struct scan *s, uint64_t *start, uint64_t *last)
{
	uint64_t a, b;
	const char *close;

	if (!scan_lit(s, "[mem "))
		return false;
	if (!scan_hex0x(s, &a) || !scan_lit(s, "-") || !scan_hex0x(s, &b) || b < a)
		return false;
	/* flags before the ']' are words ("window", "64bit pref"), never
	 * more digits: a line wrapped inside the end is not read short */
	if (s->p < s->e && *s->p == ' ' && s->p + 1 < s->e &&
	    !isalpha((unsigned char)s->p[1]) && strncmp(s->p + 1, "64bit", 5))
		return false;
	close = memchr(s->p, ']', (size_t)(s->e - s->p));
	if (!close || (s->p < close && *s->p != ' '))
		return false;
	s->p = close + 1;
	*start = a;
	*last = b;
	return true;
}

static enum krange_kind e820_kind(const char *t, const char *te)
{
	struct scan s = { t, te };

	if (scan_lit(&s, "usable"))
		return KR_RAM;
	s.p = t;
	if (scan_lit(&s, "ACPI"))
		return KR_ACPI;
	s.p = t;
	if (scan_lit(&s, "unusable"))
		return KR_UNUSABLE;
	s.p = t;
	if (scan_lit(&s, "persistent"))
		return KR_PMEM;
	return KR_RESERVED;
}

/* "BIOS-e820: [mem 0x...-0x...] usable", "user: [mem ...] reserved", the
 * old "BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)" (end
 * exclusive) and Xen's "Xen: [mem ...] usable".  1 parsed, 0 not such a
 * line, -1 such a line but unreadable. */
int bootlog_e820(struct bootlog *b, const char *m, const char *me)
{
	static const struct { const char *prefix, *name; } pre[] = {
		{ "BIOS-e820:", "e820" }, { "user:", "user e820" },
		{ "Xen:", "Xen e820" },
	};
	struct scan s = { m, me };
	uint64_t a, z;
	const char *tp, *te;
	char name[96], type[48];
	size_t i;

	for (i = 0; i < sizeof pre / sizeof pre[0]; i++) {
		s.p = m;
		if (scan_lit(&s, pre[i].prefix))
			break;
	}
	if (i == sizeof pre / sizeof pre[0])
		return 0;
	scan_ws(&s);
	if (s.p < s.e && *s.p == '[') {
		struct scan t = s;

		if (!bootlog_mem_bracket(&t, &a, &z))
			return -1;
		tp = t.p;
		te = t.e;
		scan_trim(&tp, &te);
		if (tp == te)
			return -1;
	} else {
		if (!scan_hexdigits(&s, &a))
			return i == 1 ? 0 : -1;
		scan_ws(&s);
		if (!scan_lit(&s, "-"))
			return -1;
		scan_ws(&s);
		/* this old form's end is exclusive */
		if (!scan_hexdigits(&s, &z) || z < a)
			return -1;
		scan_ws(&s);
		if (!scan_lit(&s, "("))
			return -1;
		if (z == a)
			return 1;  /* an empty entry */
		z--;
		tp = s.p;
		te = memchr(s.p, ')', (size_t)(s.e - s.p));
		if (!te)
			return -1;
	}
	scan_copy_trim(type, sizeof type, tp, te);
	snprintf(name, sizeof name, "%s %s", pre[i].name, type);
	bootlog_add_last(b, KSPACE_PHYS, e820_kind(type, type + strlen(type)), a, z, name);
	return 1;
}

/* The types of MIPS's print_memory_map (arch/mips/kernel/setup.c): what
 * each is, and the name the map gives it. */
static const struct {
	const char *type;
	enum krange_kind kind;
	const char *name;
} mips_types[] = {
	{ "usable after init", KR_RAM, "memory usable after init (RAM holding init data)" },
	{ "usable", KR_RAM, "memory usable" },
	{ "ROM data", KR_RESERVED, "memory ROM data (RAM holding the firmware's data)" },
	{ "reserved", KR_RESERVED, "memory reserved" },
	{ "nomap", KR_RESERVED, "memory nomap (reserved, not mapped)" },
	{ "kernel data and code", KR_KERNEL, "memory kernel data and code" },
};

/* MIPS: " memory: 00399000 @ 00010000 (usable)" (size @ start), and
 * "type N" for a type the kernel has no word for. */
int bootlog_mips_mem(struct bootlog *b, const char *m, const char *me)
{
	struct scan s = { m, me };
	uint64_t size, start, tn;
	const char *close;
	char type[48], name[96];
	size_t i;

	scan_ws(&s);
	if (!scan_lit(&s, "memory: "))
		return 0;
	scan_ws(&s);
	if (!scan_hexdigits(&s, &size))
		return 0;
	scan_ws(&s);
	if (!scan_lit(&s, "@"))
		return 0;
	scan_ws(&s);
	if (!scan_hexdigits(&s, &start) || start > UINT64_MAX - size)
		return -1;
	scan_ws(&s);
	if (scan_lit(&s, "type ") && scan_dec(&s, &tn)) {
		snprintf(name, sizeof name, "memory of type %llu (unknown to the kernel)",
			 (unsigned long long)tn);
		bootlog_add(b, KSPACE_PHYS, KR_RESERVED, start, start + size, name);
		return 1;
	}
	if (!scan_lit(&s, "("))
		return -1;
	close = memchr(s.p, ')', (size_t)(s.e - s.p));
	if (!close)
		return -1;
	scan_copy_trim(type, sizeof type, s.p, close);
	for (i = 0; i < sizeof mips_types / sizeof mips_types[0]; i++)
		if (!strcmp(type, mips_types[i].type))
			break;
	if (i == sizeof mips_types / sizeof mips_types[0])
		return -1;
	bootlog_add(b, KSPACE_PHYS, mips_types[i].kind, start, start + size,
		    mips_types[i].name);
	return 1;
}

/* "START -> END" in page frames, end exclusive (decimal; with hex, hex
 * too), the form of the old "Zone PFN ranges:" and "early_node_map"
 * blocks: a range of kind named name when not empty.  1, 0 not such
 * a line, -1 such a line but unreadable. */
static int pfn_range(struct bootlog *b, struct scan *s, bool hex,
		     enum krange_kind kind, const char *name)
{
	unsigned shift = b->k->page_shift;
	uint64_t a, z;

	/* MIPS prints them "0x00001000 -> 0x00002000" */
	if (!(hex && scan_hex0x(s, &a)) && !scan_dec(s, &a) &&
	    !(hex && scan_hex(s, &a)))
		return 0;
	scan_ws(s);
	if (!scan_lit(s, "->"))
		return 0;
	scan_ws(s);
	if ((!(hex && scan_hex0x(s, &z)) && !scan_dec(s, &z) &&
	     !(hex && scan_hex(s, &z))) ||
	    z > (UINT64_MAX >> shift))
		return -1;
	if (z > a)
		bootlog_add(b, KSPACE_PHYS, kind, a << shift, z << shift, name);
	return 1;
}

/* Zones: "  DMA32    [mem 0x...-0x...]", "  Normal   empty"; the old
 * "Zone PFN ranges:" form "  DMA   0 ->  4096" (PFNs, end exclusive). */
int bootlog_zone(struct bootlog *b, const char *m, const char *me)
{
	struct scan s = { m, me };
	const char *np;
	char zname[24], name[48];
	uint64_t a, z;

	scan_ws(&s);
	np = s.p;
	while (s.p < s.e && isalnum((unsigned char)*s.p))
		s.p++;
	if (s.p == np || s.p - np >= (long)sizeof zname || s.p >= s.e ||
	    (*s.p != ' ' && *s.p != '\t'))
		return 0;
	scan_copy_trim(zname, sizeof zname, np, s.p);
	scan_ws(&s);
	snprintf(name, sizeof name, "zone %s", zname);
	if (scan_lit(&s, "empty"))
		return 1;
	if (b->in_zones == 2)
		return pfn_range(b, &s, true, KR_ZONE, name);
	if (s.p >= s.e || *s.p != '[')
		return 0;
	if (!bootlog_mem_bracket(&s, &a, &z))
		return -1;
	bootlog_add_last(b, KSPACE_PHYS, KR_ZONE, a, z, name);
	return 1;
}

/* "node   0: [mem 0x...-0x...]", "Initmem setup node 0 [mem ...]",
 * "Faking a node at [mem ...]", "Faking node 1 at [mem ...] (1024MB)". */
int bootlog_node(struct bootlog *b, const char *m, const char *me)
{
	struct scan s = { m, me };
	uint64_t id, a, z;
	char name[48];

	scan_ws(&s);
	if (scan_lit(&s, "NUMA: "))
		scan_ws(&s);
	if (scan_lit(&s, "node")) {
		scan_ws(&s);
		if (!scan_dec(&s, &id) || !scan_lit(&s, ":"))
			return 0;
		scan_ws(&s);
		if (!bootlog_mem_bracket(&s, &a, &z))
			return -1;
		snprintf(name, sizeof name, "node %llu", (unsigned long long)id);
	} else if (scan_lit(&s, "Initmem setup node ")) {
		if (!scan_dec(&s, &id))
			return -1;
		scan_ws(&s);
		if (!bootlog_mem_bracket(&s, &a, &z))
			return -1;
		snprintf(name, sizeof name, "node %llu (all of it)",
			 (unsigned long long)id);
	} else if (scan_lit(&s, "Faking a node at ")) {
		if (!bootlog_mem_bracket(&s, &a, &z))
			return -1;
		snprintf(name, sizeof name, "fake node");
	} else if (scan_lit(&s, "Faking node ")) {
		if (!scan_dec(&s, &id) || !scan_lit(&s, " at "))
			return -1;
		if (!bootlog_mem_bracket(&s, &a, &z))
			return -1;
		snprintf(name, sizeof name, "fake node %llu", (unsigned long long)id);
	} else {
		return 0;
	}
	bootlog_add_last(b, KSPACE_PHYS, KR_NODE, a, z, name);
	return 1;
}

/* 2.6-era "early_node_map" lines: "    0:        0 ->   131052" (PFNs). */
int bootlog_oldnode(struct bootlog *b, const char *m, const char *me)
{
	struct scan s = { m, me };
	uint64_t id;
	char name[32];

	scan_ws(&s);
	if (!scan_dec(&s, &id) || !scan_lit(&s, ":"))
		return 0;
	scan_ws(&s);
	snprintf(name, sizeof name, "node %llu", (unsigned long long)id);
	return pfn_range(b, &s, false, KR_NODE, name);
}

/* PCI windows, the e820 gap for PCI, ECAM/MMCONFIG, ACPI tables. */
int bootlog_pci_acpi(struct bootlog *b, const char *m, const char *me)
{
	struct scan s = { m, me };
	uint64_t a, z;
	const char *q;
	char name[96];

	if (scan_lit(&s, "e820: "))
		scan_ws(&s);
	if (s.p < s.e && *s.p == '[' && scan_find(s.p, s.e, "] available for PCI devices")) {
		if (!bootlog_mem_bracket(&s, &a, &z))
			return -1;
		bootlog_add_last(b, KSPACE_PHYS, KR_BUS, a, z, "gap for PCI devices");
		return 1;
	}
	s.p = m;
	/* "pci_bus 0000:00: root bus resource [mem 0xc0001000-0xeebfffff window]" */
	if (scan_lit(&s, "pci_bus ") && (q = scan_find(s.p, s.e, ": root bus resource [mem ")) &&
	    q - s.p < 16) {
		char bus[16];

		scan_copy_trim(bus, sizeof bus, s.p, q);
		s.p = q + strlen(": root bus resource ");
		{
			const char *close = memchr(s.p, ']', (size_t)(s.e - s.p));
			bool window = close && scan_find(s.p, close, " window");

			if (!bootlog_mem_bracket(&s, &a, &z))
				return -1;
			snprintf(name, sizeof name, "PCI bus %s%s", bus,
				 window ? " window" : "");
		}
		bootlog_add_last(b, KSPACE_PHYS, KR_BUS, a, z, name);
		return 1;
	}
	s.p = m;
	/* "PCI: ECAM [mem 0xeec00000-0xeecfffff] (base 0xeec00000) for domain ..."
	 * "PCI: MMCONFIG for domain 0000 [bus 00-ff] at [mem 0x..-0x..] (base ..)" */
	if (scan_lit(&s, "PCI: ECAM ") || (s.p = m, scan_lit(&s, "PCI: MMCONFIG for domain"))) {
		bool ecam = m[5] == 'E';

		q = scan_find(s.p, s.e, "[mem ");
		if (!q)
			return 0;
		s.p = q;
		if (!bootlog_mem_bracket(&s, &a, &z))
			return -1;
		bootlog_add_last(b, KSPACE_PHYS, KR_DEVICE, a, z,
			    ecam ? "PCI ECAM" : "PCI MMCONFIG");
		return 1;
	}
	s.p = m;
	/* "ACPI: Reserving FACP table memory at [mem 0xa0c97-0xa0daa]" */
	if (scan_lit(&s, "ACPI: Reserving ") && (q = scan_find(s.p, s.e, " table memory at "))) {
		char tbl[16];

		scan_copy_trim(tbl, sizeof tbl, s.p, q);
		s.p = q + strlen(" table memory at ");
		if (!bootlog_mem_bracket(&s, &a, &z))
			return -1;
		snprintf(name, sizeof name, "ACPI %s table", tbl);
		bootlog_add_last(b, KSPACE_PHYS, KR_ACPI, a, z, name);
		return 1;
	}
	return 0;
}
