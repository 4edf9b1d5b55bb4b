/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kranges_read: the machine's map from its sources (kranges_sources.c
 * reads them through the root) fed to the parsers, with the notes that
 * say what is missing and why. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>
#include "vmscope/escape.h"
#include "vmscope/kranges.h"

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_SIZE_BUFFER 10

static int read_path(const char *path, char **text, size_t *len,
		     struct vms_err *e)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *b;

	if (!f) {
		int err = errno;
		char shown[512];

		escape_text(shown, sizeof shown, path, strlen(path));
		err_sys(e, err, "cannot open boot log '%s'", shown);
		return -1;
	}
	b = malloc(cap);
	while (b) {
		size_t got;

		if (cap - n < 4096) {
			char *nb = realloc(b, cap * 2);

			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
		got = fread(b + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (!b || ferror(f)) {
		int err = b ? EIO : ENOMEM;

		free(b);
		fclose(f);
		err_sys(e, err, "reading boot log '%s'", path);
		return -1;
	}
	fclose(f);
	b[n] = '\0';
	*text = b;
	*len = n;
	return 0;
}

static void src_missing(struct kranges *k, enum ksrc s, const struct vms_err *e)
{
	k->sources[s].used = false;
	snprintf(k->sources[s].detail, sizeof k->sources[s].detail, "%s", e->msg);
}

static void src_used(struct kranges *k, enum ksrc s, const char *detail)
{
	k->sources[s].used = true;
	snprintf(k->sources[s].detail, sizeof k->sources[s].detail, "%s", detail);
}

static void load_bootlog(struct kranges *k, const struct vms_root *r,
			 const struct kranges_opts *o, struct ksource_text *t)
{
	if (o && o->bootlog_file) {
		err_clear(&t->err);
		if (read_path(o->bootlog_file, &t->text, &t->len, &t->err) < 0)
			t->text = NULL;
		snprintf(k->bootlog_origin, sizeof k->bootlog_origin, "%s",
			 o->bootlog_file);
	} else if (r->live) {
		snprintf(k->bootlog_origin, sizeof k->bootlog_origin,
			 "kernel log");
	} else {
		snprintf(k->bootlog_origin, sizeof k->bootlog_origin,
			 "%s/" ROOT_BOOT_LOG, r->path);
	}
	if (!t->text) {
		src_missing(k, KSRC_BOOTLOG, &t->err);
		return;
	}
	kranges_parse_bootlog(k, t->text, t->len);
	src_used(k, KSRC_BOOTLOG, k->bootlog_origin);
	if (r->live && !(o && o->bootlog_file) &&
	    !strstr(t->text, "Linux version "))
		kranges_note(k, "the kernel log no longer holds the boot messages (its ring buffer wrapped): save them early after boot (dmesg > boot.log) and give them with --bootlog");
}

static void load_text(struct kranges *k, const struct ksource_text *t,
		      enum ksrc s,
		      int (*parse)(struct kranges *, const char *, size_t))
{
	if (!t->text) {
		src_missing(k, s, &t->err);
		return;
	}
	parse(k, t->text, t->len);
	src_used(k, s, ksrc_name(s));
}

static void load_cmdline(struct kranges *k, struct ksource_text *t)
{
	char *text = t->text;
	size_t len = t->len;

	if (!text) {
		src_missing(k, KSRC_CMDLINE, &t->err);
		return;
	}
	t->text = NULL;   /* k keeps it */
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\0'))
		text[--len] = '\0';
	kranges_parse_cmdline(k, text, len, KSRC_CMDLINE, 0);
	k->sources[KSRC_CMDLINE].lines = 1;
	if (!k->cmdline || k->cmdline_src == KSRC_BOOTLOG) {
		free(k->cmdline);
		k->cmdline = text;
		k->cmdline_src = KSRC_CMDLINE;
	} else {
		free(text);
	}
	src_used(k, KSRC_CMDLINE, "/proc/cmdline");
}

static void load_vmallocinfo(struct kranges *k, const struct vms_root *r,
			     const struct ksource_text *t)
{
	if (!t->text) {
		src_missing(k, KSRC_VMALLOCINFO, &t->err);
		return;
	}
	kranges_parse_vmallocinfo(k, t->text, t->len,
				  r->addr_bits ? r->addr_bits : 64,
				  r->page_size ? r->page_size : 4096);
	src_used(k, KSRC_VMALLOCINFO, "/proc/vmallocinfo");
}

static void load_fw_memmap(struct kranges *k, const struct kranges_sources *s)
{
	unsigned i;

	for (i = 0; i < s->nmemmap; i++) {
		const struct ksource_memmap *m = &s->memmap[i];

		if (m->end && m->type)
			kranges_parse_fw_memmap(k, i, m->start, m->end, m->type);
	}
	k->sources[KSRC_FW_MEMMAP].lines = s->nmemmap;
	if (s->nmemmap) {
		src_used(k, KSRC_FW_MEMMAP, "/sys/firmware/memmap");
	} else {
		snprintf(k->sources[KSRC_FW_MEMMAP].detail,
			 sizeof k->sources[0].detail,
			 "no /sys/firmware/memmap (not x86, or CONFIG_FIRMWARE_MEMMAP off)");
	}
}

/* /sys/class/uio/uioN/maps/mapM: addr, size, name. */
static void load_uio(struct kranges *k, const struct kranges_sources *s)
{
	unsigned maps = 0;
	size_t i;

	if (!s->have_uio_dir) {
		snprintf(k->sources[KSRC_UIO].detail, sizeof k->sources[0].detail,
			 "no UIO devices (no /sys/class/uio)");
		return;
	}
	for (i = 0; i < s->nuio; i++) {
		const struct ksource_uio *u = &s->uio[i];
		char nm[192], where[96];
		uint64_t a, sz;

		if (!u->size || sscanf(u->addr, "%llx", (unsigned long long *)&a) != 1 ||
		    sscanf(u->size, "%llx", (unsigned long long *)&sz) != 1 ||
		    !sz || a > UINT64_MAX - sz)
			continue;
		snprintf(nm, sizeof nm, "%s map%u (%s)", u->dev, u->map,
			 u->name && u->name[0] ? u->name :
			 u->devname ? u->devname : "?");
		snprintf(where, sizeof where, "%s/maps/map%u", u->dev, u->map);
		kranges_add(k, KSPACE_PHYS, KR_UIO, a, a + sz, nm, KSRC_UIO, 0,
			    where, strlen(where));
		maps++;
	}
	k->sources[KSRC_UIO].lines = maps;
	src_used(k, KSRC_UIO, "/sys/class/uio");
}

/* The kernel image in virtual space from iomem's "Kernel code/rodata/
 * data/bss" and kallsyms' _text: the image is mapped at one offset. */
static void derive_image(struct kranges *k)
{
	static const struct { const char *iomem, *name; } map[] = {
		{ "Kernel code", ".text" }, { "Kernel rodata", ".rodata" },
		{ "Kernel data", ".data" }, { "Kernel bss", ".bss" },
	};
	uint64_t code = 0, off;
	bool have = false;
	size_t i, j, n = k->n;

	if (!k->have_ksym_text)
		return;
	for (i = 0; i < n; i++)
		if (k->r[i].space == KSPACE_PHYS && k->r[i].kind == KR_KERNEL &&
		    !strcmp(k->r[i].name, "Kernel code")) {
			code = k->r[i].start;
			have = true;
			break;
		}
	if (!have || k->ksym_text < code)
		return;
	off = k->ksym_text - code;
	for (i = 0; i < n; i++) {
		/* kranges_add may move k->r: nothing of it is held across */
		uint64_t s = k->r[i].start, e = k->r[i].end;

		if (k->r[i].space != KSPACE_PHYS || k->r[i].kind != KR_KERNEL)
			continue;
		for (j = 0; j < sizeof map / sizeof map[0]; j++) {
			char t[200];
			const char *nm = map[j].name;

			if (strcmp(k->r[i].name, map[j].iomem) || e > UINT64_MAX - off)
				continue;
			snprintf(t, sizeof t,
				 "/proc/iomem \"%s\" 0x%llx-0x%llx + 0x%llx (kallsyms _text - iomem \"Kernel code\")",
				 map[j].iomem, (unsigned long long)s,
				 (unsigned long long)(e - 1), (unsigned long long)off);
			kranges_add(k, KSPACE_VIRT, KR_VIMAGE, s + off, e + off, nm,
				    KSRC_DERIVED, 0, t, strlen(t));
		}
	}
}

static void kallsyms_note(struct kranges *k, const struct ksource_text *kptr)
{
	char v[32];
	size_t i, n;

	if (!kptr->text)
		return;
	n = strcspn(kptr->text, "\n ");
	snprintf(v, sizeof v, "%.*s", (int)(n < 31 ? n : 31), kptr->text);
	for (i = 0; i < k->nhidden; i++) {
		struct krange_hidden *h = &k->hidden[i];
		size_t len = strlen(h->why);

		if (h->src != KSRC_KALLSYMS && h->src != KSRC_MODULES &&
		    h->src != KSRC_VMALLOCINFO)
			continue;
		snprintf(h->why + len, sizeof h->why - len, " [kptr_restrict=%s]", v);
	}
}

/* A boot log without a "Virtual kernel memory layout" block leaves the
 * kernel's virtual space nearly empty: say why, so that the absence of
 * vmalloc and the direct map is not read as "there are none".  this_root:
 * the log is of the root's own boot, so the root's architecture is its. */
static void layout_note(struct kranges *k, const struct vms_root *r,
			bool this_root)
{
	const char *image, *bases;
	bool have_image = false;
	size_t i;

	if (!k->sources[KSRC_BOOTLOG].used)
		return;
	for (i = 0; i < k->n; i++) {
		if (k->r[i].kind == KR_VAREA)
			return;
		if (k->r[i].kind == KR_VIMAGE)
			have_image = true;
	}
	image = have_image ? "only the kernel image is placed (from /proc/kallsyms and /proc/iomem)" :
		k->sources[KSRC_KALLSYMS].used ?
		"/proc/kallsyms gave no addresses either (they read as zero unless root: kptr_restrict), so not even the kernel image is placed" :
		"no /proc/kallsyms was read, so not even the kernel image is placed";
	if (this_root && strcmp(r->arch, "x86_64") == 0) {
		bases = k->cmdline && strstr(k->cmdline, "nokaslr") ?
			"with nokaslr the direct map, vmalloc and vmemmap sit at the fixed bases of the x86_64 memory map for its paging mode (4 or 5 levels), which no file read here names" :
			"KASLR places the direct map, vmalloc and vmemmap at random bases that no file read here gives (only /proc/kcore's headers do)";
		kranges_note(k, "the boot log has no \"Virtual kernel memory layout\" block: x86_64 kernels never print one, and %s; %s",
			     bases, image);
	} else {
		char why[400];

		kranges_layout_absence(this_root ? r->arch : k->bootlog_arch,
				       k->bootlog_kernel[0] ? k->bootlog_kernel :
				       this_root ? r->release : "", why, sizeof why);
		kranges_note(k, "the boot log has no \"Virtual kernel memory layout\" block (%s): the kernel's virtual areas are not known; %s",
			     why, image);
	}
}

/* Whether the root's sources other than the boot log may be used with
 * it: not when the log is of another kernel, or of an unknown one given
 * by --bootlog (they would describe another boot, or machine). */
static bool others_usable(struct kranges *k, const struct vms_root *r,
			  const struct kranges_opts *o)
{
	if (k->bootlog_kernel[0] && r->release[0] &&
	    strcmp(k->bootlog_kernel, r->release)) {
		kranges_note(k, "the boot log is of kernel %s, not %s (this root's): its other sources are left out, they describe another boot",
			     k->bootlog_kernel, r->release);
		return false;
	}
	if (o && o->bootlog_file && k->sources[KSRC_BOOTLOG].used &&
	    !k->bootlog_kernel[0]) {
		kranges_note(k, "the boot log does not say which kernel it is of (no \"Linux version\" line): the root's other sources are left out, as they may describe another machine");
		return false;
	}
	return true;
}

int kranges_load(struct kranges *k, const struct vms_root *r,
		 const struct kranges_opts *o, struct vms_err *e)
{
	struct kranges_sources s;
	bool only = o && o->bootlog_only;

	kranges_init(k);
	k->page_shift = r->page_shift ? r->page_shift : 12;
	if (kranges_sources_read(r, o, &s, e) < 0)
		return -1;
	if (!(o && o->no_bootlog))
		load_bootlog(k, r, o, &s.bootlog);
	if (!only)
		only = !others_usable(k, r, o);
	if (!only) {
		load_text(k, &s.iomem, KSRC_IOMEM, kranges_parse_iomem);
		load_fw_memmap(k, &s);
		load_cmdline(k, &s.cmdline);
		load_vmallocinfo(k, r, &s.vmallocinfo);
		if (!(o && o->phys_only)) {
			load_text(k, &s.kallsyms, KSRC_KALLSYMS,
				  kranges_parse_kallsyms);
			load_text(k, &s.modules, KSRC_MODULES,
				  kranges_parse_modules);
		}
		load_uio(k, &s);
		derive_image(k);
		kallsyms_note(k, &s.kptr_restrict);
	}
	kranges_sources_free(&s);
	layout_note(k, r, !only);
	return kranges_finalize(k, e);
}
