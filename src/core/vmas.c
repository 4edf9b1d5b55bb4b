/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas: parse /proc/PID/maps and smaps into classified VMAs. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vmscope/escape.h"
#include "vmscope/vmas.h"

/* Longest name kept (bytes); the kernel's paths stop at PATH_MAX. */
#define VMAS_NAME_MAX 4096

static const char *const kind_names[VMA_KIND__COUNT] = {
	[VMA_KIND_ANON] = "anon",
	[VMA_KIND_HEAP] = "heap",
	[VMA_KIND_STACK] = "stack",
	[VMA_KIND_FILE] = "file",
	[VMA_KIND_SHMEM] = "shmem",
	[VMA_KIND_VDSO] = "vdso",
	[VMA_KIND_VVAR] = "vvar",
	[VMA_KIND_VSYSCALL] = "vsyscall",
	[VMA_KIND_HUGETLB] = "hugetlb",
	[VMA_KIND_GUARD] = "guard",
	[VMA_KIND_PFNMAP] = "pfnmap",
	[VMA_KIND_IO] = "io",
	[VMA_KIND_UIO] = "uio",
	[VMA_KIND_DEVMEM] = "devmem",
	[VMA_KIND_HOLE] = "hole",
};

static const char flag_codes[VMF__COUNT][3] = {
	"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms",
	"gd", "pf", "dw", "lo", "io", "sr", "rr", "dc",
	"de", "ac", "nr", "ht", "sf", "nl", "ar", "wf",
	"dd", "sd", "mm", "hg", "nh", "mg", "um", "uw",
	"ss", "sl", "lf", "bt", "gu", "mt", "ui", "dp",
};

static const char *const field_names[SMAPS__COUNT] = {
	[SMAPS_SIZE] = "Size",
	[SMAPS_KERNEL_PAGE_SIZE] = "KernelPageSize",
	[SMAPS_MMU_PAGE_SIZE] = "MMUPageSize",
	[SMAPS_RSS] = "Rss",
	[SMAPS_PSS] = "Pss",
	[SMAPS_PSS_ANON] = "Pss_Anon",
	[SMAPS_PSS_FILE] = "Pss_File",
	[SMAPS_PSS_SHMEM] = "Pss_Shmem",
	[SMAPS_PSS_DIRTY] = "Pss_Dirty",
	[SMAPS_SHARED_CLEAN] = "Shared_Clean",
	[SMAPS_SHARED_DIRTY] = "Shared_Dirty",
	[SMAPS_PRIVATE_CLEAN] = "Private_Clean",
	[SMAPS_PRIVATE_DIRTY] = "Private_Dirty",
	[SMAPS_REFERENCED] = "Referenced",
	[SMAPS_ANONYMOUS] = "Anonymous",
	[SMAPS_KSM] = "KSM",
	[SMAPS_LAZY_FREE] = "LazyFree",
	[SMAPS_ANON_HUGE_PAGES] = "AnonHugePages",
	[SMAPS_SHMEM_PMD_MAPPED] = "ShmemPmdMapped",
	[SMAPS_FILE_PMD_MAPPED] = "FilePmdMapped",
	[SMAPS_SHARED_HUGETLB] = "Shared_Hugetlb",
	[SMAPS_PRIVATE_HUGETLB] = "Private_Hugetlb",
	[SMAPS_SWAP] = "Swap",
	[SMAPS_SWAP_PSS] = "SwapPss",
	[SMAPS_LOCKED] = "Locked",
	[SMAPS_THP_ELIGIBLE] = "THPeligible",
	[SMAPS_PROTECTION_KEY] = "ProtectionKey",
};

/* Shared by every hole entry: vmas_free_holes never frees names. */
static char hole_name[1];

const char *vma_kind_name(enum vma_kind k)
{
	if ((unsigned)k >= VMA_KIND__COUNT)
		return "?";
	return kind_names[k];
}

const char *vma_flag_code(enum vma_flag f)
{
	if ((unsigned)f >= VMF__COUNT)
		return "??";
	return flag_codes[f];
}

const char *smaps_field_name(enum smaps_field f)
{
	if ((unsigned)f >= SMAPS__COUNT)
		return "?";
	return field_names[f];
}

bool vma_has_flag(const struct vma *v, enum vma_flag f)
{
	if ((unsigned)f >= VMF__COUNT)
		return false;
	return (v->vmflags >> f) & 1;
}

/* ---- classification ---- */

static bool name_is(const char *name, const char *s)
{
	return strcmp(name, s) == 0;
}

static bool name_starts(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
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

void vma_classify(struct vma *v)
{
	const char *n = v->name ? v->name : "";
	bool shared = v->perms[3] == 's';

	if (name_starts(n, "/dev/uio") && all_digits(n + 8))
		v->kind = VMA_KIND_UIO;
	else if (name_is(n, "/dev/mem"))
		v->kind = VMA_KIND_DEVMEM;
	else if (name_is(n, "[vvar]") || name_is(n, "[vvar_vclock]"))
		v->kind = VMA_KIND_VVAR;
	else if (name_is(n, "[vdso]"))
		v->kind = VMA_KIND_VDSO;
	else if (name_is(n, "[vsyscall]"))
		v->kind = VMA_KIND_VSYSCALL;
	else if (vma_has_flag(v, VMF_HT) || name_starts(n, "/anon_hugepage"))
		v->kind = VMA_KIND_HUGETLB;
	else if (vma_has_flag(v, VMF_PF))
		v->kind = VMA_KIND_PFNMAP;
	else if (vma_has_flag(v, VMF_IO))
		v->kind = VMA_KIND_IO;
	else if (name_is(n, "[heap]"))
		v->kind = VMA_KIND_HEAP;
	else if (name_is_stack(n))
		v->kind = VMA_KIND_STACK;
	else if (memcmp(v->perms, "---", 3) == 0 &&
		 (v->perms[3] == 'p' || v->perms[3] == 's'))
		v->kind = VMA_KIND_GUARD;
	else if ((shared && name_is_anon(n)) || name_is(n, "/dev/zero") ||
		 name_starts(n, "/SYSV") || name_starts(n, "/memfd:") ||
		 name_starts(n, "/dev/shm/") || name_starts(n, "[anon_shmem:"))
		v->kind = VMA_KIND_SHMEM;
	else if (n[0] == '/')
		v->kind = VMA_KIND_FILE;
	else if (name_is_anon(n) || n[0] == '[')
		v->kind = VMA_KIND_ANON;
	else
		/* "anon_inode:[io_uring]", driver objects: a struct file
		 * without a path */
		v->kind = VMA_KIND_FILE;
}

bool vma_is_gap(const struct vma *v)
{
	/* The gate area sits above TASK_SIZE, where pagemap ends: the
	 * kernel emulates calls into it and maps no page for the process. */
	if (v->kind == VMA_KIND_VSYSCALL)
		return true;
	if (v->has_smaps && v->vmflags_text[0])
		return vma_has_flag(v, VMF_PF) || vma_has_flag(v, VMF_IO);
	switch (v->kind) {
	case VMA_KIND_VVAR:
	case VMA_KIND_PFNMAP:
	case VMA_KIND_IO:
	case VMA_KIND_UIO:
	case VMA_KIND_DEVMEM:
		return true;
	default:
		return false;
	}
}

/* ---- lookups ---- */

const struct vma *vmas_find(const struct vma_list *l, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!l || !l->v || l->n == 0)
		return NULL;
	/* last entry with start <= addr */
	hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	if (addr < l->v[lo - 1].end)
		return &l->v[lo - 1];
	return NULL;
}

bool vmas_hole_before(const struct vma_list *l, size_t i, struct vma *h)
{
	if (i == 0 || i >= l->n || l->v[i - 1].end >= l->v[i].start)
		return false;
	memset(h, 0, sizeof *h);
	h->start = l->v[i - 1].end;
	h->end = l->v[i].start;
	memcpy(h->perms, "----", 5);
	h->name = hole_name;
	h->kind = VMA_KIND_HOLE;
	return true;
}

int vmas_with_holes(const struct vma_list *in, struct vma_list *out,
		    struct vms_err *e)
{
	size_t i, k = 0, cap;

	memset(out, 0, sizeof *out);
	out->pid = in->pid;
	out->addr_width = in->addr_width;
	if (in->n == 0)
		return 0;
	if (in->n > (SIZE_MAX / sizeof *out->v) / 2) {
		err_sys(e, ENOMEM, "listing the holes between %zu mappings",
			in->n);
		return -1;
	}
	cap = in->n * 2 - 1;
	out->v = calloc(cap, sizeof *out->v);
	if (!out->v) {
		err_sys(e, ENOMEM, "listing the holes between %zu mappings",
			in->n);
		return -1;
	}
	for (i = 0; i < in->n; i++) {
		if (vmas_hole_before(in, i, &out->v[k]))
			k++;
		out->v[k++] = in->v[i];
	}
	out->n = k;
	out->cap = cap;
	return 0;
}

void vmas_free_holes(struct vma_list *l)
{
	if (!l)
		return;
	free(l->v);
	memset(l, 0, sizeof *l);
}

void vmas_free(struct vma_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	memset(l, 0, sizeof *l);
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

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Hex number: at least one digit, value must fit in max.  *digits gets
 * the count of digits as printed (with leading zeros).  0 or -1. */
static int take_hex(struct cur *c, uint64_t max, uint64_t *val,
		    unsigned *digits)
{
	uint64_t v = 0;
	unsigned nd = 0;
	int d;

	while (!at_end(c) && (d = hexval(*c->p)) >= 0) {
		if (v > (max - (uint64_t)d) / 16)
			return -1;
		v = v * 16 + (uint64_t)d;
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
	nv = realloc(l->v, ncap * sizeof *nv);
	if (!nv) {
		err_sys(e, ENOMEM, "reading %zu mappings", l->n);
		return -1;
	}
	l->v = nv;
	l->cap = ncap;
	return 0;
}

/* "START-END PERMS OFFSET MAJ:MIN INODE [NAME]" into v, all but the
 * name: that is left in the line, [*name, *name + *nlen), " (deleted)"
 * stripped and capped at VMAS_NAME_MAX.  Returns 0, or -1 with *what
 * set. */
static int parse_header(struct cur *c, struct vma *v, unsigned *width,
			const char **what, const char **name, size_t *nlen)
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
	if (v->end <= v->start) {
		*what = "the END address is not above START";
		return -1;
	}
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

/* The value of "VmFlags: rd wr ...": bits and a copy of the text
 * (trimmed, cut at a code boundary to fit). */
static void parse_vmflags(struct cur *c, struct vma *v)
{
	const char *s, *t;
	size_t len;

	skip_blanks(c);
	s = c->p;
	t = c->end;
	while (t > s && is_blank(t[-1]))
		t--;
	len = (size_t)(t - s);
	if (len >= sizeof v->vmflags_text) {
		len = sizeof v->vmflags_text - 1;
		while (len > 0 && !is_blank(s[len]))
			len--;
		while (len > 0 && is_blank(s[len - 1]))
			len--;
	}
	memcpy(v->vmflags_text, s, len);
	v->vmflags_text[len] = '\0';
	while (c->p < t) {
		const char *w;
		size_t wl;
		int f;

		skip_blanks(c);
		w = c->p;
		while (c->p < t && !is_blank(*c->p))
			c->p++;
		wl = (size_t)(c->p - w);
		if (wl != 2)
			continue;
		for (f = 0; f < VMF__COUNT; f++)
			if (w[0] == flag_codes[f][0] && w[1] == flag_codes[f][1]) {
				v->vmflags |= 1ULL << f;
				break;
			}
	}
}

/* "Key:   N kB" or "Key:   N".  key is [kb, ke); c is after the ':'. */
static int parse_field(struct cur *c, struct vma *v, const char *kb,
		       size_t klen, const char **what)
{
	int f;
	uint64_t val;

	v->has_smaps = true;
	if (klen == 7 && memcmp(kb, "VmFlags", 7) == 0) {
		parse_vmflags(c, v);
		return 0;
	}
	for (f = 0; f < SMAPS__COUNT; f++)
		if (strlen(field_names[f]) == klen &&
		    memcmp(field_names[f], kb, klen) == 0)
			break;
	if (f == SMAPS__COUNT)
		return 0; /* a key this version does not know */
	skip_blanks(c);
	if (take_dec(c, &val) < 0) {
		*what = "expected a decimal number after the smaps key";
		return -1;
	}
	skip_blanks(c);
	if (c->end - c->p >= 2 && c->p[0] == 'k' && c->p[1] == 'B')
		c->p += 2;
	skip_blanks(c);
	if (!at_end(c)) {
		*what = "unexpected text after the smaps value (expected 'N kB')";
		return -1;
	}
	v->smaps[f] = val;
	return 0;
}

static bool is_key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_';
}

/* The parser's state between lines, so that a file can be parsed as it
 * is read, a chunk at a time, without holding all of its text. */
struct vparse {
	struct vma_list *out;
	struct vma *cur;       /* the VMA smaps fields go to */
	unsigned lineno, width;
	bool ordered;          /* refuse a VMA below its predecessor */
	bool overlap;          /* failed on such a VMA */
	/* Updating out in place (vmas_reread) instead of appending to it:
	 * the k-th VMA read must be out->v[k], and its smaps fields, when
	 * the text has any, replace the old ones. */
	bool update;
	bool differs;          /* update: a VMA read is not out->v[k] */
	bool cur_fresh;        /* update: cur's old smaps fields are cleared */
	size_t k;              /* update: VMAs read so far */
};

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
	if (w > st->width)
		st->width = w;
	return 0;
}

/* One line [p, le), without its newline.  0; 1 when updating and the
 * line is not the VMA the list has next (stop); or -1 with e set (the
 * list is then the caller's to free). */
static int parse_line(struct vparse *st, const char *p, const char *le,
		      struct vms_err *e)
{
	struct cur c = { p, le };
	const char *kb, *what = NULL;

	if (st->lineno < UINT_MAX)
		st->lineno++;
	skip_blanks(&c);
	if (at_end(&c))
		return 0; /* blank line */
	kb = c.p;
	while (!at_end(&c) && is_key_char(*c.p))
		c.p++;
	if (c.p > kb && !at_end(&c) && *c.p == ':') {
		size_t klen = (size_t)(c.p - kb);

		c.p++;
		if (!st->cur) {
			what = "smaps field before any mapping line";
			goto bad;
		}
		if (st->update && !st->cur_fresh) {
			/* this text has fields: the old ones go */
			st->cur->has_smaps = false;
			st->cur->vmflags = 0;
			st->cur->vmflags_text[0] = '\0';
			memset(st->cur->smaps, 0, sizeof st->cur->smaps);
			st->cur_fresh = true;
		}
		if (parse_field(&c, st->cur, kb, klen, &what) < 0)
			goto bad;
	} else {
		struct vma hv, *v;
		const char *name;
		size_t nlen;
		unsigned w = 0;

		c.p = p;
		memset(&hv, 0, sizeof hv);
		if (parse_header(&c, &hv, &w, &what, &name, &nlen) < 0)
			goto bad;
		if (st->update)
			return update_header(st, &hv, name, nlen, w);
		/* The kernel lists VMAs in address order, disjoint.  A list
		 * that is not was read while the process changed it: a read
		 * of /proc/PID/maps resumes at the address where the last
		 * one stopped, so a VMA split or merged meanwhile shows
		 * twice.  Every view relies on the order. */
		if (st->ordered && st->out->n > 0 &&
		    hv.start < st->out->v[st->out->n - 1].end) {
			st->overlap = true;
			what = "this mapping starts below the end of the one before it (were the mappings changing while they were read?)";
			goto bad;
		}
		if (list_grow(st->out, e) < 0)
			return -1;
		hv.name = malloc(nlen + 1);
		if (!hv.name) {
			err_sys(e, ENOMEM, "reading a mapping's name");
			return -1;
		}
		memcpy(hv.name, name, nlen);
		hv.name[nlen] = '\0';
		v = &st->out->v[st->out->n++];
		*v = hv;
		st->cur = v;
		if (w > st->width)
			st->width = w;
	}
	return 0;
bad:
	line_error(e, st->lineno, p, le, what);
	return -1;
}

static void parse_finish(struct vparse *st)
{
	struct vma_list *out = st->out;

	if (st->update) {
		/* fewer VMAs than the list has is a change too */
		if (st->k < out->n)
			st->differs = true;
		/* VmFlags may have come new (ht, pf, io decide kinds) */
		for (size_t i = 0; i < st->k; i++)
			vma_classify(&out->v[i]);
		return;
	}
	for (size_t i = 0; i < out->n; i++)
		vma_classify(&out->v[i]);
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

		if (parse_line(&st, p, nl ? nl : end, e) < 0) {
			vmas_free(out);
			return -1;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	parse_finish(&st);
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

/* Reads of a live process whose mappings change meanwhile. */
#define VMAS_READ_TRIES 8

/* Longest line read (a maps line is at most a path and 100 bytes). */
#define VMAS_LINE_MAX (1u << 20)

/* Parse the file f a chunk at a time: memory holds one chunk of
 * text and the VMAs, never the whole file (smaps of 100,000 VMAs is
 * 70 MB of text).  Updating, the read stops at the first VMA that is not
 * the list's.  A read error is -1 with e set as root_read_text sets it
 * (errno code, message naming shown); a parse error is -1 with
 * *parse_failed set.  The list is the caller's to free either way. */
static int parse_file(struct root_file *f, const char *shown,
		      struct vparse *st, bool *parse_failed, struct vms_err *e)
{
	size_t cap = 65536, have = 0;
	uint64_t pos = 0;
	char *buf = malloc(cap);

	*parse_failed = false;
	if (!buf) {
		err_sys(e, ENOMEM, "reading %s", shown);
		return -1;
	}
	for (;;) {
		ssize_t got;
		const char *p, *end, *nl;
		int rc;

		if (have == cap) {
			/* one line fills the buffer */
			char *nb = cap < VMAS_LINE_MAX ? realloc(buf, cap * 2) : NULL;

			if (!nb) {
				err_set(e, VMS_EFORMAT,
					"line %u is longer than %u bytes",
					st->lineno + 1, VMAS_LINE_MAX);
				*parse_failed = true;
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
		got = root_pread(f, buf + have, cap - have, pos, e);
		if (got < 0) {
			if (e)
				err_sys(e, e->code, "reading %s", shown);
			goto fail;
		}
		if (got == 0)
			break;
		pos += (uint64_t)got;
		have += (size_t)got;
		p = buf;
		end = buf + have;
		while (p < end && (nl = memchr(p, '\n', (size_t)(end - p)))) {
			rc = parse_line(st, p, nl, e);
			if (rc < 0) {
				*parse_failed = true;
				goto fail;
			}
			if (rc > 0)
				goto done;
			p = nl + 1;
		}
		have = (size_t)(end - p);
		memmove(buf, p, have);
	}
	/* a last line without a newline */
	if (have && parse_line(st, buf, buf + have, e) < 0) {
		*parse_failed = true;
		goto fail;
	}
done:
	free(buf);
	parse_finish(st);
	return 0;
fail:
	free(buf);
	return -1;
}

/* ---- reading a process ---- */

/* e from the error le of reading shown, the maps of pid. */
static void read_error(const struct vms_root *r, int pid, const char *shown,
		       const struct vms_err *le, struct vms_err *e)
{
	switch (le->code) {
	case ENOENT:
	case ESRCH:
		err_set(e, VMS_ENOPROC,
			"process %d does not exist (it may have exited)", pid);
		break;
	case EACCES:
	case EPERM:
		if (r->live)
			err_set(e, le->code,
				"cannot read %s: reading another user's process needs root (run vmscope as root, or as the user that owns process %d)",
				shown, pid);
		else
			err_set(e, le->code,
				"cannot read %s: permission denied (check the snapshot's file permissions)",
				shown);
		break;
	default:
		if (e)
			*e = *le;
	}
}

/* Read ROOT/proc/PID/smaps or maps through the parser st: vmas_read
 * and vmas_reread. */
static int read_proc(const struct vms_root *r, int pid, bool with_smaps,
		     struct vparse *st, struct vms_err *e)
{
	char rel[64], shown[1024 + 64];
	const char *file = with_smaps ? "smaps" : "maps";
	struct vms_err le;
	bool parse_failed = false;
	struct root_file *f;
	int rc, tries = 0;

	err_clear(&le);
	if (pid <= 0) {
		err_set(e, VMS_ENOPROC, "process %d does not exist", pid);
		return -1;
	}
again:
	parse_failed = false;
	snprintf(rel, sizeof rel, "proc/%d/%s", pid, file);
	f = root_fopen(r, rel, &le);
	if (!f && le.code == ENOENT && !r->live) {
		/* smaps: a kernel without CONFIG_PROC_PAGE_MONITOR, or a
		 * snapshot that kept only maps; maps: a snapshot keeps smaps,
		 * whose VMA lines are maps' */
		file = with_smaps ? "maps" : "smaps";
		snprintf(rel, sizeof rel, "proc/%d/%s", pid, file);
		if (root_exists(r, rel))
			f = root_fopen(r, rel, &le);
	} else if (!f && with_smaps && le.code == ENOENT) {
		snprintf(rel, sizeof rel, "proc/%d/maps", pid);
		file = "maps";
		if (root_exists(r, rel))
			f = root_fopen(r, rel, &le);
	}
	root_shown(r, rel, shown, sizeof shown);
	rc = !f ? -1 : parse_file(f, shown, st, &parse_failed, &le);
	root_fclose(f);
	if (rc < 0 && st->overlap && r->live) {
		/* changed under the reader: read it again, a few times */
		if (++tries < VMAS_READ_TRIES) {
			vmas_free(st->out);
			st->cur = NULL;
			st->lineno = st->width = 0;
			st->overlap = false;
			goto again;
		}
		err_set(e, EAGAIN,
			"process %d changed its mappings while they were read, %d times in a row: try again",
			pid, tries);
		return -1;
	}
	if (rc < 0 && parse_failed) {
		err_set(e, le.code, "%s %s", shown, le.msg);
		return -1;
	}
	if (rc < 0)
		read_error(r, pid, shown, &le, e);
	return rc < 0 ? -1 : 0;
}

int vmas_read(const struct vms_root *r, int pid, bool with_smaps,
	      struct vma_list *out, struct vms_err *e)
{
	struct vparse st = { .out = out, .ordered = true };

	memset(out, 0, sizeof *out);
	if (read_proc(r, pid, with_smaps, &st, e) < 0) {
		vmas_free(out);
		return -1;
	}
	out->pid = pid;
	if (out->n == 0)
		out->addr_width = (unsigned)root_addr_width(r);
	return 0;
}

int vmas_reread(const struct vms_root *r, int pid, bool with_smaps,
		struct vma_list *l, struct vms_err *e)
{
	struct vparse st = { .out = l, .update = true };

	if (read_proc(r, pid, with_smaps, &st, e) < 0)
		return -1;
	return st.differs ? 0 : 1;
}
