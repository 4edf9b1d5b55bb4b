/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ptecheck: a decoded page-table entry placed on the machine's map
 * (kranges: RAM, carve-outs, reserved and device ranges) and, live, its
 * frame's kpageflags; and the classic mistakes of a driver that maps
 * memory to user space, named with the numbers that show them: a kernel
 * virtual address passed where a frame number belongs, a physical
 * address passed without >> PAGE_SHIFT, a frame beyond the end of RAM,
 * reserved bits set, cached attributes on device memory or uncached on
 * RAM.  Each finding says what the driver should pass instead. */
#ifndef VMSCOPE_PTECHECK_H
#define VMSCOPE_PTECHECK_H

#include <stdbool.h>
#include <stdint.h>
#include "vmscope/kranges.h"
#include "vmscope/oops.h"
#include "vmscope/pte.h"
#include "vmscope/root.h"

struct pte_place {
	bool map_known;           /* the map has RAM ranges to compare with */
	const struct krange *range; /* innermost physical range, or NULL */
	char path[256];           /* "System RAM > Kernel code", untrusted */
	bool in_ram, in_device, beyond_ram;
	uint64_t ram_end;         /* end of the highest RAM range */
	bool have_page;           /* kpageflags read */
	uint64_t kflags, kcount;
	char page_why[200];       /* why not, when !have_page */
};

#define PTECHECK_MAX 6

struct pte_finding {
	char id[24];              /* "kernel-virtual-address", ... */
	char evidence[400];
	char advice[400];
};

struct ptecheck_result {
	struct pte_place place;
	bool placed;              /* the entry has an address to place */
	struct pte_finding f[PTECHECK_MAX];
	unsigned n;
};

/* Where physical address addr sits on k (NULL: no map). */
void ptecheck_place(const struct kranges *k, uint64_t addr,
		    struct pte_place *pl);
/* kpageflags and kpagecount of pfn on root r into pl (page_why says why
 * not: hidden from this user, not in the snapshot). */
void ptecheck_read_page(const struct vms_root *r, uint64_t pfn,
			struct pte_place *pl);
/* Place e and look for the mistakes.  o (may be NULL) is the message it
 * came from (error code, "Bad pagetable"); hw_garbage: the hardware
 * entry of the same walk is a non-zero fault entry, which Linux never
 * writes (ARM32). */
void ptecheck_entry(const struct pte_fmt *f, const struct kranges *k,
		    const struct oops_report *o, const struct pte_entry *e,
		    bool hw_garbage, struct ptecheck_result *res);

#endif
