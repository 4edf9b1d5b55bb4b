/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chooser: a small boxed list drawn over a screen to pick one item (F6
 * "sort by", as htop's): Up/Down move, Enter or a click picks, Esc or
 * Left cancels. */
#ifndef VMSCOPE_CHOOSER_H
#define VMSCOPE_CHOOSER_H

#include <stdbool.h>
#include "keys.h"
#include "uicurses.h"

struct chooser {
	bool open;
	const char *title;
	const char *const *items;   /* ours: safe for the terminal */
	int n, sel;
	int y, x, h, w;             /* where it was drawn last */
};

enum { CHOOSER_BUSY = -1, CHOOSER_CANCEL = -2 };

void chooser_open(struct chooser *c, const char *title,
		  const char *const *items, int n, int sel);
/* Draw it at the top left of the body (y, x), within h rows. */
void chooser_draw(struct chooser *c, int y, int x, int h, attr_t normal,
		  attr_t selected, attr_t border);
/* An action while open: the item picked (the chooser closes), CHOOSER_
 * CANCEL (closed), or CHOOSER_BUSY (still open; every other action is
 * taken and ignored). */
int chooser_action(struct chooser *c, enum action act);
/* A click at y, x while open: an item picked, or CHOOSER_CANCEL (a click
 * outside closes it), or CHOOSER_BUSY (on its border). */
int chooser_click(struct chooser *c, int y, int x);

#endif
