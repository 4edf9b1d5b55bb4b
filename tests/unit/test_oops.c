/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oops and ptecheck: the real messages in tests/fixtures/oops (sources
 * beside them) are scanned into the values the kernel printed, and a
 * kernel virtual address used as a frame is recognised on x86_64 and
 * ARM32; the map-based findings are checked on a small hand-built map. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/oops.h"
#include "vmscope/ptecheck.h"

static char *slurp(const char *name, size_t *len)
{
	char path[256], *buf = malloc(65536);
	FILE *f;

	snprintf(path, sizeof path, "tests/fixtures/oops/%s", name);
	assert_non_null(buf);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	*len = fread(buf, 1, 65535, f);
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

static void scan(const char *name, struct oops_report *r)
{
	size_t len;
	char *t = slurp(name, &len);

	oops_scan(t, len, PTE_L_PTE, r);
	free(t);
}

static bool finding(const struct ptecheck_result *c, const char *id)
{
	unsigned i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->f[i].id, id))
			return true;
	return false;
}

static void check(const struct oops_report *r, size_t i, enum pte_arch a,
		  int mode, const struct kranges *k, struct pte_entry *e,
		  struct ptecheck_result *c, bool hw_garbage)
{
	struct pte_fmt f = { .arch = a, .mode = mode };

	pte_decode(&f, r->e[i].level, r->e[i].raw, e);
	ptecheck_entry(&f, k, r, e, hw_garbage, c);
}

static void test_x86_64_kernel_address_as_frame(void **st)
{
	struct oops_report r;
	struct pte_entry e;
	struct ptecheck_result c;

	(void)st;
	scan("x86_64-kmem-kva.txt", &r);
	assert_int_equal(r.arch, PTE_X86_64);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.e[0].level, PTE_L_PGD);
	assert_int_equal(r.e[3].level, PTE_L_PTE);
	assert_int_equal(r.e[3].raw, UINT64_C(0xffffffff8048a025));
	assert_true(r.have_addr);
	assert_int_equal(r.fault_addr, UINT64_C(0x2aaaaaabf800));
	assert_true(r.have_error_code);
	assert_int_equal(r.error_code, 0xd);
	assert_true(r.bad_pagetable);
	check(&r, 3, PTE_X86_64, 0, NULL, &e, &c, false);
	assert_true(finding(&c, "kernel-virtual-address"));
	assert_non_null(strstr(c.f[0].evidence, "0xffffffff8048a000"));
	assert_non_null(strstr(c.f[0].evidence, "kernel image"));
	/* the tables above it are plain RAM tables: no finding */
	check(&r, 0, PTE_X86_64, 0, NULL, &e, &c, false);
	assert_int_equal(c.n, 0);
}

/* Since Linux 4.18 pfn_pte() masks the frame to bits 12-51: a pointer
 * >> PAGE_SHIFT leaves bits 12-51 of a kernel address; the pointer itself
 * (not shifted) leaves nothing, frame 0. */
static void test_x86_64_masked_pointer(void **st)
{
	struct pte_fmt f = { .arch = PTE_X86_64 };
	uint64_t va = UINT64_C(0xffff888123456000);
	struct pte_entry e;
	struct ptecheck_result c;

	(void)st;
	pte_decode(&f, PTE_L_PTE, (va & UINT64_C(0x000ffffffffff000)) | 0x67 |
		   (UINT64_C(1) << 63), &e);
	ptecheck_entry(&f, NULL, NULL, &e, false, &c);
	assert_true(finding(&c, "kernel-virtual-address"));
	assert_non_null(strstr(c.f[0].evidence, "0xffff888123456000"));
	assert_non_null(strstr(c.f[0].evidence, "direct map"));
	assert_non_null(strstr(c.f[0].advice, "virt_to_phys"));
	pte_decode(&f, PTE_L_PTE, 0x8000000000000067u, &e);
	ptecheck_entry(&f, NULL, NULL, &e, false, &c);
	assert_true(finding(&c, "frame-zero"));
	/* an ordinary user page: nothing */
	pte_decode(&f, PTE_L_PTE, UINT64_C(0x8000000203f12867), &e);
	ptecheck_entry(&f, NULL, NULL, &e, false, &c);
	assert_int_equal(c.n, 0);
}

static void test_x86_64_reserved_bit(void **st)
{
	struct oops_report r;
	struct pte_entry e;
	struct ptecheck_result c;

	(void)st;
	scan("x86_64-rsvd-ch.txt", &r);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.mode, -1);          /* P4D == PGD: 4-level */
	assert_int_equal(r.error_code, 0xb);
	assert_string_equal(r.fault, "reserved bit violation");
	assert_int_equal(r.kernel[0], 6);
	assert_int_equal(r.kernel[1], 1);
	check(&r, 4, PTE_X86_64, 0, NULL, &e, &c, false);
	assert_int_equal(e.addr, UINT64_C(0xfffffee000));
	assert_true(finding(&c, "reserved-bits"));
	assert_false(finding(&c, "kernel-virtual-address"));
}

static void test_x86_32_pae(void **st)
{
	struct oops_report r;

	(void)st;
	scan("x86_32-pae-chromium.txt", &r);
	assert_int_equal(r.arch, PTE_X86_32);
	assert_int_equal(r.mode, PTE_X86_PAE);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.e[1].raw, UINT64_C(0x03b40008304285b6));
	assert_int_equal(r.error_code, 0xf);
}

static void test_arm_kernel_address_as_frame(void **st)
{
	struct oops_report r;
	struct pte_entry e;
	struct ptecheck_result c;

	(void)st;
	scan("arm-kva-mv88e6060.txt", &r);
	assert_int_equal(r.arch, PTE_ARM);
	assert_int_equal(r.mode, PTE_ARM_SHORT);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.e[2].level, PTE_L_PPTE);
	assert_int_equal(r.e[1].raw, 0xc2b7b000u);
	check(&r, 1, PTE_ARM, 0, NULL, &e, &c, true);
	assert_true(finding(&c, "kernel-virtual-address"));
	assert_non_null(strstr(c.f[0].evidence, "lowmem"));
	assert_non_null(strstr(c.f[0].advice, "virt_to_phys"));
}

static void test_arm_device_is_not_a_kernel_address(void **st)
{
	struct oops_report r;
	struct pte_entry e;
	struct ptecheck_result c;

	(void)st;
	scan("arm-device-artpec6.txt", &r);
	assert_int_equal(r.n, 3);
	assert_true(r.have_addr);
	assert_int_equal(r.fault_addr, 0xf0bdd00eu);
	check(&r, 2, PTE_ARM, 0, NULL, &e, &c, false);
	assert_int_equal(e.addr, 0xf8050000u);
	assert_int_equal(e.mem, PTE_MEM_DEVICE);
	assert_int_equal(c.n, 0);
}

static void test_arm64(void **st)
{
	struct oops_report r;

	(void)st;
	scan("arm64-beyond-versal.txt", &r);
	assert_int_equal(r.arch, PTE_ARM64);
	assert_int_equal(r.mode, PTE_ARM64_4K);
	assert_int_equal(r.va_bits, 48);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.e[4].raw, UINT64_C(0x00687ffff8200703));
	assert_string_equal(r.fault, "level 3 address size fault");
	assert_int_equal(r.kernel[0], 5);
	assert_int_equal(r.kernel[1], 18);
	/* an entry split over two lines, a garbled console */
	scan("arm64-normal-android.txt", &r);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.va_bits, 39);
	assert_true(r.have_addr);
	assert_int_equal(r.fault_addr, UINT64_C(0xffffff802a0d8d71));
	assert_int_equal(r.walks, 1);
}

/* RISC-V's show_pte (Linux 6.14+) prints arm64's "pgd=..., pte=..." but
 * its own "pgtable: 4K pagesize, N-bit VAs" line names the arch and the
 * mode; Sv39 and Sv48 print the folded root entry under several names. */
static void test_riscv(void **st)
{
	static const char walk_only[] =
		"[0000000000000010] pgd=0000000000000000, p4d=0000000000000000\n"
		"status: 0000000200000120 badaddr: 0000000000000010 cause: 000000000000000d\n";
	struct oops_report r;
	struct pte_entry e;
	struct pte_fmt f = { .arch = PTE_RISCV, .mode = PTE_RISCV_SV48 };

	(void)st;
	scan("riscv-sv39-icicle.txt", &r);
	assert_int_equal(r.arch, PTE_RISCV);
	assert_int_equal(r.mode, PTE_RISCV_SV39);
	assert_int_equal(r.va_bits, 39);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.e[2].level, PTE_L_PUD);
	assert_int_equal(r.fault_addr, 0x368);
	assert_int_equal(r.kernel[0], 6);
	scan("riscv-sv48-xiangshan.txt", &r);
	assert_int_equal(r.arch, PTE_RISCV);
	assert_int_equal(r.mode, PTE_RISCV_SV48);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.e[0].raw, r.e[1].raw);
	assert_int_equal(r.e[2].raw, 0x9ffff801);
	pte_decode(&f, r.e[0].level, r.e[0].raw, &e);
	assert_string_equal(e.hwname, "level 3");
	assert_int_equal(e.kind, PTE_K_TABLE);
	assert_int_equal(e.addr, UINT64_C(0x27ffff000));
	scan("riscv-sv57-qemu.txt", &r);
	assert_int_equal(r.mode, PTE_RISCV_SV57);
	assert_int_equal(r.va_bits, 57);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.e[4].level, PTE_L_PTE);
	assert_int_equal(r.e[4].raw, 0);
	/* the walk alone is arm64's; the register dump's badaddr makes it RISC-V */
	oops_scan(walk_only, sizeof walk_only - 1, PTE_L_PTE, &r);
	assert_int_equal(r.arch, PTE_RISCV);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.fault_addr, 0x10);
	oops_scan(walk_only, 64, PTE_L_PTE, &r);
	assert_int_equal(r.arch, PTE_ARM64);
	/* arm64's own pgtable line stays arm64 */
	scan("arm64-beyond-versal.txt", &r);
	assert_int_equal(r.arch, PTE_ARM64);
}

/* The correct device entry of each arch and mode, written as that arch's
 * kernel prints it (pte_build_text), reads back as the same arch, mode,
 * level and value: the decode screen of a gap page relies on it. */
static void test_build_text_round_trip(void **st)
{
	static const struct { enum pte_arch a; int mode; } t[] = {
		{ PTE_X86_64, PTE_X86_4LEVEL }, { PTE_X86_32, PTE_X86_PAE },
		{ PTE_X86_32, PTE_X86_NOPAE }, { PTE_ARM, PTE_ARM_SHORT },
		{ PTE_ARM, PTE_ARM_LPAE }, { PTE_ARM64, PTE_ARM64_4K },
		{ PTE_ARM64, PTE_ARM64_16K }, { PTE_ARM64, PTE_ARM64_64K },
		{ PTE_RISCV, PTE_RISCV_SV39 }, { PTE_RISCV, PTE_RISCV_SV48 },
		{ PTE_RISCV, PTE_RISCV_SV57 },
	};
	size_t i;

	(void)st;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct pte_fmt f = { .arch = t[i].a, .mode = t[i].mode };
		struct oops_report r;
		enum pte_level lv;
		uint64_t raw = pte_build_device(&f, 0x41200000, true, &lv);
		char text[160];
		size_t n = pte_build_text(&f, lv, raw, text, sizeof text);

		assert_true(n > 0 && n < sizeof text);
		oops_scan(text, n, PTE_L_PGD, &r);
		assert_false(r.bare);
		assert_int_equal(r.arch, t[i].a);
		assert_int_equal(r.mode < 0 ? 0 : r.mode, t[i].mode);
		assert_int_equal(r.n, 1);
		assert_int_equal(r.e[0].level, lv);
		assert_int_equal(r.e[0].raw, raw);
	}
}

static void test_bare_values(void **st)
{
	static const char t[] = "pte 0x8000000203f12867 and 00000000c0ffe000, not 12";
	struct oops_report r;

	(void)st;
	oops_scan(t, sizeof t - 1, PTE_L_PMD, &r);
	assert_true(r.bare);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.e[0].level, PTE_L_PMD);
	assert_int_equal(r.e[1].raw, 0xc0ffe000u);
	oops_scan("PTE entries", 11, PTE_L_PTE, &r);
	assert_int_equal(r.n, 0);
}

/* A map: RAM 0-1 GiB, a device at 0x40000000, nothing above. */
static void test_map_findings(void **st)
{
	struct pte_fmt f = { .arch = PTE_ARM, .mode = PTE_ARM_SHORT };
	struct kranges k;
	struct pte_entry e;
	struct ptecheck_result c;

	(void)st;
	kranges_init(&k);
	kranges_add(&k, KSPACE_PHYS, KR_RAM, 0, 0x40000000, "System RAM",
		    KSRC_IOMEM, 1, NULL, 0);
	kranges_add(&k, KSPACE_PHYS, KR_DEVICE, 0x40000000, 0x40001000,
		    "gpio@40000000", KSRC_IOMEM, 2, NULL, 0);
	assert_int_equal(kranges_finalize(&k, NULL), 0);
	/* device mapped write-back (TEX remap index 3) */
	pte_decode(&f, PTE_L_PPTE, 0x40000000u | (1u << 4) | 0xc | 2, &e);
	ptecheck_entry(&f, &k, NULL, &e, false, &c);
	assert_true(c.place.in_device);
	assert_true(finding(&c, "cached-device"));
	/* RAM mapped strongly-ordered */
	pte_decode(&f, PTE_L_PPTE, 0x10000000u | (1u << 4) | 2, &e);
	ptecheck_entry(&f, &k, NULL, &e, false, &c);
	assert_true(c.place.in_ram);
	assert_true(finding(&c, "uncached-ram"));
	/* the physical address of the device passed unshifted: 0x40000 << 12 */
	pte_decode(&f, PTE_L_PPTE, 0x40000000u, &e);
	e.kind = PTE_K_LEAF;
	e.addr = UINT64_C(0x40000) << 24;
	ptecheck_entry(&f, &k, NULL, &e, false, &c);
	assert_true(finding(&c, "phys-not-shifted"));
	/* present lowmem-looking frame beyond RAM, no device: a pointer */
	pte_decode(&f, PTE_L_PPTE, 0xc1234000u | (1u << 4) | 0xc | 2, &e);
	ptecheck_entry(&f, &k, NULL, &e, false, &c);
	assert_true(c.place.beyond_ram);
	assert_true(finding(&c, "kernel-virtual-address"));
	assert_true(finding(&c, "beyond-ram"));
	kranges_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86_64_kernel_address_as_frame),
		cmocka_unit_test(test_x86_64_masked_pointer),
		cmocka_unit_test(test_x86_64_reserved_bit),
		cmocka_unit_test(test_x86_32_pae),
		cmocka_unit_test(test_arm_kernel_address_as_frame),
		cmocka_unit_test(test_arm_device_is_not_a_kernel_address),
		cmocka_unit_test(test_arm64),
		cmocka_unit_test(test_riscv),
		cmocka_unit_test(test_build_text_round_trip),
		cmocka_unit_test(test_bare_values),
		cmocka_unit_test(test_map_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
