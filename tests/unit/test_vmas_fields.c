/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_read_fields: smaps in the kernel's own 27-byte field lines, read
 * keeping Rss alone, gives what vmas_read gives for Rss and VmFlags
 * (three VmFlags texts in turn), 0 for the rest, and the same error for
 * a field line that is not the kernel's form. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "vmscope/root.h"
#include "vmscope/vmas.h"

static const char *const flags[3] = {
	"rd mr mw me ac", "rd wr mr mw me ac", "rd ex mr mw me",
};

static void write_smaps(const char *path, const char *bad)
{
	FILE *f = fopen(path, "w");
	int i;

	assert_non_null(f);
	for (i = 0; i < 9; i++) {
		fprintf(f, "%08x-%08x rw-p 00000000 00:00 0 \n",
			0x10000 + 0x2000 * i, 0x11000 + 0x2000 * i);
		fprintf(f, "%-16s%8d kB\n", "Size:", 4);
		fprintf(f, "%-16s%8d kB\n", "Rss:", 4 * i);
		if (i == 4 && bad)
			fputs(bad, f);
		fprintf(f, "%-16s%8d kB\n", "Swap:", 1000 + i);
		fprintf(f, "%-16s%8d\n", "THPeligible:", 0);
		fprintf(f, "VmFlags: %s \n", flags[i % 3]);
	}
	fclose(f);
}

static void test_fields_kept(void **state)
{
	char dir[] = "/tmp/vmscope-test-fields.XXXXXX", path[128], cmd[160];
	struct vms_root r;
	struct vma_list all, some;
	struct vms_err e, e2;
	size_t i;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/vmscope-snapshot.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("format=1\npage_size=4096\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/proc", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/proc/9", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/proc/9/smaps", dir);
	write_smaps(path, NULL);
	assert_int_equal(root_open(&r, dir, &e), 0);
	assert_int_equal(vmas_read(&r, 9, true, &all, &e), 0);
	assert_int_equal(vmas_read_fields(&r, 9, UINT64_C(1) << SMAPS_RSS,
					  &some, &e), 0);
	assert_int_equal(some.n, 9);
	for (i = 0; i < 9; i++) {
		assert_true(all.v[i].smaps[SMAPS_SWAP] == 1000 + i);
		assert_true(some.v[i].smaps[SMAPS_SWAP] == 0);
		assert_true(some.v[i].smaps[SMAPS_SIZE] == 0);
		assert_true(some.v[i].smaps[SMAPS_RSS] == 4 * i);
		assert_true(all.v[i].smaps[SMAPS_RSS] == 4 * i);
		assert_string_equal(some.v[i].vmflags_text, flags[i % 3]);
		assert_true(some.v[i].vmflags == all.v[i].vmflags);
		assert_int_equal(vma_has_flag(&some.v[i], VMF_EX), i % 3 == 2);
		assert_int_equal(vma_has_flag(&some.v[i], VMF_WR), i % 3 == 1);
		assert_true(some.v[i].has_smaps);
	}
	vmas_free(&all);
	vmas_free(&some);
	/* a skipped field not in the kernel's form: the same error */
	write_smaps(path, "Pss:            x4 kB\n");
	assert_int_equal(vmas_read(&r, 9, true, &all, &e), -1);
	assert_int_equal(vmas_read_fields(&r, 9, UINT64_C(1) << SMAPS_RSS,
					  &some, &e2), -1);
	assert_string_equal(e.msg, e2.msg);
	root_close(&r);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
