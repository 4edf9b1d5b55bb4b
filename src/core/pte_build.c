/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pte_build: the entry Linux writes when a driver maps device memory to
 * user space the usual way, io_remap_pfn_range(vma, addr, phys >>
 * PAGE_SHIFT, size, pgprot_noncached(vma->vm_page_prot)) of a shared
 * mapping (UIO's and /dev/mem's mmap of registers do this), after the
 * first write: present, user, accessed, dirty, never executable,
 * uncached.  Per architecture from the same manuals as the decoders:
 * x86 PCD (PAT index 2, UC-), ARM32 TEX remap index 0 (strongly ordered)
 * with nG, arm64 AttrIndx of Device-nGnRnE with nG and inner shareable,
 * RISC-V PBMT=IO. */
#include <stdio.h>
#include "vmscope/pte.h"

#define BIT(n) (UINT64_C(1) << (n))

/* Linux's MAIR slot of Device-nGnRnE for that kernel. */
static unsigned arm64_device_index(const struct pte_fmt *f)
{
	unsigned v = f->kernel[0] * 100 + f->kernel[1];

	return v && v < 510 ? 0 : v && v < 514 ? 4 : 3;
}

uint64_t pte_build_device(const struct pte_fmt *f, uint64_t phys,
			  bool writable, enum pte_level *level)
{
	uint64_t page = phys & ~UINT64_C(0xfff);

	*level = PTE_L_PTE;
	switch (f->arch) {
	case PTE_X86_64:
	case PTE_X86_32:
		return page | 1 | (writable ? 2 | BIT(6) : 0) | 4 | BIT(4) | BIT(5) |
		       (f->arch == PTE_X86_64 || f->mode == PTE_X86_PAE ? BIT(63) : 0);
	case PTE_ARM:
		if (f->mode == PTE_ARM_LPAE)
			return page | 3 | BIT(6) | (writable ? 0 : BIT(7)) | (3u << 8) |
			       BIT(10) | BIT(11) | BIT(54) | (writable ? BIT(55) : 0);
		*level = PTE_L_PPTE;  /* AP=011 (or 111 read-only), XN, nG */
		return (page & 0xfffff000u) | 2 | 1 | (3u << 4) |
		       (writable ? 0 : BIT(9)) | BIT(11);
	case PTE_ARM64:
		return page | 3 | (arm64_device_index(f) << 2) | BIT(6) |
		       (writable ? 0 : BIT(7)) | (3u << 8) | BIT(10) | BIT(11) |
		       (writable ? BIT(51) | BIT(55) : 0) | BIT(53) | BIT(54);
	case PTE_RISCV:
		return ((page >> 12) << 10) | 1 | 2 | (writable ? 4 | BIT(7) : 0) |
		       BIT(4) | BIT(6) | (UINT64_C(2) << 61);
	case PTE_ARCH_NONE:
		break;
	}
	return 0;
}

size_t pte_build_text(const struct pte_fmt *f, enum pte_level level,
		      uint64_t raw, char *buf, size_t n)
{
	static const unsigned arm64_kib[] = { 4, 16, 64 };
	static const unsigned riscv_va[] = { 39, 48, 57 };
	unsigned long long v = (unsigned long long)raw;
	int m = f->mode >= 0 && f->mode <= 2 ? f->mode : 0, k = 0;

	switch (f->arch) {
	case PTE_X86_64:
		k = snprintf(buf, n, "PTE %016llx", v);
		break;
	case PTE_X86_32:
		k = f->mode == PTE_X86_PAE ? snprintf(buf, n, "*pte = %016llx", v)
					   : snprintf(buf, n, "*pte = %08llx", v);
		break;
	case PTE_ARM:
		k = level == PTE_L_PPTE ? snprintf(buf, n, "*ppte=%08llx", v)
					: snprintf(buf, n, "*pte=%016llx", v);
		break;
	case PTE_ARM64:
		k = snprintf(buf, n, "pgtable: %uk pages, %u-bit VAs\npte=%016llx",
			     arm64_kib[m], f->va_bits ? f->va_bits : 48, v);
		break;
	case PTE_RISCV:
		k = snprintf(buf, n, "pgtable: 4K pagesize, %u-bit VAs\npte=%016llx",
			     riscv_va[m], v);
		break;
	case PTE_ARCH_NONE:
		k = snprintf(buf, n, "%016llx", v);
		break;
	}
	return k > 0 ? (size_t)k : 0;
}
