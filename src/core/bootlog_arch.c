/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bootlog_arch: which architecture a boot log is of, from lines only
 * that architecture prints, and which kernels of an architecture print a
 * virtual layout block (from the kernel's history: arm64 stopped in
 * 4.16-rc1, commit 071929dbdd86, 4.15.18 still prints it; ARM in 5.1,
 * 1c31d4e96b8c; 32-bit x86 in 5.7-rc1, 681ff0181bbf "x86/mm/init/32: Stop
 * printing the virtual memory layout"; 32-bit PowerPC, the last, in 6.15,
 * 2bf3caa7cc3b "powerpc/32: Stop printing Kernel virtual memory layout"
 * (powerpc-6.15-1); x86_64, 64-bit PowerPC and mainline MIPS never did;
 * RISC-V prints one only when built with CONFIG_DEBUG_VM). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bootlog.h"
#include "scan.h"

/* A line's beginning that names the architecture. */
static const struct { const char *lead, *arch; } arch_leads[] = {
	{ "CPU0 revision is: ", "mips" }, { "CPU revision is: ", "mips" },
	{ "Determined physical RAM map:", "mips" }, { "MIPS: machine is", "mips" },
	{ "riscv: ", "riscv64" }, { "SBI specification v", "riscv64" },
	{ "ppc64_pft_size", "ppc64" }, { "Page orders: ", "ppc64" },
	{ "radix-mmu: ", "ppc64" }, { "hash-mmu: ", "ppc64" },
	{ "Using PowerNV machine", "ppc64" }, { "Using pSeries machine", "ppc64" },
	{ "Kernel virtual memory layout:", "ppc" },
	{ "PowerMac motherboard", "ppc" }, { "CPU features: ", "aarch64" },
	{ "KASLR ", "aarch64" }, { "BIOS-e820:", "x86" }, { "x86/fpu:", "x86" },
	{ "e820: BIOS-provided", "x86" },
	{ "efi: mem", "x86" }, /* efi_print_memmap is x86's */
};

static void arch_set(struct kranges *k, const char *arch)
{
	snprintf(k->bootlog_arch, sizeof k->bootlog_arch, "%s", arch);
}

/* ARM's "CPU: ARMv7 Processor [413fc0f2] revision 2 (ARMv7), cr=30c5387d"
 * (setup_processor, arch/arm/kernel/setup.c): the control register the
 * kernel set.  Only LPAE's 3-level tables set AFE, bit 29
 * (proc-v7-3level.S v7_crval mmuset 0x30c03c7d; proc-v7-2level.S clears
 * it): say so, once. */
static void arch_arm_lpae(struct kranges *k, const char *m, const char *me)
{
	const char *q = scan_find(m, me, "(ARMv7), cr=");
	struct scan t;
	uint64_t cr;
	size_t i;

	if (!q)
		return;
	t.p = q + strlen("(ARMv7), cr=");
	t.e = me;
	if (!scan_hexdigits(&t, &cr) || !(cr & 0x20000000))
		return;
	for (i = 0; i < k->nnotes; i++)
		if (strstr(k->notes[i], "uses LPAE"))
			return;
	kranges_note(k, "this 32-bit ARM kernel uses LPAE (cr=%08llx has AFE, bit 29, which only LPAE's 3-level page tables set): physical addresses may lie above 4 GiB, and RAM the lowmem map cannot hold is highmem, reached through pkmap",
		     (unsigned long long)cr);
}

void bootlog_arch_line(struct kranges *k, const char *m, const char *me)
{
	struct scan s = { m, me };
	size_t i;

	scan_ws(&s);
	if (s.e - s.p > 5 && !strncmp(s.p, "CPU: ", 5))
		arch_arm_lpae(k, s.p, me);
	/* x86 is refined by what only one of its two widths has */
	if (!strcmp(k->bootlog_arch, "x86") &&
	    (scan_find(s.p, me, "DMA32 ") || scan_find(s.p, me, "x86_64")))
		arch_set(k, "x86_64");
	if (!strcmp(k->bootlog_arch, "x86") &&
	    scan_find(s.p, me, "virtual kernel memory layout:"))
		arch_set(k, "i686");
	if (k->bootlog_arch[0])
		return;
	for (i = 0; i < sizeof arch_leads / sizeof arch_leads[0]; i++) {
		struct scan t = s;

		if (scan_lit(&t, arch_leads[i].lead)) {
			arch_set(k, arch_leads[i].arch);
			return;
		}
	}
	/* ARM's "CPU: ARMv7 Processor [410fc075] revision 5 (ARMv7), cr=..."
	 * and arm64's "Booting Linux on physical CPU 0x0000000000 [0x410fd034]" */
	if (scan_lit(&s, "CPU: ") && scan_find(s.p, me, "(ARMv") &&
	    scan_find(s.p, me, "cr="))
		arch_set(k, "arm");
	else if ((s.p = m, scan_ws(&s), scan_lit(&s, "Booting Linux on physical CPU 0x")) &&
		 scan_find(s.p, me, " [0x"))
		arch_set(k, "aarch64");
}

/* major * 1000 + minor of a release "5.10.11-v7l+", 0 when unknown. */
static unsigned release_version(const char *release)
{
	char *e;
	unsigned long ma = strtoul(release, &e, 10), mi = 0;

	if (e == release || ma > 99)
		return 0;
	if (*e == '.')
		mi = strtoul(e + 1, NULL, 10);
	return (unsigned)(ma * 1000 + (mi > 999 ? 999 : mi));
}

/* Which kernels of an architecture print the block: the first that no
 * longer does (0: all that print it still do), and the sentence. */
static const struct {
	const char *arch;
	unsigned until;
	const char *says;
} arch_layout[] = {
	{ "x86_64", 0, "x86_64 kernels never print one" },
	{ "x86", 0, "x86_64 kernels never print one, 32-bit x86 ones before 5.7 only" },
	{ "aarch64", 4016, "arm64 kernels print one before 4.16 only, commit 071929dbdd86 removed it" },
	{ "arm", 5001, "32-bit ARM kernels print one before 5.1 only, commit 1c31d4e96b8c removed it" },
	{ "i686", 5007, "32-bit x86 kernels print one, as \"virtual kernel memory layout:\", before 5.7 only, commit 681ff0181bbf removed it" },
	{ "mips", 0, "MIPS kernels never print one; their \"Determined physical RAM map\" places physical memory only" },
	{ "ppc", 6015, "32-bit PowerPC kernels print one, as \"Kernel virtual memory layout:\", before 6.15 only, commit 2bf3caa7cc3b removed it" },
	{ "ppc64", 0, "64-bit PowerPC kernels never print one, only 32-bit ones did (before 6.15)" },
	{ "riscv64", 0, "RISC-V kernels print one only when built with CONFIG_DEBUG_VM, as most distribution kernels are not" },
};

void kranges_layout_absence(const char *arch, const char *release,
			    char *buf, size_t n)
{
	unsigned v = release_version(release ? release : "");
	size_t i;

	if (!arch)
		arch = "";
	if (!strncmp(arch, "armv", 4))
		arch = "arm";
	else if (!strcmp(arch, "arm64"))
		arch = "aarch64";
	else if (!strncmp(arch, "mips", 4))
		arch = "mips";
	else if (!strcmp(arch, "ppc64le"))
		arch = "ppc64";
	else if (!strcmp(arch, "riscv32"))
		arch = "riscv64";
	else if (!strcmp(arch, "i386") || !strcmp(arch, "i586") || !strcmp(arch, "x86"))
		arch = strcmp(arch, "x86") ? "i686" : "x86";
	for (i = 0; i < sizeof arch_layout / sizeof arch_layout[0]; i++) {
		if (strcmp(arch, arch_layout[i].arch))
			continue;
		if (arch_layout[i].until && v >= arch_layout[i].until)
			snprintf(buf, n, "%s, and this is %s", arch_layout[i].says, release);
		else if (arch_layout[i].until && v)
			snprintf(buf, n, "%s: this %s kernel printed it, so the log has lost it (it wrapped, or the capture began late)",
				 arch_layout[i].says, release);
		else
			snprintf(buf, n, "%s", arch_layout[i].says);
		return;
	}
	snprintf(buf, n, "%s", "x86_64, MIPS and 64-bit PowerPC kernels never print one, arm64 from 4.16, 32-bit ARM from 5.1, 32-bit x86 from 5.7 and 32-bit PowerPC from 6.15 no longer do, RISC-V only with CONFIG_DEBUG_VM; a log that has wrapped has lost it");
}
