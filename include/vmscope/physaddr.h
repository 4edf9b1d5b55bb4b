/* SPDX-License-Identifier: GPL-3.0-or-later */
/* physaddr: virtual -> physical translation with the exact reason when
 * there is none, and the physical address of VM_PFNMAP/VM_IO mappings
 * where the system can tell (UIO sysfs, /dev/mem file offset). */
#ifndef VMSCOPE_PHYSADDR_H
#define VMSCOPE_PHYSADDR_H

#include <stdbool.h>
#include <stdint.h>
#include "vmscope/err.h"
#include "vmscope/root.h"
#include "vmscope/vmas.h"
#include "vmscope/pages.h"

/* Physical address of a gap VMA (no struct page) found another way. */
struct gap_phys {
	bool known;
	uint64_t phys;        /* of the queried vaddr */
	uint64_t base;        /* physical address of vma->start */
	uint64_t size;        /* size of the region the source describes */
	char source[160];     /* "uio0 map1 (sysfs)", "/dev/mem file offset" */
	char region[128];     /* UIO map name, untrusted text, "" if none */
};

/* Resolve a gap VMA at vaddr: UIO from ROOT/sys/class/uio/uioN/maps/mapM
 * (M = vma->offset / page size), /dev/mem from the file offset.  Returns
 * 0 with out->known false when no interface tells (vvar, other drivers);
 * -1 only when the sysfs data that should be there is missing or
 * malformed (e names it). */
int physaddr_of_gap(const struct vms_root *r, const struct vma *v,
		    uint64_t vaddr, struct gap_phys *out, struct vms_err *e);

enum xlate_result {
	XLATE_OK = 0,        /* phys is valid (pagemap, or gap resolved) */
	XLATE_NOT_MAPPED,    /* no VMA contains the address */
	XLATE_NOT_PRESENT,   /* mapped but no page behind it now */
	XLATE_SWAPPED,       /* in swap: swap_type/swap_offset */
	XLATE_GAP,           /* VM_PFNMAP/VM_IO, physical address unknown */
	XLATE_HIDDEN,        /* present, PFN hidden (no CAP_SYS_ADMIN) */
};

struct translation {
	enum xlate_result result;
	uint64_t vaddr;
	uint64_t phys;       /* XLATE_OK */
	uint64_t pfn;        /* XLATE_OK via pagemap */
	bool via_pagemap;    /* false: from physaddr_of_gap */
	bool gap;            /* the VMA is PFNMAP/IO (even when resolved) */
	uint64_t pm;         /* raw pagemap entry (0 for gaps) */
	struct page_info page; /* with kpage data when read */
	struct gap_phys gp;  /* gap VMAs */
	const struct vma *vma; /* NULL for XLATE_NOT_MAPPED */
	char reason[512];    /* one or two sentences, always filled */
};

/* Translate vaddr in the process of c using vmas (read by the caller). */
int physaddr_translate(struct pages_ctx *c, const struct vma_list *vmas,
		       uint64_t vaddr, struct translation *t,
		       struct vms_err *e);

const char *xlate_result_name(enum xlate_result r); /* "not-present" */

#endif
