/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_read_each: windows of 1, 2, 3, 7 and 4096 VMAs hand on the same
 * VMAs, in order, as one vmas_read_fields gives (names, kinds, Rss,
 * VmFlags, the deleted mark, the class of a [vsyscall] above the end of
 * pagemap, and where pagemap ends); the callback owns the names it was
 * given; a VMA below the end of one handed on in an earlier window is
 * refused as it is within one; an error of the callback stops the read;
 * nothing leaks (the sanitizer and valgrind runs). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "vmscope/root.h"
#include "vmscope/vmas.h"
#include "unit_files.h"

#define NV 20

static char dir[] = "/tmp/vmscope-test-each.XXXXXX";

static void write_file(const char *rel, const void *data, size_t len)
{
	unit_put(dir, rel, data, len);
}

/* smaps of NV VMAs (names in runs, one deleted, [vsyscall] last; swap:
 * the 12th starts below the end of the 11th) and a pagemap that ends at
 * page 0x30. */
static void write_root(bool overlap)
{
	char *t = malloc(1 << 16);
	size_t n = 0;
	static uint64_t pm[0x30];

	assert_non_null(t);
	for (int i = 0; i < NV - 1; i++) {
		unsigned s = 0x10000 + 0x2000 * i - (overlap && i == 11 ? 0x2000 : 0);

		n += (size_t)sprintf(t + n, "%08x-%08x %s 00000000 08:01 %d %s\n",
				     s, 0x10000 + 0x2000 * i + 0x1000,
				     i % 2 ? "rw-p" : "r-xp", i / 4 + 1,
				     i == 5 ? "/lib/gone.so (deleted)" :
				     i < 8 ? "/lib/a.so" : i < 14 ? "" : "/lib/b.so");
		n += (size_t)sprintf(t + n, "%-16s%8d kB\n%-16s%8d kB\n", "Size:", 4,
				     "Rss:", 4 * (i % 2));
		n += (size_t)sprintf(t + n, "VmFlags: rd %s\n", i % 2 ? "wr " : "ex ");
	}
	n += (size_t)sprintf(t + n, "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n"
			     "%-16s%8d kB\n%-16s%8d kB\nVmFlags: ex \n", "Size:", 4, "Rss:", 0);
	write_file("proc/9/smaps", t, n);
	memset(pm, 0, sizeof pm);
	write_file("proc/9/pagemap", pm, sizeof pm);
	free(t);
}

struct got {
	struct vma v[NV];
	char *names[NV];
	size_t n, windows;
	int fail_at;           /* fail in this window (1-based), 0 never */
};

static int take(void *ctx, struct vma_list *w, struct vms_err *e)
{
	struct got *g = ctx;

	assert_non_null(w);
	g->windows++;
	for (size_t i = 0; i < w->n; i++) {
		assert_true(g->n < NV);
		g->v[g->n] = w->v[i];
		g->names[g->n] = strdup(w->v[i].name);
		g->v[g->n].name = g->names[g->n];
		g->n++;
	}
	/* ours now: copies kept, the names freed where they are owned (a
	 * run shares its first VMA's) */
	for (size_t i = 0; i < w->n; i++)
		if (!w->v[i].name_shared)
			free(w->v[i].name);
	if (g->fail_at && (int)g->windows == g->fail_at) {
		err_set(e, EIO, "stopped by the test");
		return -1;
	}
	return 0;
}

static void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->names[i]);
}

static void test_windows(void **state)
{
	static const size_t windows[] = { 1, 2, 3, 7, 4096 };
	struct vms_root r;
	struct vms_err e;
	struct vma_list all, out;

	(void)state;
	write_root(false);
	assert_int_equal(root_open(&r, dir, &e), 0);
	assert_int_equal(vmas_read_fields(&r, 9, UINT64_C(1) << SMAPS_RSS,
					  &all, &e), 0);
	assert_int_equal(vmas_pagemap_end(&r, &all, &e), 0);
	assert_int_equal(all.n, NV);
	for (size_t k = 0; k < sizeof windows / sizeof windows[0]; k++) {
		struct got g = { .n = 0 };

		assert_int_equal(vmas_read_each(&r, 9, UINT64_C(1) << SMAPS_RSS,
						windows[k], take, &g, &out, &e), 0);
		assert_int_equal(out.n, 0);
		assert_int_equal(g.n, NV);
		assert_int_equal(g.windows, (NV + windows[k] - 1) / windows[k]);
		assert_int_equal(out.addr_width, all.addr_width);
		assert_int_equal(out.pagemap_end, all.pagemap_end);
		for (size_t i = 0; i < NV; i++) {
			const struct vma *a = &all.v[i], *b = &g.v[i];

			assert_int_equal(b->start, a->start);
			assert_int_equal(b->end, a->end);
			assert_string_equal(b->name, a->name);
			assert_int_equal(b->deleted, a->deleted);
			assert_int_equal(b->kind, a->kind);
			assert_int_equal(b->above_pagemap, a->above_pagemap);
			assert_int_equal(vma_smaps(b, SMAPS_RSS), vma_smaps(a, SMAPS_RSS));
			assert_string_equal(b->vmflags_text, a->vmflags_text);
		}
		got_free(&g);
		vmas_free(&out);
	}
	assert_true(all.pagemap_end == 0x30 * 4096);
	assert_true(all.v[NV - 1].above_pagemap);
	vmas_free(&all);
	root_close(&r);
}

static void test_overlap_and_stop(void **state)
{
	struct vms_root r;
	struct vms_err e;
	struct vma_list out;
	struct got g = { .n = 0 };

	(void)state;
	/* the 12th VMA below the end of the 11th, in another window */
	write_root(true);
	assert_int_equal(root_open(&r, dir, &e), 0);
	assert_int_equal(vmas_read_each(&r, 9, UINT64_C(1) << SMAPS_RSS, 11,
					take, &g, &out, &e), -1);
	if (!strstr(e.msg, "starts below the end of the one before it"))
		fail_msg("%s", e.msg);
	got_free(&g);
	root_close(&r);
	/* the callback's error stops the read */
	write_root(false);
	assert_int_equal(root_open(&r, dir, &e), 0);
	memset(&g, 0, sizeof g);
	g.fail_at = 2;
	assert_int_equal(vmas_read_each(&r, 9, UINT64_C(1) << SMAPS_RSS, 3,
					take, &g, &out, &e), -1);
	assert_non_null(strstr(e.msg, "stopped by the test"));
	assert_int_equal(g.windows, 2);
	got_free(&g);
	root_close(&r);
}

static int setup(void **state)
{
	char path[256];
	FILE *f;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/vmscope-snapshot.conf", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("format=1\npage_size=4096\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/proc", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/proc/9", dir);
	return mkdir(path, 0755);
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_overlap_and_stop),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
