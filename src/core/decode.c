/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decode: one decoding of a pasted message, and its text (decode.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/decode.h"
#include "vmscope/escape.h"
#include "vmscope/kpage.h"

static int choose_arch(const struct vms_root *r, const struct decode_opts *o,
		       struct decode_result *res, struct vms_err *e)
{
	enum pte_arch ra = pte_arch_parse(r->arch);
	struct pte_fmt *f = &res->fmt;
	int m = -1;

	if (o->arch) {
		if ((f->arch = pte_arch_parse(o->arch)) == PTE_ARCH_NONE) {
			char shown[96];

			escape_text(shown, sizeof shown, o->arch, strlen(o->arch));
			err_set(e, EINVAL, "unknown architecture '%s' (x86_64, x86_32, arm, arm64, riscv)",
				shown);
			return -1;
		}
		snprintf(res->arch_from, sizeof res->arch_from, "--arch");
	} else if (res->oops.arch == PTE_ARM64 && ra == PTE_RISCV) {
		/* "pgd=..., pte=..." is arm64's show_pte; on a RISC-V root
		 * the same words are taken as that root's */
		f->arch = ra;
		snprintf(res->arch_from, sizeof res->arch_from,
			 "the root (%.40s), the message's format being arm64-style", r->arch);
	} else if (res->oops.arch != PTE_ARCH_NONE) {
		f->arch = res->oops.arch;
		snprintf(res->arch_from, sizeof res->arch_from, "%s in the message",
			 res->oops.arch_why);
	} else {
		f->arch = ra;
		snprintf(res->arch_from, sizeof res->arch_from, "the root (%.40s)",
			 r->arch[0] ? r->arch : "unknown");
	}
	if (f->arch == PTE_ARCH_NONE) {
		err_set(e, EINVAL, "the root does not say its architecture and the message does not show it: give --arch");
		return -1;
	}
	if (o->mode && (m = pte_mode_parse(f->arch, o->mode)) < 0) {
		err_set(e, EINVAL, "unknown mode '%.40s' for %s (%s)", o->mode,
			pte_arch_name(f->arch), pte_mode_choices(f->arch));
		return -1;
	}
	if (m < 0 && res->oops.mode >= 0)
		m = res->oops.mode;
	if (m < 0 && f->arch == PTE_ARM64 && f->arch == ra && res->oops.bare)
		m = r->page_size == 65536 ? PTE_ARM64_64K :
		    r->page_size == 16384 ? PTE_ARM64_16K : PTE_ARM64_4K;
	f->mode = m < 0 ? 0 : m;
	return 0;
}

/* Numbers typed for this machine: its x86 CPU's physical address width
 * from the root's /proc/cpuinfo ("address sizes : 39 bits physical"). */
static void cpu_phys_bits(const struct vms_root *r, struct decode_result *res)
{
	char *text = NULL, *p;
	size_t len;
	unsigned b;

	if (root_read_text(r, "proc/cpuinfo", &text, &len, NULL) < 0)
		return;
	if ((p = strstr(text, "address sizes")) && (p = strchr(p, ':')) &&
	    sscanf(p + 1, "%u bits physical", &b) == 1 && b >= 32 && b <= 52) {
		res->fmt.pa_bits = b;
		snprintf(res->pa_from, sizeof res->pa_from, "%u bits (the root's /proc/cpuinfo)", b);
	}
	free(text);
}

static void choose_details(const struct vms_root *r, const struct decode_opts *o,
			   struct decode_result *res)
{
	struct pte_fmt *f = &res->fmt;
	unsigned a, b;

	f->va_bits = res->oops.va_bits;
	f->pa_bits = o->phys_bits;
	if (o->phys_bits)
		snprintf(res->pa_from, sizeof res->pa_from, "%u bits (--phys-bits)", o->phys_bits);
	else if (res->oops.bare && (f->arch == PTE_X86_64 || f->arch == PTE_X86_32) &&
		 f->arch == pte_arch_parse(r->arch))
		cpu_phys_bits(r, res);
	f->lpa = f->arch == PTE_ARM64 && f->va_bits == 52;
	if (o->kernel && sscanf(o->kernel, "%u.%u", &a, &b) == 2) {
		f->kernel[0] = a;
		f->kernel[1] = b;
	} else if (res->oops.kernel[0]) {
		memcpy(f->kernel, res->oops.kernel, sizeof f->kernel);
	} else if (f->arch == pte_arch_parse(r->arch) &&
		   sscanf(r->release, "%u.%u", &a, &b) == 2) {
		f->kernel[0] = a;
		f->kernel[1] = b;
	}
}

static int load_map(const struct vms_root *r, const struct decode_opts *o,
		    struct decode_result *res, struct vms_err *e)
{
	struct kranges_opts ko = o->ko;

	if (o->no_map) {
		snprintf(res->map_why, sizeof res->map_why, "not read (--no-map)");
		return 0;
	}
	if (res->fmt.arch != pte_arch_parse(r->arch)) {
		snprintf(res->map_why, sizeof res->map_why,
			 "not placed: the message is from a machine of another architecture (%s) than the root's (%.40s); open that machine's snapshot with --root",
			 pte_arch_name(res->fmt.arch), r->arch[0] ? r->arch : "unknown");
		return 0;
	}
	ko.phys_only = true;
	if (kranges_load(&res->k, r, &ko, e) < 0) {
		kranges_free(&res->k);
		return -1;
	}
	res->k_loaded = true;
	res->map_used = true;
	snprintf(res->map_why, sizeof res->map_why,
		 "the map of %.120s, taken to be the machine that printed the message (--no-map if it is not)",
		 r->live ? "this machine" : r->path);
	return 0;
}

static enum pte_level level_parse(const char *s)
{
	int l;

	for (l = 0; s && l < PTE_L__COUNT; l++)
		if (!strcmp(s, pte_level_name((enum pte_level)l)))
			return (enum pte_level)l;
	return PTE_L_PTE;
}

/* ARM32 short: the hardware entry of walk w is a non-zero fault entry. */
static bool hw_garbage(const struct decode_result *res, unsigned w)
{
	size_t i;

	if (res->fmt.arch != PTE_ARM || res->fmt.mode != PTE_ARM_SHORT)
		return false;
	for (i = 0; i < res->oops.n; i++)
		if (res->oops.e[i].walk == w && res->oops.e[i].level == PTE_L_PPTE &&
		    res->oops.e[i].raw && !(res->oops.e[i].raw & 3))
			return true;
	return false;
}

int decode_run(const struct vms_root *r, const char *text, size_t len,
	       const struct decode_opts *o, struct decode_result *res,
	       struct vms_err *e)
{
	const struct kranges *k;
	size_t i;

	memset(res, 0, sizeof *res);
	if (o->level && level_parse(o->level) == PTE_L_PTE && strcmp(o->level, "pte")) {
		err_set(e, EINVAL, "unknown level '%.20s' (pgd, p4d, pud, pmd, pte, ppte)", o->level);
		return -1;
	}
	oops_scan(text, len, level_parse(o->level), &res->oops);
	if (choose_arch(r, o, res, e) < 0)
		return -1;
	choose_details(r, o, res);
	if (!res->oops.n)
		return 0;
	if (load_map(r, o, res, e) < 0)
		return -1;
	k = res->k_loaded ? &res->k : NULL;
	for (i = 0; i < res->oops.n; i++) {
		struct decode_item *it = &res->item[res->n++];

		it->src = res->oops.e[i];
		pte_decode(&res->fmt, it->src.level, it->src.raw, &it->pte);
		ptecheck_entry(&res->fmt, k, &res->oops, &it->pte,
			       hw_garbage(res, it->src.walk), &it->chk);
		if (res->map_used && it->chk.place.in_ram && it->pte.kind == PTE_K_LEAF)
			ptecheck_read_page(r, it->pte.addr >> (r->page_shift ? r->page_shift : 12),
					   &it->chk.place);
	}
	return 0;
}

void decode_free(struct decode_result *res)
{
	if (res->k_loaded)
		kranges_free(&res->k);
	res->k_loaded = false;
}

void decode_root_fmt(const struct vms_root *r, struct pte_fmt *f)
{
	unsigned a, b;

	memset(f, 0, sizeof *f);
	f->arch = pte_arch_parse(r->arch);
	if (f->arch == PTE_ARM64)
		f->mode = r->page_size == 65536 ? PTE_ARM64_64K :
			  r->page_size == 16384 ? PTE_ARM64_16K : PTE_ARM64_4K;
	if (sscanf(r->release, "%u.%u", &a, &b) == 2) {
		f->kernel[0] = a;
		f->kernel[1] = b;
	}
}

/* ---- text ---- */

struct out {
	void (*line)(void *ctx, const char *s);
	void *ctx;
};

static void put(const struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(const struct out *o, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	o->line(o->ctx, buf);
}

static void format_header(const struct decode_result *res, const struct out *o)
{
	const struct oops_report *p = &res->oops;
	char ec[512];

	put(o, "architecture: %s, %s (from %s)", pte_arch_name(res->fmt.arch),
	    pte_mode_name(res->fmt.arch, res->fmt.mode), res->arch_from);
	if (p->have_addr)
		put(o, "fault address: 0x%llx", (unsigned long long)p->fault_addr);
	if (p->have_error_code && (res->fmt.arch == PTE_X86_64 || res->fmt.arch == PTE_X86_32)) {
		pte_x86_error_code(p->error_code, ec, sizeof ec);
		put(o, "error code 0x%04x: %s", p->error_code, ec);
	}
	if (p->fault[0])
		put(o, "the kernel said: %s", p->fault);
	if (p->bad_pagetable)
		put(o, "the kernel reported a corrupted page table (a reserved bit was set)");
	if (p->kernel[0])
		put(o, "kernel: %u.%u", p->kernel[0], p->kernel[1]);
	if (res->pa_from[0])
		put(o, "physical address width: %s", res->pa_from);
	put(o, "map: %s", res->map_why[0] ? res->map_why : "none");
}

static void format_place(const struct decode_item *it, const struct out *o)
{
	const struct pte_place *pl = &it->chk.place;
	char flags[512];

	if (!it->chk.placed)
		return;
	if (!pl->map_known && !pl->range)
		return;
	if (pl->range)
		put(o, "  %-14s %s (%s, 0x%llx-0x%llx)", "on the map", pl->path,
		    krange_kind_name(pl->range->kind),
		    (unsigned long long)pl->range->start,
		    (unsigned long long)krange_last(pl->range));
	else
		put(o, "  %-14s on no range of the map%s", "on the map",
		    pl->beyond_ram ? " (beyond the end of RAM)" : "");
	if (pl->have_page) {
		kpage_flags_format(pl->kflags, ",", flags, sizeof flags);
		put(o, "  %-14s %s, map count %llu", "kpageflags",
		    flags[0] ? flags : "no flags", (unsigned long long)pl->kcount);
	} else if (pl->page_why[0]) {
		put(o, "  %-14s unknown: %s", "kpageflags", pl->page_why);
	}
}

static void format_item(const struct decode_item *it, const struct out *o)
{
	const struct pte_entry *p = &it->pte;
	unsigned i;

	put(o, "%s 0x%llx: %s, %s (walk %u, line %u)", pte_level_name(p->level),
	    (unsigned long long)p->raw, p->hwname[0] ? p->hwname : "entry",
	    pte_kind_name(p->kind), it->src.walk + 1, it->src.line);
	for (i = 0; i < p->nattr; i++)
		put(o, "  %-14s %s", p->attr[i].name, p->attr[i].value);
	if (p->kind == PTE_K_LEAF || p->kind == PTE_K_TABLE ||
	    (p->kind == PTE_K_INVALID && p->addr))
		put(o, "  %-14s 0x%llx, physical address 0x%llx%s%s",
		    p->kind == PTE_K_TABLE ? "next table" : "frame",
		    (unsigned long long)p->pfn, (unsigned long long)p->addr,
		    p->kind == PTE_K_INVALID ? " (not used by the CPU)" : "",
		    p->kind == PTE_K_LEAF ? "" : "");
	if (p->reserved)
		put(o, "  %-14s 0x%llx: %s", "reserved bits",
		    (unsigned long long)p->reserved, p->reserved_why);
	else if (p->reserved_why[0])
		put(o, "  %-14s none known: %s", "reserved bits", p->reserved_why);
	if (p->note[0])
		put(o, "  %-14s %s", "note", p->note);
	format_place(it, o);
	for (i = 0; i < it->chk.n; i++) {
		put(o, "  finding: %s: %s", it->chk.f[i].id, it->chk.f[i].evidence);
		put(o, "    instead: %s", it->chk.f[i].advice);
	}
}

void decode_format(const struct decode_result *res,
		   void (*line)(void *ctx, const char *s), void *ctx)
{
	struct out o = { line, ctx };
	size_t i;

	format_header(res, &o);
	if (!res->n) {
		put(&o, "no page-table values found in the text");
		return;
	}
	for (i = 0; i < res->n; i++) {
		put(&o, "%s", "");
		format_item(&res->item[i], &o);
	}
	if (res->oops.more)
		put(&o, "only the first %d entries of the text are decoded", OOPS_MAX_ENTRIES);
}
