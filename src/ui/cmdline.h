/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmdline: the ":" command line, GNU readline in callback mode in a
 * one-line window at the bottom, with history and completion. */
#ifndef VMSCOPE_CMDLINE_H
#define VMSCOPE_CMDLINE_H

#include <stdbool.h>
#include "uicurses.h"

struct app;

int cmdline_init(struct app *a);
void cmdline_free(struct app *a);
void cmdline_open(struct app *a, const char *prefill);
bool cmdline_active(struct app *a);
/* Feed one key read from the command window. */
void cmdline_key(struct app *a, int ch);
void cmdline_draw(struct app *a);
void cmdline_resize(struct app *a);
WINDOW *cmdline_window(struct app *a);

#endif
