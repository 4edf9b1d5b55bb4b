/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root_fs: the backends on a directory: the live system (a directory fd
 * of "/", with the kernel log as the file ROOT_BOOT_LOG) and a snapshot
 * or fixture directory (regular files and directories only, opened
 * without blocking, so a FIFO planted in a snapshot cannot hang us). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/escape.h"
#include "root_int.h"

struct fs_ctx {
	int dirfd;
	bool live;
};

struct fs_file {
	struct root_file base;
	int fd;              /* -1 for a file held in memory */
	char *mem;           /* the kernel log, read once at open */
	size_t memlen;
};

static struct fs_ctx *ctx_of(const struct vms_root *r)
{
	return r->ctx;
}

/* Where rel lies: the directory fd holding its last component (*base).
 * Live, the root's own fd (the kernel's links, /proc/self among them,
 * are followed).  In a snapshot or fixture directory, every directory
 * on the way is opened without following a symbolic link, so no link
 * planted in it leads outside (an agent serving it answers only from
 * its trees); the caller opens *base with O_NOFOLLOW too.  -1 with errno
 * (ELOOP for a link) when a component is not a plain directory; the fd
 * returned is the caller's to close when it is not c->dirfd. */
static int fs_parent(const struct fs_ctx *c, const char *rel,
		     const char **base)
{
	const char *p = rel, *slash;
	int fd = c->dirfd;

	*base = rel;
	if (c->live)
		return fd;
	while ((slash = strchr(p, '/'))) {
		char comp[NAME_MAX + 1];
		size_t n = (size_t)(slash - p);
		struct stat st;
		int next;

		if (n > NAME_MAX) {
			errno = ENAMETOOLONG;
			next = -1;
		} else {
			memcpy(comp, p, n);
			comp[n] = '\0';
			next = n ? openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW |
					  O_CLOEXEC) : dup(fd);
			if (next < 0 && errno == ENOTDIR &&
			    fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(st.st_mode))
				errno = ELOOP;
		}
		if (fd != c->dirfd) {
			int err = errno;

			close(fd);
			errno = err;
		}
		if (next < 0)
			return -1;
		fd = next;
		p = slash + 1;
	}
	*base = p;
	return fd;
}

static void fs_parent_done(const struct fs_ctx *c, int fd)
{
	if (fd >= 0 && fd != c->dirfd)
		close(fd);
}

/* The error of reaching rel: a symbolic link in a snapshot is named. */
static void fs_error(const struct vms_root *r, const char *rel, int err,
		     const char *doing, struct vms_err *e)
{
	char shown[1024];

	root_shown(r, rel, shown, sizeof shown);
	if (err == ELOOP && !r->live)
		err_set(e, VMS_EFORMAT, "%s is or passes through a symbolic link: a snapshot holds only files and directories",
			shown);
	else
		err_sys(e, err, "%s %s", doing, shown);
}

static int fs_open_log(struct fs_file *ff, struct vms_err *e)
{
	ff->fd = -1;
	return root_live_kernel_log(&ff->mem, &ff->memlen, e);
}

static int fs_open(const struct vms_root *r, const char *rel,
		   struct root_file **out, struct vms_err *e)
{
	struct fs_ctx *c = ctx_of(r);
	struct fs_file *ff = calloc(1, sizeof *ff);
	char shown[1024];
	const char *base;
	struct stat st;
	int pfd;

	if (!ff) {
		err_sys(e, ENOMEM, "opening %s", root_shown(r, rel, shown, sizeof shown));
		return -1;
	}
	if (c->live && strcmp(rel, ROOT_BOOT_LOG) == 0) {
		if (fs_open_log(ff, e) < 0)
			goto fail;
		*out = &ff->base;
		return 0;
	}
	pfd = fs_parent(c, rel, &base);
	ff->fd = pfd < 0 ? -1 : openat(pfd, base, O_RDONLY | O_CLOEXEC | O_NOCTTY |
				       (c->live ? 0 : O_NONBLOCK | O_NOFOLLOW));
	if (ff->fd < 0) {
		fs_error(r, rel, errno, "cannot open", e);
		fs_parent_done(c, pfd);
		goto fail;
	}
	fs_parent_done(c, pfd);
	if (!c->live && (fstat(ff->fd, &st) < 0 || !S_ISREG(st.st_mode))) {
		err_set(e, VMS_EFORMAT, "%s is not a regular file: a snapshot holds only files and directories",
			root_shown(r, rel, shown, sizeof shown));
		close(ff->fd);
		goto fail;
	}
	*out = &ff->base;
	return 0;
fail:
	free(ff);
	return -1;
}

static ssize_t fs_pread(struct root_file *f, void *buf, size_t n,
			uint64_t off, struct vms_err *e)
{
	struct fs_file *ff = (struct fs_file *)f;
	char shown[1024];
	ssize_t got;

	if (ff->fd < 0) {
		if (off >= ff->memlen)
			return 0;
		if (n > ff->memlen - off)
			n = (size_t)(ff->memlen - off);
		memcpy(buf, ff->mem + off, n);
		return (ssize_t)n;
	}
	do
		got = pread(ff->fd, buf, n, (off_t)off);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		err_sys(e, errno, "reading %s",
			root_shown(f->root, f->rel, shown, sizeof shown));
	return got;
}

static void fs_close(struct root_file *f)
{
	struct fs_file *ff = (struct fs_file *)f;

	if (ff->fd >= 0)
		close(ff->fd);
	free(ff->mem);
	free(ff);
}

static int fs_fd(struct root_file *f)
{
	return ((struct fs_file *)f)->fd;
}

static int fs_stat(const struct vms_root *r, const char *rel,
		   struct root_stat *st, struct vms_err *e)
{
	struct fs_ctx *c = ctx_of(r);
	const char *base;
	struct stat s;
	int pfd, rc;

	if (c->live && strcmp(rel, ROOT_BOOT_LOG) == 0) {
		*st = (struct root_stat){ .mode = S_IFREG | 0400 };
		return 0;
	}
	pfd = fs_parent(c, rel, &base);
	rc = pfd < 0 ? -1 : fstatat(pfd, base, &s, c->live ? 0 : AT_SYMLINK_NOFOLLOW);
	if (rc == 0 && S_ISLNK(s.st_mode)) {
		rc = -1;
		errno = ELOOP;
	}
	if (rc < 0) {
		fs_error(r, rel, errno, "cannot stat", e);
		fs_parent_done(c, pfd);
		return -1;
	}
	fs_parent_done(c, pfd);
	*st = (struct root_stat){ .mode = s.st_mode, .ino = s.st_ino,
		.dev = s.st_dev, .rdev = s.st_rdev, .size = (uint64_t)s.st_size };
	return 0;
}

static int fs_list(const struct vms_root *r, const char *rel, char ***names,
		   size_t *n, struct vms_err *e)
{
	struct fs_ctx *c = ctx_of(r);
	char shown[1024], **v = NULL;
	size_t cap = 0;
	struct dirent *d;
	const char *base;
	DIR *dir;
	int pfd = fs_parent(c, rel, &base), fd;

	fd = pfd < 0 ? -1 : openat(pfd, base, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
				   (c->live ? 0 : O_NOFOLLOW));
	if (fd < 0 && errno == ENOTDIR && !c->live) {
		struct stat st;

		if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode))
			errno = ELOOP;
	}
	dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		fs_error(r, rel, errno, "cannot list", e);
		fs_parent_done(c, pfd);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fs_parent_done(c, pfd);
	while ((d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof *v);

			if (!nv)
				goto nomem;
			v = nv;
		}
		if (!(v[*n] = strdup(d->d_name)))
			goto nomem;
		(*n)++;
	}
	closedir(dir);
	*names = v;
	return 0;
nomem:
	closedir(dir);
	root_list_free(v, *n);
	*n = 0;
	err_sys(e, ENOMEM, "listing %s", root_shown(r, rel, shown, sizeof shown));
	return -1;
}

static void fs_destroy(struct vms_root *r)
{
	struct fs_ctx *c = ctx_of(r);

	if (c) {
		close(c->dirfd);
		free(c);
	}
}

static const struct root_ops fs_live_ops = {
	.name = "live", .open = fs_open, .pread = fs_pread, .close = fs_close,
	.stat = fs_stat, .list = fs_list, .fd = fs_fd, .destroy = fs_destroy,
};

static const struct root_ops fs_dir_ops = {
	.name = "dir", .open = fs_open, .pread = fs_pread, .close = fs_close,
	.stat = fs_stat, .list = fs_list, .fd = fs_fd, .destroy = fs_destroy,
};

bool root_is_local(const struct vms_root *r)
{
	return r->ops == &fs_live_ops;
}

int root_fs_attach(struct vms_root *r, int dirfd, bool live,
		   struct vms_err *e)
{
	struct fs_ctx *c = malloc(sizeof *c);

	if (!c) {
		close(dirfd);
		err_sys(e, ENOMEM, "opening root");
		return -1;
	}
	c->dirfd = dirfd;
	c->live = live;
	r->ctx = c;
	r->ops = live ? &fs_live_ops : &fs_dir_ops;
	r->live = live;
	return 0;
}

int root_dir_open(struct vms_root *r, const char *dir, struct vms_err *e)
{
	char shown[1024];
	int fd;

	memset(r, 0, sizeof *r);
	snprintf(r->path, sizeof r->path, "%s", dir);
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		escape_text(shown, sizeof shown, dir, strlen(dir));
		err_sys(e, err, "cannot open root '%s' (give --root a snapshot directory)",
			shown);
		return -1;
	}
	if (root_fs_attach(r, fd, false, e) < 0)
		return -1;
	if (root_load_conf(r, e) < 0) {
		root_close(r);
		return -1;
	}
	return 0;
}
