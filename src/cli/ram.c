/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmscope ram: all of RAM by kind, from the kpageflags of every frame,
 * with the classes and totals of the physical screen's heat strip (the
 * same classifier, ramclass), and MemFree read just before and after the
 * walk, so the free total can be checked against the kernel's. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "json.h"
#include "util.h"
#include "vmscope/kpage.h"
#include "vmscope/kranges.h"
#include "vmscope/ramclass.h"
#include "vmscope/units.h"

#define RAM_USAGE "vmscope ram [--json]"

struct ram_totals {
	uint64_t frames[KHEAT__COUNT];
	uint64_t uninit;           /* frames in deferred-init tails */
	uint64_t memfree[2];       /* kB, before and after; 0 unknown */
	double ms;
};

/* MemFree in kB from /proc/meminfo, 0 when unknown. */
static uint64_t read_memfree(const struct vms_root *r)
{
	char *text = NULL, *p;
	size_t len;
	struct vms_err e;
	uint64_t kb = 0;

	if (root_read_text(r, "proc/meminfo", &text, &len, &e) < 0)
		return 0;
	p = strstr(text, "MemFree:");
	if (p)
		kb = strtoull(p + 8, NULL, 10);
	free(text);
	return kb;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Walk all of RAM in one cell per 2^18 frames (as the screen's groups). */
static int ram_walk(const struct vms_root *r, const struct kranges *k,
		    struct kpage *kp, struct ram_totals *t, struct vms_err *e)
{
	struct kheat_opts o = { .addr_bits = r->addr_bits };
	struct kheat_cell *cells;
	uint64_t lo, hi;
	size_t n, i, c;
	int rc;

	if (!kranges_ram_extent(k, &lo, &hi)) {
		err_set(e, VMS_EUNSUP,
			"no RAM range is known (no /proc/iomem, firmware memmap or boot log)");
		return -1;
	}
	n = (size_t)(((hi - lo) >> r->page_shift >> 18) + 1);
	cells = calloc(n, sizeof *cells);
	if (!cells) {
		err_sys(e, ENOMEM, "vmscope ram");
		return -1;
	}
	t->memfree[0] = read_memfree(r);
	t->ms = now_ms();
	rc = kranges_ram_heat(k, kp, r->page_shift, &o, n, cells, e);
	t->ms = now_ms() - t->ms;
	t->memfree[1] = read_memfree(r);
	for (i = 0; rc == 0 && i < n; i++) {
		for (c = 0; c < KHEAT__COUNT; c++)
			t->frames[c] += cells[i].count[c];
		t->uninit += cells[i].uninit;
	}
	free(cells);
	return rc;
}

static void print_text(const struct vms_root *r, const struct ram_totals *t)
{
	char sz[32], a[32], b[32];
	uint64_t ram = 0;
	unsigned c;

	printf("RAM by kind, from the kpageflags of every frame (%.0f ms)\n",
	       t->ms);
	printf("%-10s %7s %10s\n", "KIND", "SIZE", "FRAMES");
	for (c = 0; c < KHEAT_NOT_RAM; c++) {
		ram += t->frames[c];
		units_size(sz, sizeof sz, t->frames[c] * r->page_size);
		printf("%-10s %7s %10" PRIu64, kheat_cat_name(c), sz, t->frames[c]);
		if (c == KHEAT_FREE && t->uninit) {
			units_size(sz, sizeof sz, t->uninit * r->page_size);
			printf("  (%s of RAM not yet initialised by the kernel, counted free)", sz);
		}
		putchar('\n');
	}
	units_size(sz, sizeof sz, ram * r->page_size);
	printf("%-10s %7s %10" PRIu64 "\n", "RAM", sz, ram);
	if (t->memfree[0] && t->memfree[1]) {
		units_size(a, sizeof a, t->memfree[0] * 1024);
		units_size(b, sizeof b, t->memfree[1] * 1024);
		printf("MemFree (/proc/meminfo): %s before the walk, %s after\n", a, b);
	}
}

static void print_json(const struct vms_root *r, const struct ram_totals *t)
{
	struct json j;
	uint64_t ram = 0;
	unsigned c;

	json_start(&j, stdout);
	json_u64(&j, "page_size", r->page_size);
	json_obj(&j, "bytes");
	for (c = 0; c < KHEAT_NOT_RAM; c++) {
		json_u64(&j, kheat_cat_name(c), t->frames[c] * r->page_size);
		ram += t->frames[c];
	}
	json_close_obj(&j);
	json_obj(&j, "frames");
	for (c = 0; c < KHEAT_NOT_RAM; c++)
		json_u64(&j, kheat_cat_name(c), t->frames[c]);
	json_close_obj(&j);
	json_u64(&j, "ram_bytes", ram * r->page_size);
	json_u64(&j, "free_uninitialised_bytes", t->uninit * r->page_size);
	json_obj(&j, "memfree_bytes");
	json_u64(&j, "before", t->memfree[0] * 1024);
	json_u64(&j, "after", t->memfree[1] * 1024);
	json_close_obj(&j);
	json_u64(&j, "read_ms", (uint64_t)t->ms);
	json_end(&j);
}

int cli_ram(const struct vms_root *r, const struct cli_opts *o, int argc,
	    char **argv)
{
	struct kranges k;
	struct kranges_opts ko = { .no_bootlog = true, .phys_only = true };
	struct kpage kp;
	struct ram_totals t;
	struct vms_err e;
	int rc = CLI_ERROR;

	if (argc > 0) {
		util_unexpected("ram", argv[0], RAM_USAGE);
		return CLI_USAGE;
	}
	if (!r->live) {
		util_error("ram reads the kpageflags of every frame of the live machine; a snapshot keeps only the frames its processes mapped");
		return CLI_ERROR;
	}
	memset(&t, 0, sizeof t);
	if (kranges_load(&k, r, &ko, &e) < 0) {
		util_error("%s", e.msg);
		kranges_free(&k);
		return CLI_ERROR;
	}
	kpage_open(r, &kp);
	if (ram_walk(r, &k, &kp, &t, &e) < 0) {
		util_error("%s", e.msg);
		goto out;
	}
	if (o->json)
		print_json(r, &t);
	else
		print_text(r, &t);
	rc = fflush(stdout) ? CLI_ERROR : CLI_OK;
out:
	kpage_close(&kp);
	kranges_free(&k);
	return rc;
}
