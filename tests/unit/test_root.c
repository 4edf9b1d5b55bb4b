/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for src/core/root.c: the snapshot conf parser and opening
 * roots (live "/" and snapshot directories made on the fly). */
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
#include <sys/utsname.h>
#include <unistd.h>
#include <cmocka.h>
#include "vmscope/root.h"

/* ---- helpers ---- */

struct tmpdir {
	char path[64];
};

static void tmp_make(struct tmpdir *t)
{
	snprintf(t->path, sizeof t->path, "/tmp/vmscope-test-root.XXXXXX");
	assert_non_null(mkdtemp(t->path));
}

static void tmp_remove(struct tmpdir *t)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->path);
	assert_int_equal(system(cmd), 0);
}

static void tmp_write(struct tmpdir *t, const char *rel, const char *text,
		      size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", t->path, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

static void tmp_conf(struct tmpdir *t, const char *text)
{
	tmp_write(t, ROOT_CONF_NAME, text, strlen(text));
}

/* Parse from an exact-size heap copy so ASan sees any read past len. */
static int parse(struct vms_root *r, const char *text, struct vms_err *e)
{
	size_t len = strlen(text);
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, text, len);
	memset(r, 0, sizeof *r);
	err_clear(e);
	rc = root_parse_conf(r, copy, len, e);
	free(copy);
	return rc;
}

/* ---- root_parse_conf ---- */

static void test_conf_full(void **state)
{
	struct vms_root r;
	struct vms_err e;

	assert_int_equal(parse(&r,
		"# vmscope snapshot\n"
		"\n"
		"format=1\n"
		"vmscope_version=0.1.0\n"
		"page_size=4096\n"
		"arch=armv7l\n"
		"kernel_release=5.10.120-ti\n"
		"time=2024-05-01T10:00:00Z\n"
		"hostname=board7\n"
		"pfn_visible=0\n", &e), 0);
	assert_int_equal(r.page_size, 4096);
	assert_int_equal(r.page_shift, 12);
	assert_string_equal(r.arch, "armv7l");
	assert_int_equal(r.addr_bits, 32);
	assert_string_equal(r.release, "5.10.120-ti");
	assert_string_equal(r.taken, "2024-05-01T10:00:00Z");
	assert_string_equal(r.hostname, "board7");
	assert_false(r.pfn_visible);
}

static void test_conf_spacing_crlf_and_no_final_newline(void **state)
{
	struct vms_root r;
	struct vms_err e;

	assert_int_equal(parse(&r,
		"  page_size = 16384 \r\n"
		"\tarch =  aarch64\r\n"
		"pfn_visible=1", &e), 0);
	assert_int_equal(r.page_size, 16384);
	assert_int_equal(r.page_shift, 14);
	assert_string_equal(r.arch, "aarch64");
	assert_int_equal(r.addr_bits, 64);
	assert_true(r.pfn_visible);
}

static void test_conf_defaults(void **state)
{
	struct vms_root r;
	struct vms_err e;

	assert_int_equal(parse(&r, "page_size=65536\n", &e), 0);
	assert_int_equal(r.page_size, 65536);
	assert_int_equal(r.page_shift, 16);
	assert_string_equal(r.arch, "unknown");
	assert_int_equal(r.addr_bits, 64);
	assert_true(r.pfn_visible); /* unless the collector said otherwise */
}

static void test_conf_arch_bits(void **state)
{
	static const struct { const char *arch; unsigned bits; } cases[] = {
		{ "armv7l", 32 }, { "armv6l", 32 }, { "i686", 32 },
		{ "mips", 32 }, { "riscv32", 32 }, { "x86_64", 64 },
		{ "aarch64", 64 }, { "riscv64", 64 }, { "mips64", 64 },
		{ "ppc64le", 64 }, { "s390x", 64 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct vms_root r;
		struct vms_err e;
		char text[64];

		snprintf(text, sizeof text, "page_size=4096\narch=%s\n",
			 cases[i].arch);
		assert_int_equal(parse(&r, text, &e), 0);
		if (r.addr_bits != cases[i].bits)
			fail_msg("%s: %u bits, want %u", cases[i].arch,
				 r.addr_bits, cases[i].bits);
		assert_int_equal(root_addr_width(&r), cases[i].bits == 32 ? 8 : 16);
	}
}

static void test_conf_bad_page_size(void **state)
{
	static const char *const bad[] = {
		"4095", "0", "", "abc", "4096k", "256", "2097152", "-4096",
		"12288",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct vms_root r;
		struct vms_err e;
		char text[96];

		snprintf(text, sizeof text, "arch=x86_64\n\npage_size=%s\n", bad[i]);
		if (parse(&r, text, &e) != -1)
			fail_msg("page_size=%s accepted", bad[i]);
		assert_int_equal(e.code, VMS_EFORMAT);
		assert_non_null(strstr(e.msg, "line 3"));
		assert_non_null(strstr(e.msg, "page_size"));
		assert_non_null(strstr(e.msg, "power of two"));
	}
}

static void test_conf_missing_page_size(void **state)
{
	struct vms_root r;
	struct vms_err e;

	assert_int_equal(parse(&r, "arch=x86_64\nhostname=h\n", &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	assert_non_null(strstr(e.msg, "no page_size"));
	assert_int_equal(parse(&r, "", &e), -1);
	assert_non_null(strstr(e.msg, "no page_size"));
}

static void test_conf_newer_format(void **state)
{
	struct vms_root r;
	struct vms_err e;

	assert_int_equal(parse(&r, "format=2\npage_size=4096\n", &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	assert_non_null(strstr(e.msg, "newer"));
	assert_non_null(strstr(e.msg, "newer vmscope"));
	assert_int_equal(parse(&r, "page_size=4096\nformat=0\n", &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	assert_null(strstr(e.msg, "is newer"));
}

static void test_conf_not_key_value(void **state)
{
	struct vms_root r;
	struct vms_err e;

	assert_int_equal(parse(&r, "page_size=4096\n# ok\njust words\n", &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	assert_non_null(strstr(e.msg, "line 3"));
	assert_non_null(strstr(e.msg, "KEY=VALUE"));
}

static void test_conf_long_values_cut(void **state)
{
	struct vms_root r;
	struct vms_err e;
	char text[512];

	snprintf(text, sizeof text, "page_size=4096\narch=%0200d\n", 7);
	assert_int_equal(parse(&r, text, &e), 0);
	assert_int_equal(strlen(r.arch), sizeof r.arch - 1);
}

/* ---- root_open on directories ---- */

static void test_open_missing_dir(void **state)
{
	struct vms_root r;
	struct vms_err e;

	err_clear(&e);
	assert_int_equal(root_open(&r, "/nonexistent/vmscope-root", &e), -1);
	assert_int_equal(e.code, ENOENT);
	assert_non_null(strstr(e.msg, "/nonexistent/vmscope-root"));
	assert_null(r.ops);
	root_close(&r); /* safe after a failure */
}

static void test_open_missing_conf(void **state)
{
	struct tmpdir t;
	struct vms_root r;
	struct vms_err e;

	tmp_make(&t);
	err_clear(&e);
	assert_int_equal(root_open(&r, t.path, &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	assert_non_null(strstr(e.msg, t.path));
	assert_non_null(strstr(e.msg, "not a vmscope snapshot"));
	assert_non_null(strstr(e.msg, ROOT_CONF_NAME));
	assert_null(r.ops);
	root_close(&r);
	tmp_remove(&t);
}

static void test_open_bad_page_size(void **state)
{
	struct tmpdir t;
	struct vms_root r;
	struct vms_err e;
	char want[128];

	tmp_make(&t);
	tmp_conf(&t, "format=1\npage_size=1000\n");
	assert_int_equal(root_open(&r, t.path, &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	snprintf(want, sizeof want, "snapshot '%s': ", t.path);
	assert_true(strncmp(e.msg, want, strlen(want)) == 0);
	assert_non_null(strstr(e.msg, "line 2"));
	assert_non_null(strstr(e.msg, "'1000'"));
	assert_null(r.ops);
	tmp_remove(&t);
}

static void test_open_newer_format(void **state)
{
	struct tmpdir t;
	struct vms_root r;
	struct vms_err e;

	tmp_make(&t);
	tmp_conf(&t, "format=9\npage_size=4096\narch=x86_64\n");
	assert_int_equal(root_open(&r, t.path, &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	assert_non_null(strstr(e.msg, t.path));
	assert_non_null(strstr(e.msg, "newer vmscope"));
	tmp_remove(&t);
}

static void test_open_snapshot(void **state)
{
	struct tmpdir t;
	struct vms_root r;
	struct vms_err e;
	char *buf, desc[512], big[100000];
	size_t len;

	tmp_make(&t);
	tmp_conf(&t, "format=1\npage_size=4096\narch=armv7l\n"
		     "kernel_release=5.10.0\nhostname=board\ntime=T1\n");
	assert_int_equal(mkdir(strcat(strcpy(desc, t.path), "/proc"), 0755), 0);
	tmp_write(&t, "proc/cmdline", "console=ttyS0\n", 14);
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	tmp_write(&t, "big", big, sizeof big);

	assert_int_equal(root_open(&r, t.path, &e), 0);
	assert_false(r.live);
	assert_int_equal(r.page_size, 4096);
	assert_int_equal(r.addr_bits, 32);
	assert_int_equal(root_addr_width(&r), 8);
	assert_string_equal(r.path, t.path);

	/* files come from the snapshot, leading '/' or not */
	assert_int_equal(root_read_text(&r, "/proc/cmdline", &buf, &len, &e), 0);
	assert_int_equal(len, 14);
	assert_string_equal(buf, "console=ttyS0\n");
	free(buf);
	assert_true(root_exists(&r, "proc/cmdline"));
	assert_true(root_exists(&r, ROOT_CONF_NAME));
	assert_false(root_exists(&r, "proc/self/maps"));

	/* bigger than the first buffer: read whole */
	assert_int_equal(root_read_text(&r, "big", &buf, &len, &e), 0);
	assert_int_equal(len, sizeof big);
	assert_memory_equal(buf, big, sizeof big);
	assert_int_equal(buf[len], '\0');
	free(buf);

	/* a missing file names its root-relative path */
	assert_null(root_fopen(&r, "proc/1/maps", &e));
	assert_int_equal(e.code, ENOENT);
	snprintf(desc, sizeof desc, "%s/proc/1/maps", t.path);
	assert_non_null(strstr(e.msg, desc));
	assert_int_equal(root_read_text(&r, "proc/1/maps", &buf, &len, &e), -1);
	assert_null(buf);

	root_describe(&r, desc, sizeof desc);
	assert_non_null(strstr(desc, t.path));
	assert_non_null(strstr(desc, "board"));
	assert_non_null(strstr(desc, "armv7l"));
	assert_non_null(strstr(desc, "5.10.0"));
	assert_non_null(strstr(desc, "T1"));
	root_close(&r);
	assert_null(r.ops);
	tmp_remove(&t);
}

/* ---- the live system ---- */

/* Whether pagemap shows this process a real PFN for a touched page. */
static int pagemap_shows_pfn(void)
{
	static volatile char page[65536];
	long ps = sysconf(_SC_PAGESIZE);
	uintptr_t a = (uintptr_t)&page[ps];
	uint64_t ent;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	page[ps] = 1;
	if (fd < 0)
		return -1;
	if (pread(fd, &ent, 8, (off_t)(a / (uintptr_t)ps * 8)) != 8) {
		close(fd);
		return -1;
	}
	close(fd);
	if (!(ent >> 63))
		return -1; /* not present: cannot tell */
	return (ent & ((1ULL << 55) - 1)) != 0;
}

static void test_open_live(void **state)
{
	struct vms_root r;
	struct vms_err e;
	struct utsname u;
	char *buf, desc[512];
	size_t len;
	int shows;

	assert_int_equal(uname(&u), 0);
	assert_int_equal(root_open(&r, NULL, &e), 0);
	assert_true(r.live);
	assert_int_equal(r.page_size, (unsigned)sysconf(_SC_PAGESIZE));
	assert_int_equal(1u << r.page_shift, r.page_size);
	assert_string_equal(r.arch, u.machine);
	assert_string_equal(r.release, u.release);
	assert_int_equal(r.addr_bits, sizeof(void *) * 8);
	assert_string_equal(r.taken, "");
	/* /proc files read as size 0 still come back whole */
	assert_int_equal(root_read_text(&r, "proc/self/status", &buf, &len, &e), 0);
	assert_true(len > 100);
	assert_int_equal(strlen(buf), len);
	assert_non_null(strstr(buf, "Name:\ttest_root"));
	free(buf);
	shows = pagemap_shows_pfn();
	if (shows >= 0)
		assert_int_equal(r.pfn_visible, shows);
	root_describe(&r, desc, sizeof desc);
	assert_true(strncmp(desc, "live: ", 6) == 0);
	assert_non_null(strstr(desc, u.release));
	root_close(&r);

	/* "/" and a path that resolves to it are live too */
	assert_int_equal(root_open(&r, "/", &e), 0);
	assert_true(r.live);
	root_close(&r);
	assert_int_equal(root_open(&r, "/tmp/..", &e), 0);
	assert_true(r.live);
	assert_string_equal(r.path, "/tmp/..");
	root_close(&r);
	assert_int_equal(root_open(&r, "", &e), 0);
	assert_true(r.live);
	root_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_full),
		cmocka_unit_test(test_conf_spacing_crlf_and_no_final_newline),
		cmocka_unit_test(test_conf_defaults),
		cmocka_unit_test(test_conf_arch_bits),
		cmocka_unit_test(test_conf_bad_page_size),
		cmocka_unit_test(test_conf_missing_page_size),
		cmocka_unit_test(test_conf_newer_format),
		cmocka_unit_test(test_conf_not_key_value),
		cmocka_unit_test(test_conf_long_values_cut),
		cmocka_unit_test(test_open_missing_dir),
		cmocka_unit_test(test_open_missing_conf),
		cmocka_unit_test(test_open_bad_page_size),
		cmocka_unit_test(test_open_newer_format),
		cmocka_unit_test(test_open_snapshot),
		cmocka_unit_test(test_open_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
