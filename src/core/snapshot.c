/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot: capture processes and the machine's memory-map files into a
 * snapshot directory or tar file.  Libc and the libc-only core modules
 * only (root, vmas, pagemap, kpage, escape, err): vmscope-collect links
 * this file without ncurses, readline or libproc2. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "vmscope/kpage.h"
#include "vmscope/pagemap.h"
#include "vmscope/snapshot.h"
#include "vmscope/vmas.h"
#include "snapshot_int.h"

/* pagemap entries read per pread, and PFNs per kpage_read */
#define PM_BATCH 65536
#define KP_CHUNK 65536
/* A VMA at least this many pages long whose smaps says nothing is
 * resident or swapped is not read from pagemap (a huge PROT_NONE
 * reservation would otherwise cost 8 bytes per page of reading). */
#define PM_SKIP_EMPTY_PAGES 65536
#define CG_MAX_DEPTH 64

struct manifest_entry {
	char *path;
	uint64_t size;
	struct snap_region *reg;   /* sparse files: where the data is */
	size_t nreg;
	bool sparse;
};

struct manifest {
	struct manifest_entry *e;
	size_t n, cap;
};

/* A sparse file being written, with the regions it got. */
struct sparse_out {
	int fd;
	char rel[64];
	struct snap_region *r;
	size_t n, cap;
};

struct cap {
	const struct vms_root *r;
	int outfd;                /* the staging directory */
	struct manifest files;
	struct snapshot_stats *st;
	uint64_t *pfns;           /* PFNs of present pages, unsorted */
	size_t npfns, pfncap;
	uint64_t *pmbuf;          /* PM_BATCH entries */
	unsigned *uids;           /* users of captured processes */
	size_t nuids, uidcap;
	bool cg_newline_noted;
};

/* ---- small helpers ---- */

bool snapshot_is_tar_name(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n > 4 && strcmp(path + n - 4, ".tar") == 0;
}

static void note(struct snapshot_stats *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(struct snapshot_stats *st, const char *fmt, ...)
{
	char (*nn)[200];
	va_list ap;

	nn = realloc(st->notes, (st->nnotes + 1) * sizeof *nn);
	if (!nn)
		return;
	st->notes = nn;
	va_start(ap, fmt);
	vsnprintf(st->notes[st->nnotes], sizeof st->notes[0], fmt, ap);
	va_end(ap);
	st->nnotes++;
}

void snapshot_stats_free(struct snapshot_stats *st)
{
	free(st->skipped);
	free(st->notes);
	memset(st, 0, sizeof *st);
}

int snap_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int snap_pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;

	while (len) {
		ssize_t w = pwrite(fd, p, len, (off_t)off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

/* mkdir -p of rel's parent directories (or of rel itself with self). */
int snap_mkdirs(int dirfd, const char *rel, bool self)
{
	char buf[PATH_MAX];
	size_t i, n = strlen(rel);

	if (n >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, rel, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && !(self && buf[i] == '\0'))
			continue;
		buf[i] = '\0';
		if (mkdirat(dirfd, buf, 0755) < 0 && errno != EEXIST)
			return -1;
		if (i < n)
			buf[i] = '/';
	}
	return 0;
}

/* List rel; a sparse file's regions (may be NULL) become the list's. */
static int manifest_add(struct manifest *m, const char *rel, uint64_t size,
			bool sparse, struct snap_region *reg, size_t nreg)
{
	struct manifest_entry *me;

	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		struct manifest_entry *ne = realloc(m->e, cap * sizeof *ne);

		if (!ne)
			return -1;
		m->e = ne;
		m->cap = cap;
	}
	me = &m->e[m->n];
	me->path = strdup(rel);
	if (!me->path)
		return -1;
	me->size = size;
	me->reg = reg;
	me->nreg = nreg;
	me->sparse = sparse;
	m->n++;
	return 0;
}

static void manifest_truncate(struct manifest *m, size_t n)
{
	while (m->n > n) {
		m->n--;
		free(m->e[m->n].path);
		free(m->e[m->n].reg);
	}
}

static void manifest_free(struct manifest *m)
{
	manifest_truncate(m, 0);
	free(m->e);
	memset(m, 0, sizeof *m);
}

/* Write a whole file of the snapshot and list it. */
static int out_file(struct cap *c, const char *rel, const char *data,
		    size_t len, struct vms_err *e)
{
	int fd;

	if (snap_mkdirs(c->outfd, rel, false) < 0) {
		err_sys(e, errno, "creating the directories of %s in the snapshot", rel);
		return -1;
	}
	fd = openat(c->outfd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
		    O_NOFOLLOW, 0644);
	if (fd < 0 || snap_write_all(fd, data, len) < 0) {
		err_sys(e, errno, "writing %s in the snapshot", rel);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (close(fd) < 0) {
		err_sys(e, errno, "writing %s in the snapshot", rel);
		return -1;
	}
	c->st->data_bytes += len;
	if (manifest_add(&c->files, rel, len, false, NULL, 0) < 0) {
		err_sys(e, ENOMEM, "snapshot file list");
		return -1;
	}
	return 0;
}

static int out_sparse_open(struct cap *c, struct sparse_out *so,
			   const char *rel, struct vms_err *e)
{
	memset(so, 0, sizeof *so);
	snprintf(so->rel, sizeof so->rel, "%s", rel);
	if (snap_mkdirs(c->outfd, rel, false) < 0) {
		err_sys(e, errno, "creating the directories of %s in the snapshot", rel);
		so->fd = -1;
		return -1;
	}
	so->fd = openat(c->outfd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
			O_NOFOLLOW, 0644);
	if (so->fd < 0)
		err_sys(e, errno, "creating %s in the snapshot", rel);
	return so->fd;
}

static void out_sparse_abort(struct sparse_out *so)
{
	if (so->fd >= 0)
		close(so->fd);
	so->fd = -1;
	free(so->r);
	so->r = NULL;
}

/* Write len bytes at off, and remember the region for the packer. */
static int out_sparse_write(struct cap *c, struct sparse_out *so,
			    const void *buf, size_t len, uint64_t off)
{
	if (snap_pwrite_all(so->fd, buf, len, off) < 0)
		return -1;
	c->st->data_bytes += len;
	if (so->n && so->r[so->n - 1].off + so->r[so->n - 1].len == off) {
		so->r[so->n - 1].len += len;
		return 0;
	}
	if (so->n == so->cap) {
		size_t cap = so->cap ? so->cap * 2 : 64;
		struct snap_region *nr = realloc(so->r, cap * sizeof *nr);

		if (!nr) {
			errno = ENOMEM;
			return -1;
		}
		so->r = nr;
		so->cap = cap;
	}
	so->r[so->n].off = off;
	so->r[so->n].len = len;
	so->n++;
	return 0;
}

/* Give a sparse file its final size, close it and list it. */
static int out_sparse_close(struct cap *c, struct sparse_out *so,
			    uint64_t size, struct vms_err *e)
{
	if (ftruncate(so->fd, (off_t)size) < 0) {
		err_sys(e, errno, "sizing %s in the snapshot to %llu bytes%s",
			so->rel, (unsigned long long)size,
			errno == EFBIG || errno == EINVAL ?
			" (this filesystem does not hold sparse files that large: write the snapshot to ext4, tmpfs or the like)" : "");
		out_sparse_abort(so);
		return -1;
	}
	if (close(so->fd) < 0) {
		so->fd = -1;
		err_sys(e, errno, "writing %s in the snapshot", so->rel);
		out_sparse_abort(so);
		return -1;
	}
	so->fd = -1;
	if (manifest_add(&c->files, so->rel, size, true, so->r, so->n) < 0) {
		err_sys(e, ENOMEM, "snapshot file list");
		out_sparse_abort(so);
		return -1;
	}
	so->r = NULL;
	return 0;
}

/* Write the non-zero runs of n entries that belong at entry index first. */
static int write_entries(struct cap *c, struct sparse_out *so,
			 const uint64_t *v, size_t n, uint64_t first)
{
	size_t i = 0;

	while (i < n) {
		size_t j;

		while (i < n && v[i] == 0)
			i++;
		j = i;
		while (j < n && v[j] != 0)
			j++;
		if (j > i && out_sparse_write(c, so, v + i, (j - i) * 8,
					      (first + i) * 8) < 0)
			return -1;
		i = j;
	}
	return 0;
}

/* Copy a text file of the root if it exists.  Unreadable files become a
 * note saying why; missing ones are silently left out. */
static int copy_text(struct cap *c, const char *src, const char *dst,
		     struct vms_err *e)
{
	struct vms_err le;
	char *buf;
	size_t len;
	int rc;

	if (root_read_text(c->r, src, &buf, &len, &le) < 0) {
		if (le.code != ENOENT && le.code != ENOTDIR)
			note(c->st, "%s not recorded: %s%s", src, le.msg,
			     le.code == EACCES || le.code == EPERM ?
			     " (run the capture as root)" : "");
		return 0;
	}
	rc = out_file(c, dst ? dst : src, buf, len, e);
	free(buf);
	return rc;
}

/* ---- processes ---- */

static void skip_add(struct snapshot_stats *st, int pid, int code,
		     const char *why)
{
	struct snapshot_skip *ns = realloc(st->skipped,
					   (st->nskipped + 1) * sizeof *ns);

	if (!ns)
		return;
	st->skipped = ns;
	ns[st->nskipped].pid = pid;
	ns[st->nskipped].code = code;
	snprintf(ns[st->nskipped].why, sizeof ns->why, "%s", why);
	st->nskipped++;
}

static int pfn_add(struct cap *c, uint64_t pfn)
{
	if (c->npfns == c->pfncap) {
		size_t cap = c->pfncap ? c->pfncap * 2 : 65536;
		uint64_t *np = realloc(c->pfns, cap * sizeof *np);

		if (!np)
			return -1;
		c->pfns = np;
		c->pfncap = cap;
	}
	c->pfns[c->npfns++] = pfn;
	return 0;
}

static void uid_add(struct cap *c, unsigned uid)
{
	size_t i;

	for (i = 0; i < c->nuids; i++)
		if (c->uids[i] == uid)
			return;
	if (c->nuids == c->uidcap) {
		size_t cap = c->uidcap ? c->uidcap * 2 : 16;
		unsigned *nu = realloc(c->uids, cap * sizeof *nu);

		if (!nu)
			return;
		c->uids = nu;
		c->uidcap = cap;
	}
	c->uids[c->nuids++] = uid;
}

static void uids_from_status(struct cap *c, const char *status)
{
	const char *p = strstr(status, "\nUid:");
	unsigned u[4];
	int n, i;

	if (!p)
		return;
	n = sscanf(p + 5, "%u %u %u %u", &u[0], &u[1], &u[2], &u[3]);
	for (i = 0; i < n; i++)
		uid_add(c, u[i]);
}

/* A maps line: lower-case hex digits, then '-'. */
static bool vma_header_line(const char *p, const char *le)
{
	const char *q = p;

	while (q < le && ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f')))
		q++;
	return q > p && q < le && *q == '-';
}

/* The maps text inside smaps text: its VMA header lines, so that maps
 * and smaps in the snapshot describe the same instant. */
static char *maps_of_smaps(const char *s, size_t len, size_t *outlen)
{
	char *out = malloc(len + 1);
	const char *p = s, *end = s + len;
	size_t n = 0;

	if (!out)
		return NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl + 1 : end;

		if (vma_header_line(p, le)) {
			memcpy(out + n, p, (size_t)(le - p));
			n += (size_t)(le - p);
		}
		p = le;
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

/* Why a process could not be captured, from the error of a read. */
static void skip_process(struct cap *c, int pid, const struct vms_err *le,
			 const char *what)
{
	char why[200];

	if (le->code == VMS_ENOPROC || le->code == ENOENT ||
	    le->code == ESRCH)
		snprintf(why, sizeof why, "exited during the capture");
	else if (le->code == EACCES || le->code == EPERM)
		snprintf(why, sizeof why,
			 "permission denied reading its %s (run the capture as root)",
			 what);
	else
		snprintf(why, sizeof why, "%s: %s", what, le->msg);
	skip_add(c->st, pid, le->code, why);
}

/* pagemap of the mapped ranges, at their live offsets. */
static int capture_pagemap(struct cap *c, int pid, const struct vma_list *l,
			   struct vms_err *le)
{
	const unsigned shift = c->r->page_shift;
	struct pagemap pm;
	struct sparse_out so;
	char rel[64];
	uint64_t size = 0;
	size_t i;

	snprintf(rel, sizeof rel, "proc/%d/pagemap", pid);
	if (l->n == 0) {
		/* a kernel thread or a zombie: no address space, and its
		 * pagemap may not even open (ESRCH): an empty one */
		if (out_sparse_open(c, &so, rel, le) < 0 ||
		    out_sparse_close(c, &so, 0, le) < 0) {
			le->code = -le->code - 1;
			return -1;
		}
		return 0;
	}
	if (pagemap_open(c->r, pid, &pm, le) < 0)
		return -1;
	if (out_sparse_open(c, &so, rel, le) < 0) {
		pagemap_close(&pm);
		le->code = -le->code - 1; /* an output error, not the process's */
		return -1;
	}
	for (i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		uint64_t addr = v->start, npages = (v->end - v->start) >> shift;
		bool beyond = false;

		if (vma_is_gap(v))
			continue;   /* pagemap reads zeros there: nothing to keep */
		if (npages >= PM_SKIP_EMPTY_PAGES && v->has_smaps &&
		    v->smaps[SMAPS_RSS] == 0 && v->smaps[SMAPS_SWAP] == 0) {
			if ((v->end >> shift) * 8 > size)
				size = (v->end >> shift) * 8;
			continue;
		}
		while (addr < v->end) {
			size_t n = (size_t)((v->end - addr) >> shift), k;

			if (n > PM_BATCH)
				n = PM_BATCH;
			if (n == 0)
				break;
			if (pagemap_read(&pm, addr, n, c->pmbuf, le) < 0) {
				uint64_t first;

				if (le->code == VMS_EFORMAT &&
				    pread(pm.fd, &first, 8, 0) == 8) {
					/* end of file: above the task size
					 * ([vsyscall], ARM's [vectors]), where
					 * the kernel's pagemap ends too */
					beyond = true;
					break;
				}
				if (le->code == VMS_EFORMAT)   /* no mm: gone */
					err_set(le, VMS_ENOPROC,
						"process %d exited while its pagemap was read",
						pid);
				out_sparse_abort(&so);
				pagemap_close(&pm);
				return -1;
			}
			for (k = 0; k < n; k++) {
				uint64_t raw = c->pmbuf[k];

				if (!(raw & PM_PRESENT))
					continue;
				c->st->present_pages++;
				if (c->r->pfn_visible && (raw & PM_PFN_MASK) &&
				    pfn_add(c, raw & PM_PFN_MASK) < 0) {
					err_sys(le, ENOMEM, "PFN list");
					le->code = -ENOMEM - 1;
					out_sparse_abort(&so);
					pagemap_close(&pm);
					return -1;
				}
			}
			if (write_entries(c, &so, c->pmbuf, n, addr >> shift) < 0) {
				err_sys(le, errno, "writing %s in the snapshot", rel);
				le->code = -le->code - 1;
				out_sparse_abort(&so);
				pagemap_close(&pm);
				return -1;
			}
			addr += (uint64_t)n << shift;
		}
		if (!beyond && (v->end >> shift) * 8 > size)
			size = (v->end >> shift) * 8;
	}
	pagemap_close(&pm);
	if (out_sparse_close(c, &so, size, le) < 0) {
		le->code = -le->code - 1;
		return -1;
	}
	return 0;
}

/* Reads of a process whose mappings change meanwhile. */
#define SNAP_READ_TRIES 8

/* One process: 0 captured, 1 skipped, -1 an error of the snapshot itself
 * (output), which ends the capture. */
static int capture_process(struct cap *c, int pid, struct vms_err *e)
{
	static const char *const texts[] = { "status", "cmdline", "comm",
					     "cgroup" };
	char rel[64], dst[64], *smaps = NULL, *maps = NULL, *text[4] = { 0 };
	size_t smlen = 0, mlen = 0, tlen[4] = { 0 }, i;
	size_t mark_files = c->files.n, mark_pfns = c->npfns;
	uint64_t mark_present = c->st->present_pages;
	struct vma_list l;
	struct vms_err le;
	bool have_smaps = true;
	int rc = 1, tries = 0;

	memset(&l, 0, sizeof l);
	err_clear(&le);
reread:
	snprintf(rel, sizeof rel, "proc/%d/smaps", pid);
	if (root_read_text(c->r, rel, &smaps, &smlen, &le) < 0) {
		have_smaps = false;
		snprintf(rel, sizeof rel, "proc/%d/maps", pid);
		if (root_read_text(c->r, rel, &smaps, &smlen, &le) < 0) {
			skip_process(c, pid, &le, "maps");
			return 1;
		}
	}
	for (i = 0; i < 4; i++) {
		snprintf(rel, sizeof rel, "proc/%d/%s", pid, texts[i]);
		if (root_read_text(c->r, rel, &text[i], &tlen[i], &le) < 0 &&
		    i < 2) {
			skip_process(c, pid, &le, texts[i]);
			goto out;
		}
	}
	if (vmas_parse(smaps, smlen, &l, &le) < 0) {
		char why[200];

		snprintf(why, sizeof why, "its %s cannot be read: %s",
			 have_smaps ? "smaps" : "maps", le.msg);
		skip_add(c->st, pid, le.code, why);
		goto out;
	}
	/* A process that maps or unmaps while its smaps is read can show a
	 * VMA twice (the read resumes at the last address): read again, as
	 * vmas_read does, rather than store a list no view can trust. */
	if (!vmas_ordered(&l)) {
		vmas_free(&l);
		memset(&l, 0, sizeof l);
		free(smaps);
		smaps = NULL;
		for (i = 0; i < 4; i++) {
			free(text[i]);
			text[i] = NULL;
		}
		have_smaps = true;
		if (++tries < SNAP_READ_TRIES)
			goto reread;
		skip_add(c->st, pid, 0, "it changed its mappings while they were read, every time");
		goto out;
	}
	maps = have_smaps ? maps_of_smaps(smaps, smlen, &mlen) : NULL;
	if (have_smaps && !maps) {
		err_sys(e, ENOMEM, "capturing process %d", pid);
		rc = -1;
		goto out;
	}
	for (i = 0; i < 4; i++) {
		if (!text[i])
			continue;
		snprintf(dst, sizeof dst, "proc/%d/%s", pid, texts[i]);
		if (out_file(c, dst, text[i], tlen[i], e) < 0) {
			rc = -1;
			goto out;
		}
	}
	snprintf(dst, sizeof dst, "proc/%d/%s", pid, have_smaps ? "smaps" : "maps");
	if (out_file(c, dst, smaps, smlen, e) < 0) {
		rc = -1;
		goto out;
	}
	if (have_smaps) {
		snprintf(dst, sizeof dst, "proc/%d/maps", pid);
		if (out_file(c, dst, maps, mlen, e) < 0) {
			rc = -1;
			goto out;
		}
	}
	if (capture_pagemap(c, pid, &l, &le) < 0) {
		if (le.code < 0) {   /* output error */
			le.code = -le.code - 1;
			if (e)
				*e = le;
			rc = -1;
			goto out;
		}
		skip_process(c, pid, &le, "pagemap");
		goto out;
	}
	uids_from_status(c, text[0]);
	c->st->processes++;
	rc = 0;
out:
	if (rc == 1) {
		/* leave no trace of a process that is not complete */
		snprintf(dst, sizeof dst, "proc/%d", pid);
		snapshot_remove_tree(c->outfd, dst);
		manifest_truncate(&c->files, mark_files);
		c->npfns = mark_pfns;
		c->st->present_pages = mark_present;
	}
	vmas_free(&l);
	free(smaps);
	free(maps);
	for (i = 0; i < 4; i++)
		free(text[i]);
	return rc;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The numeric entries of ROOT/proc, sorted. */
static int list_pids(const struct vms_root *r, int **out, size_t *n,
		     struct vms_err *e)
{
	int fd = openat(r->dirfd, "proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *d;
	size_t cap = 0;
	DIR *dir;

	*out = NULL;
	*n = 0;
	if (fd < 0 || !(dir = fdopendir(fd))) {
		err_sys(e, errno, "cannot list the processes in %s%s",
			r->live ? "/" : r->path, r->live ? "proc" : "/proc");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((d = readdir(dir))) {
		char *end;
		long v = strtol(d->d_name, &end, 10);

		if (*end || v <= 0 || v > 0x7fffffff || d->d_name[0] == '0')
			continue;
		if (*n == cap) {
			int *np;

			cap = cap ? cap * 2 : 512;
			np = realloc(*out, cap * sizeof *np);
			if (!np) {
				closedir(dir);
				free(*out);
				*out = NULL;
				err_sys(e, ENOMEM, "process list");
				return -1;
			}
			*out = np;
		}
		(*out)[(*n)++] = (int)v;
	}
	closedir(dir);
	qsort(*out, *n, sizeof **out, cmp_int);
	return 0;
}

/* ---- kpage* of the referenced PFNs ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Write v[0..n) (for sorted unique pfns) as runs of consecutive PFNs. */
static int write_pfn_runs(struct cap *c, struct sparse_out *so,
			  const uint64_t *pfns, const uint64_t *v, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i + 1;

		while (j < n && pfns[j] == pfns[j - 1] + 1)
			j++;
		if (out_sparse_write(c, so, v + i, (j - i) * 8, pfns[i] * 8) < 0)
			return -1;
		i = j;
	}
	return 0;
}

static int capture_kpage(struct cap *c, struct vms_err *e)
{
	static const char *const names[3] = { "proc/kpageflags",
					      "proc/kpagecount",
					      "proc/kpagecgroup" };
	uint64_t *vals[3] = { NULL, NULL, NULL };
	struct sparse_out so[3];
	struct kpage k;
	size_t i, n = 0, off;
	int f, rc = -1;

	if (!c->r->pfn_visible) {
		note(c->st, "PFNs are hidden from this user, so no kpageflags, kpagecount or kpagecgroup were recorded (run the capture as root)");
		return 0;
	}
	if (c->npfns) {
		qsort(c->pfns, c->npfns, sizeof *c->pfns, cmp_u64);
		for (i = 0; i < c->npfns; i++)
			if (n == 0 || c->pfns[i] != c->pfns[n - 1])
				c->pfns[n++] = c->pfns[i];
	}
	c->npfns = n;
	c->st->pfns = n;
	for (f = 0; f < 3; f++) {
		so[f].fd = -1;
		so[f].r = NULL;
	}
	kpage_open(c->r, &k);
	for (f = 0; f < 3; f++) {
		struct vms_err le;

		if (kpage_check(&k, 1u << f, &le) < 0) {
			note(c->st, "%s not recorded: %s", names[f], le.msg);
			continue;
		}
		if (out_sparse_open(c, &so[f], names[f], e) < 0)
			goto out;
		vals[f] = malloc(KP_CHUNK * sizeof *vals[f]);
		if (!vals[f]) {
			err_sys(e, ENOMEM, "kpage buffers");
			goto out;
		}
	}
	for (off = 0; off < n; off += KP_CHUNK) {
		size_t m = n - off < KP_CHUNK ? n - off : KP_CHUNK;

		if (kpage_read(&k, c->pfns + off, NULL, m, vals[0], vals[1],
			       vals[2], e) < 0)
			goto out;
		for (f = 0; f < 3; f++)
			if (so[f].fd >= 0 &&
			    write_pfn_runs(c, &so[f], c->pfns + off, vals[f], m) < 0) {
				err_sys(e, errno, "writing %s in the snapshot",
					names[f]);
				goto out;
			}
	}
	for (f = 0; f < 3; f++) {
		if (so[f].fd < 0)
			continue;
		/* one past the highest PFN: every recorded PFN reads back */
		if (out_sparse_close(c, &so[f],
				     n ? (c->pfns[n - 1] + 1) * 8 : 0, e) < 0)
			goto out;
	}
	rc = 0;
out:
	for (f = 0; f < 3; f++) {
		out_sparse_abort(&so[f]);
		free(vals[f]);
	}
	kpage_close(&k);
	return rc;
}

/* ---- the machine's files ---- */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Names in ROOT/rel, filtered by prefix + digits, sorted. */
static char **list_numbered(const struct vms_root *r, const char *rel,
			    const char *prefix, size_t *n)
{
	int fd = openat(r->dirfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t plen = strlen(prefix), cap = 0;
	char **names = NULL;
	struct dirent *d;
	DIR *dir;

	*n = 0;
	if (fd < 0)
		return NULL;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return NULL;
	}
	while ((d = readdir(dir))) {
		if (strncmp(d->d_name, prefix, plen) ||
		    !all_digits(d->d_name + plen))
			continue;
		if (*n == cap) {
			char **nn;

			cap = cap ? cap * 2 : 16;
			nn = realloc(names, cap * sizeof *nn);
			if (!nn)
				break;
			names = nn;
		}
		if (!(names[*n] = strdup(d->d_name)))
			break;
		(*n)++;
	}
	closedir(dir);
	return names;
}

static void free_names(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

static int capture_sysfs(struct cap *c, struct vms_err *e)
{
	static const char *const mm_files[] = { "start", "end", "type" };
	static const char *const uio_files[] = { "name", "version" };
	static const char *const map_files[] = { "name", "addr", "size",
						 "offset" };
	char **ents, **maps, rel[PATH_MAX];
	size_t n, nm, i, j, k;
	int rc = 0;

	ents = list_numbered(c->r, "sys/firmware/memmap", "", &n);
	for (i = 0; i < n && rc == 0; i++)
		for (k = 0; k < 3 && rc == 0; k++) {
			snprintf(rel, sizeof rel, "sys/firmware/memmap/%s/%s",
				 ents[i], mm_files[k]);
			rc = copy_text(c, rel, NULL, e);
		}
	free_names(ents, n);
	if (rc < 0)
		return rc;
	ents = list_numbered(c->r, "sys/class/uio", "uio", &n);
	for (i = 0; i < n && rc == 0; i++) {
		for (k = 0; k < 2 && rc == 0; k++) {
			snprintf(rel, sizeof rel, "sys/class/uio/%s/%s", ents[i],
				 uio_files[k]);
			rc = copy_text(c, rel, NULL, e);
		}
		snprintf(rel, sizeof rel, "sys/class/uio/%s/maps", ents[i]);
		maps = list_numbered(c->r, rel, "map", &nm);
		for (j = 0; j < nm && rc == 0; j++)
			for (k = 0; k < 4 && rc == 0; k++) {
				snprintf(rel, sizeof rel,
					 "sys/class/uio/%s/maps/%s/%s", ents[i],
					 maps[j], map_files[k]);
				rc = copy_text(c, rel, NULL, e);
			}
		free_names(maps, nm);
	}
	free_names(ents, n);
	return rc;
}

/* The boot log: live from the kernel's ring buffer (klogctl, as dmesg
 * reads it), from a snapshot root its boot.log. */
static int capture_boot_log(struct cap *c, struct vms_err *e)
{
	char *buf;
	int size, got, rc;

	if (!c->r->live)
		return copy_text(c, "boot.log", NULL, e);
	size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	if (size <= 0)
		size = 1 << 20;
	buf = malloc((size_t)size);
	if (!buf) {
		err_sys(e, ENOMEM, "boot log buffer");
		return -1;
	}
	got = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	if (got < 0) {
		int err = errno;

		note(c->st, "boot.log not recorded: reading the kernel log (klogctl) failed: %s%s",
		     strerror(err), err == EPERM ?
		     " (kernel.dmesg_restrict is set: run the capture as root)" : "");
		free(buf);
		return 0;
	}
	rc = out_file(c, "boot.log", buf, (size_t)got, e);
	free(buf);
	return rc;
}

/* The kernel image's section symbols, the ones the kernel-range views
 * place the image with.  Keep in step with kranges_parse_kallsyms. */
static const char *const ksyms_kept[] = {
	"_text", "_stext", "_etext", "__start_rodata", "__end_rodata",
	"__init_begin", "__init_end", "_sinittext", "_einittext", "_sdata",
	"_edata", "__bss_start", "__bss_stop", "_end", "__per_cpu_start",
	"__per_cpu_end",
};

/* /proc/kallsyms (megabytes) with every other line left blank: the kept
 * lines keep their line numbers, so sources read the same as live. */
static int capture_kallsyms(struct cap *c, struct vms_err *e)
{
	struct vms_err le;
	char *text, *p, *end, *o;
	size_t len, i;
	int rc;

	if (!c->r->live)
		return copy_text(c, "proc/kallsyms", NULL, e);
	if (root_read_text(c->r, "proc/kallsyms", &text, &len, &le) < 0) {
		if (le.code != ENOENT)
			note(c->st, "proc/kallsyms not recorded: %s", le.msg);
		return 0;
	}
	for (p = o = text, end = text + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le2 = nl ? nl : end, *name;
		bool keep = false;

		/* "ADDR T NAME", modules' symbols add "\t[mod]" */
		name = memchr(p, ' ', (size_t)(le2 - p));
		if (name && name + 3 < le2 && name[2] == ' ') {
			size_t nlen = (size_t)(le2 - (name + 3));

			name += 3;
			for (i = 0; i < sizeof ksyms_kept / sizeof ksyms_kept[0]; i++)
				if (strlen(ksyms_kept[i]) == nlen &&
				    !memcmp(name, ksyms_kept[i], nlen))
					keep = true;
		}
		if (keep) {
			memmove(o, p, (size_t)(le2 - p));
			o += le2 - p;
		}
		if (nl)
			*o++ = '\n';
		p = nl ? nl + 1 : end;
	}
	rc = out_file(c, "proc/kallsyms", text, (size_t)(o - text), e);
	free(text);
	return rc;
}

/* mountinfo's octal escapes (\040 for a space) undone in place. */
static void unescape_mount(char *s)
{
	char *o = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

/* The memory controller's mount point in mountinfo text: a cgroup (v1)
 * mount with the memory option, else the cgroup2 mount.  The same rule
 * as the cgroups module, so the paths match what it would find live. */
static bool memcg_mount(char *text, char *out, size_t n)
{
	char v2[PATH_MAX] = "";
	char *save = NULL, *line;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[6], *sep = strstr(line, " - "), *p = line, *fs, *opts;
		int i;

		if (!sep)
			continue;
		*sep = '\0';
		for (i = 0; i < 5; i++) {
			while (*p == ' ')
				p++;
			f[i] = p;
			p = strchr(p, ' ');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (i < 4)
			continue;
		fs = sep + 3;
		p = strchr(fs, ' ');
		if (!p)
			continue;
		*p++ = '\0';
		opts = strchr(p, ' ');   /* after the source */
		opts = opts ? opts + 1 : (char *)"";
		if (!strcmp(fs, "cgroup")) {
			char *o, *s2 = NULL;

			for (o = strtok_r(opts, ",", &s2); o;
			     o = strtok_r(NULL, ",", &s2))
				if (!strcmp(o, "memory")) {
					unescape_mount(f[4]);
					snprintf(out, n, "%s", f[4]);
					return true;
				}
		} else if (!strcmp(fs, "cgroup2") && !v2[0]) {
			unescape_mount(f[4]);
			snprintf(v2, sizeof v2, "%s", f[4]);
		}
	}
	if (!v2[0])
		return false;
	snprintf(out, n, "%s", v2);
	return true;
}

struct strbuf {
	char *s;
	size_t n, cap;
};

static int sb_add(struct strbuf *b, const char *s, size_t len)
{
	/* keeps cap *= 2 from overflowing (and tells gcc -O3 len is sane) */
	if (len > SIZE_MAX / 4 || b->n > SIZE_MAX / 4)
		return -1;
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *ns;

		while (b->n + len + 1 > cap)
			cap *= 2;
		ns = realloc(b->s, cap);
		if (!ns)
			return -1;
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
	return 0;
}

static int cg_walk(struct cap *c, int fd, char *path, size_t plen,
		   int depth, struct strbuf *out)
{
	struct stat st;
	struct dirent *d;
	char line[64];
	DIR *dir;
	int rc = 0;

	if (fstat(fd, &st) < 0) {
		close(fd);
		return 0;
	}
	snprintf(line, sizeof line, "%llu ", (unsigned long long)st.st_ino);
	if (sb_add(out, line, strlen(line)) < 0 ||
	    sb_add(out, plen ? path : "/", plen ? plen : 1) < 0 ||
	    sb_add(out, "\n", 1) < 0) {
		close(fd);
		return -1;
	}
	if (depth >= CG_MAX_DEPTH || !(dir = fdopendir(fd))) {
		close(fd);
		return 0;
	}
	while (rc == 0 && (d = readdir(dir))) {
		size_t nl = strlen(d->d_name);
		int sub;

		if (d->d_name[0] == '.' &&
		    (!d->d_name[1] || (d->d_name[1] == '.' && !d->d_name[2])))
			continue;
		if (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN)
			continue;
		if (strchr(d->d_name, '\n')) {
			if (!c->cg_newline_noted)
				note(c->st, "a memory cgroup whose name holds a newline was left out of cgroup-inodes");
			c->cg_newline_noted = true;
			continue;
		}
		if (plen + 1 + nl >= PATH_MAX)
			continue;
		sub = openat(dirfd(dir), d->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		path[plen] = '/';
		memcpy(path + plen + 1, d->d_name, nl + 1);
		rc = cg_walk(c, sub, path, plen + 1 + nl, depth + 1, out);
		path[plen] = '\0';
	}
	closedir(dir);
	return rc;
}

/* ROOT/cgroup-inodes: "INODE PATH" of every memory cgroup, the path
 * relative to the controller's mount ("/" for its root). */
static int capture_cgroups(struct cap *c, struct vms_err *e)
{
	struct strbuf out = { 0 };
	char *mi, mount[PATH_MAX], path[PATH_MAX] = "";
	size_t len;
	int fd, rc;

	if (!c->r->live)
		return copy_text(c, "cgroup-inodes", NULL, e);
	if (root_read_text(c->r, "proc/self/mountinfo", &mi, &len, NULL) < 0)
		return 0;
	if (!memcg_mount(mi, mount, sizeof mount)) {
		free(mi);
		note(c->st, "no memory cgroup mount: cgroup-inodes not recorded");
		return 0;
	}
	free(mi);
	fd = openat(c->r->dirfd, mount[0] == '/' ? mount + 1 : mount,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		note(c->st, "cgroup-inodes not recorded: cannot open %s: %s",
		     mount, strerror(errno));
		return 0;
	}
	if (cg_walk(c, fd, path, 0, 0, &out) < 0) {
		free(out.s);
		err_sys(e, ENOMEM, "memory cgroup list");
		return -1;
	}
	rc = out_file(c, "cgroup-inodes", out.s ? out.s : "", out.n, e);
	free(out.s);
	return rc;
}

/* ROOT/etc/passwd reduced to the users of the captured processes, and
 * to name, uid and gid: the process list shows user names from it. */
static int capture_passwd(struct cap *c, struct vms_err *e)
{
	struct strbuf out = { 0 };
	char *text, *line, *save = NULL;
	size_t len;
	int rc;

	if (!c->nuids ||
	    root_read_text(c->r, "etc/passwd", &text, &len, NULL) < 0)
		return 0;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[4], *p = line;
		unsigned long uid;
		size_t i;
		int k;

		for (k = 0; k < 4 && p; k++) {
			f[k] = p;
			p = strchr(p, ':');
			if (p)
				*p++ = '\0';
		}
		if (k < 4 || !all_digits(f[2]))
			continue;
		uid = strtoul(f[2], NULL, 10);
		for (i = 0; i < c->nuids; i++) {
			char buf[512];
			int bl;

			if (c->uids[i] != uid)
				continue;
			bl = snprintf(buf, sizeof buf, "%s:x:%s:%s:::\n", f[0],
				      f[2], f[3]);
			if (bl > 0 && (size_t)bl < sizeof buf &&
			    sb_add(&out, buf, (size_t)bl) < 0) {
				free(out.s);
				free(text);
				err_sys(e, ENOMEM, "user list");
				return -1;
			}
			c->uids[i] = c->uids[--c->nuids]; /* first line wins */
			break;
		}
	}
	free(text);
	rc = out.n ? out_file(c, "etc/passwd", out.s, out.n, e) : 0;
	free(out.s);
	return rc;
}

static int write_manifest(struct cap *c, struct vms_err *e)
{
	struct strbuf out = { 0 };
	char line[PATH_MAX + 32];
	size_t i;
	int rc;

	if (sb_add(&out, "# vmscope snapshot: SIZE PATH of every file, checked when it is opened\n", 71) < 0)
		goto nomem;
	for (i = 0; i < c->files.n; i++) {
		int l = snprintf(line, sizeof line, "%llu %s\n",
				 (unsigned long long)c->files.e[i].size,
				 c->files.e[i].path);

		if (l > 0 && sb_add(&out, line, (size_t)l) < 0)
			goto nomem;
	}
	/* the list is not in itself */
	rc = out_file(c, SNAPSHOT_FILES_NAME, out.s, out.n, e);
	free(out.s);
	return rc;
nomem:
	free(out.s);
	err_sys(e, ENOMEM, "snapshot file list");
	return -1;
}

static const char *skip_slug(int code)
{
	if (code == VMS_ENOPROC || code == ENOENT || code == ESRCH)
		return "exited";
	if (code == EACCES || code == EPERM)
		return "permission";
	return "unreadable";
}

static int write_conf(struct cap *c, time_t now, struct vms_err *e)
{
	const struct vms_root *r = c->r;
	struct strbuf out = { 0 };
	char buf[1024], when[64];
	struct tm tm;
	size_t i;
	int l, rc;

	if (r->live || !r->taken[0]) {
		gmtime_r(&now, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	} else {
		snprintf(when, sizeof when, "%s", r->taken);
	}
	l = snprintf(buf, sizeof buf,
		     "# vmscope snapshot of %s, written by vmscope %s\n"
		     "format=%d\npage_size=%u\narch=%s\nkernel_release=%s\n"
		     "hostname=%s\ntime=%s\npfn_visible=%d\nvmscope_version=%s\n"
		     "byte_order=%s\nprocesses=%zu\n",
		     r->hostname[0] ? r->hostname : "?", VMSCOPE_VERSION,
		     ROOT_FORMAT_VERSION, r->page_size, r->arch, r->release,
		     r->hostname, when, r->pfn_visible ? 1 : 0,
		     VMSCOPE_VERSION, snap_byte_order(), c->st->processes);
	if (sb_add(&out, buf, (size_t)l) < 0)
		goto nomem;
	if (c->st->nskipped) {
		if (sb_add(&out, "skipped=", 8) < 0)
			goto nomem;
		for (i = 0; i < c->st->nskipped; i++) {
			l = snprintf(buf, sizeof buf, "%s%d:%s", i ? "," : "",
				     c->st->skipped[i].pid,
				     skip_slug(c->st->skipped[i].code));
			if (sb_add(&out, buf, (size_t)l) < 0)
				goto nomem;
		}
		if (sb_add(&out, "\n", 1) < 0)
			goto nomem;
	}
	for (i = 0; i < c->st->nnotes; i++) {
		char *nl;

		l = snprintf(buf, sizeof buf, "note=%s\n", c->st->notes[i]);
		/* a note is one line */
		while ((nl = strchr(buf, '\n')) && nl[1])
			*nl = ' ';
		if (sb_add(&out, buf, (size_t)l) < 0)
			goto nomem;
	}
	rc = out_file(c, ROOT_CONF_NAME, out.s, out.n, e);
	free(out.s);
	return rc;
nomem:
	free(out.s);
	err_sys(e, ENOMEM, "snapshot conf");
	return -1;
}

/* Everything into the staging directory c->outfd. */
static int capture(struct cap *c, const struct snapshot_opts *o,
		   time_t now, struct vms_err *e)
{
	static const char *const texts[] = {
		"proc/iomem", "proc/cmdline", "proc/vmallocinfo", "proc/meminfo",
		"proc/modules", "proc/sys/kernel/kptr_restrict",
		"sys/kernel/mm/transparent_hugepage/enabled",
	};
	int *all = NULL, self = (int)getpid();
	const int *pids;
	size_t npids = o->npids, i;
	int rc;

	if (o->all) {
		if (list_pids(c->r, &all, &npids, e) < 0)
			return -1;
	} else {
		all = malloc(npids * sizeof *all);
		if (!all) {
			err_sys(e, ENOMEM, "process list");
			return -1;
		}
		memcpy(all, o->pids, npids * sizeof *all);
		qsort(all, npids, sizeof *all, cmp_int);
	}
	pids = all;
	for (i = 0; i < npids; i++) {
		if (o->all && c->r->live && pids[i] == self)
			continue;   /* vmscope itself, changing as it reads */
		if (i && pids[i] == pids[i - 1])
			continue;
		rc = capture_process(c, pids[i], e);
		if (rc < 0) {
			free(all);
			return -1;
		}
	}
	free(all);
	if (c->st->processes == 0) {
		if (c->st->nskipped == 1)
			err_set(e, c->st->skipped[0].code == VMS_ENOPROC ?
				VMS_ENOPROC : c->st->skipped[0].code,
				"nothing captured: process %d %s",
				c->st->skipped[0].pid, c->st->skipped[0].why);
		else
			err_set(e, VMS_ENOPROC,
				"nothing captured: none of the %zu processes could be read%s%s",
				c->st->nskipped,
				c->st->nskipped ? "; the first: " : "",
				c->st->nskipped ? c->st->skipped[0].why : "");
		return -1;
	}
	if (capture_kpage(c, e) < 0)
		return -1;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (copy_text(c, texts[i], NULL, e) < 0)
			return -1;
	if (capture_boot_log(c, e) < 0 || capture_kallsyms(c, e) < 0 ||
	    capture_sysfs(c, e) < 0 ||
	    capture_cgroups(c, e) < 0 || capture_passwd(c, e) < 0)
		return -1;
	if (write_manifest(c, e) < 0)
		return -1;
	return write_conf(c, now, e);
}

/* ---- putting the result in place ---- */

static int cmp_hint(const void *a, const void *b)
{
	return strcmp(((const struct snap_hint *)a)->path,
		      ((const struct snap_hint *)b)->path);
}

/* Pack the staging directory, telling the packer where the sparse files
 * hold data. */
static int pack_hinted(struct cap *c, int tfd, int64_t mtime,
		       struct vms_err *e)
{
	struct snap_hint *h = calloc(c->files.n + 1, sizeof *h);
	size_t i, n = 0;
	int rc;

	if (!h) {
		err_sys(e, ENOMEM, "tar file list");
		return -1;
	}
	for (i = 0; i < c->files.n; i++) {
		if (!c->files.e[i].sparse)
			continue;   /* text: data throughout */
		h[n].path = c->files.e[i].path;
		h[n].r = c->files.e[i].reg;
		h[n].n = c->files.e[i].nreg;
		n++;
	}
	qsort(h, n, sizeof *h, cmp_hint);
	rc = snap_tar_pack(c->outfd, tfd, mtime, h, n, e);
	free(h);
	return rc;
}

/* Split path into its parent directory (at least ".") and last name. */
static int split_path(const char *path, char *parent, size_t pn, char *base,
		      size_t bn)
{
	char tmp[PATH_MAX];
	size_t n = strlen(path);
	char *slash;

	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, path, n + 1);
	while (n > 1 && tmp[n - 1] == '/')
		tmp[--n] = '\0';
	slash = strrchr(tmp, '/');
	if (!slash) {
		snprintf(parent, pn, ".");
		snprintf(base, bn, "%s", tmp);
	} else {
		snprintf(base, bn, "%s", slash + 1);
		if (slash == tmp)
			snprintf(parent, pn, "/");
		else {
			*slash = '\0';
			snprintf(parent, pn, "%s", tmp);
		}
	}
	return base[0] && strcmp(base, ".") && strcmp(base, "..") &&
	       strcmp(base, "/") ? 0 : -1;
}

/* May out be written (or replaced)?  Fills *exists. */
static int check_target(const char *out, bool tar, bool force, bool *exists,
			struct vms_err *e)
{
	struct stat st;
	char conf[PATH_MAX + 64];
	DIR *d;
	struct dirent *de;
	bool empty = true;

	*exists = false;
	if (lstat(out, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		err_sys(e, errno, "cannot use '%s' for the snapshot", out);
		return -1;
	}
	*exists = true;
	if (!force) {
		err_set(e, EEXIST,
			"'%s' already exists: give --force to replace it, or another -o",
			out);
		return -1;
	}
	if (tar) {
		if (!S_ISREG(st.st_mode)) {
			err_set(e, EEXIST,
				"'%s' exists and is not a regular file: not replacing it",
				out);
			return -1;
		}
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		err_set(e, EEXIST,
			"'%s' exists and is not a directory: not replacing it (a tar snapshot needs a name ending in .tar)",
			out);
		return -1;
	}
	snprintf(conf, sizeof conf, "%s/%s", out, ROOT_CONF_NAME);
	if (access(conf, F_OK) == 0)
		return 0;
	d = opendir(out);
	if (d) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				empty = false;
		closedir(d);
	}
	if (!empty) {
		err_set(e, EEXIST,
			"'%s' is a directory with other files in it, not a vmscope snapshot: not replacing it, even with --force",
			out);
		return -1;
	}
	return 0;
}

int snapshot_write(const struct vms_root *r, const struct snapshot_opts *o,
		   struct snapshot_stats *st, struct vms_err *e)
{
	char parent[PATH_MAX], base[NAME_MAX + 1], stage[PATH_MAX],
	     tartmp[PATH_MAX + 8], old[PATH_MAX + 8];
	struct cap c;
	time_t now = time(NULL);
	bool tar, exists;
	int rc = -1, n;

	memset(st, 0, sizeof *st);
	memset(&c, 0, sizeof c);
	c.outfd = -1;
	c.r = r;
	c.st = st;
	if (!o->out || !*o->out) {
		err_set(e, EINVAL, "no output given: -o DIR or -o FILE.tar");
		return -1;
	}
	if (!o->all && o->npids == 0) {
		err_set(e, EINVAL, "no process given: -p PID (repeatable) or --all");
		return -1;
	}
	tar = snapshot_is_tar_name(o->out);
	st->tar = tar;
	if (split_path(o->out, parent, sizeof parent, base, sizeof base) < 0) {
		err_set(e, EINVAL, "'%s' is not a usable name for a snapshot",
			o->out);
		return -1;
	}
	if (check_target(o->out, tar, o->force, &exists, e) < 0)
		return -1;
	n = snprintf(stage, sizeof stage, "%s/.%s.vmscope-XXXXXX", parent, base);
	if (n < 0 || (size_t)n >= sizeof stage) {
		err_set(e, ENAMETOOLONG, "'%s' is too long a name", o->out);
		return -1;
	}
	if (!mkdtemp(stage)) {
		err_sys(e, errno, "cannot create the snapshot next to '%s' (in %s)",
			o->out, parent);
		return -1;
	}
	c.outfd = open(stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	c.pmbuf = malloc(PM_BATCH * sizeof *c.pmbuf);
	if (c.outfd < 0 || !c.pmbuf) {
		err_sys(e, c.outfd < 0 ? errno : ENOMEM, "snapshot in %s", stage);
		goto out;
	}
	if (capture(&c, o, now, e) < 0)
		goto out;
	{
		/* mkdtemp made it 0700: give it the mode mkdir would have */
		mode_t mask = umask(022);

		umask(mask);
		fchmod(c.outfd, 0777 & ~mask);
	}
	if (tar) {
		int tfd;

		snprintf(tartmp, sizeof tartmp, "%s.tar", stage);
		tfd = open(tartmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (tfd < 0) {
			err_sys(e, errno, "cannot create %s", tartmp);
			goto out;
		}
		if (pack_hinted(&c, tfd, (int64_t)now, e) < 0 ||
		    fsync(tfd) < 0 || close(tfd) < 0) {
			if (e && e->code == 0)
				err_sys(e, errno, "writing %s", tartmp);
			close(tfd);
			unlink(tartmp);
			goto out;
		}
		if (rename(tartmp, o->out) < 0) {
			err_sys(e, errno, "cannot move the snapshot to '%s'", o->out);
			unlink(tartmp);
			goto out;
		}
	} else {
		snprintf(old, sizeof old, "%s.old", stage);
		if (exists && rename(o->out, old) < 0) {
			err_sys(e, errno, "cannot replace '%s'", o->out);
			goto out;
		}
		if (rename(stage, o->out) < 0) {
			err_sys(e, errno, "cannot move the snapshot to '%s'", o->out);
			if (exists)
				rename(old, o->out);
			goto out;
		}
		if (exists)
			snapshot_remove_tree(AT_FDCWD, old);
		stage[0] = '\0';
	}
	rc = 0;
out:
	if (c.outfd >= 0)
		close(c.outfd);
	if (stage[0])
		snapshot_remove_tree(AT_FDCWD, stage);
	manifest_free(&c.files);
	free(c.pfns);
	free(c.pmbuf);
	free(c.uids);
	return rc;
}
