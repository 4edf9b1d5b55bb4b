/* SPDX-License-Identifier: GPL-3.0-or-later */
/* still: whether a screen may skip a refresh because the process it
 * shows held still (include/vmscope/mmsig.h) since its last full read,
 * and how often it reads fully anyway: at least every 5 s, and for a
 * read that costs much (smaps of 100,000 VMAs, about 0.3 s of CPU) no
 * more often than keeps it below 0.5% of a core. */
#ifndef VMSCOPE_UI_STILL_H
#define VMSCOPE_UI_STILL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "vmscope/root.h"

struct still {
	uint64_t sig;             /* the fingerprint at the last full read */
	bool sig_ok;
	struct timespec full_at;  /* when that read was */
	int64_t full_every;       /* ns between full reads however still */
	struct timespec cpu0;     /* still_read_start */
};

/* Take the fingerprint of pid (first: what changes after it is in the
 * read that follows, or moves it for the next refresh).  True when it
 * held still since the last full read, not too long ago: skip the read.
 * False on a root whose counters cannot tell (a snapshot, inexact RSS
 * counters): read. */
bool still_holds(struct still *st, const struct vms_root *r, int pid);

/* Forget the last fingerprint: the next still_holds says read (for a
 * read forced by something other than the process, a new view). */
void still_forget(struct still *st);

/* Around a full read: its CPU time sets how often one is made. */
void still_read_start(struct still *st);
void still_read_end(struct still *st);

#endif
