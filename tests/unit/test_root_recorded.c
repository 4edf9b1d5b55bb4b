/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for src/core/root_recorded.c and kpage_rec.c: which bytes
 * of a snapshot's files were recorded, what the tap records of what it
 * reads (spans read, reads that failed or that the output cannot hold),
 * and what that makes of a frame (recorded, not recorded, bad, beyond
 * kpageflags, unsure in a snapshot from before the list). */
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
#include "vmscope/kpage_rec.h"
#include "vmscope/root.h"
#include "vmscope/root_tap.h"

static char dir[64];

static void dir_make(void)
{
	char proc[96];

	snprintf(dir, sizeof dir, "/tmp/vmscope-test-rec.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(proc, sizeof proc, "%s/proc", dir);
	assert_int_equal(mkdir(proc, 0700), 0);
}

static void dir_remove(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void put(const char *rel, const void *data, size_t len, off_t at)
{
	char path[160];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, len, at), (ssize_t)len);
	close(fd);
}

static void put_text(const char *rel, const char *text)
{
	put(rel, text, strlen(text), 0);
}

static void open_root(struct vms_root *r)
{
	struct vms_err e;

	put_text(ROOT_CONF_NAME, "format=1\npage_size=4096\npfn_visible=1\n");
	assert_int_equal(root_open(r, dir, &e), 0);
}

/* kpageflags with flags at PFNs 0x200 and 0x201 (0x201 listed as read,
 * 0x202 read as zero), 0x300 bad, ending at PFN 0x400. */
static void make_snapshot(bool with_ranges)
{
	uint64_t fl = 0x28;

	put("proc/kpageflags", &fl, 8, 0x200 * 8);
	put("proc/kpageflags", &(uint64_t){ 0 }, 8, 0x3ff * 8);
	put_text("vmscope-snapshot.files", "# list\n");
	if (with_ranges)
		put_text(ROOT_RANGES_NAME,
			 "# comment\n"
			 "file 2000 proc/kpageflags\n"
			 "read 1000 18\n"
			 "bad 1800 8\n");
}

static void test_recorded_listed(void **state)
{
	struct vms_root r;

	(void)state;
	dir_make();
	make_snapshot(true);
	open_root(&r);
	assert_int_equal(root_recorded(&r, "proc/kpageflags", 0x1000, 8), ROOT_REC_YES);
	assert_int_equal(root_recorded(&r, "proc/kpageflags", 0x1010, 8), ROOT_REC_YES);
	assert_int_equal(root_recorded(&r, "proc/kpageflags", 0x1010, 16), ROOT_REC_NO);
	assert_int_equal(root_recorded(&r, "proc/kpageflags", 0x8, 8), ROOT_REC_NO);
	assert_int_equal(root_recorded(&r, "proc/kpageflags", 0x1800, 8), ROOT_REC_BAD);
	/* past the end the capture met: as on the source, nothing */
	assert_int_equal(root_recorded(&r, "proc/kpageflags", 0x2000, 8), ROOT_REC_YES);
	/* a file not listed was read whole */
	assert_int_equal(root_recorded(&r, "proc/1/maps", 0, 100), ROOT_REC_YES);
	root_close(&r);
	dir_remove();
}

static void test_recorded_old_snapshot_and_fixture(void **state)
{
	struct vms_root r;
	char path[128];

	(void)state;
	dir_make();
	make_snapshot(false);
	open_root(&r);
	assert_true(r.rec_unknown);
	assert_int_equal(root_recorded(&r, "proc/kpageflags", 0x1000, 8), ROOT_REC_UNKNOWN);
	root_close(&r);
	/* no files list: a fixture made by hand, every byte is the board's */
	snprintf(path, sizeof path, "%s/vmscope-snapshot.files", dir);
	assert_int_equal(unlink(path), 0);
	open_root(&r);
	assert_false(r.rec_unknown);
	assert_int_equal(root_recorded(&r, "proc/kpageflags", 0x8, 8), ROOT_REC_YES);
	root_close(&r);
	dir_remove();
}

static void test_recorded_malformed(void **state)
{
	struct vms_root r;
	struct vms_err e;

	(void)state;
	dir_make();
	put_text(ROOT_CONF_NAME, "format=1\npage_size=4096\n");
	put_text(ROOT_RANGES_NAME, "read 0 8\n");   /* no file line first */
	assert_int_equal(root_open(&r, dir, &e), -1);
	assert_non_null(strstr(e.msg, ROOT_RANGES_NAME " line 1"));
	dir_remove();
}

static void test_kpage_rec(void **state)
{
	struct vms_root r;
	struct kpage k;
	uint64_t pfn, fl;
	char path[128];

	(void)state;
	dir_make();
	make_snapshot(true);
	open_root(&r);
	kpage_open(&r, &k);
	pfn = 0x200;
	assert_int_equal(kpage_read(&k, &pfn, NULL, 1, &fl, NULL, NULL, NULL), 0);
	assert_int_equal(fl, 0x28);
	assert_int_equal(kpage_rec_of(&k, pfn, fl), KPAGE_REC_YES);
	pfn = 0x202;   /* read, no flags: a page without flags */
	assert_int_equal(kpage_read(&k, &pfn, NULL, 1, &fl, NULL, NULL, NULL), 0);
	assert_int_equal(kpage_rec_of(&k, pfn, fl), KPAGE_REC_YES);
	pfn = 0x203;   /* never read by the capture */
	assert_int_equal(kpage_read(&k, &pfn, NULL, 1, &fl, NULL, NULL, NULL), 0);
	assert_int_equal(kpage_rec_of(&k, pfn, fl), KPAGE_REC_NOT_RECORDED);
	pfn = 0x300;
	assert_int_equal(kpage_read(&k, &pfn, NULL, 1, &fl, NULL, NULL, NULL), 0);
	assert_int_equal(kpage_rec_of(&k, pfn, fl), KPAGE_REC_BAD);
	pfn = 0x41200;   /* past the end the capture met */
	assert_int_equal(kpage_read(&k, &pfn, NULL, 1, &fl, NULL, NULL, NULL), 0);
	assert_true(k.end_met[0]);
	assert_int_equal(k.file_end[0], 0x41200);   /* no entry from here */
	assert_int_equal(kpage_rec_of(&k, pfn, fl), KPAGE_REC_BEYOND_END);
	pfn = UINT64_MAX >> 8;   /* no file offset at all */
	assert_int_equal(kpage_read(&k, &pfn, NULL, 1, &fl, NULL, NULL, NULL), 0);
	assert_int_equal(kpage_rec_of(&k, pfn, fl), KPAGE_REC_BEYOND_END);
	assert_string_equal(kpage_rec_name(KPAGE_REC_BEYOND_END), "beyond-kpageflags");
	assert_non_null(strstr(kpage_rec_why(KPAGE_REC_NOT_RECORDED),
			       "not recorded in this snapshot"));
	kpage_close(&k);
	root_close(&r);
	/* the same snapshot from before the list: no flags says nothing */
	snprintf(path, sizeof path, "%s/%s", dir, ROOT_RANGES_NAME);
	assert_int_equal(unlink(path), 0);
	open_root(&r);
	kpage_open(&r, &k);
	pfn = 0x203;
	assert_int_equal(kpage_read(&k, &pfn, NULL, 1, &fl, NULL, NULL, NULL), 0);
	assert_int_equal(kpage_rec_of(&k, pfn, fl), KPAGE_REC_UNSURE);
	pfn = 0x200;
	assert_int_equal(kpage_read(&k, &pfn, NULL, 1, &fl, NULL, NULL, NULL), 0);
	assert_int_equal(kpage_rec_of(&k, pfn, fl), KPAGE_REC_YES);
	kpage_close(&k);
	root_close(&r);
	dir_remove();
}

/* ---- the tap over a source with a bogus PFN and a read error ---- */

#define FAIL_AT 0x2000
#define HUGE_AT ((uint64_t)1 << 50)

struct fake_file {
	struct root_file base;
};

static int fake_open(const struct vms_root *r, const char *rel,
		     struct root_file **f, struct vms_err *e)
{
	(void)r;
	(void)rel;
	(void)e;
	*f = calloc(1, sizeof(struct fake_file));
	return *f ? 0 : -1;
}

/* Every offset holds 0x11 bytes, to 2^51; FAIL_AT fails. */
static ssize_t fake_pread(struct root_file *f, void *buf, size_t n,
			  uint64_t off, struct vms_err *e)
{
	(void)f;
	if (off == FAIL_AT) {
		err_set(e, EIO, "input/output error");
		return -1;
	}
	if (off >= 2 * HUGE_AT)
		return 0;
	memset(buf, 0x11, n);
	return (ssize_t)n;
}

static void fake_close(struct root_file *f)
{
	free(f);
}

static const struct root_ops fake_ops = {
	.name = "fake", .open = fake_open, .pread = fake_pread,
	.close = fake_close,
};

static void test_tap_bad_reads(void **state)
{
	struct vms_root src = { .ops = &fake_ops, .page_size = 4096,
				.page_shift = 12, .pfn_visible = true };
	struct vms_root tap, snap;
	const struct tap_file *files;
	struct root_file *f;
	struct vms_err e;
	uint64_t v, first;
	size_t n;
	int outfd;

	(void)state;
	dir_make();
	outfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(outfd >= 0);
	assert_int_equal(root_tap_open(&tap, &src, outfd, &e), 0);
	f = root_fopen(&tap, "proc/kpageflags", &e);
	assert_non_null(f);
	assert_int_equal(root_pread(f, &v, 8, 0x1000, &e), 8);
	assert_int_equal(root_pread(f, &v, 8, FAIL_AT, &e), -1);
	/* a bogus PFN: read, but past what a recording holds */
	assert_int_equal(root_pread(f, &v, 8, HUGE_AT, &e), 8);
	root_fclose(f);
	assert_int_equal(root_tap_error(&tap, &e), 0);   /* the capture goes on */
	assert_int_equal(root_tap_bad(&tap, "proc/kpageflags", &first), 16);
	assert_int_equal(first, FAIL_AT);
	n = root_tap_files(&tap, &files);
	assert_int_equal(n, 1);
	assert_int_equal(files[0].size, 0x1008);   /* the huge offset left out */
	assert_int_equal(root_recorded_write(outfd, files, n, &e), 0);
	root_close(&tap);
	close(outfd);
	put_text("vmscope-snapshot.files", "# list\n");
	open_root(&snap);
	assert_int_equal(root_recorded(&snap, "proc/kpageflags", 0x1000, 8), ROOT_REC_YES);
	assert_int_equal(root_recorded(&snap, "proc/kpageflags", 0x1008, 8), ROOT_REC_NO);
	assert_int_equal(root_recorded(&snap, "proc/kpageflags", FAIL_AT, 8), ROOT_REC_BAD);
	assert_int_equal(root_recorded(&snap, "proc/kpageflags", HUGE_AT, 8), ROOT_REC_BAD);
	root_close(&snap);
	dir_remove();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_listed),
		cmocka_unit_test(test_recorded_old_snapshot_and_fixture),
		cmocka_unit_test(test_recorded_malformed),
		cmocka_unit_test(test_kpage_rec),
		cmocka_unit_test(test_tap_bad_reads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
