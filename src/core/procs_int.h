/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procs_int: what the process list's readers share (procs.c, the plain
 * reader; procs_proc2.c, libproc2), nothing public. */
#ifndef VMSCOPE_PROCS_INT_H
#define VMSCOPE_PROCS_INT_H

#include "vmscope/procs.h"

/* Room for one more row: returned zeroed, or NULL. */
struct proc_row *procs_list_add(struct proc_list *l);
/* Copy src (may be NULL) into dst of size n, cut to fit. */
void procs_copy_str(char *dst, size_t n, const char *src);
/* ROOT/proc/PID/comm, raw, into buf; -1 when unreadable. */
int procs_read_comm(struct procs *p, int pid, char *buf, size_t n);
/* ROOT/proc/PID/cmdline, raw, its arguments joined by spaces; NULL when
 * unreadable (*len is then 0). */
char *procs_read_cmdline(struct procs *p, int pid, size_t *len);
/* Whether p lists threads too (procs_set_threads). */
bool procs_threads(const struct procs *p);
/* The root p reads. */
const struct vms_root *procs_root(const struct procs *p);

#endif
