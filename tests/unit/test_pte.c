/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pte: entries built bit by bit from the manuals (Intel SDM vol. 3 ch. 4,
 * ARM ARM v7-A B3.5/B3.6, ARM ARM D8, RISC-V privileged spec) decode to
 * the fields the manuals give them; and the x86 page-fault error code. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "vmscope/pte.h"

#define BIT(n) (UINT64_C(1) << (n))

static struct pte_entry dec(enum pte_arch a, int mode, enum pte_level l,
			    uint64_t raw)
{
	struct pte_fmt f = { .arch = a, .mode = mode };
	struct pte_entry e;

	pte_decode(&f, l, raw, &e);
	return e;
}

/* The attribute name's value contains want. */
static void has(const struct pte_entry *e, const char *name, const char *want)
{
	const char *v = pte_attr_get(e, name);

	if (!v || !strstr(v, want))
		fail_msg("%s: want '%s', got '%s'", name, want, v ? v : "(none)");
}

/* ---- x86 ---- */

static void test_x86_64_pte_each_flag(void **st)
{
	uint64_t frame = UINT64_C(0x123456789) << 12;
	struct pte_entry e;

	(void)st;
	e = dec(PTE_X86_64, PTE_X86_4LEVEL, PTE_L_PTE, frame | 1);
	assert_int_equal(e.kind, PTE_K_LEAF);
	assert_true(e.present);
	assert_int_equal(e.addr, frame);
	assert_int_equal(e.pfn, 0x123456789);
	assert_int_equal(e.size, 4096);
	has(&e, "writable", "no");
	has(&e, "user", "no");
	has(&e, "accessed", "no");
	has(&e, "dirty", "no");
	has(&e, "global", "no");
	has(&e, "no-execute", "no");
	has(&e, "caching", "WB: PAT index 0");
	assert_int_equal(e.mem, PTE_MEM_CACHED);
	e = dec(PTE_X86_64, 0, PTE_L_PTE, frame | 1 | BIT(1) | BIT(2) | BIT(5) |
		BIT(6) | BIT(8) | BIT(63));
	has(&e, "writable", "yes");
	has(&e, "user", "yes");
	has(&e, "accessed", "yes");
	has(&e, "dirty", "yes");
	has(&e, "global", "yes");
	has(&e, "no-execute", "yes (XD=1)");
	/* PWT=1: index 1 (Linux WC); PCD=1: 2 (UC-); both: 3 (UC); PAT: 4 */
	e = dec(PTE_X86_64, 0, PTE_L_PTE, frame | 1 | BIT(3));
	has(&e, "caching", "WC: PAT index 1");
	assert_int_equal(e.mem, PTE_MEM_WC);
	e = dec(PTE_X86_64, 0, PTE_L_PTE, frame | 1 | BIT(4));
	has(&e, "caching", "UC-: PAT index 2");
	assert_int_equal(e.mem, PTE_MEM_DEVICE);
	e = dec(PTE_X86_64, 0, PTE_L_PTE, frame | 1 | BIT(3) | BIT(4));
	has(&e, "caching", "UC: PAT index 3");
	e = dec(PTE_X86_64, 0, PTE_L_PTE, frame | 1 | BIT(7) | BIT(3) | BIT(4));
	has(&e, "caching", "WT: PAT index 7");
	e = dec(PTE_X86_64, 0, PTE_L_PTE, frame | 1 | BIT(9) | BIT(11) | BIT(57));
	has(&e, "software", "9 (Linux: special)");
	has(&e, "software", "11 (Linux: soft-dirty)");
	has(&e, "software", "57 (Linux: devmap)");
	e = dec(PTE_X86_64, 0, PTE_L_PTE, frame | 1 | (UINT64_C(5) << 59));
	has(&e, "protection-key", "5");
}

static void test_x86_64_large_pages_and_reserved(void **st)
{
	struct pte_fmt f = { .arch = PTE_X86_64, .pa_bits = 39 };
	struct pte_entry e;

	(void)st;
	/* 2 MiB page: PS=1 in a PDE, address from bit 21, PAT at bit 12 */
	e = dec(PTE_X86_64, 0, PTE_L_PMD, (UINT64_C(0x40) << 21) | BIT(7) | BIT(12) | 1);
	assert_int_equal(e.kind, PTE_K_LEAF);
	assert_int_equal(e.size, 2u << 20);
	assert_int_equal(e.addr, UINT64_C(0x40) << 21);
	has(&e, "caching", "PAT index 4");
	/* bits 13-20 of a 2 MiB PDE are reserved */
	e = dec(PTE_X86_64, 0, PTE_L_PMD, (UINT64_C(0x40) << 21) | BIT(7) | BIT(13) | 1);
	assert_int_equal(e.reserved, BIT(13));
	/* 1 GiB page in a PDPTE; bits 13-29 reserved */
	e = dec(PTE_X86_64, 0, PTE_L_PUD, BIT(30) | BIT(7) | BIT(20) | 1);
	assert_int_equal(e.size, UINT64_C(1) << 30);
	assert_int_equal(e.reserved, BIT(20));
	/* PS in a PML4E is reserved; without PS a PDE is a table */
	e = dec(PTE_X86_64, 0, PTE_L_PGD, 0x1000 | BIT(7) | 1);
	assert_int_equal(e.reserved, BIT(7));
	e = dec(PTE_X86_64, 0, PTE_L_PMD, 0x5000 | 0x67);
	assert_int_equal(e.kind, PTE_K_TABLE);
	assert_int_equal(e.addr, 0x5000);
	/* MAXPHYADDR 39: address bits 39..51 reserved */
	pte_decode(&f, PTE_L_PTE, UINT64_C(0x800000fffffee163), &e);
	assert_int_equal(e.reserved, BIT(39));
	/* not present: kind only, no reserved check */
	e = dec(PTE_X86_64, 0, PTE_L_PTE, UINT64_C(0xfff0000000000) | 0x2);
	assert_int_equal(e.kind, PTE_K_INVALID);
	assert_false(e.present);
	assert_int_equal(e.reserved, 0);
	e = dec(PTE_X86_64, 0, PTE_L_PTE, 0);
	assert_int_equal(e.kind, PTE_K_NONE);
}

static void test_x86_32(void **st)
{
	struct pte_entry e;

	(void)st;
	/* 32-bit paging: 4 MiB PDE with PSE-36 bits 13-20 = PA[39:32] */
	e = dec(PTE_X86_32, PTE_X86_NOPAE, PTE_L_PMD,
		(UINT64_C(0x3) << 22) | (UINT64_C(0x5) << 13) | BIT(7) | 3);
	assert_int_equal(e.kind, PTE_K_LEAF);
	assert_int_equal(e.size, 4u << 20);
	assert_int_equal(e.addr, (UINT64_C(5) << 32) | (UINT64_C(3) << 22));
	assert_null(pte_attr_get(&e, "no-execute"));   /* no XD in 32-bit paging */
	/* PAE PDPTE: bits 1-2 and 5-8 reserved */
	e = dec(PTE_X86_32, PTE_X86_PAE, PTE_L_PGD, 0x7000 | BIT(1) | 1);
	assert_int_equal(e.kind, PTE_K_TABLE);
	assert_int_equal(e.reserved, BIT(1));
	e = dec(PTE_X86_32, PTE_X86_PAE, PTE_L_PTE, BIT(63) | 0x9000 | 1);
	has(&e, "no-execute", "yes");
}

/* 5-level paging (SDM 4.5): the walk starts at a PML5E; PS (bit 7) is
 * reserved in PML5Es and PML4Es; 4-level starts at the PML4E. */
static void test_x86_64_5level(void **st)
{
	struct pte_entry e;

	(void)st;
	e = dec(PTE_X86_64, PTE_X86_5LEVEL, PTE_L_PGD, 0x1234067);
	assert_string_equal(e.hwname, "PML5E");
	assert_int_equal(e.kind, PTE_K_TABLE);
	assert_int_equal(e.addr, 0x1234000);
	assert_int_equal(e.reserved, 0);
	e = dec(PTE_X86_64, PTE_X86_5LEVEL, PTE_L_P4D, 0x1234067);
	assert_string_equal(e.hwname, "PML4E");
	e = dec(PTE_X86_64, PTE_X86_5LEVEL, PTE_L_PGD, 0x1234067 | BIT(7));
	assert_int_equal(e.reserved, BIT(7));
	e = dec(PTE_X86_64, PTE_X86_5LEVEL, PTE_L_P4D, 0x1234067 | BIT(7));
	assert_int_equal(e.reserved, BIT(7));
	e = dec(PTE_X86_64, PTE_X86_4LEVEL, PTE_L_PGD, 0x1234067);
	assert_string_equal(e.hwname, "PML4E");
	e = dec(PTE_X86_64, PTE_X86_5LEVEL, PTE_L_PTE, 0x1234067);
	assert_string_equal(e.hwname, "PTE");
}

/* 32-bit paging without PAE (SDM 4.3, tables 4-5 and 4-6): each flag of
 * a PTE alone; PAT is bit 7 of a PTE, bit 12 of a 4 MiB PDE; no XD; the
 * software bits 10 and 11 have no Linux meaning on a 32-bit kernel. */
static void test_x86_32_nopae_each_flag(void **st)
{
	static const struct { unsigned bit; const char *name, *off, *on; } b[] = {
		{ 1, "writable", "no", "yes (R/W=1)" }, { 2, "user", "no", "yes (U/S=1)" },
		{ 5, "accessed", "no", "yes" }, { 6, "dirty", "no", "yes" },
		{ 8, "global", "no", "yes" },
		{ 3, "caching", "WB: PAT index 0", "WC: PAT index 1" },
		{ 4, "caching", "WB: PAT index 0", "UC-: PAT index 2" },
		{ 7, "caching", "WB: PAT index 0", "WB: PAT index 4" },
	};
	struct pte_entry e;
	size_t i;

	(void)st;
	for (i = 0; i < sizeof b / sizeof b[0]; i++) {
		e = dec(PTE_X86_32, PTE_X86_NOPAE, PTE_L_PTE, 0xfffff000u | 1);
		has(&e, b[i].name, b[i].off);
		e = dec(PTE_X86_32, PTE_X86_NOPAE, PTE_L_PTE, 0xfffff000u | 1 | BIT(b[i].bit));
		has(&e, b[i].name, b[i].on);
		assert_int_equal(e.kind, PTE_K_LEAF);
		assert_int_equal(e.addr, 0xfffff000u);
		assert_int_equal(e.reserved, 0);
		assert_null(pte_attr_get(&e, "no-execute"));
	}
	e = dec(PTE_X86_32, PTE_X86_NOPAE, PTE_L_PTE, 0x1000 | 1 | 0xe00);
	has(&e, "software", "9 (Linux: special), 10, 11");
	e = dec(PTE_X86_64, 0, PTE_L_PTE, 0x1000 | 1 | 0xe00);
	has(&e, "software", "10 (Linux: uffd-wp), 11 (Linux: soft-dirty)");
	/* 4 MiB page: PAT in bit 12 */
	e = dec(PTE_X86_32, PTE_X86_NOPAE, PTE_L_PMD, 0x00400000u | BIT(12) | BIT(7) | 3);
	has(&e, "caching", "PAT index 4");
	assert_int_equal(e.addr, 0x400000);
	e = dec(PTE_X86_32, PTE_X86_NOPAE, PTE_L_PMD, 0x00567067u);
	assert_int_equal(e.kind, PTE_K_TABLE);
	assert_int_equal(e.addr, 0x567000);
	/* PAE: a frame above 4 GiB and XD */
	e = dec(PTE_X86_32, PTE_X86_PAE, PTE_L_PTE, (UINT64_C(0x5) << 32) | 0x3000 | 3);
	assert_int_equal(e.addr, (UINT64_C(5) << 32) | 0x3000);
	has(&e, "no-execute", "no");
}

static void test_x86_error_code(void **st)
{
	char buf[512];

	(void)st;
	pte_x86_error_code(0x000d, buf, sizeof buf);
	assert_non_null(strstr(buf, "P: protection violation"));
	assert_non_null(strstr(buf, "W: a read"));
	assert_non_null(strstr(buf, "U: in user mode"));
	assert_non_null(strstr(buf, "RSVD"));
	assert_null(strstr(buf, "I: an instruction fetch"));
	pte_x86_error_code(0x0010 | 0x20 | 0x40 | 0x8000, buf, sizeof buf);
	assert_non_null(strstr(buf, "P: the page was not present"));
	assert_non_null(strstr(buf, "I: an instruction fetch"));
	assert_non_null(strstr(buf, "PK:"));
	assert_non_null(strstr(buf, "SS:"));
	assert_non_null(strstr(buf, "SGX:"));
}

/* ---- ARM32 short descriptors and Linux's PTE ---- */

static void test_arm_short(void **st)
{
	struct pte_entry e;

	(void)st;
	/* first level: page table at bits 31:10, domain 5-8 */
	e = dec(PTE_ARM, PTE_ARM_SHORT, PTE_L_PGD, 0x8e532800 | (3u << 5) | 1);
	assert_int_equal(e.kind, PTE_K_TABLE);
	assert_int_equal(e.addr, 0x8e532800);
	has(&e, "domain", "3");
	/* section: B=1 C=1 (write-back), AP=11, S, nG, XN */
	e = dec(PTE_ARM, 0, PTE_L_PGD, 0x60000000u | BIT(16) | BIT(17) |
		(3u << 10) | BIT(4) | BIT(3) | BIT(2) | 2);
	assert_int_equal(e.kind, PTE_K_LEAF);
	assert_int_equal(e.size, 1u << 20);
	assert_int_equal(e.addr, 0x60000000u);
	has(&e, "access", "read/write for all");
	has(&e, "shareable", "yes");
	has(&e, "global", "no (nG=1)");
	has(&e, "no-execute", "yes (XN)");
	has(&e, "caching", "write-back");
	assert_int_equal(e.mem, PTE_MEM_CACHED);
	/* supersection: PA[35:32] in bits 23:20 */
	e = dec(PTE_ARM, 0, PTE_L_PGD, 0x12000000u | (0x3u << 20) | BIT(18) | 2);
	assert_int_equal(e.size, 16u << 20);
	assert_int_equal(e.addr, (UINT64_C(3) << 32) | 0x12000000u);
	/* small page: XN bit 0, AP[2] bit 9, TEX remap index 4 = device */
	e = dec(PTE_ARM, 0, PTE_L_PPTE, 0x40001000u | BIT(6) | BIT(9) | (1u << 4) | 3);
	assert_int_equal(e.kind, PTE_K_LEAF);
	assert_int_equal(e.addr, 0x40001000u);
	has(&e, "access", "AP[2:0]=101: kernel read-only, user none");
	has(&e, "no-execute", "yes");
	has(&e, "caching", "device");
	assert_int_equal(e.mem, PTE_MEM_DEVICE);
	/* large page: 64 KiB, base 31:16, XN bit 15 */
	e = dec(PTE_ARM, 0, PTE_L_PPTE, 0x50010000u | BIT(15) | 1);
	assert_int_equal(e.size, 64u << 10);
	assert_int_equal(e.addr, 0x50010000u);
	/* Linux PTE: present, young, MT_WRITEBACK, dirty, user, shared */
	e = dec(PTE_ARM, 0, PTE_L_PTE, 0x7f000000u | 1 | 2 | (3u << 2) | BIT(6) |
		BIT(8) | BIT(10));
	has(&e, "accessed", "yes");
	has(&e, "dirty", "yes");
	has(&e, "writable", "yes");
	has(&e, "user", "yes");
	has(&e, "caching", "WRITEBACK");
	/* L_PTE_RDONLY, L_PTE_XN, MT_DEV_SHARED */
	e = dec(PTE_ARM, 0, PTE_L_PTE, 0x7f000000u | 1 | BIT(7) | BIT(9) | (4u << 2));
	has(&e, "writable", "no");
	has(&e, "no-execute", "yes");
	assert_int_equal(e.mem, PTE_MEM_DEVICE);
	/* a pgd_val of two words: the low one is decoded */
	e = dec(PTE_ARM, 0, PTE_L_PGD, UINT64_C(0x02b7b83102b7b831));
	assert_int_equal(e.addr, 0x02b7b800);
	assert_non_null(strstr(e.note, "two first-level entries"));
}

/* ---- long descriptors: ARMv7 LPAE and arm64 ---- */

static void test_lpae(void **st)
{
	struct pte_entry e;

	(void)st;
	e = dec(PTE_ARM, PTE_ARM_LPAE, PTE_L_PMD, (UINT64_C(0x1) << 32) | 0x200000 |
		BIT(10) | (3u << 8) | (3u << 2) | 1);
	assert_int_equal(e.kind, PTE_K_LEAF);
	assert_int_equal(e.size, 2u << 20);
	assert_int_equal(e.addr, (UINT64_C(1) << 32) | 0x200000);
	has(&e, "caching", "AttrIndx 3: normal write-back");
	/* bits 47:40 must be zero */
	e = dec(PTE_ARM, PTE_ARM_LPAE, PTE_L_PTE, BIT(41) | 0x1000 | 3);
	assert_int_equal(e.reserved, BIT(41));
}

/* ARMv7 LPAE level-3 page (ARM ARM B3.6.2): AttrIndx 4:2, AP[2:1]
 * 7:6, SH 9:8, AF 10, nG 11, contiguous 52, PXN 53, XN 54 (XN forbids
 * execution at PL0 and PL1: not arm64's UXN); Linux's software bits
 * 55 dirty, 56 special, 57 PROT_NONE, 58 read-only. */
static void test_lpae_each_flag(void **st)
{
	uint64_t pg = UINT64_C(0xff41200000) | 3;
	struct pte_entry e;

	(void)st;
	e = dec(PTE_ARM, PTE_ARM_LPAE, PTE_L_PTE, pg);
	assert_int_equal(e.kind, PTE_K_LEAF);
	assert_int_equal(e.addr, UINT64_C(0xff41200000));
	has(&e, "writable", "yes (AP[2]=0)");
	has(&e, "user", "no (AP[1]=0)");
	has(&e, "accessed", "no (AF=0)");
	has(&e, "global", "yes");
	has(&e, "no-execute", "user: no, kernel: no");
	has(&e, "caching", "AttrIndx 0: strongly-ordered");
	has(&e, "shareable", "SH=0");
	has(&e, "software", "none");
	assert_null(pte_attr_get(&e, "contiguous"));
	e = dec(PTE_ARM, PTE_ARM_LPAE, PTE_L_PTE, pg | BIT(7) | BIT(6) | BIT(10) |
		BIT(11) | (3u << 8) | (3u << 2) | BIT(52));
	has(&e, "writable", "no (AP[2]=1)");
	has(&e, "user", "yes (AP[1]=1)");
	has(&e, "accessed", "yes (AF=1)");
	has(&e, "global", "no (nG=1)");
	has(&e, "shareable", "inner shareable (SH=3)");
	has(&e, "caching", "AttrIndx 3: normal write-back");
	has(&e, "contiguous", "yes");
	e = dec(PTE_ARM, PTE_ARM_LPAE, PTE_L_PTE, pg | BIT(54));
	has(&e, "no-execute", "user: yes (XN), kernel: yes (XN)");
	e = dec(PTE_ARM, PTE_ARM_LPAE, PTE_L_PTE, pg | BIT(53));
	has(&e, "no-execute", "user: no, kernel: yes (PXN)");
	e = dec(PTE_ARM, PTE_ARM_LPAE, PTE_L_PTE, pg | BIT(55) | BIT(56) | BIT(57) | BIT(58));
	has(&e, "software", "55 (Linux: dirty) 56 (Linux: special) 57 (Linux: PROT_NONE) 58 (Linux: read-only)");
	has(&e, "dirty", "yes");
	/* arm64's bit 54 is UXN: EL1 may still execute */
	e = dec(PTE_ARM64, PTE_ARM64_4K, PTE_L_PTE, pg | BIT(10) | BIT(54));
	has(&e, "no-execute", "user: yes (UXN), kernel: no");
}

static void test_arm64_granules(void **st)
{
	struct pte_fmt f = { .arch = PTE_ARM64, .mode = PTE_ARM64_4K, .va_bits = 48,
			     .kernel = { 6, 1 } };
	struct pte_entry e;

	(void)st;
	/* 4K page: OA 47:12, AttrIndx 4 (6.1: Device-nGnRE), AP[2]=1, AP[1]=1,
	 * SH=10, AF, nG, PXN, UXN, Linux dirty (55) and special (56) */
	pte_decode(&f, PTE_L_PTE, UINT64_C(0x0000123456789000) | 3 | (4u << 2) |
		   BIT(6) | BIT(7) | (2u << 8) | BIT(10) | BIT(11) | BIT(53) | BIT(54) |
		   BIT(55) | BIT(56), &e);
	assert_int_equal(e.kind, PTE_K_LEAF);
	assert_int_equal(e.addr, UINT64_C(0x123456789000));
	has(&e, "caching", "AttrIndx 4: Device-nGnRE");
	assert_int_equal(e.mem, PTE_MEM_DEVICE);
	has(&e, "writable", "no (AP[2]=1)");
	has(&e, "user", "yes");
	has(&e, "shareable", "outer shareable");
	has(&e, "accessed", "yes");
	has(&e, "global", "no (nG=1)");
	has(&e, "no-execute", "user: yes (UXN), kernel: yes (PXN)");
	has(&e, "software", "55 (Linux: dirty)");
	has(&e, "software", "56 (Linux: special)");
	has(&e, "dirty", "yes");
	/* DBM with AP[2]=1: writable but clean */
	pte_decode(&f, PTE_L_PTE, 0x1000 | 3 | BIT(7) | BIT(51), &e);
	has(&e, "writable", "clean");
	has(&e, "dirty", "no");
	/* 4K: block at level 2 = 2 MiB, at level 1 = 1 GiB */
	pte_decode(&f, PTE_L_PMD, 0x40000000 | 1, &e);
	assert_int_equal(e.size, 2u << 20);
	pte_decode(&f, PTE_L_PUD, 0x40000000 | 1, &e);
	assert_int_equal(e.size, UINT64_C(1) << 30);
	/* 01 at level 3 is reserved */
	pte_decode(&f, PTE_L_PTE, 0x1000 | 1, &e);
	assert_int_equal(e.kind, PTE_K_INVALID);
	/* 16K: page OA 47:14, level-2 block 32 MiB */
	f.mode = PTE_ARM64_16K;
	pte_decode(&f, PTE_L_PMD, 0x2000000 | 1, &e);
	assert_int_equal(e.size, 32u << 20);
	/* 64K, 52-bit (FEAT_LPA): OA[51:48] in bits 15:12; 512 MiB blocks */
	f.mode = PTE_ARM64_64K;
	f.va_bits = 52;
	f.lpa = true;
	pte_decode(&f, PTE_L_PTE, 0x10000 | (UINT64_C(0xa) << 12) | 3, &e);
	assert_int_equal(e.addr, (UINT64_C(0xa) << 48) | 0x10000);
	pte_decode(&f, PTE_L_PMD, 0x20000000 | 1, &e);
	assert_int_equal(e.size, 512u << 20);
	/* 4K with LPA2: OA[51:50] in bits 9:8 */
	f.mode = PTE_ARM64_4K;
	pte_decode(&f, PTE_L_PTE, 0x1000 | (2u << 8) | 3, &e);
	assert_int_equal(e.addr, (UINT64_C(2) << 50) | 0x1000);
	/* older kernels' MAIR: AttrIndx 4 was Normal before 5.10 */
	f.lpa = false;
	f.kernel[0] = 5;
	f.kernel[1] = 4;
	pte_decode(&f, PTE_L_PTE, 0x1000 | 3 | (4u << 2), &e);
	has(&e, "caching", "AttrIndx 4: Normal");
	assert_int_equal(e.mem, PTE_MEM_CACHED);
}

/* ---- RISC-V ---- */

#define RV_PPN(ppn) ((uint64_t)(ppn) << 10)

static void test_riscv(void **st)
{
	struct pte_entry e;

	(void)st;
	/* leaf: PPN 0x80200, V R W A D U G, PBMT=IO */
	e = dec(PTE_RISCV, PTE_RISCV_SV39, PTE_L_PTE, RV_PPN(0x80200) |
		0xf7 | (UINT64_C(2) << 61));
	assert_int_equal(e.kind, PTE_K_LEAF);
	assert_int_equal(e.addr, UINT64_C(0x80200000));
	has(&e, "writable", "yes");
	has(&e, "user", "yes");
	has(&e, "global", "yes");
	has(&e, "no-execute", "yes");
	has(&e, "caching", "IO");
	assert_int_equal(e.mem, PTE_MEM_DEVICE);
	/* a table entry with D set: reserved */
	e = dec(PTE_RISCV, 0, PTE_L_PMD, RV_PPN(0x1234) | 1 | BIT(7));
	assert_int_equal(e.kind, PTE_K_TABLE);
	assert_int_equal(e.reserved, BIT(7));
	/* 2 MiB superpage with a misaligned PPN */
	e = dec(PTE_RISCV, 0, PTE_L_PMD, RV_PPN(0x201) | 0x3);
	assert_int_equal(e.size, 2u << 20);
	assert_int_not_equal(e.reserved, 0);
	/* W without R */
	e = dec(PTE_RISCV, 0, PTE_L_PTE, 0x1000 | 1 | BIT(2));
	assert_int_equal(e.kind, PTE_K_INVALID);
}

/* Each bit of a leaf alone (privileged spec, "Sv39" figure of the PTE:
 * V R W X U G A D, RSW 8-9, PPN 10-53, 54-60 reserved, PBMT 61-62, N). */
static void test_riscv_each_flag(void **st)
{
	static const struct { unsigned bit; const char *name, *off, *on; } b[] = {
		{ 2, "writable", "no", "yes (W)" }, { 3, "no-execute", "yes", "no (X)" },
		{ 4, "user", "no", "yes (U)" }, { 5, "global", "no", "yes (G)" },
		{ 6, "accessed", "no", "yes (A)" }, { 7, "dirty", "no", "yes (D)" },
	};
	uint64_t leaf = RV_PPN(UINT64_C(0xfffffffffff)) | 1 | BIT(1);
	struct pte_entry e;
	size_t i;

	(void)st;
	e = dec(PTE_RISCV, PTE_RISCV_SV39, PTE_L_PTE, leaf);
	assert_true(e.present);
	assert_int_equal(e.kind, PTE_K_LEAF);
	assert_int_equal(e.addr, UINT64_C(0xfffffffffff) << 12);   /* 56-bit PA */
	assert_int_equal(e.pfn, UINT64_C(0xfffffffffff));
	assert_int_equal(e.reserved, 0);
	has(&e, "readable", "yes (R)");
	has(&e, "caching", "PBMT=0: PMA");
	has(&e, "software", "RSW=0");
	assert_int_equal(e.mem, PTE_MEM_CACHED);
	for (i = 0; i < sizeof b / sizeof b[0]; i++) {
		e = dec(PTE_RISCV, PTE_RISCV_SV39, PTE_L_PTE, leaf);
		has(&e, b[i].name, b[i].off);
		e = dec(PTE_RISCV, PTE_RISCV_SV39, PTE_L_PTE, leaf | BIT(b[i].bit));
		has(&e, b[i].name, b[i].on);
		assert_int_equal(e.reserved, 0);
	}
	e = dec(PTE_RISCV, 0, PTE_L_PTE, leaf | BIT(8));
	has(&e, "software", "RSW=1 (Linux: _PAGE_SPECIAL)");
	e = dec(PTE_RISCV, 0, PTE_L_PTE, leaf | BIT(9));
	has(&e, "software", "RSW=2");
	e = dec(PTE_RISCV, 0, PTE_L_PTE, leaf | (UINT64_C(1) << 61));
	has(&e, "caching", "PBMT=1: NC");
	assert_int_equal(e.mem, PTE_MEM_WC);
	e = dec(PTE_RISCV, 0, PTE_L_PTE, leaf | (UINT64_C(3) << 61));
	has(&e, "caching", "PBMT=3: reserved");
	assert_int_equal(e.reserved, BIT(61) | BIT(62));
	for (i = 54; i <= 60; i++) {
		e = dec(PTE_RISCV, 0, PTE_L_PTE, leaf | BIT(i));
		assert_int_equal(e.reserved, BIT(i));
		assert_non_null(strstr(e.reserved_why, "bits 54-60"));
	}
	/* X only (execute-only) is a leaf; XWR=110 is reserved like 010 */
	e = dec(PTE_RISCV, 0, PTE_L_PTE, RV_PPN(0x80000) | 1 | BIT(3));
	assert_int_equal(e.kind, PTE_K_LEAF);
	has(&e, "readable", "no");
	e = dec(PTE_RISCV, 0, PTE_L_PTE, RV_PPN(0x80000) | 1 | BIT(2) | BIT(3));
	assert_int_equal(e.kind, PTE_K_INVALID);
	assert_int_equal(e.reserved, BIT(2));
}

/* The same leaf at each level of each mode: its size, and the low PPN
 * bits a superpage must leave zero. */
static void test_riscv_levels_and_modes(void **st)
{
	static const struct { int mode; enum pte_level l; int lv; } t[] = {
		{ PTE_RISCV_SV39, PTE_L_PTE, 0 }, { PTE_RISCV_SV39, PTE_L_PMD, 1 },
		{ PTE_RISCV_SV39, PTE_L_PUD, 2 }, { PTE_RISCV_SV39, PTE_L_PGD, 2 },
		{ PTE_RISCV_SV48, PTE_L_PUD, 2 }, { PTE_RISCV_SV48, PTE_L_P4D, 3 },
		{ PTE_RISCV_SV48, PTE_L_PGD, 3 }, { PTE_RISCV_SV57, PTE_L_P4D, 3 },
		{ PTE_RISCV_SV57, PTE_L_PGD, 4 },
	};
	uint64_t ppn = UINT64_C(1) << 40;   /* aligned at every level */
	struct pte_entry e;
	char hw[16];
	size_t i;

	(void)st;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		e = dec(PTE_RISCV, t[i].mode, t[i].l, RV_PPN(ppn) | 0xcf);
		snprintf(hw, sizeof hw, "level %d", t[i].lv);
		assert_string_equal(e.hwname, hw);
		assert_int_equal(e.size, UINT64_C(1) << (12 + 9 * t[i].lv));
		assert_int_equal(e.reserved, 0);
		if (!t[i].lv)
			continue;
		e = dec(PTE_RISCV, t[i].mode, t[i].l, RV_PPN(ppn | 1) | 0xcf);
		assert_int_equal(e.reserved, BIT(10));
	}
	/* Sv39 prints the root under pgd, p4d and pud; Sv48 under pgd, p4d */
	e = dec(PTE_RISCV, PTE_RISCV_SV39, PTE_L_PUD, RV_PPN(0x80000) | 1);
	assert_non_null(strstr(e.note, "folds pud onto the root"));
	e = dec(PTE_RISCV, PTE_RISCV_SV48, PTE_L_PUD, RV_PPN(0x80000) | 1);
	assert_string_equal(e.note, "");
	e = dec(PTE_RISCV, PTE_RISCV_SV48, PTE_L_P4D, RV_PPN(0x80000) | 1);
	assert_non_null(strstr(e.note, "folds p4d onto the root"));
	e = dec(PTE_RISCV, PTE_RISCV_SV57, PTE_L_P4D, RV_PPN(0x80000) | 1);
	assert_string_equal(e.note, "");
}

/* Non-leaf entries, Svnapot, and Linux's use of an invalid entry. */
static void test_riscv_tables_napot_invalid(void **st)
{
	struct pte_entry e;
	unsigned b;

	(void)st;
	e = dec(PTE_RISCV, PTE_RISCV_SV57, PTE_L_PGD, RV_PPN(0x101fa2) | 1);
	assert_int_equal(e.kind, PTE_K_TABLE);
	assert_int_equal(e.addr, UINT64_C(0x101fa2000));
	assert_int_equal(e.reserved, 0);
	has(&e, "global", "no");
	e = dec(PTE_RISCV, 0, PTE_L_PMD, RV_PPN(0x1234) | 1 | BIT(5));
	has(&e, "global", "every mapping below is global");
	assert_int_equal(e.reserved, 0);
	for (b = 4; b <= 63; b++) {
		if (b == 5 || (b > 7 && b < 61))
			continue;
		e = dec(PTE_RISCV, 0, PTE_L_PMD, RV_PPN(0x1234) | 1 | BIT(b));
		assert_int_equal(e.kind, PTE_K_TABLE);
		assert_int_equal(e.reserved, BIT(b));
	}
	/* N: a 64 KiB NAPOT range at level 0 with PPN[3:0]=1000 */
	e = dec(PTE_RISCV, 0, PTE_L_PTE, RV_PPN(0x80018) | 0xc7 | BIT(63));
	assert_int_equal(e.size, 64u << 10);
	assert_int_equal(e.addr, UINT64_C(0x80010000));
	has(&e, "type", "NAPOT");
	assert_int_equal(e.reserved, 0);
	e = dec(PTE_RISCV, 0, PTE_L_PTE, RV_PPN(0x80014) | 0xc7 | BIT(63));
	assert_int_equal(e.reserved, BIT(63));
	e = dec(PTE_RISCV, 0, PTE_L_PMD, RV_PPN(0x80008) | 0xc7 | BIT(63));
	assert_int_equal(e.reserved & BIT(63), BIT(63));
	/* V=0: not present; with G, Linux's PROT_NONE */
	e = dec(PTE_RISCV, 0, PTE_L_PTE, RV_PPN(0x80000) | 0xc6);
	assert_int_equal(e.kind, PTE_K_INVALID);
	assert_false(e.present);
	has(&e, "present", "no (V=0)");
	e = dec(PTE_RISCV, 0, PTE_L_PTE, RV_PPN(0x80000) | BIT(5));
	assert_non_null(strstr(e.note, "PROT_NONE"));
}

/* The entry of a correct uncached user mapping of device memory decodes
 * back to: present leaf, user, writable, never executable, device. */
static void test_build_device(void **st)
{
	static const struct { enum pte_arch a; int mode; } t[] = {
		{ PTE_X86_64, 0 }, { PTE_X86_32, PTE_X86_PAE }, { PTE_ARM, PTE_ARM_SHORT },
		{ PTE_ARM, PTE_ARM_LPAE }, { PTE_ARM64, PTE_ARM64_4K },
		{ PTE_RISCV, PTE_RISCV_SV39 },
	};
	size_t i;

	(void)st;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct pte_fmt f = { .arch = t[i].a, .mode = t[i].mode };
		struct pte_entry e;
		enum pte_level lv;
		uint64_t raw = pte_build_device(&f, 0x41200000, true, &lv);

		pte_decode(&f, lv, raw, &e);
		assert_int_equal(e.kind, PTE_K_LEAF);
		assert_int_equal(e.addr, 0x41200000);
		assert_int_equal(e.mem, PTE_MEM_DEVICE);
		has(&e, "user", "yes");
		has(&e, "writable", "yes");
		has(&e, "no-execute", "yes");
		assert_int_equal(e.reserved, 0);
	}
}

static void test_names(void **st)
{
	(void)st;
	assert_int_equal(pte_arch_parse("x86_64"), PTE_X86_64);
	assert_int_equal(pte_arch_parse("i686"), PTE_X86_32);
	assert_int_equal(pte_arch_parse("armv7l"), PTE_ARM);
	assert_int_equal(pte_arch_parse("aarch64"), PTE_ARM64);
	assert_int_equal(pte_arch_parse("riscv64"), PTE_RISCV);
	assert_int_equal(pte_arch_parse("mips"), PTE_ARCH_NONE);
	assert_int_equal(pte_mode_parse(PTE_X86_64, "5level"), PTE_X86_5LEVEL);
	assert_int_equal(pte_mode_parse(PTE_ARM, "lpae"), PTE_ARM_LPAE);
	assert_int_equal(pte_mode_parse(PTE_ARM64, "64k"), PTE_ARM64_64K);
	assert_int_equal(pte_mode_parse(PTE_RISCV, "sv57"), PTE_RISCV_SV57);
	assert_int_equal(pte_mode_parse(PTE_ARM, "sv39"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86_64_pte_each_flag),
		cmocka_unit_test(test_x86_64_large_pages_and_reserved),
		cmocka_unit_test(test_x86_32),
		cmocka_unit_test(test_x86_64_5level),
		cmocka_unit_test(test_x86_32_nopae_each_flag),
		cmocka_unit_test(test_x86_error_code),
		cmocka_unit_test(test_arm_short),
		cmocka_unit_test(test_lpae),
		cmocka_unit_test(test_lpae_each_flag),
		cmocka_unit_test(test_arm64_granules),
		cmocka_unit_test(test_riscv),
		cmocka_unit_test(test_riscv_each_flag),
		cmocka_unit_test(test_riscv_levels_and_modes),
		cmocka_unit_test(test_riscv_tables_napot_invalid),
		cmocka_unit_test(test_build_device),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
