/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every kranges harness does after its parser: finalize the map
 * (merge, sort, tree) and walk it the way the views do: each range's
 * path and sources formatted, lookups at its edges and at addresses
 * taken from the input, the zone/node layer, the RAM extent.  Asserts
 * the invariants the views rely on. */
#ifndef FUZZ_KRANGES_H
#define FUZZ_KRANGES_H

#include <assert.h>
#include <stdint.h>
#include <string.h>
#include "vmscope/kranges.h"

static void fuzz_kranges_walk(struct kranges *k, const uint8_t *data,
			      size_t size)
{
	struct vms_err e;
	char buf[256];
	size_t i;
	uint64_t lo, hi;

	if (kranges_finalize(k, &e) < 0)
		return;
	for (i = 0; i < k->n; i++) {
		const struct krange *r = &k->r[i];
		size_t j;

		assert(r->start <= r->end);
		assert(r->parent < (int)k->n && r->first_child < (int)k->n &&
		       r->next_sibling < (int)k->n);
		if (r->parent >= 0) {
			const struct krange *p = &k->r[r->parent];

			assert(p->space == r->space);
			assert(p->start <= r->start && r->end <= p->end);
		}
		kranges_path(k, r, " > ", buf, sizeof buf);
		kranges_path(k, r, " > ", buf, 1);
		for (j = 0; j < r->nsrc; j++)
			kranges_src_format(k, &r->src[j], buf, sizeof buf);
		(void)krange_kind_name(r->kind);
		(void)krange_space_name(r->space);
		(void)kranges_area_note(r->name ? r->name : "");
		if (r->end > r->start && !krange_is_mm(r)) {
			const struct krange *f;

			f = kranges_lookup(k, r->space, r->start);
			assert(f && f->start <= r->start && r->start < f->end);
			f = kranges_lookup(k, r->space, r->end - 1);
			assert(f && f->start <= r->end - 1 && r->end - 1 < f->end);
		}
	}
	/* addresses from the input itself */
	for (i = 0; i + 8 <= size && i < 64 * 8; i += 8) {
		uint64_t a;

		memcpy(&a, data + i, 8);
		(void)kranges_lookup(k, KSPACE_PHYS, a);
		(void)kranges_lookup(k, KSPACE_VIRT, a);
		(void)kranges_lookup_phys(k, a);
		(void)kranges_lookup_mm(k, KR_ZONE, a);
		(void)kranges_lookup_mm(k, KR_NODE, a);
	}
	if (kranges_ram_extent(k, &lo, &hi))
		assert(lo < hi);
	for (i = 0; i < k->nhidden; i++)
		(void)ksrc_name(k->hidden[i].src);
}

#endif
