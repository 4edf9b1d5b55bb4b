/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for src/core/root_order.c: a root's byte order (conf
 * byte_order, the live machine's) and root_pread's conversion of the
 * 64-bit entries of pagemap and kpage* at any offset and length. */
#include <errno.h>
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
#include "vmscope/root.h"
#include "unit_files.h"

#define NENT 6

static const uint64_t values[NENT] = {
	UINT64_C(0x8100000000006c01), UINT64_C(0x40000000000038a0),
	UINT64_C(0x0102030405060708), 0,
	UINT64_C(0xa000000000001f00), UINT64_C(0xfedcba9876543210) };

struct tmpdir {
	char path[64];
};

static void put(const char *dir, const char *rel, const void *data,
		size_t len)
{
	unit_put(dir, rel, data, len);
}

/* The entries as a machine of the given order writes them. */
static void encode(unsigned char *out, bool big)
{
	size_t i, b;

	for (i = 0; i < NENT; i++)
		for (b = 0; b < 8; b++)
			out[i * 8 + (big ? 7 - b : b)] =
				(unsigned char)(values[i] >> (8 * b));
}

/* A snapshot directory whose conf line is order_line ("" for none),
 * with proc/1/pagemap, proc/kpageflags and a text file holding the
 * entries in file_big order. */
static void make_root(struct tmpdir *t, const char *order_line, bool file_big)
{
	unsigned char ent[NENT * 8];
	char conf[256], path[128];

	snprintf(t->path, sizeof t->path, "/tmp/vmscope-test-order.XXXXXX");
	assert_non_null(mkdtemp(t->path));
	snprintf(path, sizeof path, "%s/proc", t->path);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/proc/1", t->path);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(conf, sizeof conf, "format=1\npage_size=4096\narch=mips\n%s",
		 order_line);
	put(t->path, ROOT_CONF_NAME, conf, strlen(conf));
	encode(ent, file_big);
	put(t->path, "proc/1/pagemap", ent, sizeof ent);
	put(t->path, "proc/kpageflags", ent, sizeof ent);
	put(t->path, "proc/1/environ", ent, sizeof ent);
}

static void tmp_remove(struct tmpdir *t)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->path);
	assert_int_equal(system(cmd), 0);
}

/* The entries laid out in this machine's order. */
static void native(unsigned char *out)
{
	memcpy(out, values, sizeof values);
}

/* Every offset and length of rel read through r equals want's bytes. */
static void check_every_slice(const struct vms_root *r, const char *rel,
			      const unsigned char *want)
{
	struct vms_err e;
	struct root_file *f = root_fopen(r, rel, &e);
	unsigned char buf[NENT * 8 + 16];
	size_t off, len;

	assert_non_null(f);
	for (off = 0; off <= NENT * 8 + 3; off++)
		for (len = 0; len <= NENT * 8 + 8 - off; len++) {
			size_t expect = off >= NENT * 8 ? 0 :
				(off + len > NENT * 8 ? NENT * 8 - off : len);
			ssize_t got;

			memset(buf, 0xee, sizeof buf);
			got = root_pread(f, buf, len, off, &e);
			assert_int_equal(got, (ssize_t)expect);
			assert_memory_equal(buf, want + off, expect);
		}
	root_fclose(f);
}

static void open_and_check(const char *order_line, bool file_big)
{
	struct tmpdir t;
	struct vms_root r;
	struct vms_err e;
	unsigned char want[NENT * 8], raw[NENT * 8];

	make_root(&t, order_line, file_big);
	assert_int_equal(root_open(&r, t.path, &e), 0);
	assert_int_equal(r.big_endian, file_big);
	native(want);
	check_every_slice(&r, "proc/1/pagemap", want);
	check_every_slice(&r, "/proc/kpageflags", want);
	/* any other file is read as it is */
	encode(raw, file_big);
	check_every_slice(&r, "proc/1/environ", raw);
	root_close(&r);
	tmp_remove(&t);
}

static void test_big_endian_snapshot(void **state)
{
	open_and_check("byte_order=big\n", true);
}

static void test_little_endian_snapshot(void **state)
{
	open_and_check("byte_order=little\n", false);
}

static void test_no_byte_order_is_little(void **state)
{
	open_and_check("", false);
}

static void test_bad_byte_order(void **state)
{
	struct vms_root r;
	struct vms_err e;
	const char *conf = "page_size=4096\nbyte_order=middle\x1b[2J\n";

	memset(&r, 0, sizeof r);
	err_clear(&e);
	assert_int_equal(root_parse_conf(&r, conf, strlen(conf), &e), -1);
	assert_non_null(strstr(e.msg, "line 2: byte_order 'middle"));
	assert_non_null(strstr(e.msg, "is neither 'little' nor 'big'"));
	assert_null(strchr(e.msg, '\x1b'));
}

static void test_live_is_host(void **state)
{
	struct vms_root r;
	struct vms_err e;
	const uint16_t one = 1;

	assert_int_equal(root_open(&r, "/", &e), 0);
	assert_int_equal(r.big_endian, *(const unsigned char *)&one == 0);
	assert_int_equal(root_host_big_endian(), r.big_endian);
	root_close(&r);
}

static void test_entry_files(void **state)
{
	assert_true(root_is_entry_file("proc/1234/pagemap"));
	assert_true(root_is_entry_file("/proc/self/pagemap"));
	assert_true(root_is_entry_file("proc/12/task/13/pagemap"));
	assert_true(root_is_entry_file("proc/kpageflags"));
	assert_true(root_is_entry_file("proc/kpagecount"));
	assert_true(root_is_entry_file("proc/kpagecgroup"));
	assert_false(root_is_entry_file("proc/pagemap"));
	assert_false(root_is_entry_file("proc/1234/maps"));
	assert_false(root_is_entry_file("proc/1234/pagemapx"));
	assert_false(root_is_entry_file("sys/pagemap"));
	assert_false(root_is_entry_file("proc/kpageflags.txt"));
	assert_false(root_is_entry_file("boot.log"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_big_endian_snapshot),
		cmocka_unit_test(test_little_endian_snapshot),
		cmocka_unit_test(test_no_byte_order_is_little),
		cmocka_unit_test(test_bad_byte_order),
		cmocka_unit_test(test_live_is_host),
		cmocka_unit_test(test_entry_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
