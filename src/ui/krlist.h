/* SPDX-License-Identifier: GPL-3.0-or-later */
/* krlist: the list the kernel and physical screens share: rows of the
 * machine's map (section titles, ranges nested by depth, what the kernel
 * hid, notes), rebuilt when the model is read again, the range holding an
 * address selected, drawn in the same columns (START, SIZE, KIND, NAME),
 * searched by name, kind or address. */
#ifndef VMSCOPE_KRLIST_H
#define VMSCOPE_KRLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "listview.h"
#include "vmscope/kranges.h"

struct app;

enum krrow_type {
	KRROW_SECTION, KRROW_RANGE, KRROW_HIDDEN, KRROW_EMPTY,
	/* the kernel screen's own */
	KRROW_MEM, KRROW_CMDLINE, KRROW_SOURCE, KRROW_NOTE,
};

struct krrow {
	uint8_t type;
	size_t idx;             /* into k->r, k->hidden, sources, notes */
	const char *text;       /* KRROW_SECTION, KRROW_EMPTY: static text */
};

struct krlist_ops {
	/* Add the rows for model k (krlist_add). */
	void (*build)(void *screen, const struct kranges *k);
	/* Select the range holding addr, or say there is none. */
	void (*select_addr)(void *screen, const struct kranges *k,
			    uint64_t addr);
	/* Draw a row of a screen's own type (NULL: none); the matching
	 * search. */
	void (*draw_other)(void *screen, const struct krrow *r, bool sel,
			   int y, int w);
	bool (*matches_other)(void *screen, const struct krrow *r,
			      const char *text);
};

struct krlist {
	struct listview lv;
	struct app *app;
	bool phys;              /* physical: ends inclusive (START-LAST),
	                         * sources after the names */
	const struct krlist_ops *ops;
	void *screen;
	struct krrow *rows;
	size_t n, cap;
	unsigned gen;           /* krview gen the rows were built for */
	bool built;
	int digits;             /* of the addresses */
	bool both;              /* both ends shown (wide enough) */
	bool want_addr;         /* select the range of addr once built */
	uint64_t addr;
	char err[512];          /* the model could not be read */
};

void krlist_init(struct krlist *l, struct app *a, bool phys,
		 const struct krlist_ops *ops, void *screen, bool has_addr,
		 uint64_t addr);
void krlist_free(struct krlist *l);
void krlist_add(struct krlist *l, int type, size_t idx, const char *text);
/* The model (NULL with l->err set when it cannot be read), the rows
 * built again when it was read again since (*rebuilt set), the range
 * of a pending address selected. */
const struct kranges *krlist_update(struct krlist *l, bool *rebuilt);
/* The model the rows were built for; NULL before. */
const struct kranges *krlist_model(const struct krlist *l);
/* The selected row, NULL when none; the selected range, NULL when the
 * selection is no range. */
const struct krrow *krlist_sel(const struct krlist *l);
const struct krange *krlist_sel_range(const struct krlist *l);
/* Select the row of range r with the row above it in view; false when
 * r has no row. */
bool krlist_select_range(struct krlist *l, const struct kranges *k,
			 const struct krange *r);
/* The range holding addr in the list's space, NULL when none. */
const struct krange *krlist_lookup(const struct krlist *l,
				   const struct kranges *k, uint64_t addr);
/* Search: an address selects its range, else names and kinds. */
bool krlist_search(struct krlist *l, const char *text, int dir,
		   bool from_here);
/* :goto: select the range of addr now or once built. */
void krlist_goto(struct krlist *l, uint64_t addr);
/* R: read the model again (live only; what: for the message).  False
 * when it was not (refused or failed: a message says why). */
bool krlist_reread(struct krlist *l, const char *what);

/* Drawing: the error or "reading" text over the body; the header and
 * rows; panel lines (the first as information, the rest dim); the info
 * line of a hidden entry. */
void krlist_draw_error(struct krlist *l, int y, int h, int w,
		       const char *reading);
void krlist_draw(struct krlist *l, int y, int w);
void krlist_draw_lines(struct app *a, char lines[][256], int n, int y,
		       int w);
void krlist_hidden_info(const struct kranges *k, const struct krrow *r,
			char *buf, size_t n, int *elem);
/* The range and hidden rows' panel text (wrapped, escaped): the
 * hidden entry, or a range's sources after first (its description). */
int krlist_describe(const struct kranges *k, const struct krrow *r,
		    const char *first, char lines[][256], int max, int w);

#endif
