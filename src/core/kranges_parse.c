/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kranges_parse: pure parsers of the boot log, /proc/iomem, the command
 * line, /sys/firmware/memmap, /proc/vmallocinfo, /proc/kallsyms and
 * /proc/modules.  Text in, ranges out: no files, for tests and fuzzing.
 * Every parser reads only within [text, text + len). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "vmscope/kranges.h"

/* ---- a cursor over one line ---- */

struct sc {
	const char *p, *e;
};

static void sc_ws(struct sc *s)
{
	while (s->p < s->e && (*s->p == ' ' || *s->p == '\t'))
		s->p++;
}

static bool sc_lit(struct sc *s, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(s->e - s->p) < n || memcmp(s->p, lit, n))
		return false;
	s->p += n;
	return true;
}

static bool sc_lit_ci(struct sc *s, const char *lit)
{
	size_t n = strlen(lit), i;

	if ((size_t)(s->e - s->p) < n)
		return false;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)s->p[i]) != tolower((unsigned char)lit[i]))
			return false;
	s->p += n;
	return true;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits (no prefix), at least one, no overflow. */
static bool sc_hexdigits(struct sc *s, uint64_t *v)
{
	uint64_t x = 0;
	const char *st = s->p;
	int d;

	while (s->p < s->e && (d = hexval((unsigned char)*s->p)) >= 0) {
		if (x >> 60)
			return false;
		x = x << 4 | (uint64_t)d;
		s->p++;
	}
	if (s->p == st)
		return false;
	*v = x;
	return true;
}

/* Hex with an optional 0x. */
static bool sc_hex(struct sc *s, uint64_t *v)
{
	struct sc save = *s;

	if (s->e - s->p >= 2 && s->p[0] == '0' && (s->p[1] == 'x' || s->p[1] == 'X'))
		s->p += 2;
	if (!sc_hexdigits(s, v)) {
		*s = save;
		return false;
	}
	return true;
}

static bool sc_hex0x(struct sc *s, uint64_t *v)
{
	struct sc save = *s;

	if (!sc_lit(s, "0x") && !sc_lit(s, "0X"))
		return false;
	if (!sc_hexdigits(s, v)) {
		*s = save;
		return false;
	}
	return true;
}

static bool sc_dec(struct sc *s, uint64_t *v)
{
	uint64_t x = 0;
	const char *st = s->p;

	while (s->p < s->e && *s->p >= '0' && *s->p <= '9') {
		if (x > (UINT64_MAX - 9) / 10)
			return false;
		x = x * 10 + (uint64_t)(*s->p - '0');
		s->p++;
	}
	if (s->p == st)
		return false;
	*v = x;
	return true;
}

static const char *find(const char *p, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	while ((size_t)(e - p) >= n) {
		if (!memcmp(p, lit, n))
			return p;
		p++;
	}
	return NULL;
}

static void trim(const char **p, const char **e)
{
	while (*p < *e && isspace((unsigned char)**p))
		(*p)++;
	while (*e > *p && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

/* Inclusive end -> exclusive, saturating. */
static uint64_t excl(uint64_t last)
{
	return last == UINT64_MAX ? UINT64_MAX : last + 1;
}

static void copy_trim(char *dst, size_t n, const char *p, const char *e)
{
	size_t len;

	trim(&p, &e);
	len = (size_t)(e - p);
	if (len >= n)
		len = n - 1;
	memcpy(dst, p, len);
	dst[len] = '\0';
}

/* Next line of [*pos, end): sets [lp, le) without the newline (and a
 * trailing \r); returns false at the end. */
static bool next_line(const char **pos, const char *end, const char **lp,
		      const char **le, bool *terminated)
{
	const char *p = *pos, *nl;

	if (p >= end)
		return false;
	nl = memchr(p, '\n', (size_t)(end - p));
	*lp = p;
	*le = nl ? nl : end;
	*terminated = nl != NULL;
	*pos = nl ? nl + 1 : end;
	if (*le > *lp && (*le)[-1] == '\r')
		(*le)--;
	return true;
}

/* ---- the boot log ---- */

struct bl {
	struct kranges *k;
	unsigned line;
	const char *raw, *rawe;      /* the whole line, for the source */
	bool terminated;
	int in_layout;               /* after "Virtual kernel memory layout:" */
	char layout_last[40];
	int in_zones;                /* 1 "Zone ranges:", 2 "Zone PFN ranges:" */
	int in_oldnodes;             /* after "early_node_map[..] active PFN ranges" */
	int pool;                    /* index of the last reserved-memory pool */
	unsigned pool_line;
	int added;
	unsigned used;
};

static int bl_add(struct bl *b, enum krange_space sp, enum krange_kind kind,
		  uint64_t s, uint64_t t, const char *name)
{
	int i = kranges_add(b->k, sp, kind, s, t, name, KSRC_BOOTLOG, b->line,
			    b->raw, (size_t)(b->rawe - b->raw));

	if (i >= 0)
		b->added++;
	return i;
}

static void bl_skip(struct bl *b, const char *reason)
{
	kranges_skip(b->k, b->line, reason, b->raw, (size_t)(b->rawe - b->raw));
}

/* Strip what surrounds the kernel's message: a "<6>" level, a /dev/kmsg
 * record header "6,123,4567,-;", a syslog or journal prefix before the
 * "[ timestamp]", the timestamp and a caller id "[  T1]". */
static void bl_message(const char *p, const char *e, const char **mp)
{
	struct sc s = { p, e };
	const char *q, *lim;
	uint64_t v;

	if (s.p < s.e && *s.p == '<') {
		struct sc t = s;

		t.p++;
		if (sc_dec(&t, &v) && sc_lit(&t, ">"))
			s = t;
	}
	{
		struct sc t = s;
		uint64_t a, b2, c;

		if (sc_dec(&t, &a) && sc_lit(&t, ",") && sc_dec(&t, &b2) &&
		    sc_lit(&t, ",") && sc_dec(&t, &c) && sc_lit(&t, ",")) {
			const char *semi = memchr(t.p, ';', (size_t)(t.e - t.p));

			if (semi && semi - t.p < 16) {
				*mp = semi + 1;
				return;
			}
		}
	}
	lim = s.p + 120 < s.e ? s.p + 120 : s.e;
	for (q = s.p; q < lim; q++) {
		struct sc t;

		if (*q != '[')
			continue;
		t.p = q + 1;
		t.e = s.e;
		sc_ws(&t);
		if (!sc_dec(&t, &v) || !sc_lit(&t, "."))
			continue;
		if (!sc_dec(&t, &v))
			continue;
		sc_ws(&t);
		if (!sc_lit(&t, "]"))
			continue;
		/* a caller id: "[    T1]" or "[  C0]" */
		{
			struct sc u = t;

			sc_ws(&u);
			if (sc_lit(&u, "[")) {
				sc_ws(&u);
				if ((sc_lit(&u, "T") || sc_lit(&u, "C")) &&
				    sc_dec(&u, &v) && sc_lit(&u, "]"))
					t = u;
			}
		}
		if (t.p < t.e && *t.p == ' ')
			t.p++;
		*mp = t.p;
		return;
	}
	/* journalctl -k without timestamps: "Nov 21 19:18:33 host kernel: " */
	q = find(s.p, lim, " kernel: ");
	if (q) {
		*mp = q + strlen(" kernel: ");
		return;
	}
	*mp = s.p;
}

/* "[mem 0xS-0xE]" with optional flags before the ']' ("window", "64bit"). */
static bool mem_bracket(struct sc *s, uint64_t *start, uint64_t *end)
{
	uint64_t a, b;
	const char *close;

	if (!sc_lit(s, "[mem "))
		return false;
	if (!sc_hex0x(s, &a) || !sc_lit(s, "-") || !sc_hex0x(s, &b) || b < a)
		return false;
	close = memchr(s->p, ']', (size_t)(s->e - s->p));
	if (!close)
		return false;
	s->p = close + 1;
	*start = a;
	*end = excl(b);
	return true;
}

static enum krange_kind e820_kind(const char *t, const char *te)
{
	struct sc s = { t, te };

	if (sc_lit(&s, "usable"))
		return KR_RAM;
	s.p = t;
	if (sc_lit(&s, "ACPI"))
		return KR_ACPI;
	s.p = t;
	if (sc_lit(&s, "unusable"))
		return KR_UNUSABLE;
	s.p = t;
	if (sc_lit(&s, "persistent"))
		return KR_PMEM;
	return KR_RESERVED;
}

/* "BIOS-e820: [mem 0x...-0x...] usable", "user: [mem ...] reserved", the
 * old "BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)" (end
 * exclusive) and Xen's "Xen: [mem ...] usable".  1 parsed, 0 not such a
 * line, -1 such a line but unreadable. */
static int bl_e820(struct bl *b, const char *m, const char *me)
{
	static const struct { const char *prefix, *name; } pre[] = {
		{ "BIOS-e820:", "e820" }, { "user:", "user e820" },
		{ "Xen:", "Xen e820" },
	};
	struct sc s = { m, me };
	uint64_t a, z;
	const char *tp, *te;
	char name[96], type[48];
	size_t i;

	for (i = 0; i < sizeof pre / sizeof pre[0]; i++) {
		s.p = m;
		if (sc_lit(&s, pre[i].prefix))
			break;
	}
	if (i == sizeof pre / sizeof pre[0])
		return 0;
	sc_ws(&s);
	if (s.p < s.e && *s.p == '[') {
		struct sc t = s;

		if (!mem_bracket(&t, &a, &z))
			return -1;
		tp = t.p;
		te = t.e;
		trim(&tp, &te);
		if (tp == te)
			return -1;
	} else {
		if (!sc_hexdigits(&s, &a))
			return i == 1 ? 0 : -1;
		sc_ws(&s);
		if (!sc_lit(&s, "-"))
			return -1;
		sc_ws(&s);
		if (!sc_hexdigits(&s, &z) || z < a)
			return -1;
		sc_ws(&s);
		if (!sc_lit(&s, "("))
			return -1;
		tp = s.p;
		te = memchr(s.p, ')', (size_t)(s.e - s.p));
		if (!te)
			return -1;
	}
	copy_trim(type, sizeof type, tp, te);
	snprintf(name, sizeof name, "%s %s", pre[i].name, type);
	bl_add(b, KSPACE_PHYS, e820_kind(type, type + strlen(type)), a, z, name);
	return 1;
}

/* MIPS: " memory: 00399000 @ 00010000 (usable)" (size @ start). */
static int bl_mips_mem(struct bl *b, const char *m, const char *me)
{
	struct sc s = { m, me };
	uint64_t size, start;
	const char *close;
	char type[48], name[96];

	sc_ws(&s);
	if (!sc_lit(&s, "memory: "))
		return 0;
	sc_ws(&s);
	if (!sc_hexdigits(&s, &size))
		return 0;
	sc_ws(&s);
	if (!sc_lit(&s, "@"))
		return 0;
	sc_ws(&s);
	if (!sc_hexdigits(&s, &start) || start > UINT64_MAX - size)
		return -1;
	sc_ws(&s);
	if (!sc_lit(&s, "("))
		return -1;
	close = memchr(s.p, ')', (size_t)(s.e - s.p));
	if (!close)
		return -1;
	copy_trim(type, sizeof type, s.p, close);
	snprintf(name, sizeof name, "memory %s", type);
	bl_add(b, KSPACE_PHYS, !strncmp(type, "usable", 6) ? KR_RAM :
	       !strncmp(type, "ROM", 3) ? KR_DEVICE : KR_RESERVED,
	       start, start + size, name);
	return 1;
}

static const char *const known_layout[] = {
	"vector", "fixmap", "vmalloc", "lowmem", "pkmap", "modules", "vmemmap",
	"PCI I/O", "pci io", "fixed", "memory", "kasan", "consistent", "kernel",
	".text", ".init", ".data", ".bss",
};

static bool layout_known(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof known_layout / sizeof known_layout[0]; i++)
		if (!strcmp(name, known_layout[i]))
			return true;
	return false;
}

/* An address of the layout block: hex, or the kernel's "(ptrval)" for a
 * pointer hashed before the hash key was ready.  1 ok, 2 hashed, 0 bad. */
static int layout_addr(struct sc *s, uint64_t *v)
{
	if (!sc_lit(s, "0x"))
		return 0;
	sc_ws(s);
	if (sc_lit(s, "(ptrval)") || sc_lit(s, "(____ptrval____)") ||
	    sc_lit(s, "(null)"))
		return 2;
	return sc_hexdigits(s, v) ? 1 : 0;
}

/* "    vmalloc : 0xf0800000 - 0xff800000   ( 240 MB)", arm64's second
 * vmemmap line "0x... - 0x... (125 MB actual)".  1 entry, 0 not an entry,
 * -1 an entry that cannot be read. */
static int layout_entry(const char *m, const char *me, char *name, size_t nn,
			uint64_t *start, uint64_t *end, bool *hashed,
			bool *cont)
{
	struct sc s = { m, me };
	const char *np, *colon;
	int r1, r2;

	*hashed = false;
	*cont = false;
	name[0] = '\0';
	sc_ws(&s);
	if (s.e - s.p >= 2 && s.p[0] == '0' && s.p[1] == 'x') {
		*cont = true;
	} else {
		np = s.p;
		while (s.p < s.e && s.p - np < 32 &&
		       (isalnum((unsigned char)*s.p) || (*s.p && strchr(" ._/-", *s.p))))
			s.p++;
		if (s.p >= s.e || *s.p != ':')
			return 0;
		colon = s.p;
		copy_trim(name, nn, np, colon);
		if (!name[0])
			return 0;
		s.p++;
		sc_ws(&s);
		if (s.e - s.p < 2 || s.p[0] != '0' || s.p[1] != 'x')
			return 0;
	}
	r1 = layout_addr(&s, start);
	if (!r1)
		return -1;
	sc_ws(&s);
	if (!sc_lit(&s, "-"))
		return -1;
	sc_ws(&s);
	r2 = layout_addr(&s, end);
	if (!r2)
		return -1;
	sc_ws(&s);
	if (!sc_lit(&s, "("))
		return -1;  /* cut before its size: the end may be cut too */
	*hashed = r1 == 2 || r2 == 2;
	return 1;
}

static int bl_layout(struct bl *b, const char *m, const char *me)
{
	char name[40], full[64], why[200];
	uint64_t s = 0, t = 0;
	bool hashed, cont;
	int r = layout_entry(m, me, name, sizeof name, &s, &t, &hashed, &cont);

	if (r == 0) {
		b->in_layout = 0;
		return 0;
	}
	if (!b->in_layout && (cont || (r == 1 && !layout_known(name)) ||
			      (r < 0 && !layout_known(name))))
		return 0;
	if (r < 0) {
		bl_skip(b, "layout entry cut short or garbled");
		return 1;
	}
	if (cont) {
		if (!b->layout_last[0])
			return 0;
		snprintf(full, sizeof full, "%s (actual)", b->layout_last);
	} else {
		snprintf(full, sizeof full, "%s", name);
		snprintf(b->layout_last, sizeof b->layout_last, "%s", name);
	}
	if (hashed) {
		snprintf(why, sizeof why,
			 "the boot log printed it as a hashed pointer \"(ptrval)\" (%%p before the hash key was ready); the real address is not in the log");
		kranges_hide(b->k, KSRC_BOOTLOG, b->line, full, why, 1);
		return 1;
	}
	if (t <= s) {
		bl_skip(b, "layout entry whose end is not above its start");
		return 1;
	}
	bl_add(b, KSPACE_VIRT, full[0] == '.' || !strcmp(full, "kernel") ?
	       KR_VIMAGE : KR_VAREA, s, t, full);
	return 1;
}

/* "Memory: 3218172K/25165432K available (18478K kernel code, ...)". */
static void bl_memory(struct bl *b, const char *m, const char *me)
{
	struct kmem_summary *ms = &b->k->mem;
	struct sc s = { m, me };
	uint64_t a, t;

	if (ms->present)
		return;
	if (!sc_lit(&s, "Memory: ") || !find(s.p, s.e, "available"))
		return;
	sc_ws(&s);
	if (!sc_dec(&s, &a) || !(sc_lit(&s, "K") || sc_lit(&s, "k")))
		return;
	ms->available_kib = a;
	if (sc_lit(&s, "/") && sc_dec(&s, &t) && (sc_lit(&s, "K") || sc_lit(&s, "k")))
		ms->total_kib = t;
	ms->present = true;
	ms->line = b->line;
	free(ms->text);
	ms->text = malloc((size_t)(b->rawe - b->raw) + 1);
	if (ms->text) {
		memcpy(ms->text, b->raw, (size_t)(b->rawe - b->raw));
		ms->text[b->rawe - b->raw] = '\0';
	}
	/* items: "NNNK label" separated by ',' or '(' */
	while (s.p < s.e && ms->nitems < sizeof ms->item / sizeof ms->item[0]) {
		uint64_t v;
		const char *lp;

		while (s.p < s.e && !isdigit((unsigned char)*s.p))
			s.p++;
		if (!sc_dec(&s, &v))
			break;
		if (!(sc_lit(&s, "K") || sc_lit(&s, "k")))
			continue;
		if (!sc_lit(&s, " "))
			continue;
		lp = s.p;
		while (s.p < s.e && *s.p != ',' && *s.p != ')')
			s.p++;
		copy_trim(ms->item[ms->nitems].label, sizeof ms->item[0].label,
			  lp, s.p);
		if (!strcmp(ms->item[ms->nitems].label, "available"))
			continue;
		ms->item[ms->nitems].kib = v;
		ms->nitems++;
	}
	b->used++;
}

/* Sizes in the reserved-memory lines: "256 MiB", "512 KiB". */
static bool size_unit(struct sc *s, uint64_t *bytes)
{
	uint64_t v;

	sc_ws(s);
	if (!sc_dec(s, &v))
		return false;
	sc_ws(s);
	if (sc_lit(s, "MiB") || sc_lit(s, "MB"))
		v <<= 20;
	else if (sc_lit(s, "KiB") || sc_lit(s, "kB") || sc_lit(s, "KB"))
		v <<= 10;
	else if (sc_lit(s, "GiB") || sc_lit(s, "GB"))
		v <<= 30;
	else
		return false;
	*bytes = v;
	return true;
}

/* Device-tree reserved memory, CMA, crash kernel, ramoops.  1 parsed,
 * 0 not such a line, -1 such a line but unreadable. */
static int bl_reserved(struct bl *b, const char *m, const char *me)
{
	struct sc s = { m, me };
	uint64_t a, z, size;
	char name[128], what[64];
	const char *q;

	/* "Reserved memory: created CMA memory pool at 0x..., size 256 MiB" */
	if (sc_lit(&s, "Reserved memory: created ")) {
		q = find(s.p, s.e, " pool at ");
		if (!q)
			return -1;
		copy_trim(what, sizeof what, s.p, q);
		s.p = q + strlen(" pool at ");
		if (!sc_hex(&s, &a) || !sc_lit(&s, ", size") || !size_unit(&s, &size) ||
		    a > UINT64_MAX - size)
			return -1;
		snprintf(name, sizeof name, "reserved-memory %s pool", what);
		b->pool = bl_add(b, KSPACE_PHYS, strstr(what, "CMA") ? KR_CMA :
				 KR_CARVEOUT, a, a + size, name);
		b->pool_line = b->line;
		return 1;
	}
	s.p = m;
	/* "OF: reserved mem: initialized node linux,cma, compatible id ..."
	 * names the pool created on the line before */
	if ((sc_lit(&s, "OF: reserved mem: initialized node ") ||
	     (s.p = m, sc_lit(&s, "Reserved memory: initialized node ")))) {
		const char *ne = find(s.p, s.e, ", compatible");
		char node[64];

		copy_trim(node, sizeof node, s.p, ne ? ne : s.e);
		if (b->pool >= 0 && b->line <= b->pool_line + 2 &&
		    (size_t)b->pool < b->k->n) {
			struct krange *r = &b->k->r[b->pool];
			char *nn;

			snprintf(name, sizeof name, "%s (%s)", r->name, node);
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
	s.p = m;
	/* "OF: reserved mem: 0x...-..0x... (65536 KiB) map reusable linux,cma" */
	if (sc_lit(&s, "OF: reserved mem: 0x")) {
		s.p -= 2;
		if (!sc_hex0x(&s, &a) || !sc_lit(&s, "..") || !sc_hex0x(&s, &z) || z < a)
			return -1;
		sc_ws(&s);
		q = memchr(s.p, ')', (size_t)(s.e - s.p));
		if (!q)
			return -1;
		s.p = q + 1;
		sc_ws(&s);
		{
			bool reusable = find(s.p, s.e, " reusable") != NULL ||
					find(s.p, s.e, "reusable") == s.p;
			const char *np = s.p, *ne = s.e;

			/* the last word is the node name */
			trim(&np, &ne);
			q = ne;
			while (q > np && q[-1] != ' ')
				q--;
			copy_trim(what, sizeof what, q, ne);
			if (!what[0])
				return -1;
			snprintf(name, sizeof name, "reserved-memory %s", what);
			bl_add(b, KSPACE_PHYS, reusable && strstr(what, "cma") ?
			       KR_CMA : KR_CARVEOUT, a, excl(z), name);
		}
		return 1;
	}
	s.p = m;
	/* "cma: Reserved 64 MiB at 0x00000000fc000000" (+ " on node -1"),
	 * 3.x: "cma: CMA: reserved 128 MiB at 58000000" */
	if (sc_lit(&s, "cma: Reserved") || (s.p = m, sc_lit(&s, "cma: CMA: reserved"))) {
		if (!size_unit(&s, &size))
			return -1;
		sc_ws(&s);
		if (!sc_lit(&s, "at"))
			return -1;
		sc_ws(&s);
		if (!sc_hex(&s, &a) || a > UINT64_MAX - size)
			return -1;
		snprintf(name, sizeof name, "CMA area");
		bl_add(b, KSPACE_PHYS, KR_CMA, a, a + size, name);
		return 1;
	}
	s.p = m;
	/* "crashkernel reserved: 0x... - 0x... (256 MB)" (end exclusive) */
	if (sc_lit(&s, "crashkernel reserved: ")) {
		if (!sc_hex0x(&s, &a))
			return -1;
		sc_ws(&s);
		if (!sc_lit(&s, "-"))
			return -1;
		sc_ws(&s);
		if (!sc_hex0x(&s, &z) || z <= a)
			return -1;
		bl_add(b, KSPACE_PHYS, KR_CARVEOUT, a, z, "crashkernel");
		return 1;
	}
	s.p = m;
	/* "Reserving 256MB of memory at 1792MB for crashkernel (System RAM: ...)" */
	if (sc_lit(&s, "Reserving ")) {
		uint64_t mb, at;

		if (!find(s.p, s.e, "for crashkernel"))
			return 0;
		if (!sc_dec(&s, &mb) || !sc_lit(&s, "MB of memory at ") ||
		    !sc_dec(&s, &at) || !sc_lit(&s, "MB"))
			return -1;
		if (mb > (UINT64_MAX >> 21) || at > (UINT64_MAX >> 21))
			return -1;
		bl_add(b, KSPACE_PHYS, KR_CARVEOUT, at << 20, (at + mb) << 20,
		       "crashkernel");
		return 1;
	}
	s.p = m;
	/* "ramoops: attached 0x200000@0x96080000, ecc: 0/0" */
	if (sc_lit(&s, "ramoops: attached ")) {
		if (!sc_hex(&s, &size) || !sc_lit(&s, "@") || !sc_hex(&s, &a) ||
		    a > UINT64_MAX - size)
			return -1;
		bl_add(b, KSPACE_PHYS, KR_CARVEOUT, a, a + size, "ramoops");
		return 1;
	}
	return 0;
}

/* Zones: "  DMA32    [mem 0x...-0x...]", "  Normal   empty"; the old
 * "Zone PFN ranges:" form "  DMA   0 ->  4096" (PFNs, end exclusive). */
static int bl_zone(struct bl *b, const char *m, const char *me)
{
	struct sc s = { m, me };
	const char *np;
	char zname[24], name[48];
	uint64_t a, z;

	sc_ws(&s);
	np = s.p;
	while (s.p < s.e && isalnum((unsigned char)*s.p))
		s.p++;
	if (s.p == np || s.p - np >= (long)sizeof zname || s.p >= s.e ||
	    (*s.p != ' ' && *s.p != '\t'))
		return 0;
	copy_trim(zname, sizeof zname, np, s.p);
	sc_ws(&s);
	snprintf(name, sizeof name, "zone %s", zname);
	if (sc_lit(&s, "empty"))
		return 1;
	if (b->in_zones == 2) {
		if (!sc_dec(&s, &a) && !sc_hex(&s, &a))
			return 0;
		sc_ws(&s);
		if (!sc_lit(&s, "->"))
			return 0;
		sc_ws(&s);
		if (!sc_dec(&s, &z) && !sc_hex(&s, &z))
			return -1;
		if (z > (UINT64_MAX >> b->k->page_shift))
			return -1;
		if (z > a)
			bl_add(b, KSPACE_PHYS, KR_ZONE, a << b->k->page_shift,
			       z << b->k->page_shift, name);
		return 1;
	}
	if (s.p >= s.e || *s.p != '[')
		return 0;
	if (!mem_bracket(&s, &a, &z))
		return -1;
	bl_add(b, KSPACE_PHYS, KR_ZONE, a, z, name);
	return 1;
}

/* "node   0: [mem 0x...-0x...]", "Initmem setup node 0 [mem ...]",
 * "Faking a node at [mem ...]", "Faking node 1 at [mem ...] (1024MB)". */
static int bl_node(struct bl *b, const char *m, const char *me)
{
	struct sc s = { m, me };
	uint64_t id, a, z;
	char name[48];

	sc_ws(&s);
	if (sc_lit(&s, "NUMA: "))
		sc_ws(&s);
	if (sc_lit(&s, "node")) {
		sc_ws(&s);
		if (!sc_dec(&s, &id) || !sc_lit(&s, ":"))
			return 0;
		sc_ws(&s);
		if (!mem_bracket(&s, &a, &z))
			return -1;
		snprintf(name, sizeof name, "node %llu", (unsigned long long)id);
	} else if (sc_lit(&s, "Initmem setup node ")) {
		if (!sc_dec(&s, &id))
			return -1;
		sc_ws(&s);
		if (!mem_bracket(&s, &a, &z))
			return -1;
		snprintf(name, sizeof name, "node %llu (all of it)",
			 (unsigned long long)id);
	} else if (sc_lit(&s, "Faking a node at ")) {
		if (!mem_bracket(&s, &a, &z))
			return -1;
		snprintf(name, sizeof name, "fake node");
	} else if (sc_lit(&s, "Faking node ")) {
		if (!sc_dec(&s, &id) || !sc_lit(&s, " at "))
			return -1;
		if (!mem_bracket(&s, &a, &z))
			return -1;
		snprintf(name, sizeof name, "fake node %llu", (unsigned long long)id);
	} else {
		return 0;
	}
	bl_add(b, KSPACE_PHYS, KR_NODE, a, z, name);
	return 1;
}

/* 2.6-era "early_node_map" lines: "    0:        0 ->   131052" (PFNs). */
static int bl_oldnode(struct bl *b, const char *m, const char *me)
{
	struct sc s = { m, me };
	uint64_t id, a, z;
	char name[32];

	sc_ws(&s);
	if (!sc_dec(&s, &id) || !sc_lit(&s, ":"))
		return 0;
	sc_ws(&s);
	if (!sc_dec(&s, &a))
		return 0;
	sc_ws(&s);
	if (!sc_lit(&s, "->"))
		return 0;
	sc_ws(&s);
	if (!sc_dec(&s, &z) || z > (UINT64_MAX >> b->k->page_shift))
		return -1;
	snprintf(name, sizeof name, "node %llu", (unsigned long long)id);
	if (z > a)
		bl_add(b, KSPACE_PHYS, KR_NODE, a << b->k->page_shift,
		       z << b->k->page_shift, name);
	return 1;
}

/* PCI windows, the e820 gap for PCI, ECAM/MMCONFIG, ACPI tables. */
static int bl_pci_acpi(struct bl *b, const char *m, const char *me)
{
	struct sc s = { m, me };
	uint64_t a, z;
	const char *q;
	char name[96];

	if (sc_lit(&s, "e820: "))
		sc_ws(&s);
	if (s.p < s.e && *s.p == '[' && find(s.p, s.e, "] available for PCI devices")) {
		if (!mem_bracket(&s, &a, &z))
			return -1;
		bl_add(b, KSPACE_PHYS, KR_BUS, a, z, "gap for PCI devices");
		return 1;
	}
	s.p = m;
	/* "pci_bus 0000:00: root bus resource [mem 0xc0001000-0xeebfffff window]" */
	if (sc_lit(&s, "pci_bus ") && (q = find(s.p, s.e, ": root bus resource [mem ")) &&
	    q - s.p < 16) {
		char bus[16];

		copy_trim(bus, sizeof bus, s.p, q);
		s.p = q + strlen(": root bus resource ");
		{
			const char *close = memchr(s.p, ']', (size_t)(s.e - s.p));
			bool window = close && find(s.p, close, " window");

			if (!mem_bracket(&s, &a, &z))
				return -1;
			snprintf(name, sizeof name, "PCI bus %s%s", bus,
				 window ? " window" : "");
		}
		bl_add(b, KSPACE_PHYS, KR_BUS, a, z, name);
		return 1;
	}
	s.p = m;
	/* "PCI: ECAM [mem 0xeec00000-0xeecfffff] (base 0xeec00000) for domain ..."
	 * "PCI: MMCONFIG for domain 0000 [bus 00-ff] at [mem 0x..-0x..] (base ..)" */
	if (sc_lit(&s, "PCI: ECAM ") || (s.p = m, sc_lit(&s, "PCI: MMCONFIG for domain"))) {
		bool ecam = m[5] == 'E';

		q = find(s.p, s.e, "[mem ");
		if (!q)
			return 0;
		s.p = q;
		if (!mem_bracket(&s, &a, &z))
			return -1;
		bl_add(b, KSPACE_PHYS, KR_DEVICE, a, z,
		       ecam ? "PCI ECAM" : "PCI MMCONFIG");
		return 1;
	}
	s.p = m;
	/* "ACPI: Reserving FACP table memory at [mem 0xa0c97-0xa0daa]" */
	if (sc_lit(&s, "ACPI: Reserving ") && (q = find(s.p, s.e, " table memory at "))) {
		char tbl[16];

		copy_trim(tbl, sizeof tbl, s.p, q);
		s.p = q + strlen(" table memory at ");
		if (!mem_bracket(&s, &a, &z))
			return -1;
		snprintf(name, sizeof name, "ACPI %s table", tbl);
		bl_add(b, KSPACE_PHYS, KR_ACPI, a, z, name);
		return 1;
	}
	return 0;
}

static void bl_cmdline(struct bl *b, const char *m, const char *me)
{
	struct sc s = { m, me };
	struct kranges *k = b->k;

	if (!sc_lit(&s, "Command line: ") &&
	    !(s.p = m, sc_lit(&s, "Kernel command line: ")))
		return;
	if (!k->cmdline) {
		k->cmdline = malloc((size_t)(s.e - s.p) + 1);
		if (k->cmdline) {
			memcpy(k->cmdline, s.p, (size_t)(s.e - s.p));
			k->cmdline[s.e - s.p] = '\0';
			k->cmdline_src = KSRC_BOOTLOG;
		}
	}
	b->added += kranges_parse_cmdline(k, s.p, (size_t)(s.e - s.p),
					  KSRC_BOOTLOG, b->line);
	b->used++;
}

static void bl_version(struct bl *b, const char *m, const char *me)
{
	struct sc s = { m, me };
	const char *v;

	if (!sc_lit(&s, "Linux version "))
		return;
	v = s.p;
	while (s.p < s.e && *s.p != ' ')
		s.p++;
	if (!b->k->bootlog_kernel[0])
		copy_trim(b->k->bootlog_kernel, sizeof b->k->bootlog_kernel, v, s.p);
	b->used++;
}

static void bl_line(struct bl *b, const char *lp, const char *le)
{
	const char *m, *me = le;
	int r;
	struct sc s;

	bl_message(lp, le, &m);
	b->raw = lp;
	b->rawe = le;
	/* blocks: the layout, zones, old node map */
	{
		struct sc h = { m, me };

		sc_ws(&h);
		if (sc_lit_ci(&h, "Virtual kernel memory layout:")) {
			b->in_layout = 1;
			b->layout_last[0] = '\0';
			b->used++;
			return;
		}
		h.p = m;
		sc_ws(&h);
		if (sc_lit(&h, "Zone ranges:")) {
			b->in_zones = 1;
			b->used++;
			return;
		}
		if (sc_lit(&h, "Zone PFN ranges:")) {
			b->in_zones = 2;
			b->used++;
			return;
		}
		if ((h.p = m, sc_ws(&h), sc_lit(&h, "early_node_map[")) &&
		    find(h.p, h.e, "active PFN ranges")) {
			b->in_oldnodes = 1;
			b->used++;
			return;
		}
	}
	r = bl_layout(b, m, me);
	if (r) {
		b->used++;
		return;
	}
	if (b->in_zones) {
		r = bl_zone(b, m, me);
		if (r < 0)
			bl_skip(b, "zone range cut short or garbled");
		if (r) {
			b->used++;
			return;
		}
		b->in_zones = 0;
	}
	if (b->in_oldnodes) {
		r = bl_oldnode(b, m, me);
		if (r < 0)
			bl_skip(b, "node range cut short or garbled");
		if (r) {
			b->used++;
			return;
		}
		b->in_oldnodes = 0;
	}
	s.p = m;
	s.e = me;
	sc_ws(&s);
	r = bl_e820(b, s.p, me);
	if (r < 0)
		bl_skip(b, "e820 entry cut short or garbled");
	if (r)
		goto used;
	r = bl_mips_mem(b, s.p, me);
	if (r < 0)
		bl_skip(b, "memory map entry cut short or garbled");
	if (r)
		goto used;
	r = bl_reserved(b, s.p, me);
	if (r < 0)
		bl_skip(b, "reserved-memory line cut short or garbled");
	if (r)
		goto used;
	r = bl_node(b, s.p, me);
	if (r < 0)
		bl_skip(b, "node range cut short or garbled");
	if (r)
		goto used;
	r = bl_pci_acpi(b, s.p, me);
	if (r < 0)
		bl_skip(b, "address range cut short or garbled");
	if (r)
		goto used;
	bl_cmdline(b, s.p, me);
	bl_memory(b, s.p, me);
	bl_version(b, s.p, me);
	return;
used:
	b->used++;
}

int kranges_parse_bootlog(struct kranges *k, const char *text, size_t len)
{
	const char *pos = text, *end = text + len, *lp, *le;
	struct bl b;
	unsigned versions = 0;

	memset(&b, 0, sizeof b);
	b.k = k;
	b.pool = -1;
	while (next_line(&pos, end, &lp, &le, &b.terminated)) {
		unsigned before = k->skipped, used = b.used;

		b.line++;
		if (find(lp, le, "Linux version "))
			versions++;
		bl_line(&b, lp, le);
		if (b.terminated)
			continue;
		/* the log was cut in this line: what it held is lost */
		if (k->skipped > before && k->nskip &&
		    k->skip[k->nskip - 1].line == b.line)
			snprintf(k->skip[k->nskip - 1].reason,
				 sizeof k->skip[0].reason,
				 "last line, cut off (no newline)");
		else if (b.used == used && le > lp)
			kranges_skip(k, b.line, "last line, cut off (no newline)",
				     lp, (size_t)(le - lp));
		kranges_note(k, "the boot log ends in the middle of line %u (no newline): it was cut there",
			     b.line);
	}
	k->sources[KSRC_BOOTLOG].lines = b.line;
	if (versions > 1)
		kranges_note(k, "the boot log holds %u boots (\"Linux version\" %u times): ranges of all of them are shown",
			     versions, versions);
	return k->oom ? -1 : b.added;
}

/* ---- the command line ---- */

/* The kernel's memparse: a number (0x hex, 0 octal, decimal) and an
 * optional K M G T P E suffix. */
static bool memparse(const char **p, const char *e, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	unsigned base = 10, shift = 0;
	int d;

	if (s >= e)
		return false;
	if (e - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    e - s > 2 && hexval((unsigned char)s[2]) >= 0) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && e - s > 1 && s[1] >= '0' && s[1] <= '7') {
		base = 8;
		s++;
	}
	if (s >= e || (d = hexval((unsigned char)*s)) < 0 || (unsigned)d >= base)
		return false;
	while (s < e && (d = hexval((unsigned char)*s)) >= 0 && (unsigned)d < base) {
		if (x > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		x = x * base + (uint64_t)d;
		s++;
	}
	if (s < e) {
		switch (*s) {
		case 'E': case 'e': shift = 60; break;
		case 'P': case 'p': shift = 50; break;
		case 'T': case 't': shift = 40; break;
		case 'G': case 'g': shift = 30; break;
		case 'M': case 'm': shift = 20; break;
		case 'K': case 'k': shift = 10; break;
		}
		if (shift)
			s++;
	}
	if (shift && x > (UINT64_MAX >> shift))
		return false;
	*v = x << shift;
	*p = s;
	return true;
}

static void set_limit(struct kranges *k, uint64_t v, const char *tok,
		      const char *te, enum ksrc src, unsigned line)
{
	if (k->mem_limit && k->mem_limit <= v)
		return;
	k->mem_limit = v;
	k->mem_limit_src = src;
	k->mem_limit_line = line;
	free(k->mem_limit_text);
	k->mem_limit_text = malloc((size_t)(te - tok) + 1);
	if (k->mem_limit_text) {
		memcpy(k->mem_limit_text, tok, (size_t)(te - tok));
		k->mem_limit_text[te - tok] = '\0';
	}
}

/* One item of memmap= ("8G$4G") or the value of mem=. */
static int cmd_item(struct kranges *k, bool is_mem, const char *p,
		    const char *e, enum ksrc src, unsigned line,
		    const char *tok, const char *toke)
{
	const char *q = p;
	uint64_t size, at;
	char op, name[128], item[96];
	enum krange_kind kind;
	const char *what;

	copy_trim(item, sizeof item, p, e);
	if (!strcmp(item, "exactmap") || !strcmp(item, "nomap"))
		return 0;
	if (!memparse(&q, e, &size))
		return 0;
	if (q == e) {
		char t[128];

		snprintf(t, sizeof t, "%s=%s", is_mem ? "mem" : "memmap", item);
		set_limit(k, size, t, t + strlen(t), src, line);
		(void)tok;
		(void)toke;
		return 0;
	}
	op = *q++;
	if (op == '\\' && q < e && *q == '$')
		op = *q++;
	if (!memparse(&q, e, &at) || at > UINT64_MAX - size)
		return 0;
	switch (op) {
	case '@': kind = KR_RAM; what = "RAM by"; break;
	case '#': kind = KR_ACPI; what = "ACPI data by"; break;
	case '$': kind = KR_CARVEOUT; what = "reserved by"; break;
	case '!': kind = KR_PMEM; what = "persistent memory by"; break;
	default: return 0;
	}
	if (is_mem && op != '@')
		return 0;
	snprintf(name, sizeof name, "%s %s=%s", what, is_mem ? "mem" : "memmap",
		 item);
	return kranges_add(k, KSPACE_PHYS, kind, at, at + size, name, src, line,
			   tok, (size_t)(toke - tok)) >= 0;
}

int kranges_parse_cmdline(struct kranges *k, const char *text, size_t len,
			  enum ksrc src, unsigned line)
{
	const char *p = text, *e = text + len;
	int added = 0;

	while (p < e) {
		const char *tok, *te;
		bool is_mem;

		while (p < e && isspace((unsigned char)*p))
			p++;
		tok = p;
		while (p < e && !isspace((unsigned char)*p))
			p++;
		te = p;
		if (te - tok == 2 && !memcmp(tok, "--", 2))
			break; /* the rest is for init */
		if ((size_t)(te - tok) > 7 && !memcmp(tok, "memmap=", 7))
			is_mem = false;
		else if ((size_t)(te - tok) > 4 && !memcmp(tok, "mem=", 4))
			is_mem = true;
		else
			continue;
		{
			const char *v = tok + (is_mem ? 4 : 7), *c;

			if (*v == '"')
				v++;
			while (v < te) {
				const char *ie;

				c = memchr(v, ',', (size_t)(te - v));
				ie = c ? c : te;
				if (ie > v && ie[-1] == '"')
					ie--;
				added += cmd_item(k, is_mem, v, ie, src, line, tok, te);
				if (!c)
					break;
				v = c + 1;
			}
		}
	}
	return k->oom ? -1 : added;
}

/* ---- /proc/iomem and the firmware memmap ---- */

static enum krange_kind resource_kind(const char *n)
{
	if (!strcmp(n, "System RAM"))
		return KR_RAM;
	if (!strncmp(n, "Kernel ", 7))
		return KR_KERNEL;
	if (!strncasecmp(n, "reserved", 8) || !strcmp(n, "Soft Reserved"))
		return KR_RESERVED;
	if (!strncmp(n, "ACPI ", 5))
		return KR_ACPI;
	if (!strncmp(n, "Persistent Memory", 17))
		return KR_PMEM;
	if (!strcmp(n, "Crash kernel"))
		return KR_CARVEOUT;
	if (!strncmp(n, "Unusable", 8))
		return KR_UNUSABLE;
	if (!strncmp(n, "PCI Bus", 7))
		return KR_BUS;
	return KR_DEVICE;
}

int kranges_parse_iomem(struct kranges *k, const char *text, size_t len)
{
	const char *pos = text, *end = text + len, *lp, *le;
	unsigned line = 0, zero = 0, entries = 0;
	int added = 0;
	bool term;

	/* two passes: first see whether the addresses are there at all */
	while (next_line(&pos, end, &lp, &le, &term)) {
		struct sc s = { lp, le };
		uint64_t a, z;

		sc_ws(&s);
		if (!sc_hexdigits(&s, &a) || !sc_lit(&s, "-") || !sc_hexdigits(&s, &z))
			continue;
		entries++;
		if (a == 0 && z == 0)
			zero++;
	}
	if (entries && zero == entries) {
		kranges_hide(k, KSRC_IOMEM, 1, "physical addresses of /proc/iomem",
			     "every address reads 0: /proc/iomem shows addresses only to root (CAP_SYS_ADMIN); run vmscope with sudo", entries);
		k->sources[KSRC_IOMEM].lines = entries;
		return 0;
	}
	pos = text;
	while (next_line(&pos, end, &lp, &le, &term)) {
		struct sc s = { lp, le };
		uint64_t a, z;
		char name[128];

		line++;
		sc_ws(&s);
		if (!sc_hexdigits(&s, &a) || !sc_lit(&s, "-") || !sc_hexdigits(&s, &z) ||
		    z < a)
			continue;
		sc_ws(&s);
		if (!sc_lit(&s, ":"))
			continue;
		copy_trim(name, sizeof name, s.p, s.e);
		if (kranges_add(k, KSPACE_PHYS, resource_kind(name), a, excl(z),
				name, KSRC_IOMEM, line, lp, (size_t)(le - lp)) >= 0)
			added++;
	}
	k->sources[KSRC_IOMEM].lines = line;
	return k->oom ? -1 : added;
}

int kranges_parse_fw_memmap(struct kranges *k, unsigned index,
			    const char *start, const char *end,
			    const char *type)
{
	struct sc s = { start, start + strlen(start) }, t = { end, end + strlen(end) };
	uint64_t a, z;
	char name[96], text[192];

	sc_ws(&s);
	sc_ws(&t);
	if (!sc_hex(&s, &a) || !sc_hex(&t, &z) || z < a)
		return 0;
	copy_trim(name, sizeof name, type, type + strlen(type));
	snprintf(text, sizeof text, "start 0x%llx end 0x%llx type %s",
		 (unsigned long long)a, (unsigned long long)z, name);
	return kranges_add(k, KSPACE_PHYS, resource_kind(name), a, excl(z),
			   name, KSRC_FW_MEMMAP, index + 1, text,
			   strlen(text)) >= 0;
}

/* ---- /proc/vmallocinfo ---- */

int kranges_parse_vmallocinfo(struct kranges *k, const char *text,
			      size_t len, unsigned addr_bits,
			      unsigned page_size)
{
	const char *pos = text, *end = text + len, *lp, *le;
	unsigned line = 0, hashed = 0, first_hashed = 0;
	int added = 0;
	bool term;

	while (next_line(&pos, end, &lp, &le, &term)) {
		struct sc s = { lp, le };
		uint64_t a, z, size, phys, len2;
		const char *cp, *ce, *q;
		char caller[96], name[160];
		bool hidden;

		line++;
		if (!sc_hex0x(&s, &a) || !sc_lit(&s, "-") || !sc_hex0x(&s, &z))
			continue;
		sc_ws(&s);
		if (!sc_dec(&s, &size))
			continue;
		hidden = (z > a ? z - a : 0) != size ||
			 (addr_bits >= 64 && !(a >> 63));
		if (hidden) {
			if (!hashed)
				first_hashed = line;
			hashed++;
		}
		q = find(s.p, le, " phys=0x");
		if (!q)
			continue;
		{
			struct sc t = { q + 6, le };

			if (!sc_hex0x(&t, &phys))
				continue;
		}
		sc_ws(&s);
		cp = s.p;
		ce = cp;
		while (ce < le && *ce != ' ' && *ce != '+')
			ce++;
		if (ce == cp || !strncmp(cp, "phys=", 5) || !strncmp(cp, "pages=", 6))
			snprintf(caller, sizeof caller, "?");
		else
			copy_trim(caller, sizeof caller, cp, ce);
		/* the size counts a guard page after the area */
		len2 = size > page_size ? size - page_size : size;
		if (phys > UINT64_MAX - len2)
			continue;
		snprintf(name, sizeof name, "ioremap by %s", caller);
		if (kranges_add(k, KSPACE_PHYS, KR_IOREMAP, phys, phys + len2,
				name, KSRC_VMALLOCINFO, line, lp,
				(size_t)(le - lp)) >= 0)
			added++;
		if (!hidden) {
			snprintf(name, sizeof name, "ioremap of 0x%llx by %s",
				 (unsigned long long)phys, caller);
			if (kranges_add(k, KSPACE_VIRT, KR_IOREMAP, a, a + len2,
					name, KSRC_VMALLOCINFO, line, lp,
					(size_t)(le - lp)) >= 0)
				added++;
		}
	}
	if (hashed) {
		kranges_hide(k, KSRC_VMALLOCINFO, first_hashed,
			     "virtual addresses of vmalloc/ioremap areas",
			     "hashed by %pK (the kernel prints hashed pointers unless kptr_restrict is 1 and the reader has CAP_SYSLOG): the phys= of ioremaps is real and used", hashed);
	}
	k->sources[KSRC_VMALLOCINFO].lines = line;
	return k->oom ? -1 : added;
}

/* ---- /proc/kallsyms and /proc/modules ---- */

enum {
	S_TEXT, S_STEXT, S_ETEXT, S_SRODATA, S_ERODATA, S_INITB, S_INITE,
	S_SINIT, S_EINIT, S_SDATA, S_EDATA, S_BSSB, S_BSSE, S_END, S__N
};

static const char *const sym_names[S__N] = {
	"_text", "_stext", "_etext", "__start_rodata", "__end_rodata",
	"__init_begin", "__init_end", "_sinittext", "_einittext", "_sdata",
	"_edata", "__bss_start", "__bss_stop", "_end",
};

bool kranges_kallsyms_wanted(const char *line, size_t len)
{
	const char *end = line + len, *name = memchr(line, ' ', len);
	size_t nlen, i;

	/* "ADDR T NAME"; a module's symbol adds "\t[mod]" and is not wanted */
	if (!name || name + 3 >= end || name[2] != ' ')
		return false;
	name += 3;
	nlen = (size_t)(end - name);
	for (i = 0; i < S__N; i++)
		if (strlen(sym_names[i]) == nlen && !memcmp(name, sym_names[i], nlen))
			return true;
	return false;
}

int kranges_parse_kallsyms(struct kranges *k, const char *text, size_t len)
{
	const char *pos = text, *end = text + len, *lp, *le;
	uint64_t addr[S__N];
	unsigned lineof[S__N], line = 0, zero = 0, nsym = 0;
	bool have[S__N] = { false };
	static const struct { int a, b; const char *name; } sec[] = {
		{ S_TEXT, S_ETEXT, ".text" }, { S_SRODATA, S_ERODATA, ".rodata" },
		{ S_INITB, S_INITE, ".init" }, { S_SINIT, S_EINIT, ".init.text" },
		{ S_SDATA, S_EDATA, ".data" }, { S_BSSB, S_BSSE, ".bss" },
		{ S_TEXT, S_END, "kernel image" },
	};
	int added = 0, i;
	size_t j;
	bool term;

	while (next_line(&pos, end, &lp, &le, &term)) {
		struct sc s = { lp, le };
		uint64_t a;
		const char *np, *ne;

		line++;
		if (!sc_hexdigits(&s, &a) || !sc_lit(&s, " ") || s.p >= s.e)
			continue;
		s.p++;
		if (!sc_lit(&s, " "))
			continue;
		np = s.p;
		ne = s.p;
		while (ne < le && *ne != ' ' && *ne != '\t')
			ne++;
		if (ne < le) /* a module's symbol: "[mod]" follows */
			continue;
		nsym++;
		if (a == 0)
			zero++;
		for (i = 0; i < S__N; i++) {
			if (have[i] || (size_t)(ne - np) != strlen(sym_names[i]) ||
			    memcmp(np, sym_names[i], (size_t)(ne - np)))
				continue;
			have[i] = true;
			addr[i] = a;
			lineof[i] = line;
		}
	}
	k->sources[KSRC_KALLSYMS].lines = line;
	if (nsym && zero == nsym) {
		kranges_hide(k, KSRC_KALLSYMS, 1, "kernel symbol addresses",
			     "every address reads 0: kptr_restrict hides them from this reader (root sees them when kptr_restrict is 0 or 1)", nsym);
		return 0;
	}
	if (!have[S_TEXT] && have[S_STEXT]) {
		have[S_TEXT] = true;
		addr[S_TEXT] = addr[S_STEXT];
		lineof[S_TEXT] = lineof[S_STEXT];
	}
	if (have[S_TEXT] && addr[S_TEXT]) {
		k->have_ksym_text = true;
		k->ksym_text = addr[S_TEXT];
	}
	for (j = 0; j < sizeof sec / sizeof sec[0]; j++) {
		int a = sec[j].a, b = sec[j].b;
		char t[96];

		if (!have[a] || !have[b] || addr[b] <= addr[a] || !addr[a])
			continue;
		snprintf(t, sizeof t, "%s 0x%llx .. %s 0x%llx", sym_names[a],
			 (unsigned long long)addr[a], sym_names[b],
			 (unsigned long long)addr[b]);
		if (kranges_add(k, KSPACE_VIRT, KR_VIMAGE, addr[a], addr[b],
				sec[j].name, KSRC_KALLSYMS, lineof[a], t,
				strlen(t)) >= 0)
			added++;
	}
	return k->oom ? -1 : added;
}

int kranges_parse_modules(struct kranges *k, const char *text, size_t len)
{
	const char *pos = text, *end = text + len, *lp, *le;
	unsigned line = 0, hidden = 0;
	int added = 0;
	bool term;

	while (next_line(&pos, end, &lp, &le, &term)) {
		const char *f[7], *fe[7];
		int nf = 0;
		const char *p = lp;
		uint64_t size = 0, base = 0;
		char name[96], mod[64];

		line++;
		while (p < le && nf < 7) {
			while (p < le && *p == ' ')
				p++;
			if (p >= le)
				break;
			f[nf] = p;
			while (p < le && *p != ' ')
				p++;
			fe[nf++] = p;
		}
		if (nf < 6)
			continue;
		{
			struct sc a = { f[1], fe[1] }, b = { f[5], fe[5] };

			if (!sc_dec(&a, &size) || !sc_hex0x(&b, &base))
				continue;
		}
		if (base == 0) {
			hidden++;
			continue;
		}
		copy_trim(mod, sizeof mod, f[0], fe[0]);
		snprintf(name, sizeof name, "module %s", mod);
		if (base <= UINT64_MAX - size &&
		    kranges_add(k, KSPACE_VIRT, KR_MODULE, base, base + size, name,
				KSRC_MODULES, line, lp, (size_t)(le - lp)) >= 0)
			added++;
	}
	if (hidden) {
		kranges_hide(k, KSRC_MODULES, 1, "module addresses",
			     "/proc/modules shows 0x0 for every address: kptr_restrict hides them from this reader", hidden);
	}
	k->sources[KSRC_MODULES].lines = line;
	return k->oom ? -1 : added;
}
