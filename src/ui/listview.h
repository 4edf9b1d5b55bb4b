/* SPDX-License-Identifier: GPL-3.0-or-later */
/* listview: the list every list screen is: a selection and a scroll
 * position over n rows, moved by the list keys (Up/Down, PgUp/PgDn,
 * Home/End), incremental search (/, n, N) by a screen's match function,
 * rows that cannot be selected (section titles), a filtered view of a
 * screen's items, and columns described as data (title, width,
 * alignment, a cell formatter) drawn as a header and rows. */
#ifndef VMSCOPE_LISTVIEW_H
#define VMSCOPE_LISTVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "uicurses.h"
#include "keys.h"

/* A cell being drawn: which, and what its column's cell function fills
 * in: the text, and the attribute and the side kept when too wide, both
 * the column's (or row's) unless it changes them. */
struct lv_cell {
	int64_t row;
	bool sel;
	attr_t at;
	bool tail;
	char *buf;
	size_t n;
};

/* One column.  It takes width + 1 terminal columns: the text's width
 * and one blank, before the text (lead) or after it.  The last column
 * may have width 0: the rest of the line. */
struct lv_column {
	const char *title;
	const char *mark;       /* drawn right after the title (a sort
	                         * arrow), or NULL */
	int width;
	bool right;             /* right-aligned (numbers) */
	bool lead;              /* the blank comes before the text */
	bool tail;              /* too wide: keep the end (paths) */
	bool emph;              /* the title in bold (the sort column) */
	bool pad;               /* a cell of its own attribute fills its
	                         * width in it */
	/* The text of a cell (already safe for the terminal: escaped). */
	void (*cell)(void *ctx, struct lv_cell *c);
	/* Or a cell of several parts, drawn at y, x in w columns. */
	void (*draw)(void *ctx, const struct lv_cell *c, int y, int x, int w);
};

struct listview {
	int64_t sel, top;       /* selected row, first row shown */
	int64_t n;              /* rows */
	int h;                  /* rows shown */
	void *ctx;              /* the screen, for the callbacks */
	/* Whether row may be selected (NULL: every row). */
	bool (*selectable)(void *ctx, int64_t row);
	/* Whether row matches the search or filter text. */
	bool (*matches)(void *ctx, int64_t row, const char *text);
	/* The attribute of a row drawn by columns (sel: it is selected). */
	attr_t (*row_attr)(void *ctx, int64_t row, bool sel);
	/* Draw a row some other way (section titles...); false: by the
	 * columns. */
	bool (*draw_row)(void *ctx, int64_t row, bool sel, int y, int w);
	int y0;                 /* the screen row of the first row drawn */
	/* the filtered view: the screen's items that are rows, each an
	 * item's index in 4 bytes (a list of 100,000 VMAs and their holes
	 * is 200,000 items): at most LISTVIEW_MAX_ITEMS items */
	char filter[128];
	uint32_t *view;
	size_t nview, view_cap;
};

/* An empty list for a screen (ctx: the callbacks' context). */
void listview_init(struct listview *lv, void *ctx);
/* The number of rows and rows shown; both keep the selection in view.
 * listview_set_height returns whether the height changed. */
void listview_set_rows(struct listview *lv, int64_t n);
bool listview_set_height(struct listview *lv, int h);
/* Select row (kept in [0, n)) and scroll it into view. */
void listview_select(struct listview *lv, int64_t row);
/* Select row with the row before it in view too (a :goto target). */
void listview_select_near_top(struct listview *lv, int64_t row);
/* Keep the selection in range, on a selectable row, and in view. */
void listview_clamp(struct listview *lv);
/* A list key (Up, Down, PgUp, PgDn, Home, End): true when it was one.
 * PgUp and PgDn move the view by a page with the selection.
 * The selection skips rows that cannot be selected; a section title
 * right above the selection stays in view. */
bool listview_move(struct listview *lv, enum action act);
/* The next row matching text in direction dir (+1/-1), from the
 * selection itself when from_here, round the end: selected, true. */
bool listview_search(struct listview *lv, const char *text, int dir,
		     bool from_here);

/* The most items a view numbers: 2^32 (no list comes near: a process
 * has at most vm.max_map_count VMAs, an int, so VMAs and holes are
 * below 2^32, and pid_max is at most 2^22). */
#define LISTVIEW_MAX_ITEMS (UINT64_C(1) << 32)

/* The filtered view: keep(ctx, i) says whether item i of nitems is a
 * row; rows are then the kept items in order (view[row] = item).
 * Returns false when out of memory or nitems is over LISTVIEW_MAX_ITEMS
 * (no rows; keep not called then). */
bool listview_build_view(struct listview *lv, size_t nitems,
			 bool (*keep)(void *ctx, size_t item));
/* The filter text ("" clears); the screen rebuilds its view after. */
void listview_set_filter(struct listview *lv, const char *text);
/* ", filter \"TEXT\"" (escaped) for a title, or "" without a filter. */
void listview_filter_title(const struct listview *lv, char *buf, size_t n);
void listview_free(struct listview *lv);

/* The header line of the columns at row y, in attribute at. */
void listview_draw_header(const struct lv_column *c, int nc, int y, int w,
			  attr_t at);
/* The rows shown, from row y on, each by draw_row or the columns. */
void listview_draw_rows(struct listview *lv, const struct lv_column *c,
			int nc, int y, int w);
/* The x where column i starts. */
int listview_column_x(const struct lv_column *c, int i);
/* The column of nc holding screen column x, or -1. */
int listview_column_at(const struct lv_column *c, int nc, int x);
/* A click at screen row y: the row drawn there selected (true), or
 * false when no row is there (or it cannot be selected). */
bool listview_click(struct listview *lv, int y);

#endif
