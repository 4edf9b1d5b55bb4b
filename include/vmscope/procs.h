/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procs: the process list.  Live: procps-ng's libproc2.  Snapshot roots
 * (and builds without libproc2, VMSCOPE_NO_LIBPROC2): ROOT/proc/PID/status
 * and cmdline read directly. */
#ifndef VMSCOPE_PROCS_H
#define VMSCOPE_PROCS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>
#include "vmscope/err.h"
#include "vmscope/root.h"

struct proc_row {
	int pid;
	uid_t uid;
	char user[33];     /* name, or the uid in decimal */
	uint64_t rss_kib;
	uint64_t vsz_bytes;
	char comm[64];     /* raw, untrusted: escape before display */
	char *cmdline;     /* raw, untrusted, malloc'd ("" for kernel threads) */
	bool kthread;
};

struct proc_list {
	struct proc_row *rows;
	size_t n, cap;
};

struct procs;  /* reader state kept across refreshes (libproc2 info) */

int procs_open(const struct vms_root *r, struct procs **out,
	       struct vms_err *e);
/* Replace l's content with a fresh read. */
int procs_read(struct procs *p, struct proc_list *l, struct vms_err *e);
void procs_list_free(struct proc_list *l);
void procs_close(struct procs *p);

#endif
