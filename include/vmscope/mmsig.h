/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mmsig: a cheap fingerprint of what a process's page tables hold, from
 * counters the kernel keeps anyway (no page-table walk): its fault
 * counts, its resident and swapped page counters, and the system's THP
 * collapse and split counts.  When the fingerprint has not moved, no
 * page of the process has been faulted in, reclaimed, swapped, unmapped
 * from its RSS or folded into or out of a huge page since the last one;
 * nor has a mapping been made, removed or resized, or locked, or had
 * its write or exec permission changed (the status sizes VmSize, VmData,
 * VmExe, VmStk, VmLib, VmLck, VmPin).  A split or merge that moves no
 * size (madvise, an mprotect between none and read) is not seen.
 * What it does not see: a MADV_DONTNEED of pages that only map the zero
 * page (not counted in RSS); pages faulted in by another process (a
 * debugger's ptrace or /proc/PID/mem reads, process_vm_readv, a
 * userfaultfd handler), whose faults are charged to that process and
 * which, for untouched memory, map the zero page; and PFN changes by
 * migration (which keep every count).  Callers re-read fully every few
 * seconds anyway.
 *
 * The RSS counters are exact only on some kernels: from Linux 6.2 they
 * are kept per CPU, and until a 2025 fix status read them without adding
 * the CPUs' shares (up to 32 pages or twice the CPUs each), so dropping a
 * few pages moved nothing.  mmsig_exact tells. */
#ifndef VMSCOPE_MMSIG_H
#define VMSCOPE_MMSIG_H

#include <stdbool.h>
#include <stdint.h>
#include "vmscope/err.h"
#include "vmscope/root.h"

/* The fingerprint of process pid on root r into *sig.  Returns 0, or -1
 * when the process is gone or its counters cannot be read (the caller
 * then reads everything, as without a fingerprint). */
int mm_signature(const struct vms_root *r, int pid, uint64_t *sig,
		 struct vms_err *e);

/* Whether this kernel's status RSS counters are exact, so that a
 * fingerprint that holds still means something: measured once, on this
 * process (a page touched and dropped must move RssAnon by one page, three
 * times over).  False on a snapshot root. */
bool mmsig_exact(const struct vms_root *r);

/* The same from the texts of stat, status and vmstat (NUL-terminated;
 * vmstat may be NULL).  -1 with VMS_EFORMAT when stat has no fault
 * counts or status no RSS counters. */
int mmsig_from_text(const char *stat, const char *status,
		    const char *vmstat, uint64_t *sig, struct vms_err *e);

#endif
