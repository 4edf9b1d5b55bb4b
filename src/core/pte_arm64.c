/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pte_arm64: VMSAv8-64 descriptors (ARM ARM D8, "Translation table
 * descriptor formats") for the 4K, 16K and 64K granules, with 52-bit
 * output addresses (FEAT_LPA for 64K: OA[51:48] in bits 15:12; FEAT_LPA2
 * for 4K/16K: OA[51:50] in bits 9:8); and ARMv7 LPAE long descriptors
 * (ARM ARM v7-A B3.6), which share the layout with a 40-bit output
 * address.  Linux's software bits (arch/arm64/include/asm/
 * pgtable-prot.h) and its MAIR slots (asm/memory.h) name the rest. */
#include <stdio.h>
#include <string.h>
#include "vmscope/pte.h"

#define BIT(n) (UINT64_C(1) << (n))
#define BITS(lo, hi) ((~UINT64_C(0) >> (63 - (hi))) & ~(BIT(lo) - 1))

static unsigned granule_shift(const struct pte_fmt *f)
{
	if (f->arch == PTE_ARM)
		return 12;
	return f->mode == PTE_ARM64_16K ? 14 : f->mode == PTE_ARM64_64K ? 16 : 12;
}

/* The lookup level (0-3) of an entry the kernel names level. */
static int hw_level(const struct pte_fmt *f, enum pte_level l, unsigned gs)
{
	static const int nominal[] = { 0, 0, 1, 2, 3, 3 };
	unsigned va = f->va_bits ? f->va_bits : 48, per = gs - 3;
	int levels, first;

	if (f->arch == PTE_ARM)      /* LPAE: first level maps 1 GiB */
		return l == PTE_L_PGD || l == PTE_L_P4D || l == PTE_L_PUD ? 1 :
		       nominal[l];
	levels = (int)((va - gs + per - 1) / per);
	first = 4 - levels;
	return nominal[l] < first ? first : nominal[l];
}

/* Linux's MAIR slots for AttrIndx: before 5.10, 5.10-5.13, 5.14 on. */
static const char *linux_attr(const struct pte_fmt *f, unsigned idx,
			      enum pte_mem *mem)
{
	static const char *const old[8] = { "Device-nGnRnE", "Device-nGnRE",
		"Device-GRE", "Normal-NC", "Normal", "Normal-WT", "Normal-Tagged", "?" };
	static const char *const mid[8] = { "Normal", "Normal-Tagged",
		"Normal-NC", "Normal-WT", "Device-nGnRnE", "Device-nGnRE",
		"Device-GRE", "?" };
	static const char *const now[8] = { "Normal", "Normal-Tagged",
		"Normal-NC", "Device-nGnRnE", "Device-nGnRE", "?", "?", "?" };
	static const char *const lpae[8] = { "strongly-ordered",
		"normal non-cacheable", "normal write-through",
		"normal write-back", "device", "?", "?", "normal write-alloc" };
	unsigned v = f->kernel[0] * 100 + f->kernel[1];
	const char *s;

	if (f->arch == PTE_ARM)
		s = lpae[idx];
	else if (v && v < 510)
		s = old[idx];
	else if (v && v < 514)
		s = mid[idx];
	else
		s = now[idx];
	*mem = !strncmp(s, "Device", 6) || !strcmp(s, "strongly-ordered") ||
	       !strcmp(s, "device") ? PTE_MEM_DEVICE :
	       !strcmp(s, "Normal-NC") || !strcmp(s, "normal non-cacheable") ?
	       PTE_MEM_WC : s[0] == '?' ? PTE_MEM_UNKNOWN : PTE_MEM_CACHED;
	return s;
}

static void leaf_attrs(const struct pte_fmt *f, struct pte_entry *e)
{
	static const char *const sh[4] = { "non-shareable", "reserved",
					   "outer shareable", "inner shareable" };
	uint64_t r = e->raw;
	unsigned idx = (unsigned)(r >> 2 & 7);
	bool ro = r & BIT(7), dbm = r & BIT(51);
	const char *name;
	enum pte_mem mem;

	pte_attr_add(e, "writable", "%s", !ro ? "yes (AP[2]=0)" : dbm ?
		     "yes, clean: AP[2]=1 with DBM (hardware dirty state)" :
		     "no (AP[2]=1)");
	pte_attr_add(e, "user", "%s", r & BIT(6) ? "yes (AP[1]=1)" : "no (AP[1]=0)");
	pte_attr_add(e, "accessed", "%s", r & BIT(10) ? "yes (AF=1)" : "no (AF=0)");
	pte_attr_add(e, "dirty", "%s", (r & BIT(55)) || (dbm && !ro) ?
		     "yes" : "no");
	pte_attr_add(e, "global", "%s", r & BIT(11) ? "no (nG=1)" : "yes");
	if (f->arch == PTE_ARM)   /* ARMv7 LPAE: XN forbids PL0 and PL1 */
		pte_attr_add(e, "no-execute", "user: %s, kernel: %s",
			     r & BIT(54) ? "yes (XN)" : "no",
			     r & BIT(54) ? "yes (XN)" : r & BIT(53) ? "yes (PXN)" : "no");
	else
		pte_attr_add(e, "no-execute", "user: %s, kernel: %s",
			     r & BIT(54) ? "yes (UXN)" : "no", r & BIT(53) ? "yes (PXN)" : "no");
	name = linux_attr(f, idx, &mem);
	e->mem = mem;
	pte_attr_add(e, "caching", "AttrIndx %u: %s (%s)", idx, name,
		     f->arch == PTE_ARM ? "Linux LPAE MAIR" :
		     !f->kernel[0] ? "Linux 5.14+ MAIR; give the kernel version for older" :
		     "Linux MAIR of that kernel");
	if (!(f->lpa && f->arch == PTE_ARM64 && f->mode != PTE_ARM64_64K))
		pte_attr_add(e, "shareable", "%s (SH=%u)", sh[r >> 8 & 3],
			     (unsigned)(r >> 8 & 3));
	pte_attr_add(e, "software", "%s%s%s%s%s",
		     r & BIT(55) ? "55 (Linux: dirty) " : "",
		     r & BIT(56) ? "56 (Linux: special) " : "",
		     !(r & BIT(57)) ? "" : f->arch == PTE_ARM ? "57 (Linux: PROT_NONE) " :
		     "57 (Linux: devmap) ",
		     !(r & BIT(58)) ? "" : f->arch == PTE_ARM ? "58 (Linux: read-only) " : "58 ",
		     r & BITS(55, 58) ? "" : "none");
	if (r & BIT(52))
		pte_attr_add(e, "contiguous", "yes: one of a run of entries (TLB hint)");
}

/* The output address: bits [lo, 47] (39 for LPAE), plus the 52-bit
 * extension; reserved bits above the PA size. */
static void output_address(const struct pte_fmt *f, struct pte_entry *e,
			   unsigned lo, unsigned gs)
{
	unsigned top = f->arch == PTE_ARM ? 39 : 47;
	uint64_t r = e->raw;

	e->addr_mask = BITS(lo, top);
	e->addr = r & e->addr_mask;
	if (f->arch == PTE_ARM64 && f->lpa) {
		if (gs == 16) {
			e->addr |= (r >> 12 & 15) << 48;
			e->addr_mask |= BITS(12, 15);
		} else {
			e->addr |= (r >> 8 & 3) << 50;
			e->addr_mask |= BITS(8, 9);
		}
	}
	if (f->arch == PTE_ARM && (r & BITS(40, 47))) {
		e->reserved = r & BITS(40, 47);
		snprintf(e->reserved_why, sizeof e->reserved_why,
			 "output address bits 47:40 must be zero in LPAE");
	} else if (f->pa_bits && f->pa_bits < 52 && (e->addr >> f->pa_bits)) {
		e->reserved = e->addr & ~(BIT(f->pa_bits) - 1);
		snprintf(e->reserved_why, sizeof e->reserved_why,
			 "output address above the %u-bit physical address size: an address size fault",
			 f->pa_bits);
	} else if (!f->pa_bits && f->arch == PTE_ARM64 && (e->addr >> 40)) {
		snprintf(e->reserved_why, sizeof e->reserved_why,
			 "output address bits up to %d set: an address size fault on CPUs whose physical address size is %d bits or less (give --phys-bits)",
			 63 - __builtin_clzll(e->addr), 63 - __builtin_clzll(e->addr));
	}
}

void pte_arm64_decode(const struct pte_fmt *f, enum pte_level level,
		      struct pte_entry *e)
{
	unsigned gs = granule_shift(f), lo;
	int lv = hw_level(f, level, gs);
	uint64_t r = e->raw;

	snprintf(e->hwname, sizeof e->hwname, "level %d", lv);
	if (!r) {
		e->kind = PTE_K_NONE;
		pte_attr_add(e, "present", "no (empty entry)");
		return;
	}
	if (!(r & 1)) {
		e->kind = PTE_K_INVALID;
		pte_attr_add(e, "present", "no: invalid descriptor (bit 0 = 0); Linux keeps a swap entry or PROT_NONE bits here");
		return;
	}
	e->present = true;
	pte_attr_add(e, "present", "yes");
	if ((r & 2) && lv < 3) {
		e->kind = PTE_K_TABLE;
		pte_attr_add(e, "type", "table");
		output_address(f, e, gs, gs);
		pte_attr_add(e, "table-limits", "PXNTable=%u UXNTable=%u APTable=%u NSTable=%u",
			     (unsigned)(r >> 59 & 1), (unsigned)(r >> 60 & 1),
			     (unsigned)(r >> 61 & 3), (unsigned)(r >> 63 & 1));
		if (r & BITS(55, 58))
			pte_attr_add(e, "software", "bits 0x%llx%s",
				     (unsigned long long)(r & BITS(55, 58)),
				     f->arch == PTE_ARM && (r & BIT(55)) ?
				     " (Linux: L_PGD_SWAPPER, an entry of the kernel's own tables)" : "");
		return;
	}
	if (!(r & 2) && (lv == 3 || lv == 0)) {
		e->kind = PTE_K_INVALID;
		e->present = false;
		e->reserved = r & 3;
		snprintf(e->reserved_why, sizeof e->reserved_why,
			 "bits 1:0 = 01 is reserved at level %d (a translation fault)", lv);
		pte_attr_add(e, "type", "reserved encoding");
		return;
	}
	e->kind = PTE_K_LEAF;
	lo = gs + (unsigned)(3 - lv) * (gs - 3);
	e->size = BIT(lo);
	pte_attr_add(e, "type", "%s: %llu KiB %s", lv == 3 ? "leaf" : "leaf (block)",
		     (unsigned long long)(e->size >> 10), lv == 3 ? "page" : "block");
	output_address(f, e, lo, gs);
	leaf_attrs(f, e);
}
