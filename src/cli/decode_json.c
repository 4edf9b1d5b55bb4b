/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decode_json: the JSON form of a decoding: the message (architecture,
 * fault address, error code), then one object per entry with its
 * attributes, address, reserved bits, place on the map and findings. */
#include <stdio.h>
#include "decode_json.h"
#include "json.h"
#include "vmscope/kpage.h"

static void json_error_code(struct json *j, const struct decode_result *res)
{
	static const struct { unsigned bit; const char *name; } b[] = {
		{ 0, "P" }, { 1, "W" }, { 2, "U" }, { 3, "RSVD" }, { 4, "I" },
		{ 5, "PK" }, { 6, "SS" }, { 7, "HLAT" }, { 15, "SGX" },
	};
	const struct oops_report *o = &res->oops;
	char text[512];
	size_t i;

	if (!o->have_error_code || (res->fmt.arch != PTE_X86_64 &&
				    res->fmt.arch != PTE_X86_32)) {
		json_null(j, "error_code");
		return;
	}
	json_obj(j, "error_code");
	json_hex(j, "value", o->error_code);
	json_arr(j, "bits");
	for (i = 0; i < sizeof b / sizeof b[0]; i++)
		if (o->error_code >> b[i].bit & 1)
			json_str(j, NULL, b[i].name);
	json_close_arr(j);
	pte_x86_error_code(o->error_code, text, sizeof text);
	json_str(j, "text", text);
	json_close_obj(j);
}

static void json_place(struct json *j, const struct decode_item *it)
{
	const struct pte_place *pl = &it->chk.place;

	if (!it->chk.placed || (!pl->map_known && !pl->range)) {
		json_null(j, "place");
		return;
	}
	json_obj(j, "place");
	if (pl->range) {
		json_str(j, "path", pl->path);
		json_str(j, "kind", krange_kind_name(pl->range->kind));
		json_hex(j, "start", pl->range->start);
		json_hex(j, "end", pl->range->end);
	} else {
		json_null(j, "path");
	}
	json_bool(j, "ram", pl->in_ram);
	json_bool(j, "device", pl->in_device);
	json_bool(j, "beyond_ram", pl->beyond_ram);
	if (pl->map_known)
		json_hex(j, "ram_end", pl->ram_end);
	if (pl->have_page) {
		json_hex(j, "kpageflags_raw", pl->kflags);
		json_u64(j, "map_count", pl->kcount);
	} else {
		json_str(j, "page_unknown_reason", pl->page_why[0] ? pl->page_why : NULL);
	}
	json_close_obj(j);
}

static void json_item(struct json *j, const struct decode_item *it)
{
	const struct pte_entry *p = &it->pte;
	unsigned i;

	json_obj(j, NULL);
	json_str(j, "level", pte_level_name(p->level));
	json_str(j, "hw", p->hwname);
	json_u64(j, "walk", it->src.walk + 1);
	json_u64(j, "line", it->src.line);
	json_hex(j, "raw", p->raw);
	json_str(j, "kind", pte_kind_name(p->kind));
	json_bool(j, "present", p->present);
	json_obj(j, "attributes");
	for (i = 0; i < p->nattr; i++)
		json_str(j, p->attr[i].name, p->attr[i].value);
	json_close_obj(j);
	json_hex(j, "address", p->addr);
	json_hex(j, "pfn", p->pfn);
	json_u64(j, "size", p->size);
	json_str(j, "memory_type", pte_mem_name(p->mem));
	json_hex(j, "reserved", p->reserved);
	json_str(j, "reserved_why", p->reserved_why[0] ? p->reserved_why : NULL);
	json_str(j, "note", p->note[0] ? p->note : NULL);
	json_place(j, it);
	json_arr(j, "findings");
	for (i = 0; i < it->chk.n; i++) {
		json_obj(j, NULL);
		json_str(j, "id", it->chk.f[i].id);
		json_str(j, "evidence", it->chk.f[i].evidence);
		json_str(j, "advice", it->chk.f[i].advice);
		json_close_obj(j);
	}
	json_close_arr(j);
	json_close_obj(j);
}

void decode_json_print(const struct decode_result *res)
{
	const struct oops_report *o = &res->oops;
	struct json j;
	size_t i;

	json_start(&j, stdout);
	json_str(&j, "arch", pte_arch_name(res->fmt.arch));
	json_str(&j, "mode", pte_mode_name(res->fmt.arch, res->fmt.mode));
	json_str(&j, "arch_from", res->arch_from);
	if (o->have_addr)
		json_hex(&j, "fault_address", o->fault_addr);
	else
		json_null(&j, "fault_address");
	json_error_code(&j, res);
	json_str(&j, "kernel_said", o->fault[0] ? o->fault : NULL);
	json_bool(&j, "bad_pagetable", o->bad_pagetable);
	json_bool(&j, "map_used", res->map_used);
	json_str(&j, "map", res->map_why);
	json_arr(&j, "entries");
	for (i = 0; i < res->n; i++)
		json_item(&j, &res->item[i]);
	json_close_arr(&j);
	json_bool(&j, "entries_left_out", o->more);
	json_end(&j);
}
