/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for src/core/vmas.c: maps/smaps parsing, classification,
 * lookups, holes, errors, and a live read of this process. */
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
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "vmscope/escape.h"
#include "vmscope/vmas.h"

/* ---- helpers ---- */

static int parse_str(const char *s, struct vma_list *l, struct vms_err *e)
{
	memset(l, 0, sizeof *l);
	err_clear(e);
	return vmas_parse(s, strlen(s), l, e);
}

/* Parse from an exact-size heap copy, so ASan catches any read past len. */
static int parse_exact(const char *s, size_t len, struct vma_list *l,
		       struct vms_err *e)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, s, len);
	memset(l, 0, sizeof *l);
	err_clear(e);
	rc = vmas_parse(copy, len, l, e);
	free(copy);
	return rc;
}

static const struct vma *by_name(const struct vma_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

static void write_file(const char *dir, const char *rel, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void make_dir(const char *dir, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

/* ---- real text from an x86_64 machine (kernel 6.18) ---- */

#define SMAPS_ZERO_TAIL \
	"KSM:                   0 kB\n" \
	"LazyFree:              0 kB\n" \
	"AnonHugePages:         0 kB\n" \
	"ShmemPmdMapped:        0 kB\n" \
	"FilePmdMapped:         0 kB\n" \
	"Shared_Hugetlb:        0 kB\n" \
	"Private_Hugetlb:       0 kB\n" \
	"Swap:                  0 kB\n" \
	"SwapPss:               0 kB\n" \
	"Locked:                0 kB\n" \
	"THPeligible:           0\n"

static const char x86_smaps[] =
	"5628b08b8000-5628b08bd000 r-xp 00002000 fe:00 247134                     /usr/bin/cat\n"
	"Size:                 20 kB\n"
	"KernelPageSize:        4 kB\n"
	"MMUPageSize:           4 kB\n"
	"Rss:                  20 kB\n"
	"Pss:                  20 kB\n"
	"Pss_Dirty:             0 kB\n"
	"Shared_Clean:          0 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Clean:        20 kB\n"
	"Private_Dirty:         0 kB\n"
	"Referenced:           20 kB\n"
	"Anonymous:             0 kB\n"
	SMAPS_ZERO_TAIL
	"VmFlags: rd ex mr mw me \n"
	"55a5dee14000-55a5dee57000 rw-p 00000000 00:00 0                          [heap]\n"
	"Size:                268 kB\n"
	"KernelPageSize:        4 kB\n"
	"MMUPageSize:           4 kB\n"
	"Rss:                  52 kB\n"
	"Pss:                  52 kB\n"
	"Pss_Dirty:            52 kB\n"
	"Shared_Clean:          0 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Clean:         0 kB\n"
	"Private_Dirty:        52 kB\n"
	"Referenced:           52 kB\n"
	"Anonymous:            52 kB\n"
	SMAPS_ZERO_TAIL
	"VmFlags: rd wr mr mw me ac \n"
	"7f7db6330000-7f7db6352000 rw-p 00000000 00:00 0 \n"
	"Size:                136 kB\n"
	"Rss:                   8 kB\n"
	"VmFlags: rd wr mr mw me ac \n"
	"7f471be0f000-7f471be13000 r--p 00000000 00:00 0                          [vvar]\n"
	"Size:                 16 kB\n"
	"KernelPageSize:        4 kB\n"
	"MMUPageSize:           4 kB\n"
	"Rss:                   0 kB\n"
	SMAPS_ZERO_TAIL
	"VmFlags: rd mr pf io de dd \n"
	"7f471be13000-7f471be15000 r--p 00000000 00:00 0                          [vvar_vclock]\n"
	"Size:                  8 kB\n"
	"VmFlags: rd mr pf io de dd \n"
	"7f471be15000-7f471be17000 r-xp 00000000 00:00 0                          [vdso]\n"
	"Size:                  8 kB\n"
	"VmFlags: rd ex mr mw me de sd \n"
	"7ffca3ea5000-7ffca3ec6000 rw-p 00000000 00:00 0                          [stack]\n"
	"Size:                132 kB\n"
	"Rss:                  16 kB\n"
	"VmFlags: rd wr mr mw me gd ac \n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n"
	"Size:                  4 kB\n"
	"VmFlags: ex \n";

static void test_parse_real_smaps(void **state)
{
	struct vma_list l;
	struct vms_err e;
	const struct vma *v;

	assert_int_equal(parse_str(x86_smaps, &l, &e), 0);
	assert_int_equal(l.n, 8);
	assert_int_equal(l.addr_width, 16);

	v = &l.v[0];
	assert_true(v->start == 0x5628b08b8000ULL);
	assert_true(v->end == 0x5628b08bd000ULL);
	assert_string_equal(v->perms, "r-xp");
	assert_true(v->offset == 0x2000);
	assert_int_equal(v->dev_major, 0xfe);
	assert_int_equal(v->dev_minor, 0);
	assert_true(v->inode == 247134);
	assert_string_equal(v->name, "/usr/bin/cat");
	assert_false(v->deleted);
	assert_int_equal(v->kind, VMA_KIND_FILE);
	assert_true(v->has_smaps);
	assert_true(v->smaps[SMAPS_SIZE] == 20);
	assert_true(v->smaps[SMAPS_RSS] == 20);
	assert_true(v->smaps[SMAPS_PRIVATE_CLEAN] == 20);
	assert_true(v->smaps[SMAPS_KERNEL_PAGE_SIZE] == 4);
	assert_string_equal(v->vmflags_text, "rd ex mr mw me");
	assert_true(vma_has_flag(v, VMF_RD));
	assert_true(vma_has_flag(v, VMF_EX));
	assert_false(vma_has_flag(v, VMF_WR));
	assert_false(vma_is_gap(v));

	v = &l.v[1];
	assert_string_equal(v->name, "[heap]");
	assert_int_equal(v->kind, VMA_KIND_HEAP);
	assert_true(v->smaps[SMAPS_SIZE] == 268);
	assert_true(v->smaps[SMAPS_PSS_DIRTY] == 52);
	assert_true(v->smaps[SMAPS_PRIVATE_DIRTY] == 52);
	assert_true(v->smaps[SMAPS_ANONYMOUS] == 52);
	assert_true(v->smaps[SMAPS_THP_ELIGIBLE] == 0);
	assert_true(v->vmflags == ((1ULL << VMF_RD) | (1ULL << VMF_WR) |
				   (1ULL << VMF_MR) | (1ULL << VMF_MW) |
				   (1ULL << VMF_ME) | (1ULL << VMF_AC)));

	v = &l.v[2]; /* "0 " then nothing: anonymous */
	assert_string_equal(v->name, "");
	assert_int_equal(v->kind, VMA_KIND_ANON);
	assert_true(v->smaps[SMAPS_SIZE] == 136);

	v = &l.v[3];
	assert_string_equal(v->name, "[vvar]");
	assert_int_equal(v->kind, VMA_KIND_VVAR);
	assert_true(vma_has_flag(v, VMF_PF));
	assert_true(vma_has_flag(v, VMF_IO));
	assert_true(vma_has_flag(v, VMF_DD));
	assert_true(vma_is_gap(v));
	assert_int_equal(l.v[4].kind, VMA_KIND_VVAR);
	assert_true(vma_is_gap(&l.v[4]));
	assert_int_equal(l.v[5].kind, VMA_KIND_VDSO);
	assert_false(vma_is_gap(&l.v[5]));

	v = &l.v[6];
	assert_int_equal(v->kind, VMA_KIND_STACK);
	assert_true(vma_has_flag(v, VMF_GD));
	assert_true(v->smaps[SMAPS_RSS] == 16);

	v = &l.v[7];
	assert_true(v->start == 0xffffffffff600000ULL);
	assert_true(v->end == 0xffffffffff601000ULL);
	assert_string_equal(v->perms, "--xp");
	assert_int_equal(v->kind, VMA_KIND_VSYSCALL);
	assert_string_equal(v->vmflags_text, "ex");
	vmas_free(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
}

static const char x86_maps[] =
	"5628b08b6000-5628b08b8000 r--p 00000000 fe:00 247134                     /usr/bin/cat\n"
	"5628b2914000-5628b2935000 rw-p 00000000 00:00 0                          [heap]\n"
	"7f7db6330000-7f7db6352000 rw-p 00000000 00:00 0 \n"
	"7f7db63ad000-7f7db63ae000 r--p 00000000 fe:00 320479                     /usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES\n"
	"7f7db652f000-7f7db6582000 r--p 0017c000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f7db6598000-7f7db659f000 r--s 00000000 fe:00 332280                     /usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache\n"
	"7f7db65a2000-7f7db65a6000 r--p 00000000 00:00 0                          [vvar]\n"
	"7ffca3ea5000-7ffca3ec6000 rw-p 00000000 00:00 0                          [stack]\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";

static void test_parse_real_maps(void **state)
{
	struct vma_list l;
	struct vms_err e;
	const struct vma *v;

	assert_int_equal(parse_str(x86_maps, &l, &e), 0);
	assert_int_equal(l.n, 9);
	assert_int_equal(l.addr_width, 16);
	for (size_t i = 0; i < l.n; i++) {
		assert_false(l.v[i].has_smaps);
		assert_string_equal(l.v[i].vmflags_text, "");
		assert_true(l.v[i].vmflags == 0);
	}
	v = &l.v[4];
	assert_string_equal(v->name, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_true(v->offset == 0x17c000);
	assert_true(v->inode == 332835);
	assert_int_equal(v->kind, VMA_KIND_FILE);
	v = by_name(&l, "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache");
	assert_non_null(v);
	assert_string_equal(v->perms, "r--s");
	assert_int_equal(v->kind, VMA_KIND_FILE); /* shared, but a file */
	v = by_name(&l, "[vvar]");
	assert_non_null(v);
	assert_int_equal(v->kind, VMA_KIND_VVAR);
	assert_true(vma_is_gap(v)); /* from the kind: no VmFlags in maps */
	assert_int_equal(l.v[2].kind, VMA_KIND_ANON);
	assert_false(vma_is_gap(&l.v[2]));
	assert_int_equal(l.v[7].kind, VMA_KIND_STACK);
	assert_int_equal(l.v[8].kind, VMA_KIND_VSYSCALL);
	vmas_free(&l);
}

/* A non-PIE 64-bit program: the first line has only 8 digits (%08lx),
 * the width still comes out as 16. */
static void test_addr_width_non_pie(void **state)
{
	struct vma_list l;
	struct vms_err e;

	assert_int_equal(parse_str(
		"00400000-00401000 r--p 00000000 fe:00 1234                       /usr/local/bin/static\n"
		"7ffd1c2d3000-7ffd1c2f4000 rw-p 00000000 00:00 0                          [stack]\n",
		&l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_true(l.v[0].start == 0x400000);
	assert_int_equal(l.addr_width, 16);
	vmas_free(&l);
}

/* ---- 32-bit ARM board ---- */

static const char arm_maps[] =
	"00013000-00034000 rw-p 00000000 00:00 0          [heap]\n"
	"b2efe000-b6dfe000 rw-s 00001000 b3:02 284849     /dev/uio0\n"
	"b6f14000-b6f15000 rw-s 00000000 b3:02 284849     /dev/uio0\n";

static void test_parse_arm32_uio(void **state)
{
	struct vma_list l;
	struct vms_err e;
	const struct vma *v;

	assert_int_equal(parse_str(arm_maps, &l, &e), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.addr_width, 8);

	v = &l.v[0];
	assert_true(v->start == 0x13000);
	assert_true(v->end == 0x34000);
	assert_string_equal(v->name, "[heap]");
	assert_int_equal(v->kind, VMA_KIND_HEAP);

	v = &l.v[1];
	assert_true(v->start == 0xb2efe000ULL);
	assert_true(v->end == 0xb6dfe000ULL);
	assert_string_equal(v->perms, "rw-s");
	assert_true(v->offset == 0x1000); /* map 1 of uio0 with 4K pages */
	assert_int_equal(v->dev_major, 0xb3);
	assert_int_equal(v->dev_minor, 2);
	assert_true(v->inode == 284849);
	assert_string_equal(v->name, "/dev/uio0");
	assert_int_equal(v->kind, VMA_KIND_UIO);
	assert_true(vma_is_gap(v)); /* maps only: known from the kind */

	v = &l.v[2];
	assert_true(v->start == 0xb6f14000ULL);
	assert_true(v->offset == 0);
	assert_int_equal(v->kind, VMA_KIND_UIO);
	vmas_free(&l);
}

/* With smaps, VmFlags decide: a UIO "logical" map (kmalloc'd memory,
 * faulted in) has struct pages, a physical one is pf io. */
static void test_uio_gap_from_vmflags(void **state)
{
	struct vma_list l;
	struct vms_err e;

	assert_int_equal(parse_str(
		"b2efe000-b6dfe000 rw-s 00001000 b3:02 284849     /dev/uio0\n"
		"Size:              65536 kB\n"
		"VmFlags: rd wr sh mr mw me ms \n"
		"b6f14000-b6f15000 rw-s 00000000 b3:02 284849     /dev/uio0\n"
		"Size:                  4 kB\n"
		"VmFlags: rd wr sh mr mw me ms pf io de dd \n", &l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].kind, VMA_KIND_UIO);
	assert_int_equal(l.v[1].kind, VMA_KIND_UIO); /* uio beats pf */
	assert_true(l.v[0].smaps[SMAPS_SIZE] == 65536);
	assert_false(vma_is_gap(&l.v[0]));
	assert_true(vma_is_gap(&l.v[1]));
	vmas_free(&l);
}

static void test_devmem_offset(void **state)
{
	struct vma_list l;
	struct vms_err e;

	assert_int_equal(parse_str(
		"7f0000000000-7f0000001000 rw-s 1fe0000000 00:06 5  /dev/mem\n",
		&l, &e), 0);
	assert_int_equal(l.n, 1);
	assert_true(l.v[0].offset == 0x1fe0000000ULL);
	assert_int_equal(l.v[0].dev_major, 0);
	assert_int_equal(l.v[0].dev_minor, 6);
	assert_int_equal(l.v[0].kind, VMA_KIND_DEVMEM);
	assert_true(vma_is_gap(&l.v[0]));
	vmas_free(&l);
}

/* ---- names ---- */

static void test_names_spaces_deleted(void **state)
{
	struct vma_list l;
	struct vms_err e;

	assert_int_equal(parse_str(
		"7f0000000000-7f0000001000 r--p 00000000 fe:00 11                         /tmp/my  file with spaces  \n"
		"7f0000001000-7f0000002000 rw-s 00000000 00:01 12                         /memfd:shm name (deleted)\n"
		"7f0000002000-7f0000003000 r--p 00000000 fe:00 13                         /tmp/gone (deleted)\n"
		"7f0000003000-7f0000004000 rw-s 00000000 00:01 14                         /dev/zero (deleted)\n"
		"7f0000004000-7f0000005000 r--p 00000000 fe:00 15                         /tmp/(deleted) not at end\n"
		"7f0000005000-7f0000006000 rw-p 00000000 00:00 0                          [anon:my buffer]\n",
		&l, &e), 0);
	assert_int_equal(l.n, 6);
	assert_string_equal(l.v[0].name, "/tmp/my  file with spaces  ");
	assert_false(l.v[0].deleted);
	assert_int_equal(l.v[0].kind, VMA_KIND_FILE);
	assert_string_equal(l.v[1].name, "/memfd:shm name");
	assert_true(l.v[1].deleted);
	assert_int_equal(l.v[1].kind, VMA_KIND_SHMEM);
	assert_string_equal(l.v[2].name, "/tmp/gone");
	assert_true(l.v[2].deleted);
	assert_int_equal(l.v[2].kind, VMA_KIND_FILE);
	assert_string_equal(l.v[3].name, "/dev/zero"); /* MAP_SHARED|MAP_ANON */
	assert_true(l.v[3].deleted);
	assert_int_equal(l.v[3].kind, VMA_KIND_SHMEM);
	assert_string_equal(l.v[4].name, "/tmp/(deleted) not at end");
	assert_false(l.v[4].deleted);
	assert_string_equal(l.v[5].name, "[anon:my buffer]");
	assert_int_equal(l.v[5].kind, VMA_KIND_ANON);
	vmas_free(&l);
}

static void test_name_escape_byte(void **state)
{
	struct vma_list l;
	struct vms_err e;
	char *shown;

	assert_int_equal(parse_str(
		"7f0000000000-7f0000001000 r--p 00000000 fe:00 11    /tmp/\x1b[2Jevil\x07name\n"
		"7f0000001000-7f0000002000 r--p 00000000 fe:00 12    /tmp/after\n",
		&l, &e), 0);
	assert_int_equal(l.n, 2);
	/* kept raw (untrusted); escaping is the printer's job */
	assert_string_equal(l.v[0].name, "/tmp/\x1b[2Jevil\x07name");
	shown = escape_dup(l.v[0].name);
	assert_non_null(shown);
	assert_string_equal(shown, "/tmp/\\e[2Jevil\\x07name");
	free(shown);
	assert_string_equal(l.v[1].name, "/tmp/after");
	vmas_free(&l);
}

static void test_long_name_capped(void **state)
{
	const char *head = "7f0000000000-7f0000001000 r--p 00000000 fe:00 11 /";
	const char *tail = "\n7f0000001000-7f0000002000 r--p 00000000 fe:00 12 /next\n";
	size_t nlen = 10000, hl = strlen(head), tl = strlen(tail);
	char *text = malloc(hl + nlen + tl + 1);
	struct vma_list l;
	struct vms_err e;

	assert_non_null(text);
	memcpy(text, head, hl);
	memset(text + hl, 'a', nlen);
	memcpy(text + hl + nlen, tail, tl + 1);
	assert_int_equal(parse_str(text, &l, &e), 0);
	free(text);
	assert_int_equal(l.n, 2);
	assert_int_equal(strlen(l.v[0].name), 4096);
	assert_int_equal(l.v[0].name[0], '/');
	assert_int_equal(l.v[0].name[4095], 'a');
	assert_string_equal(l.v[1].name, "/next");
	assert_true(l.v[1].start == 0x7f0000001000ULL);
	vmas_free(&l);
}

/* ---- VmFlags and smaps fields ---- */

/* What VMAs have alike is kept once: runs of one name, equal smaps
 * blocks and VmFlags texts are shared; what differs is not. */
static void test_shared_values(void **state)
{
	struct vma_list l;
	struct vms_err e;

	assert_int_equal(parse_str(
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0\n"
		"Rss: 4 kB\nVmFlags: rd wr mr mw me ac\n"
		"7f0000001000-7f0000002000 r--p 00000000 00:00 0\n"
		"Rss: 4 kB\nVmFlags: rd wr mr mw me ac\n"
		"7f0000002000-7f0000003000 rw-p 00000000 00:00 0 /lib/a.so\n"
		"Rss: 0 kB\nVmFlags: rd mr mw me\n"
		"7f0000003000-7f0000004000 rw-p 00000000 00:00 0\n"
		"Rss: 4 kB\nVmFlags: rd wr mr mw me ac\n", &l, &e), 0);
	assert_int_equal(l.n, 4);
	assert_ptr_equal(l.v[0].name, l.v[1].name);
	assert_ptr_not_equal(l.v[1].name, l.v[2].name);
	assert_ptr_equal(l.v[0].smaps, l.v[1].smaps);
	assert_ptr_equal(l.v[0].smaps, l.v[3].smaps);
	assert_ptr_not_equal(l.v[0].smaps, l.v[2].smaps);
	assert_ptr_equal(l.v[0].vmflags_text, l.v[3].vmflags_text);
	assert_string_equal(l.v[2].vmflags_text, "rd mr mw me");
	assert_int_equal(l.v[2].smaps[SMAPS_RSS], 0);
	assert_int_equal(l.v[3].smaps[SMAPS_RSS], 4);
	assert_string_equal(l.v[3].name, "");
	vmas_free(&l);
	/* maps: no smaps, all fields 0, no VmFlags */
	assert_int_equal(parse_str(
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0\n", &l, &e), 0);
	assert_false(l.v[0].has_smaps);
	assert_string_equal(l.v[0].vmflags_text, "");
	assert_int_equal(l.v[0].smaps[SMAPS_RSS], 0);
	vmas_free(&l);
}

/* The parser tries first the field the kernel prints next: fields in
 * another order, keys that are prefixes of others and keys it does not
 * know still land where they belong. */
static void test_smaps_fields_any_order(void **state)
{
	struct vma_list l;
	struct vms_err e;

	assert_int_equal(parse_str(
		"7f0000000000-7f0000002000 rw-p 00000000 00:00 0\n"
		"Swap:   3 kB\nRss:  8 kB\nPss_Anon: 5 kB\nPss: 6 kB\n"
		"Rs: 99 kB\nPss_Anonymous: 98 kB\nSize: 8 kB\n"
		"ProtectionKey: 2\nKSM: 1 kB\n"
		"7f0000002000-7f0000003000 r--p 00000000 00:00 0\n"
		"Size: 4 kB\nKernelPageSize: 4 kB\nRss: 4 kB\n", &l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].smaps[SMAPS_SWAP], 3);
	assert_int_equal(l.v[0].smaps[SMAPS_RSS], 8);
	assert_int_equal(l.v[0].smaps[SMAPS_PSS_ANON], 5);
	assert_int_equal(l.v[0].smaps[SMAPS_PSS], 6);
	assert_int_equal(l.v[0].smaps[SMAPS_SIZE], 8);
	assert_int_equal(l.v[0].smaps[SMAPS_PROTECTION_KEY], 2);
	assert_int_equal(l.v[0].smaps[SMAPS_KSM], 1);
	assert_int_equal(l.v[1].smaps[SMAPS_KERNEL_PAGE_SIZE], 4);
	assert_int_equal(l.v[1].smaps[SMAPS_RSS], 4);
	assert_int_equal(l.v[1].smaps[SMAPS_SWAP], 0);
	vmas_free(&l);
}

static void test_vmflags_all_and_unknown(void **state)
{
	char text[512];
	size_t off;
	struct vma_list l;
	struct vms_err e;

	off = (size_t)snprintf(text, sizeof text,
			       "7f0000000000-7f0000001000 rw-p 00000000 00:00 0\nVmFlags:");
	for (int f = 0; f < VMF__COUNT; f++)
		off += (size_t)snprintf(text + off, sizeof text - off, " %s",
					vma_flag_code((enum vma_flag)f));
	snprintf(text + off, sizeof text - off, " zz abc \n");
	assert_int_equal(parse_str(text, &l, &e), 0);
	assert_int_equal(l.n, 1);
	assert_true(l.v[0].vmflags == (1ULL << VMF__COUNT) - 1);
	/* 40 codes do not fit in 96 bytes: cut at a code boundary */
	assert_true(strlen(l.v[0].vmflags_text) <= 95);
	assert_true(strncmp(l.v[0].vmflags_text, "rd wr ex sh mr", 14) == 0);
	assert_int_equal(strlen(l.v[0].vmflags_text) % 3, 2);
	vmas_free(&l);

	assert_int_equal(parse_str(
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0\n"
		"VmFlags: rd zz wr xyz\n", &l, &e), 0);
	assert_true(l.v[0].vmflags == ((1ULL << VMF_RD) | (1ULL << VMF_WR)));
	assert_string_equal(l.v[0].vmflags_text, "rd zz wr xyz");
	vmas_free(&l);
}

static void test_every_smaps_field(void **state)
{
	char text[4096];
	size_t off;
	struct vma_list l;
	struct vms_err e;

	off = (size_t)snprintf(text, sizeof text,
			       "7f0000000000-7f0000001000 rw-p 00000000 00:00 0\n"
			       "FutureField:    77 kB\n");
	for (int f = 0; f < SMAPS__COUNT; f++)
		off += (size_t)snprintf(text + off, sizeof text - off,
			"%s:%*s%d%s\n", smaps_field_name((enum smaps_field)f),
			4, "", 100 + f,
			f == SMAPS_THP_ELIGIBLE || f == SMAPS_PROTECTION_KEY ?
			"" : " kB");
	assert_true(off < sizeof text);
	assert_int_equal(parse_str(text, &l, &e), 0);
	assert_int_equal(l.n, 1);
	assert_true(l.v[0].has_smaps);
	for (int f = 0; f < SMAPS__COUNT; f++)
		assert_int_equal(l.v[0].smaps[f], 100 + f);
	vmas_free(&l);

	/* only an unknown key: still an smaps VMA, nothing filled */
	assert_int_equal(parse_str(
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0\n"
		"FutureField:    77 kB\n", &l, &e), 0);
	assert_true(l.v[0].has_smaps);
	assert_true(l.v[0].smaps[SMAPS_SIZE] == 0);
	vmas_free(&l);
}

static void test_names_tables(void **state)
{
	static const char *const kinds[VMA_KIND__COUNT] = {
		"anon", "heap", "stack", "file", "shmem", "vdso", "vvar",
		"vsyscall", "hugetlb", "guard", "pfnmap", "io", "uio",
		"devmem", "chardev", "hole" };

	for (int k = 0; k < VMA_KIND__COUNT; k++)
		assert_string_equal(vma_kind_name((enum vma_kind)k), kinds[k]);
	assert_string_equal(vma_flag_code(VMF_RD), "rd");
	assert_string_equal(vma_flag_code(VMF_PF), "pf");
	assert_string_equal(vma_flag_code(VMF_IO), "io");
	assert_string_equal(vma_flag_code(VMF_HT), "ht");
	assert_string_equal(vma_flag_code(VMF_DP), "dp");
	assert_string_equal(smaps_field_name(SMAPS_ANON_HUGE_PAGES), "AnonHugePages");
	assert_string_equal(smaps_field_name(SMAPS_PSS_DIRTY), "Pss_Dirty");
	assert_string_equal(smaps_field_name(SMAPS_PROTECTION_KEY), "ProtectionKey");
	/* out of range never crashes */
	assert_non_null(vma_kind_name(VMA_KIND__COUNT));
	assert_non_null(vma_flag_code(VMF__COUNT));
	assert_non_null(smaps_field_name(SMAPS__COUNT));
}

/* ---- classification ---- */

struct cls_case {
	const char *name, *perms;
	uint64_t flags;
	bool smaps;
	enum vma_kind want;
	bool gap;
};

#define F(x) (1ULL << VMF_##x)

static void test_classify_each_kind(void **state)
{
	static const struct cls_case cases[] = {
		{ "", "rw-p", 0, false, VMA_KIND_ANON, false },
		{ "[anon:jemalloc]", "rw-p", 0, false, VMA_KIND_ANON, false },
		{ "[uprobes]", "r-xp", 0, false, VMA_KIND_ANON, false },
		{ "[heap]", "rw-p", 0, false, VMA_KIND_HEAP, false },
		{ "[stack]", "rw-p", F(GD), true, VMA_KIND_STACK, false },
		{ "[stack:4242]", "rw-p", 0, false, VMA_KIND_STACK, false },
		{ "/usr/lib/libc.so.6", "r-xp", 0, false, VMA_KIND_FILE, false },
		{ "anon_inode:[io_uring]", "rw-s", 0, false, VMA_KIND_FILE, false },
		{ "", "rw-s", 0, false, VMA_KIND_SHMEM, false },
		{ "[anon:x]", "rw-s", 0, false, VMA_KIND_SHMEM, false },
		{ "/dev/zero", "rw-p", 0, false, VMA_KIND_SHMEM, false },
		{ "/SYSV0000002a", "rw-s", 0, false, VMA_KIND_SHMEM, false },
		{ "/memfd:wayland", "rw-s", 0, false, VMA_KIND_SHMEM, false },
		{ "/dev/shm/pulse-shm-1", "rw-s", 0, false, VMA_KIND_SHMEM, false },
		{ "[vdso]", "r-xp", 0, false, VMA_KIND_VDSO, false },
		{ "[vvar]", "r--p", 0, false, VMA_KIND_VVAR, true },
		{ "[vvar_vclock]", "r--p", F(PF) | F(IO), true, VMA_KIND_VVAR, true },
		/* above TASK_SIZE: beyond the end of pagemap */
		{ "[vsyscall]", "--xp", 0, false, VMA_KIND_VSYSCALL, true },
		{ "[vsyscall]", "--xp", F(EX), true, VMA_KIND_VSYSCALL, true },
		{ "/anon_hugepage", "rw-s", 0, false, VMA_KIND_HUGETLB, false },
		{ "/SYSV00000000", "rw-s", F(HT), true, VMA_KIND_HUGETLB, false },
		{ "/mnt/huge/buf", "rw-s", F(HT) | F(SH), true, VMA_KIND_HUGETLB, false },
		{ "", "---p", 0, false, VMA_KIND_GUARD, false },
		{ "/usr/lib/libc.so.6", "---p", 0, false, VMA_KIND_GUARD, false },
		{ "", "---s", 0, false, VMA_KIND_GUARD, false },
		{ "/dev/dri/card0", "rw-s", F(PF) | F(SH), true, VMA_KIND_PFNMAP, true },
		{ "/dev/fb0", "rw-s", F(IO) | F(SH), true, VMA_KIND_IO, true },
		{ "/dev/uio3", "rw-s", 0, false, VMA_KIND_UIO, true },
		{ "/dev/uio12", "rw-s", F(PF) | F(IO), true, VMA_KIND_UIO, true },
		{ "/dev/uio", "rw-s", 0, false, VMA_KIND_FILE, false },
		{ "/dev/uiox", "rw-s", 0, false, VMA_KIND_FILE, false },
		{ "/dev/uio1x", "rw-s", 0, false, VMA_KIND_FILE, false },
		{ "/dev/mem", "rw-s", F(PF) | F(IO), true, VMA_KIND_DEVMEM, true },
		{ "/dev/mem", "r--s", 0, false, VMA_KIND_DEVMEM, true },
		/* precedence: flags beat the heap name, heap beats guard */
		{ "[heap]", "rw-p", F(PF), true, VMA_KIND_PFNMAP, true },
		{ "[heap]", "---p", 0, false, VMA_KIND_HEAP, false },
		{ "[vdso]", "r-xp", F(PF), true, VMA_KIND_VDSO, true },
		/* smaps read, no pf/io: not a gap even with a gap-ish kind */
		{ "[vvar]", "r--p", F(RD), true, VMA_KIND_VVAR, false },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct vma v;
		char name[64];

		memset(&v, 0, sizeof v);
		snprintf(name, sizeof name, "%s", cases[i].name);
		v.name = name;
		memcpy(v.perms, cases[i].perms, 5);
		v.vmflags = cases[i].flags;
		v.has_smaps = cases[i].smaps;
		if (cases[i].smaps)
			v.vmflags_text = "rd";
		v.start = 0x10000;
		v.end = 0x11000;
		vma_classify(&v);
		if (v.kind != cases[i].want || vma_is_gap(&v) != cases[i].gap)
			fail_msg("case %zu '%s' %s: kind %s gap %d, want %s gap %d",
				 i, cases[i].name, cases[i].perms,
				 vma_kind_name(v.kind), vma_is_gap(&v),
				 vma_kind_name(cases[i].want), cases[i].gap);
	}
}

/* ---- lookups and holes ---- */

static const char gappy[] =
	"00010000-00020000 r--p 00000000 b3:02 10     /bin/a\n"
	"00020000-00030000 r-xp 00010000 b3:02 10     /bin/a\n"
	"00040000-00050000 rw-p 00000000 00:00 0      [heap]\n"
	"b6f00000-b6f01000 rw-s 00000000 b3:02 284849 /dev/uio0\n";

static void test_find_edges(void **state)
{
	struct vma_list l, empty;
	struct vms_err e;
	const struct vma *v;

	assert_int_equal(parse_str(gappy, &l, &e), 0);
	assert_int_equal(l.n, 4);
	assert_null(vmas_find(&l, 0));
	assert_null(vmas_find(&l, 0xffff));
	v = vmas_find(&l, 0x10000);
	assert_ptr_equal(v, &l.v[0]);
	v = vmas_find(&l, 0x1ffff);
	assert_ptr_equal(v, &l.v[0]);
	v = vmas_find(&l, 0x20000); /* end of one is start of the next */
	assert_ptr_equal(v, &l.v[1]);
	assert_null(vmas_find(&l, 0x30000)); /* end is exclusive: a hole */
	assert_null(vmas_find(&l, 0x3ffff));
	assert_ptr_equal(vmas_find(&l, 0x4abcd), &l.v[2]);
	assert_ptr_equal(vmas_find(&l, 0xb6f00fffULL), &l.v[3]);
	assert_null(vmas_find(&l, 0xb6f01000ULL));
	assert_null(vmas_find(&l, UINT64_MAX));
	memset(&empty, 0, sizeof empty);
	assert_null(vmas_find(&empty, 0x10000));
	vmas_free(&l);
}

static void test_holes(void **state)
{
	struct vma_list l, h;
	struct vms_err e;

	assert_int_equal(parse_str(gappy, &l, &e), 0);
	assert_int_equal(vmas_with_holes(&l, &h, &e), 0);
	/* a, a, hole, heap, hole, uio0 */
	assert_int_equal(h.n, 6);
	assert_int_equal(h.addr_width, 8);
	assert_int_equal(h.v[0].kind, VMA_KIND_FILE);
	assert_int_equal(h.v[1].kind, VMA_KIND_FILE);
	assert_int_equal(h.v[2].kind, VMA_KIND_HOLE);
	assert_true(h.v[2].start == 0x30000);
	assert_true(h.v[2].end == 0x40000);
	assert_string_equal(h.v[2].perms, "----");
	assert_string_equal(h.v[2].name, "");
	assert_int_equal(h.v[3].kind, VMA_KIND_HEAP);
	assert_int_equal(h.v[4].kind, VMA_KIND_HOLE);
	assert_true(h.v[4].start == 0x50000);
	assert_true(h.v[4].end == 0xb6f00000ULL);
	assert_int_equal(h.v[5].kind, VMA_KIND_UIO);
	assert_ptr_equal(h.v[5].name, l.v[3].name); /* shared, not copied */
	assert_false(vma_is_gap(&h.v[2]));
	/* lookups work on the holes list too */
	assert_ptr_equal(vmas_find(&h, 0x35000), &h.v[2]);
	/* one hole at a time, without the copy: the same entries */
	{
		struct vma hv;
		size_t k = 0;

		for (size_t i = 0; i < l.n; i++) {
			memset(&hv, 0x5a, sizeof hv);
			if (vmas_hole_before(&l, i, &hv)) {
				assert_int_equal(h.v[k].kind, VMA_KIND_HOLE);
				assert_memory_equal(&hv, &h.v[k], sizeof hv);
				k++;
			}
			assert_true(h.v[k++].start == l.v[i].start);
		}
		assert_int_equal(k, h.n);
		assert_false(vmas_hole_before(&l, 0, &hv));
		assert_false(vmas_hole_before(&l, 1, &hv)); /* they touch */
		assert_false(vmas_hole_before(&l, l.n, &hv));
	}
	vmas_free_holes(&h);
	assert_null(h.v);
	assert_string_equal(l.v[3].name, "/dev/uio0"); /* still ours */
	vmas_free(&l);

	/* nothing in, nothing out; one VMA, no hole */
	memset(&l, 0, sizeof l);
	assert_int_equal(vmas_with_holes(&l, &h, &e), 0);
	assert_int_equal(h.n, 0);
	vmas_free_holes(&h);
	assert_int_equal(parse_str(arm_maps, &l, &e), 0);
	l.n = 1;
	assert_int_equal(vmas_with_holes(&l, &h, &e), 0);
	assert_int_equal(h.n, 1);
	l.n = 3;
	vmas_free_holes(&h);
	vmas_free(&l);
}

/* ---- malformed and truncated text ---- */

struct bad_case {
	const char *text;
	const char *where; /* "line N:" */
	const char *what;  /* part of the explanation */
};

static void test_malformed_lines(void **state)
{
	static const char ok1[] =
		"00010000-00020000 r--p 00000000 b3:02 10     /bin/a\n";
	static const struct bad_case cases[] = {
		{ "garbage\n", "line 1:", "START-END" },
		{ "00010000 r--p 00000000 b3:02 10 /bin/a\n", "line 1:", "START-END" },
		{ "00010000-zz r--p 00000000 b3:02 10 /bin/a\n", "line 1:", "END" },
		{ "00020000-00010000 r--p 00000000 b3:02 10 /bin/a\n", "line 1:", "not above START" },
		{ "00010000-00010000 r--p 00000000 b3:02 10 /bin/a\n", "line 1:", "not above START" },
		{ "00010000-00020000 rwxq 00000000 b3:02 10 /bin/a\n", "line 1:", "permissions" },
		{ "00010000-00020000 rw 00000000 b3:02 10 /bin/a\n", "line 1:", "permissions" },
		{ "00010000-00020000 r--p zz b3:02 10 /bin/a\n", "line 1:", "OFFSET" },
		{ "00010000-00020000 r--p 00000000 b302 10 /bin/a\n", "line 1:", "MAJOR:MINOR" },
		{ "00010000-00020000 r--p 00000000 b3: 10 /bin/a\n", "line 1:", "MINOR" },
		{ "00010000-00020000 r--p 00000000 b3:02 /bin/a\n", "line 1:", "INODE" },
		{ "00010000-00020000 r--p 00000000 b3:02 10x /bin/a\n", "line 1:", "INODE" },
		{ "00010000-00020000 r--p 00000000 b3:02\n", "line 1:", "INODE" },
		{ "10000000000000000-10000000000000001 r--p 00000000 00:00 0\n", "line 1:", "START-END" },
		{ "Rss:  4 kB\n", "line 1:", "before any mapping" },
		/* errors further down name their own line */
		{ "00010000-00020000 r--p 00000000 b3:02 10 /bin/a\n"
		  "Size:   64 kB\n"
		  "Rss:    lots\n", "line 3:", "decimal number" },
		{ "00010000-00020000 r--p 00000000 b3:02 10 /bin/a\n"
		  "Rss:    4 MB\n", "line 2:", "N kB" },
		{ "00010000-00020000 r--p 00000000 b3:02 10 /bin/a\n"
		  "\n"
		  "00020000-00030000 r--p 00000000 b3:02 10 /bin/a\n"
		  "00030000-00040000 r--p\n", "line 4:", "OFFSET" },
		{ "00010000-00020000 r--p 00000000 b3:02 10 /bin/a\n"
		  "Rss:    99999999999999999999999 kB\n", "line 2:", "decimal" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct vma_list l;
		struct vms_err e;

		if (parse_str(cases[i].text, &l, &e) != -1)
			fail_msg("case %zu parsed: %s", i, cases[i].text);
		assert_int_equal(e.code, VMS_EFORMAT);
		if (strncmp(e.msg, cases[i].where, strlen(cases[i].where)) != 0 ||
		    !strstr(e.msg, cases[i].what))
			fail_msg("case %zu: message '%s' lacks '%s' ... '%s'", i,
				 e.msg, cases[i].where, cases[i].what);
		assert_null(l.v);
		assert_int_equal(l.n, 0);
	}

	/* a NULL e is fine too */
	{
		struct vma_list l;

		memset(&l, 0, sizeof l);
		assert_int_equal(vmas_parse("garbage", 7, &l, NULL), -1);
		memset(&l, 0, sizeof l);
		assert_int_equal(vmas_parse(ok1, strlen(ok1), &l, NULL), 0);
		vmas_free(&l);
	}
}

/* A control byte in a malformed line is escaped in the message. */
static void test_error_message_escaped(void **state)
{
	struct vma_list l;
	struct vms_err e;

	assert_int_equal(parse_str("\x1b[2Jjunk\n", &l, &e), -1);
	assert_null(strchr(e.msg, 0x1b));
	assert_non_null(strstr(e.msg, "\\e[2Jjunk"));
}

static void test_truncated_text(void **state)
{
	static const char two[] =
		"00013000-00034000 rw-p 00000000 00:00 0          [heap]\n"
		"b6f14000-b6f15000 rw-s 00000000 b3:02 284849     /dev/uio0";
	struct vma_list l;
	struct vms_err e;
	size_t cut;

	/* no trailing newline: the last line is whole */
	assert_int_equal(parse_exact(two, strlen(two), &l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].name, "/dev/uio0");
	vmas_free(&l);

	/* cut inside the name: a shorter name */
	assert_int_equal(parse_exact(two, strlen(two) - 2, &l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].name, "/dev/ui");
	vmas_free(&l);

	/* cut inside the fields: line 2 is malformed */
	cut = strlen("00013000-00034000 rw-p 00000000 00:00 0          [heap]\n") +
	      strlen("b6f14000-b6f1");
	assert_int_equal(parse_exact(two, cut, &l, &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	assert_true(strncmp(e.msg, "line 2:", 7) == 0);

	/* every prefix: either parses or fails cleanly, never reads past */
	for (cut = 0; cut <= strlen(x86_smaps); cut += 7) {
		if (parse_exact(x86_smaps, cut, &l, &e) == 0)
			vmas_free(&l);
		else
			assert_int_equal(e.code, VMS_EFORMAT);
	}

	/* an smaps value cut before its unit */
	assert_int_equal(parse_exact("00010000-00020000 rw-p 00000000 00:00 0\nRss:   52",
				     strlen("00010000-00020000 rw-p 00000000 00:00 0\nRss:   52"),
				     &l, &e), 0);
	assert_true(l.v[0].smaps[SMAPS_RSS] == 52);
	vmas_free(&l);

	/* nothing at all */
	assert_int_equal(parse_exact("", 0, &l, &e), 0);
	assert_int_equal(l.n, 0);
	vmas_free(&l);

	/* text not NUL-terminated: len stops the parser, not the NUL */
	{
		char buf[] = "00010000-00020000 rw-p 00000000 00:00 0 /a/bXXXX";

		assert_int_equal(vmas_parse(buf, strlen(buf) - 4, &l, &e), 0);
		assert_string_equal(l.v[0].name, "/a/b");
		vmas_free(&l);
	}
}

/* Bytes from a cheap generator: must never crash (ASan/UBSan build). */
static void test_garbage_does_not_crash(void **state)
{
	uint32_t x = 12345;
	char buf[512];
	static const char alphabet[] = "0123456789abcdef-: \nrwxps[]/()kBVmFlags";

	for (int round = 0; round < 3000; round++) {
		struct vma_list l;
		struct vms_err e;
		size_t len;

		x = x * 1103515245u + 12345u;
		len = (x >> 8) % sizeof buf;
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (round & 1) ? (char)(x >> 16) :
				 alphabet[(x >> 16) % (sizeof alphabet - 1)];
		}
		/* start half of them with a valid line so smaps lines are reached */
		if (round % 4 == 0 && len > 60)
			memcpy(buf, "00010000-00020000 rw-p 00000000 00:00 0 /x\nVmFlags: ", 52);
		if (parse_exact(buf, len, &l, &e) == 0) {
			for (size_t i = 0; i < l.n; i++) {
				assert_true(l.v[i].start < l.v[i].end);
				assert_true(strlen(l.v[i].vmflags_text) < 96);
			}
			vmas_free(&l);
		}
	}
}

/* ---- reading through a root ---- */

static void test_read_fixture_root(void **state)
{
	char dir[] = "/tmp/vmscope-test-vmas.XXXXXX";
	struct vms_root r;
	struct vma_list l;
	struct vms_err e;
	char cmd[128];

	assert_non_null(mkdtemp(dir));
	write_file(dir, "vmscope-snapshot.conf",
		   "format=1\npage_size=4096\narch=armv7l\nkernel_release=5.10.0\n");
	make_dir(dir, "proc");
	make_dir(dir, "proc/123");
	make_dir(dir, "proc/124");
	make_dir(dir, "proc/125");
	write_file(dir, "proc/123/maps", arm_maps);
	write_file(dir, "proc/124/maps", "");
	write_file(dir, "proc/125/maps",
		   "00013000-00034000 rw-p 00000000 00:00 0          [heap]\n"
		   "b6f14000 rw-s 00000000 b3:02 284849     /dev/uio0\n");
	assert_int_equal(root_open(&r, dir, &e), 0);

	/* no smaps in the snapshot: maps instead */
	assert_int_equal(vmas_read(&r, 123, true, &l, &e), 0);
	assert_int_equal(l.pid, 123);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.addr_width, 8);
	assert_int_equal(l.v[1].kind, VMA_KIND_UIO);
	assert_false(l.v[1].has_smaps);
	vmas_free(&l);

	/* a kernel thread: no VMAs, not an error; width from the root */
	assert_int_equal(vmas_read(&r, 124, false, &l, &e), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.addr_width, 8);
	vmas_free(&l);

	/* a malformed file: the message names the file and the line */
	assert_int_equal(vmas_read(&r, 125, false, &l, &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	assert_non_null(strstr(e.msg, "/proc/125/maps line 2:"));
	assert_non_null(strstr(e.msg, dir));
	assert_null(l.v);

	/* a missing process */
	assert_int_equal(vmas_read(&r, 999, true, &l, &e), -1);
	assert_int_equal(e.code, VMS_ENOPROC);
	assert_non_null(strstr(e.msg, "process 999 does not exist"));
	root_close(&r);

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* vmas_read parses a file a chunk at a time: the same list as parsing
 * the whole text, with lines across every chunk boundary, a last line
 * without newline, a line longer than a chunk (name capped), and a line
 * longer than any maps line can be (an error naming it). */
/* vmas_ordered: what the kernel gives, versus a list read mid-change */
static void test_ordered(void **state)
{
	static const char good[] =
		"00010000-00012000 r-xp 00000000 b3:02 131081     /usr/bin/a\n"
		"00012000-00013000 rw-p 00002000 b3:02 131081     /usr/bin/a\n"
		"b6f14000-b6f15000 rw-s 00000000 b3:02 284849     /dev/uio0\n";
	static const char twice[] =   /* a VMA split while maps was read */
		"7fe850370000-7fe850380000 rw-p 00000000 00:00 0 \n"
		"7fe85037a000-7fe85038a000 rw-p 00000000 00:00 0 \n";
	struct vma_list l;

	assert_int_equal(vmas_parse(good, sizeof good - 1, &l, NULL), 0);
	assert_true(vmas_ordered(&l));
	vmas_free(&l);
	assert_int_equal(vmas_parse(twice, sizeof twice - 1, &l, NULL), 0);
	assert_int_equal(l.n, 2);
	assert_false(vmas_ordered(&l));
	vmas_free(&l);
	memset(&l, 0, sizeof l);
	assert_true(vmas_ordered(&l)); /* empty */
}

static void test_read_chunked(void **state)
{
	char dir[] = "/tmp/vmscope-test-vmas.XXXXXX";
	struct vms_root r;
	struct vma_list a, b;
	struct vms_err e;
	char cmd[128], *text, *p;
	size_t n = 3000, i, cap = n * 700 + 300000;

	assert_non_null(mkdtemp(dir));
	write_file(dir, "vmscope-snapshot.conf", "format=1\npage_size=4096\n");
	make_dir(dir, "proc");
	make_dir(dir, "proc/7");
	make_dir(dir, "proc/8");
	text = malloc(cap);
	assert_non_null(text);
	p = text;
	for (i = 0; i < n; i++) {
		p += sprintf(p, "%08zx-%08zx rw-p 00000000 00:00 0 %s\n"
			     "Size: 4 kB\nRss: %zu kB\nVmFlags: rd wr mr mw me ac\n",
			     0x10000 + i * 0x2000, 0x11000 + i * 0x2000,
			     i % 7 ? "" : "/lib/x.so", i % 5);
		if (i == n / 2) {
			/* a name longer than a chunk */
			p += sprintf(p, "%08zx-%08zx r--p 00000000 08:01 9 /",
				     0x11000 + i * 0x2000, 0x12000 + i * 0x2000);
			memset(p, 'n', 100000);
			p += 100000;
			*p++ = '\n';
		}
	}
	p += sprintf(p, "f0000000-f0001000 r--p 00000000 00:00 0 [last]");
	{
		char path[256];
		int fd;

		snprintf(path, sizeof path, "%s/proc/7/smaps", dir);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, text, (size_t)(p - text)), p - text);
		close(fd);
	}
	assert_int_equal(root_open(&r, dir, &e), 0);
	assert_int_equal(vmas_read(&r, 7, true, &a, &e), 0);
	assert_int_equal(vmas_parse(text, (size_t)(p - text), &b, &e), 0);
	assert_int_equal(a.n, n + 2);
	assert_int_equal(a.n, b.n);
	assert_int_equal(a.addr_width, b.addr_width);
	for (i = 0; i < a.n; i++) {
		assert_int_equal(a.v[i].start, b.v[i].start);
		assert_int_equal(a.v[i].end, b.v[i].end);
		assert_string_equal(a.v[i].name, b.v[i].name);
		assert_int_equal(a.v[i].kind, b.v[i].kind);
		assert_int_equal(a.v[i].vmflags, b.v[i].vmflags);
		assert_memory_equal(a.v[i].smaps, b.v[i].smaps,
				    SMAPS__COUNT * sizeof *a.v[i].smaps);
	}
	assert_int_equal(strlen(a.v[n / 2 + 1].name), 4096);
	assert_string_equal(a.v[a.n - 1].name, "[last]");
	vmas_free(&a);
	vmas_free(&b);

	/* read while the process changed its maps: a VMA below the one
	 * before it is refused (live roots read again), naming the line */
	write_file(dir, "proc/8/maps",
		   "00010000-00030000 rw-p 00000000 00:00 0\n"
		   "00020000-00040000 rw-p 00000000 00:00 0\n");
	assert_int_equal(vmas_read(&r, 8, false, &a, &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	assert_non_null(strstr(e.msg, "/proc/8/maps line 2: this mapping starts below the end of the one before it"));
	assert_null(a.v);

	/* one line of 2 MiB: refused, naming the file and the line */
	memset(text, 'x', 2u << 20);
	text[2u << 20] = '\0';
	write_file(dir, "proc/8/maps", text);
	assert_int_equal(vmas_read(&r, 8, false, &a, &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	assert_non_null(strstr(e.msg, "/proc/8/maps line 1 is longer than"));
	assert_null(a.v);
	root_close(&r);
	free(text);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* vmas_reread: the same file read again over the list, in place */
static void test_reread_in_place(void **state)
{
	static const char base[] =
		"00010000-00020000 r-xp 00000000 b3:02 10     /bin/a\n"
		"Rss: 8 kB\nVmFlags: rd ex mr mw me\n"
		"00020000-00030000 rw-p 00000000 00:00 0 \n"
		"Rss: 12 kB\nSwap: 4 kB\nVmFlags: rd wr mr mw me ac\n"
		"00040000-00050000 rw-p 00000000 00:00 0      [heap]\n"
		"Rss: 16 kB\nVmFlags: rd wr mr mw me ac\n";
	char dir[] = "/tmp/vmscope-test-vmas.XXXXXX";
	struct vms_root r;
	struct vma_list l;
	struct vms_err e;
	struct vma *v0;
	char *n0, cmd[128];

	assert_non_null(mkdtemp(dir));
	write_file(dir, "vmscope-snapshot.conf", "format=1\npage_size=4096\n");
	make_dir(dir, "proc");
	make_dir(dir, "proc/9");
	write_file(dir, "proc/9/smaps", base);
	assert_int_equal(root_open(&r, dir, &e), 0);
	assert_int_equal(vmas_read(&r, 9, true, &l, &e), 0);
	assert_int_equal(l.n, 3);
	v0 = l.v;
	n0 = l.v[0].name;

	/* the same layout, new figures and flags: updated in place, the
	 * fields the new text lacks cleared, kinds from the new flags */
	write_file(dir, "proc/9/smaps",
		   "00010000-00020000 r-xp 00000000 b3:03 10     /bin/a\n"
		   "Rss: 20 kB\nVmFlags: rd ex mr mw me\n"
		   "00020000-00030000 rw-p 00000000 00:00 0 \n"
		   "Rss: 0 kB\nVmFlags: rd wr mr mw me pf io\n"
		   "00040000-00050000 rw-p 00000000 00:00 0      [heap]\n"
		   "Rss: 24 kB\nVmFlags: rd wr mr mw me ac\n");
	assert_int_equal(vmas_reread(&r, 9, true, &l, &e), 1);
	assert_ptr_equal(l.v, v0);
	assert_ptr_equal(l.v[0].name, n0);
	assert_int_equal(l.n, 3);
	assert_true(l.v[0].smaps[SMAPS_RSS] == 20);
	assert_int_equal(l.v[0].dev_minor, 3);
	assert_true(l.v[1].smaps[SMAPS_RSS] == 0);
	assert_true(l.v[1].smaps[SMAPS_SWAP] == 0);
	assert_string_equal(l.v[1].vmflags_text, "rd wr mr mw me pf io");
	assert_int_equal(l.v[1].kind, VMA_KIND_PFNMAP);
	assert_true(l.v[2].smaps[SMAPS_RSS] == 24);
	assert_int_equal(l.v[2].kind, VMA_KIND_HEAP);

	/* maps alone: the layout is checked, the smaps data kept */
	write_file(dir, "proc/9/maps",
		   "00010000-00020000 r-xp 00000000 b3:03 10     /bin/a\n"
		   "00020000-00030000 rw-p 00000000 00:00 0 \n"
		   "00040000-00050000 rw-p 00000000 00:00 0      [heap]\n");
	assert_int_equal(vmas_reread(&r, 9, false, &l, &e), 1);
	assert_true(l.v[0].has_smaps);
	assert_true(l.v[0].smaps[SMAPS_RSS] == 20);
	assert_string_equal(l.v[1].vmflags_text, "rd wr mr mw me pf io");

	/* every kind of change: 0, and the list keeps its layout */
	{
		static const char *const changed[] = {
			/* an end moved */
			"00010000-00020000 r-xp 00000000 b3:03 10     /bin/a\n"
			"00020000-00031000 rw-p 00000000 00:00 0 \n"
			"00040000-00050000 rw-p 00000000 00:00 0      [heap]\n",
			/* perms */
			"00010000-00020000 r--p 00000000 b3:03 10     /bin/a\n",
			/* offset, inode */
			"00010000-00020000 r-xp 00001000 b3:03 10     /bin/a\n",
			"00010000-00020000 r-xp 00000000 b3:03 11     /bin/a\n",
			/* name, deleted, a longer name */
			"00010000-00020000 r-xp 00000000 b3:03 10     /bin/b\n",
			"00010000-00020000 r-xp 00000000 b3:03 10     /bin/a (deleted)\n",
			"00010000-00020000 r-xp 00000000 b3:03 10     /bin/ab\n",
			/* one more, one fewer, none */
			"00010000-00020000 r-xp 00000000 b3:03 10     /bin/a\n"
			"00020000-00030000 rw-p 00000000 00:00 0 \n"
			"00040000-00050000 rw-p 00000000 00:00 0      [heap]\n"
			"00060000-00070000 rw-p 00000000 00:00 0 \n",
			"00010000-00020000 r-xp 00000000 b3:03 10     /bin/a\n"
			"00020000-00030000 rw-p 00000000 00:00 0 \n",
			"",
			/* a VMA split while read: the second shows twice */
			"00010000-00020000 r-xp 00000000 b3:03 10     /bin/a\n"
			"00020000-00030000 rw-p 00000000 00:00 0 \n"
			"00020000-00030000 rw-p 00000000 00:00 0 \n"
			"00040000-00050000 rw-p 00000000 00:00 0      [heap]\n",
		};

		for (size_t i = 0; i < sizeof changed / sizeof *changed; i++) {
			write_file(dir, "proc/9/maps", changed[i]);
			assert_int_equal(vmas_reread(&r, 9, false, &l, &e), 0);
			assert_int_equal(l.n, 3);
			assert_true(l.v[1].end == 0x30000);
			assert_string_equal(l.v[0].name, "/bin/a");
			assert_false(l.v[0].deleted);
		}
	}

	/* a change after the first VMA: that one's figures are new, the
	 * rest as they were */
	write_file(dir, "proc/9/smaps",
		   "00010000-00020000 r-xp 00000000 b3:03 10     /bin/a\n"
		   "Rss: 4 kB\nVmFlags: rd ex mr mw me\n"
		   "00020000-00028000 rw-p 00000000 00:00 0 \n"
		   "Rss: 32 kB\nVmFlags: rd wr mr mw me ac\n");
	assert_int_equal(vmas_reread(&r, 9, true, &l, &e), 0);
	assert_true(l.v[0].smaps[SMAPS_RSS] == 4);
	assert_true(l.v[1].end == 0x30000);
	assert_true(l.v[1].smaps[SMAPS_RSS] == 0);
	assert_true(l.v[2].smaps[SMAPS_RSS] == 24);

	/* errors as vmas_read gives them */
	write_file(dir, "proc/9/smaps",
		   "00010000-00020000 r-xp 00000000 b3:03 10     /bin/a\n"
		   "Rss: lots\n");
	assert_int_equal(vmas_reread(&r, 9, true, &l, &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	assert_non_null(strstr(e.msg, "/proc/9/smaps line 2:"));
	assert_int_equal(l.n, 3);
	assert_int_equal(vmas_reread(&r, 99, true, &l, &e), -1);
	assert_int_equal(e.code, VMS_ENOPROC);
	assert_int_equal(l.n, 3);
	vmas_free(&l);

	/* an empty list read again over an empty file: unchanged */
	write_file(dir, "proc/9/maps", "");
	assert_int_equal(vmas_read(&r, 9, false, &l, &e), 0);
	assert_int_equal(vmas_reread(&r, 9, false, &l, &e), 1);
	vmas_free(&l);
	root_close(&r);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_read_live_self(void **state)
{
	struct vms_root r;
	struct vma_list l;
	struct vms_err e;
	const struct vma *v;
	int local = 42;
	bool saw_stack = false, saw_vvar = false;
	uint64_t fn = (uint64_t)(uintptr_t)&test_read_live_self;

	assert_int_equal(root_open(&r, NULL, &e), 0);
	assert_int_equal(vmas_read(&r, getpid(), true, &l, &e), 0);
	assert_int_equal(l.pid, getpid());
	assert_true(l.n > 5);
	assert_int_equal(l.addr_width, sizeof(void *) == 8 ? 16 : 8);
	for (size_t i = 0; i < l.n; i++) {
		assert_true(l.v[i].has_smaps);
		assert_true(l.v[i].smaps[SMAPS_SIZE] * 1024 ==
			    l.v[i].end - l.v[i].start);
		if (i > 0)
			assert_true(l.v[i - 1].end <= l.v[i].start);
		if (strcmp(l.v[i].name, "[stack]") == 0) {
			saw_stack = true;
			assert_int_equal(l.v[i].kind, VMA_KIND_STACK);
		}
		if (strcmp(l.v[i].name, "[vvar]") == 0) {
			saw_vvar = true;
			assert_int_equal(l.v[i].kind, VMA_KIND_VVAR);
			assert_true(vma_is_gap(&l.v[i]));
		}
	}
	assert_true(saw_stack);
	assert_true(saw_vvar);
	v = vmas_find(&l, (uint64_t)(uintptr_t)&local);
	assert_non_null(v);
	assert_int_equal(v->kind, VMA_KIND_STACK);
	assert_true(v->perms[0] == 'r' && v->perms[1] == 'w');
	v = vmas_find(&l, fn);
	assert_non_null(v);
	assert_int_equal(v->kind, VMA_KIND_FILE);
	assert_int_equal(v->perms[2], 'x');
	assert_non_null(strstr(v->name, "test_vmas"));
	vmas_free(&l);

	/* maps only: the same VMAs, no smaps */
	assert_int_equal(vmas_read(&r, getpid(), false, &l, &e), 0);
	assert_false(l.v[0].has_smaps);
	v = vmas_find(&l, (uint64_t)(uintptr_t)&local);
	assert_non_null(v);
	assert_int_equal(v->kind, VMA_KIND_STACK);
	vmas_free(&l);
	(void)local;

	/* kthreadd, where this namespace shows it: no VMAs */
	{
		char *st = NULL;
		size_t sl;

		if (root_read_text(&r, "proc/2/status", &st, &sl, NULL) == 0 &&
		    strstr(st, "Name:\tkthreadd")) {
			assert_int_equal(vmas_read(&r, 2, true, &l, &e), 0);
			assert_int_equal(l.n, 0);
			assert_int_equal(l.addr_width, sizeof(void *) == 8 ? 16 : 8);
			vmas_free(&l);
		}
		free(st);
	}

	/* a PID no kernel hands out (above PID_MAX_LIMIT) */
	assert_int_equal(vmas_read(&r, 0x3fffffff, true, &l, &e), -1);
	assert_int_equal(e.code, VMS_ENOPROC);
	assert_non_null(strstr(e.msg, "1073741823"));
	assert_non_null(strstr(e.msg, "may have exited"));
	assert_int_equal(vmas_read(&r, -5, true, &l, &e), -1);
	assert_int_equal(e.code, VMS_ENOPROC);
	root_close(&r);
}

/* Another user's process: a child that drops to nobody reads ours. */
static void test_read_live_eacces(void **state)
{
	int fds[2];
	pid_t parent = getpid(), child;
	char msg[sizeof ((struct vms_err *)0)->msg + 16] = "";
	ssize_t got;
	int status;

	if (geteuid() != 0) {
		skip();
		return;
	}
	assert_int_equal(pipe(fds), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct vms_root r;
		struct vma_list l;
		struct vms_err e;
		int n;

		close(fds[0]);
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(3);
		if (root_open(&r, NULL, &e) < 0)
			_exit(4);
		memset(&e, 0, sizeof e);
		if (vmas_read(&r, parent, true, &l, &e) == 0)
			_exit(5);
		n = snprintf(msg, sizeof msg, "%d %s", e.code, e.msg);
		if (write(fds[1], msg, (size_t)n) != n)
			_exit(6);
		_exit(0);
	}
	close(fds[1]);
	got = read(fds[0], msg, sizeof msg - 1);
	close(fds[0]);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(got > 0);
	msg[got] = '\0';
	assert_true(atoi(msg) == EACCES);
	assert_non_null(strstr(msg, "another user's process needs root"));
	assert_non_null(strstr(msg, "run vmscope as root"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_real_smaps),
		cmocka_unit_test(test_parse_real_maps),
		cmocka_unit_test(test_addr_width_non_pie),
		cmocka_unit_test(test_parse_arm32_uio),
		cmocka_unit_test(test_uio_gap_from_vmflags),
		cmocka_unit_test(test_devmem_offset),
		cmocka_unit_test(test_names_spaces_deleted),
		cmocka_unit_test(test_name_escape_byte),
		cmocka_unit_test(test_long_name_capped),
		cmocka_unit_test(test_vmflags_all_and_unknown),
		cmocka_unit_test(test_smaps_fields_any_order),
		cmocka_unit_test(test_shared_values),
		cmocka_unit_test(test_every_smaps_field),
		cmocka_unit_test(test_names_tables),
		cmocka_unit_test(test_classify_each_kind),
		cmocka_unit_test(test_find_edges),
		cmocka_unit_test(test_holes),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_error_message_escaped),
		cmocka_unit_test(test_truncated_text),
		cmocka_unit_test(test_garbage_does_not_crash),
		cmocka_unit_test(test_read_fixture_root),
		cmocka_unit_test(test_read_chunked),
		cmocka_unit_test(test_ordered),
		cmocka_unit_test(test_reread_in_place),
		cmocka_unit_test(test_read_live_self),
		cmocka_unit_test(test_read_live_eacces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
