/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_pool: a list rereads a process whose smaps figures change at
 * every read (a live process's RSS): each read gives the new figures,
 * and the pool keeps what the VMAs point to, not every value ever
 * read. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/root.h"
#include "vmscope/vmas.h"
#include "../../src/core/vmas_int.h"

#define NVMAS 8

static void write_smaps(const char *dir, unsigned round)
{
	char path[4096];
	FILE *f;
	unsigned i;

	snprintf(path, sizeof path, "%s/proc/7/smaps", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	for (i = 0; i < NVMAS; i++)
		fprintf(f, "%08x-%08x rw-p 00000000 00:00 0\n"
			"Rss: %u kB\nVmFlags: rd wr mr mw me ac%s\n",
			0x10000 + i * 0x2000, 0x11000 + i * 0x2000,
			round * NVMAS + i, round % 2 ? " lo" : "");
	fclose(f);
}

static void test_pool_stays_small(void **state)
{
	char dir[] = "/tmp/vmscope-test-pool.XXXXXX", path[4096];
	struct vms_root r;
	struct vma_list l;
	struct vms_err e;
	unsigned round, i;
	char cmd[128];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/vmscope-snapshot.conf", dir);
	{
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs("format=1\npage_size=4096\n", f);
		fclose(f);
	}
	snprintf(path, sizeof path, "%s/proc", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/proc/7", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	write_smaps(dir, 0);
	assert_int_equal(root_open(&r, dir, &e), 0);
	assert_int_equal(vmas_read(&r, 7, true, &l, &e), 0);
	assert_int_equal(l.n, NVMAS);
	for (round = 1; round < 400; round++) {
		write_smaps(dir, round);
		assert_int_equal(vmas_reread(&r, 7, true, &l, &e), 1);
		for (i = 0; i < NVMAS; i++) {
			assert_int_equal(l.v[i].smaps[SMAPS_RSS], round * NVMAS + i);
			assert_string_equal(l.v[i].vmflags_text, round % 2 ?
				"rd wr mr mw me ac lo" : "rd wr mr mw me ac");
		}
		/* 400 rounds of 8 new blocks: never more than the bound */
		assert_true(vmas_pool_size(l.pool) <= 2 * NVMAS + 256 + 2 * NVMAS + 2);
	}
	vmas_free(&l);
	root_close(&r);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_stays_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
