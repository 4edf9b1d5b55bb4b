/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keys: the actions a key can stand for, the contexts (screens) a key
 * binding applies in, the one key table that lookup and the help both
 * read, and the whole reference the help screen and --keys print. */
#ifndef VMSCOPE_KEYS_H
#define VMSCOPE_KEYS_H

#include <stdbool.h>
#include <stddef.h>

enum action {
	ACT_NONE, ACT_UP, ACT_DOWN, ACT_LEFT, ACT_RIGHT, ACT_PGUP, ACT_PGDN,
	ACT_HOME, ACT_END, ACT_OPEN, ACT_BACK, ACT_SEARCH, ACT_SEARCH_NEXT,
	ACT_SEARCH_PREV, ACT_HELP, ACT_QUIT, ACT_CMDLINE, ACT_PAUSE,
	ACT_DELAY, ACT_FORM, ACT_ZOOM_IN, ACT_ZOOM_OUT, ACT_ZOOM_FIT,
	ACT_SORT_NEXT, ACT_SORT_PREV, ACT_SORT_REV, ACT_FILTER, ACT_KTHREADS,
	ACT_REDRAW, ACT_NEXT_VMA, ACT_PREV_VMA,
	ACT_KERNEL, ACT_PHYS, ACT_RMAP, ACT_REREAD,
	ACT_SETUP, ACT_FILTER_LIVE, ACT_TREE, ACT_SORT_MENU, ACT_SORT_MEM,
	ACT_SORT_CPU, ACT_THREADS, ACT_ONLY_MINE, ACT_KILL, ACT_DECODE,
	ACT__COUNT
};

/* Key contexts: a screen says which it is in; a binding lists where it
 * applies.  Lookup takes the first binding of the table that matches. */
enum {
	CTX_PROCS = 1, CTX_VMAS = 2, CTX_TABLE = 4, CTX_MAP = 8,
	CTX_DETAIL = 16, CTX_HELP = 32, CTX_KERNEL = 64, CTX_PHYS = 128,
	CTX_FRAMES = 256, CTX_RMAP = 512,
	CTX_LISTS = CTX_PROCS | CTX_VMAS | CTX_TABLE | CTX_DETAIL | CTX_HELP |
		    CTX_KERNEL | CTX_PHYS | CTX_FRAMES | CTX_RMAP,
	CTX_ALL = 1023,
};

#define KEYS_MAX_PER_BINDING 4
struct key_binding {
	enum action act;
	unsigned ctx;
	int keys[KEYS_MAX_PER_BINDING];   /* 0 ends */
	const char *label;                /* "Up k" */
	const char *help;
};
extern const struct key_binding key_table[];   /* ends with ACT_NONE */
enum action keys_lookup(unsigned ctx, int ch);
const char *keys_ctx_name(unsigned ctx);
/* The name of key ch for a message ("x", "^A", "F7", "\\xc3",
 * "IC"): safe for the terminal, never a raw control character. */
void keys_name(int ch, char *buf, size_t n);
/* Every key, command and legend entry, as the help screen lists them. */
void keys_reference(void (*emit)(void *arg, bool header, const char *key,
				   const char *text),
		    void *arg);

#endif
