/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_parse: /proc/PID/maps and smaps text into VMAs: the mapping lines,
 * the smaps fields and VmFlags (each VMA classified by vmas_classify.c
 * as the next begins).  Pure:
 * text in, VMAs out (vmas_parse for a whole text, vmas_parse_line and
 * vmas_parse_finish for vmas.c's reads a chunk at a time). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/escape.h"
#include "vmscope/vmas.h"
#include "vmas_int.h"

/* ---- parser ---- */

/* One line being parsed: p walks towards end, never past it. */
struct cur {
	const char *p, *end;
};

static bool at_end(const struct cur *c)
{
	return c->p >= c->end;
}

/* 1 + the value of each hex digit, 0 for any other byte: one load per
 * character (a maps line has 36 hex digits). */
#define HEX_DIGITS(c, v) [c] = (v) + 1
static const unsigned char hex_value[256] = {
	HEX_DIGITS('0', 0), HEX_DIGITS('1', 1), HEX_DIGITS('2', 2),
	HEX_DIGITS('3', 3), HEX_DIGITS('4', 4), HEX_DIGITS('5', 5),
	HEX_DIGITS('6', 6), HEX_DIGITS('7', 7), HEX_DIGITS('8', 8),
	HEX_DIGITS('9', 9), HEX_DIGITS('a', 10), HEX_DIGITS('b', 11),
	HEX_DIGITS('c', 12), HEX_DIGITS('d', 13), HEX_DIGITS('e', 14),
	HEX_DIGITS('f', 15), HEX_DIGITS('A', 10), HEX_DIGITS('B', 11),
	HEX_DIGITS('C', 12), HEX_DIGITS('D', 13), HEX_DIGITS('E', 14),
	HEX_DIGITS('F', 15),
};

/* Hex number: at least one digit, value must fit in max.  *digits gets
 * the count of digits as printed (with leading zeros).  0 or -1. */
static int take_hex(struct cur *c, uint64_t max, uint64_t *val,
		    unsigned *digits)
{
	const char *s = c->p;
	uint64_t v = 0;
	unsigned nd = 0;
	unsigned d;

	/* up to 16 digits cannot overflow: no check per digit */
	while (nd < 16 && s < c->end &&
	       (d = hex_value[(unsigned char)*s]) != 0) {
		v = v << 4 | (d - 1);
		s++;
		nd++;
	}
	/* more: only leading zeros may have been among the 16 */
	while (s < c->end && (d = hex_value[(unsigned char)*s]) != 0) {
		if (v > max >> 4)
			return -1;
		v = v << 4 | (d - 1);
		s++;
		if (nd < 1000)
			nd++;
	}
	if (nd == 0 || v > max)
		return -1;
	c->p = s;
	*val = v;
	if (digits)
		*digits = nd;
	return 0;
}

static int take_dec(struct cur *c, uint64_t *val)
{
	uint64_t v = 0;
	bool any = false;

	while (!at_end(c) && *c->p >= '0' && *c->p <= '9') {
		uint64_t d = (uint64_t)(*c->p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		c->p++;
		any = true;
	}
	if (!any)
		return -1;
	*val = v;
	return 0;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Skip at least one blank; false when there is none. */
static bool take_blanks(struct cur *c)
{
	const char *s = c->p;

	while (!at_end(c) && is_blank(*c->p))
		c->p++;
	return c->p > s;
}

static void skip_blanks(struct cur *c)
{
	/* smaps pads its values with runs of blanks */
	while (c->end - c->p >= 8 && memcmp(c->p, "        ", 8) == 0)
		c->p += 8;
	while (!at_end(c) && is_blank(*c->p))
		c->p++;
}

/* Set an error naming the line and quoting (escaped) its beginning. */
static void line_error(struct vms_err *e, unsigned lineno, const char *line,
		       const char *lend, const char *what)
{
	char quoted[96];
	size_t len = (size_t)(lend - line), need;

	if (!e)
		return;
	if (len > 60)
		len = 60;
	need = escape_text(quoted, sizeof quoted, line, len);
	err_set(e, VMS_EFORMAT, "line %u: %s (in '%s%s')", lineno, what,
		quoted, need >= sizeof quoted || len < (size_t)(lend - line) ?
		"..." : "");
}

static int list_grow(struct vma_list *l, struct vms_err *e)
{
	size_t ncap;
	struct vma *nv;

	if (l->n < l->cap)
		return 0;
	ncap = l->cap ? l->cap * 2 : 64;
	if (ncap < l->cap || ncap > SIZE_MAX / sizeof *nv) {
		err_sys(e, ENOMEM, "too many mappings");
		return -1;
	}
	if (vmas_array_grow(l, ncap) < 0) {
		err_sys(e, ENOMEM, "reading %zu mappings", l->n);
		return -1;
	}
	return 0;
}

/* What is wrong with v's bounds, or NULL.  The kernel maps whole pages:
 * a bound inside one is no VMA (a snapshot's ffffffffffff0000-
 * ffffffffffffffff would be 63K with 64K resident). */
static const char *bounds_wrong(const struct vma *v, uint64_t page)
{
	if (v->end <= v->start)
		return "the END address is not above START";
	if ((v->start | v->end) & (page - 1))
		return page == 4096 ?
			"START and END are not multiples of the page size (4K): no kernel maps part of a page" :
			"START and END are not multiples of the page size: no kernel maps part of a page";
	return NULL;
}

/* "START-END PERMS OFFSET MAJ:MIN INODE [NAME]" into v, all but the
 * name: that is left in the line, [*name, *name + *nlen), " (deleted)"
 * stripped and capped at VMAS_NAME_MAX.  Returns 0, or -1 with *what
 * set. */
static int parse_header(struct cur *c, struct vma *v, uint64_t page,
			unsigned *width, const char **what, const char **name,
			size_t *nlen)
{
	uint64_t maj, min;
	unsigned w1, w2;
	const char *nend;
	static const char deleted[] = " (deleted)";
	const size_t dlen = sizeof deleted - 1;

	if (take_hex(c, UINT64_MAX, &v->start, &w1) < 0 ||
	    at_end(c) || *c->p != '-') {
		*what = "expected a START-END address range in hex";
		return -1;
	}
	c->p++;
	if (take_hex(c, UINT64_MAX, &v->end, &w2) < 0) {
		*what = "expected the END address in hex after '-'";
		return -1;
	}
	if ((*what = bounds_wrong(v, page)))
		return -1;
	*width = w1 > w2 ? w1 : w2;
	if (!take_blanks(c) || c->end - c->p < 4 ||
	    (c->p[0] != 'r' && c->p[0] != '-') ||
	    (c->p[1] != 'w' && c->p[1] != '-') ||
	    (c->p[2] != 'x' && c->p[2] != '-') ||
	    (c->p[3] != 'p' && c->p[3] != 's')) {
		*what = "expected permissions like r-xp or rw-s";
		return -1;
	}
	memcpy(v->perms, c->p, 4);
	v->perms[4] = '\0';
	c->p += 4;
	if (!take_blanks(c) || take_hex(c, UINT64_MAX, &v->offset, NULL) < 0) {
		*what = "expected the file OFFSET in hex after the permissions";
		return -1;
	}
	if (!take_blanks(c) || take_hex(c, 0xffffffffu, &maj, NULL) < 0 ||
	    at_end(c) || *c->p != ':') {
		*what = "expected the device MAJOR:MINOR in hex after the offset";
		return -1;
	}
	c->p++;
	if (take_hex(c, 0xffffffffu, &min, NULL) < 0) {
		*what = "expected the device MINOR in hex after ':'";
		return -1;
	}
	v->dev_major = (unsigned)maj;
	v->dev_minor = (unsigned)min;
	if (!take_blanks(c) || take_dec(c, &v->inode) < 0) {
		*what = "expected the INODE number in decimal after the device";
		return -1;
	}
	if (!at_end(c) && !is_blank(*c->p)) {
		*what = "unexpected text right after the INODE number";
		return -1;
	}
	/* the name: everything after the column padding */
	skip_blanks(c);
	*name = c->p;
	nend = c->end;
	*nlen = (size_t)(nend - *name);
	if (*nlen >= dlen && memcmp(nend - dlen, deleted, dlen) == 0) {
		v->deleted = true;
		*nlen -= dlen;
	}
	if (*nlen > VMAS_NAME_MAX)
		*nlen = VMAS_NAME_MAX;
	return 0;
}

static bool is_key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_';
}

/* Updating: the VMA just read (hv, its name [name, name + nlen)) must be
 * the list's next one, the same in all that makes the layout: start,
 * end, perms, offset, inode, name and deleted (the device may differ and
 * is taken).  0, or 1 (stop reading) when it is not. */
static int update_header(struct vparse *st, const struct vma *hv,
			 const char *name, size_t nlen, unsigned w)
{
	struct vma *v;
	const char *old;

	if (st->k >= st->out->n) {
		st->differs = true;
		return 1;
	}
	v = &st->out->v[st->k];
	old = v->name ? v->name : "";
	if (v->start != hv->start || v->end != hv->end ||
	    memcmp(v->perms, hv->perms, sizeof v->perms) ||
	    v->offset != hv->offset || v->inode != hv->inode ||
	    v->deleted != hv->deleted || strlen(old) != nlen ||
	    memcmp(old, name, nlen)) {
		st->differs = true;
		return 1;
	}
	v->dev_major = hv->dev_major;
	v->dev_minor = hv->dev_minor;
	st->k++;
	st->cur = v;
	st->cur_fresh = false;
	st->dirty = false;
	if (w > st->width)
		st->width = w;
	return 0;
}

int vmas_parse_vma(struct vparse *st, struct vma *hv, const char *name,
		   size_t nlen, unsigned w, struct vms_err *e)
{
	struct vma *v;

	if (vmas_parse_commit(st, e) < 0)
		return -1;
	/* the VMA before is whole: classified while it is in the cache
	 * (a pass over 100,000 VMAs afterwards waits on memory for each) */
	if (st->cur)
		vma_classify(st->cur);
	vmas_tmpl_begin(st);
	if (st->update)
		return update_header(st, hv, name, nlen, w);
	/* The kernel lists VMAs in address order, disjoint.  A list that
	 * is not was read while the process changed it: a read of
	 * /proc/PID/maps resumes at the address where the last one
	 * stopped, so a VMA split or merged meanwhile shows twice.  Every
	 * view relies on the order. */
	if (st->window && st->out->n >= st->window && st->flush(st, e) < 0)
		return -1;
	if (st->ordered && (st->out->n > 0 || st->flushed) &&
	    hv->start < (st->out->n ? st->out->v[st->out->n - 1].end :
			 st->flushed_end)) {
		st->overlap = true;
		err_set(e, VMS_EFORMAT, "a mapping starts below the end of the one before it");
		return -1;
	}
	if (list_grow(st->out, e) < 0)
		return -1;
	hv->smaps = vmas_no_smaps;
	hv->vmflags_text = "";
	v = st->out->n ? &st->out->v[st->out->n - 1] : NULL;
	/* (the lengths first: a name read may hold a NUL, where strncmp
	 * would stop and call a shorter name equal) */
	if (v && strnlen(v->name, nlen + 1) == nlen &&
	    memcmp(v->name, name, nlen) == 0) {
		/* a run of one file's or of anonymous VMAs: one copy */
		hv->name = v->name;
		hv->name_shared = true;
	} else if ((hv->name = malloc(nlen + 1))) {
		memcpy(hv->name, name, nlen);
		hv->name[nlen] = '\0';
	} else {
		err_sys(e, ENOMEM, "reading a mapping's name");
		return -1;
	}
	v = &st->out->v[st->out->n++];
	*v = *hv;
	st->cur = v;
	if (w > st->width)
		st->width = w;
	return 0;
}

/* The mapping line at c: parsed and appended (or compared, updating).
 * As vmas_parse_line returns. */
static int mapping_line(struct vparse *st, struct cur *c, struct vms_err *e)
{
	const char *p = c->p, *le = c->end, *what = NULL, *name;
	struct vma hv;
	size_t nlen;
	unsigned w = 0;
	int rc;

	memset(&hv, 0, sizeof hv);
	if (parse_header(c, &hv, st->page_size ? st->page_size : 4096, &w,
			 &what, &name, &nlen) < 0) {
		line_error(e, st->lineno, p, le, what);
		return -1;
	}
	rc = vmas_parse_vma(st, &hv, name, nlen, w, e);
	if (rc < 0 && st->overlap)
		line_error(e, st->lineno, p, le,
			   "this mapping starts below the end of the one before it (were the mappings changing while they were read?)");
	return rc;
}

/* One line [p, le), without its newline.  0; 1 when updating and the
 * line is not the VMA the list has next (stop); or -1 with e set (the
 * list is then the caller's to free). */
int vmas_parse_line(struct vparse *st, const char *p, const char *le,
		    struct vms_err *e)
{
	struct cur c = { p, le };
	const char *kb, *what = NULL;
	size_t klen;

	if (st->lineno < UINT_MAX)
		st->lineno++;
	skip_blanks(&c);
	if (at_end(&c))
		return 0; /* blank line */
	/* a mapping line begins with hex digits and '-', which no field
	 * key does ("AnonHugePages:" begins with a hex digit, not with a
	 * run of them and '-') */
	for (kb = c.p; kb < c.end && hex_value[(unsigned char)*kb]; kb++)
		;
	if (kb > c.p && kb < c.end && *kb == '-')
		goto mapping;
	if (vmas_fast_field(st, c.p, c.end))
		return 0;
	kb = c.p;
	if (st->cur && (klen = vmas_expected_key(st, kb, c.end)) > 0)
		c.p += klen;     /* the key the kernel prints next */
	else
		while (!at_end(&c) && is_key_char(*c.p))
			c.p++;
	if (c.p > kb && !at_end(&c) && *c.p == ':') {
		klen = (size_t)(c.p - kb);

		c.p++;
		if (!st->cur) {
			what = "smaps field before any mapping line";
			goto bad;
		}
		if (vmas_parse_field(st, kb, klen, c.p, c.end, &what) < 0)
			goto bad;
		return 0;
	}
mapping:
	c.p = p;
	return mapping_line(st, &c, e);
bad:
	line_error(e, st->lineno, p, le, what);
	return -1;
}

void vmas_parse_finish(struct vparse *st)
{
	struct vma_list *out = st->out;

	/* the last VMA's fields (out of memory: it keeps none) */
	if (vmas_parse_commit(st, NULL) < 0 && st->cur)
		st->cur->has_smaps = false;
	/* each VMA read is classified as the next begins (updating too:
	 * VmFlags may have come new, and ht, pf, io decide kinds); the
	 * last here */
	if (st->cur)
		vma_classify(st->cur);
	if (st->update) {
		/* fewer VMAs than the list has is a change too */
		if (st->k < out->n)
			st->differs = true;
		return;
	}
	/* The kernel prints at least 8 digits (%08lx): 64-bit processes
	 * show 12 or 16, 32-bit ones never more than 8. */
	out->addr_width = st->width > 8 || st->width == 0 ? 16 : 8;
}

int vmas_parse(const char *text, size_t len, struct vma_list *out,
	       struct vms_err *e)
{
	const char *p = text, *end = text ? text + len : text;
	struct vparse st = { .out = out };

	int rc;

	memset(out, 0, sizeof *out);
	/* the lines as a read of the file parses them (the fast paths
	 * included), then a last one without its newline */
	if (p < end)
		p = vmas_parse_lines(&st, p, end, e, &rc);
	else
		rc = 0;
	if (rc < 0 || (p < end && vmas_parse_line(&st, p, end, e) < 0)) {
		vmas_free(out);
		return -1;
	}
	vmas_parse_finish(&st);
	return 0;
}

bool vmas_ordered(const struct vma_list *l)
{
	size_t i;

	for (i = 1; i < l->n; i++)
		if (l->v[i].start < l->v[i - 1].end)
			return false;
	return true;
}
