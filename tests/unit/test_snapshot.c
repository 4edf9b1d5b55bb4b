/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for src/core/snapshot*.c: capturing from a fixture root
 * (no live process needed), the tar form and its damage, the checks made
 * when a snapshot is opened, and the compact form the demos use. */
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
#include "vmscope/kpage.h"
#include "vmscope/pagemap.h"
#include "vmscope/root_tar.h"
#include "vmscope/snapshot.h"
#include "vmscope/vmas.h"

#define FIXTURE "tests/fixtures/zynq-armv7"

/* ---- helpers ---- */

struct tmp {
	char path[PATH_MAX];
	int fd;
};

static void tmp_make(struct tmp *t)
{
	struct vms_err e;

	assert_int_equal(snapshot_mktemp(t->path, sizeof t->path, &e), 0);
	t->fd = open(t->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(t->fd >= 0);
}

static void tmp_free(struct tmp *t)
{
	close(t->fd);
	assert_int_equal(snapshot_remove_tree(AT_FDCWD, t->path), 0);
	assert_int_equal(access(t->path, F_OK), -1);
}

static void put(int dirfd, const char *rel, const void *data, size_t len)
{
	char dir[PATH_MAX], *slash;
	int fd;

	snprintf(dir, sizeof dir, "%s", rel);
	for (slash = strchr(dir, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdirat(dirfd, dir, 0755);
		*slash = '/';
	}
	fd = openat(dirfd, rel, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void put_str(int dirfd, const char *rel, const char *s)
{
	put(dirfd, rel, s, strlen(s));
}

static void put_at(int dirfd, const char *rel, uint64_t off, uint64_t v)
{
	int fd = openat(dirfd, rel, O_WRONLY | O_CREAT, 0644);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, &v, 8, (off_t)off), 8);
	close(fd);
}

static char *get(int dirfd, const char *rel, size_t *len)
{
	struct stat st;
	char *buf;
	int fd = openat(dirfd, rel, O_RDONLY);

	if (fd < 0)
		return NULL;
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(read(fd, buf, (size_t)st.st_size), st.st_size);
	buf[st.st_size] = '\0';
	if (len)
		*len = (size_t)st.st_size;
	close(fd);
	return buf;
}

static uint64_t size_of(int dirfd, const char *rel)
{
	struct stat st;

	if (fstatat(dirfd, rel, &st, 0) < 0)
		return UINT64_MAX;
	return (uint64_t)st.st_size;
}

static bool have_fixture(void)
{
	return access(FIXTURE "/root/" ROOT_CONF_NAME, F_OK) == 0;
}

/* The zynq fixture expanded into t, opened as r. */
static void fixture_root(struct tmp *t, struct vms_root *r)
{
	struct vms_err e;

	tmp_make(t);
	assert_int_equal(snapshot_expand(FIXTURE, t->fd, &e), 0);
	assert_int_equal(root_open(r, t->path, &e), 0);
}

/* Pack the tree below src into a tar file in dir, return its fd. */
static int pack(struct tmp *src, struct tmp *dir, const char *name)
{
	struct vms_err e;
	int fd = openat(dir->fd, name, O_RDWR | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(snapshot_tar_pack(src->fd, fd, 1700000000, &e), 0);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* Open dir/name, a tar, as a root in place: 0 or -1 with e set. */
static int tar_root(struct tmp *dir, const char *name, struct vms_root *r,
		    struct vms_err *e)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof path, "%s/%s", dir->path, name);
	return root_tar_open(r, path, e);
}

/* The whole of rel in r, or NULL. */
static char *rget(struct vms_root *r, const char *rel, size_t *len)
{
	char *text;
	struct vms_err e;

	return root_read_text(r, rel, &text, len, &e) == 0 ? text : NULL;
}

static uint64_t rsize(struct vms_root *r, const char *rel)
{
	struct root_stat st;

	return root_stat(r, rel, &st, NULL) == 0 ? st.size : UINT64_MAX;
}

static uint64_t rentry(struct vms_root *r, const char *rel, uint64_t off)
{
	struct root_file *f = root_fopen(r, rel, NULL);
	uint64_t v = UINT64_MAX;

	assert_non_null(f);
	assert_int_equal(root_pread(f, &v, 8, off, NULL), 8);
	root_fclose(f);
	return v;
}

/* ---- small pieces ---- */

static void test_tar_name(void **state)
{
	(void)state;
	assert_true(snapshot_is_tar_name("x.tar"));
	assert_true(snapshot_is_tar_name("/a/b/board.tar"));
	assert_false(snapshot_is_tar_name("x.tar.gz"));
	assert_false(snapshot_is_tar_name(".tar"));
	assert_false(snapshot_is_tar_name("snapdir"));
	assert_false(snapshot_is_tar_name(NULL));
}

/* ---- the tar form ---- */

static void test_tar_round_trip(void **state)
{
	char longname[300], *text;
	struct tmp src, out, dst;
	struct vms_root r;
	struct vms_err e;
	struct stat st;
	size_t len;
	int fd, i;

	(void)state;
	tmp_make(&src);
	tmp_make(&out);
	tmp_make(&dst);
	put_str(src.fd, ROOT_CONF_NAME, "format=1\npage_size=4096\n");
	put_str(src.fd, "proc/7/maps", "00400000-00401000 r-xp 00000000 00:00 0\n");
	put(src.fd, "empty", "", 0);
	/* data at the start, a 40 MiB hole, data at the end: and a final
	 * hole in the other file */
	put_at(src.fd, "proc/7/pagemap", 0, 0x8000000000001234ull);
	put_at(src.fd, "proc/7/pagemap", 40 << 20, 0x8000000000005678ull);
	put_at(src.fd, "proc/kpageflags", 4096, 0x5828);
	fd = openat(src.fd, "proc/kpageflags", O_WRONLY);
	assert_int_equal(ftruncate(fd, 1 << 30), 0);
	close(fd);
	/* a name longer than a tar header holds */
	snprintf(longname, sizeof longname, "sys/class/uio/uio0/maps/map0/");
	for (i = 0; i < 12; i++)
		strcat(longname, "a-long-directory-name/");
	strcat(longname, "addr");
	put_str(src.fd, longname, "0x41200000\n");

	fd = pack(&src, &out, "s.tar");
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(st.st_size < 64 * 1024);   /* holes are not stored */
	assert_int_equal(st.st_size % 10240, 0);
	close(fd);
	/* read in place: nothing extracted */
	assert_int_equal(tar_root(&out, "s.tar", &r, &e), 0);
	text = rget(&r, ROOT_CONF_NAME, NULL);
	assert_non_null(text);
	assert_string_equal(text, "format=1\npage_size=4096\n");
	free(text);
	text = rget(&r, longname, NULL);
	assert_non_null(text);
	assert_string_equal(text, "0x41200000\n");
	free(text);
	assert_int_equal(rsize(&r, "empty"), 0);
	assert_int_equal(rsize(&r, "proc/7/pagemap"), (40 << 20) + 8);
	assert_int_equal(rsize(&r, "proc/kpageflags"), 1 << 30);
	assert_int_equal(rentry(&r, "proc/7/pagemap", 0), 0x8000000000001234ull);
	assert_int_equal(rentry(&r, "proc/7/pagemap", 40 << 20), 0x8000000000005678ull);
	assert_int_equal(rentry(&r, "proc/7/pagemap", 20 << 20), 0);
	assert_int_equal(rentry(&r, "proc/kpageflags", 4096), 0x5828);
	text = rget(&r, "proc/7/maps", &len);
	assert_int_equal(len, 40);
	free(text);
	root_close(&r);
	tmp_free(&src);
	tmp_free(&out);
	tmp_free(&dst);
}

/* A tar of the tree, cut at byte cut (or damaged at byte flip). */
static int damaged_tar(struct tmp *out, off_t cut, off_t flip)
{
	struct tmp src;
	char big[3000];
	int fd;

	tmp_make(&src);
	memset(big, 'x', sizeof big);
	put_str(src.fd, ROOT_CONF_NAME, "format=1\npage_size=4096\n");
	put(src.fd, "boot.log", big, sizeof big);
	fd = pack(&src, out, "d.tar");
	tmp_free(&src);
	if (cut >= 0)
		assert_int_equal(ftruncate(fd, cut), 0);
	if (flip >= 0) {
		char c;

		assert_int_equal(pread(fd, &c, 1, flip), 1);
		c ^= 0x55;
		assert_int_equal(pwrite(fd, &c, 1, flip), 1);
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static void test_tar_truncated(void **state)
{
	struct tmp out, dst;
	struct vms_root r;
	struct vms_err e;
	int fd;

	(void)state;
	tmp_make(&out);
	tmp_make(&dst);
	/* conf header + data = 1024 bytes; boot.log header at 1024, its
	 * data from 1536: cut inside it */
	fd = damaged_tar(&out, 2500, -1);
	assert_int_equal(tar_root(&out, "d.tar", &r, &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	assert_non_null(strstr(e.msg, "d.tar is truncated"));
	assert_non_null(strstr(e.msg, "inside boot.log"));
	close(fd);
	tmp_free(&out);
	tmp_free(&dst);
}

static void test_tar_bad_checksum(void **state)
{
	struct tmp out, dst;
	struct vms_root r;
	struct vms_err e;
	int fd;

	(void)state;
	tmp_make(&out);
	tmp_make(&dst);
	fd = damaged_tar(&out, -1, 1024 + 3);   /* the second header's name */
	assert_int_equal(tar_root(&out, "d.tar", &r, &e), -1);
	assert_non_null(strstr(e.msg, "damaged"));
	assert_non_null(strstr(e.msg, "checksum"));
	close(fd);
	tmp_free(&out);
	tmp_free(&dst);
}

static void test_tar_not_a_tar(void **state)
{
	struct tmp out, dst;
	struct vms_root r;
	struct vms_err e;
	char junk[2048];
	int fd;

	(void)state;
	tmp_make(&out);
	tmp_make(&dst);
	memset(junk, 'j', sizeof junk);
	put(out.fd, "junk.tar", junk, sizeof junk);
	fd = openat(out.fd, "junk.tar", O_RDONLY);
	assert_int_equal(tar_root(&out, "junk.tar", &r, &e), -1);
	assert_non_null(strstr(e.msg, "junk.tar' is not a tar file"));
	close(fd);
	put(out.fd, "empty.tar", "", 0);
	fd = openat(out.fd, "empty.tar", O_RDONLY);
	assert_int_equal(tar_root(&out, "empty.tar", &r, &e), -1);
	assert_non_null(strstr(e.msg, "empty tar file"));
	close(fd);
	tmp_free(&out);
	tmp_free(&dst);
}

/* A hand-made header: name, type, size. */
static void raw_header(char *h, const char *name, char type, unsigned size)
{
	unsigned sum = 0;
	int i;

	memset(h, 0, 512);
	snprintf(h, 100, "%s", name);
	snprintf(h + 100, 8, "%07o", 0644);
	snprintf(h + 124, 12, "%011o", size);
	h[156] = type;
	memcpy(h + 257, "ustar  ", 8);
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum);
}

static void test_tar_refuses_escapes(void **state)
{
	static const struct { const char *name; char type; const char *want; } bad[] = {
		{ "../etc/evil", '0', "points outside the archive" },
		{ "/etc/evil", '0', "points outside the archive" },
		{ "proc/../../evil", '0', "points outside the archive" },
		{ "proc/kpageflags", '2', "is a link" },
		{ "dev/mem", '3', "of type '3'" },
	};
	struct tmp out, dst;
	struct vms_root r;
	struct vms_err e;
	char blk[512 * 4];
	size_t i;
	int fd;

	(void)state;
	tmp_make(&out);
	tmp_make(&dst);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(blk, 0, sizeof blk);
		raw_header(blk, bad[i].name, bad[i].type, 0);
		put(out.fd, "bad.tar", blk, sizeof blk);
		fd = openat(out.fd, "bad.tar", O_RDONLY);
		assert_int_equal(tar_root(&out, "bad.tar", &r, &e), -1);
		if (!strstr(e.msg, bad[i].want))
			fail_msg("%s: got '%s'", bad[i].name, e.msg);
		close(fd);
	}
	assert_int_equal(access("/etc/evil", F_OK), -1);
	tmp_free(&out);
	tmp_free(&dst);
}

/* ---- capturing, from the fixture root ---- */

static void test_capture_fixture(void **state)
{
	static const int pids[] = { 1234, 99999, 2 };
	struct snapshot_opts o = { .pids = pids, .npids = 3 };
	struct snapshot_stats st;
	struct tmp fix, out;
	struct vms_root r, s;
	struct pagemap pm;
	struct kpage k;
	struct vms_err e;
	char path[PATH_MAX + 16], *conf, *list;
	uint64_t raw[4], pfns[2] = { 0x1f3a2, 0x1c000 }, fl[2], cnt[2], cg[2];

	(void)state;
	if (!have_fixture())
		skip();
	fixture_root(&fix, &r);
	/* a kernel thread: no maps, and its pagemap does not open */
	put_str(fix.fd, "proc/2/status", "Name:\tkthreadd\nUid:\t0\t0\t0\t0\n");
	put_str(fix.fd, "proc/2/cmdline", "");
	put_str(fix.fd, "proc/2/maps", "");
	tmp_make(&out);
	snprintf(path, sizeof path, "%s/snap", out.path);
	o.out = path;
	assert_int_equal(snapshot_write(&r, &o, &st, &e), 0);
	assert_int_equal(st.processes, 2);
	assert_int_equal(st.nskipped, 1);
	assert_int_equal(st.skipped[0].pid, 99999);
	assert_non_null(strstr(st.skipped[0].why, "exited"));
	assert_int_equal(st.present_pages, 5);  /* heap 2 + zero + libc + stack */
	assert_int_equal(st.pfns, 5);
	assert_false(st.tar);
	snapshot_stats_free(&st);

	/* the conf carries the fixture's facts, the files list every file */
	conf = get(out.fd, "snap/" ROOT_CONF_NAME, NULL);
	assert_non_null(conf);
	assert_non_null(strstr(conf, "\nformat=1\n"));
	assert_non_null(strstr(conf, "\narch=armv7l\n"));
	assert_non_null(strstr(conf, "\ntime=2026-11-02T10:14:00Z\n"));
	assert_non_null(strstr(conf, "\nprocesses=2\n"));
	assert_non_null(strstr(conf, "\nskipped=99999:exited\n"));
	free(conf);
	list = get(out.fd, "snap/" SNAPSHOT_FILES_NAME, NULL);
	assert_non_null(list);
	/* to the end of pagemap, TASK_SIZE 0xbf000000: [vectors] lies above */
	assert_non_null(strstr(list, "\n6258688 proc/1234/pagemap\n"));
	assert_non_null(strstr(list, " proc/1234/smaps\n"));
	assert_non_null(strstr(list, " sys/class/uio/uio0/maps/map1/addr\n"));
	assert_non_null(strstr(list, " cgroup-inodes\n"));
	/* a kernel thread: no address space, so no pagemap was read */
	assert_non_null(strstr(list, " proc/2/status\n"));
	assert_null(strstr(list, "proc/2/pagemap"));
	assert_null(strstr(list, "99999"));
	free(list);
	/* maps holds smaps' VMA lines: the same 14 VMAs */
	assert_int_equal(access(path, F_OK), 0);

	assert_int_equal(snapshot_open(&s, path, &(struct snapshot_handle){ 0 }, &e), 0);
	{
		struct vma_list l;

		assert_int_equal(vmas_read(&s, 1234, false, &l, &e), 0);
		assert_int_equal(l.n, 14);
		vmas_free(&l);
	}
	assert_int_equal(pagemap_open(&s, 1234, &pm, &e), 0);
	assert_int_equal(pagemap_read(&pm, 0x13000, 4, raw, &e), 0);
	assert_int_equal(raw[0], 0x810000000001f3a2ull);
	assert_int_equal(raw[2], 0x4000000000000840ull);  /* swap entries kept */
	assert_int_equal(raw[3], 0x8000000000000c5aull);
	/* the uio mapping is a gap: nothing read, zeros there */
	assert_int_equal(pagemap_read(&pm, 0xb6f14000, 1, raw, &e), 0);
	assert_int_equal(raw[0], 0);
	pagemap_close(&pm);
	kpage_open(&s, &k);
	assert_int_equal(kpage_read(&k, pfns, NULL, 2, fl, cnt, cg, &e), 0);
	assert_int_equal(fl[0], 0x5828);
	assert_int_equal(cnt[1], 12);
	assert_int_equal(cg[0], 4207);
	kpage_close(&k);
	/* kpage files end one past the highest PFN referenced */
	{
		struct root_stat kst;

		assert_int_equal(root_stat(&s, "proc/kpageflags", &kst, &e), 0);
		assert_int_equal(kst.size, (0x1f3a3 + 1) * 8);
	}
	root_close(&s);

	/* a second capture to the same place needs --force */
	assert_int_equal(snapshot_write(&r, &o, &st, &e), -1);
	assert_non_null(strstr(e.msg, "already exists: give --force"));
	snapshot_stats_free(&st);
	o.force = true;
	assert_int_equal(snapshot_write(&r, &o, &st, &e), 0);
	snapshot_stats_free(&st);

	/* never over a directory that is not a snapshot */
	snprintf(path, sizeof path, "%s/mine", out.path);
	put_str(out.fd, "mine/thesis.txt", "precious\n");
	assert_int_equal(snapshot_write(&r, &o, &st, &e), -1);
	assert_non_null(strstr(e.msg, "not a vmscope snapshot: not replacing it"));
	snapshot_stats_free(&st);
	assert_int_equal(size_of(out.fd, "mine/thesis.txt"), 9);

	/* nothing to capture is an error that says why */
	o.pids = &pids[1];
	o.npids = 1;
	snprintf(path, sizeof path, "%s/none", out.path);
	assert_int_equal(snapshot_write(&r, &o, &st, &e), -1);
	assert_non_null(strstr(e.msg, "nothing captured: process 99999 exited"));
	snapshot_stats_free(&st);
	assert_int_equal(access(path, F_OK), -1);   /* and left nothing behind */

	root_close(&r);
	tmp_free(&fix);
	tmp_free(&out);
}

static void test_capture_tar(void **state)
{
	static const int pids[] = { 1234 };
	struct snapshot_opts o = { .pids = pids, .npids = 1 };
	struct snapshot_handle h;
	struct snapshot_stats st;
	struct tmp fix, out;
	struct vms_root r, s;
	struct vms_err e;
	struct pagemap pm;
	char path[PATH_MAX + 16], desc[PATH_MAX + 256];
	uint64_t raw;

	(void)state;
	if (!have_fixture())
		skip();
	fixture_root(&fix, &r);
	tmp_make(&out);
	snprintf(path, sizeof path, "%s/board.tar", out.path);
	o.out = path;
	assert_int_equal(snapshot_write(&r, &o, &st, &e), 0);
	assert_true(st.tar);
	snapshot_stats_free(&st);
	assert_true(size_of(out.fd, "board.tar") < 128 * 1024);

	assert_int_equal(snapshot_open(&s, path, &h, &e), 0);
	assert_false(s.live);
	root_describe(&s, desc, sizeof desc);
	assert_non_null(strstr(desc, "board.tar"));   /* named as given */
	assert_non_null(strstr(desc, "zynq-board armv7l"));
	assert_int_equal(pagemap_open(&s, 1234, &pm, &e), 0);
	assert_int_equal(pagemap_read(&pm, 0xbefff000, 1, &raw, &e), 0);
	assert_int_equal(raw, 0x810000000001e001ull);
	pagemap_close(&pm);
	/* read in place: no private directory was made */
	assert_string_equal(h.tmpdir, "");
	snapshot_close(&s, &h);

	root_close(&r);
	tmp_free(&fix);
	tmp_free(&out);
}

/* ---- checks when opening ---- */

static void open_fails(const char *path, const char *want)
{
	struct snapshot_handle h;
	struct vms_root r;
	struct vms_err e;

	assert_int_equal(snapshot_open(&r, path, &h, &e), -1);
	if (!strstr(e.msg, want))
		fail_msg("opening %s: wanted '%s', got '%s'", path, want, e.msg);
	assert_int_equal(h.tmpdir[0], '\0');
}

static void test_open_damaged(void **state)
{
	static const int pids[] = { 1234 };
	struct snapshot_opts o = { .pids = pids, .npids = 1 };
	struct snapshot_stats st;
	struct tmp fix, out;
	struct vms_root r;
	struct vms_err e;
	char path[PATH_MAX + 16], rel[64];
	int fd;

	(void)state;
	if (!have_fixture())
		skip();
	fixture_root(&fix, &r);
	tmp_make(&out);
	snprintf(path, sizeof path, "%s/snap", out.path);
	o.out = path;
	assert_int_equal(snapshot_write(&r, &o, &st, &e), 0);
	snapshot_stats_free(&st);

	/* a truncated text file */
	fd = openat(out.fd, "snap/proc/1234/smaps", O_WRONLY);
	assert_int_equal(ftruncate(fd, 100), 0);
	close(fd);
	open_fails(path, "proc/1234/smaps is 100 bytes, but was");
	open_fails(path, "(truncated)");
	/* a pagemap shorter than the maps claim */
	assert_int_equal(snapshot_remove_tree(AT_FDCWD, path), 0);
	assert_int_equal(snapshot_write(&r, &o, &st, &e), 0);
	snapshot_stats_free(&st);
	fd = openat(out.fd, "snap/proc/1234/pagemap", O_WRONLY);
	assert_int_equal(ftruncate(fd, 0x13000 / 4096 * 8), 0);
	close(fd);
	open_fails(path, "proc/1234/pagemap is 152 bytes");
	/* ... and without the files list, the pagemap read itself says so */
	snprintf(rel, sizeof rel, "snap/%s", SNAPSHOT_FILES_NAME);
	assert_int_equal(unlinkat(out.fd, rel, 0), 0);
	{
		struct snapshot_handle h;
		struct vms_root s;
		struct pagemap pm;
		uint64_t raw;

		assert_int_equal(snapshot_open(&s, path, &h, &e), 0);
		assert_int_equal(pagemap_open(&s, 1234, &pm, &e), 0);
		assert_int_equal(pagemap_read(&pm, 0x13000, 1, &raw, &e), -1);
		assert_int_equal(e.code, VMS_EFORMAT);
		assert_non_null(strstr(e.msg, "the snapshot is truncated"));
		pagemap_close(&pm);
		snapshot_close(&s, &h);
	}
	/* a missing pagemap */
	assert_int_equal(unlinkat(out.fd, "snap/proc/1234/pagemap", 0), 0);
	open_fails(path, "proc/1234/pagemap is missing");
	/* a missing conf: not a snapshot */
	snprintf(rel, sizeof rel, "snap/%s", ROOT_CONF_NAME);
	assert_int_equal(unlinkat(out.fd, rel, 0), 0);
	open_fails(path, "is not a vmscope snapshot");
	/* a newer format */
	put_str(out.fd, rel, "format=9\npage_size=4096\n");
	open_fails(path, "newer than this vmscope understands");
	/* a file listed but missing */
	put_str(out.fd, rel, "format=1\npage_size=4096\n");
	put_str(out.fd, "snap/" SNAPSHOT_FILES_NAME, "10 proc/1234/environ\n");
	open_fails(path, "incomplete: proc/1234/environ is missing");
	/* neither directory nor tar */
	open_fails("/dev/null", "neither a snapshot directory nor a tar file");
	root_close(&r);
	tmp_free(&fix);
	tmp_free(&out);
}

/* ---- the compact form ---- */

static void test_expand(void **state)
{
	struct tmp src, dst;
	struct vms_err e;
	uint64_t v[4];
	int fd;

	(void)state;
	tmp_make(&src);
	tmp_make(&dst);
	put_str(src.fd, "root/" ROOT_CONF_NAME, "format=1\npage_size=4096\n");
	put_str(src.fd, "root/proc/5/maps", "");
	put_str(src.fd, "entries",
		"# a comment\n"
		"size  proc/kpageflags 0x100000\n"
		"entry proc/kpageflags 0x10 0x5828   # trailing comment\n"
		"seq   proc/5/pagemap  0x200 3 0x8000000000100000 1\n"
		"seq   proc/kpagecount 0x20 700 1 0\n");
	assert_int_equal(snapshot_expand(src.path, dst.fd, &e), 0);
	assert_int_equal(size_of(dst.fd, "proc/kpageflags"), 0x100000);
	fd = openat(dst.fd, "proc/kpageflags", O_RDONLY);
	assert_int_equal(pread(fd, v, 8, 0x80), 8);
	assert_int_equal(v[0], 0x5828);
	close(fd);
	fd = openat(dst.fd, "proc/5/pagemap", O_RDONLY);
	assert_int_equal(pread(fd, v, 24, 0x200 * 8), 24);
	assert_int_equal(v[0], 0x8000000000100000ull);
	assert_int_equal(v[2], 0x8000000000100002ull);
	close(fd);
	assert_int_equal(size_of(dst.fd, "proc/kpagecount"), (0x20 + 700) * 8);

	put_str(src.fd, "entries", "entry proc/x\n");
	assert_int_equal(snapshot_expand(src.path, dst.fd, &e), -1);
	assert_non_null(strstr(e.msg, "entries line 1: expected"));
	put_str(src.fd, "entries", "\nentry ../../x 0 1\n");
	assert_int_equal(snapshot_expand(src.path, dst.fd, &e), -1);
	assert_non_null(strstr(e.msg, "not a file inside the demo"));
	tmp_free(&src);
	tmp_free(&dst);
}

static void test_demo_lookup(void **state)
{
	struct snapshot_handle h;
	struct vms_root r;
	struct vms_err e;

	(void)state;
	setenv("VMSCOPE_DATADIR", "/nonexistent/vmscope", 1);
	assert_int_equal(snapshot_open_demo(&r, "no/such", "/nonexistent", &h, &e), -1);
	assert_non_null(strstr(e.msg, "is not a demo name"));
	/* the build tree's demo/ (next to build/) may be found: only check
	 * that a missing name is said to be missing */
	if (snapshot_open_demo(&r, "no-such-demo", "/nonexistent", &h, &e) == 0)
		fail_msg("opened a demo that does not exist");
	assert_true(strstr(e.msg, "there is no demo 'no-such-demo'") ||
		    strstr(e.msg, "demo snapshots are not installed"));
	unsetenv("VMSCOPE_DATADIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tar_name),
		cmocka_unit_test(test_tar_round_trip),
		cmocka_unit_test(test_tar_truncated),
		cmocka_unit_test(test_tar_bad_checksum),
		cmocka_unit_test(test_tar_not_a_tar),
		cmocka_unit_test(test_tar_refuses_escapes),
		cmocka_unit_test(test_capture_fixture),
		cmocka_unit_test(test_capture_tar),
		cmocka_unit_test(test_open_damaged),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_demo_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
