/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kranges_proc: pure parsers of the /proc and /sys formats: the kernel
 * command line (memmap=, mem=), /proc/iomem, /sys/firmware/memmap,
 * /proc/vmallocinfo, /proc/kallsyms and /proc/modules.  Text in, ranges
 * out: no files, for tests and fuzzing.  Every parser reads only within
 * [text, text + len). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "vmscope/kranges.h"
#include "scan.h"

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
	    e - s > 2 && scan_hexval((unsigned char)s[2]) >= 0) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && e - s > 1 && s[1] >= '0' && s[1] <= '7') {
		base = 8;
		s++;
	}
	if (s >= e || (d = scan_hexval((unsigned char)*s)) < 0 || (unsigned)d >= base)
		return false;
	while (s < e && (d = scan_hexval((unsigned char)*s)) >= 0 && (unsigned)d < base) {
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

	scan_copy_trim(item, sizeof item, p, e);
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
	while (scan_next_line(&pos, end, &lp, &le, &term)) {
		struct scan s = { lp, le };
		uint64_t a, z;

		scan_ws(&s);
		if (!scan_hexdigits(&s, &a) || !scan_lit(&s, "-") || !scan_hexdigits(&s, &z))
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
	while (scan_next_line(&pos, end, &lp, &le, &term)) {
		struct scan s = { lp, le };
		uint64_t a, z;
		char name[128];

		line++;
		scan_ws(&s);
		if (!scan_hexdigits(&s, &a) || !scan_lit(&s, "-") || !scan_hexdigits(&s, &z) ||
		    z < a)
			continue;
		scan_ws(&s);
		if (!scan_lit(&s, ":"))
			continue;
		scan_copy_trim(name, sizeof name, s.p, s.e);
		if (kranges_add_last(k, KSPACE_PHYS, resource_kind(name), a, z,
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
	struct scan s = { start, start + strlen(start) }, t = { end, end + strlen(end) };
	uint64_t a, z;
	char name[96], text[192];

	scan_ws(&s);
	scan_ws(&t);
	if (!scan_hex(&s, &a) || !scan_hex(&t, &z) || z < a)
		return 0;
	scan_copy_trim(name, sizeof name, type, type + strlen(type));
	snprintf(text, sizeof text, "start 0x%llx end 0x%llx type %s",
		 (unsigned long long)a, (unsigned long long)z, name);
	return kranges_add_last(k, KSPACE_PHYS, resource_kind(name), a, z,
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

	while (scan_next_line(&pos, end, &lp, &le, &term)) {
		struct scan s = { lp, le };
		uint64_t a, z, size, phys, len2;
		const char *cp, *ce, *q;
		char caller[96], name[160];
		bool hidden;

		line++;
		if (!scan_hex0x(&s, &a) || !scan_lit(&s, "-") || !scan_hex0x(&s, &z))
			continue;
		scan_ws(&s);
		if (!scan_dec(&s, &size))
			continue;
		hidden = (z > a ? z - a : 0) != size ||
			 (addr_bits >= 64 && !(a >> 63));
		if (hidden) {
			if (!hashed)
				first_hashed = line;
			hashed++;
		}
		q = scan_find(s.p, le, " phys=0x");
		if (!q)
			continue;
		{
			struct scan t = { q + 6, le };

			if (!scan_hex0x(&t, &phys))
				continue;
		}
		scan_ws(&s);
		cp = s.p;
		ce = cp;
		while (ce < le && *ce != ' ' && *ce != '+')
			ce++;
		if (ce == cp || !strncmp(cp, "phys=", 5) || !strncmp(cp, "pages=", 6))
			snprintf(caller, sizeof caller, "?");
		else
			scan_copy_trim(caller, sizeof caller, cp, ce);
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

	while (scan_next_line(&pos, end, &lp, &le, &term)) {
		struct scan s = { lp, le };
		uint64_t a;
		const char *np, *ne;

		line++;
		if (!scan_hexdigits(&s, &a) || !scan_lit(&s, " ") || s.p >= s.e)
			continue;
		s.p++;
		if (!scan_lit(&s, " "))
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

	while (scan_next_line(&pos, end, &lp, &le, &term)) {
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
			struct scan a = { f[1], fe[1] }, b = { f[5], fe[5] };

			if (!scan_dec(&a, &size) || !scan_hex0x(&b, &base))
				continue;
		}
		if (base == 0) {
			hidden++;
			continue;
		}
		scan_copy_trim(mod, sizeof mod, f[0], fe[0]);
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
