/* SPDX-License-Identifier: GPL-3.0-or-later */
/* search: the filter prompt of the list screens (\ or F4, as htop's):
 * each key typed filters the list again, so it shows only the rows that
 * match; Enter keeps the filter, Esc clears it. */
#ifndef VMSCOPE_SEARCH_H
#define VMSCOPE_SEARCH_H

#include <stddef.h>

struct app;

/* Open the prompt on the top screen (says so when it has no filter). */
void search_filter_open(struct app *a);
/* A key while the prompt is open. */
void search_filter_key(struct app *a, int ch);
/* The prompt line as it is drawn: "Filter: TEXT" and what keys do. */
void search_filter_prompt(const struct app *a, char *buf, size_t n);

#endif
