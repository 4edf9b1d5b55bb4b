/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bootlog_efi: the firmware's EFI memory map as x86 prints it
 * (efi_print_memmap, arch/x86/platform/efi/efi.c; with efi=debug on
 * newer kernels).  Three forms, by kernel age:
 *   "efi: mem07: type=7, attr=0xf, range=[0xS-0xE) (203MB)"
 *   "efi: mem01: [Conventional Memory|   |  |  |  |   |WB|WT|WC|UC]
 *    range=[0xS-0xE) (0MB)"           end exclusive, ')'
 *   "efi: mem01: [Conventional|   |  |  |  |  |  |  |  |   |WB|WT|WC|UC]
 *    range=[0xS-0xE] (0MB)"           end inclusive, ']'
 * The type names are efi_md_typeattr_format's (drivers/firmware/efi/
 * efi.c), long in older kernels, cut to 12 characters in newer ones; an
 * unknown type prints "[type=N|", attributes the kernel has no column for
 * "|attr=0x...]". */
#include <stdio.h>
#include <string.h>
#include "bootlog.h"
#include "scan.h"

#define EFI_MEMORY_RUNTIME ((uint64_t)1 << 63)

/* By UEFI memory type number: the kernel's spellings, what it is. */
static const struct {
	const char *name, *longname;
	enum krange_kind kind;
	const char *what;
} efi_types[] = {
	{ "Reserved", NULL, KR_RESERVED, "EFI Reserved" },
	{ "Loader Code", NULL, KR_RAM, "EFI Loader Code (RAM)" },
	{ "Loader Data", NULL, KR_RAM, "EFI Loader Data (RAM)" },
	{ "Boot Code", NULL, KR_RAM, "EFI Boot Services Code (RAM after boot)" },
	{ "Boot Data", NULL, KR_RAM, "EFI Boot Services Data (RAM after boot)" },
	{ "Runtime Code", NULL, KR_RESERVED, "EFI Runtime Services Code" },
	{ "Runtime Data", NULL, KR_RESERVED, "EFI Runtime Services Data" },
	{ "Conventional", "Conventional Memory", KR_RAM, "EFI Conventional Memory" },
	{ "Unusable", "Unusable Memory", KR_UNUSABLE, "EFI Unusable Memory" },
	{ "ACPI Reclaim", "ACPI Reclaim Memory", KR_ACPI, "EFI ACPI Reclaim Memory" },
	{ "ACPI Mem NVS", "ACPI Memory NVS", KR_ACPI, "EFI ACPI Memory NVS" },
	{ "MMIO", "Memory Mapped I/O", KR_DEVICE, "EFI Memory-Mapped I/O" },
	{ "MMIO Port", "MMIO Port Space", KR_DEVICE, "EFI MMIO Port Space" },
	{ "PAL Code", NULL, KR_RESERVED, "EFI PAL Code" },
	{ "Persistent", "Persistent Memory", KR_PMEM, "EFI Persistent Memory" },
	{ "Unaccepted", NULL, KR_RAM, "EFI Unaccepted Memory (RAM not yet accepted)" },
};

#define EFI_NTYPES (sizeof efi_types / sizeof efi_types[0])

/* The type number of a name the kernel printed, or EFI_NTYPES. */
static size_t efi_type_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < EFI_NTYPES; i++)
		if (!strcmp(name, efi_types[i].name) ||
		    (efi_types[i].longname && !strcmp(name, efi_types[i].longname)))
			return i;
	return EFI_NTYPES;
}

/* "[Conventional Memory|   |...|WB|WT|WC|UC]" or "[type=16|...]":
 * the type and whether the RUN column is set.  False when garbled. */
static bool efi_bracket(struct scan *s, uint64_t *type, bool *runtime)
{
	const char *bar, *close, *q;
	char name[32];

	bar = memchr(s->p, '|', (size_t)(s->e - s->p));
	close = memchr(s->p, ']', (size_t)(s->e - s->p));
	if (!bar || !close || close < bar)
		return false;
	scan_copy_trim(name, sizeof name, s->p, bar);
	if (!strncmp(name, "type=", 5)) {
		struct scan t = { name + 5, name + strlen(name) };

		if (!scan_dec(&t, type) || t.p != t.e)
			return false;
	} else {
		*type = efi_type_by_name(name);
		if (*type == EFI_NTYPES)
			return false;
	}
	*runtime = false;
	q = scan_find(bar, close, "attr=0x");
	if (q) {
		struct scan t = { q + 5, close };
		uint64_t attr;

		if (!scan_hex0x(&t, &attr))
			return false;
		*runtime = (attr & EFI_MEMORY_RUNTIME) != 0;
	} else {
		*runtime = scan_find(bar, close, "|RUN|") != NULL;
	}
	s->p = close + 1;
	return true;
}

/* "type=7, attr=0xf, " of the oldest form. */
static bool efi_numeric(struct scan *s, uint64_t *type, bool *runtime)
{
	uint64_t attr;

	if (!scan_dec(s, type) || !scan_lit(s, ", attr=") || !scan_hex0x(s, &attr) ||
	    !scan_lit(s, ","))
		return false;
	*runtime = (attr & EFI_MEMORY_RUNTIME) != 0;
	return true;
}

/* "range=[0xS-0xE)" (end exclusive) or "range=[0xS-0xE]" (inclusive):
 * *start and the inclusive *last. */
static bool efi_range(struct scan *s, uint64_t *start, uint64_t *last)
{
	uint64_t a, z;

	scan_ws(s);
	if (!scan_lit(s, "range=[") || !scan_hex0x(s, &a) || !scan_lit(s, "-") ||
	    !scan_hex0x(s, &z))
		return false;
	if (scan_lit(s, ")")) {
		if (z <= a)
			return false;
		z--;
	} else if (!scan_lit(s, "]") || z < a) {
		return false;
	}
	*start = a;
	*last = z;
	return true;
}

int bootlog_efi(struct bootlog *b, const char *m, const char *me)
{
	struct scan s = { m, me };
	uint64_t idx, type, a, z;
	bool runtime, ok;
	char name[128];

	if (!scan_lit(&s, "efi: mem") || !scan_dec(&s, &idx) || !scan_lit(&s, ":"))
		return 0;
	scan_ws(&s);
	if (scan_lit(&s, "type="))
		ok = efi_numeric(&s, &type, &runtime);
	else if (scan_lit(&s, "["))
		ok = efi_bracket(&s, &type, &runtime);
	else
		return 0;
	if (!ok || !efi_range(&s, &a, &z))
		return -1;
	if (type < EFI_NTYPES)
		snprintf(name, sizeof name, "%s%s", efi_types[type].what,
			 runtime ? ", runtime-mapped" : "");
	else
		snprintf(name, sizeof name, "EFI memory of type %llu%s",
			 (unsigned long long)type, runtime ? ", runtime-mapped" : "");
	bootlog_add_last(b, KSPACE_PHYS, type < EFI_NTYPES ? efi_types[type].kind :
			 KR_RESERVED, a, z, name);
	return 1;
}
