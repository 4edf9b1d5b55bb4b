/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: snapshot_tar_extract, a snapshot tar that came from
 * another machine (--root FILE.tar), extracted into a fresh private
 * directory.  Asserts what opening such a file relies on: nothing is
 * created outside that directory, and what is created is only regular
 * files and directories (no links, devices, FIFOs).  Each input gets a
 * new directory under one made at start in $TMPDIR (or /tmp), removed
 * after. */
#include <assert.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char base[4096];
static int basefd = -1;

static void cleanup(void)
{
	if (basefd >= 0)
		snapshot_remove_tree(AT_FDCWD, base);
}

static void start(void)
{
	const char *t = getenv("TMPDIR");

	if (basefd >= 0)
		return;
	atexit(cleanup);
	snprintf(base, sizeof base, "%s/vmscope-fuzz-tar.XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(base))
		abort();
	basefd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (basefd < 0)
		abort();
}

/* Every entry below dfd is a regular file or a directory. */
static void check_tree(int dfd, unsigned depth)
{
	DIR *d;
	struct dirent *de;
	int fd = dup(dfd);

	assert(fd >= 0);
	d = fdopendir(fd);
	assert(d);
	while ((de = readdir(d))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		assert(fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0);
		assert(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode));
		if (S_ISDIR(st.st_mode) && depth < 64) {
			int c = openat(dirfd(d), de->d_name,
				       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			assert(c >= 0);
			check_tree(c, depth + 1);
			close(c);
		}
	}
	closedir(d);
}

/* The base holds nothing but the one destination directory. */
static void check_base(void)
{
	DIR *d;
	struct dirent *de;
	int fd = dup(basefd), n = 0;

	assert(fd >= 0);
	d = fdopendir(fd);
	assert(d);
	rewinddir(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++, assert(!strcmp(de->d_name, "x"));
	closedir(d);
	assert(n <= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vms_err e;
	int in, dest;

	start();
	in = memfd_create("fuzz.tar", MFD_CLOEXEC);
	assert(in >= 0);
	assert(write(in, data, size) == (ssize_t)size);
	assert(lseek(in, 0, SEEK_SET) == 0);
	assert(mkdirat(basefd, "x", 0700) == 0);
	dest = openat(basefd, "x", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert(dest >= 0);
	(void)snapshot_tar_extract(in, "fuzz.tar", dest, &e);
	check_tree(dest, 0);
	check_base();
	close(dest);
	close(in);
	assert(snapshot_remove_tree(basefd, "x") == 0);
	return 0;
}
