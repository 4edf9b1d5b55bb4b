/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procs_screen: the process list's state, shared by screen_procs.c (the
 * list, its columns and refresh) and procs_habits.c (htop's keys: tree,
 * threads, only mine, sorting by key, menu and click). */
#ifndef VMSCOPE_PROCS_SCREEN_H
#define VMSCOPE_PROCS_SCREEN_H

#include <stdbool.h>
#include "app.h"
#include "chooser.h"
#include "listview.h"
#include "screen.h"
#include "vmscope/procs.h"
#include "vmscope/proctree.h"

enum sort_col { SORT_PID, SORT_USER, SORT_RSS, SORT_VSZ, SORT_CMD, SORT__N };
extern const char *const procs_sort_names[SORT__N];

struct prev_rss {
	int pid;
	uint64_t rss;
};

struct procs_screen {
	struct screen base;
	struct procs *reader;
	struct proc_list list;
	bool loaded;
	/* rows: lv.view[] indices into list.rows, filtered + sorted */
	struct listview lv;
	struct app *app;
	bool *changed;         /* per list row: new or RSS changed */
	size_t changed_cap;
	struct prev_rss *prev; /* by pid, from the last read */
	size_t nprev, prev_cap;
	bool any_changed;
	enum sort_col sort;
	bool reverse;
	bool show_kthreads;
	int sel_pid;
	unsigned kthreads_hidden;
	bool tree;             /* t F5: each process under its parent */
	bool show_threads;     /* H */
	bool only_mine;        /* u: the reader's own processes only */
	struct proctree_row *trow; /* tree mode: per row, its lines */
	size_t trow_cap;
	unsigned unreadable;   /* rows not the reader's to open (dim) */
	struct chooser sortmenu;   /* F6 */
	struct lv_column cols[SORT__N]; /* as drawn last, for clicks */
	int ncols, header_y;
};

#define PS(s) ((struct procs_screen *)(s))

/* screen_procs.c: the view again (filter, sort, tree), the selection
 * kept on its process; the selected process remembered. */
void procs_rebuild_view(struct procs_screen *p);
void procs_set_sel(struct procs_screen *p);

/* procs_habits.c */
/* Whether r is the reader's own process (false when not known). */
bool procs_row_mine(struct procs_screen *p, const struct proc_row *r);
/* The view in tree order (siblings in the order it has). */
void procs_tree_order(struct procs_screen *p);
/* htop's keys on the list (tree, threads, kernel threads, only mine, M,
 * P, F6, Esc clearing a filter): false when act is none of them. */
bool procs_habit_action(struct procs_screen *p, struct app *a,
			enum action act);
/* A click: the sort menu, a column title, a row. */
bool procs_click(struct screen *s, struct app *a, int y, int x);

#endif
