/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmscope maps PID: the VMAs of a process.  The command and its JSON;
 * the text is maps_text.c's. */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include "vmscope/units.h"
#include "cli.h"
#include "maps_int.h"
#include "util.h"
#include "vmscope/explain.h"
#include "vmscope/physaddr.h"

/* stdout's buffer where it is not a terminal */
static char out_block[1 << 16];

void maps_gap_describe(const struct vms_root *r, const struct vma *v,
		       struct gap_phys *gp, char *why, size_t n)
{
	struct vms_err e;

	why[0] = '\0';
	if (physaddr_of_gap(r, v, v->start, gp, &e) < 0) {
		gp->known = false;
		snprintf(why, n, "%s", e.msg);
	}
}

static void print_json(const struct vms_root *r, int pid,
		       const struct vma_list *l)
{
	struct json j;
	char comm[256], desc[512];
	size_t i;
	int b;

	util_comm(r, pid, comm, sizeof comm);
	root_describe(r, desc, sizeof desc);
	json_start(&j, stdout);
	json_u64(&j, "pid", (uint64_t)pid);
	json_str(&j, "comm", comm);
	json_str(&j, "root", desc);
	json_u64(&j, "page_size", r->page_size);
	json_arr(&j, "vmas");
	for (i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		bool hole = v->kind == VMA_KIND_HOLE;
		bool gap = !hole && vma_is_gap(v);
		char dev[32];

		json_obj(&j, NULL);
		json_hex(&j, "start", v->start);
		json_hex(&j, "end", v->end);
		json_u64(&j, "size", v->end - v->start);
		json_str(&j, "perms", v->perms);
		json_str(&j, "kind", vma_kind_name(v->kind));
		if (!hole) {
			json_hex(&j, "offset", v->offset);
			snprintf(dev, sizeof dev, "%02x:%02x", v->dev_major, v->dev_minor);
			json_str(&j, "dev", dev);
			json_u64(&j, "inode", v->inode);
			json_str(&j, "name", v->name);
			json_bool(&j, "deleted", v->deleted);
			json_u64(&j, "rss_kb", v->smaps[SMAPS_RSS]);
			json_arr(&j, "vmflags");
			for (b = 0; b < VMF__COUNT; b++)
				if (vma_has_flag(v, (enum vma_flag)b))
					json_str(&j, NULL, vma_flag_code((enum vma_flag)b));
			json_close_arr(&j);
			json_str(&j, "vmflags_text", v->vmflags_text);
			if (v->has_smaps) {
				json_obj(&j, "smaps_kb");
				for (b = 0; b < SMAPS__COUNT; b++)
					json_u64(&j, smaps_field_name((enum smaps_field)b),
						 v->smaps[b]);
				json_close_obj(&j);
			}
		}
		json_bool(&j, "gap", gap);
		if (gap) {
			struct gap_phys gp;
			char why[768], expl[EXPLAIN_GAP_MAX];

			maps_gap_describe(r, v, &gp, why, sizeof why);
			json_str(&j, "gap_reason", explain_gap(v, l->pagemap_end,
							       expl, sizeof expl));
			if (gp.known) {
				json_obj(&j, "phys");
				json_hex(&j, "start", gp.base);
				json_hex(&j, "end", gp.base + (v->end - v->start));
				json_str(&j, "source", gp.source);
				json_str(&j, "region", gp.region);
				json_close_obj(&j);
			} else {
				json_null(&j, "phys");
				json_str(&j, "phys_unknown_reason", why[0] ? why : "no kernel interface gives it");
			}
		}
		json_close_obj(&j);
	}
	json_close_arr(&j);
	json_end(&j);
}

/* The VMAs of pid with all their smaps fields, for JSON (the text is
 * maps_text.c's). */
static int read_vmas(const struct vms_root *r, int pid, struct vma_list *l)
{
	struct vms_err e;

	/* read once: the list may be kept in huge pages */
	if (vmas_read_fields(r, pid, ~UINT64_C(0), l, &e) < 0) {
		util_error("%s", e.msg);
		return -1;
	}
	/* where pagemap ends, for the explanation of VMAs above it */
	vmas_pagemap_end(r, l, NULL);
	return 0;
}

int cli_maps(const struct vms_root *r, const struct cli_opts *o, int argc,
	     char **argv)
{
	struct vma_list l, holes;
	bool with_holes = false;
	int pid, i, npos = 0;
	const char *pos[1] = { NULL };

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--holes") == 0)
			with_holes = true;
		else if (npos < 1)
			pos[npos++] = argv[i];
		else {
			util_error("maps takes one PID (usage: vmscope maps [--holes] PID)");
			return CLI_USAGE;
		}
	}
	if (!pos[0]) {
		util_error("maps needs a PID (usage: vmscope maps [--holes] PID)");
		return CLI_USAGE;
	}
	if (!util_parse_pid(pos[0], &pid))
		return CLI_USAGE;
	/* 100,000 VMAs are 11 MB of text: written in 64K blocks, not in
	 * stdio's 4K (nothing has been written to stdout yet) */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, out_block, _IOFBF, sizeof out_block);
	if (!o->json) {
		int rc = maps_text(r, pid, with_holes);

		return fflush(stdout) == 0 ? rc : CLI_ERROR;
	}
	if (read_vmas(r, pid, &l) < 0)
		return CLI_ERROR;
	if (with_holes) {
		struct vms_err e;

		if (vmas_with_holes(&l, &holes, &e) < 0) {
			util_error("%s", e.msg);
			vmas_free(&l);
			return CLI_ERROR;
		}
	}
	print_json(r, pid, with_holes ? &holes : &l);
	if (with_holes)
		vmas_free_holes(&holes);
	vmas_free(&l);
	return fflush(stdout) == 0 ? CLI_OK : CLI_ERROR;
}
