/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procs_habits: htop's habits on the process list: t/F5 a tree, H
 * threads, K kernel threads, u only mine, M and P, F6 a sort menu, a
 * click on a title to sort, Esc clearing a filter; each says what it
 * did, both ways. */
#include <stdlib.h>
#include <string.h>
#include "procs_screen.h"

/* Whether row r is the reader's own process (false when not known). */
bool procs_row_mine(struct procs_screen *p, const struct proc_row *r)
{
	uid_t me;

	return procs_self_uid(p->reader, &me) && r->uid == me;
}

/* The view in tree order (siblings in the sort order it has). */
void procs_tree_order(struct procs_screen *p)
{
	size_t n = p->lv.nview, i;
	int *id = calloc(2 * n + 1, sizeof *id);
	uint32_t *item = malloc((n ? n : 1) * sizeof *item);

	if (p->trow_cap < n) {
		struct proctree_row *t = realloc(p->trow, n * sizeof *t);

		if (t) {
			p->trow = t;
			p->trow_cap = n;
		}
	}
	if (id && item && p->trow_cap >= n) {
		for (i = 0; i < n; i++) {
			id[i] = p->list.rows[p->lv.view[i]].pid;
			id[n + i] = p->list.rows[p->lv.view[i]].ppid;
		}
		if (proctree_build(id, id + n, n, p->trow) == 0) {
			for (i = 0; i < n; i++)
				item[i] = p->lv.view[p->trow[i].item];
			memcpy(p->lv.view, item, n * sizeof *item);
		} else {
			p->tree = false;
		}
	} else {
		p->tree = false;
	}
	free(id);
	free(item);
}


/* Sort by col; the column it sorts by already: the other way, when
 * again (a second click on a title, as in htop). */
static void sort_by(struct procs_screen *p, struct app *a, int col,
		    bool again)
{
	if (col == (int)p->sort && again) {
		p->reverse = !p->reverse;
	} else if (col != (int)p->sort) {
		p->sort = (enum sort_col)col;
		p->reverse = false;
	}
	procs_rebuild_view(p);
	app_message(a, EL_MESSAGE, "sorted by %s%s", procs_sort_names[col],
		    p->reverse ? ", reversed" : "");
}

static void toggle_threads(struct procs_screen *p, struct app *a)
{
	p->show_threads = !p->show_threads;
	procs_set_threads(p->reader, p->show_threads);
	/* read again now, without marking every thread as new */
	p->base.stale = true;
	app_message(a, EL_MESSAGE, p->show_threads
		    ? "threads shown, under their process in the tree (H hides them)"
		    : "threads hidden (H shows them)");
}

static void toggle_mine(struct procs_screen *p, struct app *a)
{
	uid_t me;

	if (!p->only_mine && !procs_self_uid(p->reader, &me)) {
		app_message(a, EL_WARN,
			    "only mine: whose a process is, is known on this machine's live system only");
		return;
	}
	p->only_mine = !p->only_mine;
	procs_rebuild_view(p);
	app_message(a, EL_MESSAGE, p->only_mine
		    ? "only my processes (u: everyone's)"
		    : "everyone's processes; dim ones are not yours to open (u: only mine)");
}

static bool menu_action(struct procs_screen *p, struct app *a,
			enum action act)
{
	int r = chooser_action(&p->sortmenu, act);

	if (r >= 0)
		sort_by(p, a, r, false);
	return true;
}

bool procs_habit_action(struct procs_screen *p, struct app *a,
			enum action act)
{
	if (p->sortmenu.open)
		return menu_action(p, a, act);
	switch (act) {
	case ACT_TREE:
		p->tree = !p->tree;
		procs_rebuild_view(p);
		app_message(a, EL_MESSAGE, p->tree
			    ? "tree: each process under its parent (t: a flat list)"
			    : "flat list (t: the tree)");
		return true;
	case ACT_SORT_MEM:
		p->sort = SORT_RSS;
		p->reverse = false;
		procs_rebuild_view(p);
		app_message(a, EL_MESSAGE, "sorted by memory (RSS), largest first");
		return true;
	case ACT_SORT_CPU:
		app_message(a, EL_WARN,
			    "no CPU column: vmscope shows memory (M: by memory, F6: choose a column)");
		return true;
	case ACT_SORT_MENU:
		chooser_open(&p->sortmenu, "Sort by", procs_sort_names, SORT__N,
			     (int)p->sort);
		return true;
	case ACT_KTHREADS:
		p->show_kthreads = !p->show_kthreads;
		procs_rebuild_view(p);
		app_message(a, EL_MESSAGE, p->show_kthreads
			    ? "kernel threads shown (K hides them)"
			    : "kernel threads hidden (K shows them)");
		return true;
	case ACT_THREADS:
		toggle_threads(p, a);
		return true;
	case ACT_ONLY_MINE:
		toggle_mine(p, a);
		return true;
	case ACT_BACK:
		if (!p->lv.filter[0])
			return false;
		listview_set_filter(&p->lv, "");
		procs_rebuild_view(p);
		app_message(a, EL_MESSAGE, "filter cleared");
		return true;
	default:
		return false;
	}
}

bool procs_click(struct screen *s, struct app *a, int y, int x)
{
	struct procs_screen *p = PS(s);
	int i, k;

	if (p->sortmenu.open) {
		k = chooser_click(&p->sortmenu, y, x);
		if (k >= 0)
			sort_by(p, a, k, false);
		return true;
	}
	if (y == p->header_y) {
		i = listview_column_at(p->cols, p->ncols, x);
		for (k = 0; i >= 0 && k < SORT__N; k++)
			if (strcmp(p->cols[i].title, procs_sort_names[k]) == 0) {
				sort_by(p, a, k, true);
				return true;
			}
		return false;
	}
	if (!listview_click(&p->lv, y))
		return false;
	procs_set_sel(p);
	return true;
}
