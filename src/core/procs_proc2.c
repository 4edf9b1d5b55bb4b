/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procs_proc2: the live process list through procps-ng's libproc2 (one
 * reap per refresh, the info kept across refreshes).  The one file of the
 * core that needs more than libc: vmscope-collect is the core without it,
 * and reads every root with the plain reader of procs.c. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/procs.h"
#include "procs_int.h"
#include <libproc2/pids.h>

/* PIDS_VAL indexes by position: this enum must follow proc_items. */
static enum pids_item proc_items[] = {
	PIDS_ID_PID, PIDS_ID_EUID, PIDS_ID_EUSER, PIDS_VM_RSS,
	PIDS_VSIZE_BYTES, PIDS_CMD, PIDS_CMDLINE, PIDS_FLAGS, PIDS_TICS_BEGAN,
	PIDS_ID_PPID, PIDS_ID_TGID,
};
enum rel_item {
	REL_PID, REL_EUID, REL_EUSER, REL_RSS, REL_VSIZE, REL_CMD,
	REL_CMDLINE, REL_FLAGS, REL_BEGAN, REL_PPID, REL_TGID,
};
#define PF_KTHREAD_ 0x00200000ul

static void *proc2_open(struct vms_err *e)
{
	struct pids_info *info = NULL;
	int rc = procps_pids_new(&info, proc_items,
				 (int)(sizeof proc_items / sizeof proc_items[0]));

	if (rc < 0) {
		err_sys(e, -rc,
			"libproc2 could not start reading processes (is /proc mounted?)");
		return NULL;
	}
	return info;
}

static void proc2_close(void *state)
{
	struct pids_info *info = state;

	if (info)
		procps_pids_unref(&info);
}

/* The start time (clock ticks after boot, /proc/PID/stat field 22) of
 * ROOT/proc/PID: it tells a process from a later one with its PID.
 * ULLONG_MAX when unreadable. */
static unsigned long long started_at(struct procs *p, int pid)
{
	char rel[64], *text = NULL, *q;
	size_t len;
	unsigned long long t = ULLONG_MAX;

	snprintf(rel, sizeof rel, "proc/%d/stat", pid);
	if (root_read_text(procs_root(p), rel, &text, &len, NULL) < 0)
		return t;
	/* after "(comm)", which may hold anything */
	q = strrchr(text, ')');
	if (!q || sscanf(q + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u"
			 " %*u %*u %*d %*d %*d %*d %*d %*d %llu", &t) != 1)
		t = ULLONG_MAX;
	free(text);
	return t;
}

static int proc2_read(void *state, struct procs *p, struct proc_list *l,
		      struct vms_err *e)
{
	struct pids_info *info = state;
	struct pids_fetch *f;
	int i;

	errno = 0;
	f = procps_pids_reap(info, procs_threads(p) ? PIDS_FETCH_THREADS_TOO
						     : PIDS_FETCH_TASKS_ONLY);
	if (!f) {
		err_sys(e, errno ? errno : EIO,
			"libproc2 could not read the process list");
		return -1;
	}
	for (i = 0; i < f->counts->total; i++) {
		struct pids_stack *s = f->stacks[i];
		struct proc_row *r = procs_list_add(l);
		const char *cl, *user;

		if (!r) {
			err_sys(e, ENOMEM, "process list");
			return -1;
		}
		r->pid = PIDS_VAL(REL_PID, s_int, s, info);
		r->uid = PIDS_VAL(REL_EUID, u_int, s, info);
		r->tgid = PIDS_VAL(REL_TGID, s_int, s, info);
		r->thread = r->tgid > 0 && r->tgid != r->pid;
		r->ppid = r->thread ? r->tgid : PIDS_VAL(REL_PPID, s_int, s, info);
		user = PIDS_VAL(REL_EUSER, str, s, info);
		if (user && *user)
			procs_copy_str(r->user, sizeof r->user, user);
		else
			snprintf(r->user, sizeof r->user, "%u",
				 (unsigned)r->uid);
		r->rss_kib = PIDS_VAL(REL_RSS, ul_int, s, info);
		r->vsz_bytes = PIDS_VAL(REL_VSIZE, ul_int, s, info);
		procs_copy_str(r->comm, sizeof r->comm,
			 PIDS_VAL(REL_CMD, str, s, info));
		r->kthread = (PIDS_VAL(REL_FLAGS, ul_int, s, info) &
			      PF_KTHREAD_) != 0;
		cl = r->kthread ? "" : PIDS_VAL(REL_CMDLINE, str, s, info);
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
			bool got = procs_read_comm(p, r->pid, comm, sizeof comm) == 0;

			if (cl && strchr(cl, '?'))
				raw = procs_read_cmdline(p, r->pid, &len);
			if (started_at(p, r->pid) ==
			    PIDS_VAL(REL_BEGAN, ull_int, s, info)) {
				if (got && strchr(r->comm, '?'))
					procs_copy_str(r->comm, sizeof r->comm, comm);
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

const struct procs_live_source procs_proc2 = {
	.open = proc2_open, .read = proc2_read, .close = proc2_close,
};
