/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: vmas_parse, the parser of /proc/PID/maps and
 * /proc/PID/smaps, then what the views do with its list: holes between
 * VMAs, lookups, classification, gap checks and escaped names.  Asserts
 * the list's invariants. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/escape.h"
#include "vmscope/explain.h"
#include "vmscope/vmas.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vma_list l, h;
	struct vms_err e;
	size_t i;

	if (vmas_parse((const char *)data, size, &l, &e) < 0) {
		assert(l.n == 0 && l.v == NULL);
		assert(memchr(e.msg, '\0', sizeof e.msg));
		for (i = 0; e.msg[i]; i++)
			assert((unsigned char)e.msg[i] >= 0x20 &&
			       e.msg[i] != 0x7f);
		return 0;
	}
	assert(l.addr_width == 8 || l.addr_width == 16);
	for (i = 0; i < l.n; i++) {
		const struct vma *v = &l.v[i];
		char buf[128];

		assert(v->start < v->end);
		assert(v->name && strlen(v->name) <= 4096);
		assert(v->kind < VMA_KIND__COUNT);
		assert(strlen(v->perms) == 4);
		assert(v->vmflags_text && strlen(v->vmflags_text) < 96);
		assert(v->smaps);
		(void)vma_is_gap(v);
		(void)vma_kind_name(v->kind);
		(void)explain_vma_kind(v->kind);
		if (vma_is_gap(v)) {
			char ex[EXPLAIN_GAP_MAX];

			(void)explain_gap(v, l.pagemap_end, ex, sizeof ex);
		}
		escape_text(buf, sizeof buf, v->name, strlen(v->name));
		(void)vmas_find(&l, v->start);
		(void)vmas_find(&l, v->end - 1);
		(void)vmas_find(&l, v->end);
	}
	if (vmas_with_holes(&l, &h, &e) == 0) {
		for (i = 0; i < h.n; i++)
			assert(h.v[i].start < h.v[i].end);
		vmas_free_holes(&h);
	}
	vmas_free(&l);
	return 0;
}
