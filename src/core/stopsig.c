/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stopsig: a stop signal recorded by its handler, read by the loops
 * (stopsig.h). */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include "vmscope/stopsig.h"

static volatile sig_atomic_t caught;

static void on_stop(int sig)
{
	if (!caught)
		caught = sig;
}

void stopsig_catch(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;   /* no SA_RESTART: a blocking read returns */
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

int stopsig_caught(void)
{
	return caught;
}

void stopsig_note(int sig)
{
	if (!caught)
		caught = sig;
}

int stopsig_check(struct vms_err *e)
{
	int sig = caught;

	if (!sig)
		return 0;
	err_set(e, EINTR, "interrupted (%s)",
		sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM"
		: sig == SIGHUP ? "SIGHUP" : "a signal");
	return -1;
}
