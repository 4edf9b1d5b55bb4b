/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/explain.h"
#include "vmscope/physaddr.h"

/* Read a sysfs attribute holding one number (hex with 0x, or decimal). */
static int read_sysfs_u64(const struct vms_root *r, const char *rel,
			  uint64_t *out, struct vms_err *e)
{
	char *text, *end;
	size_t len;
	unsigned long long v;

	if (root_read_text(r, rel, &text, &len, e) < 0)
		return -1;
	errno = 0;
	v = strtoull(text, &end, 0);
	while (*end == '\n' || *end == ' ')
		end++;
	if (errno || end == text || *end) {
		err_set(e, VMS_EFORMAT, "%s: '%.40s' is not a number", rel, text);
		free(text);
		return -1;
	}
	free(text);
	*out = v;
	return 0;
}

/* uioN from "/dev/uioN"; -1 if the name is not that. */
static long uio_number(const char *name)
{
	const char *p = name + strlen("/dev/uio");
	char *end;
	long n;

	if (strncmp(name, "/dev/uio", 8) != 0 || *p < '0' || *p > '9')
		return -1;
	n = strtol(p, &end, 10);
	return *end || n < 0 || n > 1000000 ? -1 : n;
}

static int uio_resolve(const struct vms_root *r, const struct vma *v,
		       uint64_t vaddr, struct gap_phys *out, struct vms_err *e)
{
	long uio = uio_number(v->name);
	uint64_t map = v->offset >> r->page_shift, addr, size, in_page = 0;
	char dir[96], rel[160];

	if (uio < 0) {
		err_set(e, VMS_EFORMAT, "'%s' is not a /dev/uioN device", v->name);
		return -1;
	}
	snprintf(dir, sizeof dir, "sys/class/uio/uio%ld/maps/map%" PRIu64, uio, map);
	snprintf(rel, sizeof rel, "%s/addr", dir);
	if (!root_exists(r, rel)) {
		err_set(e, ENOENT,
			"uio%ld has no map%" PRIu64 " in %s/sys/class/uio/uio%ld/maps (the mapping's offset 0x%" PRIx64 " selects map %" PRIu64 "): the driver did not register it, or the snapshot lacks uio sysfs",
			uio, map, r->live ? "" : r->path, uio, v->offset, map);
		return -1;
	}
	if (read_sysfs_u64(r, rel, &addr, e) < 0)
		return -1;
	snprintf(rel, sizeof rel, "%s/size", dir);
	if (read_sysfs_u64(r, rel, &size, e) < 0)
		return -1;
	snprintf(rel, sizeof rel, "%s/offset", dir);
	if (root_exists(r, rel) && read_sysfs_u64(r, rel, &in_page, e) < 0)
		return -1;
	/* uio_mmap_physical maps from the page holding addr; the region's
	 * registers start "offset" bytes into the first page. */
	out->base = addr & ~(uint64_t)(r->page_size - 1);
	out->size = size;
	out->phys = out->base + (vaddr - v->start);
	out->known = true;
	snprintf(rel, sizeof rel, "%s/name", dir);
	out->region[0] = '\0';
	if (root_exists(r, rel)) {
		char *name;
		size_t len;

		if (root_read_text(r, rel, &name, &len, NULL) == 0) {
			while (len && (name[len - 1] == '\n' || name[len - 1] == ' '))
				name[--len] = '\0';
			snprintf(out->region, sizeof out->region, "%s", name);
			free(name);
		}
	}
	snprintf(out->source, sizeof out->source,
		 "uio%ld map%" PRIu64 " (sysfs addr 0x%" PRIx64 ", size 0x%" PRIx64 ")",
		 uio, map, addr, size);
	(void)in_page;
	return 0;
}

int physaddr_of_gap(const struct vms_root *r, const struct vma *v,
		    uint64_t vaddr, struct gap_phys *out, struct vms_err *e)
{
	memset(out, 0, sizeof *out);
	if (vaddr < v->start || vaddr >= v->end)
		vaddr = v->start;
	switch (v->kind) {
	case VMA_KIND_UIO:
		return uio_resolve(r, v, vaddr, out, e);
	case VMA_KIND_DEVMEM:
		out->known = true;
		out->base = v->offset;
		out->size = v->end - v->start;
		out->phys = v->offset + (vaddr - v->start);
		snprintf(out->source, sizeof out->source, "/dev/mem file offset");
		return 0;
	default:
		snprintf(out->source, sizeof out->source, "none");
		return 0;
	}
}

const char *xlate_result_name(enum xlate_result res)
{
	switch (res) {
	case XLATE_OK: return "ok";
	case XLATE_NOT_MAPPED: return "not-mapped";
	case XLATE_NOT_PRESENT: return "not-present";
	case XLATE_SWAPPED: return "swapped";
	case XLATE_GAP: return "gap";
	case XLATE_HIDDEN: return "pfn-hidden";
	}
	return "unknown";
}

/* A VMA pagemap cannot see (VM_PFNMAP/VM_IO): the address from UIO
 * sysfs or the /dev/mem offset where the system gives it. */
static void translate_gap(const struct vms_root *r, const struct vma *v,
			  uint64_t vaddr, uint64_t page, uint64_t pagemap_end,
			  struct translation *t)
{
	char why[EXPLAIN_GAP_MAX];
	struct vms_err ge;

	t->gap = true;
	t->page.vaddr = page;
	t->page.state = PAGE_GAP;
	if (physaddr_of_gap(r, v, vaddr, &t->gp, &ge) < 0) {
		t->result = XLATE_GAP;
		snprintf(t->reason, sizeof t->reason, "%s %s",
			 explain_gap(v, pagemap_end, why, sizeof why), ge.msg);
		return;
	}
	if (t->gp.known) {
		t->result = XLATE_OK;
		t->phys = t->gp.phys;
		snprintf(t->reason, sizeof t->reason,
			 "no struct page (VM_PFNMAP/VM_IO): physical address from %s.",
			 t->gp.source);
	} else {
		t->result = XLATE_GAP;
		snprintf(t->reason, sizeof t->reason, "%s",
			 explain_gap(v, pagemap_end, why, sizeof why));
	}
}

/* A page pagemap says is not present: why, by what the VMA holds. */
static void translate_not_present(const struct vma *v,
				  const struct pagemap_entry *pe,
				  struct translation *t)
{
	t->result = XLATE_NOT_PRESENT;
	if (pe->guard)
		snprintf(t->reason, sizeof t->reason,
			 "a guard region (MADV_GUARD_INSTALL): any access faults, no page is ever mapped here.");
	else if (v->kind == VMA_KIND_FILE || v->kind == VMA_KIND_SHMEM)
		snprintf(t->reason, sizeof t->reason,
			 "not present: this page of the %s is not mapped into the process now (not yet accessed, or reclaimed); the next access faults it in%s.",
			 v->kind == VMA_KIND_FILE ? "file mapping" : "shared memory",
			 v->kind == VMA_KIND_FILE ? " from the page cache" : "");
	else
		snprintf(t->reason, sizeof t->reason,
			 "not present: the page was never touched (or was reclaimed); the first access will allocate one.");
}

int physaddr_translate(struct pages_ctx *c, const struct vma_list *vmas,
		       uint64_t vaddr, struct translation *t,
		       struct vms_err *e)
{
	const struct vms_root *r = c->root;
	uint64_t mask = (uint64_t)r->page_size - 1, page = vaddr & ~mask;
	struct pagemap_entry pe;
	const struct vma *v;

	memset(t, 0, sizeof *t);
	t->vaddr = vaddr;
	v = t->vma = vmas_find(vmas, vaddr);
	if (!v) {
		t->result = XLATE_NOT_MAPPED;
		snprintf(t->reason, sizeof t->reason,
			 "0x%" PRIx64 " is in no mapping of process %d: nothing is there, an access would fault (SIGSEGV).",
			 vaddr, c->pid);
		return 0;
	}
	if (vma_is_gap(v)) {
		translate_gap(r, v, vaddr, page, vmas->pagemap_end, t);
		return 0;
	}
	if (pages_read(c, vmas, page, 1, PAGES_ALL, &t->page, e) < 0)
		return -1;
	t->pm = t->page.pm;
	pagemap_decode(t->pm, &c->pm.layout, &pe);
	if (pe.present) {
		if (!r->pfn_visible) {
			t->result = XLATE_HIDDEN;
			snprintf(t->reason, sizeof t->reason, "the page is present, but %s",
				 explain_pfn_hidden());
			return 0;
		}
		t->result = XLATE_OK;
		t->via_pagemap = true;
		t->pfn = pe.pfn;
		t->phys = (pe.pfn << r->page_shift) | (vaddr & mask);
		snprintf(t->reason, sizeof t->reason, "present: PFN 0x%" PRIx64 " from pagemap.", pe.pfn);
		return 0;
	}
	if (pe.swapped && !pe.guard) {
		t->result = XLATE_SWAPPED;
		snprintf(t->reason, sizeof t->reason,
			 "swapped out to swap type %u at offset 0x%" PRIx64 " (page %" PRIu64 " of that swap area); no physical page until it is touched again.",
			 pe.swap_type, pe.swap_offset, pe.swap_offset);
		return 0;
	}
	translate_not_present(v, &pe, t);
	return 0;
}
