/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_keys: the lookups the smaps parser makes for every line, made
 * cheap (smaps of 100,000 VMAs is 2.5 million lines): a field key to its
 * enum smaps_field, trying first the field the kernel prints after the
 * last one, and a VmFlags code to its enum vma_flag by a table of the
 * two letters.  Internal to the vmas module (vmas_int.h). */
#include <limits.h>
#include <string.h>
#include "vmscope/vmas.h"
#include "vmas_int.h"

/* The length of each field's name, measured once (the same values each
 * time: a second thread measuring meanwhile writes what this one does). */
static unsigned char field_len[SMAPS__COUNT];
static const char *field_name[SMAPS__COUNT];
static bool field_len_made;

/* Whether the field name f is [kb, kb + klen): short keys, compared in
 * line rather than by a call. */
static bool key_is(int f, const char *kb, size_t klen)
{
	const char *n = field_name[f];
	size_t i;

	if (field_len[f] != klen)
		return false;
	for (i = 0; i < klen; i++)
		if (n[i] != kb[i])
			return false;
	return true;
}

/* Field f was found: learn that it follows the one before, and expect
 * the field that followed it last time (the next in the enum at
 * first): the kernel's order is learned in one VMA. */
static void found_field(struct vparse *st, int f)
{
	if (st->last_field)
		st->next_field[st->last_field - 1] = (signed char)(f + 1);
	st->last_field = f + 1;
	st->key_hint = st->next_field[f] ? st->next_field[f] - 1 :
		       f + 1 < SMAPS__COUNT ? f + 1 : 0;
}

/* Each field's "KEY:" as the first 16 bytes of its line, and the mask
 * of those bytes: a key compared in two words (keys of 16 bytes or more
 * have a mask of 0 and are never found so). */
static uint64_t key_word[SMAPS__COUNT][2], key_mask[SMAPS__COUNT][2];
/* The first 16 bytes of field f's line in the kernel's own form
 * ("%-16s": the key, ':', blanks), in host order; 0 when the key does
 * not fit. */
static uint64_t line_word[SMAPS__COUNT][2];

static void measure_fields(void)
{
	int f;

	if (!field_len_made) {
		for (f = 0; f < SMAPS__COUNT; f++) {
			unsigned char w[16] = { 0 }, m[16] = { 0 };
			size_t len;

			field_name[f] = smaps_field_name((enum smaps_field)f);
			len = strlen(field_name[f]);
			field_len[f] = (unsigned char)len;
			if (len < sizeof w) {
				memcpy(w, field_name[f], len);
				w[len] = ':';
				memset(m, 0xff, len + 1);
			}
			memcpy(key_word[f], w, sizeof w);
			memcpy(key_mask[f], m, sizeof m);
			if (len < sizeof w) {
				memset(w + len + 1, ' ', sizeof w - len - 1);
				memcpy(line_word[f], w, sizeof w);
			}
		}
		field_len_made = true;
	}
}

size_t vmas_expected_key(struct vparse *st, const char *p, const char *end)
{
	int f = st->key_hint;
	size_t len;

	measure_fields();
	if (f < 0 || f >= SMAPS__COUNT)
		return 0;
	len = field_len[f];
	if ((size_t)(end - p) <= len || p[len] != ':' || !key_is(f, p, len))
		return 0;
	st->key_found = f + 1;
	return len;
}

int vmas_smaps_key(const char *kb, size_t klen, int *hint)
{
	int f;

	if (klen == 0)
		return -1;
	measure_fields();
	/* the kernel prints the fields in one order: the one after the
	 * last found is nearly always next */
	if (*hint >= 0 && *hint < SMAPS__COUNT && key_is(*hint, kb, klen)) {
		f = *hint;
		goto found;
	}
	for (f = 0; f < SMAPS__COUNT; f++)
		if (key_is(f, kb, klen))
			goto found;
	return -1;
found:
	*hint = f + 1 < SMAPS__COUNT ? f + 1 : 0;
	return f;
}

/* 1 + enum vma_flag of each code, by its two letters. */
static signed char flag_table[26][26];
static bool flag_table_made;

int vmas_flag_index(char a, char b)
{
	if (a < 'a' || a > 'z' || b < 'a' || b > 'z')
		return -1;
	if (!flag_table_made) {
		/* the same values each time: a second thread making it
		 * meanwhile writes what this one writes */
		for (int f = 0; f < VMF__COUNT; f++) {
			const char *c = vma_flag_code((enum vma_flag)f);

			flag_table[c[0] - 'a'][c[1] - 'a'] = (signed char)(f + 1);
		}
		flag_table_made = true;
	}
	return flag_table[a - 'a'][b - 'a'] - 1;
}

/* ---- field lines ---- */

const uint64_t vmas_no_smaps[SMAPS__COUNT];

const char *vma_vmflags_text(const struct vma *v)
{
	return v->vmflags_text ? v->vmflags_text : "";
}

uint64_t vma_smaps(const struct vma *v, enum smaps_field f)
{
	return v->smaps && (unsigned)f < SMAPS__COUNT ? v->smaps[f] : 0;
}

static bool blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Eight blanks, as a word. */
static bool eight_blanks(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w == UINT64_C(0x2020202020202020);
}

static const char *skip(const char *p, const char *end)
{
	/* smaps pads its values with runs of blanks */
	while (end - p >= 8 && eight_blanks(p))
		p += 8;
	while (p < end && blank(*p))
		p++;
	return p;
}

/* A field of cur read: the first one clears what it had (updating). */
static void field_begin(struct vparse *st)
{
	if (!st->dirty) {
		/* this text has fields: the old ones (updating) go */
		memset(st->blk, 0, sizeof st->blk);
		st->flags[0] = '\0';
		st->cur->vmflags = 0;
		st->dirty = true;
	}
	st->cur->has_smaps = true;
}

/* The value of "VmFlags: rd wr ...": bits and a copy of the text
 * (trimmed, cut at a code boundary to fit). */
static void parse_vmflags(struct vparse *st, const char *p, const char *t)
{
	size_t len;
	uint64_t bits = 0;
	bool whole;
	unsigned i;

	p = skip(p, t);
	while (t > p && blank(t[-1]))
		t--;
	len = (size_t)(t - p);
	if (len >= sizeof st->flags) {
		len = sizeof st->flags - 1;
		while (len > 0 && !blank(p[len]))
			len--;
		while (len > 0 && blank(p[len - 1]))
			len--;
	}
	memcpy(st->flags, p, len);
	st->flags[len] = '\0';
	whole = p + len == t;
	for (i = 0; whole && i < 2; i++)
		if (memcmp(st->prev_flags[i], st->flags, len + 1) == 0) {
			/* a text a VMA before had: its bits */
			st->cur->vmflags |= st->prev_bits[i];
			return;
		}
	while (p < t) {
		const char *w;
		int f;

		p = skip(p, t);
		w = p;
		while (p < t && !blank(*p))
			p++;
		if (p - w == 2 && (f = vmas_flag_index(w[0], w[1])) >= 0)
			bits |= 1ULL << f;
	}
	st->cur->vmflags |= bits;
	if (whole) {
		i = st->prev_next;
		memcpy(st->prev_flags[i], st->flags, len + 1);
		st->prev_bits[i] = bits;
		st->prev_next = !i;
	}
}

/* ---- templates ---- */

void vmas_tmpl_begin(struct vparse *st)
{
	st->rec_n = 0;
	st->rec_ok = true;
	st->body_next = true;
}

/* The VmFlags line ends a VMA's fields: a VMA whose every field line
 * was the kernel's own form is the template of the next. */
static void tmpl_learn(struct vparse *st)
{
	unsigned i, total = 0;

	if (!st->rec_ok || st->rec_n == 0)
		return;
	st->rec_ok = false;
	for (i = 0; i < st->rec_n; i++)
		total += st->rec_len[i];
	memcpy(st->tmpl_f, st->rec_f, st->rec_n);
	memcpy(st->tmpl_len, st->rec_len, st->rec_n);
	st->tmpl_n = st->rec_n;
	st->tmpl_total = total;
}

int vmas_parse_field(struct vparse *st, const char *kb, size_t klen,
		     const char *p, const char *end, const char **what)
{
	uint64_t val = 0;
	const char *d;
	int f;

	field_begin(st);
	if (klen == 7 && memcmp(kb, "VmFlags", 7) == 0) {
		tmpl_learn(st);
		st->key_found = 0;
		parse_vmflags(st, p, end);
		return 0;
	}
	if (st->key_found)
		f = st->key_found - 1;   /* vmas_expected_key found it */
	else
		f = vmas_smaps_key(kb, klen, &st->key_hint);
	st->key_found = 0;
	if (f >= 0)
		found_field(st, f);
	if (f < 0)
		return 0; /* a key this version does not know */
	p = skip(p, end);
	for (d = p; p < end && *p >= '0' && *p <= '9'; p++) {
		uint64_t dv = (uint64_t)(*p - '0');

		if (val > (UINT64_MAX - dv) / 10)
			break;
		val = val * 10 + dv;
	}
	if (p == d || (p < end && *p >= '0' && *p <= '9')) {
		*what = "expected a decimal number after the smaps key";
		return -1;
	}
	p = skip(p, end);
	if (end - p >= 2 && p[0] == 'k' && p[1] == 'B')
		p += 2;
	if (skip(p, end) != end) {
		*what = "unexpected text after the smaps value (expected 'N kB')";
		return -1;
	}
	if (!(st->skip >> f & 1))
		st->blk[f] = val;
	return 0;
}

/* Whether the line at p, at least 16 bytes long, begins with field f's
 * "KEY:" (two words compared). */
static bool key_at(int f, const char *p)
{
	uint64_t w0, w1;

	memcpy(&w0, p, 8);
	memcpy(&w1, p + 8, 8);
	return key_mask[f][0] &&
	       !(((w0 ^ key_word[f][0]) & key_mask[f][0]) |
		 ((w1 ^ key_word[f][1]) & key_mask[f][1]));
}

int vmas_fast_field(struct vparse *st, const char *p, const char *end)
{
	int f = st->key_hint;
	uint64_t val = 0;
	const char *v, *d;

	if (!st->cur || end - p < 16)
		return 0;
	if (memcmp(p, "VmFlags:", 8) == 0) {
		tmpl_learn(st);
		field_begin(st);
		st->key_found = 0;
		parse_vmflags(st, p + 8, end);
		return 1;
	}
	if (f < 0 || f >= SMAPS__COUNT)
		return 0;
	measure_fields();
	if (!key_at(f, p))
		return 0;
	/* the kernel's form: blanks, 1 to 19 digits, " kB" or nothing */
	v = p + field_len[f] + 1;
	if (end - v >= 3 && end[-3] == ' ' && end[-2] == 'k' && end[-1] == 'B')
		end -= 3;
	for (d = end; d > v && (unsigned)(d[-1] - '0') < 10; d--)
		;
	if (d == end || end - d > 19 || skip(v, d) != d)
		return 0;
	field_begin(st);
	if (!(st->skip >> f & 1)) {
		for (; d < end; d++)
			val = val * 10 + (uint64_t)(*d - '0');
		st->blk[f] = val;
	}
	found_field(st, f);
	return 1;
}

/* Eight bytes as a little-endian word (one load where the host is). */
static inline uint64_t le64(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
	       (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32 |
	       (uint64_t)u[5] << 40 | (uint64_t)u[6] << 48 |
	       (uint64_t)u[7] << 56;
}

#define BYTES(b) (UINT64_C(0x0101010101010101) * (b))

static inline int value8(const char *p, uint64_t *val)
{
	uint64_t w = le64(p), x, sp, run, d;
	const uint64_t hi = BYTES(0x80);

	if (w & hi)
		return 0;
	/* the blanks: 0x80 in each byte that is ' ' */
	x = w ^ BYTES(0x20);
	sp = ~(((x & BYTES(0x7f)) + BYTES(0x7f)) | x) & hi;
	/* they must lead (the low bytes: the first in memory), and a
	 * digit must follow */
	run = (sp >> 7) * 0xff;
	if (run & (run + 1) || run == UINT64_MAX)
		return 0;
	/* blanks read as '0'; then every byte a digit */
	d = w | sp >> 3;
	if ((((d | hi) - BYTES(0x30)) & hi) != hi || ((d + BYTES(0x46)) & hi))
		return 0;
	/* eight digits, the first the most significant, in three steps */
	x = d - BYTES(0x30);
	x = (x * 10 + (x >> 8)) & UINT64_C(0x00ff00ff00ff00ff);
	x = (x * 100 + (x >> 16)) & UINT64_C(0x0000ffff0000ffff);
	x = (x * 10000 + (x >> 32)) & UINT64_C(0xffffffff);
	*val = x;
	return 1;
}

int vmas_value8(const char *p, uint64_t *val)
{
	return value8(p, val);
}

/* Whether the len bytes at q (28 or 25, with the newline) are field f's
 * line in exactly the kernel's own form, "%-16s%8lu kB\n" or, for
 * THPeligible and ProtectionKey, "%-16s%8u\n": its value in *val. */
static inline bool line_in_form(int f, const char *q, size_t len,
				uint64_t *val)
{
	return line_word[f][0] &&
	       le64(q) == le64((const char *)line_word[f]) &&
	       le64(q + 8) == le64((const char *)line_word[f] + 8) &&
	       (len == 28 ? memcmp(q + 24, " kB\n", 4) == 0 : q[24] == '\n') &&
	       value8(q + 16, val);
}

/* The field line at p (end - p bytes read) when it is the field the
 * kernel prints next in its own form, read in a few word operations:
 * its length with the newline (28 or 25); else 0, and the line is read
 * the general way. */
static inline size_t fast_line(struct vparse *st, const char *p,
			       const char *end)
{
	int f = st->key_hint;
	uint64_t val;
	size_t len;

	if (end - p < 25 || !st->cur || f < 0 || f >= SMAPS__COUNT)
		return 0;
	len = p[24] == '\n' ? 25 : 28;
	if ((size_t)(end - p) < len)
		return 0;
	measure_fields();
	if (!line_in_form(f, p, len, &val))
		return 0;
	field_begin(st);
	if (!(st->skip >> f & 1))
		st->blk[f] = val;
	found_field(st, f);
	if (st->rec_n < SMAPS__COUNT) {
		st->rec_f[st->rec_n] = (unsigned char)f;
		st->rec_len[st->rec_n++] = (unsigned char)len;
	} else {
		st->rec_ok = false;
	}
	return len;
}

/* The field lines at p of the VMA whose mapping line was just read,
 * when they are the template's lines (the same keys in the same forms,
 * any values): all read, their length; else 0, nothing read, and the
 * lines are read one by one. */
static size_t body_by_template(struct vparse *st, const char *p,
			       const char *end)
{
	uint64_t val[SMAPS__COUNT];
	const char *q = p;
	unsigned i, n = st->tmpl_n;
	int f;

	if (!n || !st->cur || (size_t)(end - p) < st->tmpl_total)
		return 0;
	for (i = 0; i < n; q += st->tmpl_len[i++])
		if (!line_in_form(st->tmpl_f[i], q, st->tmpl_len[i], &val[i]))
			return 0;
	field_begin(st);
	for (i = 0; i < n; i++)
		if (!(st->skip >> st->tmpl_f[i] & 1))
			st->blk[st->tmpl_f[i]] = val[i];
	/* the order as found_field leaves it after the last line */
	f = st->tmpl_f[n - 1];
	st->last_field = f + 1;
	st->key_hint = st->next_field[f] ? st->next_field[f] - 1 :
		       f + 1 < SMAPS__COUNT ? f + 1 : 0;
	st->rec_ok = false;
	if (st->lineno < UINT_MAX - n)
		st->lineno += n;
	return st->tmpl_total;
}

int vmas_parse_commit(struct vparse *st, struct vms_err *e)
{
	const void *b, *t;

	if (!st->dirty || !st->cur) {
		st->dirty = false;
		return 0;
	}
	st->dirty = false;
	b = vmas_pool_put(&st->out->pool, st->blk, sizeof st->blk, e);
	t = b ? vmas_pool_put(&st->out->pool, st->flags,
			      strlen(st->flags) + 1, e) : NULL;
	if (!t)
		return -1;
	st->cur->smaps = b;
	st->cur->vmflags_text = t;
	return 0;
}

const char *vmas_parse_lines(struct vparse *st, const char *p,
			     const char *end, struct vms_err *e, int *rc)
{
	*rc = 0;
	while (p < end) {
		const char *nl;
		size_t len;

		if (st->body_next) {
			st->body_next = false;
			if ((len = body_by_template(st, p, end))) {
				p += len;
				continue;
			}
		}
		/* the kernel's field lines are 28 or 25 bytes: one the
		 * fast path takes whole holds no newline before its end,
		 * found without a search */
		if ((len = fast_line(st, p, end))) {
			if (st->lineno < UINT_MAX)
				st->lineno++;
			p += len;
			continue;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		/* a field line in another form: this VMA is no template */
		if (nl - p < 8 || memcmp(p, "VmFlags:", 8) != 0)
			st->rec_ok = false;
		*rc = vmas_parse_line(st, p, nl, e);
		p = nl + 1;
		if (*rc)
			break;
	}
	return p;
}
