/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procs: the process list: ROOT/proc/PID/{status,comm,cmdline} read
 * through the root, or, for the local live root of a program that
 * registered it, procps-ng's libproc2. */
#ifndef VMSCOPE_PROCS_H
#define VMSCOPE_PROCS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>
#include "vmscope/err.h"
#include "vmscope/root.h"

struct proc_row {
	int pid;           /* the task's id: a thread's TID */
	int ppid;          /* its parent's PID (0: none); a thread: its tgid */
	int tgid;          /* its process (thread group): pid unless a thread */
	uid_t uid;
	char user[33];     /* name, or the uid in decimal */
	uint64_t rss_kib;
	uint64_t vsz_bytes;
	char comm[64];     /* raw, untrusted: escape before display */
	char *cmdline;     /* raw, untrusted, malloc'd ("" for kernel threads) */
	bool kthread;
	bool thread;       /* a thread other than the process's first */
	/* The reader cannot open its maps (another user's, and the reader
	 * has no CAP_SYS_PTRACE): a cheap guess from uids, live roots only,
	 * made by procs_read; false when not known. */
	bool unreadable;
};

struct proc_list {
	struct proc_row *rows;
	size_t n, cap;
};

struct procs;  /* reader state kept across refreshes (libproc2 info) */

/* A reader of the local live process list other than the plain one:
 * procs_proc2 (procps-ng's libproc2).  The program that links it
 * registers it once, before procs_open; vmscope-collect does not, and
 * reads /proc with the plain reader. */
struct procs_live_source {
	void *(*open)(struct vms_err *e);   /* state, or NULL with e set */
	int (*read)(void *state, struct procs *p, struct proc_list *l,
		    struct vms_err *e);
	void (*close)(void *state);
};
extern const struct procs_live_source procs_proc2;
void procs_set_live_source(const struct procs_live_source *s);

int procs_open(const struct vms_root *r, struct procs **out,
	       struct vms_err *e);
/* Whether procs_read lists every thread too (as rows with thread set,
 * after their process); off at open. */
void procs_set_threads(struct procs *p, bool on);
/* Who reads, when procs_read can tell which processes the reader may
 * open (unreadable): true with its effective uid on a local live root
 * whose proc/self/status it could read (after a procs_read). */
bool procs_self_uid(const struct procs *p, uid_t *uid);
/* Replace l's content with a fresh read: 0; or -1 with e set and l left
 * as it was (a screen may still be drawing its rows). */
int procs_read(struct procs *p, struct proc_list *l, struct vms_err *e);
void procs_list_free(struct proc_list *l);

/* Add process pid, read from ROOT/proc/PID by the plain reader, to l: 0
 * added, 1 gone or unreadable (nothing added), -1 out of memory. */
int procs_read_pid(struct procs *p, int pid, struct proc_list *l,
		   struct vms_err *e);

/* The PIDs below ROOT/proc, ascending, malloc'd: 0 or -1 with e set. */
int procs_list_pids(const struct vms_root *r, int **pids, size_t *n,
		    struct vms_err *e);
void procs_close(struct procs *p);

#endif
