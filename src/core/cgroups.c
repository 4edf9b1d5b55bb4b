/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroups: memcg inode -> path: the memory controller's mount(s) from
 * ROOT/proc/self/mountinfo, walked through the root (a snapshot answers
 * the walk's listings and stats with what the capture recorded). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "vmscope/cgroups.h"

#define CG_MAX_MOUNTS 16
#define CG_MAX_DEPTH 64      /* deeper cgroups are not looked for */
#define CG_REWALK_NS 1000000000LL

struct cg_ent {
	uint64_t ino;       /* 0: empty slot */
	const char *path;
	unsigned gen;       /* walk that last set path */
};

struct cgroups {
	const struct vms_root *root;
	char *mounts[CG_MAX_MOUNTS];
	int nmounts;
	bool walked;
	struct timespec last_walk;
	unsigned gen;
	struct cg_ent *tab;
	size_t cap, used;
	char **strs;        /* every path ever handed out, freed at the end */
	size_t nstrs, capstrs;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static size_t slot_of(uint64_t ino, size_t cap)
{
	uint64_t h = ino * UINT64_C(0x9E3779B97F4A7C15);

	return (size_t)(h >> 32) & (cap - 1);
}

static struct cg_ent *find(struct cgroups *c, uint64_t ino)
{
	size_t i;

	if (!c->cap)
		return NULL;
	for (i = slot_of(ino, c->cap);; i = (i + 1) & (c->cap - 1)) {
		if (c->tab[i].ino == ino)
			return &c->tab[i];
		if (!c->tab[i].ino)
			return NULL;
	}
}

static int grow(struct cgroups *c)
{
	size_t ncap = c->cap ? c->cap * 2 : 256, i;
	struct cg_ent *nt = calloc(ncap, sizeof *nt);

	if (!nt)
		return -1;
	for (i = 0; i < c->cap; i++) {
		size_t j;

		if (!c->tab[i].ino)
			continue;
		for (j = slot_of(c->tab[i].ino, ncap); nt[j].ino;
		     j = (j + 1) & (ncap - 1))
			;
		nt[j] = c->tab[i];
	}
	free(c->tab);
	c->tab = nt;
	c->cap = ncap;
	return 0;
}

static const char *keep(struct cgroups *c, const char *s, size_t len)
{
	char *d;

	if (c->nstrs == c->capstrs) {
		size_t nc = c->capstrs ? c->capstrs * 2 : 256;
		char **ns = realloc(c->strs, nc * sizeof *ns);

		if (!ns)
			return NULL;
		c->strs = ns;
		c->capstrs = nc;
	}
	d = malloc(len + 1);
	if (!d)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	c->strs[c->nstrs++] = d;
	return d;
}

/* Record ino -> path.  Within one walk the first mount wins; a later walk
 * replaces a path that changed (v1 cgroups can be renamed).  Old strings
 * stay valid: they are freed only by cgroups_free. */
static void insert(struct cgroups *c, uint64_t ino, const char *path,
		   size_t len)
{
	struct cg_ent *ent;
	const char *p;
	size_t i;

	if (!ino)
		return;
	ent = find(c, ino);
	if (ent) {
		if (ent->gen == c->gen)
			return;
		ent->gen = c->gen;
		if (strlen(ent->path) == len && memcmp(ent->path, path, len) == 0)
			return;
		p = keep(c, path, len);
		if (p)
			ent->path = p;
		return;
	}
	if ((c->used + 1) * 10 > c->cap * 7 && grow(c) < 0)
		return;
	p = keep(c, path, len);
	if (!p)
		return;
	for (i = slot_of(ino, c->cap); c->tab[i].ino; i = (i + 1) & (c->cap - 1))
		;
	c->tab[i].ino = ino;
	c->tab[i].path = p;
	c->tab[i].gen = c->gen;
	c->used++;
}

/* Path buffer that grows as deep as the tree goes. */
struct pathbuf {
	char *s;
	size_t len, cap;
};

static bool pb_push(struct pathbuf *pb, const char *name)
{
	size_t nl = strlen(name), need = pb->len + 1 + nl + 1;

	if (need > pb->cap) {
		size_t nc = pb->cap ? pb->cap : 256;
		char *ns;

		while (nc < need)
			nc *= 2;
		ns = realloc(pb->s, nc);
		if (!ns)
			return false;
		pb->s = ns;
		pb->cap = nc;
	}
	pb->s[pb->len++] = '/';
	memcpy(pb->s + pb->len, name, nl + 1);
	pb->len += nl;
	return true;
}

/* The names of directory pb about to be stat'ed, asked at once (a remote
 * root then needs one round trip for them, not one each). */
static void prefetch_stats(struct cgroups *c, const char *dir,
			   char *const *names, size_t n)
{
	char **rel = calloc(n + 1, sizeof *rel);
	size_t i, k = 0;

	for (i = 0; rel && i < n; i++)
		if (asprintf(&rel[k], "%s/%s", dir, names[i]) >= 0)
			k++;
	if (rel)
		root_prefetch(c->root, ROOT_PREFETCH_STAT, (const char *const *)rel, k);
	for (i = 0; rel && i < k; i++)
		free(rel[i]);
	free(rel);
}

/* The directories below pb (a path relative to the root), on device
 * dev, each recorded with its inode. */
static void walk_dir(struct cgroups *c, struct pathbuf *pb, size_t top,
		     uint64_t dev, unsigned depth)
{
	char **names;
	size_t n, i;

	if (root_list(c->root, pb->s, &names, &n, NULL) < 0)
		return;
	prefetch_stats(c, pb->s, names, n);
	for (i = 0; i < n; i++) {
		struct root_stat st;
		size_t saved = pb->len;

		if (!pb_push(pb, names[i]))
			break;
		if (root_stat(c->root, pb->s, &st, NULL) == 0 &&
		    S_ISDIR(st.mode) && st.dev == dev) {
			insert(c, st.ino, pb->s + top, pb->len - top);
			if (depth + 1 < CG_MAX_DEPTH)
				walk_dir(c, pb, top, dev, depth + 1);
		}
		pb->len = saved;
		pb->s[saved] = '\0';
	}
	root_list_free(names, n);
}

static void walk_all(struct cgroups *c)
{
	struct pathbuf pb = { NULL, 0, 0 };
	int i;

	c->gen++;
	c->walked = true;
	clock_gettime(CLOCK_MONOTONIC, &c->last_walk);
	for (i = 0; i < c->nmounts; i++) {
		const char *rel = c->mounts[i];
		struct root_stat st;

		while (*rel == '/')
			rel++;
		if (!*rel)
			rel = ".";
		pb.len = 0;
		if (!pb_push(&pb, rel))
			break;
		/* pb holds "/REL": the root's calls take it without the '/' */
		memmove(pb.s, pb.s + 1, pb.len--);
		if (root_stat(c->root, pb.s, &st, NULL) < 0 || !S_ISDIR(st.mode))
			continue;
		insert(c, st.ino, "/", 1);
		walk_dir(c, &pb, pb.len, st.dev, 0);
	}
	free(pb.s);
}

/* Undo mountinfo's octal escapes (\040 space, \011 tab, \012, \134). */
static char *unescape(const char *s, size_t len)
{
	char *d = malloc(len + 1);
	size_t i, j = 0;

	if (!d)
		return NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 3 < len &&
		    s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			d[j++] = (char)((s[i + 1] - '0') * 64 +
					(s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		} else {
			d[j++] = s[i];
		}
	}
	d[j] = '\0';
	return d;
}

/* Add m to list unless it is there already (a hierarchy mounted twice
 * at one place); frees m when not kept. */
static void add_mount(char **list, int *n, int max, char *m)
{
	int i;

	if (!m)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(list[i], m) == 0)
			break;
	if (i < *n || *n >= max) {
		free(m);
		return;
	}
	list[(*n)++] = m;
}

/* Whether the comma-separated list [s, s+len) holds word. */
static bool has_option(const char *s, size_t len, const char *word)
{
	size_t wl = strlen(word);
	const char *end = s + len;

	while (s < end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *e = comma ? comma : end;

		if ((size_t)(e - s) == wl && memcmp(s, word, wl) == 0)
			return true;
		s = e + 1;
	}
	return false;
}

int cgroups_parse_mountinfo(const char *text, char **mounts, int max)
{
	char *v2[CG_MAX_MOUNTS];
	int n1 = 0, n2 = 0, i;
	const char *p = text;

	if (max <= 0)
		return 0;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);
		const char *f[5], *q = p, *sep;
		size_t fl[5];
		int nf = 0;

		/* fields 1-5: id parent maj:min root mountpoint */
		while (nf < 5 && q < end) {
			const char *sp;

			while (q < end && *q == ' ')
				q++;
			sp = memchr(q, ' ', (size_t)(end - q));
			if (!sp)
				sp = end;
			f[nf] = q;
			fl[nf] = (size_t)(sp - q);
			nf++;
			q = sp;
		}
		sep = nf == 5 ? strstr(q, " - ") : NULL;
		if (sep && sep < end) {
			const char *fs = sep + 3, *fse, *src, *srce, *opt;

			fse = memchr(fs, ' ', (size_t)(end - fs));
			if (fse) {
				src = fse + 1;
				srce = memchr(src, ' ', (size_t)(end - src));
				opt = srce ? srce + 1 : end;
				if ((size_t)(fse - fs) == 6 &&
				    memcmp(fs, "cgroup", 6) == 0 &&
				    has_option(opt, (size_t)(end - opt), "memory"))
					add_mount(mounts, &n1, max,
						  unescape(f[4], fl[4]));
				else if ((size_t)(fse - fs) == 7 &&
					 memcmp(fs, "cgroup2", 7) == 0)
					add_mount(v2, &n2, CG_MAX_MOUNTS,
						  unescape(f[4], fl[4]));
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	/* memory bound to v1 is not on v2: v2 only when no v1 has it */
	for (i = 0; i < n2; i++) {
		if (n1 == 0 && i < max)
			mounts[i] = v2[i];
		else
			free(v2[i]);
	}
	return n1 ? n1 : (n2 < max ? n2 : max);
}

/* Snapshots made before the capture recorded stats (and the bundled
 * demos) list "INODE PATH" lines in ROOT/cgroup-inodes instead. */
static void load_legacy_inodes(struct cgroups *c, const struct vms_root *r)
{
	char *text, *p;
	size_t len;

	if (root_read_text(r, "cgroup-inodes", &text, &len, NULL) < 0)
		return;
	c->gen = 1;
	for (p = text; p && *p;) {
		char *nl = strchr(p, '\n'), *ep;
		unsigned long long ino;

		if (nl)
			*nl = '\0';
		errno = 0;
		ino = strtoull(p, &ep, 10);
		if (!errno && ep != p && *ep == ' ' && ep[1])
			insert(c, ino, ep + 1, strlen(ep + 1));
		p = nl ? nl + 1 : NULL;
	}
	free(text);
	c->walked = true;
}

int cgroups_open(const struct vms_root *r, struct cgroups **out,
		 struct vms_err *e)
{
	struct cgroups *c = calloc(1, sizeof *c);
	char *text;

	*out = NULL;
	if (!c) {
		err_sys(e, ENOMEM, "reading cgroups");
		return -1;
	}
	c->root = r;
	if (root_read_text(r, "proc/self/mountinfo", &text, NULL, NULL) == 0) {
		c->nmounts = cgroups_parse_mountinfo(text, c->mounts,
						     CG_MAX_MOUNTS);
		free(text);
	}
	/* a snapshot, here or served by a board's agent (--serve --root) */
	if ((!r->live || !root_is_local(r)) && !c->nmounts)
		load_legacy_inodes(c, r);
	*out = c;
	return 0;
}

void cgroups_free(struct cgroups *c)
{
	size_t i;
	int m;

	if (!c)
		return;
	for (m = 0; m < c->nmounts; m++)
		free(c->mounts[m]);
	for (i = 0; i < c->nstrs; i++)
		free(c->strs[i]);
	free(c->strs);
	free(c->tab);
	free(c);
}

const char *cgroups_path(struct cgroups *c, uint64_t ino)
{
	struct cg_ent *ent;
	uint64_t last;

	if (!c || !ino)
		return NULL;
	if (!c->walked)
		walk_all(c);
	ent = find(c, ino);
	if (ent)
		return ent->path;
	if (!c->root->live || !c->nmounts)
		return NULL;
	last = (uint64_t)c->last_walk.tv_sec * 1000000000u +
	       (uint64_t)c->last_walk.tv_nsec;
	if (now_ns() - last < (uint64_t)CG_REWALK_NS)
		return NULL;
	walk_all(c);
	ent = find(c, ino);
	return ent ? ent->path : NULL;
}
