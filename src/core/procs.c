/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procs: the process list.  The plain reader reads
 * ROOT/proc/PID/{status,comm,cmdline} through the root, on every
 * backend; the local live root reads through procps-ng's libproc2
 * instead where the program registered it (procs_proc2.c: the only
 * file of the core that needs more than libc). */
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
#include "procs_int.h"

/* Snapshot roots: uid -> name from ROOT/etc/passwd, read once. */
struct user_map {
	uid_t uid;
	char name[33];
};

struct procs {
	const struct vms_root *root;
	const struct procs_live_source *src; /* NULL: the plain reader */
	void *src_state;
	struct user_map *users;
	size_t nusers;
	bool users_read;
	bool threads;           /* list threads too */
	/* who the reader is, for proc_row.unreadable (live local roots) */
	bool access_read, access_known, may_ptrace;
	uid_t self_uid;
};

static const struct procs_live_source *live_source;

void procs_set_live_source(const struct procs_live_source *s)
{
	live_source = s;
}

void procs_copy_str(char *dst, size_t n, const char *src)
{
	size_t l = src ? strlen(src) : 0;

	if (l >= n)
		l = n - 1;
	if (l)
		memcpy(dst, src, l);
	dst[l] = '\0';
}

/* Make room for one more row; returns it zeroed, or NULL. */
struct proc_row *procs_list_add(struct proc_list *l)
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
	/* libproc2 reads this machine's /proc: only for the local live
	 * root (a capture's tap must see every file the list reads) */
	if (live_source && root_is_local(r)) {
		p->src_state = live_source->open(e);
		if (!p->src_state) {
			free(p);
			return -1;
		}
		p->src = live_source;
	}
	*out = p;
	return 0;
}

void procs_close(struct procs *p)
{
	if (!p)
		return;
	if (p->src)
		p->src->close(p->src_state);
	free(p->users);
	free(p);
}

/* ROOT/proc/PID/comm, raw, into buf; -1 when unreadable. */
int procs_read_comm(struct procs *p, int pid, char *buf, size_t n)
{
	char rel[64], *comm = NULL;
	size_t clen = 0;

	snprintf(rel, sizeof rel, "proc/%d/comm", pid);
	if (root_read_text(p->root, rel, &comm, &clen, NULL) < 0)
		return -1;
	if (clen && comm[clen - 1] == '\n')
		comm[--clen] = '\0';
	procs_copy_str(buf, n, comm);
	free(comm);
	return 0;
}

/* ROOT/proc/PID/cmdline, raw, its NUL-separated arguments joined by
 * spaces; NULL when unreadable (*len is then 0). */
char *procs_read_cmdline(struct procs *p, int pid, size_t *len)
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
		procs_copy_str(nu[p->nusers].name, sizeof nu[p->nusers].name, name);
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
			procs_copy_str(buf, n, p->users[i].name);
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

static int read_one(struct procs *p, int pid, struct proc_list *l,
		    struct vms_err *e);

int procs_read_pid(struct procs *p, int pid, struct proc_list *l,
		   struct vms_err *e)
{
	return read_one(p, pid, l, e);
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
	r = procs_list_add(l);
	if (!r) {
		free(status);
		err_sys(e, ENOMEM, "process list");
		return -1;
	}
	r->pid = pid;
	r->tgid = pid;
	v = status_field(status, "Tgid");
	if (v && atoi(v) > 0)
		r->tgid = atoi(v);
	r->thread = r->tgid != pid;
	v = status_field(status, "PPid");
	r->ppid = r->thread ? r->tgid : v ? atoi(v) : 0;
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

	if (procs_read_comm(p, pid, r->comm, sizeof r->comm) < 0 &&
	    (v = status_field(status, "Name"))) {
		size_t n = strcspn(v, "\n");

		if (n >= sizeof r->comm)
			n = sizeof r->comm - 1;
		memcpy(r->comm, v, n);
		r->comm[n] = '\0';
	}
	cmd = procs_read_cmdline(p, pid, &cmdlen);

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

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

int procs_list_pids(const struct vms_root *r, int **pids, size_t *n,
		    struct vms_err *e)
{
	char **names;
	size_t nn, i, k = 0;
	int *v;

	*pids = NULL;
	*n = 0;
	if (root_list(r, "proc", &names, &nn, e) < 0)
		return -1;
	v = malloc((nn ? nn : 1) * sizeof *v);
	if (!v) {
		root_list_free(names, nn);
		err_sys(e, ENOMEM, "listing processes");
		return -1;
	}
	for (i = 0; i < nn; i++) {
		char *end;
		long pid = strtol(names[i], &end, 10);

		if (*end || end == names[i] || names[i][0] == '0' ||
		    pid <= 0 || pid > 0x7fffffff)
			continue;
		v[k++] = (int)pid;
	}
	root_list_free(names, nn);
	if (k > 1)
		qsort(v, k, sizeof *v, cmp_int);
	*pids = v;
	*n = k;
	return 0;
}

/* The threads of process pid other than itself, from ROOT/proc/PID/task
 * (each read as ROOT/proc/TID, which the kernel serves for any TID). */
static int read_threads(struct procs *p, int pid, struct proc_list *l,
			struct vms_err *e)
{
	char rel[64], **names;
	size_t nn, i;
	int rc = 0;

	snprintf(rel, sizeof rel, "proc/%d/task", pid);
	if (root_list(p->root, rel, &names, &nn, NULL) < 0)
		return 0;
	for (i = 0; i < nn && rc == 0; i++) {
		char *end;
		long tid = strtol(names[i], &end, 10);

		if (*end || tid <= 0 || tid > 0x7fffffff || tid == pid)
			continue;
		if (read_one(p, (int)tid, l, e) < 0)
			rc = -1;
	}
	root_list_free(names, nn);
	return rc;
}

/* What read_one reads of every process, asked at once (a remote root
 * then needs one round trip, not three per process). */
static void prefetch_all(struct procs *p, const int *pids, size_t n)
{
	static const char *const what[] = { "status", "comm", "cmdline" };
	char **rel = calloc(n * 3 + 1, sizeof *rel);
	size_t i, k = 0, w;

	for (i = 0; rel && i < n; i++)
		for (w = 0; w < 3; w++)
			if (asprintf(&rel[k], "proc/%d/%s", pids[i], what[w]) >= 0)
				k++;
	if (rel)
		root_prefetch(p->root, ROOT_PREFETCH_READ, (const char *const *)rel, k);
	for (i = 0; rel && i < k; i++)
		free(rel[i]);
	free(rel);
}

static int read_plain(struct procs *p, struct proc_list *l,
		      struct vms_err *e)
{
	int *pids;
	size_t n, i;
	int rc = 0;

	if (procs_list_pids(p->root, &pids, &n, e) < 0)
		return -1;
	prefetch_all(p, pids, n);
	for (i = 0; i < n && rc == 0; i++) {
		int one = read_one(p, pids[i], l, e);

		if (one < 0)
			rc = -1;
		else if (one == 0 && p->threads && !l->rows[l->n - 1].kthread)
			rc = read_threads(p, pids[i], l, e);
	}
	free(pids);
	return rc;
}

void procs_set_threads(struct procs *p, bool on)
{
	p->threads = on;
}

bool procs_threads(const struct procs *p)
{
	return p->threads;
}

/* Who reads, once: the effective uid and CAP_SYS_PTRACE (bit 19 of
 * CapEff) from proc/self/status, on the local live root only (a tap
 * would record the capturing process's own status into a snapshot). */
static void read_access(struct procs *p)
{
	char *status = NULL;
	const char *v;
	size_t len;
	unsigned u1, u2;
	unsigned long long cap;

	p->access_read = true;
	if (!root_is_local(p->root) ||
	    root_read_text(p->root, "proc/self/status", &status, &len, NULL) < 0)
		return;
	v = status_field(status, "Uid");
	if (v && sscanf(v, "%u %u", &u1, &u2) == 2 &&
	    (v = status_field(status, "CapEff")) &&
	    sscanf(v, "%llx", &cap) == 1) {
		p->self_uid = (uid_t)u2;
		p->may_ptrace = cap >> 19 & 1;
		p->access_known = true;
	}
	free(status);
}

bool procs_self_uid(const struct procs *p, uid_t *uid)
{
	*uid = p->self_uid;
	return p->access_known;
}

static void mark_access(struct procs *p, struct proc_list *l)
{
	size_t i;

	if (!p->access_read)
		read_access(p);
	for (i = 0; i < l->n; i++)
		l->rows[i].unreadable = p->access_known && !p->may_ptrace &&
					!l->rows[i].kthread &&
					l->rows[i].uid != p->self_uid;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int procs_read(struct procs *p, struct proc_list *l, struct vms_err *e)
{
	/* read into a list of its own: a failed read (a lost remote, out of
	 * memory) leaves the caller's list as it was, rows and all, since a
	 * screen may still be showing them */
	struct proc_list nl = { NULL, 0, 0 };
	int rc;

	if (p->src)
		rc = p->src->read(p->src_state, p, &nl, e);
	else
		rc = read_plain(p, &nl, e);
	if (rc < 0) {
		procs_list_free(&nl);
		return rc;
	}
	if (nl.n > 1)
		qsort(nl.rows, nl.n, sizeof *nl.rows, cmp_pid);
	mark_access(p, &nl);
	procs_list_free(l);
	*l = nl;
	return 0;
}

const struct vms_root *procs_root(const struct procs *p)
{
	return p->root;
}
