/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kranges_sources: the files of the machine's map read through the root,
 * nothing parsed (kranges_read.c parses them).  Apart so that the capture
 * and vmscope-collect run the very reads of the screens without linking
 * the parsers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/kranges.h"

#define MEMMAP_MAX 4096
#define UIO_MAPS_MAX 64

static void read_one(const struct vms_root *r, const char *rel,
		     struct ksource_text *t)
{
	err_clear(&t->err);
	if (root_read_text(r, rel, &t->text, &t->len, &t->err) < 0)
		t->text = NULL;
}

/* A small sysfs file, its trailing newline and blanks cut; NULL when
 * unreadable. */
static char *read_small(const struct vms_root *r, const char *rel)
{
	char *text;
	size_t len;

	if (root_read_text(r, rel, &text, &len, NULL) < 0)
		return NULL;
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	return text;
}

/* The files of the first entries, asked at once (a remote root then
 * needs one round trip for them, not three per entry). */
#define MEMMAP_PREFETCH 64
static void prefetch_memmap(const struct vms_root *r)
{
	static const char *const f[] = { "start", "end", "type" };
	char *rel[MEMMAP_PREFETCH * 3];
	size_t n = 0, i;

	for (i = 0; i < MEMMAP_PREFETCH * 3; i++)
		if (asprintf(&rel[n], "sys/firmware/memmap/%zu/%s", i / 3, f[i % 3]) >= 0)
			n++;
	root_prefetch(r, ROOT_PREFETCH_READ, (const char *const *)rel, n);
	for (i = 0; i < n; i++)
		free(rel[i]);
}

static int read_memmap(const struct vms_root *r, struct kranges_sources *s)
{
	char rel[96];
	unsigned i;

	prefetch_memmap(r);
	for (i = 0; i < MEMMAP_MAX; i++) {
		struct ksource_memmap m, *nm;

		snprintf(rel, sizeof rel, "sys/firmware/memmap/%u/start", i);
		if (!(m.start = read_small(r, rel)))
			break;
		snprintf(rel, sizeof rel, "sys/firmware/memmap/%u/end", i);
		m.end = read_small(r, rel);
		snprintf(rel, sizeof rel, "sys/firmware/memmap/%u/type", i);
		m.type = read_small(r, rel);
		nm = realloc(s->memmap, (i + 1) * sizeof *nm);
		if (!nm) {
			free(m.start);
			free(m.end);
			free(m.type);
			return -1;
		}
		s->memmap = nm;
		nm[i] = m;
		s->nmemmap = i + 1;
	}
	return 0;
}

/* The maps of one UIO device. */
static int read_uio_dev(const struct vms_root *r, const char *dev,
			struct kranges_sources *s)
{
	char rel[256], *devname;
	unsigned m;

	snprintf(rel, sizeof rel, "sys/class/uio/%s/name", dev);
	devname = read_small(r, rel);
	for (m = 0; m < UIO_MAPS_MAX; m++) {
		struct ksource_uio u = { .map = m }, *nu;

		snprintf(rel, sizeof rel, "sys/class/uio/%s/maps/map%u/addr", dev, m);
		if (!(u.addr = read_small(r, rel)))
			break;
		snprintf(rel, sizeof rel, "sys/class/uio/%s/maps/map%u/size", dev, m);
		u.size = read_small(r, rel);
		snprintf(rel, sizeof rel, "sys/class/uio/%s/maps/map%u/name", dev, m);
		u.name = read_small(r, rel);
		snprintf(u.dev, sizeof u.dev, "%s", dev);
		u.devname = devname ? strdup(devname) : NULL;
		nu = realloc(s->uio, (s->nuio + 1) * sizeof *nu);
		if (!nu) {
			free(u.addr);
			free(u.size);
			free(u.name);
			free(u.devname);
			free(devname);
			return -1;
		}
		s->uio = nu;
		nu[s->nuio++] = u;
	}
	free(devname);
	return 0;
}

static int read_uio(const struct vms_root *r, struct kranges_sources *s)
{
	char **names;
	size_t n, i;
	int rc = 0;

	if (root_list(r, "sys/class/uio", &names, &n, NULL) < 0)
		return 0;
	s->have_uio_dir = true;
	for (i = 0; i < n && rc == 0; i++)
		if (!strncmp(names[i], "uio", 3) && strlen(names[i]) <= 32)
			rc = read_uio_dev(r, names[i], s);
	root_list_free(names, n);
	return rc;
}

int kranges_sources_read(const struct vms_root *r,
			 const struct kranges_opts *o,
			 struct kranges_sources *s, struct vms_err *e)
{
	memset(s, 0, sizeof *s);
	if (!(o && (o->no_bootlog || o->bootlog_file))) {
		read_one(r, ROOT_BOOT_LOG, &s->bootlog);
		if (!s->bootlog.text && s->bootlog.err.code == ENOENT && !r->live)
			err_set(&s->bootlog.err, ENOENT,
				"the snapshot has no boot.log (give one with --bootlog FILE)");
	}
	if (o && o->bootlog_only)
		return 0;
	read_one(r, "proc/iomem", &s->iomem);
	if (read_memmap(r, s) < 0)
		goto nomem;
	read_one(r, "proc/cmdline", &s->cmdline);
	read_one(r, "proc/vmallocinfo", &s->vmallocinfo);
	if (!(o && o->phys_only)) {
		read_one(r, "proc/kallsyms", &s->kallsyms);
		read_one(r, "proc/modules", &s->modules);
	}
	if (read_uio(r, s) < 0)
		goto nomem;
	read_one(r, "proc/sys/kernel/kptr_restrict", &s->kptr_restrict);
	return 0;
nomem:
	kranges_sources_free(s);
	err_sys(e, ENOMEM, "reading the machine's map");
	return -1;
}

void kranges_sources_free(struct kranges_sources *s)
{
	struct ksource_text *t[] = { &s->bootlog, &s->iomem, &s->cmdline,
				     &s->vmallocinfo, &s->kallsyms,
				     &s->modules, &s->kptr_restrict };
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		free(t[i]->text);
		t[i]->text = NULL;
	}
	for (i = 0; i < s->nmemmap; i++) {
		free(s->memmap[i].start);
		free(s->memmap[i].end);
		free(s->memmap[i].type);
	}
	for (i = 0; i < s->nuio; i++) {
		free(s->uio[i].devname);
		free(s->uio[i].addr);
		free(s->uio[i].size);
		free(s->uio[i].name);
	}
	free(s->memmap);
	free(s->uio);
	memset(s, 0, sizeof *s);
}
