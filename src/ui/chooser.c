/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chooser: a boxed pick-one list over a screen (see chooser.h). */
#include <string.h>
#include "chooser.h"
#include "draw.h"

void chooser_open(struct chooser *c, const char *title,
		  const char *const *items, int n, int sel)
{
	c->open = true;
	c->title = title;
	c->items = items;
	c->n = n;
	c->sel = sel >= 0 && sel < n ? sel : 0;
}

void chooser_draw(struct chooser *c, int y, int x, int h, attr_t normal,
		  attr_t selected, attr_t border)
{
	int i, w = text_width(c->title) + 4;

	for (i = 0; i < c->n; i++)
		if (text_width(c->items[i]) + 4 > w)
			w = text_width(c->items[i]) + 4;
	c->y = y;
	c->x = x;
	c->w = w;
	c->h = c->n + 2 < h ? c->n + 2 : h;
	draw_box(c->y, x, c->h, w, border);
	draw_text(c->y, x + 2, w - 4, border | A_BOLD, c->title, false);
	for (i = 0; i < c->n && i < c->h - 2; i++)
		draw_fmt(c->y + 1 + i, x + 1, w - 2,
			 i == c->sel ? selected : normal, true, " %s",
			 c->items[i]);
}

int chooser_action(struct chooser *c, enum action act)
{
	switch (act) {
	case ACT_UP:
		c->sel = c->sel > 0 ? c->sel - 1 : c->n - 1;
		return CHOOSER_BUSY;
	case ACT_DOWN:
		c->sel = c->sel + 1 < c->n ? c->sel + 1 : 0;
		return CHOOSER_BUSY;
	case ACT_HOME:
		c->sel = 0;
		return CHOOSER_BUSY;
	case ACT_END:
		c->sel = c->n - 1;
		return CHOOSER_BUSY;
	case ACT_OPEN:
		c->open = false;
		return c->sel;
	case ACT_BACK:
	case ACT_QUIT:
		c->open = false;
		return CHOOSER_CANCEL;
	default:
		return CHOOSER_BUSY;
	}
}

int chooser_click(struct chooser *c, int y, int x)
{
	int i = y - c->y - 1;

	if (y < c->y || y >= c->y + c->h || x < c->x || x >= c->x + c->w) {
		c->open = false;
		return CHOOSER_CANCEL;
	}
	if (i < 0 || i >= c->n || i >= c->h - 2)
		return CHOOSER_BUSY;
	c->sel = i;
	c->open = false;
	return i;
}
