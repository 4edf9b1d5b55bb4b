/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root_fs: the backends on a directory: the live system (a directory fd
 * of "/", with the kernel log as the file ROOT_BOOT_LOG) and a snapshot
 * or fixture directory (regular files and directories only, opened
 * without blocking, so a FIFO planted in a snapshot cannot hang us). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
	struct stat st;
	int err;

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
	ff->fd = openat(c->dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY |
			(c->live ? 0 : O_NONBLOCK));
	if (ff->fd < 0) {
		err = errno;
		err_sys(e, err, "cannot open %s", root_shown(r, rel, shown, sizeof shown));
		goto fail;
	}
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
	char shown[1024];
	struct stat s;

	if (c->live && strcmp(rel, ROOT_BOOT_LOG) == 0) {
		*st = (struct root_stat){ .mode = S_IFREG | 0400 };
		return 0;
	}
	if (fstatat(c->dirfd, rel, &s, 0) < 0) {
		err_sys(e, errno, "cannot stat %s", root_shown(r, rel, shown, sizeof shown));
		return -1;
	}
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
	DIR *dir;
	int fd = openat(c->dirfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		err_sys(e, errno, "cannot list %s", root_shown(r, rel, shown, sizeof shown));
		if (fd >= 0)
			close(fd);
		return -1;
	}
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
