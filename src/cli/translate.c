/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmscope translate PID ADDR: the physical address, or why there is none. */
#include <inttypes.h>
#include <string.h>
#include "cli.h"
#include "util.h"
#include "vmscope/kpage.h"
#include "vmscope/physaddr.h"

static int exit_status(enum xlate_result res)
{
	switch (res) {
	case XLATE_OK: return CLI_OK;
	case XLATE_NOT_MAPPED: return CLI_NOT_MAPPED;
	case XLATE_NOT_PRESENT: return CLI_NOT_PRESENT;
	case XLATE_SWAPPED: return CLI_SWAPPED;
	case XLATE_GAP: return CLI_GAP;
	case XLATE_HIDDEN: return CLI_HIDDEN;
	}
	return CLI_ERROR;
}

static void print_text(struct pages_ctx *c, const struct translation *t,
		       int w)
{
	const struct vma *v = t->vma;

	if (t->result == XLATE_OK)
		printf("0x%" PRIx64 " -> 0x%" PRIx64 "\n", t->vaddr, t->phys);
	else
		printf("0x%" PRIx64 ": %s\n", t->vaddr, xlate_result_name(t->result));
	printf("  why:     %s\n", t->reason);
	if (v) {
		printf("  mapping: %0*" PRIx64 "-%0*" PRIx64 " %s %s ", w, v->start,
		       w, v->end, v->perms, vma_kind_name(v->kind));
		util_put_escaped(stdout, v->name[0] ? v->name : "(anonymous)");
		putchar('\n');
	}
	if (t->result == XLATE_OK && t->via_pagemap) {
		char flags[1024];

		printf("  page:    %s, PFN 0x%" PRIx64,
		       page_state_name((enum page_state)t->page.state), t->pfn);
		if (t->page.have_kpage) {
			const char *cg = pages_cgroup(c, &t->page);

			kpage_flags_format_for(t->page.kflags, c->pm.layout.kver,
					       ",", flags, sizeof flags);
			printf(", map count %" PRIu64 "\n  flags:   %s\n  cgroup:  ",
			       t->page.kcount, flags[0] ? flags : "-");
			util_put_escaped(stdout, cg ? cg : "-");
		} else if (t->page.frame != KPAGE_REC_YES) {
			printf("\n  frame:   %s",
			       kpage_rec_why((enum kpage_rec)t->page.frame));
		}
		putchar('\n');
	}
	if (t->gap && t->gp.known && t->gp.region[0]) {
		fputs("  region:  ", stdout);
		util_put_escaped(stdout, t->gp.region);
		putchar('\n');
	}
}

static void print_json(struct pages_ctx *c, const struct translation *t,
		       int pid)
{
	struct json j;

	json_start(&j, stdout);
	json_u64(&j, "pid", (uint64_t)pid);
	json_hex(&j, "vaddr", t->vaddr);
	json_str(&j, "result", xlate_result_name(t->result));
	if (t->result == XLATE_OK)
		json_hex(&j, "phys", t->phys);
	else
		json_null(&j, "phys");
	json_str(&j, "reason", t->reason);
	json_bool(&j, "gap", t->gap);
	if (t->gap && t->gp.known) {
		json_str(&j, "phys_source", t->gp.source);
		json_str(&j, "region", t->gp.region);
	}
	if (t->vma) {
		json_obj(&j, "vma");
		json_hex(&j, "start", t->vma->start);
		json_hex(&j, "end", t->vma->end);
		json_str(&j, "perms", t->vma->perms);
		json_str(&j, "kind", vma_kind_name(t->vma->kind));
		json_str(&j, "name", t->vma->name);
		json_close_obj(&j);
		if (!t->gap) {
			json_obj(&j, "page");
			util_page_json(&j, c, &t->page);
			json_close_obj(&j);
		}
	} else {
		json_null(&j, "vma");
	}
	json_end(&j);
}

int cli_translate(const struct vms_root *r, const struct cli_opts *o,
		  int argc, char **argv)
{
	struct vma_list l;
	struct pages_ctx c;
	struct translation t;
	struct vms_err e;
	uint64_t addr;
	int pid, rc;

	if (argc != 2) {
		util_error("usage: vmscope translate PID ADDR (address in hex)");
		return CLI_USAGE;
	}
	if (!util_parse_pid(argv[0], &pid) || !util_parse_addr(argv[1], &addr))
		return CLI_USAGE;
	if (util_read_vmas(r, pid, &l) < 0)
		return CLI_ERROR;
	if (pages_open(&c, r, pid, &e) < 0) {
		util_error("%s", e.msg);
		vmas_free(&l);
		return CLI_ERROR;
	}
	if (physaddr_translate(&c, &l, addr, &t, &e) < 0) {
		util_error("%s", e.msg);
		rc = CLI_ERROR;
	} else {
		if (o->json)
			print_json(&c, &t, pid);
		else
			print_text(&c, &t, l.addr_width ? (int)l.addr_width
							: root_addr_width(r));
		rc = exit_status(t.result);
	}
	pages_close(&c);
	vmas_free(&l);
	if (fflush(stdout) != 0)
		rc = CLI_ERROR;
	return rc;
}
