/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procs: the process list.  The live root reads through procps-ng's
 * libproc2 (one reap per refresh, the info kept across refreshes); a
 * snapshot root (or a build with VMSCOPE_NO_LIBPROC2) reads
 * ROOT/proc/PID/{status,comm,cmdline} below the root's directory fd. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vmscope/procs.h"

#ifndef VMSCOPE_NO_LIBPROC2
#include <libproc2/pids.h>

/* PIDS_VAL indexes by position: this enum must follow proc_items. */
static enum pids_item proc_items[] = {
	PIDS_ID_PID, PIDS_ID_EUID, PIDS_ID_EUSER, PIDS_VM_RSS,
	PIDS_VSIZE_BYTES, PIDS_CMD, PIDS_CMDLINE, PIDS_FLAGS, PIDS_TICS_BEGAN,
};
enum rel_item {
	REL_PID, REL_EUID, REL_EUSER, REL_RSS, REL_VSIZE, REL_CMD,
	REL_CMDLINE, REL_FLAGS, REL_BEGAN,
};
#define PF_KTHREAD_ 0x00200000ul
#endif

/* Snapshot roots: uid -> name from ROOT/etc/passwd, read once. */
struct user_map {
	uid_t uid;
	char name[33];
};

struct procs {
	const struct vms_root *root;
	bool use_proc2;
#ifndef VMSCOPE_NO_LIBPROC2
	struct pids_info *info;
#endif
	struct user_map *users;
	size_t nusers;
	bool users_read;
};

static void copy_str(char *dst, size_t n, const char *src)
{
	size_t l = src ? strlen(src) : 0;

	if (l >= n)
		l = n - 1;
	if (l)
		memcpy(dst, src, l);
	dst[l] = '\0';
}

/* Make room for one more row; returns it zeroed, or NULL. */
static struct proc_row *list_add(struct proc_list *l)
{
	struct proc_row *r;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct proc_row *nr = realloc(l->rows, cap * sizeof *nr);

		if (!nr)
			return NULL;
		l->rows = nr;
		l->cap = cap;
	}
	r = &l->rows[l->n++];
	memset(r, 0, sizeof *r);
	return r;
}

static void list_clear(struct proc_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->rows[i].cmdline);
	l->n = 0;
}

void procs_list_free(struct proc_list *l)
{
	if (!l)
		return;
	list_clear(l);
	free(l->rows);
	l->rows = NULL;
	l->cap = 0;
}

int procs_open(const struct vms_root *r, struct procs **out,
	       struct vms_err *e)
{
	struct procs *p = calloc(1, sizeof *p);

	*out = NULL;
	if (!p) {
		err_sys(e, ENOMEM, "process list");
		return -1;
	}
	p->root = r;
#ifndef VMSCOPE_NO_LIBPROC2
	if (r->live) {
		int rc = procps_pids_new(&p->info, proc_items,
					 (int)(sizeof proc_items /
					       sizeof proc_items[0]));
		if (rc < 0) {
			err_sys(e, -rc,
				"libproc2 could not start reading processes (is /proc mounted?)");
			free(p);
			return -1;
		}
		p->use_proc2 = true;
	}
#endif
	*out = p;
	return 0;
}

void procs_close(struct procs *p)
{
	if (!p)
		return;
#ifndef VMSCOPE_NO_LIBPROC2
	if (p->info)
		procps_pids_unref(&p->info);
#endif
	free(p->users);
	free(p);
}

/* ROOT/proc/PID/comm, raw, into buf; -1 when unreadable. */
static int read_comm(struct procs *p, int pid, char *buf, size_t n)
{
	char rel[64], *comm = NULL;
	size_t clen = 0;

	snprintf(rel, sizeof rel, "proc/%d/comm", pid);
	if (root_read_text(p->root, rel, &comm, &clen, NULL) < 0)
		return -1;
	if (clen && comm[clen - 1] == '\n')
		comm[--clen] = '\0';
	copy_str(buf, n, comm);
	free(comm);
	return 0;
}

/* ROOT/proc/PID/cmdline, raw, its NUL-separated arguments joined by
 * spaces; NULL when unreadable (*len is then 0). */
static char *read_cmdline(struct procs *p, int pid, size_t *len)
{
	char rel[64], *cmd = NULL;
	size_t cmdlen = 0, i;

	*len = 0;
	snprintf(rel, sizeof rel, "proc/%d/cmdline", pid);
	if (root_read_text(p->root, rel, &cmd, &cmdlen, NULL) < 0)
		return NULL;
	while (cmdlen && cmd[cmdlen - 1] == '\0')
		cmdlen--;
	for (i = 0; i < cmdlen; i++)
		if (cmd[i] == '\0')
			cmd[i] = ' ';
	cmd[cmdlen] = '\0';
	*len = cmdlen;
	return cmd;
}

#ifndef VMSCOPE_NO_LIBPROC2
/* The start time (clock ticks after boot, /proc/PID/stat field 22) of
 * ROOT/proc/PID: it tells a process from a later one with its PID.
 * ULLONG_MAX when unreadable. */
static unsigned long long started_at(struct procs *p, int pid)
{
	char rel[64], *text = NULL, *q;
	size_t len;
	unsigned long long t = ULLONG_MAX;

	snprintf(rel, sizeof rel, "proc/%d/stat", pid);
	if (root_read_text(p->root, rel, &text, &len, NULL) < 0)
		return t;
	/* after "(comm)", which may hold anything */
	q = strrchr(text, ')');
	if (!q || sscanf(q + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u"
			 " %*u %*u %*d %*d %*d %*d %*d %*d %llu", &t) != 1)
		t = ULLONG_MAX;
	free(text);
	return t;
}

static int read_proc2(struct procs *p, struct proc_list *l,
		      struct vms_err *e)
{
	struct pids_fetch *f;
	int i;

	errno = 0;
	f = procps_pids_reap(p->info, PIDS_FETCH_TASKS_ONLY);
	if (!f) {
		err_sys(e, errno ? errno : EIO,
			"libproc2 could not read the process list");
		return -1;
	}
	for (i = 0; i < f->counts->total; i++) {
		struct pids_stack *s = f->stacks[i];
		struct proc_row *r = list_add(l);
		const char *cl, *user;

		if (!r) {
			err_sys(e, ENOMEM, "process list");
			return -1;
		}
		r->pid = PIDS_VAL(REL_PID, s_int, s, p->info);
		r->uid = PIDS_VAL(REL_EUID, u_int, s, p->info);
		user = PIDS_VAL(REL_EUSER, str, s, p->info);
		if (user && *user)
			copy_str(r->user, sizeof r->user, user);
		else
			snprintf(r->user, sizeof r->user, "%u",
				 (unsigned)r->uid);
		r->rss_kib = PIDS_VAL(REL_RSS, ul_int, s, p->info);
		r->vsz_bytes = PIDS_VAL(REL_VSIZE, ul_int, s, p->info);
		copy_str(r->comm, sizeof r->comm,
			 PIDS_VAL(REL_CMD, str, s, p->info));
		r->kthread = (PIDS_VAL(REL_FLAGS, ul_int, s, p->info) &
			      PF_KTHREAD_) != 0;
		cl = r->kthread ? "" : PIDS_VAL(REL_CMDLINE, str, s, p->info);
		/* libproc2 turns control characters into '?': where it may
		 * have, the raw text is read, so that every screen shows the
		 * same escapes (\e, \x07) as the batch commands.  It is kept
		 * only if the PID still belongs to the process libproc2 saw
		 * (its start time, read after the text); a process gone or
		 * replaced meanwhile keeps libproc2's text. */
		r->cmdline = NULL;
		if (strchr(r->comm, '?') || (cl && strchr(cl, '?'))) {
			char comm[sizeof r->comm];
			char *raw = NULL;
			size_t len;
			bool got = read_comm(p, r->pid, comm, sizeof comm) == 0;

			if (cl && strchr(cl, '?'))
				raw = read_cmdline(p, r->pid, &len);
			if (started_at(p, r->pid) ==
			    PIDS_VAL(REL_BEGAN, ull_int, s, p->info)) {
				if (got && strchr(r->comm, '?'))
					copy_str(r->comm, sizeof r->comm, comm);
				r->cmdline = raw;
			} else {
				free(raw);
			}
		}
		if (!r->cmdline)
			r->cmdline = strdup(cl ? cl : "");
		if (!r->cmdline) {
			l->n--;
			err_sys(e, ENOMEM, "process list");
			return -1;
		}
	}
	return 0;
}
#endif

/* ---- plain reader below the root ---- */

static void read_users(struct procs *p)
{
	char *text = NULL, *line, *save = NULL;
	size_t len;

	p->users_read = true;
	if (root_read_text(p->root, "etc/passwd", &text, &len, NULL) < 0)
		return;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *name = line, *c1 = strchr(line, ':'), *c2, *end;
		unsigned long uid;
		struct user_map *nu;

		if (!c1 || !(c2 = strchr(c1 + 1, ':')))
			continue;
		*c1 = '\0';
		uid = strtoul(c2 + 1, &end, 10);
		if (end == c2 + 1 || *end != ':')
			continue;
		nu = realloc(p->users, (p->nusers + 1) * sizeof *nu);
		if (!nu)
			break;
		p->users = nu;
		nu[p->nusers].uid = (uid_t)uid;
		copy_str(nu[p->nusers].name, sizeof nu[p->nusers].name, name);
		p->nusers++;
	}
	free(text);
}

static void user_name(struct procs *p, uid_t uid, char *buf, size_t n)
{
	size_t i;

	if (!p->users_read)
		read_users(p);
	for (i = 0; i < p->nusers; i++)
		if (p->users[i].uid == uid) {
			copy_str(buf, n, p->users[i].name);
			return;
		}
	snprintf(buf, n, "%u", (unsigned)uid);
}

/* The value after "Key:" in status text, or NULL. */
static const char *status_field(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (strncmp(p, key, kl) == 0 && p[kl] == ':') {
			p += kl + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			return p;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* One process from ROOT/proc/PID; 1 when it vanished or is unreadable
 * (skipped), 0 when added, -1 on allocation failure. */
static int read_one(struct procs *p, int pid, struct proc_list *l,
		    struct vms_err *e)
{
	char rel[64], *status = NULL, *cmd;
	size_t slen, cmdlen;
	const char *v;
	struct proc_row *r;
	unsigned long long num;
	unsigned u1, u2;
	bool have_vm;

	snprintf(rel, sizeof rel, "proc/%d/status", pid);
	if (root_read_text(p->root, rel, &status, &slen, NULL) < 0)
		return 1;
	r = list_add(l);
	if (!r) {
		free(status);
		err_sys(e, ENOMEM, "process list");
		return -1;
	}
	r->pid = pid;
	v = status_field(status, "Uid");
	if (v && sscanf(v, "%u %u", &u1, &u2) == 2)
		r->uid = u2;
	user_name(p, r->uid, r->user, sizeof r->user);
	v = status_field(status, "VmRSS");
	if (v && sscanf(v, "%llu", &num) == 1)
		r->rss_kib = num;
	v = status_field(status, "VmSize");
	have_vm = v != NULL;
	if (v && sscanf(v, "%llu", &num) == 1)
		r->vsz_bytes = num * 1024;

	if (read_comm(p, pid, r->comm, sizeof r->comm) < 0 &&
	    (v = status_field(status, "Name"))) {
		size_t n = strcspn(v, "\n");

		if (n >= sizeof r->comm)
			n = sizeof r->comm - 1;
		memcpy(r->comm, v, n);
		r->comm[n] = '\0';
	}
	cmd = read_cmdline(p, pid, &cmdlen);

	v = status_field(status, "Kthread");
	if (v)
		r->kthread = *v == '1';
	else {
		v = status_field(status, "PPid");
		r->kthread = pid == 2 || (v && atoi(v) == 2) ||
			     (!have_vm && cmdlen == 0);
	}
	free(status);
	if (r->kthread)
		cmdlen = 0;
	r->cmdline = cmdlen ? cmd : strdup("");
	if (!cmdlen)
		free(cmd);
	if (!r->cmdline) {
		l->n--;
		err_sys(e, ENOMEM, "process list");
		return -1;
	}
	return 0;
}

static int read_plain(struct procs *p, struct proc_list *l,
		      struct vms_err *e)
{
	int fd = openat(p->root->dirfd, "proc", O_RDONLY | O_DIRECTORY |
			O_CLOEXEC);
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (fd < 0) {
		err_sys(e, errno, "%s/proc: cannot list processes",
			p->root->path);
		return -1;
	}
	d = fdopendir(fd);
	if (!d) {
		err_sys(e, errno, "%s/proc", p->root->path);
		close(fd);
		return -1;
	}
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || end == de->d_name || pid <= 0 || pid > 0x7fffffff)
			continue;
		if (read_one(p, (int)pid, l, e) < 0) {
			rc = -1;
			break;
		}
	}
	closedir(d);
	return rc;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int procs_read(struct procs *p, struct proc_list *l, struct vms_err *e)
{
	int rc;

	list_clear(l);
#ifndef VMSCOPE_NO_LIBPROC2
	if (p->use_proc2)
		rc = read_proc2(p, l, e);
	else
#endif
		rc = read_plain(p, l, e);
	if (rc == 0 && l->n > 1)
		qsort(l->rows, l->n, sizeof *l->rows, cmp_pid);
	return rc;
}
