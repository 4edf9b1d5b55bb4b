/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen: what every screen is to the app: a set of operations (update,
 * draw, info and title lines, actions, search, filter, goto) and a few
 * flags the event loop reads. */
#ifndef VMSCOPE_SCREEN_H
#define VMSCOPE_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "keys.h"
#include "vmscope/err.h"

struct app;
struct screen;

struct screen_ops {
	const char *name;
	unsigned (*context)(struct screen *s);
	/* Bring the data up to date for the body size h x w.  reread: a
	 * timer tick (read again and mark what changed); otherwise read
	 * only when the view moved.  Returns 1 when the screen must be
	 * drawn again, 0 when nothing changed, -1 on error. */
	int (*update)(struct screen *s, struct app *a, int h, int w,
		      bool reread, struct vms_err *e);
	/* Draw the body at rows y..y+h-1. */
	void (*draw)(struct screen *s, struct app *a, int y, int h, int w);
	/* One line about the selected item (may be ""). */
	void (*info)(struct screen *s, struct app *a, char *buf, size_t n,
		     int *elem);
	void (*title)(struct screen *s, struct app *a, char *buf, size_t n);
	/* Handle an action; false when the screen does not use it. */
	bool (*action)(struct screen *s, struct app *a, enum action act);
	/* Move the selection to the next item matching text in direction
	 * dir (+1/-1), starting at the selection when from_here. */
	bool (*search)(struct screen *s, struct app *a, const char *text,
		       int dir, bool from_here);
	/* :filter TEXT ("" clears); NULL when the screen has none. */
	void (*filter)(struct screen *s, struct app *a, const char *text);
	/* A click at screen row y, column x (a row selects it, a column
	 * title sorts); true when it did something.  NULL: no clicks. */
	bool (*click)(struct screen *s, struct app *a, int y, int x);
	/* :goto on this screen; NULL: the app opens the pages screen. */
	bool (*goto_addr)(struct screen *s, struct app *a, uint64_t addr);
	void (*destroy)(struct screen *s);
};

struct screen {
	const struct screen_ops *ops;
	bool dirty;     /* draw again even without new data */
	bool stale;     /* shown again after a while: re-read, mark nothing */
	bool is_process; /* belongs to the open process */
	bool busy;      /* work left (done in slices): update again soon */
};

#endif
