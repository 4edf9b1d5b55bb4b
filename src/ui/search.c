/* SPDX-License-Identifier: GPL-3.0-or-later */
/* search: the filter prompt (see search.h).  The filter itself is the
 * screen's (its filter op, as :filter sets it). */
#include <stdio.h>
#include <string.h>
#include "app.h"
#include "search.h"
#include "vmscope/escape.h"

static void apply(struct app *a)
{
	struct screen *s = app_top(a);

	if (s && s->ops->filter)
		s->ops->filter(s, a, a->filter);
	a->need_draw = true;
}

void search_filter_open(struct app *a)
{
	struct screen *s = app_top(a);

	if (!s || !s->ops->filter) {
		app_message(a, EL_WARN,
			    "this screen has no filter (processes and VMAs do)");
		return;
	}
	a->filtering = true;
	a->filter[0] = '\0';
	a->msg[0] = '\0';
	apply(a);
}

void search_filter_key(struct app *a, int ch)
{
	size_t l = strlen(a->filter);

	if (ch == 27) {
		a->filtering = false;
		a->filter[0] = '\0';
		apply(a);
		app_message(a, EL_MESSAGE, "filter cleared");
	} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		a->filtering = false;
		a->need_draw = true;
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		/* drop a whole UTF-8 character */
		while (l && ((unsigned char)a->filter[--l] & 0xc0) == 0x80)
			;
		a->filter[l] = '\0';
		apply(a);
	} else if (ch == 21) { /* ^U: all of it */
		a->filter[0] = '\0';
		apply(a);
	} else if (ch >= 32 && ch < 256 && ch != 127 &&
		   l + 1 < sizeof a->filter) {
		a->filter[l] = (char)ch;
		a->filter[l + 1] = '\0';
		apply(a);
	}
}

void search_filter_prompt(const struct app *a, char *buf, size_t n)
{
	char esc[4 * sizeof a->filter];

	escape_text(esc, sizeof esc, a->filter, strlen(a->filter));
	snprintf(buf, n, "Filter: %s_   (Enter keeps it, Esc clears it)", esc);
}
