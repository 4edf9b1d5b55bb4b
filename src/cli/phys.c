/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmscope phys ADDR: what is at a physical address: the range it is in
 * (with its sources), its zone and node, its page's flags, map count and
 * cgroup, and which processes map it. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/units.h"
#include "cli.h"
#include "util.h"
#include "vmscope/cgroups.h"
#include "vmscope/escape.h"
#include "vmscope/explain.h"
#include "vmscope/kver.h"
#include "vmscope/kpage.h"
#include "vmscope/kpage_rec.h"
#include "vmscope/kranges.h"

#define PHYS_USAGE \
	"vmscope phys [--bootlog FILE | --no-bootlog] [--no-lookup] ADDR"

struct phys_info {
	uint64_t addr, pfn;
	const struct krange *range, *zone, *node;
	bool have_page;           /* kpage data read */
	enum kpage_rec frame;     /* whether what was read is the truth */
	bool device;              /* device memory: no struct page */
	uint64_t kflags, kcount, cg_ino;
	const char *cgroup;       /* NULL unknown */
	char page_why[512];       /* why there is no page data */
	bool is_ram;              /* may have a struct page: search pagemaps */
	bool gaps;                /* search PFNMAP mappings (UIO, /dev/mem) */
	bool rmap_done;
	char rmap_why[512];       /* why no reverse lookup ran */
	struct krmap_result rm;
};

static void sources_text(const struct kranges *k, const struct krange *r)
{
	char where[256];
	size_t i;

	for (i = 0; i < r->nsrc && i < CLI_MAX_SOURCES; i++) {
		kranges_src_format(k, &r->src[i], where, sizeof where);
		fputs(i ? "; " : "", stdout);
		util_put_escaped(stdout, where);
	}
	if (r->nsrc > CLI_MAX_SOURCES)
		printf("; +%zu more (--json lists them all)",
		       r->nsrc - CLI_MAX_SOURCES);
}

static void text_range(const struct kranges *k, const struct phys_info *pi)
{
	char path[1024];

	if (pi->range) {
		kranges_path(k, pi->range, " > ", path, sizeof path);
		fputs("range:   ", stdout);
		util_put_escaped(stdout, path);
		printf(" (%s, 0x%" PRIx64 "-0x%" PRIx64 ")\n",
		       krange_kind_name(pi->range->kind), pi->range->start,
		       krange_last(pi->range));
		fputs("         from ", stdout);
		sources_text(k, pi->range);
		putchar('\n');
	} else {
		fputs("range:   none: no source that was read describes this address", stdout);
		if (!k->sources[KSRC_IOMEM].used) {
			fputs(" (/proc/iomem not read: ", stdout);
			util_put_escaped(stdout, k->sources[KSRC_IOMEM].detail);
			putchar(')');
		}
		putchar('\n');
	}
}

/* The zone and node lines, and the page's flags, map count and cgroup. */
static void text_zone_page(const struct kranges *k, const struct phys_info *pi)
{
	char flags[1024];

	if (pi->device && (pi->zone || pi->node)) {
		/* zones span holes; what they manage is RAM */
		fputs("zone:    none: a zone holds RAM only (this lies in the span of ", stdout);
		util_put_escaped(stdout, pi->zone ? pi->zone->name : pi->node->name);
		puts(")");
	} else if (pi->zone || pi->node) {
		fputs("zone:    ", stdout);
		if (pi->zone) {
			util_put_escaped(stdout, pi->zone->name);
		} else {
			fputs("-", stdout);
		}
		if (pi->node) {
			fputs(", ", stdout);
			util_put_escaped(stdout, pi->node->name);
		}
		fputs(" (", stdout);
		sources_text(k, pi->zone ? pi->zone : pi->node);
		puts(")");
	}
	if (pi->have_page) {
		kpage_flags_format(pi->kflags, ",", flags, sizeof flags);
		printf("page:    %s, map count %" PRIu64 ", cgroup ",
		       flags[0] ? flags : "no flags", pi->kcount);
		util_put_escaped(stdout, pi->cgroup ? pi->cgroup : "-");
		putchar('\n');
	} else {
		printf("page:    %s%s\n", pi->device ||
		       pi->frame != KPAGE_REC_YES ? "none: " : "unknown: ",
		       pi->page_why);
	}
}

/* "mapped: by N processes; looked at ..." and what kept it short. */
static void text_lookup_summary(const struct krmap_result *m)
{
	size_t i, nproc = 0;

	for (i = 0; i < m->n; i++)
		if (i == 0 || m->hits[i].pid != m->hits[i - 1].pid)
			nproc++;
	if (m->n)
		printf("mapped:  by %zu process%s (%zu mapping%s)", nproc,
		       nproc == 1 ? "" : "es", m->n, m->n == 1 ? "" : "s");
	else
		printf("mapped:  by no process");
	printf("; looked at %u process%s: %u with an address space, %u without (kernel threads)",
	       m->procs, m->procs == 1 ? "" : "es", m->scanned, m->kthreads);
	if (m->vanished)
		printf(", %u exited meanwhile", m->vanished);
	if (m->denied)
		printf(", %u unreadable", m->denied);
	if (m->failed)
		printf(", %u failed", m->failed);
	if (m->present_pages || m->scan_used)
		printf("; %" PRIu64 " present pages read%s", m->present_pages,
		       m->scan_used ? " (present ranges from PAGEMAP_SCAN)" : "");
	putchar('\n');
	if (m->first_problem[0] && strcmp(m->first_failure, m->first_problem)) {
		fputs("         first skipped: ", stdout);
		util_put_escaped(stdout, m->first_problem);
		putchar('\n');
	}
	if (m->first_failure[0]) {
		fputs("         first failed: ", stdout);
		util_put_escaped(stdout, m->first_failure);
		putchar('\n');
	}
	if (m->pfn_hidden)
		printf("         pagemap not searched: %s\n", explain_pfn_hidden());
}

/* One row per mapping of the frame; addresses as wide as the root's
 * (8 digits on a 32-bit board). */
static void text_mappings(const struct krmap_result *m, int aw)
{
	size_t i;

	if (m->n)
		printf("  %-8s %-16s %-*s %s\n", "PID", "COMM", aw, "VADDR",
		       "MAPPING");
	for (i = 0; i < m->n; i++) {
		const struct krmap_hit *h = &m->hits[i];
		char comm[256];

		escape_text(comm, sizeof comm, h->comm, strlen(h->comm));
		printf("  %-8d %-16s %0*" PRIx64 " ", h->pid, comm, aw, h->vaddr);
		util_put_escaped(stdout, h->vma_name && h->vma_name[0] ?
				 h->vma_name : "(anonymous)");
		if (h->via_gap) {
			fputs(" via ", stdout);
			util_put_escaped(stdout, h->how);
		}
		putchar('\n');
	}
}

static void print_text(const struct vms_root *r, const struct kranges *k,
		       struct phys_info *pi)
{
	char sz[16];

	units_size(sz, sizeof sz, r->page_size);
	printf("physical address 0x%" PRIx64 ": PFN 0x%" PRIx64 ", offset 0x%" PRIx64
	       " in a %s page\n", pi->addr, pi->pfn,
	       pi->addr & ((uint64_t)r->page_size - 1), sz);
	text_range(k, pi);
	text_zone_page(k, pi);
	if (!pi->rmap_done) {
		printf("mapped:  not looked up: %s\n", pi->rmap_why);
		return;
	}
	text_lookup_summary(&pi->rm);
	text_mappings(&pi->rm, root_addr_width(r));
}

static void json_range(struct json *j, const struct kranges *k,
		       const char *key, const struct krange *r)
{
	char path[1024];

	if (!r) {
		json_null(j, key);
		return;
	}
	json_obj(j, key);
	json_hex(j, "start", r->start);
	json_hex(j, "end", r->end);
	json_str(j, "kind", krange_kind_name(r->kind));
	json_str(j, "name", r->name);
	kranges_path(k, r, " > ", path, sizeof path);
	json_str(j, "path", path);
	util_krange_sources_json(j, k, r);
	json_close_obj(j);
}

static void print_json(const struct vms_root *r, const struct kranges *k,
		       struct phys_info *pi)
{
	struct json j;
	unsigned b;
	size_t i;
	char nm[16];

	json_start(&j, stdout);
	json_hex(&j, "phys", pi->addr);
	json_hex(&j, "pfn", pi->pfn);
	json_u64(&j, "page_size", r->page_size);
	json_range(&j, k, "range", pi->range);
	json_range(&j, k, "zone", pi->zone);
	json_range(&j, k, "node", pi->node);
	if (pi->have_page) {
		json_obj(&j, "page");
		json_hex(&j, "kpageflags_raw", pi->kflags);
		json_arr(&j, "kpageflags");
		for (b = 0; b < 64; b++) {
			if (!(pi->kflags >> b & 1))
				continue;
			if (kpage_flag_name_for(b, kver_of_root(r))) {
				json_str(&j, NULL, kpage_flag_name_for(b, kver_of_root(r)));
			} else {
				snprintf(nm, sizeof nm, "BIT%u", b);
				json_str(&j, NULL, nm);
			}
		}
		json_close_arr(&j);
		json_u64(&j, "map_count", pi->kcount);
		json_u64(&j, "cgroup_inode", pi->cg_ino);
		json_str(&j, "cgroup", pi->cgroup);
		json_close_obj(&j);
		json_null(&j, "page_unknown_reason");
	} else {
		json_null(&j, "page");
		json_str(&j, "page_unknown_reason", pi->page_why);
	}
	json_bool(&j, "device_memory", pi->device);
	json_str(&j, "frame_record", pi->have_page || pi->frame != KPAGE_REC_YES ?
		 kpage_rec_name(pi->frame) : NULL);
	if (pi->rmap_done) {
		const struct krmap_result *m = &pi->rm;

		json_obj(&j, "lookup");
		json_u64(&j, "processes", m->procs);
		json_u64(&j, "scanned", m->scanned);
		json_u64(&j, "kernel_threads", m->kthreads);
		json_u64(&j, "vanished", m->vanished);
		json_u64(&j, "unreadable", m->denied);
		json_u64(&j, "failed", m->failed);
		json_u64(&j, "present_pages", m->present_pages);
		json_bool(&j, "pagemap_scan", m->scan_used);
		json_bool(&j, "pfn_hidden", m->pfn_hidden);
		json_str(&j, "first_problem", m->first_problem[0] ? m->first_problem : NULL);
		json_str(&j, "first_failure", m->first_failure[0] ? m->first_failure : NULL);
		json_close_obj(&j);
		json_arr(&j, "mapped_by");
		for (i = 0; i < m->n; i++) {
			const struct krmap_hit *h = &m->hits[i];

			json_obj(&j, NULL);
			json_u64(&j, "pid", (uint64_t)h->pid);
			json_str(&j, "comm", h->comm);
			json_hex(&j, "vaddr", h->vaddr);
			json_hex(&j, "pfn", h->pfn);
			json_str(&j, "vma", h->vma_name ? h->vma_name : "");
			json_bool(&j, "via_gap", h->via_gap);
			json_str(&j, "how", h->how);
			json_close_obj(&j);
		}
		json_close_arr(&j);
	} else {
		json_null(&j, "lookup");
		json_null(&j, "mapped_by");
		json_str(&j, "lookup_skipped_reason", pi->rmap_why);
	}
	json_end(&j);
}

/* The first PFN past the end of kpageflags, which lies at or below pfn:
 * found by halving (about 40 reads of one entry; /proc/kpageflags has no
 * size to stat). */
static uint64_t kpageflags_end(struct kpage *kp, uint64_t pfn)
{
	uint64_t lo = 0, hi = pfn, fl;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (kpage_read(kp, &mid, NULL, 1, &fl, NULL, NULL, NULL) < 0)
			break;
		if (kp->end_met[0] && kp->file_end[0] <= mid)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static void read_page(const struct vms_root *r, struct phys_info *pi,
		      struct cgroups **cg)
{
	struct kpage kp;
	struct vms_err e;

	kpage_open(r, &kp);
	if (kpage_check(&kp, 1, &e) < 0) {
		snprintf(pi->page_why, sizeof pi->page_why, "%s", e.msg);
	} else if (kpage_read(&kp, &pi->pfn, NULL, 1, &pi->kflags, &pi->kcount,
			      &pi->cg_ino, &e) < 0) {
		snprintf(pi->page_why, sizeof pi->page_why, "%s", e.msg);
	} else if ((pi->frame = kpage_rec_of(&kp, pi->pfn, pi->kflags)) !=
		   KPAGE_REC_YES) {
		/* zeros that are no page's: not "no flags, map count 0" */
		uint64_t end = pi->frame == KPAGE_REC_BEYOND_END ?
			       kpageflags_end(&kp, pi->pfn) : 0;

		if (end)
			snprintf(pi->page_why, sizeof pi->page_why,
				 "beyond kpageflags: its last frame is PFN 0x%" PRIx64 ", so no struct page backs this one",
				 end - 1);
		else if (pi->frame == KPAGE_REC_BEYOND_END)
			snprintf(pi->page_why, sizeof pi->page_why,
				 "beyond kpageflags: it is empty, so no struct page backs this frame");
		else
			snprintf(pi->page_why, sizeof pi->page_why, "%s",
				 kpage_rec_why(pi->frame));
	} else {
		pi->have_page = true;
		if (pi->cg_ino && cgroups_open(r, cg, NULL) == 0)
			pi->cgroup = cgroups_path(*cg, pi->cg_ino);
	}
	kpage_close(&kp);
}

/* Device memory has no struct page: an address outside every RAM range
 * that a device range holds, or that no source describes (when the map
 * knows RAM), and that kpageflags shows no page for; nor has other
 * memory outside System RAM (a UIO DMA buffer kept from the kernel).  Said in page_why,
 * with the kpageflags verdict kept ("beyond kpageflags"). */
static void device_verdict(const struct kranges *k, struct phys_info *pi)
{
	const struct krange *rg = pi->range, *up;
	bool devkind = !rg;
	bool nopage = pi->have_page &&
		      (pi->kflags & (UINT64_C(1) << KPF_NOPAGE));
	char why[sizeof pi->page_why], name[160], what[200];

	/* a UIO map is a device's when a device range holds it; else it
	 * is memory kept from the kernel (a DMA buffer past mem=) */
	for (up = rg; up; up = up->parent >= 0 ? &k->r[up->parent] : NULL)
		devkind |= up->kind == KR_DEVICE || up->kind == KR_BUS ||
			   up->kind == KR_IOREMAP;
	if (kranges_in_ram(k, pi->addr) != 0)
		return;
	if (pi->have_page && pi->kflags && !nopage)
		return;   /* the kernel shows a page here: let it say */
	pi->device = true;
	pi->have_page = false;
	escape_text(name, sizeof name, rg ? rg->name : "", rg ? strlen(rg->name) : 0);
	snprintf(what, sizeof what, "%s%s", rg ? name : "no source lists this address as RAM",
		 !rg ? "" : devkind ? " is not RAM" : " lies outside System RAM");
	if (pi->frame == KPAGE_REC_BEYOND_END)   /* the kernel's word first */
		snprintf(why, sizeof why, "%s; %s", pi->page_why, what);
	else
		snprintf(why, sizeof why, "%s, no struct page: %s%s", devkind ?
			 "device memory" : "not RAM the kernel manages", what,
			 nopage ? " (kpageflags: NOPAGE)" : "");
	memcpy(pi->page_why, why, sizeof why);
}

/* phys's arguments: the options into ko and *no_rmap, the address into
 * *addr.  False (the error printed) on bad usage. */
static bool parse_args(int argc, char **argv, struct kranges_opts *ko,
		       bool *no_rmap, uint64_t *addr)
{
	const char *addr_arg = NULL;
	int i;

	for (i = 0; i < argc; i++) {
		if (util_bootlog_option(argc, argv, &i, ko)) {
			continue;
		} else if (!strcmp(argv[i], "--no-lookup")) {
			*no_rmap = true;
		} else if (!addr_arg && argv[i][0] != '-') {
			addr_arg = argv[i];
		} else {
			util_unexpected("phys", argv[i], PHYS_USAGE);
			return false;
		}
	}
	if (!addr_arg) {
		util_error("phys needs a physical address (usage: %s)", PHYS_USAGE);
		return false;
	}
	return util_parse_addr(addr_arg, addr);
}

int cli_phys(const struct vms_root *r, const struct cli_opts *o, int argc,
	     char **argv)
{
	struct kranges_opts ko = { .phys_only = true };
	struct phys_info pi;
	struct kranges k;
	struct cgroups *cg = NULL;
	struct vms_err e;
	bool no_rmap = false;
	int rc = CLI_OK;

	memset(&pi, 0, sizeof pi);
	if (!parse_args(argc, argv, &ko, &no_rmap, &pi.addr))
		return CLI_USAGE;
	pi.pfn = pi.addr >> r->page_shift;
	if (kranges_load(&k, r, &ko, &e) < 0) {
		util_error("%s", e.msg);
		kranges_free(&k);
		return CLI_ERROR;
	}
	pi.range = kranges_lookup_phys(&k, pi.addr);
	pi.zone = kranges_lookup_mm(&k, KR_ZONE, pi.addr);
	pi.node = kranges_lookup_mm(&k, KR_NODE, pi.addr);
	if (!r->pfn_visible)
		snprintf(pi.page_why, sizeof pi.page_why, "%s", explain_pfn_hidden());
	else
		read_page(r, &pi, &cg);
	device_verdict(&k, &pi);
	/* Where can a mapping of this frame be seen?  Pagemap shows frames
	 * with a struct page; device memory (NOPAGE, or a device range) is
	 * only ever mapped with VM_PFNMAP (UIO, /dev/mem), found through the
	 * maps.  PFNMAP mappings of RAM exist too (a UIO DMA buffer): the
	 * maps are read wherever the system has UIO or /dev/mem. */
	{
		bool nopage = pi.have_page &&
			      (pi.kflags & (UINT64_C(1) << KPF_NOPAGE));
		bool device = pi.range && (pi.range->kind == KR_DEVICE ||
					   pi.range->kind == KR_BUS ||
					   pi.range->kind == KR_IOREMAP);

		pi.is_ram = !nopage && !device && !pi.device &&
			    pi.frame != KPAGE_REC_BEYOND_END;
		pi.gaps = !pi.is_ram || !r->live ||
			  root_exists(r, "sys/class/uio") || root_exists(r, "dev/mem");
	}
	if (no_rmap) {
		snprintf(pi.rmap_why, sizeof pi.rmap_why, "--no-lookup given");
	} else {
		/* RAM is found through pagemaps; device memory has no struct
		 * page, so only PFNMAP mappings (UIO, /dev/mem) can map it */
		struct krmap_opts ro = {
			.pfn_lo = pi.pfn, .pfn_hi = pi.pfn + 1,
			.pagemap = pi.is_ram, .gaps = pi.gaps,
		};

		if (kranges_rmap(r, &ro, &pi.rm, &e) < 0) {
			util_error("%s", e.msg);
			rc = CLI_ERROR;
			goto out;
		}
		pi.rmap_done = true;
	}
	if (o->json)
		print_json(r, &k, &pi);
	else
		print_text(r, &k, &pi);
	if (fflush(stdout) != 0)
		rc = CLI_ERROR;
out:
	kranges_rmap_free(&pi.rm);
	if (cg)
		cgroups_free(cg);
	kranges_free(&k);
	return rc;
}
