/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procview: the open process's one VMA list through refreshes: updated
 * in place while the layout holds (the generation stays), read anew
 * when it moves (the generation bumps, and the layout digest that
 * replaced the comparison of two lists tells a name, a VMA more or one
 * fewer). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "ui/procview.c"

static char dir[] = "/tmp/vmscope-test-procview.XXXXXX";

static void vma_text(char *buf, size_t n, const char *range,
		     const char *name, unsigned rss_kb)
{
	snprintf(buf, n,
		 "%s rw-p 00000000 00:00 0 %s\n"
		 "Size:                  8 kB\n"
		 "Rss:                 %3u kB\n"
		 "Pss:                 %3u kB\n"
		 "VmFlags: rd wr mr mw me ac\n",
		 range, name, rss_kb, rss_kb);
}

/* proc/7/smaps: three VMAs, a fourth when more; the second's name and
 * the third's RSS as given. */
static void put_smaps(const char *name2, unsigned rss3, bool more)
{
	char path[4096], a[256], b[256], c[256], d[256];
	FILE *f;

	vma_text(a, sizeof a, "10000-12000", "", 4);
	vma_text(b, sizeof b, "12000-14000", name2, 8);
	vma_text(c, sizeof c, "20000-22000", "", rss3);
	vma_text(d, sizeof d, "30000-32000", "[stack]", 4);
	snprintf(path, sizeof path, "%s/proc/7/smaps", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s%s%s%s", a, b, c, more ? d : "");
	fclose(f);
}

static void test_refreshes(void **state)
{
	struct procview pv;
	struct vms_root r;
	struct vms_err e;
	char cmd[4200], path[4096];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof cmd, "mkdir -p %s/proc/7", dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof path, "%s/vmscope-snapshot.conf", dir);
	{
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs("format=1\npage_size=4096\narch=x86_64\nkernel_release=6.1.0\n", f);
		fclose(f);
	}
	put_smaps("[heap]", 4, false);
	assert_int_equal(root_open(&r, dir, &e), 0);
	assert_int_equal(procview_open(&pv, &r, 7, "t", &e), 0);
	assert_int_equal(pv.vmas.n, 3);
	assert_int_equal(pv.gen, 1);

	/* nothing moved */
	assert_int_equal(procview_refresh(&pv, true, &e), 0);
	assert_int_equal(pv.gen, 1);
	/* RSS alone: in place, the same generation */
	put_smaps("[heap]", 8, false);
	assert_int_equal(procview_refresh(&pv, true, &e), 0);
	assert_int_equal(pv.gen, 1);
	assert_int_equal(vma_smaps(&pv.vmas.v[2], SMAPS_RSS), 8);
	/* one more VMA: a new list, a new generation */
	put_smaps("[heap]", 8, true);
	assert_int_equal(procview_refresh(&pv, true, &e), 1);
	assert_int_equal(pv.gen, 2);
	assert_int_equal(pv.vmas.n, 4);
	/* a name alone moves the layout too */
	put_smaps("/lib/x.so", 8, true);
	assert_int_equal(procview_refresh(&pv, true, &e), 1);
	assert_int_equal(pv.gen, 3);
	assert_string_equal(pv.vmas.v[1].name, "/lib/x.so");

	/* back to three: the fourth is gone from the list */
	put_smaps("/lib/x.so", 8, false);
	assert_int_equal(procview_refresh(&pv, true, &e), 1);
	assert_int_equal(pv.gen, 4);
	assert_int_equal(pv.vmas.n, 3);
	assert_int_equal(pv.vmas.v[2].start, 0x20000);
	/* smaps unreadable: an error, the list as it was */
	snprintf(path, sizeof path, "%s/proc/7/smaps", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(procview_refresh(&pv, true, &e), -1);
	assert_int_equal(pv.vmas.n, 3);
	assert_int_equal(pv.gen, 4);

	procview_close(&pv);
	root_close(&r);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refreshes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
