/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: the agent's side of the remote protocol.  The
 * input is a stream of requests as a hostile client sends them; serve_run
 * decodes and answers them from a small snapshot tree this harness makes
 * once in $TMPDIR (no live /proc is touched).  The tree holds what the
 * readers read and, planted in it, symbolic links out of it: a process's
 * maps, a UIO device's device/ link, the firmware memory map.  Checked on
 * every input: the agent never crashes, its replies are whole frames,
 * none holds a byte of what lies outside the tree, and nothing in the
 * tree or outside it changes (the agent never writes). */
#include <assert.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/proto.h"
#include "vmscope/root.h"
#include "vmscope/serve.h"
#include "vmscope/snapshot.h"

#define SECRET "outside-secret-91d3"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char top[256], dir[320], outside[320];
static struct vms_root root;
static int ready = -1;
static struct stat watched[3];

static void put(const char *base, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", base, rel);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void sub(const char *base, const char *rel)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", base, rel);
	mkdir(path, 0755);
}

static void link_at(const char *target, const char *base, const char *rel)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", base, rel);
	(void)symlink(target, path);
}

static void drop(void)
{
	root_close(&root);
	snapshot_remove_tree(AT_FDCWD, top);
}

/* The root and what the planted links point at. */
static void make_tree(void)
{
	static const char *const dirs[] = {
		"proc", "proc/42", "proc/self", "etc", "sys", "sys/class",
		"sys/class/uio", "sys/class/uio/uio0", "sys/class/uio/uio0/maps",
		"sys/class/uio/uio0/maps/map0", "sys/firmware", "sys/fs",
		"sys/fs/cgroup", "sys/fs/cgroup/memory", "sys/fs/cgroup/memory/a",
		"sys/kernel", "sys/kernel/mm", "sys/kernel/mm/transparent_hugepage",
	};
	char target[512];
	size_t i;

	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		sub(dir, dirs[i]);
	put(dir, "vmscope-snapshot.conf", "format=1\npage_size=4096\narch=armv7l\n");
	put(dir, "boot.log", "[    0.000000] Linux version 6.1.0 (a@b) #1\n");
	put(dir, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
	put(dir, "proc/42/smaps", "00400000-00401000 r-xp 00000000 00:00 0\nRss: 4 kB\n");
	put(dir, "proc/42/pagemap", "\x01\x02\x03\x04\x05\x06\x07\x88");
	put(dir, "proc/42/comm", "victim\n");
	put(dir, "proc/iomem", "00000000-0fffffff : System RAM\n");
	put(dir, "proc/kpageflags", "\x20\0\0\0\0\0\0\0");
	put(dir, "proc/self/mountinfo",
	    "35 30 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
	put(dir, "sys/class/uio/uio0/name", "gpio\n");
	put(dir, "sys/class/uio/uio0/maps/map0/addr", "0x41200000\n");
	put(dir, "sys/class/uio/uio0/maps/map0/size", "0x1000\n");
	put(dir, "sys/kernel/mm/transparent_hugepage/enabled", "[madvise]\n");
	put(outside, "secret", SECRET "\n");
	sub(outside, "dev");
	put(outside, "dev/config", SECRET "\n");
	sub(outside, "memmap");
	sub(outside, "memmap/0");
	put(outside, "memmap/0/start", SECRET "\n");
	snprintf(target, sizeof target, "%s/secret", outside);
	link_at(target, dir, "proc/42/maps");
	link_at(target, dir, "sys/fs/cgroup/memory/a/b");
	snprintf(target, sizeof target, "%s/dev", outside);
	link_at(target, dir, "sys/class/uio/uio0/device");
	snprintf(target, sizeof target, "%s/memmap", outside);
	link_at(target, dir, "sys/firmware/memmap");
	link_at("../../../outside/secret", dir, "proc/42/status");
}

static void watch(struct stat *st)
{
	char path[512];

	stat(dir, &st[0]);
	snprintf(path, sizeof path, "%s/proc/42", dir);
	stat(path, &st[1]);
	snprintf(path, sizeof path, "%s/secret", outside);
	stat(path, &st[2]);
}

static int setup(void)
{
	const char *tmp = getenv("TMPDIR");
	struct vms_err e;

	snprintf(top, sizeof top, "%s/vmscope-fuzz-serve.XXXXXX",
		 tmp && *tmp == '/' ? tmp : "/tmp");
	if (!mkdtemp(top))
		return 0;
	snprintf(dir, sizeof dir, "%s/root", top);
	snprintf(outside, sizeof outside, "%s/outside", top);
	mkdir(dir, 0755);
	mkdir(outside, 0755);
	make_tree();
	if (root_dir_open(&root, dir, &e) < 0) {
		snapshot_remove_tree(AT_FDCWD, top);
		return 0;
	}
	atexit(drop);
	watch(watched);
	return 1;
}

static bool holds(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s), i;

	for (i = 0; i + k <= n; i++)
		if (p[i] == (uint8_t)s[0] && !memcmp(p + i, s, k))
			return true;
	return false;
}

/* The replies: whole frames, nothing from outside the tree. */
static void check_replies(int fd)
{
	off_t size = lseek(fd, 0, SEEK_END);
	uint8_t *p, *q;
	size_t n;
	struct proto_hdr h;

	if (size <= 0)
		return;
	n = (size_t)size;
	p = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
	assert(p != MAP_FAILED);
	assert(!holds(p, n, SECRET));
	for (q = p; q < p + n; q += h.len) {
		assert((size_t)(p + n - q) >= PROTO_HDR);
		assert(proto_header(q, &h) == 0);
		assert(h.len <= (size_t)(p + n - q));
	}
	munmap(p, n);
}

static void same_times(const struct stat *a, const struct stat *b)
{
	assert(a->st_size == b->st_size && a->st_nlink == b->st_nlink);
	assert(a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec);
	assert(a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stat now[3];
	struct vms_err e;
	int in[2], out, i;

	if (ready < 0)
		ready = setup();
	if (!ready || pipe(in) < 0)
		return 0;
	out = memfd_create("fuzz-serve-replies", MFD_CLOEXEC);
	if (out < 0) {
		close(in[0]);
		close(in[1]);
		return 0;
	}
	if (size > 60000)  /* what a pipe holds without a reader */
		size = 60000;
	if (write(in[1], data, size) == (ssize_t)size) {
		close(in[1]);
		in[1] = -1;
		(void)serve_run(&root, in[0], out, &e);
		check_replies(out);
	}
	if (in[1] >= 0)
		close(in[1]);
	close(in[0]);
	close(out);
	watch(now);
	for (i = 0; i < 3; i++)
		same_times(&now[i], &watched[i]);
	return 0;
}
