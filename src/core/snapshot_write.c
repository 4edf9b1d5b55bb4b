/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot_write: a capture put in place: a staging directory next to
 * the target, captured into (snapshot.c), then renamed over it or packed
 * into one tar file.  Nothing half-written is ever left at the target. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "vmscope/snapshot.h"
#include "vmscope/stopsig.h"
#include "snapshot_int.h"

/* Split path into its parent directory (at least ".") and last name. */
static int split_path(const char *path, char *parent, size_t pn, char *base,
		      size_t bn)
{
	char tmp[PATH_MAX];
	size_t n = strlen(path);
	char *slash;

	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, path, n + 1);
	while (n > 1 && tmp[n - 1] == '/')
		tmp[--n] = '\0';
	slash = strrchr(tmp, '/');
	if (!slash) {
		snprintf(parent, pn, ".");
		snprintf(base, bn, "%s", tmp);
	} else {
		snprintf(base, bn, "%s", slash + 1);
		if (slash == tmp)
			snprintf(parent, pn, "/");
		else {
			*slash = '\0';
			snprintf(parent, pn, "%s", tmp);
		}
	}
	return base[0] && strcmp(base, ".") && strcmp(base, "..") &&
	       strcmp(base, "/") ? 0 : -1;
}

/* May out be written (or replaced)?  Fills *exists. */
static int check_target(const char *out, bool tar, bool force, bool *exists,
			struct vms_err *e)
{
	struct stat st;
	char conf[PATH_MAX + 64];
	DIR *d;
	struct dirent *de;
	bool empty = true;

	*exists = false;
	if (lstat(out, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		err_sys(e, errno, "cannot use '%s' for the snapshot", out);
		return -1;
	}
	*exists = true;
	if (!force) {
		err_set(e, EEXIST,
			"'%s' already exists: give --force to replace it, or another -o",
			out);
		return -1;
	}
	if (tar) {
		if (!S_ISREG(st.st_mode)) {
			err_set(e, EEXIST,
				"'%s' exists and is not a regular file: not replacing it",
				out);
			return -1;
		}
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		err_set(e, EEXIST,
			"'%s' exists and is not a directory: not replacing it (a tar snapshot needs a name ending in .tar)",
			out);
		return -1;
	}
	snprintf(conf, sizeof conf, "%s/%s", out, ROOT_CONF_NAME);
	if (access(conf, F_OK) == 0)
		return 0;
	d = opendir(out);
	if (d) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				empty = false;
		closedir(d);
	}
	if (!empty) {
		err_set(e, EEXIST,
			"'%s' is a directory with other files in it, not a vmscope snapshot: not replacing it, even with --force",
			out);
		return -1;
	}
	return 0;
}

/* Pack the staging directory into out, through a temporary name. */
static int place_tar(const char *stage, int outfd, const char *out,
		     time_t now, const struct snap_hint *hints, size_t nhints,
		     uint64_t *size, struct vms_err *e)
{
	char tartmp[PATH_MAX + 8];
	struct stat st;
	int tfd;

	snprintf(tartmp, sizeof tartmp, "%s.tar", stage);
	tfd = open(tartmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (tfd < 0) {
		err_sys(e, errno, "cannot create %s", tartmp);
		return -1;
	}
	if (snap_tar_pack(outfd, tfd, (int64_t)now, hints, nhints, e) < 0 ||
	    stopsig_check(e) < 0 || fsync(tfd) < 0 || fstat(tfd, &st) < 0) {
		if (e && e->code == 0)
			err_sys(e, errno, "writing %s", tartmp);
		close(tfd);
		unlink(tartmp);
		return -1;
	}
	if (close(tfd) < 0 || rename(tartmp, out) < 0) {
		err_sys(e, errno, "cannot move the snapshot to '%s'", out);
		unlink(tartmp);
		return -1;
	}
	*size = (uint64_t)st.st_size;
	return 0;
}

/* Rename the staging directory to out, replacing a snapshot there only
 * once the new one is in place.  Empties stage on success. */
static int place_dir(char *stage, const char *out, bool exists,
		     struct vms_err *e)
{
	char old[PATH_MAX + 8];

	snprintf(old, sizeof old, "%s.old", stage);
	if (exists && rename(out, old) < 0) {
		err_sys(e, errno, "cannot replace '%s'", out);
		return -1;
	}
	if (rename(stage, out) < 0) {
		err_sys(e, errno, "cannot move the snapshot to '%s'", out);
		if (exists)
			rename(old, out);
		return -1;
	}
	if (exists)
		snapshot_remove_tree(AT_FDCWD, old);
	stage[0] = '\0';
	return 0;
}

/* Check o and its target; make the staging directory next to it. */
static int make_stage(const struct snapshot_opts *o, bool tar, bool *exists,
		      char *stage, size_t n, struct vms_err *e)
{
	char parent[PATH_MAX], base[NAME_MAX + 1];
	int l;

	if (!o->out || !*o->out) {
		err_set(e, EINVAL, "no output given: -o DIR or -o FILE.tar");
		return -1;
	}
	if (!o->all && o->npids == 0) {
		err_set(e, EINVAL, "no process given: -p PID (repeatable) or --all");
		return -1;
	}
	if (split_path(o->out, parent, sizeof parent, base, sizeof base) < 0) {
		err_set(e, EINVAL, "'%s' is not a usable name for a snapshot",
			o->out);
		return -1;
	}
	if (check_target(o->out, tar, o->force, exists, e) < 0)
		return -1;
	l = snprintf(stage, n, "%s/.%s.vmscope-XXXXXX", parent, base);
	if (l < 0 || (size_t)l >= n) {
		err_set(e, ENAMETOOLONG, "'%s' is too long a name", o->out);
		return -1;
	}
	/* mkdtemp makes it 0700, as it stays: a snapshot holds root-only
	 * data (kallsyms, PFNs, page flags, other users' command lines) */
	if (!mkdtemp(stage)) {
		err_sys(e, errno, "cannot create the snapshot next to '%s' (in %s)",
			o->out, parent);
		return -1;
	}
	return 0;
}

int snapshot_write(const struct vms_root *r, const struct snapshot_opts *o,
		   struct snapshot_stats *st, struct vms_err *e)
{
	char stage[PATH_MAX];
	struct snap_hint *hints = NULL;
	size_t nhints = 0;
	time_t now = time(NULL);
	bool exists;
	int rc = -1, outfd;

	memset(st, 0, sizeof *st);
	st->tar = o->out && snapshot_is_tar_name(o->out);
	if (make_stage(o, st->tar, &exists, stage, sizeof stage, e) < 0)
		return -1;
	outfd = open(stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (outfd < 0)
		err_sys(e, errno, "snapshot in %s", stage);
	else if (snap_capture(r, o, outfd, now, st, &hints, &nhints, e) == 0 &&
		 stopsig_check(e) == 0) {
		if (!st->tar)
			st->size_bytes = snap_disk_usage(AT_FDCWD, stage);
		rc = st->tar ? place_tar(stage, outfd, o->out, now, hints,
					 nhints, &st->size_bytes, e)
			     : place_dir(stage, o->out, exists, e);
	}
	if (outfd >= 0)
		close(outfd);
	if (stage[0])
		snapshot_remove_tree(AT_FDCWD, stage);
	free(hints);
	return rc;
}
