/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for src/core/tarfmt*.c, the tar codec: writer -> reader round
 * trips (plain and sparse members, reads across region edges and past
 * the end), GNU tar reading what the writer wrote and the reader reading
 * what GNU tar wrote, damaged and hostile archives, and the limits. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "vmscope/tarfmt.h"
#include "core/tarfmt_int.h"

/* ---- a synthetic file: a pattern inside its regions, zeros outside ---- */

struct file {
	uint64_t size;
	const struct tarfmt_region *r;
	size_t nr;
};

static unsigned char pat(uint64_t off)
{
	return (unsigned char)((off * 7 + 3) % 251 + 1);
}

static unsigned char byte_at(const struct file *f, uint64_t off)
{
	size_t i;

	if (!f->r)
		return pat(off);
	for (i = 0; i < f->nr; i++)
		if (off >= f->r[i].off && off < f->r[i].off + f->r[i].len)
			return pat(off);
	return 0;
}

static ssize_t file_read(void *ctx, void *buf, size_t n, uint64_t off)
{
	const struct file *f = ctx;
	size_t i;

	if (off >= f->size)
		return 0;
	if (n > f->size - off)
		n = (size_t)(f->size - off);
	for (i = 0; i < n; i++)
		((unsigned char *)buf)[i] = byte_at(f, off + i);
	return (ssize_t)n;
}

static const struct tarfmt_region sp_regions[] = {
	{ 100, 50 }, { 4096, 1000 }, { (1 << 20) + 3, 600 }, { 3 << 20, 77 },
};
static const struct file sp_file = { (3 << 20) + 77, sp_regions, 4 };
static struct tarfmt_region many_regions[30];
static struct file many_file;
static const struct file plain_file = { 10000, NULL, 0 };

static char longname[200];

static void files_init(void)
{
	size_t i;

	for (i = 0; i < 30; i++) {
		many_regions[i].off = 10000 * (i + 1);
		many_regions[i].len = 8;
	}
	many_file.size = 400000;
	many_file.r = many_regions;
	many_file.nr = 30;
	snprintf(longname, sizeof longname, "d/%0150d", 7);
}

static int memfd(void)
{
	int fd = memfd_create("t.tar", MFD_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

/* The test archive: conf (300 bytes), big (3000), d/, d/sp (sparse,
 * regions in the header), d/many (sparse, extension blocks), d/LONG
 * (plain, long name), empty. */
static void write_sample(int fd)
{
	struct vms_err e;
	struct file conf = { 300, NULL, 0 }, big = { 3000, NULL, 0 };
	struct tarfmt_writer *w = tarfmt_write_begin(fd, 1700000000, &e);

	assert_non_null(w);
	assert_int_equal(tarfmt_write_file(w, "conf", 300, file_read, &conf), 0);
	assert_int_equal(tarfmt_write_file(w, "big", 3000, file_read, &big), 0);
	assert_int_equal(tarfmt_write_dir(w, "d"), 0);
	assert_int_equal(tarfmt_write_sparse(w, "d/sp", sp_file.size, sp_file.r,
					     sp_file.nr, file_read, (void *)&sp_file), 0);
	assert_int_equal(tarfmt_write_sparse(w, "d/many", many_file.size, many_file.r,
					     many_file.nr, file_read, &many_file), 0);
	assert_int_equal(tarfmt_write_file(w, longname, plain_file.size, file_read,
					   (void *)&plain_file), 0);
	assert_int_equal(tarfmt_write_sparse(w, "empty", 0, NULL, 0, file_read,
					     (void *)&plain_file), 0);
	assert_int_equal(tarfmt_write_end(w), 0);
}

/* Read [off, off + n) of m and compare with f. */
static void check_read(const struct tarfmt_index *idx,
		       const struct tarfmt_member *m, const struct file *f,
		       uint64_t off, size_t n)
{
	static unsigned char buf[20000];
	struct vms_err e;
	size_t want = off >= f->size ? 0 : (f->size - off < n ? (size_t)(f->size - off) : n);
	ssize_t got;
	size_t i;

	assert_true(n <= sizeof buf);
	memset(buf, 0xee, sizeof buf);
	got = tarfmt_pread(idx, m, buf, n, off, &e);
	if (got != (ssize_t)want)
		fail_msg("%s at %llu+%zu: got %zd, want %zu", m->name,
			 (unsigned long long)off, n, got, want);
	for (i = 0; i < want; i++)
		if (buf[i] != byte_at(f, off + i))
			fail_msg("%s: byte %llu is %u, want %u", m->name,
				 (unsigned long long)(off + i), buf[i], byte_at(f, off + i));
}

/* Reads at every region edge and some spread over the file. */
static void check_member(const struct tarfmt_index *idx, const char *name,
			 const struct file *f)
{
	const struct tarfmt_member *m = tarfmt_find(idx, name);
	uint64_t seed = 12345;
	size_t i;

	if (!m)
		fail_msg("no member %s", name);
	assert_false(m->dir);
	assert_int_equal(m->size, f->size);
	for (i = 0; i < f->nr; i++) {
		uint64_t a = f->r[i].off, b = a + f->r[i].len;

		check_read(idx, m, f, a ? a - 1 : 0, 2);
		check_read(idx, m, f, a, (size_t)f->r[i].len);
		check_read(idx, m, f, b - 1, 2);
		check_read(idx, m, f, a > 700 ? a - 700 : 0, 1500 + (size_t)f->r[i].len);
	}
	for (i = 0; i < 200; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		check_read(idx, m, f, (seed >> 20) % (f->size + 100), (size_t)(seed % 9000) + 1);
	}
	check_read(idx, m, f, f->size - 10, 100);   /* short at the end */
	check_read(idx, m, f, f->size, 100);        /* nothing past it */
	check_read(idx, m, f, 0, f->size < 20000 ? (size_t)f->size : 20000);
}

/* ---- round trip ---- */

static void test_round_trip(void **state)
{
	struct tarfmt_index idx;
	struct vms_err e;
	struct stat st;
	char **names;
	size_t n;
	int fd = memfd();

	(void)state;
	write_sample(fd);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size % 10240, 0);
	assert_true(st.st_size < 64 * 1024);   /* the holes are not stored */
	assert_int_equal(tarfmt_index(fd, "t.tar", &idx, &e), 0);
	assert_int_equal(idx.n, 7);
	check_member(&idx, "conf", &(struct file){ 300, NULL, 0 });
	check_member(&idx, "big", &(struct file){ 3000, NULL, 0 });
	check_member(&idx, "d/sp", &sp_file);
	check_member(&idx, "d/many", &many_file);
	check_member(&idx, longname, &plain_file);
	check_member(&idx, "empty", &(struct file){ 0, NULL, 0 });
	assert_true(tarfmt_find(&idx, "d/sp")->sparse);
	assert_true(tarfmt_find(&idx, "d")->dir);
	/* readable by the owner alone, extracted too (issue 14 point 6) */
	assert_int_equal(tarfmt_find(&idx, "d")->mode, 0700);
	assert_int_equal(tarfmt_find(&idx, "conf")->mode, 0600);
	assert_int_equal(tarfmt_find(&idx, "d/sp")->mode, 0600);
	assert_int_equal(tarfmt_find(&idx, longname)->mode, 0600);
	assert_int_equal(tarfmt_find(&idx, "conf")->mtime, 1700000000);
	assert_true(tarfmt_is_dir(&idx, ""));
	assert_true(tarfmt_is_dir(&idx, "d"));
	assert_false(tarfmt_is_dir(&idx, "conf"));
	assert_false(tarfmt_is_dir(&idx, "nothing"));
	assert_null(tarfmt_find(&idx, "nothing"));
	assert_int_equal(tarfmt_list(&idx, "", &names, &n, &e), 0);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "big");
	assert_string_equal(names[1], "conf");
	assert_string_equal(names[2], "d");
	assert_string_equal(names[3], "empty");
	while (n)
		free(names[--n]);
	free(names);
	assert_int_equal(tarfmt_list(&idx, "d", &names, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], longname + 2);
	assert_string_equal(names[1], "many");
	assert_string_equal(names[2], "sp");
	while (n)
		free(names[--n]);
	free(names);
	assert_int_equal(tarfmt_list(&idx, "conf", &names, &n, &e), -1);
	assert_int_equal(e.code, ENOTDIR);
	assert_int_equal(tarfmt_list(&idx, "nothing", &names, &n, &e), -1);
	assert_int_equal(e.code, ENOENT);
	assert_non_null(strstr(e.msg, "t.tar:nothing"));
	tarfmt_free(&idx);
	close(fd);
}

/* Past 8 GiB the size and map fields are base-256 (GNU): a 16 GiB
 * sparse file with data at its end. */
static void test_huge_sparse(void **state)
{
	static const struct tarfmt_region r[] = { { 0, 8 }, { UINT64_C(16) << 30, 16 } };
	struct file f = { (UINT64_C(16) << 30) + 16, r, 2 };
	struct tarfmt_index idx;
	struct tarfmt_writer *w;
	struct vms_err e;
	int fd = memfd();

	(void)state;
	w = tarfmt_write_begin(fd, 0, &e);
	assert_int_equal(tarfmt_write_sparse(w, "kpageflags", f.size, r, 2, file_read, &f), 0);
	assert_int_equal(tarfmt_write_end(w), 0);
	assert_int_equal(tarfmt_index(fd, "h.tar", &idx, &e), 0);
	assert_int_equal(tarfmt_find(&idx, "kpageflags")->size, f.size);
	check_read(&idx, tarfmt_find(&idx, "kpageflags"), &f, f.size - 100, 200);
	check_read(&idx, tarfmt_find(&idx, "kpageflags"), &f, 0, 600);
	tarfmt_free(&idx);
	close(fd);
}

/* Directories implied by names only, listed once; the later of two
 * members of one name wins; a file with members below it is refused. */
static void test_implied_and_repeated(void **state)
{
	struct file a = { 10, NULL, 0 }, b = { 20, NULL, 0 };
	struct tarfmt_index idx;
	struct tarfmt_writer *w;
	struct vms_err e;
	char **names;
	size_t n;
	int fd = memfd();

	(void)state;
	w = tarfmt_write_begin(fd, 0, &e);
	assert_int_equal(tarfmt_write_file(w, "p/1/maps", 10, file_read, &a), 0);
	assert_int_equal(tarfmt_write_file(w, "p/1-x", 10, file_read, &a), 0);
	assert_int_equal(tarfmt_write_file(w, "p/1/smaps", 10, file_read, &a), 0);
	assert_int_equal(tarfmt_write_file(w, "p/2", 10, file_read, &a), 0);
	assert_int_equal(tarfmt_write_file(w, "p/2", 20, file_read, &b), 0);
	assert_int_equal(tarfmt_write_end(w), 0);
	assert_int_equal(tarfmt_index(fd, "i.tar", &idx, &e), 0);
	assert_true(tarfmt_is_dir(&idx, "p"));
	assert_true(tarfmt_is_dir(&idx, "p/1"));
	assert_false(tarfmt_is_dir(&idx, "p/1-x"));
	assert_int_equal(tarfmt_find(&idx, "p/2")->size, 20);
	assert_int_equal(tarfmt_list(&idx, "p", &names, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "1");
	assert_string_equal(names[1], "1-x");
	assert_string_equal(names[2], "2");
	while (n)
		free(names[--n]);
	free(names);
	tarfmt_free(&idx);
	close(fd);

	fd = memfd();
	w = tarfmt_write_begin(fd, 0, &e);
	assert_int_equal(tarfmt_write_file(w, "x", 10, file_read, &a), 0);
	assert_int_equal(tarfmt_write_file(w, "x/y", 10, file_read, &a), 0);
	assert_int_equal(tarfmt_write_end(w), 0);
	assert_int_equal(tarfmt_index(fd, "c.tar", &idx, &e), -1);
	assert_non_null(strstr(e.msg, "'x' is both a file and a directory"));
	close(fd);
}

/* ---- GNU tar ---- */

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

static bool have_tar(void)
{
	return system("tar --version 2>/dev/null | grep -q 'GNU tar'") == 0;
}

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_tarfmt.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
}

/* The extracted file at path holds f. */
static void check_extracted(const char *path, const struct file *f, bool sparse)
{
	unsigned char *buf = malloc(f->size + 1);
	struct stat st;
	size_t i;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, f->size);
	if (sparse)
		assert_true((uint64_t)st.st_blocks * 512 < f->size / 2);
	assert_int_equal(pread(fd, buf, f->size + 1, 0), (ssize_t)f->size);
	for (i = 0; i < f->size; i++)
		if (buf[i] != byte_at(f, i))
			fail_msg("%s: byte %zu is %u, want %u", path, i, buf[i], byte_at(f, i));
	free(buf);
	close(fd);
}

static void test_gnu_tar_extracts(void **state)
{
	char path[256];
	int fd;

	(void)state;
	if (!have_tar())
		skip();
	make_tmpdir();
	snprintf(path, sizeof path, "%s/w.tar", tmpdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	write_sample(fd);
	close(fd);
	sh("mkdir %s/x && tar -C %s/x -xSf %s", tmpdir, tmpdir, path);
	sh("tar -tvf %s | grep -q ' d/%s$'", path, longname + 2);
	snprintf(path, sizeof path, "%s/x/d/sp", tmpdir);
	check_extracted(path, &sp_file, true);
	snprintf(path, sizeof path, "%s/x/d/many", tmpdir);
	check_extracted(path, &many_file, true);
	snprintf(path, sizeof path, "%s/x/%s", tmpdir, longname);
	check_extracted(path, &plain_file, false);
	snprintf(path, sizeof path, "%s/x/empty", tmpdir);
	check_extracted(path, &(struct file){ 0, NULL, 0 }, false);
	sh("rm -rf %s", tmpdir);
}

/* What `tar -cSf` made of a sparse file (truncate + dd) reads back. */
static void test_reads_gnu_tar(void **state)
{
	static const struct tarfmt_region r[] = {
		{ 69632, 512 }, { (2 << 20) - 512, 512 },
	};
	struct file f = { 2 << 20, r, 2 };
	struct tarfmt_index idx;
	struct vms_err e;
	char path[256];
	int fd;

	(void)state;
	if (!have_tar())
		skip();
	make_tmpdir();
	/* blocks that hold pat() bytes, written with dd */
	snprintf(path, sizeof path, "%s/src", tmpdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	{
		unsigned char b[512];
		size_t i, k;

		for (k = 0; k < 2; k++) {
			for (i = 0; i < 512; i++)
				b[i] = pat(r[k].off + i);
			snprintf(path, sizeof path, "%s/blk%zu", tmpdir, k);
			close(fd);
			fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			assert_int_equal(write(fd, b, 512), 512);
		}
		close(fd);
	}
	sh("cd %s && truncate -s 2M f && dd if=blk0 of=f bs=512 seek=136 conv=notrunc 2>/dev/null"
	   " && dd if=blk1 of=f bs=512 seek=4095 conv=notrunc 2>/dev/null"
	   " && printf hello >small && mkdir -p sub && tar -cSf g.tar f small sub", tmpdir);
	snprintf(path, sizeof path, "%s/g.tar", tmpdir);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(tarfmt_index(fd, "g.tar", &idx, &e), 0);
	assert_true(tarfmt_find(&idx, "f")->sparse);
	check_member(&idx, "f", &f);
	assert_true(tarfmt_is_dir(&idx, "sub"));
	{
		char buf[16];

		assert_int_equal(tarfmt_pread(&idx, tarfmt_find(&idx, "small"), buf,
					      sizeof buf, 0, &e), 5);
		assert_memory_equal(buf, "hello", 5);
	}
	tarfmt_free(&idx);
	close(fd);
	sh("rm -rf %s", tmpdir);
}

/* ---- damage ---- */

/* The sample archive, cut at cut (or -1), its byte flip xor 0x55 (or -1). */
static int damaged(off_t cut, off_t flip)
{
	int fd = memfd();

	write_sample(fd);
	if (cut >= 0)
		assert_int_equal(ftruncate(fd, cut), 0);
	if (flip >= 0) {
		char c;

		assert_int_equal(pread(fd, &c, 1, flip), 1);
		c ^= 0x55;
		assert_int_equal(pwrite(fd, &c, 1, flip), 1);
	}
	return fd;
}

static void expect_refused(int fd, const char *want)
{
	struct tarfmt_index idx;
	struct vms_err e;

	assert_int_equal(tarfmt_index(fd, "d.tar", &idx, &e) < 0, 1);
	if (!strstr(e.msg, want))
		fail_msg("want '%s', got '%s'", want, e.msg);
	assert_int_equal(idx.n, 0);
	assert_null(idx.m);
	close(fd);
}

/* Where member name's data start in the intact sample. */
static off_t sample_data(const char *name)
{
	struct tarfmt_index idx;
	struct vms_err e;
	off_t at;
	int fd = damaged(-1, -1);

	assert_int_equal(tarfmt_index(fd, "d.tar", &idx, &e), 0);
	at = (off_t)tarfmt_find(&idx, name)->data;
	tarfmt_free(&idx);
	close(fd);
	return at;
}

/* Layout of the sample: conf's header at 0, data at 512; big's header at
 * 1024, data 1536..4535; d/ at 4608; d/sp at 5120, its data at 5632;
 * d/many's header, then two extension blocks (31 regions), then data. */
static void test_truncated(void **state)
{
	off_t many = sample_data("d/many");

	(void)state;
	assert_int_equal(sample_data("big"), 1536);
	assert_int_equal(sample_data("d/sp"), 5632);
	expect_refused(damaged(1024 + 100, -1),
		       "d.tar is truncated: it ends inside the header after conf");
	expect_refused(damaged(2000, -1), "d.tar is truncated: it ends inside big");
	expect_refused(damaged(6000, -1), "it ends inside d/sp");
	expect_refused(damaged(many - 1024 + 300, -1),
		       "it ends inside the sparse map of d/many");
	expect_refused(damaged(many + 10, -1), "it ends inside d/many");
}

static void test_bad_checksum(void **state)
{
	(void)state;
	expect_refused(damaged(-1, 1024 + 3), "the header at byte 1024 (after conf) has a bad checksum");
	expect_refused(damaged(-1, 3), "'d.tar' is not a tar file");
}

/* A header of name, type and size; for 'S', one region r at realsize. */
static void raw_header(unsigned char *h, const char *name, char type,
		       uint64_t size, const struct tarfmt_region *r,
		       uint64_t realsize)
{
	memset(h, 0, 512);
	snprintf((char *)h, 100, "%s", name);
	tarfmt_put_num((char *)h + TH_MODE, 8, 0644);
	tarfmt_put_num((char *)h + TH_SIZE, 12, size);
	h[TH_TYPE] = (unsigned char)type;
	memcpy(h + TH_MAGIC, "ustar  ", 8);
	if (r) {
		tarfmt_put_num((char *)h + TH_SPARSE, 12, r->off);
		tarfmt_put_num((char *)h + TH_SPARSE + 12, 12, r->len);
		tarfmt_put_num((char *)h + TH_REALSIZE, 12, realsize);
	}
	snprintf((char *)h + TH_CHKSUM, 8, "%06o", tarfmt_header_sum(h, NULL));
	h[TH_CHKSUM + 7] = ' ';
}

/* An archive of one header (and zeros after). */
static int raw_archive(const char *name, char type, uint64_t size,
		       const struct tarfmt_region *r, uint64_t realsize)
{
	unsigned char blk[512 * 4];
	int fd = memfd();

	memset(blk, 0, sizeof blk);
	raw_header(blk, name, type, size, r, realsize);
	assert_int_equal(write(fd, blk, sizeof blk), (ssize_t)sizeof blk);
	return fd;
}

static void test_hostile(void **state)
{
	struct tarfmt_region past = { 512, 1024 }, ok = { 0, 512 };

	(void)state;
	expect_refused(raw_archive("../etc/evil", '0', 0, NULL, 0), "points outside");
	expect_refused(raw_archive("/etc/evil", '0', 0, NULL, 0), "points outside");
	expect_refused(raw_archive("proc/../../evil", '0', 0, NULL, 0), "points outside");
	expect_refused(raw_archive("proc/kpageflags", '2', 0, NULL, 0), "'proc/kpageflags' is a link");
	expect_refused(raw_archive("hard", '1', 0, NULL, 0), "is a link");
	expect_refused(raw_archive("dev/mem", '3', 0, NULL, 0), "of type '3'");
	expect_refused(raw_archive("fifo", '6', 0, NULL, 0), "of type '6'");
	expect_refused(raw_archive("esc\033[2J", '3', 0, NULL, 0), "'esc\\e[2J'");
	/* data past the end of the archive */
	expect_refused(raw_archive("big", '0', 1 << 20, NULL, 0), "it ends inside big");
	expect_refused(raw_archive("huge", '0', UINT64_MAX / 2, NULL, 0), "it ends inside huge");
	/* a sparse map past the file's end, or data past the archive's */
	expect_refused(raw_archive("sp", 'S', 512, &past, 1000), "d.tar:sp: the sparse map is damaged");
	expect_refused(raw_archive("sp", 'S', 512, &ok, UINT64_MAX / 2), "the sparse map is damaged");
	{
		struct tarfmt_region far = { 0, 1 << 20 };

		expect_refused(raw_archive("sp", 'S', 512, &far, 2 << 20), "it ends inside sp");
	}
	/* a file without a name */
	expect_refused(raw_archive("", '0', 0, NULL, 0), "a member without a name");
	/* junk and short files */
	{
		int fd = memfd();

		assert_int_equal(write(fd, "hello\n", 6), 6);
		expect_refused(fd, "is not a tar file");
	}
}

/* A long name past the limit, and a pax path. */
static void test_long_names(void **state)
{
	char *deep = malloc(2000 * 2 + 2), *p;
	struct tarfmt_index idx;
	struct tarfmt_writer *w;
	struct file one = { 1, NULL, 0 };
	struct vms_err e;
	char **names;
	size_t n, i;
	int fd = memfd();

	(void)state;
	for (i = 0, p = deep; i < 2000; i++, p += 2)
		memcpy(p, "d/", 2);
	strcpy(p, "f");
	w = tarfmt_write_begin(fd, 0, &e);
	assert_int_equal(tarfmt_write_file(w, deep, 1, file_read, &one), 0);
	assert_int_equal(tarfmt_write_end(w), 0);
	assert_int_equal(tarfmt_index(fd, "deep.tar", &idx, &e), 0);
	assert_int_equal(idx.n, 1);
	assert_non_null(tarfmt_find(&idx, deep));
	p[-1] = '\0';            /* the deepest directory */
	assert_true(tarfmt_is_dir(&idx, deep));
	assert_true(tarfmt_is_dir(&idx, "d/d/d"));
	assert_int_equal(tarfmt_list(&idx, deep, &names, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "f");
	free(names[0]);
	free(names);
	tarfmt_free(&idx);
	close(fd);
	free(deep);

	deep = malloc(TARFMT_MAX_NAME + 10);
	memset(deep, 'a', TARFMT_MAX_NAME + 9);
	deep[TARFMT_MAX_NAME + 9] = '\0';
	fd = memfd();
	w = tarfmt_write_begin(fd, 0, &e);
	assert_int_equal(tarfmt_write_file(w, deep, 1, file_read, &one), 0);
	assert_int_equal(tarfmt_write_end(w), 0);
	expect_refused(fd, "is too large");
	free(deep);
}

static void test_pax(void **state)
{
	static const char rec[] = "28 path=pax/a-long-pax-name\n";
	unsigned char blk[512 * 6];
	struct tarfmt_index idx;
	struct vms_err e;
	char buf[8];
	int fd = memfd();

	(void)state;
	memset(blk, 0, sizeof blk);
	raw_header(blk, "PaxHeaders/x", 'x', sizeof rec - 1, NULL, 0);
	memcpy(blk + 512, rec, sizeof rec - 1);
	raw_header(blk + 1024, "short", '0', 3, NULL, 0);
	memcpy(blk + 1536, "abc", 3);
	assert_int_equal(write(fd, blk, sizeof blk), (ssize_t)sizeof blk);
	assert_int_equal(tarfmt_index(fd, "p.tar", &idx, &e), 0);
	assert_non_null(tarfmt_find(&idx, "pax/a-long-pax-name"));
	assert_int_equal(tarfmt_pread(&idx, tarfmt_find(&idx, "pax/a-long-pax-name"),
				      buf, sizeof buf, 0, &e), 3);
	assert_memory_equal(buf, "abc", 3);
	tarfmt_free(&idx);
	close(fd);

	/* a record whose length is shorter than its own digits (found by
	 * fuzzing: it read past the header) is ignored */
	fd = memfd();
	memset(blk, 0, sizeof blk);
	raw_header(blk, "PaxHeaders/x", 'x', 30, NULL, 0);
	memcpy(blk + 512, "0000000000000000000005 pathxx\n", 30);
	raw_header(blk + 1024, "short", '0', 3, NULL, 0);
	assert_int_equal(write(fd, blk, sizeof blk), (ssize_t)sizeof blk);
	assert_int_equal(tarfmt_index(fd, "p.tar", &idx, &e), 0);
	assert_non_null(tarfmt_find(&idx, "short"));
	tarfmt_free(&idx);
	close(fd);

	fd = memfd();
	memset(blk, 0, sizeof blk);
	raw_header(blk, "PaxHeaders/x", 'x', 22, NULL, 0);
	memcpy(blk + 512, "22 GNU.sparse.major=1\n", 22);
	assert_int_equal(write(fd, blk, sizeof blk), (ssize_t)sizeof blk);
	expect_refused(fd, "sparse files in the pax format");
}

/* ---- limits ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_many_members(void **state)
{
	struct tarfmt_limits lim = { 99999, TARFMT_MAX_TOTAL };
	struct file empty = { 0, NULL, 0 }, big = { 3000, NULL, 0 };
	struct tarfmt_index idx;
	struct tarfmt_writer *w;
	struct vms_err e;
	char name[64], **names;
	size_t n, i;
	double t;
	int fd = memfd();

	(void)state;
	w = tarfmt_write_begin(fd, 0, &e);
	for (i = 0; i < 100000; i++) {
		snprintf(name, sizeof name, "p/%03zu/f%05zu", i % 1000, i);
		assert_int_equal(tarfmt_write_file(w, name, 0, file_read, &empty), 0);
	}
	assert_int_equal(tarfmt_write_end(w), 0);
	t = now();
	assert_int_equal(tarfmt_index(fd, "many.tar", &idx, &e), 0);
	t = now() - t;
	if (t > 10)
		fail_msg("indexing 100,000 members took %.1f s", t);
	assert_int_equal(idx.n, 100000);
	assert_int_equal(tarfmt_list(&idx, "p", &names, &n, &e), 0);
	assert_int_equal(n, 1000);
	while (n)
		free(names[--n]);
	free(names);
	assert_int_equal(tarfmt_list(&idx, "p/007", &names, &n, &e), 0);
	assert_int_equal(n, 100);
	while (n)
		free(names[--n]);
	free(names);
	tarfmt_free(&idx);
	assert_int_equal(tarfmt_index_limits(fd, "many.tar", &lim, &idx, &e), -1);
	assert_non_null(strstr(e.msg, "more than 99999 members"));
	close(fd);

	fd = memfd();
	w = tarfmt_write_begin(fd, 0, &e);
	assert_int_equal(tarfmt_write_file(w, "a", 3000, file_read, &big), 0);
	assert_int_equal(tarfmt_write_file(w, "b", 3000, file_read, &big), 0);
	assert_int_equal(tarfmt_write_end(w), 0);
	lim.total = 5000;
	assert_int_equal(tarfmt_index_limits(fd, "t.tar", &lim, &idx, &e), -1);
	assert_non_null(strstr(e.msg, "more than 5000 bytes in all"));
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_huge_sparse),
		cmocka_unit_test(test_implied_and_repeated),
		cmocka_unit_test(test_gnu_tar_extracts),
		cmocka_unit_test(test_reads_gnu_tar),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_pax),
		cmocka_unit_test(test_many_members),
	};

	files_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
