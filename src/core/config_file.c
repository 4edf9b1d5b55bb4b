/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_file: where the settings file is, reading it, and writing it
 * atomically without following a symbolic link. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "vmscope/config.h"

int config_path(char *buf, size_t n, struct vms_err *e)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int l;

	if (xdg && *xdg == '/')
		l = snprintf(buf, n, "%s/vmscope/config", xdg);
	else if (home && *home)
		l = snprintf(buf, n, "%s/.config/vmscope/config", home);
	else {
		err_set(e, ENOENT, "no settings file: neither XDG_CONFIG_HOME nor HOME is set");
		return -1;
	}
	if (l < 0 || (size_t)l >= n) {
		err_set(e, ENAMETOOLONG, "the settings file's path is too long");
		return -1;
	}
	return 0;
}

int config_load(struct config *c, const char *path, bool *found,
		config_warn_fn *warn, void *ctx, struct vms_err *e)
{
	struct stat st;
	char *buf;
	size_t len = 0;
	ssize_t r;
	int fd;

	*found = false;
	/* non-blocking: a FIFO put there must not hang the start */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		err_sys(e, errno, "cannot read %s", path);
		return -1;
	}
	*found = true;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err_set(e, EINVAL, "%s is not a regular file: not read", path);
		close(fd);
		return -1;
	}
	buf = malloc(CONFIG_FILE_MAX + 1);
	if (!buf) {
		close(fd);
		err_sys(e, ENOMEM, "reading %s", path);
		return -1;
	}
	while (len <= CONFIG_FILE_MAX &&
	       (r = read(fd, buf + len, CONFIG_FILE_MAX + 1 - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err_sys(e, errno, "cannot read %s", path);
			free(buf);
			close(fd);
			return -1;
		}
		len += (size_t)r;
	}
	close(fd);
	if (len > CONFIG_FILE_MAX) {
		len = CONFIG_FILE_MAX;
		if (warn)
			warn(ctx, 0, "", "longer than 64 KiB: only its first 64 KiB read");
	}
	config_parse(c, buf, len, warn, ctx);
	free(buf);
	return 0;
}

/* mkdir -p of dir (0755 for what is made). */
static int make_dirs(char *dir, struct vms_err *e)
{
	struct stat st;
	char *s;

	for (s = dir + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(dir, 0755) == 0)
			chmod(dir, 0755); /* whatever the umask, as the file */
		else if (errno != EEXIST) {
			err_sys(e, errno, "cannot make the directory %s", dir);
			*s = c;
			return -1;
		}
		*s = c;
		if (!c)
			break;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		err_set(e, ENOTDIR, "%s is not a directory", dir);
		return -1;
	}
	return 0;
}

/* Where path may be written: its directory (made, ours) open in *dfd;
 * base its last component.  -1 with e when it is refused. */
static int open_target(const char *path, int *dfd, const char **base,
		       struct vms_err *e)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (!slash || slash == path || !slash[1] ||
	    (size_t)(slash - path) >= sizeof dir) {
		err_set(e, EINVAL, "'%s' is not a file path for the settings", path);
		return -1;
	}
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	*base = slash + 1;
	if (make_dirs(dir, e) < 0)
		return -1;
	*dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*dfd < 0) {
		err_sys(e, errno, "cannot open the directory %s", dir);
		return -1;
	}
	if (fstat(*dfd, &st) < 0 || st.st_uid != geteuid()) {
		err_set(e, EPERM, "%s belongs to another user (uid %u): not writing the settings there (is HOME someone else's, as under sudo?)",
			dir, (unsigned)st.st_uid);
		close(*dfd);
		return -1;
	}
	if (fstatat(*dfd, *base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISREG(st.st_mode)) {
		err_set(e, EEXIST, S_ISLNK(st.st_mode)
			? "%s is a symbolic link: vmscope neither replaces it nor writes through it (remove it, or copy the settings to its target yourself)"
			: "%s is not a regular file: not replacing it", path);
		close(*dfd);
		return -1;
	}
	return 0;
}

/* A new file below dfd (O_EXCL: never an existing file or link). */
static int create_temp(int dfd, const char *base, char *tmp, size_t n)
{
	unsigned i, seed = (unsigned)getpid() ^ (unsigned)time(NULL);

	for (i = 0; i < 100; i++) {
		int fd;

		snprintf(tmp, n, ".%s.%u.tmp", base, seed + i * 7919u);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				      O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int config_save(const struct config *c, const char *path, struct vms_err *e)
{
	char text[2048], tmp[NAME_MAX + 1];
	const char *base;
	size_t len = config_format(c, text, sizeof text);
	int dfd, fd;

	if (len >= sizeof text) {
		err_set(e, E2BIG, "the settings do not fit in a file of %zu bytes",
			sizeof text);
		return -1;
	}
	if (open_target(path, &dfd, &base, e) < 0)
		return -1;
	if (strlen(base) > NAME_MAX - 24 ||
	    (fd = create_temp(dfd, base, tmp, sizeof tmp)) < 0) {
		err_sys(e, errno ? errno : ENAMETOOLONG,
			"cannot create a file next to %s", path);
		close(dfd);
		return -1;
	}
	/* 0644 whatever the umask: it holds nothing private */
	if (fchmod(fd, 0644) < 0 || write_all(fd, text, len) < 0 ||
	    fsync(fd) < 0) {
		err_sys(e, errno, "cannot write %s", path);
		close(fd);
		fd = -1;
	}
	if (fd >= 0 && close(fd) < 0) {
		err_sys(e, errno, "cannot write %s", path);
		fd = -1;
	}
	if (fd < 0) {
		unlinkat(dfd, tmp, 0);
		close(dfd);
		return -1;
	}
	if (renameat(dfd, tmp, dfd, base) < 0) {
		err_sys(e, errno, "cannot put the settings in place at %s", path);
		unlinkat(dfd, tmp, 0);
		close(dfd);
		return -1;
	}
	fsync(dfd);
	close(dfd);
	return 0;
}
