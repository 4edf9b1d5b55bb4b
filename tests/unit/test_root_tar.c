/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for src/core/root_tar.c, the tar backend of the root, on
 * archives written by snapshot_tar.c's packer: members read in place
 * (sparse ones by the capture's hints or a scan for holes), stat and
 * listings of directories the archive only implies, and what is refused
 * (FIFOs without blocking, directories, junk, empty archives). */
#include <errno.h>
#include <fcntl.h>
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
#include "vmscope/root_tar.h"
#include "vmscope/snapshot.h"
#include "core/snapshot_int.h"

static char tmpdir[64];

static void sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc != 0)
		fail_msg("'%s' failed (%d)", cmd, rc);
}

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_root_tar.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
}


static void put(int dirfd, const char *rel, const void *data, size_t len,
		uint64_t at)
{
	int fd = openat(dirfd, rel, O_WRONLY | O_CREAT, 0644);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, len, (off_t)at), (ssize_t)len);
	close(fd);
}

static void names_free(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

/* A directory packed with hints and scans, served by the tar backend. */
static void test_root_tar_reads(void **state)
{
	static const struct snap_region hint[] = { { 8192, 8 } };
	const struct snap_hint hints[] = { { "proc/kpageflags", hint, 1 } };
	struct vms_root r;
	struct root_file *f;
	struct root_stat st;
	struct vms_err e;
	char path[256], **names, buf[16];
	uint64_t v = 0x1234;
	size_t n;
	int dfd, fd;

	(void)state;
	make_tmpdir();
	snprintf(path, sizeof path, "%s/s", tmpdir);
	assert_int_equal(mkdir(path, 0755), 0);
	dfd = open(path, O_RDONLY | O_DIRECTORY);
	assert_int_equal(mkdirat(dfd, "proc", 0755), 0);
	assert_int_equal(mkdirat(dfd, "proc/7", 0755), 0);
	put(dfd, ROOT_CONF_NAME, "format=1\n", 9, 0);
	put(dfd, "proc/7/maps", "m\n", 2, 0);
	put(dfd, "proc/7/pagemap", &v, 8, 40 << 20);   /* found by a scan */
	put(dfd, "proc/kpageflags", &v, 8, 8192);      /* by the hint */
	fd = openat(dfd, "proc/kpageflags", O_WRONLY);
	assert_int_equal(ftruncate(fd, 1 << 30), 0);
	close(fd);
	snprintf(path, sizeof path, "%s/s.tar", tmpdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_int_equal(snap_tar_pack(dfd, fd, 1700000000, hints, 1, &e), 0);
	close(fd);
	close(dfd);

	memset(&r, 0, sizeof r);
	assert_int_equal(root_tar_open(&r, path, &e), 0);
	assert_string_equal(r.ops->name, "tar");
	assert_string_equal(r.path, path);
	assert_false(r.live);
	assert_int_equal(r.ops->list(&r, "", &names, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "proc");
	assert_string_equal(names[1], ROOT_CONF_NAME);
	names_free(names, n);
	assert_int_equal(r.ops->stat(&r, "proc/kpageflags", &st, &e), 0);
	assert_int_equal(st.mode & S_IFMT, S_IFREG);
	assert_int_equal(st.size, 1 << 30);
	assert_int_equal(r.ops->stat(&r, "proc/7", &st, &e), 0);
	assert_int_equal(st.mode & S_IFMT, S_IFDIR);
	assert_int_equal(r.ops->stat(&r, "proc/none", &st, &e), -1);
	assert_int_equal(e.code, ENOENT);
	assert_non_null(strstr(e.msg, "s.tar:proc/none"));
	assert_int_equal(r.ops->open(&r, "proc", &f, &e), -1);
	assert_int_equal(e.code, EISDIR);
	assert_int_equal(r.ops->open(&r, "proc/7/pagemap", &f, &e), 0);
	assert_int_equal(r.ops->fd(f), -1);
	v = 0;
	assert_int_equal(r.ops->pread(f, &v, 8, 40 << 20, &e), 8);
	assert_int_equal(v, 0x1234);
	assert_int_equal(r.ops->pread(f, &v, 8, 20 << 20, &e), 8);
	assert_int_equal(v, 0);
	assert_int_equal(r.ops->pread(f, &v, 8, (40 << 20) + 8, &e), 0);
	r.ops->close(f);
	assert_int_equal(r.ops->open(&r, "proc/kpageflags", &f, &e), 0);
	assert_int_equal(r.ops->pread(f, &v, 8, 8192, &e), 8);
	assert_int_equal(v, 0x1234);
	r.ops->close(f);
	assert_int_equal(r.ops->open(&r, ROOT_CONF_NAME, &f, &e), 0);
	assert_int_equal(r.ops->pread(f, buf, sizeof buf, 0, &e), 9);
	r.ops->close(f);
	r.ops->destroy(&r);
	sh("rm -rf %s", tmpdir);
}

/* A FIFO is refused without blocking; a directory, junk, an empty
 * archive are refused too, and r is left alone. */
static void test_root_tar_refuses(void **state)
{
	struct vms_root r;
	struct vms_err e;
	char path[256];

	(void)state;
	make_tmpdir();
	memset(&r, 0, sizeof r);
	snprintf(path, sizeof path, "%s/fifo", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(root_tar_open(&r, path, &e), -1);
	assert_non_null(strstr(e.msg, "neither a snapshot directory nor a tar file"));
	assert_int_equal(root_tar_open(&r, tmpdir, &e), -1);
	assert_non_null(strstr(e.msg, "is a directory"));
	snprintf(path, sizeof path, "%s/junk.tar", tmpdir);
	sh("printf 'hello\\n%%.0s' $(seq 1 200) >%s", path);
	assert_int_equal(root_tar_open(&r, path, &e), -1);
	assert_non_null(strstr(e.msg, "is not a tar file (nor a snapshot directory)"));
	sh(": >%s", path);
	assert_int_equal(root_tar_open(&r, path, &e), -1);
	assert_non_null(strstr(e.msg, "empty tar file"));
	assert_null(r.ops);
	sh("rm -rf %s", tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_tar_reads),
		cmocka_unit_test(test_root_tar_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
