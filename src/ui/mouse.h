/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mouse: clicks and the wheel, as htop takes them: a click on a row
 * selects it, on a column title sorts by that column (the screen's
 * click), the wheel scrolls.  Off (--no-mouse, mouse = no), the
 * terminal keeps the mouse for selecting text; on, Shift-drag selects
 * in most terminals. */
#ifndef VMSCOPE_MOUSE_H
#define VMSCOPE_MOUSE_H

#include <stdbool.h>

struct app;

/* Ask the terminal for mouse events (SGR 1006 where terminfo says so),
 * or give the mouse back to it. */
void mouse_enable(bool on);
/* A KEY_MOUSE from wgetch: read the event and act on the top screen. */
void mouse_key(struct app *a);

#endif
