/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pagemap: decode entries, batched reads, and PAGEMAP_SCAN summaries. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "vmscope/pagemap.h"

/* PAGEMAP_SCAN (Linux 6.7+): the installed uapi headers may predate it,
 * so the ABI is restated here from upstream include/uapi/linux/fs.h. */
struct vms_pm_scan_arg {
	uint64_t size;
	uint64_t flags;
	uint64_t start;
	uint64_t end;
	uint64_t walk_end;
	uint64_t vec;
	uint64_t vec_len;
	uint64_t max_pages;
	uint64_t category_inverted;
	uint64_t category_mask;
	uint64_t category_anyof_mask;
	uint64_t return_mask;
};

struct vms_page_region {
	uint64_t start;
	uint64_t end;
	uint64_t categories;
};

#define VMS_PROCFS_IOCTL_MAGIC 'f'
#define VMS_PAGEMAP_SCAN _IOWR(VMS_PROCFS_IOCTL_MAGIC, 16, struct vms_pm_scan_arg)

#define VMS_PAGE_IS_WPALLOWED  (UINT64_C(1) << 0)
#define VMS_PAGE_IS_WRITTEN    (UINT64_C(1) << 1)
#define VMS_PAGE_IS_FILE       (UINT64_C(1) << 2)
#define VMS_PAGE_IS_PRESENT    (UINT64_C(1) << 3)
#define VMS_PAGE_IS_SWAPPED    (UINT64_C(1) << 4)
#define VMS_PAGE_IS_PFNZERO    (UINT64_C(1) << 5)
#define VMS_PAGE_IS_HUGE       (UINT64_C(1) << 6)
#define VMS_PAGE_IS_SOFT_DIRTY (UINT64_C(1) << 7)
#define VMS_PAGE_IS_GUARD      (UINT64_C(1) << 8)

/* Entries per plain read in pagemap_count's fallback (64K = 512 KiB). */
#define PM_BATCH 65536u
/* Regions per PAGEMAP_SCAN call. */
#define PM_SCAN_VEC 512u

static unsigned log2_u(unsigned v)
{
	unsigned s = 0;

	while ((1u << s) < v)
		s++;
	return s;
}

int pagemap_open(const struct vms_root *r, int pid, struct pagemap *pm,
		 struct vms_err *e)
{
	char rel[64];
	int err;

	memset(pm, 0, sizeof *pm);
	pm->fd = -1;
	pm->pid = pid;
	pm->page_size = r->page_size;
	pm->page_shift = r->page_shift ? r->page_shift : log2_u(r->page_size);
	pm->pfn_visible = r->pfn_visible;
	pm->layout = pagemap_layout_for(kver_of_root(r));
	snprintf(rel, sizeof rel, "proc/%d/pagemap", pid);
	pm->f = root_fopen(r, rel, e);
	if (!pm->f) {
		char shown[512];

		err = e ? e->code : ENOENT;
		root_shown(r, rel, shown, sizeof shown);
		if (err == ENOENT || err == ESRCH)
			err_set(e, VMS_ENOPROC,
				"process %d does not exist (or has exited): no %s",
				pid, shown);
		else if (err == EACCES || err == EPERM)
			err_sys(e, err,
				"cannot open %s: reading the pagemap of another user's process needs root (or CAP_SYS_PTRACE); run vmscope with sudo",
				shown);
		return -1;
	}
	pm->fd = root_ffd(pm->f);
	return 0;
}

bool pagemap_owner_running(const struct vms_root *r, int pid)
{
	char rel[64], *text, *paren;
	bool running;

	if (!r->live)
		return false;
	snprintf(rel, sizeof rel, "proc/%d/stat", pid);
	if (root_read_text(r, rel, &text, NULL, NULL) < 0)
		return false;
	/* "PID (comm) S ...": the state after the last ')' */
	paren = strrchr(text, ')');
	running = paren && paren[1] == ' ' && paren[2] && !strchr("ZXx", paren[2]);
	free(text);
	return running;
}

bool pagemap_owner_error(const struct vms_root *r, int pid,
			 struct vms_err *e)
{
	if (!r->live)
		return false;
	if (pagemap_owner_running(r, pid))
		err_set(e, EAGAIN,
			"process %d changed while it was read (it ran exec, which replaced its address space): try again",
			pid);
	else
		err_set(e, VMS_ENOPROC, "process %d has exited while it was read",
			pid);
	return true;
}

void pagemap_close(struct pagemap *pm)
{
	root_fclose(pm->f);
	pm->f = NULL;
	pm->fd = -1;
	pm->scan_state = 0;
	pm->scan_categories = 0;
}

/* A read of npages from vaddr that gave only got entries.  The kernel's
 * pagemap ends at TASK_SIZE and reads nothing while the process has no
 * address space; a snapshot's ends where it was recorded: the message
 * says where the reading stopped, as an address. */
static void short_read(struct pagemap *pm, uint64_t vaddr, size_t npages,
		       size_t got, struct vms_err *e)
{
	const unsigned shift = pm->page_shift;
	unsigned long long stop = vaddr + ((uint64_t)got << shift),
			   end = vaddr + ((uint64_t)npages << shift);
	uint64_t probe;

	if (root_pread(pm->f, &probe, sizeof probe, 0, NULL) !=
	    (ssize_t)sizeof probe && pagemap_owner_error(pm->f->root, pm->pid, e))
		return;  /* no address space now: an exec or an exit */
	if (root_pread(pm->f, &probe, sizeof probe, 0, NULL) ==
	    (ssize_t)sizeof probe)
		err_set(e, VMS_EFORMAT,
			"pagemap of process %d reads nothing from 0x%llx, in 0x%llx-0x%llx that the maps claim: the address is above the end of pagemap (TASK_SIZE), or the snapshot is truncated",
			pm->pid, stop, (unsigned long long)vaddr, end);
	else
		err_set(e, VMS_EFORMAT,
			"pagemap of process %d reads nothing, in 0x%llx-0x%llx that the maps claim: the process has exited, or the snapshot is truncated",
			pm->pid, (unsigned long long)vaddr, end);
}

int pagemap_read(struct pagemap *pm, uint64_t vaddr, size_t npages,
		 uint64_t *out, struct vms_err *e)
{
	uint64_t first = vaddr >> pm->page_shift;
	size_t want = npages * sizeof *out;
	char *dst = (char *)out;
	ssize_t got;

	if (npages == 0)
		return 0;
	if (!pm->f) {
		err_set(e, EBADF, "pagemap of process %d is not open", pm->pid);
		return -1;
	}
	if (first > (UINT64_MAX >> 4) || npages > SIZE_MAX / sizeof *out) {
		err_set(e, VMS_ERANGE_,
			"address 0x%llx is beyond any pagemap",
			(unsigned long long)vaddr);
		return -1;
	}
	got = root_pread(pm->f, dst, want, first * 8, e);
	if (got < 0) {
		if (e && e->code == ESRCH)
			pagemap_owner_error(pm->f->root, pm->pid, e);
		else if (e)
			err_sys(e, e->code,
				"reading pagemap of process %d at 0x%llx (%zu pages)",
				pm->pid, (unsigned long long)vaddr, npages);
		return -1;
	}
	if ((size_t)got < want) {
		short_read(pm, vaddr, npages, (size_t)got / sizeof *out, e);
		return -1;
	}
	return 0;
}

static int scan_ioctl(struct pagemap *pm, struct vms_pm_scan_arg *a)
{
	int rc;

	do
		rc = ioctl(pm->fd, VMS_PAGEMAP_SCAN, a);
	while (rc < 0 && errno == EINTR);
	return rc;
}

/* Try the ioctl with decreasing category sets: newer kernels know more
 * (GUARD arrived in 6.15), an older one rejects unknown bits with EINVAL. */
static void scan_probe(struct pagemap *pm)
{
	static const uint64_t sets[] = {
		VMS_PAGE_IS_GUARD * 2 - 1,      /* up to GUARD */
		VMS_PAGE_IS_SOFT_DIRTY * 2 - 1, /* 6.7: up to SOFT_DIRTY */
		VMS_PAGE_IS_HUGE * 2 - 1,
	};
	struct vms_page_region vec[1];
	size_t i;

	pm->scan_state = -1;
	pm->scan_categories = 0;
	if (pm->fd < 0)
		return;
	for (i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		struct vms_pm_scan_arg a;

		memset(&a, 0, sizeof a);
		a.size = sizeof a;
		a.start = 0;
		a.end = 0;
		a.vec = (uint64_t)(uintptr_t)vec;
		a.vec_len = 1;
		a.return_mask = sets[i];
		if (scan_ioctl(pm, &a) >= 0) {
			pm->scan_state = 1;
			pm->scan_categories = sets[i];
			return;
		}
		if (errno != EINVAL)
			return; /* ENOTTY: no such ioctl (old kernel, a file) */
	}
}

bool pagemap_scan_supported(struct pagemap *pm)
{
	if (pm->scan_state == 0)
		scan_probe(pm);
	return pm->scan_state > 0;
}

static void count_region(struct pagemap_counts *c, uint64_t cat,
			 uint64_t pages)
{
	bool guard = cat & VMS_PAGE_IS_GUARD;

	if (cat & VMS_PAGE_IS_PRESENT)
		c->present += pages;
	else if ((cat & VMS_PAGE_IS_SWAPPED) && !guard)
		c->swapped += pages;
	if ((cat & VMS_PAGE_IS_FILE) && !guard &&
	    (cat & (VMS_PAGE_IS_PRESENT | VMS_PAGE_IS_SWAPPED)))
		c->file += pages;
	if ((cat & VMS_PAGE_IS_FILE) && (cat & VMS_PAGE_IS_PRESENT))
		c->present_file += pages;
	if ((cat & VMS_PAGE_IS_HUGE) && (cat & VMS_PAGE_IS_PRESENT))
		c->huge += pages;
	if ((cat & VMS_PAGE_IS_PFNZERO) && (cat & VMS_PAGE_IS_PRESENT))
		c->pfnzero += pages;
	if (cat & VMS_PAGE_IS_SOFT_DIRTY)
		c->soft_dirty += pages;
	/* WRITTEN is set on every page not write-protected by uffd; it
	 * only means something in uffd-wp async VMAs (WPALLOWED). */
	if ((cat & VMS_PAGE_IS_WRITTEN) && (cat & VMS_PAGE_IS_WPALLOWED))
		c->written += pages;
}

/* Walk [start, end) with PAGEMAP_SCAN; each region the kernel reports
 * (clipped to the range) goes to put(arg, start, end, categories). */
static int scan_walk_masks(struct pagemap *pm, uint64_t start, uint64_t end,
			   uint64_t anyof, uint64_t want,
			   void (*put)(void *, uint64_t, uint64_t, uint64_t),
			   void *arg, struct vms_err *e)
{
	struct vms_page_region vec[PM_SCAN_VEC];
	uint64_t pos = start;

	/* the kernel fills vec; zeroed once so that tools which do not know
	 * the ioctl (valgrind) see defined bytes */
	memset(vec, 0, sizeof vec);
	while (pos < end) {
		struct vms_pm_scan_arg a;
		int n, i;

		memset(&a, 0, sizeof a);
		a.size = sizeof a;
		a.start = pos;
		a.end = end;
		a.vec = (uint64_t)(uintptr_t)vec;
		a.vec_len = PM_SCAN_VEC;
		/* only pages that are there (or tracked): holes and
		 * untouched pages are the difference to the total */
		a.category_anyof_mask = anyof;
		a.return_mask = want;
		n = scan_ioctl(pm, &a);
		if (n < 0) {
			if (errno == ESRCH)
				pagemap_owner_error(pm->f->root, pm->pid, e);
			else
				err_sys(e, errno,
					"PAGEMAP_SCAN of process %d over 0x%llx-0x%llx",
					pm->pid, (unsigned long long)pos,
					(unsigned long long)end);
			return -1;
		}
		for (i = 0; i < n; i++) {
			uint64_t s = vec[i].start, t = vec[i].end;

			if (s < pos)
				s = pos;
			if (t > end)
				t = end;
			if (t > s)
				put(arg, s, t, vec[i].categories);
		}
		if (a.walk_end <= pos) /* no progress: never loop forever */
			break;
		pos = a.walk_end;
	}
	return 0;
}

static int scan_walk(struct pagemap *pm, uint64_t start, uint64_t end,
		     void (*put)(void *, uint64_t, uint64_t, uint64_t),
		     void *arg, struct vms_err *e)
{
	uint64_t want = pm->scan_categories;

	return scan_walk_masks(pm, start, end,
			       want & (VMS_PAGE_IS_PRESENT | VMS_PAGE_IS_SWAPPED |
				       VMS_PAGE_IS_SOFT_DIRTY |
				       VMS_PAGE_IS_WPALLOWED),
			       want, put, arg, e);
}

int pagemap_scan_used(struct pagemap *pm, uint64_t start, uint64_t end,
		      void (*put)(void *, uint64_t, uint64_t, uint64_t),
		      void *arg, struct vms_err *e)
{
	/* the kernel gives every non-none entry (swap, migration, guard
	 * and uffd-wp markers) PAGE_IS_SWAPPED, every mapped one PRESENT */
	const uint64_t used = VMS_PAGE_IS_PRESENT | VMS_PAGE_IS_SWAPPED;

	if (!pagemap_scan_supported(pm)) {
		err_set(e, ENOTSUP,
			"PAGEMAP_SCAN is not available on this pagemap");
		return -1;
	}
	return scan_walk_masks(pm, start, end, used, used, put, arg, e);
}

struct count_one { struct pagemap_counts *c; unsigned page_shift; };

static void put_one(void *arg, uint64_t s, uint64_t t, uint64_t cat)
{
	struct count_one *o = arg;

	count_region(o->c, cat, (t - s) >> o->page_shift);
}

static int count_scan(struct pagemap *pm, uint64_t start, uint64_t end,
		      struct pagemap_counts *c, struct vms_err *e)
{
	struct count_one o = { c, pm->page_shift };

	return scan_walk(pm, start, end, put_one, &o, e);
}

struct count_cells {
	struct pagemap_counts *cells;
	size_t n;
	uint64_t start;
	unsigned page_shift, cell_bits; /* cell_bits: page_shift + cell_shift */
};

/* A region split over the cells it covers. */
static void put_cells(void *arg, uint64_t s, uint64_t t, uint64_t cat)
{
	struct count_cells *o = arg;

	while (s < t) {
		uint64_t i = (s - o->start) >> o->cell_bits;
		uint64_t ce = o->start + ((i + 1) << o->cell_bits);
		uint64_t u = t < ce || ce <= s ? t : ce; /* ce wraps at 2^64 */

		if (i >= o->n)
			return;
		count_region(&o->cells[i], cat, (u - s) >> o->page_shift);
		s = u;
	}
}

int pagemap_count_cells(struct pagemap *pm, uint64_t start, uint64_t end,
			unsigned cell_shift, struct pagemap_counts *cells,
			size_t n, struct vms_err *e)
{
	uint64_t mask = ((uint64_t)1 << pm->page_shift) - 1;
	struct count_cells o;
	size_t i;

	if ((start & mask) || (end & mask) || end < start ||
	    cell_shift + pm->page_shift >= 64) {
		err_set(e, EINVAL,
			"range 0x%llx-0x%llx is not page-aligned (page size %u)",
			(unsigned long long)start, (unsigned long long)end,
			pm->page_size);
		return -1;
	}
	if (!pagemap_scan_supported(pm)) {
		err_set(e, ENOTSUP,
			"PAGEMAP_SCAN is not available on this pagemap");
		return -1;
	}
	o.cells = cells;
	o.n = n;
	o.start = start;
	o.page_shift = pm->page_shift;
	o.cell_bits = pm->page_shift + cell_shift;
	for (i = 0; i < n; i++) {
		uint64_t cs = start + ((uint64_t)i << o.cell_bits);
		uint64_t ce = cs + ((uint64_t)1 << o.cell_bits);

		if (ce <= cs) /* the last cell below 2^64 */
			ce = end;
		memset(&cells[i], 0, sizeof cells[i]);
		if (cs < end)
			cells[i].pages = ((ce < end ? ce : end) - cs) >>
					 pm->page_shift;
		cells[i].exact_huge = (pm->scan_categories &
				       VMS_PAGE_IS_HUGE) != 0;
	}
	return scan_walk(pm, start, end, put_cells, &o, e);
}

static int count_plain(struct pagemap *pm, uint64_t start, uint64_t end,
		       struct pagemap_counts *c, struct vms_err *e)
{
	uint64_t total = (end - start) >> pm->page_shift, done = 0;
	size_t cap = total < PM_BATCH ? (size_t)total : PM_BATCH;
	uint64_t *buf = malloc(cap * sizeof *buf);

	if (!buf) {
		err_sys(e, ENOMEM, "counting pages of process %d", pm->pid);
		return -1;
	}
	while (done < total) {
		size_t n = total - done < cap ? (size_t)(total - done) : cap, i;

		if (pagemap_read(pm, start + (done << pm->page_shift), n, buf,
				 e) < 0) {
			free(buf);
			return -1;
		}
		for (i = 0; i < n; i++) {
			uint64_t v = pagemap_clean(buf[i], &pm->layout);
			bool guard = v & PM_GUARD;

			if (v & PM_PRESENT)
				c->present++;
			else if ((v & PM_SWAPPED) && !guard)
				c->swapped++;
			if ((v & PM_FILE_SHARED) && !guard &&
			    (v & (PM_PRESENT | PM_SWAPPED)))
				c->file++;
			if ((v & PM_FILE_SHARED) && (v & PM_PRESENT))
				c->present_file++;
			if (v & PM_SOFT_DIRTY)
				c->soft_dirty++;
		}
		done += n;
	}
	free(buf);
	return 0;
}

int pagemap_count(struct pagemap *pm, uint64_t start, uint64_t end,
		  struct pagemap_counts *c, struct vms_err *e)
{
	uint64_t mask = ((uint64_t)1 << pm->page_shift) - 1;

	memset(c, 0, sizeof *c);
	if ((start & mask) || (end & mask) || end < start) {
		err_set(e, EINVAL,
			"range 0x%llx-0x%llx is not page-aligned (page size %u)",
			(unsigned long long)start, (unsigned long long)end,
			pm->page_size);
		return -1;
	}
	c->pages = (end - start) >> pm->page_shift;
	if (start == end)
		return 0;
	if (pagemap_scan_supported(pm)) {
		if (count_scan(pm, start, end, c, e) == 0) {
			c->exact_huge = (pm->scan_categories &
					 VMS_PAGE_IS_HUGE) != 0;
			return 0;
		}
		/* the range may lie beyond what this process may address;
		 * plain reads still work there */
		if (e && e->code == VMS_ENOPROC)
			return -1;
		memset(c, 0, sizeof *c);
		c->pages = (end - start) >> pm->page_shift;
	}
	return count_plain(pm, start, end, c, e);
}
