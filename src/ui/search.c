/* SPDX-License-Identifier: GPL-3.0-or-later */
/* search: incremental search and the filter prompt (see search.h).  The
 * matching is the screen's (its search and filter ops). */
#include <stdio.h>
#include <string.h>
#include "app.h"
#include "search.h"
#include "vmscope/escape.h"

void search_run(struct app *a, const char *text, int dir,
		       bool from_here)
{
	struct screen *s = app_top(a);

	if (!s || !s->ops->search || !*text)
		return;
	if (!s->ops->search(s, a, text, dir, from_here))
		app_message(a, EL_WARN, "not found: %s", text);
	else if (!a->searching)
		a->msg[0] = '\0';
	a->need_draw = true;
}

void search_key(struct app *a, int ch)
{
	size_t l = strlen(a->search);

	if (ch == 27) {
		a->searching = false;
	} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		a->searching = false;
		if (a->search[0])
			snprintf(a->last_search, sizeof a->last_search, "%s",
				 a->search);
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (l == 0) {
			a->searching = false;
		} else {
			/* drop a whole UTF-8 character */
			do
				l--;
			while (l && ((unsigned char)a->search[l] & 0xc0) == 0x80);
			a->search[l] = '\0';
			a->msg[0] = '\0';
			search_run(a, a->search, 1, true);
		}
	} else if (ch >= 32 && ch < 256 && ch != 127 &&
		   l + 1 < sizeof a->search) {
		a->search[l] = (char)ch;
		a->search[l + 1] = '\0';
		a->msg[0] = '\0';
		search_run(a, a->search, 1, true);
	}
	a->need_draw = true;
}

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
