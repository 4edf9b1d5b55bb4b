/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ptecheck: placement of a decoded entry on the machine's map and the
 * classic mistakes (see ptecheck.h).  The kernel address ranges named
 * without a map are the kernels' documented defaults: x86_64
 * Documentation/arch/x86/x86_64/mm.rst (4-level), ARM32 PAGE_OFFSET
 * 0xc0000000 (3G/1G split) with vmalloc from 0xf0000000. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "vmscope/explain.h"
#include "vmscope/kpage.h"
#include "vmscope/ptecheck.h"

static bool kind_ram(enum krange_kind k)
{
	return k == KR_RAM || k == KR_KERNEL || k == KR_CMA;
}

static bool kind_device(enum krange_kind k)
{
	return k == KR_DEVICE || k == KR_BUS || k == KR_IOREMAP || k == KR_UIO;
}

void ptecheck_place(const struct kranges *k, uint64_t addr,
		    struct pte_place *pl)
{
	size_t i;

	memset(pl, 0, sizeof pl[0]);
	if (!k)
		return;
	for (i = 0; i < k->n; i++)
		if (k->r[i].space == KSPACE_PHYS && k->r[i].kind == KR_RAM) {
			pl->map_known = true;
			if (k->r[i].end > pl->ram_end)
				pl->ram_end = k->r[i].end;
		}
	pl->range = kranges_lookup_phys(k, addr);
	if (pl->range) {
		kranges_path(k, pl->range, " > ", pl->path, sizeof pl->path);
		pl->in_ram = kind_ram(pl->range->kind);
		pl->in_device = kind_device(pl->range->kind);
	}
	pl->beyond_ram = pl->map_known && addr >= pl->ram_end && !pl->range;
}

void ptecheck_read_page(const struct vms_root *r, uint64_t pfn,
			struct pte_place *pl)
{
	struct kpage kp;
	struct vms_err e;

	if (!r->pfn_visible) {
		snprintf(pl->page_why, sizeof pl->page_why, "%s", explain_pfn_hidden());
		return;
	}
	kpage_open(r, &kp);
	if (kpage_check(&kp, 3, &e) < 0 ||
	    kpage_read(&kp, &pfn, NULL, 1, &pl->kflags, &pl->kcount, NULL, &e) < 0)
		snprintf(pl->page_why, sizeof pl->page_why, "%s", e.msg);
	else
		pl->have_page = true;
	kpage_close(&kp);
}

static struct pte_finding *add(struct ptecheck_result *res, const char *id)
{
	struct pte_finding *f;

	if (res->n >= PTECHECK_MAX)
		return NULL;
	f = &res->f[res->n++];
	memset(f, 0, sizeof *f);
	snprintf(f->id, sizeof f->id, "%s", id);
	return f;
}

struct kva_range {
	uint64_t lo, hi;
	const char *name;
	int adv;
};

static const struct kva_range kva_x86[] = {
	{ 0xffff888000000000u, 0xffffc88000000000u, "the direct map of all RAM (page_offset_base)", 0 },
	{ 0xffff810000000000u, 0xffffc10000000000u, "the direct map of all RAM (2.6-era layout)", 0 },
	{ 0xffffc90000000000u, 0xffffe90000000000u, "vmalloc/ioremap space", 1 },
	{ 0xffffea0000000000u, 0xffffeb0000000000u, "the struct page array (vmemmap)", 2 },
	{ 0xffffffff80000000u, 0xffffffffa0000000u, "the kernel image (text and static data)", 2 },
	{ 0xffffffffa0000000u, 0xffffffffff000000u, "module space", 2 },
	{ 0, 0, NULL, 0 },
}, kva_arm[] = {
	{ 0xc0000000u, 0xf0000000u, "lowmem, the kernel's linear map of RAM", 0 },
	{ 0xf0000000u, 0xff800000u, "vmalloc/ioremap space", 1 },
	{ 0xbf000000u, 0xc0000000u, "module space", 2 },
	{ 0, 0, NULL, 0 },
};

/* A kernel virtual address's region (the map's, else the default) and
 * what a driver should pass instead of a pointer into it. */
static const char *kva_region(const struct pte_fmt *f, const struct kranges *k,
			      uint64_t va, const char **advice)
{
	static const char *const adv[] = {
		"pass virt_to_phys(ptr) >> PAGE_SHIFT (page_to_pfn(virt_to_page(ptr))), not the pointer",
		"an ioremap() cookie has no frame of its own: pass the physical address given to ioremap() (the resource start) >> PAGE_SHIFT to io_remap_pfn_range(); for a vmalloc() buffer use remap_vmalloc_range()",
		"pass __pa_symbol(sym) >> PAGE_SHIFT for kernel data (rarely what user space should see), not the pointer",
	};
	const struct krange *r = k ? kranges_lookup(k, KSPACE_VIRT, va) : NULL;
	const struct kva_range *t = f->arch == PTE_ARM || f->arch == PTE_X86_32 ?
				    kva_arm : kva_x86;

	*advice = adv[0];
	for (; t->name; t++)
		if (va >= t->lo && va < t->hi) {
			*advice = adv[t->adv];
			return r && r->name ? r->name : t->name;
		}
	return r && r->name ? r->name : "kernel address space";
}

static void kva_64(const struct pte_fmt *f, const struct kranges *k,
		   const struct pte_entry *e, struct ptecheck_result *res)
{
	uint64_t va = e->raw & ~UINT64_C(0xfff), un = (e->raw >> 12) | (UINT64_C(0xfff) << 52);
	const char *adv, *where;
	struct pte_finding *fd;

	if (va >> 48 == 0xffff) {
		where = kva_region(f, k, va, &adv);
		if (!(fd = add(res, "kernel-virtual-address")))
			return;
		snprintf(fd->evidence, sizeof fd->evidence,
			 "the entry 0x%016llx is the kernel virtual address 0x%016llx (%s) with flag bits 0x%03llx: its frame field holds the upper bits of a kernel pointer, and bits 48-63 are all ones as a kernel address's are",
			 (unsigned long long)e->raw, (unsigned long long)va, where,
			 (unsigned long long)(e->raw & 0xfff));
		snprintf(fd->advice, sizeof fd->advice, "%s", adv);
	} else if (f->arch == PTE_X86_64 && e->kind == PTE_K_LEAF && e->size == 4096 &&
		   e->addr >> 47 == 0x1f) {
		/* since Linux 4.18 pfn_pte() keeps bits 12-51 only: a kernel
		 * pointer >> PAGE_SHIFT leaves its low 52 bits, bits 47-51
		 * all ones */
		va = e->addr | (UINT64_C(0xfff) << 52);
		where = kva_region(f, k, va, &adv);
		if (!(fd = add(res, "kernel-virtual-address")))
			return;
		snprintf(fd->evidence, sizeof fd->evidence,
			 "the frame field holds 0x%llx: bits 47-51 all ones, as the low 52 bits of a kernel address have them; sign-extended it is 0x%016llx (%s), a pointer >> PAGE_SHIFT passed as the frame number",
			 (unsigned long long)e->addr, (unsigned long long)va, where);
		snprintf(fd->advice, sizeof fd->advice, "%s", adv);
	} else if (f->arch == PTE_X86_64 && e->kind == PTE_K_LEAF && !e->addr) {
		if (!(fd = add(res, "frame-zero")))
			return;
		snprintf(fd->evidence, sizeof fd->evidence,
			 "the entry maps physical page 0 (the real-mode interrupt table and BIOS data, reserved): what a frame number becomes when pfn << PAGE_SHIFT pushes all its bits above bit 51, as an address passed where a frame number belongs does");
		snprintf(fd->advice, sizeof fd->advice,
			 "pass a frame number: phys >> PAGE_SHIFT for device memory, virt_to_phys(ptr) >> PAGE_SHIFT for a kernel buffer, not an address");
	} else if (f->arch == PTE_X86_64 && un >> 47 == 0x1ffff && (e->raw & 1)) {
		where = kva_region(f, k, un, &adv);
		if (!strcmp(where, "kernel address space") || !(fd = add(res, "pointer-as-pfn")))
			return;
		snprintf(fd->evidence, sizeof fd->evidence,
			 "the entry shifted right by 12 and sign-extended is 0x%016llx (%s): the pointer itself was passed as the frame number, so pfn << PAGE_SHIFT pushed its bits into the flags",
			 (unsigned long long)un, where);
		snprintf(fd->advice, sizeof fd->advice, "%s", adv);
	}
}

static void kva_32(const struct pte_fmt *f, const struct kranges *k,
		   const struct pte_entry *e, bool hw_garbage,
		   struct ptecheck_result *res)
{
	const struct pte_place *pl = &res->place;
	uint64_t a = e->raw & 0xfffff000u;
	const char *adv, *where;
	struct pte_finding *fd;

	if (a < 0xbf000000u || (pl->map_known && pl->range) ||
	    (!pl->map_known && !(hw_garbage && !e->present)))
		return;
	where = kva_region(f, k, a, &adv);
	if (!(fd = add(res, "kernel-virtual-address")))
		return;
	snprintf(fd->evidence, sizeof fd->evidence,
		 "the frame field holds 0x%08llx, an address in %s; %s",
		 (unsigned long long)a, where, pl->map_known ?
		 "nothing of this machine's physical map is there" :
		 "and the hardware entry of this walk is a non-zero fault entry, which Linux never writes (it writes 0 for an absent page): the table holds pointers, not entries");
	snprintf(fd->advice, sizeof fd->advice, "%s", adv);
}

/* Reserved bits, with the CPU's own word when the message has it. */
static void reserved(const struct pte_entry *e, const struct oops_report *o,
		     struct ptecheck_result *res)
{
	bool cpu = o && ((o->have_error_code && (o->error_code & PTE_X86_PF_RSVD)) ||
			 o->bad_pagetable);
	struct pte_finding *fd;

	if (!e->reserved && !(cpu && e->reserved_why[0] && e->kind == PTE_K_LEAF))
		return;
	if (!(fd = add(res, "reserved-bits")))
		return;
	if (e->reserved)
		snprintf(fd->evidence, sizeof fd->evidence,
			 "reserved bits 0x%016llx are set (%s)%s",
			 (unsigned long long)e->reserved, e->reserved_why,
			 cpu ? "; the CPU faulted on them (RSVD / Bad pagetable)" : "");
	else
		snprintf(fd->evidence, sizeof fd->evidence,
			 "the CPU reported a reserved bit or an address size fault, and this entry's only candidate is its address 0x%llx: %s; so this CPU's physical addresses are narrower than this one",
			 (unsigned long long)e->addr, e->reserved_why);
	if (strstr(e->reserved_why, "large page"))
		snprintf(fd->advice, sizeof fd->advice,
			 "a huge page's frame must be aligned to its size: pass a pfn aligned to it (vmf_insert_pfn_pmd() and _pud() need one)");
	else if (!e->reserved || strstr(e->reserved_why, "MAXPHYADDR") ||
		 strstr(e->reserved_why, "address size") || strstr(e->reserved_why, "47:40"))
		snprintf(fd->advice, sizeof fd->advice,
			 "the frame number is wider than this CPU's physical addresses: the value passed as pfn was not a frame number (see the other findings), or the device address it names is wrong");
	else
		snprintf(fd->advice, sizeof fd->advice,
			 "bits the architecture reserves are set: the entry was not made by the kernel's helpers (pfn_pte(), mk_pte()) from a frame and a pgprot_t; look for a stray write into the page table or a value built by hand");
}

static void map_checks(const struct pte_entry *e, struct ptecheck_result *res,
		       const struct kranges *k)
{
	const struct pte_place *pl = &res->place;
	struct pte_finding *fd;

	if (pl->map_known && !pl->range && (e->addr & 0xffffff) == 0 && e->addr) {
		const struct krange *r = kranges_lookup_phys(k, e->addr >> 12);

		if (r && (kind_ram(r->kind) || kind_device(r->kind) ||
			  r->kind == KR_CARVEOUT) && (fd = add(res, "phys-not-shifted"))) {
			snprintf(fd->evidence, sizeof fd->evidence,
				 "0x%llx is on no range of the map, but 0x%llx (the address >> 12) is in %s",
				 (unsigned long long)e->addr,
				 (unsigned long long)(e->addr >> 12), r->name ? r->name : "a range");
			snprintf(fd->advice, sizeof fd->advice,
				 "pass the frame number phys >> PAGE_SHIFT (PHYS_PFN(phys)), not the physical address");
			return;
		}
	}
	if (pl->beyond_ram && (fd = add(res, "beyond-ram"))) {
		snprintf(fd->evidence, sizeof fd->evidence,
			 "0x%llx is beyond the end of RAM (0x%llx) and on no device range of the map",
			 (unsigned long long)e->addr, (unsigned long long)pl->ram_end);
		snprintf(fd->advice, sizeof fd->advice,
			 "check the address the driver computes: a device's registers are where /proc/iomem or the device tree says (pci_resource_start(), platform_get_resource()); RAM is below 0x%llx",
			 (unsigned long long)pl->ram_end);
	}
	if (e->kind != PTE_K_LEAF)
		return;
	if (pl->in_device && e->mem == PTE_MEM_CACHED && (fd = add(res, "cached-device"))) {
		snprintf(fd->evidence, sizeof fd->evidence,
			 "device memory (%s) is mapped cached", pl->path);
		snprintf(fd->advice, sizeof fd->advice,
			 "map registers with io_remap_pfn_range(vma, addr, pfn, size, pgprot_noncached(vma->vm_page_prot)) (arm64: pgprot_device()); cached accesses to registers are merged, reordered and speculated");
	} else if (pl->in_ram && (e->mem == PTE_MEM_DEVICE || e->mem == PTE_MEM_WC) &&
		   (fd = add(res, "uncached-ram"))) {
		snprintf(fd->evidence, sizeof fd->evidence,
			 "RAM (%s) is mapped %s while the kernel's own mapping of it is cached",
			 pl->path, pte_mem_name(e->mem));
		snprintf(fd->advice, sizeof fd->advice,
			 "for a DMA buffer allocate with dma_alloc_coherent() and map with dma_mmap_coherent(), which chooses the attributes the platform needs; for ordinary RAM keep vma->vm_page_prot (cached)");
	}
}

void ptecheck_entry(const struct pte_fmt *f, const struct kranges *k,
		    const struct oops_report *o, const struct pte_entry *e,
		    bool hw_garbage, struct ptecheck_result *res)
{
	memset(res, 0, sizeof *res);
	if (e->kind == PTE_K_NONE)
		return;
	res->placed = e->kind != PTE_K_INVALID || e->addr;
	if (res->placed)
		ptecheck_place(k, e->addr, &res->place);
	if (f->arch == PTE_X86_64 || f->arch == PTE_ARM64 || f->arch == PTE_RISCV)
		kva_64(f, k, e, res);
	else
		kva_32(f, k, e, hw_garbage, res);
	reserved(e, o, res);
	if (res->placed && (e->kind != PTE_K_INVALID))
		map_checks(e, res, k);
}
