/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mouse: KEY_MOUSE events to the screens: a press of the first button is
 * the screen's click (select a row, sort by a title); the wheel moves the
 * selection three rows, as htop's does. */
#include "app.h"
#include "mouse.h"
#include "uicurses.h"

#define WHEEL_ROWS 3

void mouse_enable(bool on)
{
	/* every press reported at once, not held back to pair it with its
	 * release into a click */
	mouseinterval(0);
	mousemask(on ? BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED |
		       BUTTON5_PRESSED : 0, NULL);
}

static void wheel(struct app *a, struct screen *s, enum action act)
{
	int i;

	for (i = 0; i < WHEEL_ROWS; i++)
		if (!s->ops->action(s, a, act))
			break;
	a->need_draw = true;
}

void mouse_key(struct app *a)
{
	struct screen *s = app_top(a);
	MEVENT ev;

	if (getmouse(&ev) != OK || !s)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		wheel(a, s, ACT_UP);
	} else if (ev.bstate & BUTTON5_PRESSED) {
		wheel(a, s, ACT_DOWN);
	} else if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
		if (a->msg[0]) {
			a->msg[0] = '\0';
			a->need_draw = true;
		}
		/* the body starts below the title line */
		if (s->ops->click && ev.y >= 1 && s->ops->click(s, a, ev.y, ev.x))
			a->need_draw = true;
	}
}
