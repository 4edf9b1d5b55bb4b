/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The teaching text: every explanation vmscope shows, in one place. */
#include <stdio.h>
#include <string.h>
#include "vmscope/explain.h"
#include "vmscope/kpage.h"
#include "vmscope/pagemap.h"

const char *explain_vma_kind(enum vma_kind k)
{
	switch (k) {
	case VMA_KIND_ANON: return "Private anonymous memory (malloc arenas, mmap(MAP_ANONYMOUS)): pages appear on first touch.";
	case VMA_KIND_HEAP: return "The heap grown by brk(): private anonymous memory that starts after the program's data.";
	case VMA_KIND_STACK: return "The main thread's stack: grows down on demand, one page fault at a time.";
	case VMA_KIND_FILE: return "A file mapped with mmap(): its pages are the file's page cache, shared with every reader.";
	case VMA_KIND_SHMEM: return "Shared memory (MAP_SHARED anonymous, /dev/shm, SysV, memfd): pages live in shmem and may be mapped by several processes.";
	case VMA_KIND_VDSO: return "The vDSO: kernel code mapped into every process so gettimeofday() needs no system call.";
	case VMA_KIND_VVAR: return "vvar: kernel data for the vDSO (clock values), mapped with VM_PFNMAP: no struct page, so pagemap shows zeros.";
	case VMA_KIND_VSYSCALL: return "The legacy vsyscall page at a fixed address, kept for old binaries; emulated by the kernel.";
	case VMA_KIND_HUGETLB: return "hugetlbfs memory: pages from the reserved huge page pool, mapped with large page table entries.";
	case VMA_KIND_GUARD: return "No access at all: a guard gap or reserved address space; touching it faults.";
	case VMA_KIND_PFNMAP: return "A VM_PFNMAP mapping: a driver mapped raw page frame numbers; there is no struct page behind them.";
	case VMA_KIND_IO: return "A VM_IO mapping: device memory or registers; pagemap cannot describe it.";
	case VMA_KIND_UIO: return "A UIO device mapping (/dev/uioN): a device's registers or memory, mapped by the uio driver with remap_pfn_range.";
	case VMA_KIND_DEVMEM: return "/dev/mem: physical memory mapped directly; the file offset is the physical address.";
	case VMA_KIND_CHARDEV: return "A character device mapped by its driver (device memory or registers, as a rule); this kernel gives no VmFlags, so whether it is VM_PFNMAP/VM_IO is inferred.";
	case VMA_KIND_HOLE: return "Unmapped: no VMA here; an access would be a segmentation fault.";
	case VMA_KIND__COUNT: break;
	}
	return "Unknown kind of mapping.";
}

/* Above TASK_SIZE: what the mapping is, after where pagemap ends. */
static const char *above_what(const struct vma *v)
{
	const char *n = v->name ? v->name : "";

	if (v->kind == VMA_KIND_VSYSCALL)
		return "[vsyscall] is the legacy gate page at a fixed address: the kernel traps calls into it and emulates them, so no page of the process backs it";
	if (!strcmp(n, "[vectors]"))
		return "[vectors] is the kernel's exception vector page (with the kuser helpers), mapped into every process at 0xffff0000 and shared by all; pagemap does not reach it";
	return "the kernel mapped this above the top of user space, where pagemap does not reach";
}

/* The plain sentence a gap's explanation opens with, before the
 * kernel's terms. */
static const char *gap_plain(const struct vma *v)
{
	if (v->above_pagemap || v->kind == VMA_KIND_VSYSCALL)
		return "This address lies beyond the part of the address space the kernel reports on, so pagemap has nothing to report.";
	if (v->kind == VMA_KIND_VVAR)
		return "The kernel shares this range from its own memory without page bookkeeping, so pagemap has nothing to report.";
	return "The kernel handed this range straight to a device; no page bookkeeping exists for it, so pagemap has nothing to report.";
}

/* The precise text, in the kernel's terms. */
static const char *gap_precise(const struct vma *v, uint64_t pagemap_end,
			       char *buf, size_t n)
{
	if (v->above_pagemap || v->kind == VMA_KIND_VSYSCALL) {
		if (pagemap_end)
			snprintf(buf, n, "above TASK_SIZE: the kernel's pagemap of this process ends at 0x%llx; %s.",
				 (unsigned long long)pagemap_end, above_what(v));
		else
			snprintf(buf, n, "above TASK_SIZE, where the kernel's pagemap ends; %s.",
				 above_what(v));
		return buf;
	}
	switch (v->kind) {
	case VMA_KIND_UIO:
		return "UIO maps device memory with remap_pfn_range (VM_PFNMAP|VM_IO): no struct page, so pagemap reads zeros; the physical address comes from /sys/class/uio/uioN/maps/mapM, picked by the mmap offset.";
	case VMA_KIND_DEVMEM:
		return "/dev/mem maps physical addresses directly (VM_PFNMAP|VM_IO): pagemap reads zeros; the mapping's file offset is its physical address.";
	case VMA_KIND_VVAR:
		return "vvar is mapped with VM_PFNMAP (kernel vDSO data, no struct page), so pagemap reads zeros; no kernel interface gives its physical address to user space.";
	case VMA_KIND_CHARDEV:
		snprintf(buf, n, "char device %u:%u: the kernel gave no VmFlags (smaps before Linux 3.8), so the gap is inferred from the character device: a driver maps device memory or registers (VM_PFNMAP/VM_IO), with no struct page for pagemap to describe.",
			 v->chr_major, v->chr_minor);
		return buf;
	default:
		break;
	}
	if (vma_has_flag(v, VMF_PF))
		return "VM_PFNMAP: the driver inserted raw page frame numbers with no struct page, so pagemap reads zeros; the kernel exports no general way to learn their physical address.";
	return "VM_IO: device memory mapped by a driver; pagemap does not walk it and reads zeros; the driver's own interface (sysfs, debugfs) may tell its physical address.";
}

const char *explain_gap(const struct vma *v, uint64_t pagemap_end, char *buf,
			size_t n)
{
	char precise[EXPLAIN_GAP_MAX];
	const char *p = gap_precise(v, pagemap_end, precise, sizeof precise);

	snprintf(buf, n, "%s %s", gap_plain(v), p);
	return buf;
}

const char *explain_pagemap_bit(int bit)
{
	switch (bit) {
	case 0: return "PFN (bits 0-54): the physical page frame number; physical address = PFN * page size + offset.";
	case 55: return "soft-dirty: written since the soft-dirty bits were last cleared (echo 4 > /proc/PID/clear_refs).";
	case 56: return "exclusive: mapped by exactly this process (not shared after fork, not KSM-merged).";
	case 57: return "uffd-wp: write-protected by userfaultfd; a write will be reported to the monitor.";
	case 58: return "guard: a guard region installed with MADV_GUARD_INSTALL; any access faults.";
	case 60: return "page shift (bits 55-60, kernels before 4.2): log2 of the page size, 12 for 4K pages; from 3.11 a clear of soft-dirty bits (echo 4 > clear_refs) turned them into flags for the whole machine.";
	case 61: return "file/shared-anon: the page belongs to a file or to shared anonymous memory, not private anon.";
	case 62: return "swapped: the page is in swap; bits 0-4 give the swap type, 5-54 the offset.";
	case 63: return "present: a physical page is mapped here now.";
	default: return NULL;
	}
}

const char *explain_kpage_flag(unsigned bit)
{
	switch (bit) {
	case KPF_LOCKED: return "locked: the page is locked for I/O or exclusive use right now.";
	case KPF_ERROR: return "error: an I/O error occurred on the page.";
	case KPF_REFERENCED: return "referenced: accessed recently (the LRU's second-chance bit).";
	case KPF_UPTODATE: return "uptodate: the page holds valid data (read from disk or written).";
	case KPF_DIRTY: return "dirty: modified in memory and not yet written back to its file.";
	case KPF_LRU: return "LRU: on a least-recently-used list, so reclaim may consider it.";
	case KPF_ACTIVE: return "active: on the active LRU list (used often); inactive pages are reclaimed first.";
	case KPF_SLAB: return "slab: owned by the kernel's slab allocator (kernel objects).";
	case KPF_WRITEBACK: return "writeback: being written to disk now.";
	case KPF_RECLAIM: return "reclaim: to be reclaimed as soon as writeback ends.";
	case KPF_BUDDY: return "buddy: a free page in the buddy allocator.";
	case KPF_MMAP: return "mmap: mapped into at least one process's page tables.";
	case KPF_ANON: return "anon: anonymous memory (heap, stack, MAP_ANONYMOUS), with no file behind it.";
	case KPF_SWAPCACHE: return "swapcache: has a copy in swap, or is on its way there or back.";
	case KPF_SWAPBACKED: return "swapbacked: backed by swap rather than a file (anonymous or shmem).";
	case KPF_COMPOUND_HEAD: return "compound head: first page of a multi-page (compound) allocation.";
	case KPF_COMPOUND_TAIL: return "compound tail: a later page of a compound allocation.";
	case KPF_HUGE: return "huge: part of a hugetlbfs huge page.";
	case KPF_UNEVICTABLE: return "unevictable: cannot be reclaimed (mlocked, ramfs, ...).";
	case KPF_HWPOISON: return "hwpoison: hardware reported a memory error on this page.";
	case KPF_NOPAGE: return "nopage: no struct page exists for this PFN (a hole in the memory map).";
	case KPF_KSM: return "KSM: merged with identical pages by kernel samepage merging.";
	case KPF_THP: return "THP: part of a large folio: a transparent huge page, or a multi-page page-cache folio for file pages.";
	case KPF_OFFLINE: return "offline: logically offline (ballooned out or memory hot-unplug).";
	case KPF_ZERO_PAGE: return "zero page: the shared all-zeroes page, mapped on read of untouched memory.";
	case KPF_IDLE: return "idle: not accessed since marked idle through /sys/kernel/mm/page_idle.";
	case KPF_PGTABLE: return "pgtable: holds a page table.";
	case KPF_RESERVED: return "reserved: reserved by firmware or the kernel at boot; never given to the page allocator.";
	case KPF_MLOCKED: return "mlocked: locked into memory with mlock(); never swapped out.";
	case KPF_OWNER_2: return "owner_2: a flag for the page's owner: on anonymous pages PG_anon_exclusive (only this mm maps it), on file pages the filesystem's (was mappedtodisk).";
	case KPF_PRIVATE: return "private: the owner keeps private data on the page (buffer heads for file pages).";
	case KPF_PRIVATE_2: return "private_2: a second owner-private flag (fscache).";
	case KPF_OWNER_PRIVATE: return "owner_private: a flag private to the page's owner.";
	case KPF_ARCH: return "arch: an architecture-specific flag (e.g. dcache clean on ARM).";
	case KPF_UNCACHED: return "uncached: mapped uncached by the architecture.";
	case KPF_SOFTDIRTY: return "softdirty: the page's soft-dirty flag (for a page that was unmapped and refaulted).";
	case KPF_ARCH_2: return "arch_2: a second architecture-specific flag (e.g. MTE tags on arm64).";
	case KPF_ARCH_3: return "arch_3: a third architecture-specific flag.";
	default: return NULL;
	}
}

const char *explain_page_state(enum page_state s)
{
	switch (s) {
	case PAGE_NOT_PRESENT: return "Not present: never touched, or reclaimed; the first access faults a page in.";
	case PAGE_ANON: return "Present anonymous page: private memory with a physical page behind it.";
	case PAGE_FILE: return "Present page cache or shared-memory page.";
	case PAGE_THP: return "Present, part of a transparent huge page (one page table entry maps 2 MiB on x86_64).";
	case PAGE_HUGETLB: return "Present hugetlbfs page from the huge page pool.";
	case PAGE_ZERO: return "Mapped to the shared zero page: read but never written; a write gives it a page of its own.";
	case PAGE_KSM: return "Merged by KSM with identical pages of other mappings; a write breaks the sharing.";
	case PAGE_SWAPPED: return "Swapped out: the data is in swap; the next access reads it back.";
	case PAGE_PRESENT: return "Present; which kind of page is unknown because the PFN is hidden.";
	case PAGE_GAP: return "A gap: a VM_PFNMAP/VM_IO page (no struct page), or above the end of pagemap (TASK_SIZE); pagemap cannot describe it.";
	case PAGE_HOLE: return "No mapping at this address.";
	case PAGE_STATE__COUNT: break;
	}
	return "Unknown state.";
}

const char *explain_kpagecount(void)
{
	return "map count (kpagecount): how many page table entries map this page; more than 1 means it is shared (fork, page cache, KSM).";
}

const char *explain_kpagecgroup(void)
{
	return "cgroup (kpagecgroup): the memory cgroup the page is charged to, named by the inode of its directory in the cgroup mount.";
}

const char *explain_pfn_hidden(void)
{
	return "PFNs and page flags are hidden: since Linux 4.2 pagemap reports PFN 0 to readers without CAP_SYS_ADMIN (a Rowhammer defence), and /proc/kpage* are root only. Run vmscope as root to see them.";
}
