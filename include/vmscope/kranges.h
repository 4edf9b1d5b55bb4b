/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kranges: the machine's map.  Physical ranges (RAM, the kernel image,
 * firmware and memmap=/mem= carve-outs, device-tree reserved memory, CMA,
 * device registers, ioremaps, UIO maps) and kernel-virtual ranges (the
 * boot log's "Virtual kernel memory layout", kallsyms, modules), from the
 * boot log, /proc/iomem, /sys/firmware/memmap, the command line,
 * /proc/vmallocinfo, /proc/kallsyms, /proc/modules and UIO sysfs.
 * Each range keeps every source it came from (file and line), nested where
 * it nests; a lookup gives the innermost range.  Also: a heat strip of RAM
 * from kpageflags, and the reverse lookup "which processes map this PFN".
 *
 * Files: kranges.c (model, lookups), kranges_tree.c (merging and
 * nesting), kranges_heat.c (heat strip), bootlog*.c (the boot
 * log parser), kranges_proc.c (the parsers of the /proc and /sys
 * formats), kranges_read.c (reading the sources through the root, the
 * live kernel log), kranges_rmap.c (reverse lookup). */
#ifndef VMSCOPE_KRANGES_H
#define VMSCOPE_KRANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmscope/err.h"
#include "vmscope/kpage.h"
#include "vmscope/root.h"

enum krange_space {
	KSPACE_PHYS,   /* physical addresses */
	KSPACE_VIRT,   /* kernel virtual addresses */
};

/* What a range is.  KR_ZONE and KR_NODE describe memory management (which
 * zone or NUMA node a frame belongs to); they straddle the map's ranges and
 * so form a layer of their own: lookups of "what is here" skip them. */
enum krange_kind {
	KR_RAM,        /* System RAM, e820 usable, memory banks */
	KR_KERNEL,     /* the kernel image: code, rodata, data, bss, init */
	KR_RESERVED,   /* firmware reserved, iomem "Reserved" */
	KR_ACPI,       /* ACPI tables and NVS */
	KR_PMEM,       /* persistent memory: e820 type 7/12, memmap=nn!ss */
	KR_CARVEOUT,   /* reserved for a purpose: memmap=nn$ss, device-tree
	                * reserved-memory, crashkernel, ramoops */
	KR_CMA,        /* contiguous memory allocator areas and pools */
	KR_UNUSABLE,   /* e820 unusable; RAM left out by mem= */
	KR_DEVICE,     /* device registers, ROMs, anything else in iomem */
	KR_BUS,        /* bus windows (PCI host bridge), gaps for PCI */
	KR_IOREMAP,    /* an ioremap of physical memory (vmallocinfo phys=) */
	KR_UIO,        /* a UIO map (sysfs) */
	KR_ZONE,       /* memory zone: DMA, DMA32, Normal, HighMem */
	KR_NODE,       /* NUMA node memory range */
	KR_VAREA,      /* kernel virtual area: vmalloc, lowmem, fixmap, ... */
	KR_VIMAGE,     /* kernel image section in virtual space: .text, .data */
	KR_MODULE,     /* a loaded module (virtual) */
	KR__COUNT
};

/* Where a range came from. */
enum ksrc {
	KSRC_BOOTLOG,     /* the boot log (live kernel log, boot.log, --bootlog) */
	KSRC_IOMEM,       /* /proc/iomem */
	KSRC_FW_MEMMAP,   /* /sys/firmware/memmap/N (line = N + 1) */
	KSRC_CMDLINE,     /* /proc/cmdline */
	KSRC_VMALLOCINFO, /* /proc/vmallocinfo */
	KSRC_KALLSYMS,    /* /proc/kallsyms */
	KSRC_MODULES,     /* /proc/modules */
	KSRC_UIO,         /* /sys/class/uio/uioN/maps/mapM */
	KSRC_DERIVED,     /* computed from other sources (text says how) */
	KSRC__COUNT
};

struct krange_src {
	enum ksrc kind;
	unsigned line;   /* 1-based line in that source, 0 when none */
	char *text;      /* the line as read, untrusted (escape it); NULL when none */
};

struct krange {
	uint64_t start, end;     /* [start, end) */
	/* The range runs to the end of the 64-bit space: its last address
	 * is 0xffffffffffffffff, printed inclusive, and its exclusive end
	 * 2^64 does not fit, so end holds UINT64_MAX.  Use krange_last. */
	bool to_top;
	enum krange_space space;
	enum krange_kind kind;
	char *name;              /* "System RAM", "reserved by memmap=8G$4G",
	                          * "vmalloc": untrusted, escape before output */
	struct krange_src *src;  /* every source that gave this range */
	size_t nsrc;
	/* the tree, as indices into kranges.r (-1: none); children follow
	 * their parent in the array (pre-order), sorted by start */
	int parent, first_child, next_sibling;
	unsigned depth;          /* 0 for top level */
	unsigned seq;            /* insertion order (internal) */
};

/* Something the sources describe but whose address the kernel hid. */
struct krange_hidden {
	enum ksrc src;
	unsigned line;        /* first line it was seen on */
	unsigned count;       /* how many entries were hidden */
	char what[96];        /* ".text", "ioremap virtual addresses" */
	char why[256];        /* "hashed by %p (kptr_restrict=0)..." */
};

/* A line of the boot log that looked like something we read but could not
 * be parsed (truncated, garbled). */
struct kskip {
	unsigned line;
	char reason[96];
	char *text;           /* untrusted */
};

/* A source that was read, for the "sources" header and JSON. */
struct ksource_info {
	enum ksrc kind;
	bool used;            /* read and parsed */
	unsigned lines;       /* lines (entries) read */
	unsigned ranges;      /* ranges it gave */
	char detail[200];     /* origin or why it is missing */
};

/* The "Memory: ..." summary line of the boot log. */
struct kmem_summary {
	bool present;
	unsigned line;
	uint64_t available_kib, total_kib; /* 0 when not given */
	unsigned nitems;
	struct { char label[32]; uint64_t kib; } item[16]; /* "kernel code" */
	char *text;
};

struct kranges {
	struct krange *r;        /* sorted by space, layer, start, -end */
	size_t n, cap;
	struct krange_hidden *hidden;
	size_t nhidden, hidden_cap;
	struct kskip *skip;      /* at most KRANGES_MAX_SKIP kept */
	size_t nskip, skip_cap;
	unsigned skipped;        /* total, including those not kept */
	char **notes;            /* one-line remarks ("the log ring buffer
	                          * wrapped: boot messages are gone") */
	size_t nnotes;
	struct ksource_info sources[KSRC__COUNT];
	struct kmem_summary mem;
	char *cmdline;           /* the kernel command line, untrusted */
	enum ksrc cmdline_src;
	char bootlog_origin[160];/* "kernel log (klogctl)", "ROOT/boot.log", path */
	char bootlog_kernel[128];/* release from "Linux version X", "" unknown */
	char bootlog_arch[16];   /* the log's architecture as uname -m would
	                          * say it ("x86_64", "arm", "mips", "ppc",
	                          * "ppc64", "riscv64"...), "" unknown */
	unsigned page_shift;     /* for PFN-based old-format lines (default 12) */
	bool finalized;
	/* internal */
	unsigned next_seq;
	uint64_t mem_limit;      /* mem= from the command line, 0 none */
	unsigned mem_limit_line;
	enum ksrc mem_limit_src;
	char *mem_limit_text;
	bool oom;                /* an allocation failed while adding */
	bool have_ksym_text;     /* _text from kallsyms (for derived ranges) */
	uint64_t ksym_text;
	size_t slice[2][2][2];   /* [space][layer][begin,end) after finalize */
};

#define KRANGES_MAX_SKIP 64

void kranges_init(struct kranges *k);
void kranges_free(struct kranges *k);

/* Add a range [start, end) with one source.  text (may be NULL) is copied.
 * Returns the index or -1 on allocation failure.  Call kranges_finalize
 * after the last add: it merges the same range given by several sources,
 * sorts, and builds the tree. */
int kranges_add(struct kranges *k, enum krange_space space,
		enum krange_kind kind, uint64_t start, uint64_t end,
		const char *name, enum ksrc src, unsigned line,
		const char *text, size_t textlen);
/* The same with an inclusive last address, as the files print it: a
 * last of 0xffffffffffffffff makes a range to the top (to_top). */
int kranges_add_last(struct kranges *k, enum krange_space space,
		     enum krange_kind kind, uint64_t start, uint64_t last,
		     const char *name, enum ksrc src, unsigned line,
		     const char *text, size_t textlen);
/* A range's last address, and its size (UINT64_MAX for all 2^64). */
static inline uint64_t krange_last(const struct krange *r)
{
	return r->to_top ? UINT64_MAX : r->end - 1;
}
static inline uint64_t krange_size(const struct krange *r)
{
	uint64_t n = r->end - r->start;

	return r->to_top && n < UINT64_MAX ? n + 1 : n;
}
/* Record count hidden entries of what (added to an entry of the same
 * source and what). */
void kranges_hide(struct kranges *k, enum ksrc src, unsigned line,
		  const char *what, const char *why, unsigned count);
void kranges_skip(struct kranges *k, unsigned line, const char *reason,
		  const char *text, size_t textlen);
void kranges_note(struct kranges *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int kranges_finalize(struct kranges *k, struct vms_err *e);

/* ---- pure parsers (text is len bytes, need not be NUL-terminated) ----
 * Each adds what it finds to k and returns the number of ranges added, or
 * -1 on allocation failure.  Malformed lines never fail the parse: the
 * boot log records them with kranges_skip, the others skip them. */

/* A boot log: dmesg output (with or without timestamps, syslog prefixes,
 * "<6>" levels), a serial console capture, journalctl -k. */
int kranges_parse_bootlog(struct kranges *k, const char *text, size_t len);
/* Why a boot log of kernel release (may be "") on architecture arch (uname
 * -m, may be "") has no virtual layout block: which kernels of that
 * architecture print one, in a sentence into buf. */
void kranges_layout_absence(const char *arch, const char *release,
			    char *buf, size_t n);
/* /proc/iomem (nested by indentation).  Zeroed addresses (not root) are
 * reported as hidden. */
int kranges_parse_iomem(struct kranges *k, const char *text, size_t len);
/* A kernel command line: memmap= (@ $ ! # forms, comma lists, exactmap)
 * and mem= (limit, or nn@ss on ARM/MIPS). */
int kranges_parse_cmdline(struct kranges *k, const char *text, size_t len,
			  enum ksrc src, unsigned line);
/* One /sys/firmware/memmap/N entry: its start, end (inclusive) and type
 * files' contents. */
int kranges_parse_fw_memmap(struct kranges *k, unsigned index,
			    const char *start, const char *end,
			    const char *type);
/* /proc/vmallocinfo: ioremap regions as physical ranges (phys= is real);
 * hashed virtual addresses are reported as hidden.  addr_bits is the
 * kernel's pointer width (32 or 64), page_size the guard page size. */
int kranges_parse_vmallocinfo(struct kranges *k, const char *text,
			      size_t len, unsigned addr_bits,
			      unsigned page_size);
/* /proc/kallsyms: the kernel image sections (_text.._etext, ...).
 * Zeroed addresses (kptr_restrict, not root) are reported as hidden. */
int kranges_parse_kallsyms(struct kranges *k, const char *text, size_t len);
/* Whether a line of /proc/kallsyms is one kranges_parse_kallsyms uses:
 * what a snapshot keeps of that file. */
bool kranges_kallsyms_wanted(const char *line, size_t len);
/* /proc/modules: each module's [base, base + size). */
int kranges_parse_modules(struct kranges *k, const char *text, size_t len);

/* ---- reading through the root ---- */

struct kranges_opts {
	const char *bootlog_file; /* --bootlog FILE (a path of this machine,
	                           * not under the root), NULL: the root's */
	bool bootlog_only;        /* read nothing but the boot log */
	bool no_bootlog;          /* skip the boot log (fast annotations) */
	bool phys_only;           /* skip kallsyms and modules (virtual only) */
};

/* Read every source the root has: live, the kernel log (klogctl, else
 * /dev/kmsg), else ROOT/boot.log; /proc/iomem, /sys/firmware/memmap,
 * /proc/cmdline, /proc/vmallocinfo, /proc/kallsyms, /proc/modules, UIO
 * sysfs.  A missing or unreadable source is not an error: its
 * sources[] entry says why.  When the boot log names another kernel than
 * the root's, the root's other sources are left out (with a note): they
 * would describe another machine.  k is initialised here. */
int kranges_load(struct kranges *k, const struct vms_root *r,
		 const struct kranges_opts *o, struct vms_err *e);

/* ---- the sources, read apart from their parsing ---- */

/* The text of one source file, or why there is none. */
struct ksource_text {
	char *text;              /* malloc'd, NUL-terminated; NULL: not read */
	size_t len;
	struct vms_err err;      /* why text is NULL */
};

/* /sys/firmware/memmap/N: its three files (each may be NULL). */
struct ksource_memmap {
	char *start, *end, *type;
};

/* /sys/class/uio/DEV/maps/mapM. */
struct ksource_uio {
	char dev[33];            /* "uio0" */
	char *devname;           /* DEV/name, may be NULL */
	unsigned map;            /* M */
	char *addr, *size, *name;
};

struct kranges_sources {
	struct ksource_text bootlog, iomem, cmdline, vmallocinfo, kallsyms,
			    modules, kptr_restrict;
	struct ksource_memmap *memmap;
	unsigned nmemmap;
	struct ksource_uio *uio;
	size_t nuio;
	bool have_uio_dir;
};

/* Read, parse nothing: every source file of the root that kranges_load
 * uses (what o leaves out aside; o->bootlog_file is kranges_load's).  The
 * capture runs this on its recording tap, so the collector holds the
 * readers without the parsers.  0, or -1 only when out of memory. */
int kranges_sources_read(const struct vms_root *r,
			 const struct kranges_opts *o,
			 struct kranges_sources *s, struct vms_err *e);
void kranges_sources_free(struct kranges_sources *s);

/* ---- lookups ---- */

/* The innermost (smallest) range of the map layer (not zones or nodes)
 * that contains addr, or NULL. */
const struct krange *kranges_lookup(const struct kranges *k,
				    enum krange_space space, uint64_t addr);
/* For the page screens: what is at a physical address ("System RAM",
 * "Kernel code", "reserved by memmap=8G$4G", "uio0 map0 (gpio@...)"). */
const struct krange *kranges_lookup_phys(const struct kranges *k,
					 uint64_t phys);
/* The zone (KR_ZONE) or node (KR_NODE) range containing phys, or NULL. */
const struct krange *kranges_lookup_mm(const struct kranges *k,
				       enum krange_kind kind, uint64_t phys);
/* "System RAM > Kernel code": names from the outermost range down to r,
 * joined by sep.  Returns the length needed, like snprintf. */
size_t kranges_path(const struct kranges *k, const struct krange *r,
		    const char *sep, char *buf, size_t n);
/* "/proc/iomem line 7", "boot log (klogctl) line 40",
 * "/sys/firmware/memmap/3".  Like snprintf. */
size_t kranges_src_format(const struct kranges *k,
			  const struct krange_src *s, char *buf, size_t n);
/* The short form for tables: "iomem:7", "boot log:40", "memmap/3". */
void kranges_src_short(const struct krange_src *s, char *buf, size_t n);

const char *krange_kind_name(enum krange_kind kind);  /* "ram", "cma" */
const char *krange_space_name(enum krange_space s);   /* "phys", "virt" */
const char *ksrc_name(enum ksrc s);                   /* "/proc/iomem" */
/* One line on what a kernel virtual area is ("vmalloc" -> "vmalloc() and
 * ioremap() mappings"), or NULL for a label we do not know. */
const char *kranges_area_note(const char *label);
/* Whether a range's kind is part of the zone/node layer. */
bool krange_is_mm(const struct krange *r);

/* [lo, hi) physical extent of RAM (KR_RAM/KR_KERNEL/KR_CMA ranges);
 * false when no RAM range is known. */
bool kranges_ram_extent(const struct kranges *k, uint64_t *lo, uint64_t *hi);

/* Whether phys lies in RAM (a RAM, kernel or CMA range holds it, at any
 * depth): 1; 0 when it does not though the map knows RAM; -1 when no
 * source gave any RAM range (nothing to tell by). */
int kranges_in_ram(const struct kranges *k, uint64_t phys);

/* ---- heat strip of RAM from kpageflags ---- */

enum kheat_cat {
	KHEAT_FREE,      /* a free block (BUDDY), or RAM deferred
	                  * struct-page init has not reached (ramclass.h) */
	KHEAT_ANON,      /* ANON */
	KHEAT_FILE,      /* page cache (LRU or MMAP, not ANON) */
	KHEAT_SLAB,      /* SLAB */
	KHEAT_PGTABLE,   /* PGTABLE */
	KHEAT_RESERVED,  /* RESERVED */
	KHEAT_OTHER,     /* none of the above: used by the kernel without a
	                  * telling flag (vmalloc, stacks, buffers, the
	                  * struct page array) */
	KHEAT_NOT_RAM,   /* no struct page (NOPAGE) or outside every RAM range */
	KHEAT__COUNT
};

struct kheat_cell {
	uint64_t pfn_start, pfn_end;     /* [start, end), empty when equal */
	uint32_t count[KHEAT__COUNT];    /* pages read, by category */
	uint8_t dominant;                /* enum kheat_cat with most pages */
	bool sampled;                    /* counts cover a sample of the run */
	uint32_t uninit;                 /* of the free frames, those in a
	                                  * deferred-init tail (ramclass.h) */
};

struct kheat_opts {
	uint64_t pfn_start, pfn_end;     /* both 0: the RAM extent */
	uint32_t max_per_cell;           /* 0: read every PFN; else read at
	                                  * most this many (in 64-page blocks
	                                  * spread over the cell) */
	struct ramclass *rc;             /* NULL: find the deferred-init
	                                  * tails first; else a walk set up by
	                                  * kranges_ram_tails, kept across
	                                  * calls in rising PFN order */
	unsigned addr_bits;              /* 32 or 64 (0: 64): struct page size */
};

struct ramclass;
/* Find RAM's deferred-init tails (see vmscope/ramclass.h) into rc, a new
 * walk.  Reads about one frame in 1024 of each tail. */
int kranges_ram_tails(const struct kranges *k, struct kpage *kp,
		      unsigned page_shift, unsigned addr_bits,
		      struct ramclass *rc, struct vms_err *e);

/* Fill ncells cells covering the PFN range, each a run of PFNs, with
 * counts by category and the dominant one (ties: the lower category).
 * PFNs outside every RAM range are counted NOT_RAM without reading.
 * Reads kpageflags in sorted contiguous batches (64K PFNs, one pread
 * each) through kpage_read.  kp must have kpageflags open
 * (kpage_check(kp, PAGES_KFLAGS)).
 * Frames are classed by ramclass (vmscope/ramclass.h): free blocks
 * whose tail frames read no flags, and RAM that deferred struct-page init
 * has not reached, count as free, so the free total agrees with MemFree.
 * Cost: reading every PFN takes about 15 ms per GiB of RAM (390 ms for
 * 24 GiB here); a screen should pass max_per_cell (1024 gives 3 ms for
 * 48 cells over 24 GiB, with sampled set in each cell). */
int kranges_ram_heat(const struct kranges *k, struct kpage *kp,
		     unsigned page_shift, const struct kheat_opts *o,
		     size_t ncells, struct kheat_cell *out, struct vms_err *e);
const char *kheat_cat_name(enum kheat_cat c);          /* "free", "anon" */
/* The category of one page from its kpageflags. */
enum kheat_cat kheat_classify(uint64_t kflags);

/* ---- reverse lookup: which processes map a PFN ---- */

struct krmap_hit {
	int pid;
	uint64_t vaddr;        /* page-aligned virtual address */
	uint64_t pfn;
	bool via_gap;          /* a PFNMAP mapping (UIO, /dev/mem) */
	char comm[64];         /* raw, untrusted */
	char *vma_name;        /* raw, untrusted, malloc'd ("" anonymous) */
	char how[96];          /* "pagemap", "uio0 map1 (sysfs)" */
};

struct krmap_result {
	struct krmap_hit *hits;
	size_t n, cap;
	unsigned procs;        /* processes looked at */
	unsigned scanned;      /* with an address space, read */
	unsigned kthreads;     /* no address space (kernel threads, zombies) */
	unsigned vanished;     /* exited while being read */
	unsigned denied;       /* pagemap not readable (permissions) */
	unsigned failed;       /* other read errors */
	uint64_t present_pages;/* present pages whose entries were read */
	bool scan_used;        /* PAGEMAP_SCAN found the present ranges */
	bool pfn_hidden;       /* reader cannot see PFNs: no pagemap search */
	char first_problem[256]; /* the first skip's message, "" none */
	char first_failure[256]; /* the first of the failed, named: which
	                          * process (and VMA) and why; "" none */
};

struct krmap_opts {
	uint64_t pfn_lo, pfn_hi;  /* [lo, hi) */
	bool gaps;                /* also PFNMAP mappings resolved through
	                           * UIO sysfs and /dev/mem offsets (reads maps) */
	bool pagemap;             /* search pagemaps (present pages) */
	size_t max_hits;          /* 0: no limit */
};

/* Enumerate ROOT/proc numerically; for each process find its present
 * ranges (PAGEMAP_SCAN where the kernel has it, else its maps) and read
 * the pagemap of only those ranges, recording every page whose PFN is in
 * [pfn_lo, pfn_hi).  Vanished and unreadable processes are counted and
 * skipped.  The hits are sorted by PID and address. */
int kranges_rmap(const struct vms_root *r, const struct krmap_opts *o,
		 struct krmap_result *out, struct vms_err *e);
void kranges_rmap_free(struct krmap_result *res);

#endif
