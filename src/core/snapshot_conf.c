/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot_conf: the two files that describe a snapshot: its conf
 * (root.h's keys, the processes captured and skipped, notes) and its
 * list of files with their sizes, checked when it is opened. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/root_tap.h"
#include "vmscope/snapshot.h"
#include "snapshot_int.h"

struct strbuf {
	char *s;
	size_t n, cap;
};

static int sb_add(struct strbuf *b, const char *s, size_t len)
{
	/* keeps cap *= 2 from overflowing (and tells gcc -O3 len is sane) */
	if (len > SIZE_MAX / 4 || b->n > SIZE_MAX / 4)
		return -1;
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *ns;

		while (b->n + len + 1 > cap)
			cap *= 2;
		ns = realloc(b->s, cap);
		if (!ns)
			return -1;
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
	return 0;
}

/* Write a whole small file of the snapshot (0600). */
static int put_file(int outfd, const char *rel, const char *data, size_t len,
		    struct vms_err *e)
{
	int fd = openat(outfd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
			O_NOFOLLOW, 0600);

	if (fd < 0 || snap_write_all(fd, data, len) < 0 || close(fd) < 0) {
		err_sys(e, errno, "writing the snapshot's %s", rel);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return 0;
}

/* Write out (when built whole) as rel, or say it ran out of memory; out
 * is freed either way. */
static int put_buf(int outfd, const char *rel, struct strbuf *out, bool whole,
		   struct vms_err *e)
{
	int rc = -1;

	if (whole)
		rc = put_file(outfd, rel, out->s ? out->s : "", out->n, e);
	else
		err_sys(e, ENOMEM, "the snapshot's %s", rel);
	free(out->s);
	return rc;
}

static int write_manifest(int outfd, struct vms_root *tap, struct vms_err *e)
{
	static const char head[] =
		"# vmscope snapshot: SIZE PATH of every file, checked when it is opened\n";
	struct strbuf out = { 0 };
	char line[PATH_MAX + 32];
	const struct tap_file *files;
	size_t i, n = root_tap_files(tap, &files);
	struct stat st;
	int l;

	if (sb_add(&out, head, sizeof head - 1) < 0)
		goto nomem;
	for (i = 0; i < n; i++) {
		l = snprintf(line, sizeof line, "%llu %s\n",
			     (unsigned long long)files[i].size, files[i].path);
		if (l > 0 && (size_t)l < sizeof line &&
		    sb_add(&out, line, (size_t)l) < 0)
			goto nomem;
	}
	for (i = 0; i < 2; i++) {
		const char *name = i ? ROOT_RANGES_NAME : ROOT_STAT_NAME;

		if (fstatat(outfd, name, &st, 0) < 0)
			continue;
		l = snprintf(line, sizeof line, "%llu %s\n",
			     (unsigned long long)st.st_size, name);
		if (sb_add(&out, line, (size_t)l) < 0)
			goto nomem;
	}
	/* the list is not in itself */
	return put_buf(outfd, SNAPSHOT_FILES_NAME, &out, true, e);
nomem:
	return put_buf(outfd, SNAPSHOT_FILES_NAME, &out, false, e);
}

static const char *skip_slug(int code)
{
	if (code == VMS_ENOPROC || code == ENOENT || code == ESRCH)
		return "exited";
	if (code == EACCES || code == EPERM)
		return "permission";
	return "unreadable";
}

static int write_conf(int outfd, const struct vms_root *r,
		    const struct snapshot_stats *st, time_t now,
		    struct vms_err *e)
{
	struct strbuf out = { 0 };
	char buf[1024], when[64];
	struct tm tm;
	size_t i;
	int l;

	if (r->live || !r->taken[0]) {
		gmtime_r(&now, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	} else {
		snprintf(when, sizeof when, "%s", r->taken);
	}
	l = snprintf(buf, sizeof buf,
		     "# vmscope snapshot of %s, written by vmscope %s\n"
		     "format=%d\npage_size=%u\narch=%s\nkernel_release=%s\n"
		     "hostname=%s\ntime=%s\npfn_visible=%d\nvmscope_version=%s\n"
		     "byte_order=%s\nprocesses=%zu\n",
		     r->hostname[0] ? r->hostname : "?", VMSCOPE_VERSION,
		     ROOT_FORMAT_VERSION, r->page_size, r->arch, r->release,
		     r->hostname, when, r->pfn_visible ? 1 : 0,
		     VMSCOPE_VERSION, r->big_endian ? "big" : "little",
		     st->processes);
	if (sb_add(&out, buf, (size_t)l) < 0)
		goto nomem;
	if (st->nskipped) {
		if (sb_add(&out, "skipped=", 8) < 0)
			goto nomem;
		for (i = 0; i < st->nskipped; i++) {
			l = snprintf(buf, sizeof buf, "%s%d:%s", i ? "," : "",
				     st->skipped[i].pid,
				     skip_slug(st->skipped[i].code));
			if (sb_add(&out, buf, (size_t)l) < 0)
				goto nomem;
		}
		if (sb_add(&out, "\n", 1) < 0)
			goto nomem;
	}
	for (i = 0; i < st->nnotes; i++) {
		char *nl;

		l = snprintf(buf, sizeof buf, "note=%s\n", st->notes[i]);
		/* a note is one line */
		while ((nl = strchr(buf, '\n')) && nl[1])
			*nl = ' ';
		if (sb_add(&out, buf, (size_t)l) < 0)
			goto nomem;
	}
	return put_buf(outfd, ROOT_CONF_NAME, &out, true, e);
nomem:
	return put_buf(outfd, ROOT_CONF_NAME, &out, false, e);
}

int snap_write_listing(int outfd, struct vms_root *tap,
		       const struct snapshot_stats *st, time_t now,
		       struct vms_err *e)
{
	if (write_manifest(outfd, tap, e) < 0)
		return -1;
	return write_conf(outfd, tap, st, now, e);
}

int snap_hints_of(struct vms_root *tap, struct snap_hint **hints,
		  size_t *nhints, struct vms_err *e)
{
	const struct tap_file *files;
	size_t n = root_tap_files(tap, &files), i, j, total = 0;
	struct snap_region *reg;
	struct snap_hint *h;
	char *paths;

	for (i = 0; i < n; i++)
		total += files[i].n * sizeof *reg + strlen(files[i].path) + 1;
	/* one block: the hints, their regions and their paths */
	h = malloc(n * sizeof *h + total + 1);
	if (!h) {
		err_sys(e, ENOMEM, "tar file list");
		return -1;
	}
	reg = (struct snap_region *)(h + n);
	for (i = 0; i < n; i++)
		reg += files[i].n;
	paths = (char *)reg;
	reg = (struct snap_region *)(h + n);
	for (i = 0; i < n; i++) {
		h[i].path = paths;
		paths += sprintf(paths, "%s", files[i].path) + 1;
		h[i].r = reg;
		h[i].n = files[i].n;
		for (j = 0; j < files[i].n; j++)
			*reg++ = (struct snap_region){ files[i].r[j].off,
						       files[i].r[j].len };
	}
	*hints = h;
	*nhints = n;
	return 0;
}
