/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot_io: the file operations the snapshot modules share (writing
 * whole buffers, making and removing directory trees, private temporary
 * directories).  Depends on nothing else of vmscope but err. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/snapshot.h"
#include "snapshot_int.h"

#define RM_MAX_DEPTH 64

/* write (off < 0) or pwrite everything, on through EINTR and short
 * writes. */
static int put_all(int fd, const char *p, size_t len, int64_t off)
{
	while (len) {
		ssize_t w = off < 0 ? write(fd, p, len)
				    : pwrite(fd, p, len, (off_t)off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
		if (off >= 0)
			off += w;
	}
	return 0;
}

int snap_write_all(int fd, const void *buf, size_t len)
{
	return put_all(fd, buf, len, -1);
}

int snap_pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	if (off > INT64_MAX) {
		errno = EFBIG;
		return -1;
	}
	return put_all(fd, buf, len, (int64_t)off);
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
		if (mkdirat(dirfd, buf, 0700) < 0 && errno != EEXIST)
			return -1;
		if (i < n)
			buf[i] = '/';
	}
	return 0;
}

/* ---- private directories ---- */

#define TMP_PREFIX "vmscope-snapshot."

static int remove_at(int at, const char *path);

/* Private directories are named vmscope-snapshot.PID.XXXXXX.  One whose
 * vmscope was killed (a closed terminal's SIGHUP) stays behind: remove
 * those of this user whose process is gone, the next time one is made. */
static void sweep_stale(const char *base)
{
	size_t plen = strlen(TMP_PREFIX);
	struct dirent *d;
	DIR *dir = opendir(base);

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		char proc[32], *end;
		struct stat st;
		long pid;

		if (strncmp(d->d_name, TMP_PREFIX, plen))
			continue;
		pid = strtol(d->d_name + plen, &end, 10);
		if (pid <= 0 || *end != '.' || pid == (long)getpid())
			continue;
		snprintf(proc, sizeof proc, "/proc/%ld", pid);
		if (fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
		    access("/proc/self", F_OK) < 0 || access(proc, F_OK) == 0 ||
		    errno != ENOENT)
			continue;
		remove_at(dirfd(dir), d->d_name);
	}
	closedir(dir);
}

int snapshot_mktemp(char *path, size_t n, struct vms_err *e)
{
	const char *bases[3] = { getenv("XDG_RUNTIME_DIR"), getenv("TMPDIR"),
				 "/tmp" };
	int i, l;

	for (i = 0; i < 3; i++) {
		const char *b = bases[i];

		if (!b || b[0] != '/' || access(b, W_OK | X_OK) < 0)
			continue;
		sweep_stale(b);
		l = snprintf(path, n, "%s/" TMP_PREFIX "%ld.XXXXXX", b,
			     (long)getpid());
		if (l < 0 || (size_t)l >= n)
			continue;
		if (mkdtemp(path))
			return 0;
	}
	err_sys(e, errno ? errno : EACCES,
		"cannot make a private directory to open the snapshot in ($XDG_RUNTIME_DIR, $TMPDIR, /tmp)");
	path[0] = '\0';
	return -1;
}

/* One pass over the directory fd: remove every file and every empty
 * directory in it.  1 with *sub set (malloc'd) to a directory that is
 * not empty, 0 when fd is left empty, -1 on an error. */
static int rm_pass(int fd, char **sub)
{
	struct dirent *d;
	DIR *dir;
	int dfd = dup(fd), rc = 0;

	if (dfd < 0 || !(dir = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	rewinddir(dir);  /* the dup shares fd's offset, left at the end */
	while ((d = readdir(dir))) {
		struct stat st;

		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;
			rc = -1;
			break;
		}
		if (unlinkat(fd, d->d_name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0)
		    == 0 || errno == ENOENT)
			continue;
		if (S_ISDIR(st.st_mode) && (errno == ENOTEMPTY || errno == EEXIST)) {
			*sub = strdup(d->d_name);
			rc = *sub ? 1 : -1;
		} else {
			rc = -1;
		}
		break;
	}
	closedir(dir);
	return rc;
}

/* A directory gone down into: its name in its parent, and the parent's
 * identity, checked when coming back up through "..". */
struct rm_level {
	char *name;
	dev_t dev;
	ino_t ino;
};

/* Go up from *fd to the parent recorded in lv and remove lv's directory
 * (now empty) there. */
static int rm_up(int *fd, struct rm_level *lv)
{
	struct stat st;
	int up = openat(*fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (up < 0)
		return -1;
	close(*fd);
	*fd = up;
	if (fstat(up, &st) < 0 || st.st_dev != lv->dev || st.st_ino != lv->ino) {
		errno = ESTALE;  /* moved meanwhile: stop, touch nothing else */
		return -1;
	}
	return unlinkat(up, lv->name, AT_REMOVEDIR);
}

/* Empty the directory fd (closed on return), however deep: iterative,
 * one directory open at a time, with the path down kept on the heap. */
static int rm_contents(int fd)
{
	struct rm_level *lv = NULL, *nl;
	size_t depth = 0, cap = 0;
	int rc = 0;

	for (;;) {
		char *sub = NULL;
		struct stat st;
		int r = rm_pass(fd, &sub), down;

		if (r < 0 || (r == 0 && depth == 0)) {
			rc = r;
			break;
		}
		if (r == 0) {
			depth--;
			rc = rm_up(&fd, &lv[depth]);
			free(lv[depth].name);
			if (rc < 0)
				break;
			continue;
		}
		if (depth == cap) {
			cap = cap ? 2 * cap : 64;
			if (!(nl = realloc(lv, cap * sizeof *lv))) {
				free(sub);
				rc = -1;
				break;
			}
			lv = nl;
		}
		if (fstat(fd, &st) < 0 ||
		    (down = openat(fd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				   O_CLOEXEC)) < 0) {
			free(sub);
			rc = -1;
			break;
		}
		lv[depth++] = (struct rm_level){ sub, st.st_dev, st.st_ino };
		close(fd);
		fd = down;
	}
	while (depth)
		free(lv[--depth].name);
	free(lv);
	close(fd);
	return rc;
}

static int remove_at(int at, const char *path)
{
	struct stat st;
	int fd;

	if (fstatat(at, path, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(at, path, 0);
	fd = openat(at, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || rm_contents(fd) < 0)
		return -1;
	return unlinkat(at, path, AT_REMOVEDIR);
}

int snapshot_remove_tree(int dirfd, const char *path)
{
	return remove_at(dirfd, path);
}

static uint64_t usage_at(int at, const char *path, int depth)
{
	struct stat st;
	struct dirent *d;
	uint64_t sum;
	DIR *dir;
	int fd;

	if (fstatat(at, path, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	sum = (uint64_t)st.st_blocks * 512;
	if (!S_ISDIR(st.st_mode) || depth > RM_MAX_DEPTH)
		return sum;
	fd = openat(at, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return sum;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return sum;
	}
	while ((d = readdir(dir)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			sum += usage_at(dirfd(dir), d->d_name, depth + 1);
	closedir(dir);
	return sum;
}

uint64_t snap_disk_usage(int dirfd, const char *path)
{
	return usage_at(dirfd, path, 0);
}

/* ---- checks ---- */

/* A snapshot's vmscope-snapshot.files: every file it lists is there, at
 * the size it was written with. */
