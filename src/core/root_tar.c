/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root_tar: a snapshot .tar as a root, read in place.  The archive is
 * indexed once when opened (tarfmt_index: every header read, checked and
 * bounded); opening a member finds it in the index, reads are preads on
 * the archive through its sparse map, directories are those of the
 * archive and those its members' names imply.  Nothing is extracted, so
 * there is nothing to clean up or sweep. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/escape.h"
#include "vmscope/root_tar.h"
#include "vmscope/tarfmt.h"

struct tar_ctx {
	int fd;
	struct tarfmt_index idx;
};

struct tar_file {
	struct root_file base;
	const struct tar_ctx *c;
	const struct tarfmt_member *m;
};

/* rel made a member name: cleaned, "." and "" the top.  -1 when it
 * cannot name a member (too long, absolute or with ".."). */
static int member_name(const char *rel, char *out, size_t n)
{
	int l = snprintf(out, n, "%s", rel);

	if (l < 0 || (size_t)l >= n)
		return -1;
	return tarfmt_clean_name(out);
}

/* "ARCHIVE:MEMBER", escaped, for messages. */
static const char *tar_shown(const struct tar_ctx *c, const char *rel,
			     char *buf, size_t n)
{
	char esc[512];

	escape_text(esc, sizeof esc, rel, strlen(rel));
	snprintf(buf, n, "%s:%s", c->idx.shown, esc);
	return buf;
}

static int tar_open(const struct vms_root *r, const char *rel,
		    struct root_file **out, struct vms_err *e)
{
	const struct tar_ctx *c = r->ctx;
	char name[TARFMT_MAX_NAME + 1], shown[1024];
	const struct tarfmt_member *m = NULL;
	struct tar_file *tf;
	int err = ENOENT;

	if (member_name(rel, name, sizeof name) == 0) {
		m = tarfmt_find(&c->idx, name);
		if ((m && m->dir) || (!m && tarfmt_is_dir(&c->idx, name)))
			err = EISDIR;
	}
	if (!m || m->dir) {
		err_sys(e, err, "cannot open %s", tar_shown(c, rel, shown, sizeof shown));
		return -1;
	}
	if (!(tf = calloc(1, sizeof *tf))) {
		err_sys(e, ENOMEM, "opening %s", tar_shown(c, rel, shown, sizeof shown));
		return -1;
	}
	tf->base.root = r;
	tf->base.ops = r->ops;
	snprintf(tf->base.rel, sizeof tf->base.rel, "%s", rel);
	tf->c = c;
	tf->m = m;
	*out = &tf->base;
	return 0;
}

static ssize_t tar_pread(struct root_file *f, void *buf, size_t n,
			 uint64_t off, struct vms_err *e)
{
	struct tar_file *tf = (struct tar_file *)f;

	return tarfmt_pread(&tf->c->idx, tf->m, buf, n, off, e);
}

static void tar_close(struct root_file *f)
{
	free(f);
}

static int tar_fd(struct root_file *f)
{
	(void)f;
	return -1;
}

static int tar_stat(const struct vms_root *r, const char *rel,
		    struct root_stat *st, struct vms_err *e)
{
	const struct tar_ctx *c = r->ctx;
	char name[TARFMT_MAX_NAME + 1], shown[1024];
	const struct tarfmt_member *m;

	memset(st, 0, sizeof *st);
	if (member_name(rel, name, sizeof name) < 0) {
		err_sys(e, ENOENT, "cannot stat %s", tar_shown(c, rel, shown, sizeof shown));
		return -1;
	}
	m = tarfmt_find(&c->idx, name);
	if (m) {
		st->mode = (m->dir ? S_IFDIR : S_IFREG) | m->mode;
		st->size = m->size;
		return 0;
	}
	if (tarfmt_is_dir(&c->idx, name)) {
		st->mode = S_IFDIR | 0755;
		return 0;
	}
	err_sys(e, ENOENT, "cannot stat %s", tar_shown(c, rel, shown, sizeof shown));
	return -1;
}

static int tar_list(const struct vms_root *r, const char *rel, char ***names,
		    size_t *n, struct vms_err *e)
{
	const struct tar_ctx *c = r->ctx;
	char name[TARFMT_MAX_NAME + 1], shown[1024];

	*names = NULL;
	*n = 0;
	if (member_name(rel, name, sizeof name) < 0) {
		err_sys(e, ENOENT, "cannot list %s", tar_shown(c, rel, shown, sizeof shown));
		return -1;
	}
	return tarfmt_list(&c->idx, name, names, n, e);
}

static void tar_ctx_free(struct tar_ctx *c)
{
	if (!c)
		return;
	tarfmt_free(&c->idx);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

static void tar_destroy(struct vms_root *r)
{
	tar_ctx_free(r->ctx);
	r->ctx = NULL;
}

static const struct root_ops tar_ops = {
	.name = "tar",
	.open = tar_open,
	.pread = tar_pread,
	.close = tar_close,
	.stat = tar_stat,
	.list = tar_list,
	.fd = tar_fd,
	.destroy = tar_destroy,
};

/* Open path: a regular file, never blocking on a FIFO or a device. */
static int archive_open(const char *path, struct vms_err *e)
{
	char shown[1024];
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	escape_text(shown, sizeof shown, path, strlen(path));
	if (fd < 0) {
		err_sys(e, errno, "cannot open snapshot '%s'", shown);
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		err_sys(e, errno, "cannot open snapshot '%s'", shown);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			err_set(e, VMS_EFORMAT, "'%s' is a directory, not a tar file", shown);
		else
			err_set(e, VMS_EFORMAT,
				"'%s' is neither a snapshot directory nor a tar file", shown);
		close(fd);
		return -1;
	}
	return fd;
}

/* What the index says of an archive that is not a snapshot tar at all. */
static void not_a_snapshot(const char *path, int rc, struct vms_err *e)
{
	char shown[1024];

	escape_text(shown, sizeof shown, path, strlen(path));
	if (rc == TARFMT_NOT_TAR)
		err_set(e, VMS_EFORMAT,
			"'%s' is not a tar file (nor a snapshot directory): give --root a directory or a .tar written by 'vmscope snapshot -o FILE.tar'",
			shown);
	else
		err_set(e, VMS_EFORMAT, "'%s' is an empty tar file, not a snapshot",
			shown);
}

int root_tar_open(struct vms_root *r, const char *path, struct vms_err *e)
{
	struct tar_ctx *c = calloc(1, sizeof *c);
	int rc;

	if (!c) {
		err_sys(e, ENOMEM, "opening %s", path);
		return -1;
	}
	if ((c->fd = archive_open(path, e)) < 0) {
		free(c);
		return -1;
	}
	rc = tarfmt_index(c->fd, path, &c->idx, e);
	if (rc == TARFMT_NOT_TAR || (rc == 0 && c->idx.n == 0))
		not_a_snapshot(path, rc, e);
	if (rc < 0 || c->idx.n == 0) {
		tar_ctx_free(c);
		return -1;
	}
	memset(r, 0, sizeof *r);
	snprintf(r->path, sizeof r->path, "%s", path);
	r->ops = &tar_ops;
	r->ctx = c;
	return 0;
}
