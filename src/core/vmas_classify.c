/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_classify: the kind of a VMA (enum vma_kind) from its name, perms,
 * VmFlags and, on kernels without VmFlags, the character device it maps;
 * and whether pagemap can see it (vma_is_gap).  Pure. */
#include <stdbool.h>
#include <string.h>
#include "vmscope/vmas.h"
#include "vmas_int.h"

static bool name_is(const char *name, const char *s)
{
	return strcmp(name, s) == 0;
}

static bool name_starts(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

/* One or more decimal digits and nothing else. */
static bool all_digits(const char *s)
{
	return *s && !s[strspn(s, "0123456789")];
}

/* "[stack]" or "[stack:TID]" (older kernels named thread stacks). */
static bool name_is_stack(const char *name)
{
	size_t len;

	if (name_is(name, "[stack]"))
		return true;
	if (!name_starts(name, "[stack:"))
		return false;
	len = strlen(name);
	return name[len - 1] == ']';
}

/* "" or "[anon:NAME]" (prctl PR_SET_VMA_ANON_NAME). */
static bool name_is_anon(const char *name)
{
	return name[0] == '\0' || name_starts(name, "[anon:");
}

/* A character device found by stat where smaps gave no VmFlags, whose
 * mapping is inferred to be device memory (VM_PFNMAP/VM_IO): not
 * /dev/zero (1:5), whose private mappings are anonymous memory, and not
 * when smaps counts resident pages (Rss counts only pages with a struct
 * page, never a PFNMAP's). */
static bool chardev_is_device(const struct vma *v)
{
	if (!v->chardev || vma_vmflags_text(v)[0])
		return false;
	if (v->chr_major == 1 && v->chr_minor == 5)
		return false;
	return !(v->has_smaps && vma_smaps(v, SMAPS_RSS) > 0);
}

/* The kind the name alone gives, before the flags: VMA_KIND_COUNT when
 * the name decides nothing (the flags and perms do).  Names begin with
 * '/', '[' or nothing nearly always: the first byte picks the few
 * comparisons that can match (100,000 VMAs are classified per read). */
static enum vma_kind kind_of_name(const char *n, bool shared, bool *late)
{
	*late = false;
	if (n[0] == '/') {
		if (name_starts(n, "/dev/")) {
			if (name_starts(n + 5, "uio") && all_digits(n + 8))
				return VMA_KIND_UIO;
			if (name_is(n + 5, "mem"))
				return VMA_KIND_DEVMEM;
		}
		if (name_starts(n, "/anon_hugepage"))
			return VMA_KIND_HUGETLB;
		*late = true;  /* shmem or file: after the flags */
		return name_is(n, "/dev/zero") || name_starts(n, "/SYSV") ||
		       name_starts(n, "/memfd:") || name_starts(n, "/dev/shm/") ?
			VMA_KIND_SHMEM : VMA_KIND_FILE;
	}
	if (n[0] == '[') {
		if (name_is(n, "[vvar]") || name_is(n, "[vvar_vclock]"))
			return VMA_KIND_VVAR;
		if (name_is(n, "[vdso]"))
			return VMA_KIND_VDSO;
		if (name_is(n, "[vsyscall]"))
			return VMA_KIND_VSYSCALL;
		*late = true;
		if (name_is(n, "[heap]"))
			return VMA_KIND_HEAP;
		if (name_is_stack(n))
			return VMA_KIND_STACK;
		if (name_starts(n, "[anon_shmem:"))
			return VMA_KIND_SHMEM;
		return shared && name_is_anon(n) ? VMA_KIND_SHMEM : VMA_KIND_ANON;
	}
	*late = true;
	if (n[0] == '\0')
		return shared ? VMA_KIND_SHMEM : VMA_KIND_ANON;
	/* "anon_inode:[io_uring]", driver objects: a struct file without
	 * a path */
	return VMA_KIND_FILE;
}

void vma_classify(struct vma *v)
{
	const char *n = v->name ? v->name : "";
	bool late;
	enum vma_kind k = kind_of_name(n, v->perms[3] == 's', &late);

	/* the order of the tests is the order of precedence */
	if (k == VMA_KIND_UIO || k == VMA_KIND_DEVMEM)
		v->kind = k;
	else if (chardev_is_device(v) && v->chr_major == 1 &&
		 v->chr_minor == 1)
		v->kind = VMA_KIND_DEVMEM;
	else if (!late)
		v->kind = k;
	else if (vma_has_flag(v, VMF_HT))
		v->kind = VMA_KIND_HUGETLB;
	else if (vma_has_flag(v, VMF_PF))
		v->kind = VMA_KIND_PFNMAP;
	else if (vma_has_flag(v, VMF_IO))
		v->kind = VMA_KIND_IO;
	else if (chardev_is_device(v))
		v->kind = VMA_KIND_CHARDEV;
	else if (k == VMA_KIND_HEAP || k == VMA_KIND_STACK)
		v->kind = k;
	else if (memcmp(v->perms, "---", 3) == 0 &&
		 (v->perms[3] == 'p' || v->perms[3] == 's'))
		v->kind = VMA_KIND_GUARD;
	else
		v->kind = k;
}

bool vma_is_gap(const struct vma *v)
{
	/* Above TASK_SIZE, where pagemap ends: the gate area ([vsyscall],
	 * whose calls the kernel emulates), ARM's [vectors]. */
	if (v->above_pagemap || v->kind == VMA_KIND_VSYSCALL)
		return true;
	if (v->has_smaps && vma_vmflags_text(v)[0])
		return vma_has_flag(v, VMF_PF) || vma_has_flag(v, VMF_IO);
	switch (v->kind) {
	case VMA_KIND_VVAR:
	case VMA_KIND_PFNMAP:
	case VMA_KIND_IO:
	case VMA_KIND_UIO:
	case VMA_KIND_DEVMEM:
	case VMA_KIND_CHARDEV:
		return true;
	default:
		return false;
	}
}

