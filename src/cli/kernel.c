/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmscope kernel: the kernel's ranges, physical and virtual, each with
 * the sources it came from. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/units.h"
#include "cli.h"
#include "util.h"
#include "vmscope/kranges.h"

static void print_sources_short(const struct krange *r)
{
	size_t i;
	char b[64];

	fputs("  [", stdout);
	for (i = 0; i < r->nsrc && i < CLI_MAX_SOURCES; i++) {
		kranges_src_short(&r->src[i], b, sizeof b);
		printf("%s%s", i ? ", " : "", b);
	}
	if (r->nsrc > CLI_MAX_SOURCES)
		printf(", +%zu more", r->nsrc - CLI_MAX_SOURCES);
	putchar(']');
}

static int hexw(const struct kranges *k, enum krange_space sp, int layer)
{
	size_t i;

	for (i = k->slice[sp][layer][0]; i < k->slice[sp][layer][1]; i++)
		if (krange_last(&k->r[i]) > UINT32_MAX)
			return 16;
	return 8;
}

static void print_section(const struct kranges *k, enum krange_space sp,
			  int layer, bool inclusive)
{
	int w = hexw(k, sp, layer);
	size_t i;

	for (i = k->slice[sp][layer][0]; i < k->slice[sp][layer][1]; i++) {
		const struct krange *r = &k->r[i];
		const char *note = sp == KSPACE_VIRT ? kranges_area_note(r->name) : NULL;
		char sz[16];

		units_size(sz, sizeof sz, krange_size(r));
		printf("%*s", (int)(2 * r->depth), "");
		if (inclusive)
			printf("%0*" PRIx64 "-%0*" PRIx64, w, r->start, w, krange_last(r));
		else if (r->to_top)  /* the end of the space, 2^64 */
			printf("%0*" PRIx64 " - 1%0*d", w, r->start, w, 0);
		else
			printf("%0*" PRIx64 " - %0*" PRIx64, w, r->start, w, r->end);
		printf(" %7s %-9s ", sz, krange_kind_name(r->kind));
		util_put_escaped(stdout, r->name);
		print_sources_short(r);
		if (note)
			printf("  %s", note);
		putchar('\n');
	}
}

static bool section_empty(const struct kranges *k, enum krange_space sp,
			  int layer)
{
	return k->slice[sp][layer][1] <= k->slice[sp][layer][0];
}

static void text_sources(const struct vms_root *r, const struct kranges *k)
{
	char desc[512];
	size_t i;

	root_describe(r, desc, sizeof desc);
	printf("kernel ranges, %s\n", desc);
	puts("sources:");
	for (i = 0; i < KSRC__COUNT; i++) {
		const struct ksource_info *s = &k->sources[i];

		if (i == KSRC_DERIVED || (!s->used && !s->detail[0]))
			continue;
		printf("  %-22s ", ksrc_name((enum ksrc)i));
		/* the detail names a path, which may say anything */
		if (s->used)
			printf("%u %s%s, %u range%s (", s->lines,
			       i == KSRC_FW_MEMMAP || i == KSRC_UIO ? "entr" : "line",
			       i == KSRC_FW_MEMMAP || i == KSRC_UIO ?
			       (s->lines == 1 ? "y" : "ies") : (s->lines == 1 ? "" : "s"),
			       s->ranges, s->ranges == 1 ? "" : "s");
		else
			fputs("not used: ", stdout);
		util_put_escaped(stdout, s->detail);
		fputs(s->used ? ")\n" : "\n", stdout);
	}
	if (k->bootlog_kernel[0]) {
		fputs("  boot log kernel        ", stdout);
		util_put_escaped(stdout, k->bootlog_kernel);
		putchar('\n');
	}
	for (i = 0; i < k->nnotes; i++) {
		fputs("note: ", stdout);
		util_put_escaped(stdout, k->notes[i]);
		putchar('\n');
	}
}

static void text_sections(const struct kranges *k)
{
	if (!section_empty(k, KSPACE_PHYS, 0)) {
		puts("\nphysical map (START-LAST, inclusive as in /proc/iomem; nested ranges indented):");
		print_section(k, KSPACE_PHYS, 0, true);
	}
	if (!section_empty(k, KSPACE_PHYS, 1)) {
		puts("\nmemory zones and nodes (START-LAST, inclusive):");
		print_section(k, KSPACE_PHYS, 1, true);
	}
	if (!section_empty(k, KSPACE_VIRT, 0)) {
		puts("\nkernel virtual layout (START - END, end exclusive as in the boot log):");
		print_section(k, KSPACE_VIRT, 0, false);
	}
}

/* The boot log's "Memory:" summary and the command line. */
static void text_memory_cmdline(const struct kranges *k)
{
	size_t i;
	char a[16], t[16];

	if (k->mem.present) {
		printf("\nmemory (boot log line %u): ", k->mem.line);
		units_size(a, sizeof a, k->mem.available_kib * 1024);
		units_size(t, sizeof t, k->mem.total_kib * 1024);
		if (k->mem.total_kib)
			printf("%s of %s available", a, t);
		else
			printf("%s available", a);
		for (i = 0; i < k->mem.nitems; i++) {
			units_size(a, sizeof a, k->mem.item[i].kib * 1024);
			printf("%s%s ", i ? ", " : "; ", a);
			util_put_escaped(stdout, k->mem.item[i].label);
		}
		putchar('\n');
	}
	if (k->cmdline) {
		printf("\ncommand line (%s): ", k->cmdline_src == KSRC_CMDLINE ?
		       "/proc/cmdline" : "boot log");
		util_put_escaped(stdout, k->cmdline);
		putchar('\n');
	}
}

/* What the kernel hid, and the boot log's lines that could not be read. */
static void text_hidden_skipped(const struct kranges *k)
{
	char where[256];
	size_t i;

	if (k->nhidden) {
		puts("\nhidden by the kernel (never shown as addresses):");
		for (i = 0; i < k->nhidden; i++) {
			const struct krange_hidden *h = &k->hidden[i];
			struct krange_src s = { h->src, h->line, NULL };

			kranges_src_format(k, &s, where, sizeof where);
			fputs("  ", stdout);
			util_put_escaped(stdout, h->what);
			if (h->count > 1)
				printf(" (%u entries)", h->count);
			fputs(" from ", stdout);
			util_put_escaped(stdout, where);
			fputs(": ", stdout);
			util_put_escaped(stdout, h->why);
			putchar('\n');
		}
	}
	if (k->skipped) {
		printf("\nskipped %u line%s of the boot log that could not be read:\n",
		       k->skipped, k->skipped == 1 ? "" : "s");
		for (i = 0; i < k->nskip; i++) {
			printf("  line %u: %s: ", k->skip[i].line, k->skip[i].reason);
			util_put_escaped(stdout, k->skip[i].text ? k->skip[i].text : "");
			putchar('\n');
		}
		if (k->skipped > k->nskip)
			printf("  ... and %u more\n", k->skipped - (unsigned)k->nskip);
	}
}

static void print_text(const struct vms_root *r, const struct kranges *k)
{
	text_sources(r, k);
	text_sections(k);
	text_memory_cmdline(k);
	text_hidden_skipped(k);
}

/* The index of each range within its section, for "parent" in JSON. */
static void json_section(struct json *j, const struct kranges *k,
			 enum krange_space sp, int layer, const char *key)
{
	size_t b = k->slice[sp][layer][0], e = k->slice[sp][layer][1], i;
	char path[1024];

	json_arr(j, key);
	for (i = b; i < e; i++) {
		const struct krange *r = &k->r[i];
		const char *note = sp == KSPACE_VIRT ? kranges_area_note(r->name) : NULL;

		json_obj(j, NULL);
		json_hex(j, "start", r->start);
		if (r->to_top) {  /* 2^64: exact as a string */
			json_str(j, "end", "0x10000000000000000");
			json_bool(j, "to_end_of_space", true);
		} else {
			json_hex(j, "end", r->end);
		}
		json_hex(j, "last", krange_last(r));
		json_u64(j, "size", krange_size(r));
		json_str(j, "kind", krange_kind_name(r->kind));
		json_str(j, "name", r->name);
		json_u64(j, "depth", r->depth);
		if (r->parent >= 0 && (size_t)r->parent >= b)
			json_u64(j, "parent", (uint64_t)((size_t)r->parent - b));
		else
			json_null(j, "parent");
		kranges_path(k, r, " > ", path, sizeof path);
		json_str(j, "path", path);
		if (note)
			json_str(j, "note", note);
		util_krange_sources_json(j, k, r);
		json_close_obj(j);
	}
	json_close_arr(j);
}

static void json_sources(struct json *j, const struct kranges *k)
{
	size_t i;

	json_arr(j, "sources");
	for (i = 0; i < KSRC__COUNT; i++) {
		const struct ksource_info *s = &k->sources[i];

		if (i == KSRC_DERIVED)
			continue;
		json_obj(j, NULL);
		json_str(j, "source", ksrc_name((enum ksrc)i));
		json_bool(j, "used", s->used);
		json_u64(j, "lines", s->lines);
		json_u64(j, "ranges", s->ranges);
		json_str(j, "detail", s->detail);
		json_close_obj(j);
	}
	json_close_arr(j);
}

/* The boot log's "Memory:" summary and the command line. */
static void json_memory_cmdline(struct json *j, const struct kranges *k)
{
	size_t i;

	if (k->mem.present) {
		json_obj(j, "memory");
		json_u64(j, "line", k->mem.line);
		json_u64(j, "available_kib", k->mem.available_kib);
		json_u64(j, "total_kib", k->mem.total_kib);
		json_obj(j, "items_kib");
		for (i = 0; i < k->mem.nitems; i++)
			json_u64(j, k->mem.item[i].label, k->mem.item[i].kib);
		json_close_obj(j);
		json_str(j, "text", k->mem.text);
		json_close_obj(j);
	} else {
		json_null(j, "memory");
	}
	if (k->cmdline) {
		json_obj(j, "cmdline");
		json_str(j, "source", k->cmdline_src == KSRC_CMDLINE ?
			 "/proc/cmdline" : "boot log");
		json_str(j, "text", k->cmdline);
		json_close_obj(j);
	} else {
		json_null(j, "cmdline");
	}
}

/* What the kernel hid, and the boot log's lines that could not be read. */
static void json_hidden_skipped(struct json *j, const struct kranges *k)
{
	char where[256];
	size_t i;

	json_arr(j, "hidden");
	for (i = 0; i < k->nhidden; i++) {
		const struct krange_hidden *h = &k->hidden[i];
		struct krange_src s = { h->src, h->line, NULL };

		kranges_src_format(k, &s, where, sizeof where);
		json_obj(j, NULL);
		json_str(j, "what", h->what);
		json_str(j, "source", ksrc_name(h->src));
		json_str(j, "where", where);
		json_u64(j, "count", h->count);
		json_str(j, "why", h->why);
		json_close_obj(j);
	}
	json_close_arr(j);
	json_obj(j, "skipped");
	json_u64(j, "count", k->skipped);
	json_arr(j, "lines");
	for (i = 0; i < k->nskip; i++) {
		json_obj(j, NULL);
		json_u64(j, "line", k->skip[i].line);
		json_str(j, "reason", k->skip[i].reason);
		json_str(j, "text", k->skip[i].text);
		json_close_obj(j);
	}
	json_close_arr(j);
	json_close_obj(j);
}

static void print_json(const struct vms_root *r, const struct kranges *k)
{
	struct json j;
	char desc[512];
	size_t i;

	root_describe(r, desc, sizeof desc);
	json_start(&j, stdout);
	json_str(&j, "root", desc);
	json_sources(&j, k);
	json_str(&j, "bootlog_origin", k->bootlog_origin[0] ? k->bootlog_origin : NULL);
	json_str(&j, "bootlog_kernel", k->bootlog_kernel[0] ? k->bootlog_kernel : NULL);
	json_section(&j, k, KSPACE_PHYS, 0, "physical");
	json_section(&j, k, KSPACE_PHYS, 1, "mm");
	json_section(&j, k, KSPACE_VIRT, 0, "virtual");
	json_memory_cmdline(&j, k);
	json_hidden_skipped(&j, k);
	json_arr(&j, "notes");
	for (i = 0; i < k->nnotes; i++)
		json_str(&j, NULL, k->notes[i]);
	json_close_arr(&j);
	json_end(&j);
}

int cli_kernel(const struct vms_root *r, const struct cli_opts *o, int argc,
	       char **argv)
{
	struct kranges_opts ko = { 0 };
	struct kranges k;
	struct vms_err e;
	int i;

	for (i = 0; i < argc; i++) {
		if (util_bootlog_option(argc, argv, &i, &ko)) {
			continue;
		} else if (!strcmp(argv[i], "--bootlog-only")) {
			ko.bootlog_only = true;
		} else {
			util_unexpected("kernel", argv[i],
					"vmscope kernel [--bootlog FILE] [--bootlog-only | --no-bootlog]");
			return CLI_USAGE;
		}
	}
	if (ko.bootlog_only && ko.no_bootlog) {
		util_error("kernel: --bootlog-only and --no-bootlog leave nothing to read");
		return CLI_USAGE;
	}
	if (kranges_load(&k, r, &ko, &e) < 0) {
		util_error("%s", e.msg);
		kranges_free(&k);
		return CLI_ERROR;
	}
	if (ko.bootlog_file && !k.sources[KSRC_BOOTLOG].used) {
		util_error("%s", k.sources[KSRC_BOOTLOG].detail);
		kranges_free(&k);
		return CLI_ERROR;
	}
	if (o->json)
		print_json(r, &k);
	else
		print_text(r, &k);
	kranges_free(&k);
	return fflush(stdout) == 0 ? CLI_OK : CLI_ERROR;
}
