/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pte_x86: x86 paging entries, Intel SDM vol. 3, chapter 4: 32-bit
 * paging (4.3, tables 4-4 to 4-6), PAE (4.4, tables 4-8 to 4-11) and
 * 4-/5-level paging (4.5, tables 4-14 to 4-20).  Bits: 0 P, 1 R/W, 2 U/S,
 * 3 PWT, 4 PCD, 5 A, 6 D, 7 PS (PAT in a 4K PTE), 8 G, 9-11 ignored
 * (Linux's software bits), 12 PAT in a large page, address from bit 12
 * up to MAXPHYADDR-1, bits MAXPHYADDR..51 reserved, 52-58 ignored, 59-62
 * protection key, 63 XD. */
#include <stdio.h>
#include <string.h>
#include "vmscope/pte.h"

#define BIT(n) (UINT64_C(1) << (n))
#define BITS(lo, hi) ((~UINT64_C(0) >> (63 - (hi))) & ~(BIT(lo) - 1))

/* The hardware table an entry of level sits in: 5 PML5, 4 PML4,
 * 3 PDPT, 2 PD, 1 PT. */
static int hw_level(const struct pte_fmt *f, enum pte_level l)
{
	if (f->arch == PTE_X86_32) {
		if (l == PTE_L_PTE || l == PTE_L_PPTE)
			return 1;
		if (f->mode == PTE_X86_PAE && l <= PTE_L_PUD)
			return 3;
		return 2;
	}
	switch (l) {
	case PTE_L_PGD: return f->mode == PTE_X86_5LEVEL ? 5 : 4;
	case PTE_L_P4D: return 4;
	case PTE_L_PUD: return 3;
	case PTE_L_PMD: return 2;
	default: return 1;
	}
}

static const char *hw_name(const struct pte_fmt *f, int lv)
{
	static const char *const n[] = { "", "PTE", "PDE", "PDPTE", "PML4E",
					  "PML5E" };

	if (f->arch == PTE_X86_32 && f->mode == PTE_X86_NOPAE)
		return lv == 1 ? "PTE (32-bit)" : "PDE (32-bit)";
	return n[lv];
}

/* Linux programs the PAT MSR (arch/x86/mm/pat/memtype.c) so that index
 * 0 WB, 1 WC, 2 UC-, 3 UC, 4 WB, 5 WP, 6 UC-, 7 WT. */
static void caching(struct pte_entry *e, unsigned pat, bool leaf)
{
	static const char *const linux_pat[8] = { "WB", "WC", "UC-", "UC",
						  "WB", "WP", "UC-", "WT" };
	static const enum pte_mem mem[8] = {
		PTE_MEM_CACHED, PTE_MEM_WC, PTE_MEM_DEVICE, PTE_MEM_DEVICE,
		PTE_MEM_CACHED, PTE_MEM_CACHED, PTE_MEM_DEVICE, PTE_MEM_CACHED,
	};
	unsigned i = (pat << 2) | (unsigned)(e->raw >> 3 & 3);

	if (leaf) {
		pte_attr_add(e, "caching", "%s: PAT index %u (PAT=%u PCD=%u PWT=%u) in Linux's PAT",
			     linux_pat[i], i, pat, (unsigned)(e->raw >> 4 & 1),
			     (unsigned)(e->raw >> 3 & 1));
		e->mem = mem[i];
	} else {
		pte_attr_add(e, "caching", "of the next table: PCD=%u PWT=%u",
			     (unsigned)(e->raw >> 4 & 1),
			     (unsigned)(e->raw >> 3 & 1));
	}
}

/* uffd-wp and soft-dirty are x86_64 only (HAVE_ARCH_USERFAULTFD_WP,
 * HAVE_ARCH_SOFT_DIRTY): a 32-bit kernel leaves bits 10 and 11 unused. */
static void software_bits(struct pte_entry *e, bool wide, bool x64)
{
	static const struct { unsigned bit; const char *name; } sw[] = {
		{ 9, "9 (Linux: special)" }, { 10, "10 (Linux: uffd-wp)" },
		{ 11, "11 (Linux: soft-dirty)" }, { 52, "52" }, { 53, "53" },
		{ 54, "54" }, { 55, "55" }, { 56, "56" },
		{ 57, "57 (Linux: devmap)" }, { 58, "58 (Linux: saved-dirty)" },
	};
	char buf[112] = "";
	size_t i, len = 0;

	for (i = 0; i < sizeof sw / sizeof sw[0]; i++) {
		if ((sw[i].bit > 31 && !wide) || !(e->raw & BIT(sw[i].bit)))
			continue;
		len += (size_t)snprintf(buf + len, len < sizeof buf ? sizeof buf - len : 0,
					"%s%.*s", len ? ", " : "",
					!x64 && (sw[i].bit == 10 || sw[i].bit == 11) ? 2 : 40,
					sw[i].name);
		if (len >= sizeof buf)
			break;
	}
	pte_attr_add(e, "software", "%s", buf[0] ? buf : "none");
}

/* The address field and the reserved bits of a present entry. */
static void address(const struct pte_fmt *f, struct pte_entry *e, int lv,
		    bool leaf, bool wide)
{
	unsigned m = f->pa_bits ? f->pa_bits : 52, lo = 12;
	uint64_t rsv = 0;

	if (!wide) {          /* 32-bit paging */
		if (leaf && lv == 2) {
			e->addr = (e->raw & BITS(22, 31)) |
				  ((e->raw >> 13 & 0xff) << 32);
			e->addr_mask = BITS(22, 31) | BITS(13, 20);
			e->size = BIT(22);
			rsv = e->raw & BIT(21);
		} else {
			e->addr_mask = BITS(12, 31);
			e->addr = e->raw & e->addr_mask;
			e->size = leaf ? BIT(12) : 0;
		}
	} else {
		if (leaf && lv == 3)
			lo = 30;
		else if (leaf && lv == 2)
			lo = 21;
		e->addr_mask = BITS(lo, 51);
		e->addr = e->raw & e->addr_mask;
		e->size = leaf ? BIT(lo) : 0;
		if (lo > 12)
			rsv |= e->raw & BITS(13, lo - 1);
		if (m < 52)
			rsv |= e->raw & BITS(m, 51);
		if (lv >= 4)
			rsv |= e->raw & BIT(7);
		if (f->arch == PTE_X86_32 && lv == 3)
			rsv |= e->raw & (BITS(1, 2) | BITS(5, 8) | BITS(52, 63));
	}
	e->reserved = rsv;
	if (rsv) {
		const char *why[3];
		int n = 0;

		if (m < 52 && (rsv & BITS(m, 51)))
			why[n++] = "address bits at or above MAXPHYADDR";
		if (lo > 12 && (rsv & BITS(13, lo - 1)))
			why[n++] = "low address bits of a large page, which must be 0";
		if (rsv & (BIT(7) | BIT(21) | BITS(1, 2) | BITS(5, 8) | BITS(52, 63)))
			why[n++] = "bits the manual reserves at this level";
		snprintf(e->reserved_why, sizeof e->reserved_why, "%s%s%s%s%s",
			 why[0], n > 1 ? "; " : "", n > 1 ? why[1] : "",
			 n > 2 ? "; " : "", n > 2 ? why[2] : "");
	}
	else if (!f->pa_bits && wide && (e->raw & BITS(39, 51)))
		snprintf(e->reserved_why, sizeof e->reserved_why,
			 "address bits up to %d set: reserved on CPUs whose MAXPHYADDR is %d or less (give --phys-bits)",
			 63 - __builtin_clzll(e->raw & BITS(12, 51)),
			 63 - __builtin_clzll(e->raw & BITS(12, 51)));
}

void pte_x86_decode(const struct pte_fmt *f, enum pte_level level,
		    struct pte_entry *e)
{
	bool wide = f->arch == PTE_X86_64 || f->mode == PTE_X86_PAE;
	int lv = hw_level(f, level);
	uint64_t r = e->raw;
	bool leaf;

	snprintf(e->hwname, sizeof e->hwname, "%s", hw_name(f, lv));
	e->present = r & 1;
	if (!r) {
		e->kind = PTE_K_NONE;
		pte_attr_add(e, "present", "no (empty entry)");
		return;
	}
	if (!(r & 1)) {
		e->kind = PTE_K_INVALID;
		pte_attr_add(e, "present", "no: the CPU ignores the other bits (Linux keeps a swap entry or PROT_NONE bits here)");
		if (wide || !(r >> 32))
			address(f, e, lv, lv == 1, wide);
		e->reserved = 0;       /* not checked in an absent entry */
		e->reserved_why[0] = '\0';
		return;
	}
	leaf = lv == 1 || ((lv == 2 || (lv == 3 && f->arch == PTE_X86_64)) &&
			   (r & BIT(7)));
	if (f->arch == PTE_X86_32 && lv == 3)
		leaf = false;
	e->kind = leaf ? PTE_K_LEAF : PTE_K_TABLE;
	pte_attr_add(e, "present", "yes");
	if (!(f->arch == PTE_X86_32 && lv == 3)) {
		pte_attr_add(e, "writable", "%s", r & 2 ? "yes (R/W=1)" : "no (R/W=0)");
		pte_attr_add(e, "user", "%s", r & 4 ? "yes (U/S=1)" : "no: kernel only (U/S=0)");
		pte_attr_add(e, "accessed", "%s", r & BIT(5) ? "yes" : "no");
	}
	if (leaf) {
		pte_attr_add(e, "dirty", "%s", r & BIT(6) ? "yes" : "no");
		pte_attr_add(e, "global", "%s", r & BIT(8) ? "yes" : "no");
	}
	pte_attr_add(e, "type", "%s", leaf ? (lv == 1 ? "leaf: 4 KiB page" :
		     lv == 2 ? (wide ? "leaf: 2 MiB page (PS=1)" : "leaf: 4 MiB page (PS=1)") :
		     "leaf: 1 GiB page (PS=1)") : "table");
	if (wide)
		pte_attr_add(e, "no-execute", "%s", r & BIT(63) ? "yes (XD=1)" : "no");
	caching(e, leaf ? (unsigned)(lv == 1 ? r >> 7 & 1 : r >> 12 & 1) : 0,
		leaf);
	if (leaf && wide && (r & BITS(59, 62)))
		pte_attr_add(e, "protection-key", "%u (used when CR4.PKE=1)",
			     (unsigned)(r >> 59 & 15));
	software_bits(e, wide, f->arch == PTE_X86_64);
	address(f, e, lv, leaf, wide);
}
