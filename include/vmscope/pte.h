/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pte: page-table entries read bit by bit, per architecture and mode,
 * from the architecture manuals: x86 (Intel SDM vol. 3, ch. 4: 32-bit,
 * PAE, 4- and 5-level paging), ARM32 (ARM ARM B3: short descriptors,
 * first and second level, and Linux's software PTE beside the hardware
 * one; LPAE long descriptors), arm64 (ARM ARM D8: 4K, 16K and 64K
 * granules, 52-bit output addresses) and RISC-V (privileged spec: Sv39,
 * Sv48, Sv57).  Pure: no I/O.
 *
 * Files: pte.c (names, dispatch, the x86 page-fault error code),
 * pte_x86.c, pte_arm.c (ARM32), pte_arm64.c, pte_riscv.c, pte_build.c
 * (the entry a correct device mapping holds). */
#ifndef VMSCOPE_PTE_H
#define VMSCOPE_PTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pte_arch { PTE_ARCH_NONE, PTE_X86_64, PTE_X86_32, PTE_ARM, PTE_ARM64,
		PTE_RISCV };

/* The mode of each architecture (0 is each one's default). */
enum pte_mode {
	PTE_MODE_DEFAULT = 0,
	PTE_X86_4LEVEL = 0, PTE_X86_5LEVEL,          /* x86_64 */
	PTE_X86_NOPAE = 0, PTE_X86_PAE,              /* x86_32 */
	PTE_ARM_SHORT = 0, PTE_ARM_LPAE,             /* ARM32 */
	PTE_ARM64_4K = 0, PTE_ARM64_16K, PTE_ARM64_64K,
	PTE_RISCV_SV39 = 0, PTE_RISCV_SV48, PTE_RISCV_SV57,
};

struct pte_fmt {
	enum pte_arch arch;
	int mode;              /* enum pte_mode of that arch */
	unsigned va_bits;      /* arm64: 39, 48, 52 ...; 0: the usual */
	unsigned pa_bits;      /* x86 MAXPHYADDR, arm64 PA size; 0 unknown */
	bool lpa;              /* arm64: 52-bit output addresses (LPA/LPA2) */
	unsigned kernel[2];    /* Linux release major.minor, 0.0 unknown
	                        * (arm64 AttrIndx meaning follows it) */
};

/* Which entry of the walk: the names the kernel prints. */
enum pte_level {
	PTE_L_PGD, PTE_L_P4D, PTE_L_PUD, PTE_L_PMD, PTE_L_PTE,
	PTE_L_PPTE,    /* ARM32 short: the hardware PTE beside Linux's */
	PTE_L__COUNT
};

enum pte_kind {
	PTE_K_NONE,      /* all zero: nothing mapped */
	PTE_K_INVALID,   /* not present / fault entry, other bits set */
	PTE_K_TABLE,     /* points to the next table */
	PTE_K_LEAF,      /* maps a page, huge page, block or section */
};

/* What memory type the attributes select. */
enum pte_mem {
	PTE_MEM_UNKNOWN,
	PTE_MEM_CACHED,    /* normal memory, write-back (or write-through) */
	PTE_MEM_WC,        /* normal non-cacheable, write-combining */
	PTE_MEM_DEVICE,    /* uncached: strongly ordered, device, UC */
};

#define PTE_MAX_ATTR 20

struct pte_attr {
	char name[16];     /* "present", "caching" */
	char value[112];   /* "yes", "WB (PAT index 0: PAT=0 PCD=0 PWT=0)" */
};

struct pte_entry {
	enum pte_level level;
	char hwname[16];        /* "PML4E", "first-level", "level 3" */
	uint64_t raw;
	enum pte_kind kind;
	bool present;
	uint64_t addr;          /* output address (page, block or table) */
	uint64_t pfn;           /* addr >> 12 (ARM32 sections: still 4K
	                         * frames) */
	uint64_t size;          /* bytes a leaf maps; 0 for tables */
	uint64_t addr_mask;     /* the address field's bits in raw */
	enum pte_mem mem;
	uint64_t reserved;      /* reserved bits that are set */
	char reserved_why[160]; /* which rule makes them reserved */
	struct pte_attr attr[PTE_MAX_ATTR];
	unsigned nattr;
	char note[200];         /* "" or a remark on the whole entry */
};

const char *pte_arch_name(enum pte_arch a);        /* "x86_64" */
const char *pte_mode_name(enum pte_arch a, int mode); /* "4-level" */
const char *pte_level_name(enum pte_level l);      /* "pgd", "ppte" */
const char *pte_kind_name(enum pte_kind k);        /* "table", "leaf" */
const char *pte_mem_name(enum pte_mem m);          /* "device" */
/* The architecture of a uname -m or conf arch ("x86_64", "i686",
 * "armv7l", "aarch64", "riscv64"), or of the names this module uses
 * ("x86_32", "arm", "arm64", "riscv"); PTE_ARCH_NONE when unknown. */
enum pte_arch pte_arch_parse(const char *s);
/* A mode name of arch a ("4level", "5level", "pae", "nopae", "short",
 * "lpae", "4k", "16k", "64k", "sv39", "sv48", "sv57"); -1 unknown. */
int pte_mode_parse(enum pte_arch a, const char *s);
/* "5level|4level" and so on, for messages. */
const char *pte_mode_choices(enum pte_arch a);

/* Decode raw as the entry at level of a walk in format f. */
void pte_decode(const struct pte_fmt *f, enum pte_level level, uint64_t raw,
		struct pte_entry *out);

/* Per architecture (pte_decode dispatches). */
void pte_x86_decode(const struct pte_fmt *f, enum pte_level level,
		    struct pte_entry *e);
void pte_arm_decode(const struct pte_fmt *f, enum pte_level level,
		    struct pte_entry *e);
void pte_arm64_decode(const struct pte_fmt *f, enum pte_level level,
		      struct pte_entry *e);
void pte_riscv_decode(const struct pte_fmt *f, enum pte_level level,
		      struct pte_entry *e);

/* For the decoders: add an attribute (printf value). */
void pte_attr_add(struct pte_entry *e, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The value of attribute name, or NULL. */
const char *pte_attr_get(const struct pte_entry *e, const char *name);

/* pte_build.c: the entry Linux writes for device memory at phys mapped
 * to user space with io_remap_pfn_range(..., pgprot_noncached(...)),
 * after a write when writable; *level says which entry it is (ARM32
 * short descriptors: the hardware one, PTE_L_PPTE). */
uint64_t pte_build_device(const struct pte_fmt *f, uint64_t phys,
			  bool writable, enum pte_level *level);
/* raw as the kernel of f's architecture prints it in an oops ("PTE
 * ...", "*ppte=...", arm64's and RISC-V's pgtable line and "pte=..."),
 * so that oops_scan reads back the same arch, mode and level.  Like
 * snprintf. */
size_t pte_build_text(const struct pte_fmt *f, enum pte_level level,
		      uint64_t raw, char *buf, size_t n);

/* The x86 page-fault error code: "P W U RSVD I PK SS SGX" bits, each
 * with what it says, into buf ("present page (protection violation);
 * write; user mode; reserved bit set in a paging entry").  Like
 * snprintf. */
size_t pte_x86_error_code(unsigned code, char *buf, size_t n);
/* The error code's RSVD bit (3): a paging entry had a reserved bit set. */
#define PTE_X86_PF_RSVD 0x8u

#endif
