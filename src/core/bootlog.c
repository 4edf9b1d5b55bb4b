/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bootlog: kranges_parse_bootlog, the boot log parser.  A line at a time:
 * the kernel's message is found behind its prefixes (levels, timestamps,
 * syslog), then the blocks that span lines (the virtual layout, zones,
 * the old node map) and the one-line forms (bootlog_memmap.c,
 * bootlog_reserved.c; the command line, the "Memory:" summary and the
 * kernel release here).  Text in, ranges out: no files. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bootlog.h"
#include "scan.h"

int bootlog_add(struct bootlog *b, enum krange_space sp,
		enum krange_kind kind, uint64_t s, uint64_t t,
		const char *name)
{
	int i = kranges_add(b->k, sp, kind, s, t, name, KSRC_BOOTLOG, b->line,
			    b->raw, (size_t)(b->rawe - b->raw));

	if (i >= 0)
		b->added++;
	return i;
}

int bootlog_add_last(struct bootlog *b, enum krange_space sp,
		     enum krange_kind kind, uint64_t s, uint64_t last,
		     const char *name)
{
	int i = kranges_add_last(b->k, sp, kind, s, last, name, KSRC_BOOTLOG,
				 b->line, b->raw, (size_t)(b->rawe - b->raw));

	if (i >= 0)
		b->added++;
	return i;
}

void bootlog_skip(struct bootlog *b, const char *reason)
{
	kranges_skip(b->k, b->line, reason, b->raw, (size_t)(b->rawe - b->raw));
}

/* Strip what surrounds the kernel's message: a "<6>" level, a /dev/kmsg
 * record header "6,123,4567,-;", a syslog or journal prefix before the
 * "[ timestamp]", the timestamp and a caller id "[  T1]". */
bool bootlog_message(const char *p, const char *e, const char **mp)
{
	struct scan s = { p, e };
	const char *q, *lim;
	uint64_t v;
	bool prefixed;

	if (s.p < s.e && *s.p == '<') {
		struct scan t = s;

		t.p++;
		if (scan_dec(&t, &v) && scan_lit(&t, ">"))
			s = t;
	}
	prefixed = s.p != p;
	{
		struct scan t = s;
		uint64_t a, b2, c;

		if (scan_dec(&t, &a) && scan_lit(&t, ",") && scan_dec(&t, &b2) &&
		    scan_lit(&t, ",") && scan_dec(&t, &c) && scan_lit(&t, ",")) {
			const char *semi = memchr(t.p, ';', (size_t)(t.e - t.p));

			if (semi && semi - t.p < 16) {
				*mp = semi + 1;
				return true;
			}
		}
	}
	lim = s.p + 120 < s.e ? s.p + 120 : s.e;
	for (q = s.p; q < lim; q++) {
		struct scan t;

		if (*q != '[')
			continue;
		t.p = q + 1;
		t.e = s.e;
		scan_ws(&t);
		if (!scan_dec(&t, &v) || !scan_lit(&t, "."))
			continue;
		if (!scan_dec(&t, &v))
			continue;
		scan_ws(&t);
		if (!scan_lit(&t, "]"))
			continue;
		/* a caller id: "[    T1]" or "[  C0]" */
		{
			struct scan u = t;

			scan_ws(&u);
			if (scan_lit(&u, "[")) {
				scan_ws(&u);
				if ((scan_lit(&u, "T") || scan_lit(&u, "C")) &&
				    scan_dec(&u, &v) && scan_lit(&u, "]"))
					t = u;
			}
		}
		if (t.p < t.e && *t.p == ' ')
			t.p++;
		*mp = t.p;
		return true;
	}
	/* journalctl -k without timestamps: "Nov 21 19:18:33 host kernel: " */
	q = scan_find(s.p, lim, " kernel: ");
	if (q) {
		*mp = q + strlen(" kernel: ");
		return true;
	}
	*mp = s.p;
	return prefixed;
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
static int layout_addr(struct scan *s, uint64_t *v)
{
	if (!scan_lit(s, "0x"))
		return 0;
	scan_ws(s);
	if (scan_lit(s, "(ptrval)") || scan_lit(s, "(____ptrval____)") ||
	    scan_lit(s, "(null)"))
		return 2;
	return scan_hexdigits(s, v) ? 1 : 0;
}

/* PowerPC's "  * 0xfffdf000..0xfffff000  : fixmap" (32-bit, the name
 * last, never hashed: %08lx).  1 entry, 0 not one, -1 garbled. */
static int layout_entry_ppc(struct scan *s, char *name, size_t nn,
			    uint64_t *start, uint64_t *end)
{
	if (!scan_lit(s, "* 0x"))
		return 0;
	s->p -= 2;
	if (!scan_hex0x(s, start) || !scan_lit(s, "..") || !scan_hex0x(s, end))
		return -1;
	scan_ws(s);
	if (!scan_lit(s, ":"))
		return -1;
	scan_copy_trim(name, nn, s->p, s->e);
	return name[0] ? 1 : -1;
}

/* "    vmalloc : 0xf0800000 - 0xff800000   ( 240 MB)", arm64's second
 * vmemmap line "0x... - 0x... (125 MB actual)".  1 entry, 0 not an entry,
 * -1 an entry that cannot be read. */
static int layout_entry(const char *m, const char *me, char *name, size_t nn,
			uint64_t *start, uint64_t *end, bool *hashed,
			bool *cont)
{
	struct scan s = { m, me };
	const char *np, *colon;
	int r1, r2;

	*hashed = false;
	*cont = false;
	name[0] = '\0';
	scan_ws(&s);
	if (s.p < s.e && *s.p == '*')
		return layout_entry_ppc(&s, name, nn, start, end);
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
		scan_copy_trim(name, nn, np, colon);
		if (!name[0])
			return 0;
		s.p++;
		scan_ws(&s);
		if (s.e - s.p < 2 || s.p[0] != '0' || s.p[1] != 'x')
			return 0;
	}
	r1 = layout_addr(&s, start);
	if (!r1)
		return -1;
	scan_ws(&s);
	if (!scan_lit(&s, "-"))
		return -1;
	scan_ws(&s);
	r2 = layout_addr(&s, end);
	if (!r2)
		return -1;
	scan_ws(&s);
	if (!scan_lit(&s, "("))
		return -1;  /* cut before its size: the end may be cut too */
	*hashed = r1 == 2 || r2 == 2;
	return 1;
}

static int bootlog_layout(struct bootlog *b, const char *m, const char *me)
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
		bootlog_skip(b, "layout entry cut short or garbled");
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
	/* a 32-bit area that ends at the top of the space prints its end
	 * as 0 (RISC-V's "lowmem : 0xc0000000 - 0x00000000") */
	if (t == 0 && s > 0 && s <= UINT32_MAX)
		t = (uint64_t)UINT32_MAX + 1;
	if (t == s)
		return 1;  /* an empty area (PowerPC's early ioremap, all used) */
	if (t < s) {
		bootlog_skip(b, "layout entry whose end is not above its start");
		return 1;
	}
	/* RISC-V's "kernel" is the area the image is mapped in, 2 GiB up
	 * to the last address, printed inclusive as ADDRESS_SPACE_END: an
	 * end of 0xffffffffffffffff is that, the top of the space (no
	 * area ends one byte short of it) */
	if (t == UINT64_MAX)
		bootlog_add_last(b, KSPACE_VIRT, full[0] == '.' ? KR_VIMAGE :
				 KR_VAREA, s, t, full);
	else
		bootlog_add(b, KSPACE_VIRT, full[0] == '.' ? KR_VIMAGE : KR_VAREA,
			    s, t, full);
	return 1;
}

/* "Memory: 3218172K/25165432K available (18478K kernel code, ...)". */
static void bootlog_memory(struct bootlog *b, const char *m, const char *me)
{
	struct kmem_summary *ms = &b->k->mem;
	struct scan s = { m, me };
	unsigned overflows = scan_overflows();
	uint64_t a, t;

	if (ms->present)
		return;
	if (!scan_lit(&s, "Memory: ") || !scan_find(s.p, s.e, "available"))
		return;
	scan_ws(&s);
	if (!scan_dec(&s, &a) || !(scan_lit(&s, "K") || scan_lit(&s, "k")))
		return;
	ms->available_kib = a;
	if (scan_lit(&s, "/") && scan_dec(&s, &t) && (scan_lit(&s, "K") || scan_lit(&s, "k")))
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
		if (!scan_dec(&s, &v))
			break;
		if (!(scan_lit(&s, "K") || scan_lit(&s, "k")))
			continue;
		if (!scan_lit(&s, " "))
			continue;
		lp = s.p;
		while (s.p < s.e && *s.p != ',' && *s.p != ')')
			s.p++;
		scan_copy_trim(ms->item[ms->nitems].label, sizeof ms->item[0].label,
			  lp, s.p);
		if (!strcmp(ms->item[ms->nitems].label, "available"))
			continue;
		ms->item[ms->nitems].kib = v;
		ms->nitems++;
	}
	if (scan_overflows() != overflows) {  /* none of it, then */
		free(ms->text);
		memset(ms, 0, sizeof *ms);
		return;
	}
	b->used++;
}

static void bootlog_cmdline(struct bootlog *b, const char *m, const char *me)
{
	struct scan s = { m, me };
	struct kranges *k = b->k;

	if (!scan_lit(&s, "Command line: ") &&
	    !(s.p = m, scan_lit(&s, "Kernel command line: ")))
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

static void bootlog_version(struct bootlog *b, const char *m, const char *me)
{
	struct scan s = { m, me };
	const char *v;

	if (!scan_lit(&s, "Linux version ")) {
		/* behind serial-console garbage or a boot loader's last words:
		 * only the banner's own form, "Linux version 4.14.0 (user@host)" */
		const char *q = scan_find(m, me, "Linux version ");
		const char *sp, *close;

		if (!q)
			return;
		s.p = q + strlen("Linux version ");
		sp = memchr(s.p, ' ', (size_t)(s.e - s.p));
		if (!sp || !isdigit((unsigned char)*s.p) || sp + 2 > s.e ||
		    sp[1] != '(' || !(close = memchr(sp, ')', (size_t)(s.e - sp))) ||
		    !memchr(sp, '@', (size_t)(close - sp)))
			return;
	}
	v = s.p;
	while (s.p < s.e && *s.p != ' ')
		s.p++;
	if (!b->k->bootlog_kernel[0])
		scan_copy_trim(b->k->bootlog_kernel, sizeof b->k->bootlog_kernel, v, s.p);
	b->used++;
}

/* A line that starts a block: the layout, zones, the old node map. */
static bool bootlog_block_start(struct bootlog *b, const char *m,
				const char *me)
{
	struct scan h = { m, me };

	scan_ws(&h);
	if (scan_lit_ci(&h, "Virtual kernel memory layout:") ||
	    (h.p = m, scan_ws(&h), scan_lit(&h, "Kernel virtual memory layout:"))) {
		b->in_layout = 1;
		b->layout_last[0] = '\0';
		return true;
	}
	h.p = m;
	scan_ws(&h);
	if (scan_lit(&h, "Zone ranges:")) {
		b->in_zones = 1;
		return true;
	}
	if (scan_lit(&h, "Zone PFN ranges:")) {
		b->in_zones = 2;
		return true;
	}
	if ((h.p = m, scan_ws(&h), scan_lit(&h, "early_node_map[")) &&
	    scan_find(h.p, h.e, "active PFN ranges")) {
		b->in_oldnodes = 1;
		return true;
	}
	return false;
}

typedef int bootlog_form(struct bootlog *b, const char *m, const char *me);

/* Whether the message [m, me) is of the form parse reads; one that
 * is but cannot be read is recorded as garbled. */
static bool bootlog_try(struct bootlog *b, bootlog_form *parse,
			const char *garbled, const char *m, const char *me)
{
	int r = parse(b, m, me);

	if (r < 0)
		bootlog_skip(b, garbled);
	return r != 0;
}

/* A line of the zones or the old node map block, whose forms mean
 * something only there: true when it was one; a line that is not ends
 * the block. */
static bool bootlog_block_line(struct bootlog *b, const char *m,
			       const char *me)
{
	if (b->in_zones) {
		if (bootlog_try(b, bootlog_zone, "zone range cut short or garbled",
				m, me))
			return true;
		b->in_zones = 0;
	}
	if (b->in_oldnodes) {
		if (bootlog_try(b, bootlog_oldnode,
				"node range cut short or garbled", m, me))
			return true;
		b->in_oldnodes = 0;
	}
	return false;
}

/* The one-line forms, tried in this order, with what a line of that form
 * that cannot be read is recorded as. */
static const struct {
	bootlog_form *parse;
	const char *garbled;
} one_line_forms[] = {
	{ bootlog_e820, "e820 entry cut short or garbled" },
	{ bootlog_mips_mem, "memory map entry cut short or garbled" },
	{ bootlog_efi, "EFI memory map entry cut short or garbled" },
	{ bootlog_reserved, "reserved-memory line cut short or garbled" },
	{ bootlog_node, "node range cut short or garbled" },
	{ bootlog_pci_acpi, "address range cut short or garbled" },
};

/* The forms tried on the message [m, me) of a line. */
static void bootlog_forms(struct bootlog *b, const char *m, const char *me)
{
	struct scan s;
	size_t i;

	bootlog_arch_line(b->k, m, me);
	if (bootlog_block_start(b, m, me) || bootlog_layout(b, m, me) ||
	    bootlog_block_line(b, m, me)) {
		b->used++;
		return;
	}
	s.p = m;
	s.e = me;
	scan_ws(&s);
	for (i = 0; i < sizeof one_line_forms / sizeof one_line_forms[0]; i++) {
		if (bootlog_try(b, one_line_forms[i].parse,
				one_line_forms[i].garbled, s.p, me)) {
			b->used++;
			return;
		}
	}
	bootlog_cmdline(b, s.p, me);
	bootlog_memory(b, s.p, me);
	bootlog_version(b, s.p, me);
}

/* A number of the line too large for 64 bits makes the line an error,
 * named as such, whatever the form that met it would have called it. */
static void bootlog_too_large(struct bootlog *b, unsigned skipped)
{
	struct kranges *k = b->k;

	if (k->skipped > skipped && k->nskip && k->skip[k->nskip - 1].line == b->line)
		snprintf(k->skip[k->nskip - 1].reason, sizeof k->skip[0].reason,
			 "%s", BOOTLOG_TOO_LARGE);
	else
		bootlog_skip(b, BOOTLOG_TOO_LARGE);
}

void bootlog_line(struct bootlog *b, const char *lp, const char *le)
{
	const char *m;
	unsigned skipped = b->k->skipped, overflows;

	bootlog_message(lp, le, &m);  /* a prefix too large is no prefix */
	b->raw = lp;
	b->rawe = le;
	overflows = scan_overflows();
	bootlog_forms(b, m, le);
	if (scan_overflows() != overflows)
		bootlog_too_large(b, skipped);
}

int kranges_parse_bootlog(struct kranges *k, const char *text, size_t len)
{
	const char *pos = text, *end = text + len, *lp, *le, *np = NULL, *ne = NULL;
	struct bootlog b;
	unsigned versions = 0;
	bool have, next_term = false;

	memset(&b, 0, sizeof b);
	b.k = k;
	b.pool = -1;
	have = scan_next_line(&pos, end, &lp, &le, &b.terminated);
	while (have) {
		unsigned before = k->skipped, used = b.used;
		bool term = b.terminated;

		b.line++;
		np = NULL;
		if (scan_next_line(&pos, end, &np, &ne, &next_term) == false)
			np = NULL;
		if (scan_find(lp, le, "Linux version "))
			versions++;
		if (bootlog_step(&b, lp, le, np, ne)) {
			b.line++;
			term = next_term;
			np = NULL;
			have = scan_next_line(&pos, end, &lp, &le, &b.terminated);
		} else if (np) {
			lp = np;
			le = ne;
			b.terminated = next_term;
		} else {
			have = false;
		}
		if (term)
			continue;
		/* the log was cut in this line: what it held is lost */
		if (k->skipped > before && k->nskip &&
		    k->skip[k->nskip - 1].line == b.line)
			snprintf(k->skip[k->nskip - 1].reason,
				 sizeof k->skip[0].reason,
				 "last line, cut off (no newline)");
		else if (b.used == used && b.rawe > b.raw)
			kranges_skip(k, b.line, "last line, cut off (no newline)",
				     b.raw, (size_t)(b.rawe - b.raw));
		kranges_note(k, "the boot log ends in the middle of line %u (no newline): it was cut there",
			     b.line);
	}
	k->sources[KSRC_BOOTLOG].lines = b.line;
	if (versions > 1)
		kranges_note(k, "the boot log holds %u boots (\"Linux version\" %u times): ranges of all of them are shown",
			     versions, versions);
	bootlog_wrap_notes(&b);
	return k->oom ? -1 : b.added;
}
