/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_parse: /proc/PID/maps and smaps text into VMAs: the mapping lines,
 * the smaps fields and VmFlags, the classification of each VMA.  Pure:
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

/* ---- classification ---- */

static bool name_is(const char *name, const char *s)
{
	return strcmp(name, s) == 0;
}

static bool name_starts(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

/* One or more decimal digits and nothing else. */
static bool all_digits(const char *s)
{
	return *s && !s[strspn(s, "0123456789")];
}

/* "[stack]" or "[stack:TID]" (older kernels named thread stacks). */
static bool name_is_stack(const char *name)
{
	size_t len;

	if (name_is(name, "[stack]"))
		return true;
	if (!name_starts(name, "[stack:"))
		return false;
	len = strlen(name);
	return name[len - 1] == ']';
}

/* "" or "[anon:NAME]" (prctl PR_SET_VMA_ANON_NAME). */
static bool name_is_anon(const char *name)
{
	return name[0] == '\0' || name_starts(name, "[anon:");
}

/* A character device found by stat where smaps gave no VmFlags, whose
 * mapping is inferred to be device memory (VM_PFNMAP/VM_IO): not
 * /dev/zero (1:5), whose private mappings are anonymous memory, and not
 * when smaps counts resident pages (Rss counts only pages with a struct
 * page, never a PFNMAP's). */
static bool chardev_is_device(const struct vma *v)
{
	if (!v->chardev || vma_vmflags_text(v)[0])
		return false;
	if (v->chr_major == 1 && v->chr_minor == 5)
		return false;
	return !(v->has_smaps && vma_smaps(v, SMAPS_RSS) > 0);
}

/* The kind the name alone gives, before the flags: VMA_KIND_COUNT when
 * the name decides nothing (the flags and perms do).  Names begin with
 * '/', '[' or nothing nearly always: the first byte picks the few
 * comparisons that can match (100,000 VMAs are classified per read). */
static enum vma_kind kind_of_name(const char *n, bool shared, bool *late)
{
	*late = false;
	if (n[0] == '/') {
		if (name_starts(n, "/dev/")) {
			if (name_starts(n + 5, "uio") && all_digits(n + 8))
				return VMA_KIND_UIO;
			if (name_is(n + 5, "mem"))
				return VMA_KIND_DEVMEM;
		}
		if (name_starts(n, "/anon_hugepage"))
			return VMA_KIND_HUGETLB;
		*late = true;  /* shmem or file: after the flags */
		return name_is(n, "/dev/zero") || name_starts(n, "/SYSV") ||
		       name_starts(n, "/memfd:") || name_starts(n, "/dev/shm/") ?
			VMA_KIND_SHMEM : VMA_KIND_FILE;
	}
	if (n[0] == '[') {
		if (name_is(n, "[vvar]") || name_is(n, "[vvar_vclock]"))
			return VMA_KIND_VVAR;
		if (name_is(n, "[vdso]"))
			return VMA_KIND_VDSO;
		if (name_is(n, "[vsyscall]"))
			return VMA_KIND_VSYSCALL;
		*late = true;
		if (name_is(n, "[heap]"))
			return VMA_KIND_HEAP;
		if (name_is_stack(n))
			return VMA_KIND_STACK;
		if (name_starts(n, "[anon_shmem:"))
			return VMA_KIND_SHMEM;
		return shared && name_is_anon(n) ? VMA_KIND_SHMEM : VMA_KIND_ANON;
	}
	*late = true;
	if (n[0] == '\0')
		return shared ? VMA_KIND_SHMEM : VMA_KIND_ANON;
	/* "anon_inode:[io_uring]", driver objects: a struct file without
	 * a path */
	return VMA_KIND_FILE;
}

void vma_classify(struct vma *v)
{
	const char *n = v->name ? v->name : "";
	bool late;
	enum vma_kind k = kind_of_name(n, v->perms[3] == 's', &late);

	/* the order of the tests is the order of precedence */
	if (k == VMA_KIND_UIO || k == VMA_KIND_DEVMEM)
		v->kind = k;
	else if (chardev_is_device(v) && v->chr_major == 1 &&
		 v->chr_minor == 1)
		v->kind = VMA_KIND_DEVMEM;
	else if (!late)
		v->kind = k;
	else if (vma_has_flag(v, VMF_HT))
		v->kind = VMA_KIND_HUGETLB;
	else if (vma_has_flag(v, VMF_PF))
		v->kind = VMA_KIND_PFNMAP;
	else if (vma_has_flag(v, VMF_IO))
		v->kind = VMA_KIND_IO;
	else if (chardev_is_device(v))
		v->kind = VMA_KIND_CHARDEV;
	else if (k == VMA_KIND_HEAP || k == VMA_KIND_STACK)
		v->kind = k;
	else if (memcmp(v->perms, "---", 3) == 0 &&
		 (v->perms[3] == 'p' || v->perms[3] == 's'))
		v->kind = VMA_KIND_GUARD;
	else
		v->kind = k;
}

bool vma_is_gap(const struct vma *v)
{
	/* Above TASK_SIZE, where pagemap ends: the gate area ([vsyscall],
	 * whose calls the kernel emulates), ARM's [vectors]. */
	if (v->above_pagemap || v->kind == VMA_KIND_VSYSCALL)
		return true;
	if (v->has_smaps && vma_vmflags_text(v)[0])
		return vma_has_flag(v, VMF_PF) || vma_has_flag(v, VMF_IO);
	switch (v->kind) {
	case VMA_KIND_VVAR:
	case VMA_KIND_PFNMAP:
	case VMA_KIND_IO:
	case VMA_KIND_UIO:
	case VMA_KIND_DEVMEM:
	case VMA_KIND_CHARDEV:
		return true;
	default:
		return false;
	}
}

/* ---- parser ---- */

/* One line being parsed: p walks towards end, never past it. */
struct cur {
	const char *p, *end;
};

static bool at_end(const struct cur *c)
{
	return c->p >= c->end;
}

/* Hex number: at least one digit, value must fit in max.  *digits gets
 * the count of digits as printed (with leading zeros).  0 or -1. */
/* scan_hexval, here where every maps line calls it a dozen times */
static inline int hexval(unsigned char ch)
{
	if ((unsigned)(ch - '0') < 10)
		return ch - '0';
	ch |= 0x20;
	return (unsigned)(ch - 'a') < 6 ? ch - 'a' + 10 : -1;
}

static int take_hex(struct cur *c, uint64_t max, uint64_t *val,
		    unsigned *digits)
{
	uint64_t v = 0;
	unsigned nd = 0;
	int d;

	while (!at_end(c) && (d = hexval((unsigned char)*c->p)) >= 0) {
		/* v * 16 + d <= max, without a division per digit */
		if (v > max >> 4 || (v << 4 | (uint64_t)d) > max)
			return -1;
		v = v << 4 | (uint64_t)d;
		c->p++;
		if (nd < 1000)
			nd++;
	}
	if (nd == 0)
		return -1;
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
	if (st->update)
		return update_header(st, hv, name, nlen, w);
	/* The kernel lists VMAs in address order, disjoint.  A list that
	 * is not was read while the process changed it: a read of
	 * /proc/PID/maps resumes at the address where the last one
	 * stopped, so a VMA split or merged meanwhile shows twice.  Every
	 * view relies on the order. */
	if (st->ordered && st->out->n > 0 &&
	    hv->start < st->out->v[st->out->n - 1].end) {
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
	} else {
		struct vma hv;
		const char *name;
		size_t nlen;
		unsigned w = 0;
		int rc;

		c.p = p;
		memset(&hv, 0, sizeof hv);
		if (parse_header(&c, &hv, st->page_size ? st->page_size : 4096,
				 &w, &what, &name, &nlen) < 0)
			goto bad;
		rc = vmas_parse_vma(st, &hv, name, nlen, w, e);
		if (rc < 0 && st->overlap)
			goto bad_order;
		return rc;
	}
	return 0;
bad_order:
	what = "this mapping starts below the end of the one before it (were the mappings changing while they were read?)";
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

	memset(out, 0, sizeof *out);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (vmas_parse_line(&st, p, nl ? nl : end, e) < 0) {
			vmas_free(out);
			return -1;
		}
		if (!nl)
			break;
		p = nl + 1;
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
