/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote_ui: a lost connection on screen, the reconnect key, and the
 * counters for VMSCOPE_STATS.  The screens keep their state (process,
 * VMA, position) while the connection is down; after a reconnect their
 * next refresh reads again, and a process that no longer exists is
 * handled as when it exits locally. */
#include <stdlib.h>
#include <string.h>
#include "remote_ui.h"
#include "uicurses.h"
#include "vmscope/root_remote.h"

static void say_lost(struct app *a, const char *why)
{
	/* the keys first: a long command must not push them off a
	 * narrow terminal; the whole reason is on the info line */
	snprintf(a->lost_msg, sizeof a->lost_msg,
		 "connection lost -- r reconnect, q quit | %s", why);
	snprintf(a->msg, sizeof a->msg, "%s", why);
	a->msg_elem = EL_ERROR;
	a->msg_until = 0;
	a->need_draw = true;
}

void remote_ui_check(struct app *a)
{
	struct vms_err e;

	if (a->remote_lost || !root_remote_lost(a->root, &e))
		return;
	a->remote_lost = true;
	say_lost(a, e.msg);
}

static void reconnect(struct app *a)
{
	struct vms_err e;

	if (root_remote_reconnect(a->root, &e) < 0) {
		say_lost(a, e.msg);
		return;
	}
	a->remote_lost = false;
	a->lost_msg[0] = '\0';
	app_message(a, EL_MESSAGE, "reconnected: %s", a->root->hostname);
	a->next_tick = app_now();
	if (app_top(a))
		app_top(a)->dirty = true;
	a->need_draw = true;
}

bool remote_ui_key(struct app *a, int ch)
{
	if (!a->remote_lost || ch == KEY_RESIZE)
		return false;
	if (ch == 'r' || ch == 'R')
		reconnect(a);
	else if (ch == 'q' || ch == 'Q')
		a->quit = true;
	return true;
}

void remote_ui_stats(FILE *f, const struct vms_root *r)
{
	struct root_remote_stats st;
	size_t i;

	if (!root_remote_stats(r, &st))
		return;
	fprintf(f, "remote_roundtrips=%lu remote_requests=%lu remote_bytes_in=%llu remote_bytes_out=%llu remote_ticks=%lu\n",
		st.roundtrips, st.requests, st.bytes_in, st.bytes_out, st.ticks);
	fprintf(f, "remote_tick_roundtrips=");
	for (i = 0; i < st.nlast; i++)
		fprintf(f, "%s%u", i ? "," : "", st.rt[i]);
	fprintf(f, "\nremote_tick_bytes_in=");
	for (i = 0; i < st.nlast; i++)
		fprintf(f, "%s%llu", i ? "," : "", st.in[i]);
	fprintf(f, "\nremote_tick_bytes_out=");
	for (i = 0; i < st.nlast; i++)
		fprintf(f, "%s%llu", i ? "," : "", st.out[i]);
	fprintf(f, "\n");
}

void remote_ui_write_stats(struct app *a)
{
	const char *path = getenv("VMSCOPE_STATS");
	FILE *f;

	if (!path || !*path || !(f = fopen(path, "ae")))
		return;
	fprintf(f, "ticks=%lu draws=%lu\n", a->ticks, a->draws);
	remote_ui_stats(f, a->root);
	fclose(f);
}
