/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cross_core FIXTURE_DIR [BIG_ENDIAN_FIXTURE_DIR]: the core's parsers,
 * PFN arithmetic and the snapshot format on the ABI this was compiled
 * for.  Built static and run under qemu-user for each collector's target
 * (`make CROSS_COMPILE=... unit-cross`: armel, armhf, arm64, riscv64,
 * mips, mipsel, powerpc), so 32-bit longs and pointers with a 64-bit
 * off_t are proven: PFN * 8 beyond 2 and 4 GiB, a 64-bit process's
 * pagemap offsets, base-256 sizes in the tar; and both byte orders: the
 * little-endian zynq fixture and the big-endian mips one read the same
 * on a little-endian and a big-endian target.  No cmocka (no armhf build of it without
 * multiarch): plain checks, one "N passed, N failed" line at the end. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include "vmscope/kpage.h"
#include "vmscope/kver.h"
#include "vmscope/pagemap.h"
#include "vmscope/root.h"
#include "vmscope/snapshot.h"
#include "vmscope/vmas.h"

static int passed, failed;

#define CHECK(cond, ...) do { \
	if (cond) { passed++; } else { failed++; \
		printf("not ok - %s:%d: %s: ", __FILE__, __LINE__, #cond); \
		printf(__VA_ARGS__); putchar('\n'); } } while (0)

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

static void put_file(int dirfd, const char *rel, const char *text)
{
	int fd = openat(dirfd, rel, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text),
	      "writing %s: %s", rel, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void put_entry(int dirfd, const char *rel, uint64_t index,
		      uint64_t value)
{
	int fd = openat(dirfd, rel, O_WRONLY | O_CREAT, 0644);
	off_t off = (off_t)(index * 8);

	CHECK(fd >= 0 && pwrite(fd, &value, 8, off) == 8,
	      "pwrite %s at 0x%" PRIx64 ": %s", rel, index * 8, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void test_abi(void)
{
	printf("# sizeof(long) %zu, sizeof(void *) %zu, sizeof(off_t) %zu\n",
	       sizeof(long), sizeof(void *), sizeof(off_t));
	CHECK(sizeof(off_t) == 8, "off_t is %zu bytes: _FILE_OFFSET_BITS=64 missing",
	      sizeof(off_t));
}

static void test_conf(const char *fix)
{
	char path[4096];
	struct vms_root r;
	struct vms_err e;
	size_t len;
	char *text;

	snprintf(path, sizeof path, "%s/root/%s", fix, ROOT_CONF_NAME);
	text = slurp(path, &len);
	CHECK(text != NULL, "reading %s", path);
	if (!text)
		return;
	memset(&r, 0, sizeof r);
	CHECK(root_parse_conf(&r, text, len, &e) == 0, "%s", e.msg);
	CHECK(r.page_size == 4096 && r.page_shift == 12, "page size %u", r.page_size);
	CHECK(!strcmp(r.arch, "armv7l") && r.addr_bits == 32, "arch %s bits %u",
	      r.arch, r.addr_bits);
	CHECK(r.pfn_visible, "pfn_visible");
	free(text);
	memset(&r, 0, sizeof r);
	CHECK(root_parse_conf(&r, "format=2\npage_size=4096\n", 24, &e) < 0 &&
	      strstr(e.msg, "newer"), "a newer format is refused: %s", e.msg);
}

static void test_vmas(const char *fix)
{
	char path[4096];
	struct vma_list l;
	struct vms_err e;
	const struct vma *v;
	size_t len;
	char *text;

	snprintf(path, sizeof path, "%s/root/proc/1234/smaps", fix);
	text = slurp(path, &len);
	CHECK(text != NULL, "reading %s", path);
	if (!text)
		return;
	memset(&l, 0, sizeof l);
	CHECK(vmas_parse(text, len, &l, &e) == 0, "%s", e.msg);
	CHECK(l.n == 14, "14 VMAs, got %zu", l.n);
	CHECK(l.addr_width == 8, "32-bit maps: width %u", l.addr_width);
	v = vmas_find(&l, 0x13010);
	CHECK(v && v->kind == VMA_KIND_HEAP && v->start == 0x13000 &&
	      v->end == 0x34000, "heap");
	v = vmas_find(&l, 0xb2eff123);
	CHECK(v && v->kind == VMA_KIND_UIO && vma_is_gap(v) &&
	      v->offset == 0x1000, "uio map1 is a gap at offset 0x1000");
	v = vmas_find(&l, 0xffff0000);
	CHECK(v && v->end == 0xffff1000, "[vectors] ends at 2^32 - 0xf000");
	vmas_free(&l);
	free(text);
}

static void test_decode(void)
{
	struct pagemap_entry pe;
	struct pagemap_layout old;

	pagemap_decode(UINT64_C(0x810000000001f3a2), NULL, &pe);
	CHECK(pe.present && pe.exclusive && !pe.swapped && pe.pfn == 0x1f3a2,
	      "present entry: pfn 0x%" PRIx64, pe.pfn);
	pagemap_decode(UINT64_C(0x4000000000000840), NULL, &pe);
	CHECK(!pe.present && pe.swapped && pe.swap_type == 0 &&
	      pe.swap_offset == 0x42, "swap entry: type %u offset 0x%" PRIx64,
	      pe.swap_type, pe.swap_offset);
	pagemap_decode(PM_PRESENT | UINT64_C(0x7fffffffffffff), NULL, &pe);
	CHECK(pe.pfn == UINT64_C(0x7fffffffffffff), "55-bit PFN survives: 0x%" PRIx64,
	      pe.pfn);
	/* a 3.4 board: the page shift 12 in bits 55-60 is no flag */
	old = pagemap_layout_for(kver_parse("3.4.113-sun7i+"));
	pagemap_decode(UINT64_C(0x860000000005f3a2), &old, &pe);
	CHECK(pe.present && !pe.uffd_wp && !pe.guard && !pe.exclusive &&
	      pe.page_shift == 12 && pe.pfn == 0x5f3a2,
	      "3.4 entry: page shift %u, pfn 0x%" PRIx64, pe.page_shift, pe.pfn);
}

/* PFNs whose kpage offset passes 2 GiB and 4 GiB, and a 64-bit process's
 * pagemap at 256 GiB, through root, pagemap and kpage; then the same
 * tree through a tar and back. */
static const uint64_t big_pfns[3] = { UINT64_C(0x12345678),
				      UINT64_C(0x80000001), UINT64_C(0x1f3a2) };
static const uint64_t big_vaddr = UINT64_C(0x7fffa0001000);

static void check_big_tree(const char *dir, const char *what)
{
	uint64_t flags[3], counts[3], raw[2];
	struct snapshot_handle h;
	struct vms_root r;
	struct pagemap pm;
	struct kpage k;
	struct vms_err e;
	int i;

	CHECK(snapshot_open(&r, dir, &h, &e) == 0, "%s: %s", what, e.msg);
	if (!r.ops)
		return;
	kpage_open(&r, &k);
	CHECK(kpage_read(&k, big_pfns, NULL, 3, flags, counts, NULL, &e) == 0,
	      "%s: %s", what, e.msg);
	for (i = 0; i < 3; i++) {
		CHECK(flags[i] == (UINT64_C(0x5828) | ((uint64_t)i << 40)),
		      "%s: kpageflags of PFN 0x%" PRIx64 " = 0x%" PRIx64, what,
		      big_pfns[i], flags[i]);
		CHECK(counts[i] == (uint64_t)i + 1, "%s: kpagecount of PFN 0x%" PRIx64
		      " = %" PRIu64, what, big_pfns[i], counts[i]);
	}
	kpage_close(&k);
	CHECK(pagemap_open(&r, 42, &pm, &e) == 0, "%s: %s", what, e.msg);
	CHECK(pagemap_read(&pm, big_vaddr, 2, raw, &e) == 0, "%s: %s", what, e.msg);
	CHECK(raw[0] == (PM_PRESENT | big_pfns[0]) && raw[1] == 0,
	      "%s: pagemap at 0x%" PRIx64 ": 0x%" PRIx64, what, big_vaddr, raw[0]);
	CHECK(pagemap_read(&pm, big_vaddr + 0x2000, 1, raw, &e) < 0 &&
	      e.code == VMS_EFORMAT, "%s: reading past the pagemap is a clear error",
	      what);
	pagemap_close(&pm);
	snapshot_close(&r, &h);
}

static void test_big_offsets(void)
{
	char dir[4096], tarpath[4200];
	struct vms_err e;
	struct stat st;
	int dfd, tfd, i;

	if (snapshot_mktemp(dir, sizeof dir, &e) < 0) {
		CHECK(0, "%s", e.msg);
		return;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	/* the entries below are this machine's integers, as a capture here
	 * writes them, and the conf says so as a capture's does */
	put_file(dfd, ROOT_CONF_NAME, root_host_big_endian() ?
		 "format=1\npage_size=4096\narch=aarch64\npfn_visible=1\nbyte_order=big\n" :
		 "format=1\npage_size=4096\narch=aarch64\npfn_visible=1\nbyte_order=little\n");
	mkdirat(dfd, "proc", 0755);
	mkdirat(dfd, "proc/42", 0755);
	put_file(dfd, "proc/42/maps",
		 "7fffa0000000-7fffa0002000 rw-p 00000000 00:00 0\n");
	for (i = 0; i < 3; i++) {
		put_entry(dfd, "proc/kpageflags", big_pfns[i],
			  UINT64_C(0x5828) | ((uint64_t)i << 40));
		put_entry(dfd, "proc/kpagecount", big_pfns[i], (uint64_t)i + 1);
	}
	put_entry(dfd, "proc/42/pagemap", big_vaddr >> 12, PM_PRESENT | big_pfns[0]);
	put_entry(dfd, "proc/42/pagemap", (big_vaddr >> 12) + 1, 0);
	CHECK(fstatat(dfd, "proc/kpageflags", &st, 0) == 0 &&
	      (uint64_t)st.st_size == big_pfns[1] * 8 + 8,
	      "kpageflags is 16 GiB + 16 bytes (sparse)");
	check_big_tree(dir, "directory");

	/* through a tar: realsize 16 GiB needs base-256 size fields */
	snprintf(tarpath, sizeof tarpath, "%s.tar", dir);
	tfd = open(tarpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(tfd >= 0 && snapshot_tar_pack(dfd, tfd, 1700000000, &e) == 0,
	      "pack: %s", e.msg);
	CHECK(fstat(tfd, &st) == 0 && st.st_size < 64 * 1024,
	      "the tar keeps only data: %lld bytes", (long long)st.st_size);
	check_big_tree(tarpath, "tar, read in place");
	if (tfd >= 0)
		close(tfd);
	unlink(tarpath);
	close(dfd);
	snapshot_remove_tree(AT_FDCWD, dir);
}

/* The zynq fixture, expanded from its compact form as the demos are,
 * read the way the views read it. */
static void test_fixture(const char *fix)
{
	char dir[4096];
	struct vms_root r;
	struct vma_list l;
	struct pagemap pm;
	struct kpage k;
	struct vms_err e;
	uint64_t raw[4], pfn, flags, count;
	int dfd;

	if (snapshot_mktemp(dir, sizeof dir, &e) < 0) {
		CHECK(0, "%s", e.msg);
		return;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK(snapshot_expand(fix, dfd, &e) == 0, "expand: %s", e.msg);
	close(dfd);
	CHECK(root_open(&r, dir, &e) == 0, "%s", e.msg);
	CHECK(snapshot_check(&r, &e) == 0, "%s", e.msg);
	CHECK(vmas_read(&r, 1234, true, &l, &e) == 0, "%s", e.msg);
	CHECK(l.n == 14, "14 VMAs");
	/* pagemap ends at TASK_SIZE 0xbf000000, as ARM32's does: [vectors]
	 * at 0xffff0000 lies above it, a gap and not an error */
	CHECK(l.n == 14 && l.v[13].above_pagemap && vma_is_gap(&l.v[13]),
	      "[vectors] is above the end of pagemap");
	vmas_free(&l);
	CHECK(pagemap_open(&r, 1234, &pm, &e) == 0, "%s", e.msg);
	CHECK(pagemap_read(&pm, 0x13000, 4, raw, &e) == 0, "%s", e.msg);
	pfn = raw[0] & PM_PFN_MASK;
	CHECK(pfn == 0x1f3a2, "heap PFN 0x%" PRIx64, pfn);
	CHECK(pfn << 12 == UINT64_C(0x1f3a2000), "physical address of the heap page");
	CHECK(pagemap_read(&pm, 0xbefff000, 1, raw, &e) == 0, "%s", e.msg);
	CHECK((raw[0] & PM_PFN_MASK) == 0x1e001, "stack top PFN, the last page below TASK_SIZE");
	CHECK(pagemap_read(&pm, 0xffff0000, 1, raw, &e) < 0,
	      "[vectors]: nothing to read above TASK_SIZE");
	pagemap_close(&pm);
	kpage_open(&r, &k);
	CHECK(kpage_read(&k, &pfn, NULL, 1, &flags, &count, NULL, &e) == 0,
	      "%s", e.msg);
	CHECK(flags == 0x5828 && count == 1, "kpage of the heap page: 0x%" PRIx64,
	      flags);
	kpage_close(&k);
	root_close(&r);
	snapshot_remove_tree(AT_FDCWD, dir);
}

/* The big-endian MIPS router fixture (entries written big-endian,
 * byte_order=big): the same values on a target of either order. */
static void test_fixture_be(const char *fix)
{
	static const uint64_t pfns[3] = { 0x6c01, 0x1f00, 0x3f5 };
	uint64_t raw[3], flags[3], counts[3], cg[3];
	char dir[4096];
	struct vms_root r;
	struct pagemap pm;
	struct kpage k;
	struct vms_err e;
	int dfd;

	if (snapshot_mktemp(dir, sizeof dir, &e) < 0) {
		CHECK(0, "%s", e.msg);
		return;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK(snapshot_expand(fix, dfd, &e) == 0, "expand: %s", e.msg);
	close(dfd);
	CHECK(root_open(&r, dir, &e) == 0, "%s", e.msg);
	CHECK(r.big_endian && r.addr_bits == 32, "a big-endian 32-bit root");
	CHECK(snapshot_check(&r, &e) == 0, "%s", e.msg);
	CHECK(pagemap_open(&r, 1523, &pm, &e) == 0, "%s", e.msg);
	CHECK(pagemap_read(&pm, 0x1a6f000, 3, raw, &e) == 0, "%s", e.msg);
	CHECK(raw[0] == UINT64_C(0x8100000000006c01) &&
	      raw[2] == UINT64_C(0x40000000000038a0),
	      "heap entries 0x%" PRIx64 " 0x%" PRIx64, raw[0], raw[2]);
	CHECK(pagemap_read(&pm, 0x7ffff000, 1, raw, &e) == 0 && raw[0] == 0,
	      "the last page below TASK_SIZE: %s", e.msg);
	pagemap_close(&pm);
	kpage_open(&r, &k);
	CHECK(kpage_read(&k, pfns, NULL, 3, flags, counts, cg, &e) == 0,
	      "%s", e.msg);
	CHECK(flags[0] == 0x5838 && counts[0] == 1 && cg[0] == 2089,
	      "heap page: flags 0x%" PRIx64 " count %" PRIu64 " cgroup %" PRIu64,
	      flags[0], counts[0], cg[0]);
	CHECK(flags[1] == 0x86c && counts[1] == 9, "libc page: count %" PRIu64,
	      counts[1]);
	CHECK(flags[2] == UINT64_C(0x100000000) && counts[2] == 38,
	      "vdso page: flags 0x%" PRIx64, flags[2]);
	kpage_close(&k);
	root_close(&r);
	snapshot_remove_tree(AT_FDCWD, dir);
}

int main(int argc, char **argv)
{
	const char *fix = argc > 1 ? argv[1] : "tests/fixtures/zynq-armv7";
	const char *fix_be = argc > 2 ? argv[2] : "tests/fixtures/mips-be-ath79";

	test_abi();
	test_conf(fix);
	test_vmas(fix);
	test_decode();
	test_big_offsets();
	test_fixture(fix);
	test_fixture_be(fix_be);
	printf("cross_core: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
