/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "vmscope/escape.h"
#include "vmscope/root.h"
#include "vmscope/stopsig.h"
#include "root_int.h"

unsigned root_log2(unsigned v)
{
	unsigned s = 0;

	while ((1u << s) < v)
		s++;
	return s;
}

/* 32-bit user address space on these machine names. */
unsigned root_arch_addr_bits(const char *arch)
{
	static const char *const bits32[] = {
		"arm", "armv", "i386", "i486", "i586", "i686", "x86", "mips",
		"mipsel", "ppc", "powerpc", "riscv32", "sh", "m68k", "xtensa",
		"arc", "microblaze", "nios2", "or1k", "sparc", "parisc", "s390",
		NULL };
	size_t i;

	if (strstr(arch, "64") || strcmp(arch, "s390x") == 0)
		return 64;
	for (i = 0; bits32[i]; i++)
		if (strncmp(arch, bits32[i], strlen(bits32[i])) == 0)
			return 32;
	return 64;
}

static void copy_value(char *dst, size_t n, const char *v, size_t vlen)
{
	if (vlen >= n)
		vlen = n - 1;
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
}

/* s escaped for a terminal into d (size n). */
static const char *esc(char *d, size_t n, const char *s)
{
	escape_text(d, n, s, strlen(s));
	return d;
}

/* One KEY=VALUE of the conf into r: 0, or -1 with e set. */
static int conf_key(struct vms_root *r, const char *k, size_t klen,
		    const char *v, size_t vlen, unsigned lineno,
		    bool *have_ps, struct vms_err *e)
{
	char num[32], *ep;
	unsigned long ps;
	long format;

#define KEY(s) (klen == sizeof(s) - 1 && memcmp(k, s, klen) == 0)
	if (KEY("page_size")) {
		copy_value(num, sizeof num, v, vlen);
		ps = strtoul(num, &ep, 0);
		if (*ep || ps < 512 || ps > (1ul << 20) || (ps & (ps - 1))) {
			err_set(e, VMS_EFORMAT,
				"%s line %u: page_size '%s' is not a power of two between 512 and 1M",
				ROOT_CONF_NAME, lineno, num);
			return -1;
		}
		r->page_size = (unsigned)ps;
		*have_ps = true;
	} else if (KEY("arch")) {
		copy_value(r->arch, sizeof r->arch, v, vlen);
	} else if (KEY("kernel_release")) {
		copy_value(r->release, sizeof r->release, v, vlen);
	} else if (KEY("time")) {
		copy_value(r->taken, sizeof r->taken, v, vlen);
	} else if (KEY("hostname")) {
		copy_value(r->hostname, sizeof r->hostname, v, vlen);
	} else if (KEY("byte_order")) {
		if (root_order_parse(v, vlen, &r->big_endian) < 0) {
			char shown[64];

			copy_value(num, sizeof num, v, vlen);
			err_set(e, VMS_EFORMAT,
				"%s line %u: byte_order '%s' is neither 'little' nor 'big'",
				ROOT_CONF_NAME, lineno, esc(shown, sizeof shown, num));
			return -1;
		}
	} else if (KEY("pfn_visible")) {
		r->pfn_visible = vlen == 1 && v[0] == '1';
	} else if (KEY("format")) {
		copy_value(num, sizeof num, v, vlen);
		format = strtol(num, NULL, 10);
		if (format < 1 || format > ROOT_FORMAT_VERSION) {
			err_set(e, VMS_EFORMAT,
				"%s: snapshot format '%s' is %s than this vmscope understands (%d); open it with a newer vmscope",
				ROOT_CONF_NAME, num,
				format > ROOT_FORMAT_VERSION ? "newer" : "other",
				ROOT_FORMAT_VERSION);
			return -1;
		}
	}
	/* other keys (vmscope_version, comments...) are informational */
#undef KEY
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

int root_parse_conf(struct vms_root *r, const char *text, size_t len,
		    struct vms_err *e)
{
	const char *p = text, *end = text + len;
	unsigned lineno = 0;
	bool have_ps = false;

	r->pfn_visible = true;
	r->big_endian = false;   /* a conf without byte_order: see root.h */
	for (; p < end; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *eq, *v;
		size_t klen, vlen;

		while (p < le && blank(*p))
			p++;
		if (p < le && *p != '#') {
			eq = memchr(p, '=', (size_t)(le - p));
			if (!eq) {
				err_set(e, VMS_EFORMAT, "%s line %u: expected KEY=VALUE",
					ROOT_CONF_NAME, lineno + 1);
				return -1;
			}
			for (klen = (size_t)(eq - p); klen && blank(p[klen - 1]);)
				klen--;
			for (v = eq + 1; v < le && blank(*v);)
				v++;
			vlen = (size_t)(le - v);
			while (vlen && (blank(v[vlen - 1]) || v[vlen - 1] == '\r'))
				vlen--;
			if (conf_key(r, p, klen, v, vlen, lineno + 1, &have_ps, e) < 0)
				return -1;
		}
		p = nl ? nl + 1 : end;
	}
	if (!have_ps) {
		err_set(e, VMS_EFORMAT, "%s has no page_size line",
			ROOT_CONF_NAME);
		return -1;
	}
	r->page_shift = root_log2(r->page_size);
	if (!r->arch[0])
		snprintf(r->arch, sizeof r->arch, "unknown");
	r->addr_bits = root_arch_addr_bits(r->arch);
	return 0;
}

int root_addr_width(const struct vms_root *r)
{
	return r->addr_bits == 32 ? 8 : 16;
}

void root_describe(const struct vms_root *r, char *buf, size_t n)
{
	/* a snapshot's conf came from another machine, and the path from
	 * wherever the file was found: escaped like any process text */
	char host[sizeof r->hostname], arch[sizeof r->arch];
	char rel[sizeof r->release], when[sizeof r->taken], path[1024];

	esc(host, sizeof host, r->hostname);
	esc(arch, sizeof arch, r->arch);
	esc(rel, sizeof rel, r->release);
	esc(when, sizeof when, r->taken);
	esc(path, sizeof path, r->path);
	if (r->live)
		snprintf(buf, n, "%s: %s (%s, %s)",
			 r->ops && !strcmp(r->ops->name, "remote") ? "remote" : "live",
			 host, arch, rel);
	else
		snprintf(buf, n, "snapshot %s: %s %s %s%s%s", path,
			 host[0] ? host : "?", arch, rel,
			 when[0] ? " @ " : "", when);
}

/* ---- the generic layer: every read goes through r->ops ---- */

const char *root_shown(const struct vms_root *r, const char *rel, char *buf,
		       size_t n)
{
	char path[1024], name[512];

	while (*rel == '/')
		rel++;
	esc(name, sizeof name, rel);
	if (r->live)
		snprintf(buf, n, "/%s", name);
	else
		snprintf(buf, n, "%s/%s", esc(path, sizeof path, r->path), name);
	return buf;
}

static const char *clean_rel(const char *rel)
{
	while (*rel == '/')
		rel++;
	return *rel ? rel : ".";
}

int root_open(struct vms_root *r, const char *dir, struct vms_err *e)
{
	struct stat st, rootst;

	if (!dir || !*dir || (stat(dir, &st) == 0 && stat("/", &rootst) == 0 &&
			      st.st_dev == rootst.st_dev &&
			      st.st_ino == rootst.st_ino)) {
		if (root_live_open(r, e) < 0)
			return -1;
		if (dir && *dir)   /* as given, for messages */
			snprintf(r->path, sizeof r->path, "%s", dir);
		return 0;
	}
	return root_dir_open(r, dir, e);
}

static void stats_free(struct vms_root *r)
{
	size_t i;

	for (i = 0; i < r->nstats; i++)
		free(r->stats[i].path);
	free(r->stats);
	r->stats = NULL;
	r->nstats = 0;
}

void root_close(struct vms_root *r)
{
	if (r->ops && r->ops->destroy)
		r->ops->destroy(r);
	r->ops = NULL;
	r->ctx = NULL;
	stats_free(r);
	root_recorded_free(r);
}

struct root_file *root_fopen(const struct vms_root *r, const char *rel,
			     struct vms_err *e)
{
	struct root_file *f = NULL;

	if (!r->ops) {
		err_set(e, EBADF, "no root is open");
		return NULL;
	}
	if (stopsig_check(e) < 0)   /* ^C: no new work */
		return NULL;
	rel = clean_rel(rel);
	if (r->ops->open(r, rel, &f, e) < 0)
		return NULL;
	f->root = r;
	f->ops = r->ops;
	snprintf(f->rel, sizeof f->rel, "%s", rel);
	f->swap_entries = r->big_endian != root_host_big_endian() &&
			  root_is_entry_file(rel);
	return f;
}

ssize_t root_pread(struct root_file *f, void *buf, size_t n, uint64_t off,
		   struct vms_err *e)
{
	if (f->swap_entries)
		return root_order_pread(f, buf, n, off, e);
	return root_pread_raw(f, buf, n, off, e);
}

ssize_t root_pread_some(struct root_file *f, void *buf, size_t n,
			uint64_t off, struct vms_err *e)
{
	if (f->swap_entries)
		return root_order_pread(f, buf, n, off, e);
	if (stopsig_check(e) < 0)
		return -1;
	return n ? f->ops->pread(f, buf, n, off, e) : 0;
}

ssize_t root_pread_raw(struct root_file *f, void *buf, size_t n,
		       uint64_t off, struct vms_err *e)
{
	size_t done = 0;

	if (stopsig_check(e) < 0)
		return -1;
	while (done < n) {
		ssize_t got = f->ops->pread(f, (char *)buf + done, n - done,
					    off + done, e);

		if (got < 0)
			return -1;
		if (got == 0)
			break;
		done += (size_t)got;
	}
	return (ssize_t)done;
}

int root_preadv(struct root_iov *v, size_t n, struct vms_err *e)
{
	size_t i;

	if (n && v[0].f->ops->preadv && root_order_iov_aligned(v, n)) {
		if (v[0].f->ops->preadv(v, n, e) < 0)
			return -1;
		root_order_iov_convert(v, n);
		return 0;
	}
	for (i = 0; i < n; i++) {
		ssize_t got = root_pread(v[i].f, v[i].buf, v[i].n, v[i].off, e);

		if (got < 0)
			return -1;
		v[i].got = (size_t)got;
	}
	return 0;
}

void root_prefetch(const struct vms_root *r, int what,
		   const char *const *rel, size_t n)
{
	if (n && r->ops && r->ops->prefetch)
		r->ops->prefetch(r, what, rel, n);
}

void root_fclose(struct root_file *f)
{
	if (f)
		f->ops->close(f);
}

int root_ffd(struct root_file *f)
{
	return f && f->ops->fd ? f->ops->fd(f) : -1;
}

int root_read_text(const struct vms_root *r, const char *rel, char **buf,
		   size_t *len, struct vms_err *e)
{
	struct root_file *f = root_fopen(r, rel, e);
	size_t cap = 16384, n = 0;
	char *b = NULL;

	*buf = NULL;
	if (len)
		*len = 0;
	if (!f)
		return -1;
	for (;;) {
		ssize_t got;

		if (!b || cap - n < 4096) {
			char *nb = realloc(b, b ? cap * 2 : cap);

			if (!nb) {
				err_sys(e, ENOMEM, "reading %s", rel);
				goto fail;
			}
			cap = b ? cap * 2 : cap;
			b = nb;
		}
		got = f->ops->pread(f, b + n, cap - n - 1, n, e);
		if (got < 0)
			goto fail;
		if (got == 0)
			break;
		n += (size_t)got;
	}
	root_fclose(f);
	b[n] = '\0';
	*buf = b;
	if (len)
		*len = n;
	return 0;
fail:
	free(b);
	root_fclose(f);
	return -1;
}

static int statrec_cmp(const void *key, const void *rec)
{
	return strcmp(key, ((const struct root_statrec *)rec)->path);
}

int root_stat(const struct vms_root *r, const char *rel,
	      struct root_stat *st, struct vms_err *e)
{
	const struct root_statrec *sr;

	rel = clean_rel(rel);
	sr = r->nstats ? bsearch(rel, r->stats, r->nstats, sizeof *r->stats,
				 statrec_cmp) : NULL;
	if (sr) {
		*st = sr->st;
		return 0;
	}
	if (!r->ops) {
		err_set(e, EBADF, "no root is open");
		return -1;
	}
	return r->ops->stat(r, rel, st, e);
}

static int statrec_sort_cmp(const void *a, const void *b)
{
	return strcmp(((const struct root_statrec *)a)->path,
		      ((const struct root_statrec *)b)->path);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add to names the children of rel that only the stat records know (a
 * snapshot records the directories a reader stat'ed, not their files). */
static int list_recorded(const struct vms_root *r, const char *rel,
			 char ***names, size_t *n)
{
	size_t rl = strcmp(rel, ".") ? strlen(rel) : 0, i, j, have = *n;

	for (i = 0; i < r->nstats; i++) {
		const char *p = r->stats[i].path, *child;
		char **nv;

		if (rl && (strncmp(p, rel, rl) || p[rl] != '/'))
			continue;
		child = p + (rl ? rl + 1 : 0);
		if (!*child || strchr(child, '/'))
			continue;
		for (j = 0; j < have && strcmp((*names)[j], child); j++)
			;
		if (j < have)
			continue;
		nv = realloc(*names, (*n + 1) * sizeof *nv);
		if (!nv)
			return -1;
		*names = nv;
		if (!(nv[*n] = strdup(child)))
			return -1;
		(*n)++;
	}
	return 0;
}

int root_list(const struct vms_root *r, const char *rel, char ***names,
	      size_t *n, struct vms_err *e)
{
	struct vms_err le;
	int rc;

	*names = NULL;
	*n = 0;
	if (!r->ops) {
		err_set(e, EBADF, "no root is open");
		return -1;
	}
	rel = clean_rel(rel);
	rc = r->ops->list(r, rel, names, n, &le);
	if (rc < 0) {
		*names = NULL;
		*n = 0;
	}
	if (r->nstats && list_recorded(r, rel, names, n) < 0) {
		root_list_free(*names, *n);
		*names = NULL;
		*n = 0;
		err_sys(e, ENOMEM, "listing %s", rel);
		return -1;
	}
	if (rc < 0 && *n == 0) {
		if (e)
			*e = le;
		return -1;
	}
	if (*n > 1)
		qsort(*names, *n, sizeof **names, name_cmp);
	return 0;
}

void root_list_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

bool root_exists(const struct vms_root *r, const char *rel)
{
	struct root_stat st;

	return root_stat(r, rel, &st, NULL) == 0;
}

/* ROOT_STAT_NAME: lines "MODE INO DEV RDEV SIZE PATH" (mode octal, the
 * rest decimal), PATH to the end of the line. */
static int stats_parse(struct vms_root *r, char *text, struct vms_err *e)
{
	char *line, *save = NULL;
	size_t cap = 0;
	unsigned lineno = 0;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct root_statrec sr;
		unsigned long mode;
		unsigned long long ino, dev, rdev, size;
		int off = 0;

		lineno++;
		if (sscanf(line, "%lo %llu %llu %llu %llu %n", &mode, &ino, &dev,
			   &rdev, &size, &off) != 5 || off <= 0 || !line[off]) {
			err_set(e, VMS_EFORMAT, "%s line %u: expected MODE INO DEV RDEV SIZE PATH",
				ROOT_STAT_NAME, lineno);
			return -1;
		}
		if (r->nstats == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct root_statrec *ns = realloc(r->stats, nc * sizeof *ns);

			if (!ns) {
				err_sys(e, ENOMEM, "reading %s", ROOT_STAT_NAME);
				return -1;
			}
			r->stats = ns;
			cap = nc;
		}
		sr.st = (struct root_stat){ .mode = (uint32_t)mode, .ino = ino,
			.dev = dev, .rdev = rdev, .size = size };
		sr.path = strdup(line + off);
		if (!sr.path) {
			err_sys(e, ENOMEM, "reading %s", ROOT_STAT_NAME);
			return -1;
		}
		r->stats[r->nstats++] = sr;
	}
	if (r->nstats > 1)
		qsort(r->stats, r->nstats, sizeof *r->stats, statrec_sort_cmp);
	return 0;
}

int root_load_conf(struct vms_root *r, struct vms_err *e)
{
	char shown[256], *text;
	size_t len;
	int rc;

	if (r->ops->stat(r, ROOT_CONF_NAME, &(struct root_stat){ 0 }, NULL) < 0) {
		err_set(e, VMS_EFORMAT,
			"'%s' is not a vmscope snapshot: it has no %s (make one with 'vmscope snapshot -o DIR', or use --root / for the live system)",
			esc(shown, sizeof shown, r->path), ROOT_CONF_NAME);
		return -1;
	}
	if (root_read_text(r, ROOT_CONF_NAME, &text, &len, e) < 0)
		return -1;
	rc = root_parse_conf(r, text, len, e);
	free(text);
	if (rc < 0) {
		char msg[sizeof e->msg];

		if (e) {
			snprintf(msg, sizeof msg, "snapshot '%s': %s",
				 esc(shown, sizeof shown, r->path), e->msg);
			memcpy(e->msg, msg, sizeof msg);
		}
		return -1;
	}
	if (root_recorded_load(r, e) < 0)
		return -1;
	if (r->ops->stat(r, ROOT_STAT_NAME, &(struct root_stat){ 0 }, NULL) < 0)
		return 0;
	if (root_read_text(r, ROOT_STAT_NAME, &text, &len, e) < 0)
		return -1;
	rc = stats_parse(r, text, e);
	free(text);
	if (rc < 0)
		stats_free(r);
	return rc;
}
