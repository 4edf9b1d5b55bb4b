/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmscope pages PID ADDR|START-END: one line per page. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "util.h"
#include "vmscope/explain.h"
#include "vmscope/kpage.h"
#include "vmscope/pagemap.h"
#include "vmscope/physaddr.h"

#define CHUNK_PAGES 16384

/* A gap VMA's physical addresses, where known: phys0 is at vaddr0. */
struct gap_rows {
	uint64_t vaddr0, phys0;
	const char *source;
};

struct out {
	const struct cli_opts *o;
	struct json j;
	int w;
};

static void text_row(struct out *out, struct pages_ctx *c,
		     const struct page_info *p, const struct gap_rows *gp)
{
	const struct vms_root *r = c->root;
	struct pagemap_entry pe;
	char pfn[48] = "-", phys[48] = "-", count[24] = "-", flags[1024] = "";
	const char *cg = NULL;

	pagemap_decode(p->pm, &c->pm.layout, &pe);
	if (p->state == PAGE_GAP) {
		if (gp)
			snprintf(phys, sizeof phys, "0x%" PRIx64,
				 gp->phys0 + (p->vaddr - gp->vaddr0));
		else
			snprintf(phys, sizeof phys, "unknown");
		snprintf(pfn, sizeof pfn, "no-page");
	} else if (pe.present && !r->pfn_visible) {
		snprintf(pfn, sizeof pfn, "hidden");
		snprintf(phys, sizeof phys, "hidden");
	} else if (pe.present) {
		snprintf(pfn, sizeof pfn, "0x%" PRIx64, pe.pfn);
		snprintf(phys, sizeof phys, "0x%" PRIx64, pe.pfn << r->page_shift);
	} else if (pe.swapped && !pe.guard) {
		snprintf(pfn, sizeof pfn, "swap:%u/0x%" PRIx64, pe.swap_type,
			 pe.swap_offset);
	}
	if (p->have_kpage) {
		snprintf(count, sizeof count, "%" PRIu64, p->kcount);
		kpage_flags_format_for(p->kflags, c->pm.layout.kver, ",", flags,
				       sizeof flags);
		cg = pages_cgroup(c, p);
	} else if (p->frame != KPAGE_REC_YES) {
		snprintf(flags, sizeof flags, "(%s)",
			 kpage_rec_short((enum kpage_rec)p->frame));
	}
	/* pagemap's own bits are shown too: they are not in kpageflags */
	if (pe.exclusive)
		strncat(flags, flags[0] ? ",excl" : "excl", sizeof flags - strlen(flags) - 1);
	if (pe.soft_dirty)
		strncat(flags, flags[0] ? ",sd" : "sd", sizeof flags - strlen(flags) - 1);
	if (pe.uffd_wp)
		strncat(flags, flags[0] ? ",uffd-wp" : "uffd-wp", sizeof flags - strlen(flags) - 1);
	if (pe.guard)
		strncat(flags, flags[0] ? ",guard" : "guard", sizeof flags - strlen(flags) - 1);
	printf("%0*" PRIx64 " %-11s %-14s %-16s %5s ", out->w, p->vaddr,
	       page_state_name((enum page_state)p->state), pfn, phys, count);
	if (cg)
		util_put_escaped(stdout, cg);
	else
		fputs("-", stdout);
	printf(" %s\n", flags[0] ? flags : "-");
}

static void json_row(struct out *out, struct pages_ctx *c,
		     const struct page_info *p, const struct gap_rows *gp)
{
	json_obj(&out->j, NULL);
	util_page_json(&out->j, c, p);
	if (p->state == PAGE_GAP && gp) {
		json_hex(&out->j, "gap_phys", gp->phys0 + (p->vaddr - gp->vaddr0));
		json_str(&out->j, "gap_phys_source", gp->source);
	}
	json_close_obj(&out->j);
}

static void hole_row(struct out *out, uint64_t from, uint64_t to,
		     unsigned page_size)
{
	uint64_t n = (to - from) / page_size;

	if (out->o->json) {
		json_obj(&out->j, NULL);
		json_hex(&out->j, "vaddr", from);
		json_hex(&out->j, "end", to);
		json_str(&out->j, "state", "hole");
		json_u64(&out->j, "pages", n);
		json_close_obj(&out->j);
	} else {
		printf("%0*" PRIx64 "-%0*" PRIx64 " hole: %" PRIu64 " page%s with no mapping\n",
		       out->w, from, out->w, to, n, n == 1 ? "" : "s");
	}
}

static int parse_range(const char *arg, unsigned page_size, uint64_t *start,
		       uint64_t *end)
{
	char buf[64];
	const char *dash = strchr(arg, '-');
	uint64_t mask = (uint64_t)page_size - 1;

	if (!dash) {
		if (!util_parse_addr(arg, start))
			return -1;
		*start &= ~mask;
		*end = *start + page_size;
		return 0;
	}
	if ((size_t)(dash - arg) >= sizeof buf) {
		util_error("range start is too long");
		return -1;
	}
	memcpy(buf, arg, (size_t)(dash - arg));
	buf[dash - arg] = '\0';
	if (!util_parse_addr(buf, start) || !util_parse_addr(dash + 1, end))
		return -1;
	if (*end <= *start) {
		util_error("range %s is empty: END must be above START (END is exclusive)", arg);
		return -1;
	}
	*start &= ~mask;
	*end = (*end + mask) & ~mask;
	if (*end == 0) /* wrapped at the top of the address space */
		*end = ~mask;
	return 0;
}

/* The JSON object's opening members, or the text's header line. */
static void print_header(const struct vms_root *r, struct out *out, int pid,
			 uint64_t start, uint64_t end)
{
	if (out->o->json) {
		char desc[512];

		root_describe(r, desc, sizeof desc);
		json_start(&out->j, stdout);
		json_u64(&out->j, "pid", (uint64_t)pid);
		json_str(&out->j, "root", desc);
		json_u64(&out->j, "page_size", r->page_size);
		json_bool(&out->j, "pfn_visible", r->pfn_visible);
		json_arr(&out->j, "pages");
	} else {
		char comm[256], desc[512];
		uint64_t n = (end - start) / r->page_size;

		util_comm(r, pid, comm, sizeof comm);
		root_describe(r, desc, sizeof desc);
		printf("process %d (%s), %s, page size %u, %" PRIu64 " page%s %0*" PRIx64 "-%0*" PRIx64 "\n",
		       pid, comm, desc, r->page_size, n, n == 1 ? "" : "s",
		       out->w, start, out->w, end);
		if (!r->pfn_visible)
			printf("# %s\n", explain_pfn_hidden());
		printf("%-*s %-11s %-14s %-16s %5s %s %s\n", out->w, "VADDR",
		       "STATE", "PFN", "PHYS", "MAP", "CGROUP", "FLAGS");
	}
}

/* The physical address of a gap VMA's page at vaddr, where the system
 * gives it: gr filled, or NULL. */
static struct gap_rows *gap_rows_at(const struct vms_root *r,
				    const struct vma *v, uint64_t vaddr,
				    struct gap_rows *gr)
{
	struct gap_phys gp;
	struct vms_err ge;

	if (!vma_is_gap(v))
		return NULL;
	if (physaddr_of_gap(r, v, vaddr, &gp, &ge) != 0 || !gp.known)
		return NULL;
	gr->vaddr0 = vaddr;
	gr->phys0 = gp.phys;
	gr->source = gp.source;
	return gr;
}

/* A row for every page of [start, end): VMAs' pages read CHUNK_PAGES at
 * a time into buf, the holes between them a line each.  CLI_OK or
 * CLI_ERROR (printed). */
static int print_pages(const struct vms_root *r, struct pages_ctx *c,
		       const struct vma_list *l, struct out *out,
		       uint64_t start, uint64_t end, struct page_info *buf)
{
	struct vms_err e;
	uint64_t cur;
	size_t vi = 0;

	for (cur = start; cur < end;) {
		const struct vma *v;
		struct gap_rows gr, *gpp;
		uint64_t stop;
		size_t n, k;

		while (vi < l->n && l->v[vi].end <= cur)
			vi++;
		if (vi == l->n || l->v[vi].start >= end) {
			hole_row(out, cur, end, r->page_size);
			break;
		}
		v = &l->v[vi];
		if (v->start > cur) {
			hole_row(out, cur, v->start, r->page_size);
			cur = v->start;
			continue;
		}
		stop = v->end < end ? v->end : end;
		n = (size_t)((stop - cur) >> r->page_shift);
		if (n > CHUNK_PAGES)
			n = CHUNK_PAGES;
		if (pages_read(c, l, cur, n, PAGES_ALL, buf, &e) < 0) {
			util_error("%s", e.msg);
			return CLI_ERROR;
		}
		gpp = gap_rows_at(r, v, cur, &gr);
		for (k = 0; k < n; k++) {
			if (out->o->json)
				json_row(out, c, &buf[k], gpp);
			else
				text_row(out, c, &buf[k], gpp);
		}
		cur += (uint64_t)n << r->page_shift;
	}
	return CLI_OK;
}

int cli_pages(const struct vms_root *r, const struct cli_opts *o, int argc,
	      char **argv)
{
	struct vma_list l;
	struct pages_ctx c;
	struct vms_err e;
	struct page_info *buf;
	struct out out = { .o = o };
	uint64_t start, end;
	int pid, rc = CLI_OK;

	if (argc != 2) {
		util_error("usage: vmscope pages PID ADDR|START-END (addresses in hex; END exclusive)");
		return CLI_USAGE;
	}
	if (!util_parse_pid(argv[0], &pid) ||
	    parse_range(argv[1], r->page_size, &start, &end) < 0)
		return CLI_USAGE;
	if (util_read_vmas(r, pid, &l) < 0)
		return CLI_ERROR;
	out.w = l.addr_width ? (int)l.addr_width : root_addr_width(r);
	if (pages_open(&c, r, pid, &e) < 0) {
		util_error("%s", e.msg);
		vmas_free(&l);
		return CLI_ERROR;
	}
	buf = calloc(CHUNK_PAGES, sizeof *buf);
	if (!buf) {
		util_error("out of memory");
		rc = CLI_ERROR;
		goto done;
	}
	print_header(r, &out, pid, start, end);
	rc = print_pages(r, &c, &l, &out, start, end, buf);
	if (o->json) {
		json_close_arr(&out.j);
		json_end(&out.j);
	}
done:
	free(buf);
	pages_close(&c);
	vmas_free(&l);
	if (fflush(stdout) != 0)
		rc = CLI_ERROR;
	return rc;
}
