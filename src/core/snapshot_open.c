/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot_open: a snapshot directory, tar file (read in place) or
 * bundled demo (expanded into a private directory, removed again at
 * close) opened as a root, checked before anything reads it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/datadir.h"
#include "vmscope/escape.h"
#include "vmscope/procs.h"
#include "vmscope/root_tar.h"
#include "vmscope/snapshot.h"
#include "snapshot_int.h"

#ifndef VMSCOPE_DATADIR
#define VMSCOPE_DATADIR "/usr/local/share/vmscope"
#endif
#define RM_MAX_DEPTH 64
#define SEQ_MAX (UINT64_C(1) << 28)

static int check_files(const struct vms_root *r, struct vms_err *e)
{
	char *text, *line, *save = NULL, where[1024], name[512];
	size_t len;
	unsigned lineno = 0;
	int rc = 0;

	/* the path and the listing's names: escaped, as any untrusted text */
	escape_text(where, sizeof where, r->path, strlen(r->path));
	if (root_read_text(r, SNAPSHOT_FILES_NAME, &text, &len, e) < 0)
		return -1;
	for (line = strtok_r(text, "\n", &save); line && rc == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long want;
		struct root_stat st;
		char *path;

		lineno++;
		if (line[0] == '#')
			continue;
		errno = 0;
		want = strtoull(line, &path, 10);
		if (errno || path == line || *path != ' ' || !path[1]) {
			err_set(e, VMS_EFORMAT,
				"snapshot '%s' is damaged: %s line %u is not SIZE PATH",
				where, SNAPSHOT_FILES_NAME, lineno);
			rc = -1;
			break;
		}
		path++;
		escape_text(name, sizeof name, path, strlen(path));
		if (path[0] == '/' || strstr(path, "..")) {
			err_set(e, VMS_EFORMAT,
				"snapshot '%s' is damaged: %s line %u names a file outside it",
				where, SNAPSHOT_FILES_NAME, lineno);
			rc = -1;
		} else if (r->ops->stat(r, path, &st, NULL) < 0) {
			err_set(e, VMS_EFORMAT,
				"snapshot '%s' is incomplete: %s is missing (%s lists it); copy or extract the snapshot again",
				where, name, SNAPSHOT_FILES_NAME);
			rc = -1;
		} else if (!S_ISREG(st.mode)) {
			err_set(e, VMS_EFORMAT,
				"snapshot '%s' is damaged: %s is not a regular file",
				where, name);
			rc = -1;
		} else if ((unsigned long long)st.size != want) {
			err_set(e, VMS_EFORMAT,
				"snapshot '%s' is damaged: %s is %llu bytes, but was %llu when it was captured (%s); copy or extract the snapshot again",
				where, name, (unsigned long long)st.size, want,
				(unsigned long long)st.size < want ? "truncated" : "changed since");
			rc = -1;
		}
	}
	free(text);
	return rc;
}

/* Each process has what the views read: maps (or smaps), and pagemap
 * where it has mappings (a kernel thread has none, and no pagemap). */
static int check_processes(const struct vms_root *r, struct vms_err *e)
{
	static const char *const maps[2] = { "maps", "smaps" };
	int *pids;
	size_t n, i;
	int rc = 0, m;
	char where[1024];

	escape_text(where, sizeof where, r->path, strlen(r->path));
	if (!root_exists(r, "proc") || procs_list_pids(r, &pids, &n, NULL) < 0) {
		err_set(e, VMS_EFORMAT,
			"snapshot '%s' has no proc directory, so no processes: is it a vmscope snapshot?",
			where);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++) {
		struct root_stat st;
		char rel[64];
		bool mapped = false;

		for (m = 0; m < 2; m++) {
			snprintf(rel, sizeof rel, "proc/%d/%s", pids[i], maps[m]);
			if (r->ops->stat(r, rel, &st, NULL) == 0)
				break;
		}
		if (m == 2) {
			err_set(e, VMS_EFORMAT,
				"snapshot '%s' is damaged: proc/%d/maps is missing, so process %d's mappings are unknown",
				where, pids[i], pids[i]);
			rc = -1;
			break;
		}
		mapped = st.size > 0;
		snprintf(rel, sizeof rel, "proc/%d/pagemap", pids[i]);
		if (mapped && r->ops->stat(r, rel, &st, NULL) < 0) {
			err_set(e, VMS_EFORMAT,
				"snapshot '%s' is damaged: proc/%d/pagemap is missing, so process %d's pages are unknown",
				where, pids[i], pids[i]);
			rc = -1;
		}
	}
	free(pids);
	return rc;
}

int snapshot_check(const struct vms_root *r, struct vms_err *e)
{
	if (r->live)
		return 0;
	if (root_exists(r, SNAPSHOT_FILES_NAME) && check_files(r, e) < 0)
		return -1;
	return check_processes(r, e);
}

static void drop_private(struct snapshot_handle *h);

/* ---- opening ---- */

/* A tar is read in place (root_tar.c): nothing is extracted. */
static int open_tar(struct vms_root *r, const char *path, struct vms_err *e)
{
	if (root_tar_open(r, path, e) < 0)
		return -1;
	if (root_load_conf(r, e) < 0 || snapshot_check(r, e) < 0) {
		root_close(r);
		return -1;
	}
	return 0;
}

int snapshot_open(struct vms_root *r, const char *path,
		  struct snapshot_handle *h, struct vms_err *e)
{
	struct stat st;

	memset(h, 0, sizeof *h);
	memset(r, 0, sizeof *r);
	if (!path || !*path || stat(path, &st) < 0 || S_ISDIR(st.st_mode)) {
		if (root_open(r, path, e) < 0)
			return -1;
		if (snapshot_check(r, e) < 0) {
			root_close(r);
			return -1;
		}
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(e, VMS_EFORMAT,
			"'%s' is neither a snapshot directory nor a tar file", path);
		return -1;
	}
	return open_tar(r, path, e);
}

static void drop_private(struct snapshot_handle *h)
{
	if (h->tmpdir[0])
		snapshot_remove_tree(AT_FDCWD, h->tmpdir);
	h->tmpdir[0] = '\0';
}

void snapshot_close(struct vms_root *r, struct snapshot_handle *h)
{
	root_close(r);
	drop_private(h);
}

/* ---- compact snapshots (the demos) ---- */

static int copy_file(int sfd, int dfd, const char *name, struct vms_err *e)
{
	char buf[16384];
	int in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), out;
	ssize_t got;

	if (in < 0) {
		err_sys(e, errno, "reading demo file %s", name);
		return -1;
	}
	out = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
		     O_CLOEXEC, 0644);
	if (out < 0) {
		err_sys(e, errno, "writing demo file %s", name);
		close(in);
		return -1;
	}
	while ((got = read(in, buf, sizeof buf)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || snap_write_all(out, buf, (size_t)got) < 0) {
			err_sys(e, errno, "copying demo file %s", name);
			close(in);
			close(out);
			return -1;
		}
	}
	close(in);
	if (close(out) < 0) {
		err_sys(e, errno, "copying demo file %s", name);
		return -1;
	}
	return 0;
}

static int copy_tree(int sfd, int dfd, int depth, struct vms_err *e)
{
	struct dirent *d;
	DIR *dir;
	int fd = dup(sfd), rc = 0;

	if (fd < 0 || !(dir = fdopendir(fd))) {
		err_sys(e, errno, "listing a demo directory");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (rc == 0 && (d = readdir(dir))) {
		struct stat st;

		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (fstatat(sfd, d->d_name, &st, 0) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < RM_MAX_DEPTH) {
			int s2, d2;

			if (mkdirat(dfd, d->d_name, 0755) < 0 && errno != EEXIST) {
				err_sys(e, errno, "creating demo directory %s", d->d_name);
				rc = -1;
				break;
			}
			s2 = openat(sfd, d->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			d2 = openat(dfd, d->d_name, O_RDONLY | O_DIRECTORY |
				    O_NOFOLLOW | O_CLOEXEC);
			if (s2 < 0 || d2 < 0) {
				err_sys(e, errno, "copying demo directory %s", d->d_name);
				rc = -1;
			} else {
				rc = copy_tree(s2, d2, depth + 1, e);
			}
			if (s2 >= 0)
				close(s2);
			if (d2 >= 0)
				close(d2);
		} else if (S_ISREG(st.st_mode)) {
			rc = copy_file(sfd, dfd, d->d_name, e);
		}
	}
	closedir(dir);
	return rc;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

/* The file of the entries list that is open now, kept across lines. */
struct efile {
	char name[PATH_MAX];
	int fd;
};

static int efile_get(struct efile *f, int destfd, const char *name,
		     struct vms_err *e)
{
	char clean[PATH_MAX];

	if (f->fd >= 0 && !strcmp(f->name, name))
		return f->fd;
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	snprintf(clean, sizeof clean, "%s", name);
	if (snap_clean_name(clean) < 0 || !clean[0]) {
		err_set(e, VMS_EFORMAT, "'%s' is not a file inside the demo", name);
		return -1;
	}
	if (snap_mkdirs(destfd, clean, false) < 0 ||
	    (f->fd = openat(destfd, clean, O_WRONLY | O_CREAT | O_NOFOLLOW |
			    O_CLOEXEC, 0644)) < 0) {
		err_sys(e, errno, "writing demo file %s", clean);
		return -1;
	}
	snprintf(f->name, sizeof f->name, "%s", name);
	return f->fd;
}

/* v as it lies in memory on a machine of that byte order: the entries
 * list says which ("order big"), little until it does, as a conf without
 * byte_order means. */
static uint64_t ordered(uint64_t v, bool big)
{
	unsigned char b[8];
	uint64_t out;
	int i;

	for (i = 0; i < 8; i++)
		b[big ? 7 - i : i] = (unsigned char)(v >> (8 * i));
	memcpy(&out, b, 8);
	return out;
}

static int apply_entries(const char *path, char *text, int destfd,
			 struct vms_err *e)
{
	struct efile f = { "", -1 };
	char *line, *save = NULL;
	unsigned lineno = 0;
	uint64_t buf[512];
	bool big = false;
	int rc = 0;

	for (line = strtok_r(text, "\n", &save); line && rc == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tok[7], *hash = strchr(line, '#'), *s2 = NULL;
		uint64_t a, b, cnt, first, step, i;
		int n = 0, fd;

		lineno++;
		if (hash)
			*hash = '\0';
		for (tok[n] = strtok_r(line, " \t\r", &s2); tok[n] && n < 6;
		     tok[++n] = strtok_r(NULL, " \t\r", &s2))
			;
		if (n == 0)
			continue;
		if (!strcmp(tok[0], "order") && n == 2 &&
		    (!strcmp(tok[1], "big") || !strcmp(tok[1], "little"))) {
			big = !strcmp(tok[1], "big");
		} else if (!strcmp(tok[0], "size") && n == 3 && !parse_u64(tok[2], &a)) {
			if ((fd = efile_get(&f, destfd, tok[1], e)) < 0)
				rc = -1;
			else if (ftruncate(fd, (off_t)a) < 0) {
				err_sys(e, errno, "sizing demo file %s", tok[1]);
				rc = -1;
			}
		} else if (!strcmp(tok[0], "entry") && n == 4 &&
			   !parse_u64(tok[2], &a) && !parse_u64(tok[3], &b) &&
			   a < (UINT64_C(1) << 60)) {
			b = ordered(b, big);
			if ((fd = efile_get(&f, destfd, tok[1], e)) < 0 ||
			    snap_pwrite_all(fd, &b, 8, a * 8) < 0) {
				if (fd >= 0)
					err_sys(e, errno, "writing demo file %s", tok[1]);
				rc = -1;
			}
		} else if (!strcmp(tok[0], "seq") && n == 6 &&
			   !parse_u64(tok[2], &a) && !parse_u64(tok[3], &cnt) &&
			   !parse_u64(tok[4], &first) && !parse_u64(tok[5], &step) &&
			   a < (UINT64_C(1) << 60) && cnt <= SEQ_MAX) {
			if ((fd = efile_get(&f, destfd, tok[1], e)) < 0) {
				rc = -1;
				continue;
			}
			for (i = 0; i < cnt && rc == 0;) {
				size_t k = 0;

				while (k < 512 && i + k < cnt) {
					buf[k] = ordered(first + (i + k) * step, big);
					k++;
				}
				if (snap_pwrite_all(fd, buf, k * 8, (a + i) * 8) < 0) {
					err_sys(e, errno, "writing demo file %s", tok[1]);
					rc = -1;
				}
				i += k;
			}
		} else {
			err_set(e, VMS_EFORMAT,
				"%s line %u: expected 'order big|little', 'size FILE BYTES', 'entry FILE INDEX VALUE' or 'seq FILE INDEX COUNT FIRST STEP'",
				path, lineno);
			rc = -1;
		}
	}
	if (f.fd >= 0)
		close(f.fd);
	return rc;
}

int snapshot_expand(const char *srcdir, int destfd, struct vms_err *e)
{
	char path[PATH_MAX + 16], *text;
	struct stat st;
	ssize_t got;
	int fd, rc;

	snprintf(path, sizeof path, "%s/root", srcdir);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err_sys(e, errno, "cannot open %s", path);
		return -1;
	}
	rc = copy_tree(fd, destfd, 0, e);
	close(fd);
	if (rc < 0)
		return -1;
	snprintf(path, sizeof path, "%s/entries", srcdir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : (err_sys(e, errno, "cannot open %s", path), -1);
	if (fstat(fd, &st) < 0 || st.st_size > (64 << 20) ||
	    !(text = malloc((size_t)st.st_size + 1))) {
		err_sys(e, errno ? errno : EFBIG, "reading %s", path);
		close(fd);
		return -1;
	}
	got = read(fd, text, (size_t)st.st_size);
	close(fd);
	if (got != st.st_size) {
		err_sys(e, got < 0 ? errno : EIO, "reading %s", path);
		free(text);
		return -1;
	}
	text[got] = '\0';
	rc = apply_entries(path, text, destfd, e);
	free(text);
	return rc;
}

static bool demo_name_ok(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

/* The demo directory, from datadir_paths.  Fills tried with what was
 * looked at. */
static bool find_demo_dir(const char *datadir, char *out, size_t n,
			  char *tried, size_t tn)
{
	char cand[DATADIR_MAX_PATHS][PATH_MAX];
	size_t k = datadir_paths("demo", datadir ? datadir : VMSCOPE_DATADIR,
				 cand), i, t = 0;

	tried[0] = '\0';
	for (i = 0; i < k; i++) {
		struct stat st;

		if (stat(cand[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			snprintf(out, n, "%s", cand[i]);
			return true;
		}
		t += (size_t)snprintf(tried + t, t < tn ? tn - t : 0, "%s%s",
				      i ? ", " : "", cand[i]);
		if (t >= tn)
			t = tn - 1;
	}
	return false;
}

int snapshot_open_demo(struct vms_root *r, const char *name,
		       const char *datadir, struct snapshot_handle *h,
		       struct vms_err *e)
{
	char dir[PATH_MAX], tried[512], src[PATH_MAX + 80], shown[96];
	int dfd;

	memset(h, 0, sizeof *h);
	if (!name || !*name)
		name = "pc";
	if (!demo_name_ok(name)) {
		escape_text(shown, sizeof shown, name, strlen(name));
		err_set(e, EINVAL, "'%s' is not a demo name (letters, digits, - and _)",
			shown);
		return -1;
	}
	if (!find_demo_dir(datadir, dir, sizeof dir, tried, sizeof tried)) {
		err_set(e, ENOENT,
			"the demo snapshots are not installed: looked in %s (run 'make install', or set VMSCOPE_DATADIR to the directory that holds demo/)",
			tried);
		return -1;
	}
	snprintf(src, sizeof src, "%.*s/%s", PATH_MAX - 80, dir, name);
	if (access(src, F_OK) < 0) {
		char list[256] = "";
		size_t t = 0;
		struct dirent *d;
		DIR *dd = opendir(dir);

		while (dd && (d = readdir(dd))) {
			char conf[PATH_MAX + 96];

			snprintf(conf, sizeof conf, "%.*s/%s/root/%s",
				 PATH_MAX - 96, dir, d->d_name, ROOT_CONF_NAME);
			if (d->d_name[0] != '.' && demo_name_ok(d->d_name) &&
			    access(conf, F_OK) == 0 && t < sizeof list)
				t += (size_t)snprintf(list + t, sizeof list - t,
						      "%s%s", t ? ", " : "",
						      d->d_name);
		}
		if (dd)
			closedir(dd);
		err_set(e, ENOENT, "there is no demo '%s' (the demos in %s: %s)",
			name, dir, list[0] ? list : "none");
		return -1;
	}
	if (snapshot_mktemp(h->tmpdir, sizeof h->tmpdir, e) < 0)
		return -1;
	dfd = open(h->tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || snapshot_expand(src, dfd, e) < 0) {
		if (dfd < 0)
			err_sys(e, errno, "cannot open %s", h->tmpdir);
		else
			close(dfd);
		drop_private(h);
		return -1;
	}
	close(dfd);
	snprintf(shown, sizeof shown, "demo %s", name);
	if (root_dir_open(r, h->tmpdir, e) < 0 ||
	    (snprintf(r->path, sizeof r->path, "%s", shown),
	     snapshot_check(r, e) < 0)) {
		if (r->ops)
			root_close(r);
		drop_private(h);
		return -1;
	}
	return 0;
}
