/* SPDX-License-Identifier: GPL-3.0-or-later */
/* search: incremental search (/ F3: each key typed moves the selection
 * to the next match; n, N go on and back) and the filter prompt of the
 * list screens (\ or F4, as htop's): each key typed filters the list
 * again, so it shows only the rows that match; Enter keeps the filter,
 * Esc clears it. */
#ifndef VMSCOPE_SEARCH_H
#define VMSCOPE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

struct app;

/* Select the next match of text on the top screen in direction dir
 * (+1/-1), from the selection itself when from_here; "not found" said. */
void search_run(struct app *a, const char *text, int dir, bool from_here);
/* A key while the search prompt is open (a->searching). */
void search_key(struct app *a, int ch);
/* Open the prompt on the top screen (says so when it has no filter). */
void search_filter_open(struct app *a);
/* A key while the prompt is open. */
void search_filter_key(struct app *a, int ch);
/* The prompt line as it is drawn: "Filter: TEXT" and what keys do. */
void search_filter_prompt(const struct app *a, char *buf, size_t n);

#endif
