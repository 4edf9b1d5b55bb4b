/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for snapshot_io: removing trees of any depth (a hostile
 * snapshot or demo can name a path 2,000 directories deep; a private
 * directory holding one must still go, and without recursing). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "vmscope/err.h"
#include "vmscope/snapshot.h"

/* depth directories "d" below top, a file and a symbolic link at each
 * tenth level, an empty sibling directory at each hundredth. */
static void make_deep(int dirfd, unsigned depth)
{
	unsigned i;
	int fd = dup(dirfd);

	assert_true(fd >= 0);
	for (i = 0; i < depth; i++) {
		int next;

		assert_int_equal(mkdirat(fd, "d", 0700), 0);
		if (i % 10 == 0) {
			int f = openat(fd, "f", O_WRONLY | O_CREAT | O_EXCL, 0600);

			assert_true(f >= 0);
			assert_int_equal(write(f, "x", 1), 1);
			close(f);
			assert_int_equal(symlinkat("/", fd, "l"), 0);
		}
		if (i % 100 == 0)
			assert_int_equal(mkdirat(fd, "e", 0700), 0);
		next = openat(fd, "d", O_RDONLY | O_DIRECTORY);
		assert_true(next >= 0);
		close(fd);
		fd = next;
	}
	close(fd);
}

static void test_remove_deep_tree(void **state)
{
	char path[PATH_MAX];
	struct vms_err e;
	int fd;

	(void)state;
	assert_int_equal(snapshot_mktemp(path, sizeof path, &e), 0);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	make_deep(fd, 2000);
	close(fd);
	assert_int_equal(snapshot_remove_tree(AT_FDCWD, path), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(errno, ENOENT);
}

/* The links are removed, never followed: what they point at stays. */
static void test_remove_keeps_link_targets(void **state)
{
	char path[PATH_MAX], keep[PATH_MAX + 8], link[PATH_MAX + 8];
	struct vms_err e;

	(void)state;
	assert_int_equal(snapshot_mktemp(path, sizeof path, &e), 0);
	snprintf(keep, sizeof keep, "%s.keep", path);
	assert_int_equal(mkdir(keep, 0700), 0);
	snprintf(link, sizeof link, "%s/in", path);
	assert_int_equal(mkdir(link, 0700), 0);
	snprintf(link, sizeof link, "%s/in/out", path);
	assert_int_equal(symlink(keep, link), 0);
	assert_int_equal(snapshot_remove_tree(AT_FDCWD, path), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access(keep, F_OK), 0);
	assert_int_equal(rmdir(keep), 0);
}

/* A file, or nothing at all, is fine too. */
static void test_remove_file_and_missing(void **state)
{
	char path[PATH_MAX], file[PATH_MAX + 8];
	struct vms_err e;
	int fd;

	(void)state;
	assert_int_equal(snapshot_mktemp(path, sizeof path, &e), 0);
	snprintf(file, sizeof file, "%s/f", path);
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(snapshot_remove_tree(AT_FDCWD, file), 0);
	assert_int_equal(snapshot_remove_tree(AT_FDCWD, file), 0);
	assert_int_equal(snapshot_remove_tree(AT_FDCWD, path), 0);
	assert_int_equal(access(path, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remove_deep_tree),
		cmocka_unit_test(test_remove_keeps_link_targets),
		cmocka_unit_test(test_remove_file_and_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
