/* SPDX-License-Identifier: GPL-3.0-or-later */
/* still: see still.h. */
#include "still.h"
#include "vmscope/mmsig.h"

#define FULL_EVERY_MIN_NS (INT64_C(5) * 1000000000)
/* 200 times the read's CPU time: 0.5% of a core */
#define FULL_EVERY_COST_TIMES 200

static int64_t ns_between(struct timespec a, struct timespec b)
{
	return (int64_t)(b.tv_sec - a.tv_sec) * 1000000000 +
	       (b.tv_nsec - a.tv_nsec);
}

bool still_holds(struct still *st, const struct vms_root *r, int pid)
{
	struct timespec now;
	uint64_t sig = 0;
	bool have;

	if (!r->live || !mmsig_exact(r))
		return false;
	have = mm_signature(r, pid, &sig, NULL) == 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (have && st->sig_ok && sig == st->sig &&
	    ns_between(st->full_at, now) < st->full_every)
		return true;
	st->sig = sig;
	st->sig_ok = have;
	st->full_at = now;
	return false;
}

void still_forget(struct still *st)
{
	st->sig_ok = false;
}

void still_read_start(struct still *st)
{
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &st->cpu0);
}

void still_read_end(struct still *st)
{
	struct timespec t1;
	int64_t every;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	every = ns_between(st->cpu0, t1) * FULL_EVERY_COST_TIMES;
	st->full_every = every > FULL_EVERY_MIN_NS ? every : FULL_EVERY_MIN_NS;
}
