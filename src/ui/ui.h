/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui: the interactive explorer (ncursesw + readline). */
#ifndef VMSCOPE_UI_H
#define VMSCOPE_UI_H

#include <stdbool.h>
#include <stdio.h>
#include "vmscope/err.h"
#include "vmscope/root.h"

struct ui_opts {
	int pid;            /* 0: open on the process list; else that process */
	const char *theme;  /* NULL: default (or mono under NO_COLOR) */
	bool ascii;         /* force ASCII line drawing */
	double delay;       /* refresh interval in seconds (default 1.0) */
	bool no_mouse;      /* --no-mouse: the terminal keeps the mouse */
};

/* Run the explorer until the user quits.  Returns 0, or -1 with e set
 * when it cannot start (not a terminal, unknown theme, bad PID). */
int ui_run(const struct vms_root *r, const struct ui_opts *o,
	   struct vms_err *e);

/* Print the key, command and legend reference (what the help screen
 * shows) as plain text: `vmscope --keys`. */
void ui_print_reference(FILE *f);

#endif
