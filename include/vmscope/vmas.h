/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas: a process's virtual memory areas from /proc/PID/maps and smaps,
 * each classified, with the holes between them. */
#ifndef VMSCOPE_VMAS_H
#define VMSCOPE_VMAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmscope/err.h"
#include "vmscope/root.h"

enum vma_kind {
	VMA_KIND_ANON,     /* private anonymous memory */
	VMA_KIND_HEAP,     /* [heap] */
	VMA_KIND_STACK,    /* [stack], [stack:TID] */
	VMA_KIND_FILE,     /* a mapped file */
	VMA_KIND_SHMEM,    /* shared memory: MAP_SHARED anon, /dev/shm, SysV, memfd */
	VMA_KIND_VDSO,     /* [vdso] */
	VMA_KIND_VVAR,     /* [vvar], [vvar_vclock] (VM_PFNMAP) */
	VMA_KIND_VSYSCALL, /* [vsyscall] */
	VMA_KIND_HUGETLB,  /* hugetlbfs (VmFlags ht) */
	VMA_KIND_GUARD,    /* no access (---p): guard gaps, reserved space */
	VMA_KIND_PFNMAP,   /* other VM_PFNMAP (VmFlags pf): no struct page */
	VMA_KIND_IO,       /* other VM_IO (VmFlags io): device memory */
	VMA_KIND_UIO,      /* /dev/uioN */
	VMA_KIND_DEVMEM,   /* /dev/mem */
	VMA_KIND_CHARDEV,  /* another character device, on a kernel without
	                    * VmFlags (before 3.8): pf/io unknown */
	VMA_KIND_HOLE,     /* not a VMA: unmapped space between two VMAs */
	VMA_KIND__COUNT
};

/* The two-letter VmFlags codes of smaps, one bit each (bit = position in
 * the kernel documentation's list).  Unknown codes are kept in
 * vmflags_text only. */
enum vma_flag {
	VMF_RD, VMF_WR, VMF_EX, VMF_SH, VMF_MR, VMF_MW, VMF_ME, VMF_MS,
	VMF_GD, VMF_PF, VMF_DW, VMF_LO, VMF_IO, VMF_SR, VMF_RR, VMF_DC,
	VMF_DE, VMF_AC, VMF_NR, VMF_HT, VMF_SF, VMF_NL, VMF_AR, VMF_WF,
	VMF_DD, VMF_SD, VMF_MM, VMF_HG, VMF_NH, VMF_MG, VMF_UM, VMF_UW,
	VMF_SS, VMF_SL, VMF_LF, VMF_BT, VMF_GU, VMF_MT, VMF_UI, VMF_DP,
	VMF__COUNT
};

/* Per-VMA fields of smaps, in kB except THPeligible (0/1) and
 * ProtectionKey. */
enum smaps_field {
	SMAPS_SIZE, SMAPS_KERNEL_PAGE_SIZE, SMAPS_MMU_PAGE_SIZE, SMAPS_RSS,
	SMAPS_PSS, SMAPS_PSS_ANON, SMAPS_PSS_FILE, SMAPS_PSS_SHMEM,
	SMAPS_PSS_DIRTY, SMAPS_SHARED_CLEAN, SMAPS_SHARED_DIRTY,
	SMAPS_PRIVATE_CLEAN, SMAPS_PRIVATE_DIRTY, SMAPS_REFERENCED,
	SMAPS_ANONYMOUS, SMAPS_KSM, SMAPS_LAZY_FREE, SMAPS_ANON_HUGE_PAGES,
	SMAPS_SHMEM_PMD_MAPPED, SMAPS_FILE_PMD_MAPPED, SMAPS_SHARED_HUGETLB,
	SMAPS_PRIVATE_HUGETLB, SMAPS_SWAP, SMAPS_SWAP_PSS, SMAPS_LOCKED,
	SMAPS_THP_ELIGIBLE, SMAPS_PROTECTION_KEY,
	SMAPS__COUNT
};

/* One VMA, 96 bytes on LP64: what many VMAs share (their VmFlags text, their
 * block of smaps fields) is kept once in the list's pool (a list of
 * 100,000 one-page VMAs holds one of each), and a run of VMAs with the
 * same name shares one copy of it. */
struct vma {
	uint64_t start, end;   /* [start, end) */
	uint64_t offset;       /* file offset (for /dev/mem: physical address) */
	uint64_t inode;
	char *name;            /* raw as the kernel gave it, " (deleted)"
	                        * stripped; "" for anonymous.  Untrusted. */
	/* The VmFlags line as given ("" without smaps), at most 95 bytes,
	 * cut at a code boundary.  Shared: never written through. */
	const char *vmflags_text;
	/* The smaps fields (SMAPS__COUNT of them; all 0 without smaps).
	 * Shared: never written through. */
	const uint64_t *smaps;
	uint64_t vmflags;      /* 1ULL << enum vma_flag */
	unsigned dev_major, dev_minor;
	unsigned chr_major, chr_minor; /* the device number, when chardev */
	enum vma_kind kind;
	char perms[5];         /* "rw-p" */
	bool deleted;          /* name ended in " (deleted)" */
	bool has_smaps;
	bool name_shared;      /* name is the VMA before's: freed with it */
	/* What maps and smaps do not say, asked of the root by vmas_read: */
	bool above_pagemap;    /* at or above the end of pagemap (TASK_SIZE):
	                        * ARM's [vectors], x86's [vsyscall] */
	bool chardev;          /* without VmFlags: the mapped file is a
	                        * character device (stat through the root) */
};

/* A vma's fields where a hand-made one left them NULL: "" and zeros. */
const char *vma_vmflags_text(const struct vma *v);
uint64_t vma_smaps(const struct vma *v, enum smaps_field f);

struct vmas_pool;

struct vma_list {
	struct vma *v;
	size_t n, cap;
	/* v is a mapping of this many bytes (a large list, in huge pages:
	 * vmas_array.c), or 0: heap memory */
	size_t v_map_len;
	/* the array may be such a mapping: a list read once for a batch
	 * command (vmas_read_fields), where passes over it count more than
	 * up to 2 MiB of memory rounded up to a huge page */
	bool v_huge;
	int pid;
	unsigned addr_width;   /* hex digits in the maps file: 8 or 16 */
	/* The first address pagemap does not answer (the process's
	 * TASK_SIZE), once vmas_pagemap_end has found it; 0 unknown. */
	uint64_t pagemap_end;
	struct vmas_pool *pool; /* what the VMAs share (vmas_pool.c) */
};

/* Read ROOT/proc/PID/smaps (with_smaps) or ROOT/proc/PID/maps.  A missing
 * process is VMS_ENOPROC with a message naming the PID.  The list is
 * sorted by start (as the kernel gives it) and classified.  Two facts
 * come from elsewhere in the root (vmas_probe.c): the VMAs that lie at
 * or above the end of pagemap (an 8-byte read of pagemap there answers
 * nothing while offset 0 answers), and, where smaps gave no VmFlags,
 * the VMAs that map a character device (root_stat of the path, when its
 * device and inode are the maps line's). */
int vmas_read(const struct vms_root *r, int pid, bool with_smaps,
	      struct vma_list *out, struct vms_err *e);
/* vmas_read of smaps keeping only the smaps fields in fields (bit
 * 1 << enum smaps_field) and VmFlags: the others read as 0, their lines
 * recognised by key and skipped unparsed (a text view that shows Rss
 * alone reads 100,000 VMAs in half the time).  For a list read once
 * (a batch command): a large one is kept in huge pages (v_huge). */
int vmas_read_fields(const struct vms_root *r, int pid, uint64_t fields,
		     struct vma_list *out, struct vms_err *e);

/* vmas_read_fields a window of at most window VMAs at a time, for a
 * command that prints each VMA once and need not hold them all (maps of
 * 100,000 VMAs: 10 MB less, and no pass over them in memory the kernel's
 * walk has evicted).  each(ctx, w, e) is given each window, w->v[0..w->n)
 * classified and probed (the last one's w->pagemap_end found where a VMA
 * lies above it), and owns the names of its VMAs from then on (a VMA
 * whose name_shared is false owns its name: free those).  VmFlags texts
 * and smaps blocks stay in out's pool until vmas_free(out).  Where the
 * process changed its mappings during the read, the read starts over:
 * each(ctx, NULL, e) first, to drop what it kept.  each returning -1
 * stops the read (-1, e as each set it; the window's names are each's
 * still).  On return out->n is 0 and
 * out->addr_width is the width of all the VMAs read. */
typedef int (*vmas_each_fn)(void *ctx, struct vma_list *w,
			    struct vms_err *e);
int vmas_read_each(const struct vms_root *r, int pid, uint64_t fields,
		   size_t window, vmas_each_fn each, void *ctx,
		   struct vma_list *out, struct vms_err *e);
/* Read the same file again over l, a list vmas_read made of this
 * process, without building a second list (a list of 100,000 VMAs is
 * 10 MB): while the file lists the VMAs l has (start, end, perms, offset,
 * inode, name, deleted; in order, no more, no fewer), each one's smaps
 * data is replaced in place when the text has any (smaps), kept when not
 * (maps); the VMAs' smaps and vmflags_text may then point elsewhere
 * (the list's pool is tidied).  1: the layout is unchanged and l is up
 * to date; 0: it changed,
 * and the read stopped at the first difference: l keeps its layout, but
 * the VMAs before that may have new smaps data (read a new list with
 * vmas_read); -1 with e set as vmas_read sets it (l as for 0). */
int vmas_reread(const struct vms_root *r, int pid, bool with_smaps,
		struct vma_list *l, struct vms_err *e);

/* Where the pagemap of l's process ends (l->pagemap_end), found when a
 * VMA lies above it (else 0, and nothing is read): a binary search with
 * 8-byte reads between the highest VMA below the end and the lowest
 * above it, once per list.  A capture runs it on the tap, so the
 * recorded pagemap ends where the kernel's does.  0, or -1 with e set
 * (l->pagemap_end stays 0). */
int vmas_pagemap_end(const struct vms_root *r, struct vma_list *l,
		     struct vms_err *e);

/* Pure parsers (for tests and fuzzing): text is len bytes, need not be
 * NUL-terminated.  Both accept maps and smaps text alike; smaps adds the
 * per-VMA fields.  A malformed line is VMS_EFORMAT naming its line
 * number.  out must be zeroed or previously freed. */
int vmas_parse(const char *text, size_t len, struct vma_list *out,
	       struct vms_err *e);

void vmas_free(struct vma_list *l);

/* True when the VMAs are in address order and disjoint, as the kernel
 * lists them; false for a list read while the process changed it
 * (vmas_read reads again then; vmas_parse, for any text, does not check). */
bool vmas_ordered(const struct vma_list *l);

/* Set v->kind from name, perms and vmflags.  page_size is unused today
 * but keeps the door open for size-based guards. */
void vma_classify(struct vma *v);

/* The VMA that contains addr, or NULL (binary search). */
const struct vma *vmas_find(const struct vma_list *l, uint64_t addr);

/* The hole before VMA i, the unmapped space between VMA i-1 and VMA i:
 * true with *h filled as vmas_with_holes fills its hole entries (name
 * "", perms "----", kind VMA_KIND_HOLE), false when they touch (or i is
 * 0 or past the end).  A VMA above the user address space ([vsyscall],
 * ARM's [vectors]) has a hole before it only up to that space's end:
 * pagemap_end where measured, else x86_64's TASK_SIZE_MAX.  Views list
 * the holes with this, without a copy of every VMA. */
bool vmas_hole_before(const struct vma_list *l, size_t i, struct vma *h);

/* A new list with VMA_KIND_HOLE entries (name "", perms "----") inserted
 * for every gap between two consecutive VMAs.  Names, VmFlags texts and
 * smaps blocks are shared with in (valid while in is neither freed nor
 * reread): free out with vmas_free_holes, never vmas_free. */
int vmas_with_holes(const struct vma_list *in, struct vma_list *out,
		    struct vms_err *e);
void vmas_free_holes(struct vma_list *l);

/* True when pagemap cannot describe the VMA's pages: VM_PFNMAP or VM_IO
 * (vvar, uio, /dev/mem, device mmaps), and the VMAs above the end of
 * pagemap (TASK_SIZE: [vsyscall], ARM's [vectors]).  Known from VmFlags
 * when smaps gave them, otherwise from the kind (a character device
 * mapped on a kernel without VmFlags is inferred to be one). */
bool vma_is_gap(const struct vma *v);

const char *vma_kind_name(enum vma_kind k);   /* "heap", "uio", ... */
const char *vma_flag_code(enum vma_flag f);   /* "pf" */
bool vma_has_flag(const struct vma *v, enum vma_flag f);
const char *smaps_field_name(enum smaps_field f); /* "AnonHugePages" */

#endif
