/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote_ui: the explorer over --remote: a lost connection said on the
 * status line with r to reconnect and q to quit; the counters written
 * for VMSCOPE_STATS. */
#ifndef VMSCOPE_UI_REMOTE_UI_H
#define VMSCOPE_UI_REMOTE_UI_H

#include <stdbool.h>
#include <stdio.h>
#include "app.h"

/* Whether the connection was lost since the last look: then the refresh
 * stops and the status line says so (a->remote_lost, a->lost_msg). */
void remote_ui_check(struct app *a);
/* A key while the connection is lost: r reconnects (the screens then
 * refresh at once), q quits, others are ignored.  False when the
 * connection is not lost (the key is not taken). */
bool remote_ui_key(struct app *a, int ch);
/* The remote counters (round trips, bytes, those of each of the last
 * refreshes) as key=value lines; nothing for other roots. */
void remote_ui_stats(FILE *f, const struct vms_root *r);
/* For the benchmarks: VMSCOPE_STATS=FILE gets how many refreshes and
 * redraws there were, and the remote counters. */
void remote_ui_write_stats(struct app *a);

#endif
