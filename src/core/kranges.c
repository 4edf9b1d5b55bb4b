/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kranges: the range model (adding ranges, hidden entries, skipped lines
 * and notes; lookups) and the names of things.  Merging and nesting:
 * kranges_tree.c; the heat strip of RAM: kranges_heat.c. */
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
	/* 32-bit PowerPC's names (arch/powerpc/mm/mem.c, before 6.15) */
	{ "vmalloc & ioremap", "vmalloc() and ioremap() mappings" },
	{ "early ioremap", "ioremap() mappings made at boot, before vmalloc was ready" },
	{ "highmem PTEs", "persistent kmap() slots for highmem pages (pkmap)" },
	{ "kasan shadow mem", "KASAN shadow memory" },
	{ "consistent", "DMA-coherent allocations" },
	{ ".text", "kernel code" },
	{ ".init", "init code and data, freed after boot" },
	{ ".init.text", "init code, freed after boot" },
	{ ".data", "kernel data" },
	{ ".rodata", "kernel read-only data" },
	{ ".bss", "kernel zero-initialised data" },
	{ "kernel", "where the kernel image is mapped (the image at its start)" },
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

/* An array of *cap elements of elem bytes reallocated to twice as many
 * (first of first_cap): the new array with *cap updated, or NULL with
 * the old one and *cap left as they were. */
static void *grow(void *arr, size_t *cap, size_t first_cap, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : first_cap;
	void *n = realloc(arr, ncap * elem);

	if (n)
		*cap = ncap;
	return n;
}

static int add_range(struct kranges *k, enum krange_space space,
		     enum krange_kind kind, uint64_t start, uint64_t end,
		     bool to_top, const char *name, enum ksrc src, unsigned line,
		     const char *text, size_t textlen)
{
	struct krange *r;

	if (end <= start && !to_top)
		return -2;
	if (k->n == k->cap) {
		struct krange *nr = grow(k->r, &k->cap, 64, sizeof *nr);

		if (!nr) {
			k->oom = true;
			return -1;
		}
		k->r = nr;
	}
	r = &k->r[k->n];
	memset(r, 0, sizeof *r);
	r->start = start;
	r->end = end;
	r->to_top = to_top;
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

int kranges_add(struct kranges *k, enum krange_space space,
		enum krange_kind kind, uint64_t start, uint64_t end,
		const char *name, enum ksrc src, unsigned line,
		const char *text, size_t textlen)
{
	return add_range(k, space, kind, start, end, false, name, src, line,
			 text, textlen);
}

int kranges_add_last(struct kranges *k, enum krange_space space,
		     enum krange_kind kind, uint64_t start, uint64_t last,
		     const char *name, enum ksrc src, unsigned line,
		     const char *text, size_t textlen)
{
	if (last < start)
		return -2;
	return add_range(k, space, kind, start,
			 last == UINT64_MAX ? UINT64_MAX : last + 1,
			 last == UINT64_MAX, name, src, line, text, textlen);
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
		struct krange_hidden *nh = grow(k->hidden, &k->hidden_cap, 8,
						sizeof *nh);

		if (!nh) {
			k->oom = true;
			return;
		}
		k->hidden = nh;
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
		struct kskip *ns = grow(k->skip, &k->skip_cap, 8, sizeof *ns);

		if (!ns) {
			k->oom = true;
			return;
		}
		k->skip = ns;
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
		if ((addr >= r->end && !r->to_top) || (kind >= 0 && r->kind != (enum krange_kind)kind))
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

int kranges_in_ram(const struct kranges *k, uint64_t phys)
{
	const struct krange *r;
	uint64_t lo, hi;

	for (r = kranges_lookup_phys(k, phys); r;
	     r = r->parent >= 0 ? &k->r[r->parent] : NULL)
		if (r->kind == KR_RAM || r->kind == KR_KERNEL || r->kind == KR_CMA)
			return 1;
	return kranges_ram_extent(k, &lo, &hi) ? 0 : -1;
}
