/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pte_riscv: Sv39, Sv48 and Sv57 entries (RISC-V privileged spec,
 * "Sv39: Page-Based 39-bit Virtual-Memory System" and after): 0 V, 1 R,
 * 2 W, 3 X, 4 U, 5 G, 6 A, 7 D, 8-9 RSW (software), 10-53 PPN, 54-60
 * reserved, 61-62 PBMT (Svpbmt), 63 N (Svnapot).  R=W=X=0 points to the
 * next table, where D, A, U, PBMT and N are reserved; W without R is
 * reserved. */
#include <stdio.h>
#include "vmscope/pte.h"

#define BIT(n) (UINT64_C(1) << (n))
#define BITS(lo, hi) ((~UINT64_C(0) >> (63 - (hi))) & ~(BIT(lo) - 1))

void pte_riscv_decode(const struct pte_fmt *f, enum pte_level level,
		      struct pte_entry *e)
{
	static const char *const pbmt[4] = { "PMA (the platform's attributes, normally cached)",
		"NC: non-cacheable, idempotent", "IO: non-cacheable, non-idempotent",
		"reserved" };
	static const enum pte_mem mem[4] = { PTE_MEM_CACHED, PTE_MEM_WC,
					      PTE_MEM_DEVICE, PTE_MEM_UNKNOWN };
	int levels = f->mode == PTE_RISCV_SV57 ? 5 : f->mode == PTE_RISCV_SV48 ? 4 : 3;
	int lv = (int)PTE_L_PTE - (int)(level == PTE_L_PPTE ? PTE_L_PTE : level);
	uint64_t r = e->raw;
	unsigned pb = (unsigned)(r >> 61 & 3);

	if (lv > levels - 1)
		lv = levels - 1;
	snprintf(e->hwname, sizeof e->hwname, "level %d", lv);
	e->addr_mask = BITS(10, 53);
	e->addr = (r & e->addr_mask) << 2;
	if (!r) {
		e->kind = PTE_K_NONE;
		pte_attr_add(e, "present", "no (empty entry)");
		return;
	}
	if (!(r & 1)) {
		e->kind = PTE_K_INVALID;
		pte_attr_add(e, "present", "no (V=0): the other bits are free for software");
		return;
	}
	e->present = true;
	pte_attr_add(e, "present", "yes");
	e->reserved = r & BITS(54, 60);
	if (!(r & (BIT(1) | BIT(3)))) {
		e->kind = (r & BIT(2)) ? PTE_K_INVALID : PTE_K_TABLE;
		e->reserved |= r & (BIT(2) | BIT(4) | BIT(6) | BIT(7) | BITS(61, 63));
		pte_attr_add(e, "type", "%s", r & BIT(2) ? "reserved: W without R" : "table");
	} else {
		e->kind = PTE_K_LEAF;
		e->size = BIT(12 + 9 * lv);
		if (lv && (e->addr & (e->size - 1))) {
			e->reserved |= r & BITS(10, 10 + 9 * (unsigned)lv - 1);
		}
		pte_attr_add(e, "type", "leaf: %llu KiB page%s",
			     (unsigned long long)(e->size >> 10),
			     r & BIT(63) ? " (NAPOT range, Svnapot)" : "");
		pte_attr_add(e, "writable", "%s", r & BIT(2) ? "yes (W)" : "no");
		pte_attr_add(e, "readable", "%s", r & BIT(1) ? "yes (R)" : "no");
		pte_attr_add(e, "user", "%s", r & BIT(4) ? "yes (U)" : "no");
		pte_attr_add(e, "accessed", "%s", r & BIT(6) ? "yes (A)" : "no");
		pte_attr_add(e, "dirty", "%s", r & BIT(7) ? "yes (D)" : "no");
		pte_attr_add(e, "global", "%s", r & BIT(5) ? "yes (G)" : "no");
		pte_attr_add(e, "no-execute", "%s", r & BIT(3) ? "no (X)" : "yes");
		pte_attr_add(e, "caching", "PBMT=%u: %s", pb, pbmt[pb]);
		e->mem = mem[pb];
	}
	pte_attr_add(e, "software", "RSW=%u%s", (unsigned)(r >> 8 & 3),
		     r & BIT(8) ? " (Linux: special)" : "");
	if (e->reserved)
		snprintf(e->reserved_why, sizeof e->reserved_why, "%s",
			 e->kind == PTE_K_TABLE ? "bits 54-60, or D/A/U/PBMT/N in a non-leaf entry" :
			 e->kind == PTE_K_LEAF ? "bits 54-60, or a superpage's low PPN bits (misaligned superpage)" :
			 "bits 54-60, or W without R");
}
