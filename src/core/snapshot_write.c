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

int snapshot_write(const struct vms_root *r, const struct snapshot_opts *o,
		   struct snapshot_stats *st, struct vms_err *e)
{
	char parent[PATH_MAX], base[NAME_MAX + 1], stage[PATH_MAX],
	     tartmp[PATH_MAX + 8], old[PATH_MAX + 8];
	struct snap_hint *hints = NULL;
	size_t nhints = 0;
	time_t now = time(NULL);
	bool tar, exists;
	int rc = -1, n, outfd = -1;

	memset(st, 0, sizeof *st);
	if (!o->out || !*o->out) {
		err_set(e, EINVAL, "no output given: -o DIR or -o FILE.tar");
		return -1;
	}
	if (!o->all && o->npids == 0) {
		err_set(e, EINVAL, "no process given: -p PID (repeatable) or --all");
		return -1;
	}
	tar = snapshot_is_tar_name(o->out);
	st->tar = tar;
	if (split_path(o->out, parent, sizeof parent, base, sizeof base) < 0) {
		err_set(e, EINVAL, "'%s' is not a usable name for a snapshot",
			o->out);
		return -1;
	}
	if (check_target(o->out, tar, o->force, &exists, e) < 0)
		return -1;
	n = snprintf(stage, sizeof stage, "%s/.%s.vmscope-XXXXXX", parent, base);
	if (n < 0 || (size_t)n >= sizeof stage) {
		err_set(e, ENAMETOOLONG, "'%s' is too long a name", o->out);
		return -1;
	}
	if (!mkdtemp(stage)) {
		err_sys(e, errno, "cannot create the snapshot next to '%s' (in %s)",
			o->out, parent);
		return -1;
	}
	/* mkdtemp made it 0700, as it stays: a snapshot holds root-only
	 * data (kallsyms, PFNs, page flags, other users' command lines) */
	outfd = open(stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (outfd < 0) {
		err_sys(e, errno, "snapshot in %s", stage);
		goto out;
	}
	if (snap_capture(r, o, outfd, now, st, &hints, &nhints, e) < 0)
		goto out;
	if (tar) {
		int tfd;

		snprintf(tartmp, sizeof tartmp, "%s.tar", stage);
		tfd = open(tartmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (tfd < 0) {
			err_sys(e, errno, "cannot create %s", tartmp);
			goto out;
		}
		if (snap_tar_pack(outfd, tfd, (int64_t)now, hints, nhints, e) < 0 ||
		    fsync(tfd) < 0 || close(tfd) < 0) {
			if (e && e->code == 0)
				err_sys(e, errno, "writing %s", tartmp);
			close(tfd);
			unlink(tartmp);
			goto out;
		}
		if (rename(tartmp, o->out) < 0) {
			err_sys(e, errno, "cannot move the snapshot to '%s'", o->out);
			unlink(tartmp);
			goto out;
		}
	} else {
		snprintf(old, sizeof old, "%s.old", stage);
		if (exists && rename(o->out, old) < 0) {
			err_sys(e, errno, "cannot replace '%s'", o->out);
			goto out;
		}
		if (rename(stage, o->out) < 0) {
			err_sys(e, errno, "cannot move the snapshot to '%s'", o->out);
			if (exists)
				rename(old, o->out);
			goto out;
		}
		if (exists)
			snapshot_remove_tree(AT_FDCWD, old);
		stage[0] = '\0';
	}
	rc = 0;
out:
	if (outfd >= 0)
		close(outfd);
	if (stage[0])
		snapshot_remove_tree(AT_FDCWD, stage);
	free(hints);
	return rc;
}
