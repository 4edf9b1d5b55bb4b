/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kranges: the range model (adding, merging, nesting, lookups), the
 * names of things, and the heat strip of RAM from kpageflags. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/kranges.h"

static const char *const kind_names[KR__COUNT] = {
	[KR_RAM] = "ram", [KR_KERNEL] = "kernel", [KR_RESERVED] = "reserved",
	[KR_ACPI] = "acpi", [KR_PMEM] = "pmem", [KR_CARVEOUT] = "carveout",
	[KR_CMA] = "cma", [KR_UNUSABLE] = "unusable", [KR_DEVICE] = "device",
	[KR_BUS] = "bus", [KR_IOREMAP] = "ioremap", [KR_UIO] = "uio",
	[KR_ZONE] = "zone", [KR_NODE] = "node", [KR_VAREA] = "area",
	[KR_VIMAGE] = "image", [KR_MODULE] = "module",
};

static const char *const src_names[KSRC__COUNT] = {
	[KSRC_BOOTLOG] = "boot log", [KSRC_IOMEM] = "/proc/iomem",
	[KSRC_FW_MEMMAP] = "/sys/firmware/memmap",
	[KSRC_CMDLINE] = "/proc/cmdline",
	[KSRC_VMALLOCINFO] = "/proc/vmallocinfo",
	[KSRC_KALLSYMS] = "/proc/kallsyms", [KSRC_MODULES] = "/proc/modules",
	[KSRC_UIO] = "/sys/class/uio", [KSRC_DERIVED] = "derived",
};

const char *krange_kind_name(enum krange_kind kind)
{
	return (unsigned)kind < KR__COUNT ? kind_names[kind] : "?";
}

const char *krange_space_name(enum krange_space s)
{
	return s == KSPACE_PHYS ? "phys" : "virt";
}

const char *ksrc_name(enum ksrc s)
{
	return (unsigned)s < KSRC__COUNT ? src_names[s] : "?";
}

static const struct { const char *label, *note; } area_notes[] = {
	{ "vector", "exception vectors (the high vector page)" },
	{ "fixmap", "fixed mappings: addresses decided at compile time" },
	{ "fixed", "fixed mappings: addresses decided at compile time" },
	{ "vmalloc", "vmalloc() and ioremap() mappings" },
	{ "lowmem", "the direct map of low memory (linear: virt = phys + offset)" },
	{ "memory", "the linear map of all RAM" },
	{ "pkmap", "persistent kmap() slots for highmem pages" },
	{ "modules", "loadable module code and data" },
	{ "vmemmap", "the struct page array (one per page frame)" },
	{ "vmemmap (actual)", "the part of vmemmap that is populated" },
	{ "PCI I/O", "PCI I/O port space, memory-mapped" },
	{ "pci io", "PCI I/O port space, memory-mapped" },
	{ "kasan", "KASAN shadow memory" },
	{ "consistent", "DMA-coherent allocations" },
	{ ".text", "kernel code" },
	{ ".init", "init code and data, freed after boot" },
	{ ".init.text", "init code, freed after boot" },
	{ ".data", "kernel data" },
	{ ".rodata", "kernel read-only data" },
	{ ".bss", "kernel zero-initialised data" },
	{ "kernel", "the kernel image" },
	{ "kernel image", "the kernel image" },
};

const char *kranges_area_note(const char *label)
{
	size_t i;

	if (!label)
		return NULL;
	for (i = 0; i < sizeof area_notes / sizeof area_notes[0]; i++)
		if (!strcmp(area_notes[i].label, label))
			return area_notes[i].note;
	return NULL;
}

bool krange_is_mm(const struct krange *r)
{
	return r->kind == KR_ZONE || r->kind == KR_NODE;
}

static int layer_of(const struct krange *r)
{
	return krange_is_mm(r) ? 1 : 0;
}

void kranges_init(struct kranges *k)
{
	memset(k, 0, sizeof *k);
	k->page_shift = 12;
}

static void src_free(struct krange *r)
{
	size_t i;

	for (i = 0; i < r->nsrc; i++)
		free(r->src[i].text);
	free(r->src);
	r->src = NULL;
	r->nsrc = 0;
}

void kranges_free(struct kranges *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		free(k->r[i].name);
		src_free(&k->r[i]);
	}
	free(k->r);
	free(k->hidden);
	for (i = 0; i < k->nskip; i++)
		free(k->skip[i].text);
	free(k->skip);
	for (i = 0; i < k->nnotes; i++)
		free(k->notes[i]);
	free(k->notes);
	free(k->mem.text);
	free(k->cmdline);
	free(k->mem_limit_text);
	kranges_init(k);
}

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

int kranges_add(struct kranges *k, enum krange_space space,
		enum krange_kind kind, uint64_t start, uint64_t end,
		const char *name, enum ksrc src, unsigned line,
		const char *text, size_t textlen)
{
	struct krange *r;

	if (end <= start)
		return -2;
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 64;
		struct krange *nr = realloc(k->r, cap * sizeof *nr);

		if (!nr) {
			k->oom = true;
			return -1;
		}
		k->r = nr;
		k->cap = cap;
	}
	r = &k->r[k->n];
	memset(r, 0, sizeof *r);
	r->start = start;
	r->end = end;
	r->space = space;
	r->kind = kind;
	r->name = strdup(name ? name : "");
	r->src = calloc(1, sizeof *r->src);
	if (!r->name || !r->src) {
		free(r->name);
		free(r->src);
		k->oom = true;
		return -1;
	}
	r->nsrc = 1;
	r->src[0].kind = src;
	r->src[0].line = line;
	if (text) {
		r->src[0].text = dupn(text, textlen);
		if (!r->src[0].text)
			k->oom = true;
	}
	r->parent = r->first_child = r->next_sibling = -1;
	r->seq = k->next_seq++;
	k->finalized = false;
	if (src < KSRC__COUNT)
		k->sources[src].ranges++;
	return (int)k->n++;
}

void kranges_hide(struct kranges *k, enum ksrc src, unsigned line,
		  const char *what, const char *why, unsigned count)
{
	size_t i;

	for (i = 0; i < k->nhidden; i++) {
		struct krange_hidden *h = &k->hidden[i];

		if (h->src == src && !strcmp(h->what, what)) {
			h->count += count;
			return;
		}
	}
	if (k->nhidden == k->hidden_cap) {
		size_t cap = k->hidden_cap ? k->hidden_cap * 2 : 8;
		struct krange_hidden *nh = realloc(k->hidden, cap * sizeof *nh);

		if (!nh) {
			k->oom = true;
			return;
		}
		k->hidden = nh;
		k->hidden_cap = cap;
	}
	memset(&k->hidden[k->nhidden], 0, sizeof k->hidden[0]);
	k->hidden[k->nhidden].src = src;
	k->hidden[k->nhidden].line = line;
	k->hidden[k->nhidden].count = count;
	snprintf(k->hidden[k->nhidden].what, sizeof k->hidden[0].what, "%s", what);
	snprintf(k->hidden[k->nhidden].why, sizeof k->hidden[0].why, "%s", why);
	k->nhidden++;
}

void kranges_skip(struct kranges *k, unsigned line, const char *reason,
		  const char *text, size_t textlen)
{
	struct kskip *s;

	k->skipped++;
	if (k->nskip >= KRANGES_MAX_SKIP)
		return;
	if (k->nskip == k->skip_cap) {
		size_t cap = k->skip_cap ? k->skip_cap * 2 : 8;
		struct kskip *ns = realloc(k->skip, cap * sizeof *ns);

		if (!ns) {
			k->oom = true;
			return;
		}
		k->skip = ns;
		k->skip_cap = cap;
	}
	s = &k->skip[k->nskip];
	s->line = line;
	snprintf(s->reason, sizeof s->reason, "%s", reason);
	s->text = text ? dupn(text, textlen) : NULL;
	k->nskip++;
}

void kranges_note(struct kranges *k, const char *fmt, ...)
{
	char buf[512], **nn, *d;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	d = strdup(buf);
	nn = realloc(k->notes, (k->nnotes + 1) * sizeof *nn);
	if (!d || !nn) {
		free(d);
		if (nn)
			k->notes = nn;
		k->oom = true;
		return;
	}
	k->notes = nn;
	k->notes[k->nnotes++] = d;
}

/* ---- merging and nesting ---- */

static int cmp_range(const void *a, const void *b)
{
	const struct krange *x = a, *y = b;
	int lx = layer_of(x), ly = layer_of(y);

	if (x->space != y->space)
		return x->space < y->space ? -1 : 1;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* How specific a kind is when two sources give the same extent: a
 * generic "reserved" and a "reserved by memmap=" are the same range, the
 * specific name wins.  0: merges only with its own kind. */
static int kind_rank(enum krange_kind k)
{
	switch (k) {
	case KR_RAM: case KR_RESERVED: return 1;
	case KR_UNUSABLE: return 2;
	case KR_ACPI: case KR_PMEM: case KR_CARVEOUT: case KR_CMA: return 3;
	default: return 0;
	}
}

/* Which source names a merged range: the command line's memmap= is the
 * reason a carve-out exists, iomem is what the kernel uses now. */
static int src_rank(enum ksrc s)
{
	static const int rank[KSRC__COUNT] = {
		[KSRC_CMDLINE] = 0, [KSRC_IOMEM] = 1, [KSRC_UIO] = 2,
		[KSRC_VMALLOCINFO] = 3, [KSRC_MODULES] = 4,
		[KSRC_KALLSYMS] = 5, [KSRC_BOOTLOG] = 6, [KSRC_FW_MEMMAP] = 7,
		[KSRC_DERIVED] = 8,
	};

	return (unsigned)s < KSRC__COUNT ? rank[s] : 9;
}

static bool has_src(const struct krange *r, enum ksrc s)
{
	size_t i;

	for (i = 0; i < r->nsrc; i++)
		if (r->src[i].kind == s)
			return true;
	return false;
}

/* Entries of one file that share an extent are distinct resources (a PCI
 * bus inside an ECAM window of the same size, two ioremaps of one page):
 * they nest.  The same extent from different files is one range. */
static bool mergeable(const struct krange *a, const struct krange *b)
{
	static const enum ksrc distinct[] = {
		KSRC_IOMEM, KSRC_VMALLOCINFO, KSRC_UIO, KSRC_FW_MEMMAP,
		KSRC_MODULES,
	};
	int ra = kind_rank(a->kind), rb = kind_rank(b->kind);
	size_t i;

	if (a->space != b->space || a->start != b->start || a->end != b->end ||
	    layer_of(a) != layer_of(b))
		return false;
	if (a->kind != b->kind && !(ra && rb && ra != rb))
		return false;
	for (i = 0; i < sizeof distinct / sizeof distinct[0]; i++)
		if (has_src(a, distinct[i]) && has_src(b, distinct[i]))
			return false;
	return true;
}

static int best_src_rank(const struct krange *r)
{
	int best = 99;
	size_t i;

	for (i = 0; i < r->nsrc; i++)
		if (src_rank(r->src[i].kind) < best)
			best = src_rank(r->src[i].kind);
	return best;
}

/* Fold b into a (a keeps the array slot). */
static int merge_into(struct krange *a, struct krange *b)
{
	struct krange_src *ns;
	bool b_names;

	ns = realloc(a->src, (a->nsrc + b->nsrc) * sizeof *ns);
	if (!ns)
		return -1;
	a->src = ns;
	if (a->kind != b->kind)
		b_names = kind_rank(b->kind) > kind_rank(a->kind);
	else
		b_names = best_src_rank(b) < best_src_rank(a);
	if (b_names) {
		char *t = a->name;

		a->name = b->name;
		b->name = t;
		a->kind = b->kind;
	}
	memcpy(a->src + a->nsrc, b->src, b->nsrc * sizeof *b->src);
	a->nsrc += b->nsrc;
	free(b->src);
	b->src = NULL;
	b->nsrc = 0;
	free(b->name);
	b->name = NULL;
	return 0;
}

/* Sources in the order a person checks them: iomem first, then the
 * others by rank, each by line (stable insertion sort: few sources). */
static void sort_sources(struct krange *r)
{
	size_t i, j;

	for (i = 1; i < r->nsrc; i++) {
		struct krange_src t = r->src[i];

		for (j = i; j > 0; j--) {
			const struct krange_src *p = &r->src[j - 1];
			int a = src_rank(p->kind), b = src_rank(t.kind);

			if (a < b || (a == b && p->line <= t.line))
				break;
			r->src[j] = r->src[j - 1];
		}
		r->src[j] = t;
	}
}

/* RAM that mem= told the kernel not to use: from the limit to the end of
 * the highest RAM range another source describes. */
static void add_mem_limit(struct kranges *k)
{
	uint64_t top = 0;
	size_t i;
	char name[96];

	if (!k->mem_limit)
		return;
	for (i = 0; i < k->n; i++)
		if (k->r[i].space == KSPACE_PHYS && k->r[i].kind == KR_RAM &&
		    k->r[i].end > top)
			top = k->r[i].end;
	if (top <= k->mem_limit)
		return;
	snprintf(name, sizeof name, "left out by %s",
		 k->mem_limit_text ? k->mem_limit_text : "mem=");
	kranges_add(k, KSPACE_PHYS, KR_UNUSABLE, k->mem_limit, top, name,
		    k->mem_limit_src, k->mem_limit_line, k->mem_limit_text,
		    k->mem_limit_text ? strlen(k->mem_limit_text) : 0);
}

static void build_tree(struct kranges *k)
{
	int *stack, *last;
	size_t i, sp = 0;
	int last_top = -1;

	for (i = 0; i < 2 * 2 * 2; i++)
		((size_t *)k->slice)[i] = 0;
	for (i = 0; i < k->n; i++) {
		struct krange *r = &k->r[i];
		int sl = layer_of(r);

		if (i == 0 || r->space != k->r[i - 1].space ||
		    sl != layer_of(&k->r[i - 1]))
			k->slice[r->space][sl][0] = i;
		k->slice[r->space][sl][1] = i + 1;
	}
	/* last[i]: the last child of range i so far, so that appending a
	 * child is O(1) (an iomem of 100,000 siblings was quadratic) */
	stack = malloc((k->n + 1) * sizeof *stack);
	last = malloc((k->n + 1) * sizeof *last);
	if (!stack || !last) {
		free(stack);
		free(last);
		k->oom = true;
		return;
	}
	for (i = 0; i < k->n; i++) {
		struct krange *r = &k->r[i];

		if (i > 0 && (r->space != k->r[i - 1].space ||
			      layer_of(r) != layer_of(&k->r[i - 1]))) {
			sp = 0;
			last_top = -1;
		}
		while (sp > 0) {
			struct krange *t = &k->r[stack[sp - 1]];

			if (t->start <= r->start && r->end <= t->end)
				break;
			sp--;
		}
		r->first_child = r->next_sibling = -1;
		last[i] = -1;
		if (sp > 0) {
			int pi = stack[sp - 1];
			struct krange *p = &k->r[pi];

			r->parent = pi;
			r->depth = p->depth + 1;
			if (p->first_child < 0)
				p->first_child = (int)i;
			else
				k->r[last[pi]].next_sibling = (int)i;
			last[pi] = (int)i;
		} else {
			r->parent = -1;
			r->depth = 0;
			if (last_top >= 0)
				k->r[last_top].next_sibling = (int)i;
			last_top = (int)i;
		}
		stack[sp++] = (int)i;
	}
	free(stack);
	free(last);
}

int kranges_finalize(struct kranges *k, struct vms_err *e)
{
	size_t i, j, out;

	add_mem_limit(k);
	if (k->n)
		qsort(k->r, k->n, sizeof *k->r, cmp_range);
	/* merge equal extents given by several sources */
	for (i = 0; i < k->n; i++) {
		if (!k->r[i].name)
			continue;
		for (j = i + 1; j < k->n && k->r[j].start == k->r[i].start &&
			     k->r[j].end == k->r[i].end &&
			     k->r[j].space == k->r[i].space; j++) {
			if (!k->r[j].name || !mergeable(&k->r[i], &k->r[j]))
				continue;
			if (merge_into(&k->r[i], &k->r[j]) < 0) {
				k->oom = true;
				break;
			}
		}
	}
	for (i = 0, out = 0; i < k->n; i++) {
		if (!k->r[i].name)
			continue;
		if (out != i)
			k->r[out] = k->r[i];
		out++;
	}
	k->n = out;
	for (i = 0; i < k->n; i++)
		sort_sources(&k->r[i]);
	/* a merged range sorts by its first seq: keep the order stable */
	if (k->n)
		qsort(k->r, k->n, sizeof *k->r, cmp_range);
	build_tree(k);
	k->finalized = true;
	if (k->oom) {
		err_sys(e, ENOMEM, "building the map of kernel ranges");
		return -1;
	}
	return 0;
}

/* ---- lookups ---- */

static const struct krange *lookup_in(const struct kranges *k,
				      enum krange_space space, int layer,
				      uint64_t addr, int kind)
{
	const struct krange *best = NULL;
	size_t i, b, e;

	if (!k->finalized || (unsigned)space > 1)
		return NULL;
	b = k->slice[space][layer][0];
	e = k->slice[space][layer][1];
	for (i = b; i < e; i++) {
		const struct krange *r = &k->r[i];

		if (r->start > addr)
			break;
		if (addr >= r->end || (kind >= 0 && r->kind != (enum krange_kind)kind))
			continue;
		if (!best || r->end - r->start < best->end - best->start ||
		    (r->end - r->start == best->end - best->start &&
		     r->depth > best->depth))
			best = r;
	}
	return best;
}

const struct krange *kranges_lookup(const struct kranges *k,
				    enum krange_space space, uint64_t addr)
{
	return lookup_in(k, space, 0, addr, -1);
}

const struct krange *kranges_lookup_phys(const struct kranges *k,
					 uint64_t phys)
{
	return lookup_in(k, KSPACE_PHYS, 0, phys, -1);
}

const struct krange *kranges_lookup_mm(const struct kranges *k,
				       enum krange_kind kind, uint64_t phys)
{
	return lookup_in(k, KSPACE_PHYS, 1, phys, (int)kind);
}

size_t kranges_path(const struct kranges *k, const struct krange *r,
		    const char *sep, char *buf, size_t n)
{
	const struct krange *chain[64];
	size_t depth = 0, len = 0, i;

	if (n)
		buf[0] = '\0';
	while (r && depth < 64) {
		chain[depth++] = r;
		r = r->parent >= 0 ? &k->r[r->parent] : NULL;
	}
	for (i = depth; i-- > 0;) {
		int w = snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0,
				 "%s%s", i + 1 < depth ? sep : "", chain[i]->name);

		if (w > 0)
			len += (size_t)w;
	}
	return len;
}

void kranges_src_short(const struct krange_src *s, char *buf, size_t n)
{
	switch (s->kind) {
	case KSRC_BOOTLOG: snprintf(buf, n, "boot log:%u", s->line); break;
	case KSRC_IOMEM: snprintf(buf, n, "iomem:%u", s->line); break;
	case KSRC_FW_MEMMAP:
		snprintf(buf, n, "memmap/%u", s->line ? s->line - 1 : 0);
		break;
	case KSRC_CMDLINE: snprintf(buf, n, "cmdline"); break;
	case KSRC_VMALLOCINFO: snprintf(buf, n, "vmallocinfo:%u", s->line); break;
	case KSRC_KALLSYMS: snprintf(buf, n, "kallsyms:%u", s->line); break;
	case KSRC_MODULES: snprintf(buf, n, "modules:%u", s->line); break;
	case KSRC_UIO: snprintf(buf, n, "uio sysfs"); break;
	case KSRC_DERIVED: snprintf(buf, n, "derived"); break;
	default: snprintf(buf, n, "?"); break;
	}
}

size_t kranges_src_format(const struct kranges *k,
			  const struct krange_src *s, char *buf, size_t n)
{
	int w;

	switch (s->kind) {
	case KSRC_BOOTLOG:
		w = snprintf(buf, n, "%s line %u",
			     k->bootlog_origin[0] ? k->bootlog_origin : "boot log",
			     s->line);
		break;
	case KSRC_FW_MEMMAP:
		w = snprintf(buf, n, "/sys/firmware/memmap/%u",
			     s->line ? s->line - 1 : 0);
		break;
	case KSRC_CMDLINE:
		w = snprintf(buf, n, "/proc/cmdline");
		break;
	case KSRC_UIO:
		w = snprintf(buf, n, "/sys/class/uio/%s", s->text ? s->text : "?");
		break;
	case KSRC_DERIVED:
		w = snprintf(buf, n, "derived: %s", s->text ? s->text : "?");
		break;
	default:
		if (s->line)
			w = snprintf(buf, n, "%s line %u", ksrc_name(s->kind), s->line);
		else
			w = snprintf(buf, n, "%s", ksrc_name(s->kind));
		break;
	}
	return w > 0 ? (size_t)w : 0;
}

bool kranges_ram_extent(const struct kranges *k, uint64_t *lo, uint64_t *hi)
{
	uint64_t l = UINT64_MAX, h = 0;
	size_t i;

	for (i = 0; i < k->n; i++) {
		const struct krange *r = &k->r[i];

		if (r->space != KSPACE_PHYS || !(r->kind == KR_RAM ||
		    r->kind == KR_KERNEL || r->kind == KR_CMA))
			continue;
		if (r->start < l)
			l = r->start;
		if (r->end > h)
			h = r->end;
	}
	if (h == 0)
		return false;
	*lo = l;
	*hi = h;
	return true;
}

/* ---- heat strip ---- */

static const char *const heat_names[KHEAT__COUNT] = {
	[KHEAT_FREE] = "free", [KHEAT_ANON] = "anon", [KHEAT_FILE] = "file",
	[KHEAT_SLAB] = "slab", [KHEAT_PGTABLE] = "pgtable",
	[KHEAT_RESERVED] = "reserved", [KHEAT_OTHER] = "other",
	[KHEAT_NOT_RAM] = "not-ram",
};

const char *kheat_cat_name(enum kheat_cat c)
{
	return (unsigned)c < KHEAT__COUNT ? heat_names[c] : "?";
}

#define KF(b) (UINT64_C(1) << (b))

enum kheat_cat kheat_classify(uint64_t f)
{
	if (f & KF(KPF_NOPAGE))
		return KHEAT_NOT_RAM;
	if (f & KF(KPF_BUDDY))
		return KHEAT_FREE;
	if (f & KF(KPF_SLAB))
		return KHEAT_SLAB;
	if (f & KF(KPF_PGTABLE))
		return KHEAT_PGTABLE;
	if (f & KF(KPF_ANON))
		return KHEAT_ANON;
	if (f & (KF(KPF_LRU) | KF(KPF_MMAP) | KF(KPF_SWAPCACHE)))
		return KHEAT_FILE;
	if (f & KF(KPF_RESERVED))
		return KHEAT_RESERVED;
	return KHEAT_OTHER;
}

/* Disjoint sorted PFN intervals of RAM. */
struct pfnrun { uint64_t lo, hi; };

static int cmp_run(const void *a, const void *b)
{
	const struct pfnrun *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static size_t ram_runs(const struct kranges *k, unsigned shift,
		       struct pfnrun **out)
{
	struct pfnrun *v;
	size_t i, n = 0, m = 0;

	*out = NULL;
	v = malloc((k->n + 1) * sizeof *v);
	if (!v)
		return 0;
	for (i = 0; i < k->n; i++) {
		const struct krange *r = &k->r[i];

		if (r->space != KSPACE_PHYS || !(r->kind == KR_RAM ||
		    r->kind == KR_KERNEL || r->kind == KR_CMA))
			continue;
		v[n].lo = r->start >> shift;
		v[n].hi = (r->end + ((UINT64_C(1) << shift) - 1)) >> shift;
		if (r->end > UINT64_MAX - ((UINT64_C(1) << shift) - 1))
			v[n].hi = UINT64_MAX >> shift;
		n++;
	}
	if (n)
		qsort(v, n, sizeof *v, cmp_run);
	for (i = 0; i < n; i++) {
		if (m && v[i].lo <= v[m - 1].hi) {
			if (v[i].hi > v[m - 1].hi)
				v[m - 1].hi = v[i].hi;
		} else {
			v[m++] = v[i];
		}
	}
	*out = v;
	return m;
}

/* State carried across reads in PFN order.  kpageflags marks only the
 * first page of a free block BUDDY; its other pages read as no flags at
 * all.  Pages without flags that follow a BUDDY page, within the block
 * that page's alignment allows (at most 2^10 pages), are counted free. */
struct heat_state {
	uint64_t buddy_end;   /* PFNs below this, flagless, are free */
};

#define HEAT_MAX_ORDER 10
#define HEAT_BATCH 65536u

static void heat_count(struct heat_state *st, struct kheat_cell *c,
		       uint64_t pfn, uint64_t flags)
{
	enum kheat_cat cat;

	if (flags == 0 && pfn < st->buddy_end) {
		c->count[KHEAT_FREE]++;
		return;
	}
	cat = kheat_classify(flags);
	if (cat == KHEAT_FREE) {
		uint64_t align = pfn ? (pfn & (~pfn + 1)) : (UINT64_C(1) << HEAT_MAX_ORDER);

		if (align > (UINT64_C(1) << HEAT_MAX_ORDER))
			align = UINT64_C(1) << HEAT_MAX_ORDER;
		st->buddy_end = pfn + align;
	} else {
		st->buddy_end = 0;
	}
	c->count[cat]++;
}

/* Read flags of [lo, hi) (all RAM) into cell c. */
static int heat_read(struct kpage *kp, struct heat_state *st,
		     struct kheat_cell *c, uint64_t lo, uint64_t hi,
		     uint64_t *pfns, uint64_t *flags, struct vms_err *e)
{
	while (lo < hi) {
		size_t n = hi - lo > HEAT_BATCH ? HEAT_BATCH : (size_t)(hi - lo), i;

		for (i = 0; i < n; i++)
			pfns[i] = lo + i;
		if (kpage_read(kp, pfns, NULL, n, flags, NULL, NULL, e) < 0)
			return -1;
		for (i = 0; i < n; i++)
			heat_count(st, c, lo + i, flags[i]);
		lo += n;
	}
	return 0;
}

/* Count [lo, hi) of cell c: RAM parts read (or sampled), the rest
 * NOT_RAM. */
static int heat_span(struct kpage *kp, struct heat_state *st,
		     const struct pfnrun *runs, size_t nruns, size_t *ri,
		     struct kheat_cell *c, uint64_t lo, uint64_t hi,
		     uint64_t *pfns, uint64_t *flags, struct vms_err *e)
{
	uint64_t pos = lo;

	while (pos < hi) {
		while (*ri < nruns && runs[*ri].hi <= pos)
			(*ri)++;
		if (*ri >= nruns || runs[*ri].lo >= hi) {
			c->count[KHEAT_NOT_RAM] += (uint32_t)(hi - pos);
			st->buddy_end = 0;
			return 0;
		}
		if (runs[*ri].lo > pos) {
			c->count[KHEAT_NOT_RAM] += (uint32_t)(runs[*ri].lo - pos);
			st->buddy_end = 0;
			pos = runs[*ri].lo;
		}
		{
			uint64_t end = runs[*ri].hi < hi ? runs[*ri].hi : hi;

			if (heat_read(kp, st, c, pos, end, pfns, flags, e) < 0)
				return -1;
			pos = end;
		}
	}
	return 0;
}

/* span * i / n without overflow (i <= n, both small) */
static uint64_t cell_off(uint64_t span, size_t i, size_t n)
{
	return (span / n) * i + (span % n) * i / n;
}

int kranges_ram_heat(const struct kranges *k, struct kpage *kp,
		     unsigned page_shift, const struct kheat_opts *o,
		     size_t ncells, struct kheat_cell *out, struct vms_err *e)
{
	struct pfnrun *runs = NULL;
	size_t nruns, i, ri = 0;
	uint64_t lo = o ? o->pfn_start : 0, hi = o ? o->pfn_end : 0, span;
	uint64_t *pfns = NULL, *flags = NULL;
	uint32_t maxc = o ? o->max_per_cell : 0;
	struct heat_state st = { 0 };
	int rc = -1;

	if (ncells == 0)
		return 0;
	memset(out, 0, ncells * sizeof *out);
	if (kpage_check(kp, 1, e) < 0)
		return -1;
	nruns = ram_runs(k, page_shift, &runs);
	if (!runs) {
		err_sys(e, ENOMEM, "heat strip of RAM");
		return -1;
	}
	if (lo == 0 && hi == 0) {
		if (nruns == 0) {
			free(runs);
			err_set(e, VMS_EUNSUP,
				"no RAM range is known (no /proc/iomem, firmware memmap or boot log): nothing to draw");
			return -1;
		}
		lo = runs[0].lo;
		hi = runs[nruns - 1].hi;
	}
	if (hi <= lo) {
		free(runs);
		err_set(e, EINVAL, "empty PFN range 0x%llx-0x%llx for the heat strip",
			(unsigned long long)lo, (unsigned long long)hi);
		return -1;
	}
	pfns = malloc(HEAT_BATCH * sizeof *pfns);
	flags = malloc(HEAT_BATCH * sizeof *flags);
	if (!pfns || !flags) {
		err_sys(e, ENOMEM, "heat strip of RAM");
		goto out;
	}
	span = hi - lo;
	for (i = 0; i < ncells; i++) {
		struct kheat_cell *c = &out[i];
		/* cell i covers [lo + span*i/ncells, lo + span*(i+1)/ncells) */
		uint64_t cs = lo + cell_off(span, i, ncells);
		uint64_t ce = lo + cell_off(span, i + 1, ncells);
		unsigned b, best = KHEAT_NOT_RAM;

		c->pfn_start = cs;
		c->pfn_end = ce;
		if (maxc && ce - cs > maxc) {
			/* sample: blocks of 64 pages spread over the cell */
			uint64_t nblk = (maxc + 63) / 64, step = (ce - cs) / nblk, bi;

			c->sampled = true;
			for (bi = 0; bi < nblk; bi++) {
				uint64_t s = cs + bi * step;
				uint64_t t = s + 64 < ce ? s + 64 : ce;

				st.buddy_end = 0;
				if (heat_span(kp, &st, runs, nruns, &ri, c, s, t,
					      pfns, flags, e) < 0)
					goto out;
			}
		} else if (heat_span(kp, &st, runs, nruns, &ri, c, cs, ce, pfns,
				     flags, e) < 0) {
			goto out;
		}
		for (b = 0; b < KHEAT__COUNT; b++)
			if (c->count[b] > c->count[best] ||
			    (c->count[b] == c->count[best] && b < best))
				best = b;
		c->dominant = (uint8_t)best;
	}
	rc = 0;
out:
	free(runs);
	free(pfns);
	free(flags);
	return rc;
}
