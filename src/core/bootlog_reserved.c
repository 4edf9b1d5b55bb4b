/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bootlog_reserved: the boot log's lines on memory set aside: device-tree
 * reserved-memory nodes and pools, CMA areas, the crash kernel, ramoops. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bootlog.h"
#include "scan.h"

/* Sizes in the reserved-memory lines: "256 MiB", "512 KiB". */
static bool size_unit(struct scan *s, uint64_t *bytes)
{
	uint64_t v;

	scan_ws(s);
	if (!scan_dec(s, &v))
		return false;
	scan_ws(s);
	if (scan_lit(s, "MiB") || scan_lit(s, "MB"))
		v <<= 20;
	else if (scan_lit(s, "KiB") || scan_lit(s, "kB") || scan_lit(s, "KB"))
		v <<= 10;
	else if (scan_lit(s, "GiB") || scan_lit(s, "GB"))
		v <<= 30;
	else
		return false;
	*bytes = v;
	return true;
}

/* What a pool printed as "size 0 MiB" is called after its name. */
#define POOL_SMALL ", < 1 MiB: the log gives its start only"

/* Each matcher below reads the message [m, me): 1 parsed, 0 not its
 * kind of line, -1 its kind but unreadable. */

/* "Reserved memory: created CMA memory pool at 0x..., size 256 MiB" */
static int reserved_pool(struct bootlog *b, const char *m, const char *me)
{
	struct scan s = { m, me };
	uint64_t a, size;
	char name[128], what[64];
	const char *q;

	if (!scan_lit(&s, "Reserved memory: created "))
		return 0;
	q = scan_find(s.p, s.e, " pool at ");
	if (!q)
		return -1;
	scan_copy_trim(what, sizeof what, s.p, q);
	s.p = q + strlen(" pool at ");
	if (!scan_hex(&s, &a) || !scan_lit(&s, ", size") || !size_unit(&s, &size) ||
	    a > UINT64_MAX - size)
		return -1;
	snprintf(name, sizeof name, "reserved-memory %s pool", what);
	if (size == 0) {
		/* the kernel prints the size in whole MiB, rounded down: a
		 * pool under 1 MiB reads "size 0 MiB".  Its first page is
		 * surely in it; where it ends the log does not say. */
		snprintf(name, sizeof name, "reserved-memory %s pool%s", what,
			 POOL_SMALL);
		size = (uint64_t)1 << b->k->page_shift;
	}
	b->pool = bootlog_add(b, KSPACE_PHYS, strstr(what, "CMA") ? KR_CMA :
			      KR_CARVEOUT, a, a + size, name);
	b->pool_line = b->line;
	return 1;
}

/* "OF: reserved mem: initialized node linux,cma, compatible id ..."
 * names the pool created on the line before */
static int reserved_pool_node(struct bootlog *b, const char *m,
			      const char *me)
{
	struct scan s = { m, me };
	const char *ne;
	char name[128], node[64];

	if (!(scan_lit(&s, "OF: reserved mem: initialized node ") ||
	      (s.p = m, scan_lit(&s, "Reserved memory: initialized node "))))
		return 0;
	ne = scan_find(s.p, s.e, ", compatible");
	scan_copy_trim(node, sizeof node, s.p, ne ? ne : s.e);
	if (b->pool >= 0 && b->line <= b->pool_line + 2 &&
	    (size_t)b->pool < b->k->n) {
		struct krange *r = &b->k->r[b->pool];
		size_t nl = strlen(r->name), sl = strlen(POOL_SMALL);
		bool small = nl >= sl && !strcmp(r->name + nl - sl, POOL_SMALL);
		char *nn;

		/* the node's name goes before the note on the size */
		snprintf(name, sizeof name, "%.*s (%s)%s",
			 (int)(small ? nl - sl : nl), r->name, node,
			 small ? POOL_SMALL : "");
		nn = strdup(name);
		if (nn) {
			free(r->name);
			r->name = nn;
		}
		b->pool = -1;
	}
	b->used++;
	return 1;
}

/* "OF: reserved mem: 0x...-..0x... (65536 KiB) map reusable linux,cma" */
static int reserved_of_range(struct bootlog *b, const char *m,
			     const char *me)
{
	struct scan s = { m, me };
	uint64_t a, z;
	char name[128], what[64];
	const char *q, *np, *ne;
	bool reusable;

	if (!scan_lit(&s, "OF: reserved mem: 0x"))
		return 0;
	s.p -= 2;
	if (!scan_hex0x(&s, &a) || !scan_lit(&s, "..") || !scan_hex0x(&s, &z) || z < a)
		return -1;
	scan_ws(&s);
	q = memchr(s.p, ')', (size_t)(s.e - s.p));
	if (!q)
		return -1;
	s.p = q + 1;
	scan_ws(&s);
	reusable = scan_find(s.p, s.e, " reusable") != NULL ||
		   scan_find(s.p, s.e, "reusable") == s.p;
	np = s.p;
	ne = s.e;
	/* the last word is the node name */
	scan_trim(&np, &ne);
	q = ne;
	while (q > np && q[-1] != ' ')
		q--;
	scan_copy_trim(what, sizeof what, q, ne);
	if (!what[0])
		return -1;
	snprintf(name, sizeof name, "reserved-memory %s", what);
	bootlog_add_last(b, KSPACE_PHYS, reusable && strstr(what, "cma") ?
			 KR_CMA : KR_CARVEOUT, a, z, name);
	return 1;
}

/* "cma: Reserved 64 MiB at 0x00000000fc000000" (+ " on node -1"),
 * 3.x: "cma: CMA: reserved 128 MiB at 58000000" */
static int reserved_cma(struct bootlog *b, const char *m, const char *me)
{
	struct scan s = { m, me };
	uint64_t a, size;

	if (!scan_lit(&s, "cma: Reserved") &&
	    !(s.p = m, scan_lit(&s, "cma: CMA: reserved")))
		return 0;
	if (!size_unit(&s, &size))
		return -1;
	scan_ws(&s);
	if (!scan_lit(&s, "at"))
		return -1;
	scan_ws(&s);
	if (!scan_hex(&s, &a) || a > UINT64_MAX - size)
		return -1;
	bootlog_add(b, KSPACE_PHYS, KR_CMA, a, a + size, "CMA area");
	return 1;
}

/* "crashkernel reserved: 0x... - 0x... (256 MB)" (end exclusive),
 * "Reserving 256MB of memory at 1792MB for crashkernel (System RAM: ...)" */
static int reserved_crashkernel(struct bootlog *b, const char *m,
				const char *me)
{
	struct scan s = { m, me };
	uint64_t a, z, mb, at;

	if (scan_lit(&s, "crashkernel reserved: ")) {
		if (!scan_hex0x(&s, &a))
			return -1;
		scan_ws(&s);
		if (!scan_lit(&s, "-"))
			return -1;
		scan_ws(&s);
		if (!scan_hex0x(&s, &z) || z <= a)
			return -1;
		bootlog_add(b, KSPACE_PHYS, KR_CARVEOUT, a, z, "crashkernel");
		return 1;
	}
	if (!scan_lit(&s, "Reserving ") || !scan_find(s.p, s.e, "for crashkernel"))
		return 0;
	if (!scan_dec(&s, &mb) || !scan_lit(&s, "MB of memory at ") ||
	    !scan_dec(&s, &at) || !scan_lit(&s, "MB"))
		return -1;
	if (mb > (UINT64_MAX >> 21) || at > (UINT64_MAX >> 21))
		return -1;
	bootlog_add(b, KSPACE_PHYS, KR_CARVEOUT, at << 20, (at + mb) << 20,
		    "crashkernel");
	return 1;
}

/* "ramoops: attached 0x200000@0x96080000, ecc: 0/0" */
static int reserved_ramoops(struct bootlog *b, const char *m, const char *me)
{
	struct scan s = { m, me };
	uint64_t a, size;

	if (!scan_lit(&s, "ramoops: attached "))
		return 0;
	if (!scan_hex(&s, &size) || !scan_lit(&s, "@") || !scan_hex(&s, &a) ||
	    a > UINT64_MAX - size)
		return -1;
	bootlog_add(b, KSPACE_PHYS, KR_CARVEOUT, a, a + size, "ramoops");
	return 1;
}

/* Device-tree reserved memory, CMA, crash kernel, ramoops.  1 parsed,
 * 0 not such a line, -1 such a line but unreadable.  The matchers'
 * prefixes exclude each other, so the first that knows the line
 * decides. */
int bootlog_reserved(struct bootlog *b, const char *m, const char *me)
{
	static int (*const matchers[])(struct bootlog *, const char *,
				       const char *) = {
		reserved_pool, reserved_pool_node, reserved_of_range,
		reserved_cma, reserved_crashkernel, reserved_ramoops,
	};
	size_t i;

	for (i = 0; i < sizeof matchers / sizeof matchers[0]; i++) {
		int r = matchers[i](b, m, me);

		if (r)
			return r;
	}
	return 0;
}
