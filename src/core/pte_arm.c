/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pte_arm: ARM32 short descriptors (ARM ARM v7-A, B3.5): first-level
 * fault / page table / section / supersection, second-level fault /
 * large page / small page, with TEX remap as Linux sets it up (SCTLR.TRE
 * = 1, PRRR/NMRR in arch/arm/mm/proc-v7-2level.S); and Linux's own
 * software PTE (arch/arm/include/asm/pgtable-2level.h), which show_pte
 * prints as *pte beside the hardware entry *ppte.  LPAE long
 * descriptors (B3.6) are decoded by pte_arm64.c. */
#include <stdio.h>
#include <string.h>
#include "vmscope/pte.h"

#define BIT(n) (UINT64_C(1) << (n))

/* Linux's TEX-remap index TEX[0]:C:B and what it selects. */
static void remap_type(struct pte_entry *e, unsigned tex, unsigned c,
		       unsigned b)
{
	static const struct { const char *name; enum pte_mem mem; } tr[8] = {
		{ "strongly-ordered", PTE_MEM_DEVICE },
		{ "normal, non-cacheable (Linux BUFFERABLE / DEV_WC)", PTE_MEM_WC },
		{ "normal, write-through", PTE_MEM_CACHED },
		{ "normal, write-back (Linux WRITEBACK / DEV_CACHED)", PTE_MEM_CACHED },
		{ "device (Linux DEV_SHARED / DEV_NONSHARED)", PTE_MEM_DEVICE },
		{ "unused by Linux", PTE_MEM_UNKNOWN },
		{ "reserved in Linux's PRRR", PTE_MEM_UNKNOWN },
		{ "normal, write-back write-allocate (Linux WRITEALLOC)", PTE_MEM_CACHED },
	};
	unsigned i = (tex & 1) << 2 | c << 1 | b;

	pte_attr_add(e, "caching", "TEX=%u%u%u C=%u B=%u: %s (TEX remap index %u)",
		     tex >> 2 & 1, tex >> 1 & 1, tex & 1, c, b, tr[i].name, i);
	e->mem = tr[i].mem;
}

/* AP[2:0] of ARMv7 with the access flag disabled (table B3-8). */
static void access(struct pte_entry *e, unsigned ap2, unsigned ap10)
{
	static const char *const ap[8] = {
		"no access", "kernel read/write, user none",
		"kernel read/write, user read-only", "read/write for all",
		"reserved", "kernel read-only, user none",
		"read-only for all (deprecated encoding)", "read-only for all",
	};
	unsigned v = ap2 << 2 | ap10;

	pte_attr_add(e, "access", "AP[2:0]=%u%u%u: %s", ap2, ap10 >> 1, ap10 & 1, ap[v]);
	pte_attr_add(e, "writable", "%s", v == 1 || v == 2 || v == 3 ?
		     (v == 3 ? "yes" : "kernel only") : "no");
	pte_attr_add(e, "user", "%s", v == 2 || v == 3 || v >= 6 ? "yes" : "no");
}

static void first_level(struct pte_entry *e)
{
	uint64_t r = e->raw & 0xffffffffu;

	snprintf(e->hwname, sizeof e->hwname, "first-level");
	if ((r & 3) == 1) {
		e->kind = PTE_K_TABLE;
		e->addr_mask = 0xfffffc00u;
		e->addr = r & e->addr_mask;
		pte_attr_add(e, "present", "yes");
		pte_attr_add(e, "type", "table: second-level page table at 0x%llx",
			     (unsigned long long)e->addr);
		pte_attr_add(e, "domain", "%u", (unsigned)(r >> 5 & 15));
		pte_attr_add(e, "no-execute", "kernel: %s", r & 4 ? "yes (PXN=1)" : "no (PXN=0)");
		return;
	}
	e->kind = PTE_K_LEAF;
	pte_attr_add(e, "present", "yes");
	if (r & BIT(18)) {
		e->addr_mask = 0xff000000u | (0xfu << 20) | (0xfu << 5);
		e->addr = (r & 0xff000000u) | ((r >> 20 & 15) << 32) |
			  ((r >> 5 & 15) << 36);
		e->size = BIT(24);
		pte_attr_add(e, "type", "leaf: 16 MiB supersection");
	} else {
		e->addr_mask = 0xfff00000u;
		e->addr = r & e->addr_mask;
		e->size = BIT(20);
		pte_attr_add(e, "type", "leaf: 1 MiB section");
		pte_attr_add(e, "domain", "%u", (unsigned)(r >> 5 & 15));
	}
	access(e, (unsigned)(r >> 15 & 1), (unsigned)(r >> 10 & 3));
	pte_attr_add(e, "global", "%s", r & BIT(17) ? "no (nG=1)" : "yes");
	pte_attr_add(e, "no-execute", "%s%s", r & BIT(4) ? "yes (XN)" : "no",
		     (r & 3) == 3 && (r & 1) ? ", kernel: yes (PXN)" : "");
	remap_type(e, (unsigned)(r >> 12 & 7), (unsigned)(r >> 3 & 1),
		   (unsigned)(r >> 2 & 1));
	pte_attr_add(e, "shareable", "%s", r & BIT(16) ? "yes (S=1)" : "no");
}

static void second_level_hw(struct pte_entry *e)
{
	uint64_t r = e->raw & 0xffffffffu;
	unsigned tex, xn;

	snprintf(e->hwname, sizeof e->hwname, "second-level");
	e->kind = PTE_K_LEAF;
	pte_attr_add(e, "present", "yes");
	if ((r & 3) == 1) {          /* large page */
		e->addr_mask = 0xffff0000u;
		e->size = BIT(16);
		tex = (unsigned)(r >> 12 & 7);
		xn = (unsigned)(r >> 15 & 1);
		pte_attr_add(e, "type", "leaf: 64 KiB large page");
	} else {
		e->addr_mask = 0xfffff000u;
		e->size = BIT(12);
		tex = (unsigned)(r >> 6 & 7);
		xn = (unsigned)(r & 1);
		pte_attr_add(e, "type", "leaf: 4 KiB small page");
	}
	e->addr = r & e->addr_mask;
	access(e, (unsigned)(r >> 9 & 1), (unsigned)(r >> 4 & 3));
	pte_attr_add(e, "global", "%s", r & BIT(11) ? "no (nG=1)" : "yes");
	pte_attr_add(e, "no-execute", "%s", xn ? "yes (XN)" : "no");
	remap_type(e, tex, (unsigned)(r >> 3 & 1), (unsigned)(r >> 2 & 1));
	pte_attr_add(e, "shareable", "%s", r & BIT(10) ? "yes (S=1)" : "no");
}

/* Linux's software PTE: 0 present, 1 young, 2-5 memory type, 6 dirty,
 * 7 rdonly, 8 user, 9 xn, 10 shared, 11 none (PROT_NONE). */
static void linux_pte(struct pte_entry *e)
{
	static const char *const mt[16] = {
		"UNCACHED (strongly-ordered)", "BUFFERABLE (normal non-cacheable)",
		"WRITETHROUGH", "WRITEBACK", "DEV_SHARED (device)", "5 (unused)",
		"MINICACHE", "WRITEALLOC", "8 (unused)", "DEV_WC (write-combining)",
		"10 (unused)", "DEV_CACHED", "DEV_NONSHARED (device)", "13 (unused)",
		"14 (unused)", "VECTORS",
	};
	static const enum pte_mem mem[16] = {
		PTE_MEM_DEVICE, PTE_MEM_WC, PTE_MEM_CACHED, PTE_MEM_CACHED,
		PTE_MEM_DEVICE, PTE_MEM_UNKNOWN, PTE_MEM_CACHED, PTE_MEM_CACHED,
		PTE_MEM_UNKNOWN, PTE_MEM_WC, PTE_MEM_UNKNOWN, PTE_MEM_CACHED,
		PTE_MEM_DEVICE, PTE_MEM_UNKNOWN, PTE_MEM_UNKNOWN, PTE_MEM_CACHED,
	};
	uint64_t r = e->raw & 0xffffffffu;
	unsigned t = (unsigned)(r >> 2 & 15);

	snprintf(e->hwname, sizeof e->hwname, "Linux PTE");
	e->addr_mask = 0xfffff000u;
	e->addr = r & e->addr_mask;
	if (!(r & 1)) {
		e->kind = PTE_K_INVALID;
		pte_attr_add(e, "present", "no%s", r & BIT(11) ?
			     " (PROT_NONE: L_PTE_NONE)" : " (Linux keeps a swap entry or nothing here)");
		return;
	}
	e->kind = PTE_K_LEAF;
	e->size = BIT(12);
	pte_attr_add(e, "present", "yes");
	pte_attr_add(e, "writable", "%s", r & BIT(7) ? "no (L_PTE_RDONLY)" : "yes");
	pte_attr_add(e, "user", "%s", r & BIT(8) ? "yes (L_PTE_USER)" : "no");
	pte_attr_add(e, "accessed", "%s", r & BIT(1) ? "yes (L_PTE_YOUNG)" : "no");
	pte_attr_add(e, "dirty", "%s", r & BIT(6) ? "yes (L_PTE_DIRTY)" : "no");
	pte_attr_add(e, "no-execute", "%s", r & BIT(9) ? "yes (L_PTE_XN)" : "no");
	pte_attr_add(e, "caching", "L_PTE_MT_%s", mt[t]);
	e->mem = mem[t];
	pte_attr_add(e, "shareable", "%s", r & BIT(10) ? "yes (L_PTE_SHARED)" : "no");
}

void pte_arm_decode(const struct pte_fmt *f, enum pte_level level,
		    struct pte_entry *e)
{
	uint64_t r;

	if (f->mode == PTE_ARM_LPAE) {
		pte_arm64_decode(f, level, e);
		return;
	}
	if (e->raw >> 32)   /* pgd_val of two 1 MiB entries, printed as one */
		snprintf(e->note, sizeof e->note,
			 "two first-level entries printed as one: 0x%08llx for this MiB, 0x%08llx for the next",
			 (unsigned long long)(e->raw & 0xffffffffu),
			 (unsigned long long)(e->raw >> 32));
	r = e->raw & 0xffffffffu;
	if (!r) {
		e->kind = PTE_K_NONE;
		pte_attr_add(e, "present", "no (empty entry)");
		return;
	}
	if (level == PTE_L_PTE) {
		linux_pte(e);
		return;
	}
	if ((r & 3) == 0) {
		e->kind = PTE_K_INVALID;
		snprintf(e->hwname, sizeof e->hwname,
			 level == PTE_L_PPTE ? "second-level" : "first-level");
		pte_attr_add(e, "present", "no: fault entry (bits 1:0 = 00)");
		e->addr_mask = 0xfffff000u;
		e->addr = r & e->addr_mask;
		return;
	}
	if (level == PTE_L_PPTE)
		second_level_hw(e);
	else
		first_level(e);
}
