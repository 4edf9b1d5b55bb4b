/* SPDX-License-Identifier: GPL-3.0-or-later */
/* theme: the elements the screens colour, and themes loaded from small
 * text files (themes/) onto curses attributes. */
#ifndef VMSCOPE_THEME_H
#define VMSCOPE_THEME_H

#include <stdbool.h>
#include "uicurses.h"
#include "vmscope/datadir.h"
#include "vmscope/err.h"

enum elem {
	EL_NORMAL, EL_TITLE, EL_HEADER, EL_SELECTED, EL_STATUS, EL_INFO,
	EL_MESSAGE, EL_ERROR, EL_CHANGED, EL_DIM, EL_KEY, EL_CMDLINE,
	EL_BORDER, EL_WARN,
	/* VMA rows by what they are */
	EL_VMA_ANON, EL_VMA_FILE, EL_VMA_STACK, EL_VMA_SPECIAL, EL_VMA_GUARD,
	EL_VMA_GAP, EL_VMA_HOLE,
	/* page cells and rows by state (order of enum page_state) */
	EL_PAGE_NOT_PRESENT, EL_PAGE_ANON, EL_PAGE_FILE, EL_PAGE_THP,
	EL_PAGE_HUGETLB, EL_PAGE_ZERO, EL_PAGE_KSM, EL_PAGE_SWAPPED,
	EL_PAGE_PRESENT, EL_PAGE_GAP, EL_PAGE_HOLE,
	EL__COUNT
};

struct theme {
	char name[64];
	bool color;              /* uses colour pairs */
	attr_t attr[EL__COUNT];  /* full attribute incl. COLOR_PAIR */
};

/* Load theme name (or a path containing '/') into t.  Searches
 * $XDG_CONFIG_HOME/vmscope/themes, the source tree's themes/ next to the
 * binary, VMSCOPE_DATADIR/themes, then the built-in default and mono.
 * Needs curses started (colour pairs).  When the terminal has no colours
 * any theme loads as mono. */
int theme_load(struct theme *t, const char *name, struct vms_err *e);
/* Parse theme text onto t (pure but for init_pair). */
int theme_parse(struct theme *t, const char *text, struct vms_err *e);
/* Names of the themes found (malloc'd array of malloc'd strings, NULL
 * terminated). */
char **theme_list(void);
void theme_list_free(char **l);
/* The same names as one malloc'd string, "default, light, mono". */
char *theme_names_text(void);
/* The directories themes are looked for in, first first:
 * $VMSCOPE_THEME_DIR, $XDG_CONFIG_HOME/vmscope/themes (or
 * ~/.config/...), then vmscope's data (datadir_paths).  Returns how many
 * were written (at most max). */
#define THEME_DIRS_MAX (2 + DATADIR_MAX_PATHS)
int theme_dirs(char dirs[][PATH_MAX], int max);
const char *theme_elem_name(enum elem el);
/* Whether the terminal and environment allow colour (NO_COLOR unset). */
bool theme_color_allowed(void);

#endif
