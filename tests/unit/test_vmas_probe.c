/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_probe: VMAs above the end of pagemap, character devices mapped
 * where smaps has no VmFlags, and where pagemap ends. */
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
#include "vmscope/snapshot.h"
#include "vmscope/vmas.h"

static void put(const char *dir, const char *rel, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void sized(const char *dir, const char *rel, off_t size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), size), 0);
	fclose(f);
}

static struct vma chr(const char *name, unsigned maj, unsigned min,
		      uint64_t rss_kb, const char *vmflags)
{
	static char buf[8][64], flags[8][96];
	static uint64_t sm[8][SMAPS__COUNT];
	static int k;
	struct vma v;

	memset(&v, 0, sizeof v);
	snprintf(buf[k], sizeof buf[k], "%s", name);
	v.name = buf[k];
	snprintf(flags[k], sizeof flags[k], "%s", vmflags);
	v.vmflags_text = flags[k];
	sm[k][SMAPS_RSS] = rss_kb;
	v.smaps = sm[k];
	k = (k + 1) % 8;
	memcpy(v.perms, "rw-s", 5);
	v.start = 0x40000000;
	v.end = 0x40001000;
	v.inode = 1000;
	v.has_smaps = true;
	v.chardev = true;
	v.chr_major = maj;
	v.chr_minor = min;
	vma_classify(&v);
	return v;
}

static void test_chardev_rules(void **state)
{
	struct vma v;

	(void)state;
	v = chr("/dev/fb0", 29, 0, 0, "");
	assert_int_equal(v.kind, VMA_KIND_CHARDEV);
	assert_true(vma_is_gap(&v));
	/* /dev/zero maps anonymous memory */
	v = chr("/dev/zero", 1, 5, 0, "");
	assert_int_equal(v.kind, VMA_KIND_SHMEM);
	assert_false(vma_is_gap(&v));
	/* a /dev/mem node by another name: its offset is physical */
	v = chr("/dev/physmem", 1, 1, 0, "");
	assert_int_equal(v.kind, VMA_KIND_DEVMEM);
	assert_true(vma_is_gap(&v));
	/* resident pages are pages with a struct page: not device memory */
	v = chr("/dev/snd/pcmC0D0p", 116, 16, 16, "");
	assert_int_equal(v.kind, VMA_KIND_FILE);
	assert_false(vma_is_gap(&v));
	/* VmFlags stay the authority where the kernel gave them */
	v = chr("/dev/dri/card0", 226, 0, 0, "rd wr sh mr mw me ms");
	assert_int_equal(v.kind, VMA_KIND_FILE);
	assert_false(vma_is_gap(&v));
	assert_string_equal(vma_kind_name(VMA_KIND_CHARDEV), "chardev");
}

static void test_above_pagemap_is_gap(void **state)
{
	struct vma v;

	(void)state;
	memset(&v, 0, sizeof v);
	v.name = (char *)"[vectors]";
	memcpy(v.perms, "r-xp", 5);
	v.has_smaps = true;
	v.vmflags_text = "rd ex mr me";
	vma_classify(&v);
	assert_false(vma_is_gap(&v));
	v.above_pagemap = true;
	assert_true(vma_is_gap(&v));
}

static const char maps[] =
	"00010000-00012000 r-xp 00000000 b3:02 131081     /usr/bin/app\n"
	"40000000-40100000 rw-s 00000000 00:05 1057       /dev/fb0\n"
	"40100000-40101000 rw-p 00000000 00:05 1026       /dev/zero\n"
	"40101000-40102000 rw-s 00000000 00:04 4711       /dev/zero (deleted)\n"
	"40102000-40103000 rw-s 00000000 00:05 2222       /dev/renamed\n"
	"be800000-be821000 rw-p 00000000 00:00 0          [stack]\n"
	"ffff0000-ffff1000 r-xp 00000000 00:00 0          [vectors]\n";

static void test_read_probes(void **state)
{
	char dir[] = "/tmp/vmscope-test-probe.XXXXXX";
	struct vms_root r;
	struct vma_list l;
	struct vms_err e;
	char cmd[128];

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "vmscope-snapshot.conf",
	    "format=1\npage_size=4096\narch=armv7l\nkernel_release=3.0.35\n");
	put(dir, ROOT_STAT_NAME,
	    "20660 1057 5 7424 0 dev/fb0\n"
	    "20666 1026 5 261 0 dev/zero\n"
	    "20660 3333 5 7425 0 dev/renamed\n");
	snprintf(cmd, sizeof cmd, "mkdir -p %s/proc/7", dir);
	assert_int_equal(system(cmd), 0);
	put(dir, "proc/7/maps", maps);
	/* the end of pagemap: TASK_SIZE 0xbf000000 */
	sized(dir, "proc/7/pagemap", 0xbf000 * 8);
	assert_int_equal(root_open(&r, dir, &e), 0);
	assert_int_equal(vmas_read(&r, 7, false, &l, &e), 0);
	assert_int_equal(l.n, 7);
	assert_int_equal(l.v[1].kind, VMA_KIND_CHARDEV);
	assert_int_equal(l.v[1].chr_major, 29);
	assert_int_equal(l.v[1].chr_minor, 0);
	assert_int_equal(l.v[2].kind, VMA_KIND_SHMEM);   /* /dev/zero */
	assert_false(l.v[3].chardev);                     /* deleted */
	assert_false(l.v[4].chardev);                     /* another inode */
	assert_false(l.v[5].above_pagemap);               /* [stack] */
	assert_true(l.v[6].above_pagemap);                /* [vectors] */
	assert_true(vma_is_gap(&l.v[6]));
	assert_int_equal(l.pagemap_end, 0);
	assert_int_equal(vmas_pagemap_end(&r, &l, &e), 0);
	assert_int_equal(l.pagemap_end, 0xbf000000);
	vmas_free(&l);

	/* pagemap ending below the stack (a truncated snapshot): the stack
	 * is no kernel mapping, so it is not called "above the end" */
	sized(dir, "proc/7/pagemap", 0x20 * 8);
	assert_int_equal(vmas_read(&r, 7, false, &l, &e), 0);
	assert_false(l.v[5].above_pagemap);
	assert_true(l.v[6].above_pagemap);
	vmas_free(&l);
	root_close(&r);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chardev_rules),
		cmocka_unit_test(test_above_pagemap_is_gap),
		cmocka_unit_test(test_read_probes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
