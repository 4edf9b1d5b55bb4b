/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bootlog_wrap: lines of a boot log wrapped by a mail client (a hard wrap
 * that ate the space, a quoted-printable soft break "=") or by a terminal
 * (a break at the column, nothing lost).  A line of a known form that
 * cannot be read alone, followed by a line that has no log prefix and is
 * nothing on its own, is read again joined to it in each way the break
 * could have been made; when every way that reads gives the same ranges,
 * the two are one line; when none does, or they disagree, the line is
 * read alone and named in a note. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bootlog.h"

/* What a line gives when read alone or joined: a dry run into a scratch
 * map. */
struct bootlog_trial {
	struct kranges k;
	int verdict;   /* 1 read, -1 of a known form but garbled, 0 unknown */
};

static void trial_run(struct bootlog_trial *t, const struct bootlog *b,
		      const char *lp, const char *le)
{
	struct bootlog tb = *b;

	kranges_init(&t->k);
	t->k.page_shift = b->k->page_shift;
	tb.k = &t->k;
	tb.pool = -1;
	tb.used = 0;
	tb.added = 0;
	bootlog_line(&tb, lp, le);
	t->verdict = t->k.skipped ? -1 : (tb.used || tb.added) ? 1 : 0;
}

static bool trials_agree(const struct kranges *a, const struct kranges *c)
{
	size_t i;

	if (a->n != c->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->r[i].start != c->r[i].start || a->r[i].end != c->r[i].end ||
		    a->r[i].kind != c->r[i].kind ||
		    strcmp(a->r[i].name, c->r[i].name))
			return false;
	return true;
}

/* The ways the break between the two lines could have been made: 0 a
 * terminal's (nothing lost), 1 a mail client's hard wrap (a space lost),
 * 2 a quoted-printable soft break (the '=' ending the first goes).  The
 * joined text into *out (malloc'd), NULL when the way does not apply. */
static char *join_way(int way, const char *lp, const char *le,
		      const char *np, const char *ne)
{
	size_t a = (size_t)(le - lp), c = (size_t)(ne - np);
	char *t;

	if (way == 1 && a && le[-1] == ' ')
		return NULL;   /* the space is there: the same as way 0 */
	if (way == 2 && !(a && le[-1] == '='))
		return NULL;
	if (way == 2)
		a--;
	t = malloc(a + c + 2);
	if (!t)
		return NULL;
	memcpy(t, lp, a);
	if (way == 1)
		t[a++] = ' ';
	while (c && (*np == ' ' || *np == '\t') && way != 0) {
		np++;
		c--;
	}
	memcpy(t + a, np, c);
	t[a + c] = '\0';
	return t;
}

/* The joined text all readable ways agree on (malloc'd), or NULL. */
static char *join_agreed(const struct bootlog *b, const char *lp,
			 const char *le, const char *np, const char *ne)
{
	struct bootlog_trial first, t;
	char *pick = NULL;
	bool agree = true;
	int way;

	for (way = 0; way < 3; way++) {
		char *j = join_way(way, lp, le, np, ne);

		if (!j)
			continue;
		trial_run(&t, b, j, j + strlen(j));
		if (t.verdict != 1) {
			kranges_free(&t.k);
			free(j);
			continue;
		}
		if (!pick) {
			pick = j;
			first = t;
			continue;
		}
		agree = agree && trials_agree(&first.k, &t.k);
		kranges_free(&t.k);
		free(j);
	}
	if (pick)
		kranges_free(&first.k);
	if (pick && !agree) {
		free(pick);
		pick = NULL;
	}
	return pick;
}

bool bootlog_step(struct bootlog *b, const char *lp, const char *le,
		  const char *np, const char *ne)
{
	struct bootlog_trial alone, rest;
	const char *m;
	char *joined;

	if (!np || ne == np || bootlog_message(np, ne, &m)) {
		bootlog_line(b, lp, le);
		return false;
	}
	trial_run(&alone, b, lp, le);
	kranges_free(&alone.k);
	if (alone.verdict >= 0) {
		bootlog_line(b, lp, le);
		return false;
	}
	trial_run(&rest, b, np, ne);
	kranges_free(&rest.k);
	if (rest.verdict != 0) {
		bootlog_line(b, lp, le);
		return false;
	}
	joined = join_agreed(b, lp, le, np, ne);
	if (!joined) {
		if (!b->unjoined++)
			b->unjoined_first = b->line;
		bootlog_line(b, lp, le);
		return false;
	}
	if (!b->joined++)
		b->join_first = b->line;
	bootlog_line(b, joined, joined + strlen(joined));
	free(joined);
	b->raw = np;   /* the joined text is gone; the line's end stays */
	b->rawe = ne;
	return true;
}

void bootlog_wrap_notes(struct bootlog *b)
{
	if (b->joined)
		kranges_note(b->k, "%u line%s of the boot log wrapped by a mail client or a terminal %s joined to the line before (the first at line %u)",
			     b->joined, b->joined == 1 ? "" : "s",
			     b->joined == 1 ? "was" : "were", b->join_first);
	if (b->unjoined)
		kranges_note(b->k, "%u line%s of the boot log look%s wrapped (a cut line followed by one without a log prefix, the first at line %u), but joining gives no single reading: read as %s",
			     b->unjoined, b->unjoined == 1 ? "" : "s",
			     b->unjoined == 1 ? "s" : "", b->unjoined_first,
			     b->unjoined == 1 ? "it is" : "they are");
}
