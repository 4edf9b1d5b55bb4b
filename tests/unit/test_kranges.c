/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the kernel-range model (src/core/kranges*.c): the boot
 * log in its prefixes and forms, the command line, iomem, vmallocinfo,
 * kallsyms, hidden pointers, skipped lines, merging and nesting, lookups,
 * the heat strip on a made-up kpageflags, and every fixture log cut at
 * many places (under ASan: no read past the text). */
#include <dirent.h>
#include <fcntl.h>
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
#include "vmscope/kranges.h"

/* ---- helpers ---- */

/* Parse from an exact-size heap copy, so ASan catches a read past len. */
static void parse_bootlog(struct kranges *k, const char *s, size_t len)
{
	char *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, s, len);
	kranges_init(k);
	assert_true(kranges_parse_bootlog(k, copy, len) >= 0);
	free(copy);
	assert_int_equal(kranges_finalize(k, NULL), 0);
}

static void bootlog(struct kranges *k, const char *s)
{
	parse_bootlog(k, s, strlen(s));
}

static const struct krange *find(const struct kranges *k,
				 enum krange_space sp, const char *name)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (k->r[i].space == sp && !strcmp(k->r[i].name, name))
			return &k->r[i];
	return NULL;
}

static void assert_range(const struct kranges *k, enum krange_space sp,
			 const char *name, enum krange_kind kind,
			 uint64_t start, uint64_t end)
{
	const struct krange *r = find(k, sp, name);

	if (!r)
		fail_msg("no range named '%s'", name);
	assert_int_equal(r->kind, kind);
	assert_int_equal(r->start, start);
	assert_int_equal(r->end, end);
}

/* ---- the boot log ---- */

/* One e820 entry in every prefix a saved log may carry. */
static void test_bootlog_prefixes(void **state)
{
	static const char *const lines[] = {
		"[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n",
		"<6>[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n",
		"BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n",
		"Jan  7 21:26:19 ubuntu kernel: [    0.000000] BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n",
		"Nov 21 19:18:33 vm kernel: BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n",
		"6,1,0,-;BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n",
		"[    0.000000][    T0] BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n",
		"[    0.000000 ] BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\r\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct kranges k;

		bootlog(&k, lines[i]);
		if (k.n != 1)
			fail_msg("line %zu: %zu ranges", i, k.n);
		assert_range(&k, KSPACE_PHYS, "e820 usable", KR_RAM, 0x100000,
			     0xc0000000);
		assert_int_equal(k.r[0].src[0].kind, KSRC_BOOTLOG);
		assert_int_equal(k.r[0].src[0].line, 1);
		assert_int_equal(k.skipped, 0);
		kranges_free(&k);
	}
}

/* 2.6-era e820 lines print the end exclusive and the type in brackets. */
static void test_bootlog_old_e820(void **state)
{
	struct kranges k;

	(void)state;
	bootlog(&k,
		"BIOS-provided physical RAM map:\n"
		" BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)\n"
		" BIOS-e820: 000000001ffec000 - 000000001ffef000 (ACPI data)\n"
		"user-defined physical RAM map:\n"
		" user: 0000000000100000 - 0000000005000000 (usable)\n");
	assert_range(&k, KSPACE_PHYS, "e820 usable", KR_RAM, 0, 0x9fc00);
	assert_range(&k, KSPACE_PHYS, "e820 ACPI data", KR_ACPI, 0x1ffec000,
		     0x1ffef000);
	assert_range(&k, KSPACE_PHYS, "user e820 usable", KR_RAM, 0x100000,
		     0x5000000);
	kranges_free(&k);
}

/* A layout line cut short, garbled, or backwards is reported as skipped,
 * the good ones around it are kept. */
static void test_bootlog_garbled_layout(void **state)
{
	struct kranges k;

	(void)state;
	bootlog(&k,
		"[    0.000000] Virtual kernel memory layout:\n"
		"[    0.000000]     vector  : 0xffff0000 - 0xffff1000   (   4 kB)\n"
		"[    0.000000]     fixmap  : 0xffc00000 - 0xfff0\n"
		"[    0.000000]     vmalloc : 0xzz800000 - 0xff800000   ( 240 MB)\n"
		"[    0.000000]     lowmem  : 0xf0000000 - 0xc0000000   ( 768 MB)\n"
		"[    0.000000]     modules : 0xbf000000 - 0xbfe00000   (  14 MB)\n"
		"[    0.000000] SLUB: HWalign=64\n"
		"[    0.000000]     pkmap   : 0xbfe00000 - 0xc0000000   (   2 MB)\n");
	assert_range(&k, KSPACE_VIRT, "vector", KR_VAREA, 0xffff0000, 0xffff1000);
	assert_range(&k, KSPACE_VIRT, "modules", KR_VAREA, 0xbf000000, 0xbfe00000);
	/* after the block, a known name still counts */
	assert_range(&k, KSPACE_VIRT, "pkmap", KR_VAREA, 0xbfe00000, 0xc0000000);
	assert_null(find(&k, KSPACE_VIRT, "fixmap"));
	assert_null(find(&k, KSPACE_VIRT, "vmalloc"));
	assert_null(find(&k, KSPACE_VIRT, "lowmem"));
	assert_int_equal(k.skipped, 3);
	assert_int_equal(k.skip[0].line, 3);
	assert_int_equal(k.skip[1].line, 4);
	assert_int_equal(k.skip[2].line, 5);
	assert_non_null(strstr(k.skip[2].reason, "end is not above"));
	kranges_free(&k);
}

/* "0x(ptrval)" is a hashed pointer: hidden, never an address. */
static void test_bootlog_ptrval_hidden(void **state)
{
	struct kranges k;
	size_t i;

	(void)state;
	bootlog(&k,
		"Virtual kernel memory layout:\n"
		"    lowmem  : 0xc0000000 - 0xf0000000   ( 768 MB)\n"
		"      .text : 0x(ptrval) - 0x(ptrval)   (10208 kB)\n"
		"      .init : 0x(____ptrval____) - 0x(____ptrval____)   (2048 kB)\n");
	assert_int_equal(k.n, 1);
	assert_int_equal(k.nhidden, 2);
	assert_string_equal(k.hidden[0].what, ".text");
	assert_string_equal(k.hidden[1].what, ".init");
	assert_int_equal(k.hidden[0].line, 3);
	for (i = 0; i < k.n; i++)
		assert_string_not_equal(k.r[i].name, ".text");
	kranges_free(&k);
}

static void test_bootlog_reserved_memory(void **state)
{
	struct kranges k;

	(void)state;
	bootlog(&k,
		"[    0.000000] Reserved memory: created DMA memory pool at 0x4c000000, size 8 MiB\n"
		"[    0.000000] OF: reserved mem: initialized node vram@4c000000, compatible id shared-dma-pool\n"
		"[    0.000000] OF: reserved mem: 0x000000003a000000..0x000000003dffffff (65536 KiB) map reusable linux,cma\n"
		"[    0.000000] OF: reserved mem: 0x0000000000000000..0x000000000007ffff (512 KiB) nomap non-reusable atf@0\n"
		"[    0.000000] cma: Reserved 16 MiB at 0x67000000 on node -1\n"
		"[    0.000000] crashkernel reserved: 0x0000000073000000 - 0x0000000083000000 (256 MB)\n"
		"[    0.000000] Reserving 256MB of memory at 1792MB for crashkernel (System RAM: 16383MB)\n"
		"[    0.151705] ramoops: attached 0x200000@0x96080000, ecc: 0/0\n"
		"[    0.000000] cma: Reserved 16 MiB at 0xzz\n");
	assert_range(&k, KSPACE_PHYS, "reserved-memory DMA memory pool (vram@4c000000)",
		     KR_CARVEOUT, 0x4c000000, 0x4c800000);
	assert_range(&k, KSPACE_PHYS, "reserved-memory linux,cma", KR_CMA,
		     0x3a000000, 0x3e000000);
	assert_range(&k, KSPACE_PHYS, "reserved-memory atf@0", KR_CARVEOUT, 0,
		     0x80000);
	assert_range(&k, KSPACE_PHYS, "CMA area", KR_CMA, 0x67000000, 0x68000000);
	assert_range(&k, KSPACE_PHYS, "ramoops", KR_CARVEOUT, 0x96080000,
		     0x96280000);
	assert_true(find(&k, KSPACE_PHYS, "crashkernel") != NULL);
	assert_int_equal(k.skipped, 1);
	assert_int_equal(k.skip[0].line, 9);
	kranges_free(&k);
}

static void test_bootlog_memory_summary(void **state)
{
	struct kranges k;

	(void)state;
	bootlog(&k, "[    0.251554] Memory: 3218172K/25165432K available (18478K kernel code, 2544K rwdata, 10280K rodata, 3728K init, 1168K bss, 496508K reserved, 0K cma-reserved)\n");
	assert_true(k.mem.present);
	assert_int_equal(k.mem.available_kib, 3218172);
	assert_int_equal(k.mem.total_kib, 25165432);
	assert_int_equal(k.mem.nitems, 7);
	assert_string_equal(k.mem.item[0].label, "kernel code");
	assert_int_equal(k.mem.item[0].kib, 18478);
	assert_string_equal(k.mem.item[6].label, "cma-reserved");
	kranges_free(&k);
}

/* A log cut in the middle of a line says so. */
static void test_bootlog_cut(void **state)
{
	struct kranges k;

	(void)state;
	bootlog(&k, "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
		    "[    0.000000] BIOS-e820: [mem 0x00000000000");
	assert_int_equal(k.n, 1);
	assert_int_equal(k.skipped, 1);
	assert_int_equal(k.skip[0].line, 2);
	assert_string_equal(k.skip[0].reason, "last line, cut off (no newline)");
	assert_int_equal(k.nnotes, 1);
	assert_non_null(strstr(k.notes[0], "line 2"));
	kranges_free(&k);
}

/* ---- the command line ---- */

static void test_cmdline_memmap(void **state)
{
	static const char cl[] =
		"ro memmap=100M@2G,100M#3G,1G!1024G memmap=64K$0x18690000 "
		"memmap=4G\\$12G memmap=exactmap mem=45M@0x0 quiet -- memmap=1G$1G";
	struct kranges k;

	(void)state;
	kranges_init(&k);
	assert_int_equal(kranges_parse_cmdline(&k, cl, strlen(cl), KSRC_CMDLINE, 0), 6);
	assert_int_equal(kranges_finalize(&k, NULL), 0);
	assert_range(&k, KSPACE_PHYS, "RAM by memmap=100M@2G", KR_RAM,
		     UINT64_C(2) << 30, (UINT64_C(2) << 30) + (UINT64_C(100) << 20));
	assert_range(&k, KSPACE_PHYS, "ACPI data by memmap=100M#3G", KR_ACPI,
		     UINT64_C(3) << 30, (UINT64_C(3) << 30) + (UINT64_C(100) << 20));
	assert_range(&k, KSPACE_PHYS, "persistent memory by memmap=1G!1024G",
		     KR_PMEM, UINT64_C(1) << 40, (UINT64_C(1) << 40) + (UINT64_C(1) << 30));
	assert_range(&k, KSPACE_PHYS, "reserved by memmap=64K$0x18690000",
		     KR_CARVEOUT, 0x18690000, 0x186a0000);
	assert_range(&k, KSPACE_PHYS, "reserved by memmap=4G\\$12G", KR_CARVEOUT,
		     UINT64_C(12) << 30, UINT64_C(16) << 30);
	assert_range(&k, KSPACE_PHYS, "RAM by mem=45M@0x0", KR_RAM, 0,
		     UINT64_C(45) << 20);
	/* after "--" the words are init's */
	assert_null(find(&k, KSPACE_PHYS, "reserved by memmap=1G$1G"));
	kranges_free(&k);
}

/* mem= leaves out the RAM above it: a range from the limit to the top of
 * the RAM another source gives, named after the parameter. */
static void test_cmdline_mem_limit(void **state)
{
	struct kranges k;

	(void)state;
	bootlog(&k,
		"Command line: ro mem=4G\n"
		"BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n"
		"BIOS-e820: [mem 0x0000000100000000-0x000000043fffffff] usable\n");
	assert_range(&k, KSPACE_PHYS, "left out by mem=4G", KR_UNUSABLE,
		     UINT64_C(4) << 30, UINT64_C(0x440000000));
	/* the e820 range of the same extent merged into it */
	assert_int_equal(find(&k, KSPACE_PHYS, "left out by mem=4G")->nsrc, 2);
	kranges_free(&k);
}

/* ---- /proc files ---- */

static const char iomem_text[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"00100000-bfffffff : System RAM\n"
	"  01000000-0220bb07 : Kernel code\n"
	"  02400000-02e09fff : Kernel rodata\n"
	"eec00000-febfffff : Reserved\n"
	"  eec00000-eecfffff : PCI ECAM 0000 [bus 00-00]\n"
	"    eec00000-eecfffff : PCI Bus 0000:00\n"
	"4000000000-7fffffffff : PCI Bus 0000:00\n"
	"  4000000000-400007ffff : 0000:00:01.0\n";

static void test_iomem_nesting_and_lookup(void **state)
{
	struct kranges k;
	const struct krange *r;
	char path[256];

	(void)state;
	kranges_init(&k);
	assert_int_equal(kranges_parse_iomem(&k, iomem_text, strlen(iomem_text)), 10);
	assert_int_equal(kranges_finalize(&k, NULL), 0);
	r = kranges_lookup_phys(&k, 0x1000010);
	assert_non_null(r);
	assert_string_equal(r->name, "Kernel code");
	assert_int_equal(r->kind, KR_KERNEL);
	assert_int_equal(r->src[0].line, 4);
	kranges_path(&k, r, " > ", path, sizeof path);
	assert_string_equal(path, "System RAM > Kernel code");
	/* same extent in one file: nested, not merged */
	r = kranges_lookup_phys(&k, 0xeec00010);
	assert_string_equal(r->name, "PCI Bus 0000:00");
	assert_int_equal(r->depth, 2);
	kranges_path(&k, r, " > ", path, sizeof path);
	assert_string_equal(path, "Reserved > PCI ECAM 0000 [bus 00-00] > PCI Bus 0000:00");
	assert_string_equal(kranges_lookup_phys(&k, 0x4000000100)->name, "0000:00:01.0");
	assert_null(kranges_lookup_phys(&k, 0xc0000000));
	assert_null(kranges_lookup_phys(&k, 0x8000000000));
	kranges_free(&k);
}

static void test_iomem_zeroed_is_hidden(void **state)
{
	static const char z[] =
		"00000000-00000000 : Reserved\n"
		"00000000-00000000 : System RAM\n"
		"  00000000-00000000 : Kernel code\n";
	struct kranges k;

	(void)state;
	kranges_init(&k);
	assert_int_equal(kranges_parse_iomem(&k, z, strlen(z)), 0);
	assert_int_equal(k.n, 0);
	assert_int_equal(k.nhidden, 1);
	assert_int_equal(k.hidden[0].count, 3);
	assert_non_null(strstr(k.hidden[0].why, "root"));
	kranges_free(&k);
}

/* The same extent from several sources is one range that lists them all;
 * the more specific kind names it. */
static void test_merge_sources(void **state)
{
	static const char log[] =
		"BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n"
		"Command line: memmap=1G$4G\n"
		"user: [mem 0x0000000100000000-0x000000013fffffff] reserved\n";
	static const char io[] =
		"00100000-bfffffff : System RAM\n"
		"100000000-13fffffff : Reserved\n";
	struct kranges k;
	const struct krange *r;

	(void)state;
	kranges_init(&k);
	kranges_parse_bootlog(&k, log, strlen(log));
	kranges_parse_iomem(&k, io, strlen(io));
	kranges_parse_fw_memmap(&k, 0, "0x100000\n", "0xbfffffff\n", "System RAM\n");
	assert_int_equal(kranges_finalize(&k, NULL), 0);
	assert_int_equal(k.n, 2);
	r = kranges_lookup_phys(&k, 0x200000);
	assert_string_equal(r->name, "System RAM");
	assert_int_equal(r->nsrc, 3);
	r = kranges_lookup_phys(&k, UINT64_C(0x100000000));
	assert_string_equal(r->name, "reserved by memmap=1G$4G");
	assert_int_equal(r->kind, KR_CARVEOUT);
	assert_int_equal(r->nsrc, 3);
	kranges_free(&k);
}

static void test_vmallocinfo(void **state)
{
	static const char hashed[] =
		"0x000000009f154db0-0x000000000ebcda10    8192 acpi_os_map_iomem+0x1bc/0x1e0 phys=0x00000000000a0000 ioremap\n"
		"0x000000000b2da0f5-0x00000000cec51789    8192 vp_modern_map_capability+0x12d/0x1c0 phys=0x0000004000000000 ioremap\n"
		"0x000000000e68e11b-0x000000009f154db0   20480 irq_init_percpu_irqstack+0xca/0x100 vmap\n";
	static const char real32[] =
		"0xf0a00000-0xf0a02000    8192 gpio_probe+0x20/0x90 phys=0x41200000 ioremap\n";
	struct kranges k;

	(void)state;
	kranges_init(&k);
	assert_int_equal(kranges_parse_vmallocinfo(&k, hashed, strlen(hashed), 64, 4096), 2);
	assert_int_equal(kranges_finalize(&k, NULL), 0);
	assert_range(&k, KSPACE_PHYS, "ioremap by vp_modern_map_capability",
		     KR_IOREMAP, UINT64_C(0x4000000000), UINT64_C(0x4000001000));
	assert_int_equal(k.nhidden, 1);
	assert_int_equal(k.hidden[0].count, 3);
	for (size_t i = 0; i < k.n; i++)
		assert_int_equal(k.r[i].space, KSPACE_PHYS);
	kranges_free(&k);

	kranges_init(&k);
	assert_int_equal(kranges_parse_vmallocinfo(&k, real32, strlen(real32), 32, 4096), 2);
	assert_int_equal(kranges_finalize(&k, NULL), 0);
	assert_range(&k, KSPACE_VIRT, "ioremap of 0x41200000 by gpio_probe",
		     KR_IOREMAP, 0xf0a00000, 0xf0a01000);
	assert_int_equal(k.nhidden, 0);
	kranges_free(&k);
}

static void test_kallsyms(void **state)
{
	static const char real[] =
		"ffffffff81000000 T _stext\n"
		"ffffffff81000000 T _text\n"
		"ffffffff8220bb08 T _etext\n"
		"ffffffff82400000 D __start_rodata\n"
		"ffffffff83783000 B __init_begin\n"
		"ffffffff83783000 T _sinittext\n"
		"ffffffff837f8910 T _einittext\n"
		"ffffffffc0203000 t ftrace_trampoline\t[__builtin__ftrace]\n";
	static const char zero[] =
		"0000000000000000 T _stext\n"
		"0000000000000000 T _text\n"
		"0000000000000000 T _etext\n";
	struct kranges k;

	(void)state;
	kranges_init(&k);
	assert_int_equal(kranges_parse_kallsyms(&k, real, strlen(real)), 2);
	assert_int_equal(kranges_finalize(&k, NULL), 0);
	assert_range(&k, KSPACE_VIRT, ".text", KR_VIMAGE, UINT64_C(0xffffffff81000000),
		     UINT64_C(0xffffffff8220bb08));
	assert_range(&k, KSPACE_VIRT, ".init.text", KR_VIMAGE,
		     UINT64_C(0xffffffff83783000), UINT64_C(0xffffffff837f8910));
	assert_int_equal(find(&k, KSPACE_VIRT, ".text")->src[0].line, 2);
	kranges_free(&k);

	kranges_init(&k);
	assert_int_equal(kranges_parse_kallsyms(&k, zero, strlen(zero)), 0);
	assert_int_equal(k.n, 0);
	assert_int_equal(k.nhidden, 1);
	kranges_free(&k);
}

static void test_modules(void **state)
{
	static const char m[] =
		"uio_pdrv_genirq 16384 0 - Live 0xbf010000\n"
		"uio 20480 1 uio_pdrv_genirq, Live 0xbf000000\n"
		"hidden 4096 0 - Live 0x00000000\n";
	struct kranges k;

	(void)state;
	kranges_init(&k);
	assert_int_equal(kranges_parse_modules(&k, m, strlen(m)), 2);
	assert_int_equal(kranges_finalize(&k, NULL), 0);
	assert_range(&k, KSPACE_VIRT, "module uio", KR_MODULE, 0xbf000000, 0xbf005000);
	assert_int_equal(k.nhidden, 1);
	kranges_free(&k);
}

/* Zones straddle the map: they are a layer of their own, not an answer to
 * "what is at this address". */
static void test_zones_are_their_own_layer(void **state)
{
	struct kranges k;

	(void)state;
	bootlog(&k,
		"Zone ranges:\n"
		"  DMA      [mem 0x0000000000001000-0x0000000000ffffff]\n"
		"  DMA32    [mem 0x0000000001000000-0x00000000ffffffff]\n"
		"  Normal   empty\n"
		"Movable zone start for each node\n"
		"BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n");
	assert_string_equal(kranges_lookup_phys(&k, 0x2000000)->name, "e820 usable");
	assert_string_equal(kranges_lookup_mm(&k, KR_ZONE, 0x2000000)->name, "zone DMA32");
	assert_string_equal(kranges_lookup_mm(&k, KR_ZONE, 0x200000)->name, "zone DMA");
	assert_null(kranges_lookup_mm(&k, KR_NODE, 0x200000));
	kranges_free(&k);
}

/* The 2.6-era blocks in page frames (end exclusive): "Zone PFN ranges:"
 * and "early_node_map", in decimal; an empty one
 * adds nothing, a garbled end is a skip, the first other line ends the
 * block. */
static void test_bootlog_old_pfn_blocks(void **state)
{
	struct kranges k;

	(void)state;
	bootlog(&k,
		"[    0.000000] Zone PFN ranges:\n"
		"[    0.000000]   DMA             16 ->     4096\n"
		"[    0.000000]   Normal        4096 ->   262144\n"
		"[    0.000000]   HighMem     262144 ->   262144\n"
		"[    0.000000] Movable zone start PFN for each node\n"
		"[    0.000000] early_node_map[2] active PFN ranges\n"
		"[    0.000000]     0:       16 ->      159\n"
		"[    0.000000]     0:      256 ->   262128\n"
		"[    0.000000]     1:      256 ->   0x100\n"
		"[    0.000000]     2:  0x100 -> 0x200\n"
		"[    0.000000]     0:      300 ->   99999999999999999999\n"
		"[    0.000000] Reserving 256MB of memory at 1792MB for crashkernel (System RAM: 16383MB)\n");
	assert_range(&k, KSPACE_PHYS, "zone DMA", KR_ZONE, 0x10000, 0x1000000);
	assert_range(&k, KSPACE_PHYS, "zone Normal", KR_ZONE, 0x1000000,
		     0x40000000);
	assert_null(find(&k, KSPACE_PHYS, "zone HighMem"));
	assert_string_equal(kranges_lookup_mm(&k, KR_NODE, 0x10000)->name, "node 0");
	assert_string_equal(kranges_lookup_mm(&k, KR_NODE, 0x3ffef000)->name, "node 0");
	assert_null(kranges_lookup_mm(&k, KR_NODE, 0xa0000));
	/* "1: 256 -> 0x100" reads 256 -> 0, an empty range; "2: 0x100"
	 * is not a decimal line and ends the block */
	assert_null(find(&k, KSPACE_PHYS, "node 1"));
	assert_null(find(&k, KSPACE_PHYS, "node 2"));
	assert_int_equal(k.skipped, 0);
	assert_range(&k, KSPACE_PHYS, "crashkernel", KR_CARVEOUT,
		     UINT64_C(1792) << 20, UINT64_C(2048) << 20);
	kranges_free(&k);

	bootlog(&k,
		"early_node_map[1] active PFN ranges\n"
		"    0:      300 ->   99999999999999999999\n");
	assert_int_equal(k.skipped, 1);
	assert_int_equal(k.skip[0].line, 2);
	kranges_free(&k);
}

/* ---- heat strip on a made-up kpageflags ---- */

#define F(b) (UINT64_C(1) << (b))

static void test_heat(void **state)
{
	char dir[] = "/tmp/vmscope-kranges.XXXXXX", p[512];
	uint64_t flags[64] = { 0 };
	struct vms_root r;
	struct kpage kp;
	struct kranges k;
	struct kheat_cell c[4];
	struct vms_err e;
	const char io[] = "00000000-0001ffff : System RAM\n"
			  "00030000-0003ffff : System RAM\n";
	FILE *f;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof p, "%s/%s", dir, ROOT_CONF_NAME);
	f = fopen(p, "w");
	assert_non_null(f);
	fprintf(f, "format=1\npage_size=4096\narch=x86_64\npfn_visible=1\n");
	fclose(f);
	snprintf(p, sizeof p, "%s/proc", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	/* PFN 0-15 anon, 16 a free block's head (aligned 16) and 17-31 its
	 * flagless tail; 32-47 no RAM; 48-55 slab, 56-63 NOPAGE */
	for (i = 0; i < 16; i++)
		flags[i] = F(KPF_ANON) | F(KPF_LRU) | F(KPF_MMAP);
	flags[16] = F(KPF_BUDDY);
	for (i = 48; i < 56; i++)
		flags[i] = F(KPF_SLAB);
	for (i = 56; i < 64; i++)
		flags[i] = F(KPF_NOPAGE);
	snprintf(p, sizeof p, "%s/proc/kpageflags", dir);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(flags, sizeof flags, 1, f), 1);
	fclose(f);

	assert_int_equal(root_open(&r, dir, &e), 0);
	kpage_open(&r, &kp);
	kranges_init(&k);
	kranges_parse_iomem(&k, io, strlen(io));
	assert_int_equal(kranges_finalize(&k, NULL), 0);
	assert_int_equal(kranges_ram_heat(&k, &kp, 12, NULL, 4, c, &e), 0);
	assert_int_equal(c[0].pfn_start, 0);
	assert_int_equal(c[0].pfn_end, 16);
	assert_int_equal(c[0].count[KHEAT_ANON], 16);
	assert_int_equal(c[0].dominant, KHEAT_ANON);
	assert_int_equal(c[1].count[KHEAT_FREE], 16);  /* head + tail */
	assert_int_equal(c[1].dominant, KHEAT_FREE);
	assert_int_equal(c[2].count[KHEAT_NOT_RAM], 16);
	assert_int_equal(c[2].dominant, KHEAT_NOT_RAM);
	assert_int_equal(c[3].count[KHEAT_SLAB], 8);
	assert_int_equal(c[3].count[KHEAT_NOT_RAM], 8);
	assert_int_equal(c[3].dominant, KHEAT_SLAB); /* tie: lower category */
	kranges_free(&k);
	kpage_close(&kp);
	root_close(&r);
	snprintf(p, sizeof p, "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

/* ---- every fixture log, cut at many places ---- */

static void test_fixture_logs_cut_anywhere(void **state)
{
	DIR *d = opendir("tests/fixtures/bootlogs");
	struct dirent *de;
	unsigned files = 0;

	(void)state;
	if (!d)
		skip();
	while ((de = readdir(d))) {
		char p[512], *text;
		size_t len, cut;
		FILE *f;
		long sz;

		if (!strstr(de->d_name, ".log"))
			continue;
		snprintf(p, sizeof p, "tests/fixtures/bootlogs/%s", de->d_name);
		f = fopen(p, "rb");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		sz = ftell(f);
		fseek(f, 0, SEEK_SET);
		text = malloc((size_t)sz + 1);
		assert_non_null(text);
		assert_int_equal(fread(text, 1, (size_t)sz, f), (size_t)sz);
		fclose(f);
		len = (size_t)sz;
		for (cut = 0; cut <= len; cut += 1 + cut / 16) {
			struct kranges k;

			parse_bootlog(&k, text, cut);
			kranges_free(&k);
		}
		free(text);
		files++;
	}
	closedir(d);
	assert_true(files >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bootlog_prefixes),
		cmocka_unit_test(test_bootlog_old_e820),
		cmocka_unit_test(test_bootlog_garbled_layout),
		cmocka_unit_test(test_bootlog_ptrval_hidden),
		cmocka_unit_test(test_bootlog_reserved_memory),
		cmocka_unit_test(test_bootlog_memory_summary),
		cmocka_unit_test(test_bootlog_cut),
		cmocka_unit_test(test_cmdline_memmap),
		cmocka_unit_test(test_cmdline_mem_limit),
		cmocka_unit_test(test_iomem_nesting_and_lookup),
		cmocka_unit_test(test_iomem_zeroed_is_hidden),
		cmocka_unit_test(test_merge_sources),
		cmocka_unit_test(test_vmallocinfo),
		cmocka_unit_test(test_kallsyms),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_zones_are_their_own_layer),
		cmocka_unit_test(test_bootlog_old_pfn_blocks),
		cmocka_unit_test(test_heat),
		cmocka_unit_test(test_fixture_logs_cut_anywhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
