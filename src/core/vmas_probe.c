/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_probe: what maps and smaps leave unsaid, asked of the same root.
 *
 * - The end of pagemap.  The kernel's pagemap_read stops at the task's
 *   TASK_SIZE (end_vaddr = TASK_SIZE_OF(task)): a read at or above it
 *   returns 0 bytes, while maps lists VMAs there (x86's [vsyscall], the
 *   high [vectors] page of 32-bit ARM at 0xffff0000 over a TASK_SIZE of
 *   0xbf000000).  Those VMAs are marked above_pagemap: gaps.
 * - Character devices without VmFlags.  smaps before Linux 3.8 has no
 *   VmFlags line, so pf/io are unknown.  A VMA whose file stat (through
 *   the root: a snapshot answers with what stat said at capture) calls a
 *   character device, with the device and inode the maps line gives, is
 *   marked chardev with its device number; vma_classify decides.
 * - Files whose name ends in " (deleted)".  The kernel appends it to the
 *   path of an unlinked file, but a live file may be named so too.  The
 *   whole name is stat'ed through the root: the file the maps line
 *   names (its device and inode) is live under that name, so not
 *   deleted, and its name keeps its end.  A capture records that stat,
 *   so a snapshot decides the same way anywhere. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "vmscope/pagemap.h"
#include "vmscope/vmas.h"
#include "vmas_int.h"

/* Whether pagemap answers at page: 1 (8 bytes), 0 (nothing: at or
 * above its end), -1 (a read error). */
static int answers(struct pagemap *pm, uint64_t page)
{
	uint64_t raw;
	ssize_t got;

	if (page > (UINT64_MAX >> 4))
		return 0;
	got = root_pread(pm->f, &raw, sizeof raw, page * sizeof raw, NULL);
	return got < 0 ? -1 : got == (ssize_t)sizeof raw;
}

/* A mapping the kernel installs itself ([vectors], [vsyscall],
 * [sigpage], [vdso]...): only these can lie above TASK_SIZE, where no
 * mmap reaches.  A file, the heap, the stack or anonymous memory that
 * pagemap does not answer for is a truncated snapshot or an exited
 * process, and stays an error of the reads. */
static bool kernel_special(const struct vma *v)
{
	const char *n = v->name ? v->name : "";

	return n[0] == '[' && v->inode == 0 && strcmp(n, "[heap]") &&
	       strncmp(n, "[stack", 6) && strncmp(n, "[anon", 5);
}

static void probe_pagemap(const struct vms_root *r, int pid,
			  struct vma_list *l)
{
	struct pagemap pm;
	size_t i;
	int has_mm = -1;

	if (l->n == 0 || pagemap_open(r, pid, &pm, NULL) < 0)
		return;
	/* Only the highest VMAs can lie above the end: from the top down
	 * until one answers. */
	for (i = l->n; i-- > 0;) {
		struct vma *v = &l->v[i];
		int a;

		if (!kernel_special(v))
			break;
		a = answers(&pm, v->start >> pm.page_shift);
		if (a != 0)
			break;
		if (has_mm < 0)
			has_mm = answers(&pm, 0) == 1;
		if (!has_mm)
			break;   /* no address space (exited): pagemap is empty */
		v->above_pagemap = true;
	}
	pagemap_close(&pm);
}

/* The VMA maps the character device the path names now: stat through
 * the root, with the maps line's device and inode. */
static void probe_chardev(const struct vms_root *r, struct vma *v,
			  struct root_stat *last, int *last_rc,
			  const char **last_name)
{
	if (!*last_name || strcmp(*last_name, v->name)) {
		*last_rc = root_stat(r, v->name + 1, last, NULL);
		*last_name = v->name;
	}
	if (*last_rc < 0 || !S_ISCHR(last->mode) || last->ino != v->inode ||
	    major((dev_t)last->dev) != v->dev_major ||
	    minor((dev_t)last->dev) != v->dev_minor)
		return;
	v->chardev = true;
	v->chr_major = major((dev_t)last->rdev);
	v->chr_minor = minor((dev_t)last->rdev);
	vma_classify(v);
}

static void probe_chardevs(const struct vms_root *r, struct vma_list *l)
{
	struct root_stat last;
	const char *last_name = NULL;
	int last_rc = -1;
	size_t i;

	memset(&last, 0, sizeof last);
	for (i = 0; i < l->n; i++) {
		struct vma *v = &l->v[i];

		/* VmFlags decide where the kernel gave them; a deleted file
		 * is not the one its path names now */
		if (v->vmflags_text[0] || !v->name || v->name[0] != '/' ||
		    v->deleted || v->inode == 0 || v->kind == VMA_KIND_UIO ||
		    v->kind == VMA_KIND_HUGETLB)
			continue;
		probe_chardev(r, v, &last, &last_rc, &last_name);
	}
}

/* A VMA marked deleted whose file is live under its whole name: its
 * name becomes the whole name, for the run of VMAs after it that share
 * the same copy too (name_shared), which is freed once. */
static void probe_deleted(const struct vms_root *r, struct vma_list *l,
			  size_t i)
{
	struct vma *v = &l->v[i];
	char *old = v->name;
	size_t k;
	static const char suffix[] = " (deleted)";
	struct root_stat st;
	size_t n = strlen(v->name);
	char *full;

	if (v->name[0] != '/' || v->inode == 0 ||
	    n + sizeof suffix - 1 > VMAS_NAME_MAX)
		return;  /* a name cut to fit cannot be looked up */
	full = malloc(n + sizeof suffix);
	if (!full)
		return;
	memcpy(full, v->name, n);
	memcpy(full + n, suffix, sizeof suffix);
	if (root_stat(r, full + 1, &st, NULL) == 0 && st.ino == v->inode &&
	    major((dev_t)st.dev) == v->dev_major &&
	    minor((dev_t)st.dev) == v->dev_minor) {
		for (k = i; k < l->n && l->v[k].name == old; k++) {
			l->v[k].name = full;
			l->v[k].deleted = false;
			vma_classify(&l->v[k]);
		}
		if (!v->name_shared)   /* else the VMA before owns it */
			free(old);
		v->name_shared = false;  /* v owns the whole name now */
		return;
	}
	free(full);
}

void vmas_probe(const struct vms_root *r, int pid, struct vma_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].deleted && l->v[i].name)
			probe_deleted(r, l, i);
	probe_chardevs(r, l);
	probe_pagemap(r, pid, l);
}

/* Between lo (answers) and hi (does not): the first page that does
 * not.  Where the backend asks many ranges in one round trip (remote),
 * END_PROBES pages at a time in one vectored read: 7 round trips for
 * x86_64's [vsyscall] 2^52 pages up, instead of 52.  Elsewhere each
 * probe is a read of its own, and halving takes the fewest: 52 reads
 * where the rounds of 255 made 1,549. */
#define END_PROBES 255
static int narrow(struct pagemap *pm, uint64_t *lo, uint64_t *hi)
{
	struct root_iov v[END_PROBES];
	uint64_t buf[END_PROBES], at[END_PROBES];
	struct vms_err e;
	size_t n, i, probes = pm->f->ops->preadv ? END_PROBES : 1;

	while (*hi - *lo > 1) {
		uint64_t step = (*hi - *lo) / (probes + 1);

		n = 0;
		for (i = 1; i <= probes; i++) {
			uint64_t x = *lo + (step ? step * i : i);

			if (x >= *hi)
				break;
			at[n] = x;
			v[n] = (struct root_iov){ pm->f, &buf[n], 8, x * 8, 0 };
			n++;
		}
		if (root_preadv(v, n, &e) < 0)
			return -1;
		for (i = 0; i < n && v[i].got == 8; i++)
			*lo = at[i];
		if (i < n)
			*hi = at[i];
	}
	return 0;
}

int vmas_pagemap_end(const struct vms_root *r, struct vma_list *l,
		     struct vms_err *e)
{
	struct pagemap pm;
	uint64_t lo = 0, hi = 0;
	bool above = false;
	size_t i;

	if (l->pagemap_end)
		return 0;
	for (i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];

		if (v->above_pagemap && !above) {
			above = true;
			hi = v->start;
		} else if (!v->above_pagemap && !above) {
			lo = v->end - 1;
		}
	}
	if (!above)
		return 0;
	if (pagemap_open(r, l->pid, &pm, e) < 0)
		return -1;
	lo >>= pm.page_shift;
	hi >>= pm.page_shift;
	/* lo answers and hi does not; a snapshot recorded before the end
	 * was known may end below the highest VMA: then from page 0 */
	if (answers(&pm, lo) != 1)
		lo = 0;
	if (answers(&pm, lo) != 1 || answers(&pm, hi) != 0) {
		if (!pagemap_owner_error(r, l->pid, e))
			err_set(e, VMS_ENOPROC,
				"pagemap of process %d reads nothing (the process has exited)",
				l->pid);
		pagemap_close(&pm);
		return -1;
	}
	if (narrow(&pm, &lo, &hi) < 0) {
		err_set(e, EIO, "reading pagemap of process %d failed while looking for its end",
			l->pid);
		pagemap_close(&pm);
		return -1;
	}
	l->pagemap_end = hi << pm.page_shift;
	pagemap_close(&pm);
	return 0;
}
