/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pte_riscv: Sv39, Sv48 and Sv57 entries (RISC-V privileged spec,
 * "Sv39: Page-Based 39-bit Virtual-Memory System" and after; Svpbmt,
 * Svnapot): 0 V, 1 R, 2 W, 3 X, 4 U, 5 G, 6 A, 7 D, 8-9 RSW (software),
 * 10-53 PPN, 54-60 reserved, 61-62 PBMT, 63 N.  R=W=X=0 points to the
 * next table, where D, A, U, PBMT and N are reserved; W without R is a
 * reserved encoding; a superpage's low PPN bits must be zero; N only at
 * level 0 with PPN[3:0]=1000 (a 64 KiB NAPOT range); PBMT=3 is reserved.
 * Linux: RSW bit 8 is _PAGE_SPECIAL, and an entry with V=0 and G set is
 * a PROT_NONE page (present to Linux, not to the CPU); Sv39 and Sv48
 * fold the upper levels onto the root at run time, so show_pte() prints
 * the root entry under several names. */
#include <stdio.h>
#include "vmscope/pte.h"

#define BIT(n) (UINT64_C(1) << (n))
#define BITS(lo, hi) ((~UINT64_C(0) >> (63 - (hi))) & ~(BIT(lo) - 1))

/* The spec's level of a Linux level name in this mode (root: levels-1). */
static int riscv_level(const struct pte_fmt *f, enum pte_level level,
		       int *levels)
{
	int lv = (int)PTE_L_PTE - (int)(level == PTE_L_PPTE ? PTE_L_PTE : level);

	*levels = f->mode == PTE_RISCV_SV57 ? 5 : f->mode == PTE_RISCV_SV48 ? 4 : 3;
	return lv > *levels - 1 ? *levels - 1 : lv;
}

static void riscv_invalid(struct pte_entry *e)
{
	e->kind = PTE_K_INVALID;
	pte_attr_add(e, "present", "no (V=0): the other bits are free for software");
	if (e->raw & BIT(5))
		snprintf(e->note, sizeof e->note,
			 "Linux: V=0 with G (bit 5, _PAGE_PROT_NONE) is a PROT_NONE page: present to Linux, not to the CPU");
}

static void riscv_table(struct pte_entry *e)
{
	uint64_t r = e->raw;

	e->kind = PTE_K_TABLE;
	e->reserved |= r & (BIT(4) | BIT(6) | BIT(7) | BITS(61, 63));
	pte_attr_add(e, "type", "table (R=W=X=0)");
	pte_attr_add(e, "global", "%s", r & BIT(5) ? "yes (G): every mapping below is global" : "no");
	if (e->reserved)
		snprintf(e->reserved_why, sizeof e->reserved_why,
			 "bits 54-60, or U/A/D/PBMT/N, which a non-leaf entry must leave zero");
}

/* Size, NAPOT range and the alignment rules of a leaf at level lv. */
static void riscv_leaf_size(struct pte_entry *e, int lv)
{
	uint64_t r = e->raw, ppn = (r & e->addr_mask) >> 10;

	e->size = BIT(12 + 9 * lv);
	if (lv && (ppn & (BIT(9 * (unsigned)lv) - 1))) {
		e->reserved |= r & BITS(10, 10 + 9 * (unsigned)lv - 1);
		snprintf(e->reserved_why, sizeof e->reserved_why,
			 "a superpage's low PPN bits (misaligned superpage: a page fault)");
	}
	if (!(r & BIT(63)))
		return;
	if (lv || (ppn & 0xf) != 0x8) {
		e->reserved |= BIT(63);
		snprintf(e->reserved_why, sizeof e->reserved_why,
			 "N (Svnapot) is only defined at level 0 with PPN[3:0]=1000 (64 KiB)");
		return;
	}
	e->size = 64 << 10;
	e->addr &= ~(e->size - 1);
}

static void riscv_leaf(struct pte_entry *e, int lv)
{
	static const char *const pbmt[4] = { "PMA (the platform's attributes, normally cached)",
		"NC: non-cacheable, idempotent", "IO: non-cacheable, non-idempotent",
		"reserved value 3" };
	static const enum pte_mem mem[4] = { PTE_MEM_CACHED, PTE_MEM_WC,
					      PTE_MEM_DEVICE, PTE_MEM_UNKNOWN };
	uint64_t r = e->raw;
	unsigned pb = (unsigned)(r >> 61 & 3);

	e->kind = PTE_K_LEAF;
	riscv_leaf_size(e, lv);
	if (pb == 3) {
		e->reserved |= BITS(61, 62);
		snprintf(e->reserved_why, sizeof e->reserved_why, "PBMT=3 is reserved");
	}
	pte_attr_add(e, "type", "leaf: %llu KiB page%s", (unsigned long long)(e->size >> 10),
		     r & BIT(63) && !(e->reserved & BIT(63)) ? " (NAPOT range, Svnapot)" : "");
	pte_attr_add(e, "readable", "%s", r & BIT(1) ? "yes (R)" : "no");
	pte_attr_add(e, "writable", "%s", r & BIT(2) ? "yes (W)" : "no");
	pte_attr_add(e, "user", "%s", r & BIT(4) ? "yes (U)" : "no");
	pte_attr_add(e, "accessed", "%s", r & BIT(6) ? "yes (A)" : "no");
	pte_attr_add(e, "dirty", "%s", r & BIT(7) ? "yes (D)" : "no");
	pte_attr_add(e, "global", "%s", r & BIT(5) ? "yes (G)" : "no");
	pte_attr_add(e, "no-execute", "%s", r & BIT(3) ? "no (X)" : "yes (X=0)");
	pte_attr_add(e, "caching", "PBMT=%u: %s", pb, pbmt[pb]);
	e->mem = mem[pb];
}

/* Linux prints the root entry again under the names of folded levels. */
static void riscv_folded(const struct pte_fmt *f, enum pte_level level,
			 int levels, struct pte_entry *e)
{
	if (level == PTE_L_PGD || level == PTE_L_PPTE || e->note[0] ||
	    (int)PTE_L_PTE - (int)level < levels - 1)
		return;
	snprintf(e->note, sizeof e->note,
		 "%s has %d levels: Linux folds %s onto the root table at run time and prints the root entry again",
		 pte_mode_name(PTE_RISCV, f->mode), levels, pte_level_name(level));
}

void pte_riscv_decode(const struct pte_fmt *f, enum pte_level level,
		      struct pte_entry *e)
{
	int levels, lv = riscv_level(f, level, &levels);
	uint64_t r = e->raw;

	snprintf(e->hwname, sizeof e->hwname, "level %d", lv);
	e->addr_mask = BITS(10, 53);
	e->addr = (r & e->addr_mask) << 2;
	riscv_folded(f, level, levels, e);
	if (!r) {
		e->kind = PTE_K_NONE;
		pte_attr_add(e, "present", "no (empty entry)");
		return;
	}
	if (!(r & 1)) {
		riscv_invalid(e);
		return;
	}
	e->present = true;
	pte_attr_add(e, "present", "yes (V)");
	e->reserved = r & BITS(54, 60);
	if ((r & BIT(2)) && !(r & BIT(1))) {
		e->kind = PTE_K_INVALID;
		e->reserved |= BIT(2);
		pte_attr_add(e, "type", "reserved encoding: W without R (XWR=%u%u%u)",
			     (unsigned)(r >> 3 & 1), 1u, 0u);
		snprintf(e->reserved_why, sizeof e->reserved_why,
			 "XWR=010 and 110 are reserved (a writable page must be readable)");
	} else if (!(r & (BIT(1) | BIT(3)))) {
		riscv_table(e);
	} else {
		riscv_leaf(e, lv);
	}
	pte_attr_add(e, "software", "RSW=%u%s", (unsigned)(r >> 8 & 3),
		     r & BIT(8) ? " (Linux: _PAGE_SPECIAL)" : "");
	if (e->reserved & BITS(54, 60))
		snprintf(e->reserved_why, sizeof e->reserved_why,
			 "bits 54-60 are reserved (a page fault)%s",
			 r & BITS(59, 60) ? "; T-Head C9xx cores (XTheadMae) keep memory types in bits 59-63" : "");
}
