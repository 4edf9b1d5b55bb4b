/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_screen.h: the VMA screen's state, shared by screen_vmas.c (the
 * view, refresh, keys) and vmas_columns.c (its columns and cells). */
#ifndef VMSCOPE_UI_VMAS_SCREEN_H
#define VMSCOPE_UI_VMAS_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "app.h"
#include "listview.h"
#include "still.h"
#include "vmainfo.h"

/* A row as last read: its start, and a digest of what the view marks
 * when it changes (end, RSS, perms), 16 bytes a row (a change goes
 * unmarked only when two digests collide, once in 2^64). */
struct prev_vma {
	uint64_t start, digest;
};

struct vmas_screen {
	struct screen base;
	struct listview lv;    /* lv.view[]: rows of procview_row */
	struct app *app;
	uint64_t *changed;     /* a bit per view row (bitset.h) */
	size_t cap;            /* rows changed has room for */
	bool mark, differs;    /* while building the view */
	int digits;            /* of the addresses, as last drawn */
	bool both, narrow;     /* START-END; no RSS and KIND columns */
	struct prev_vma *prev;
	size_t nprev, prev_cap;
	bool any_changed;
	unsigned gen;          /* pv.gen the view was built for */
	uint64_t sel_addr;
	struct vmainfo info;    /* about the selected VMA */
	struct still still;    /* refreshes skipped while it holds still */
};

#define VS(s) ((struct vmas_screen *)(s))

/* The VMA (or hole) of view row row, filled into *hole for a hole. */
const struct vma *vmas_row_vma(struct vmas_screen *p, int64_t row,
			       struct vma *hole);
/* The RSS of a VMA in bytes (0 for a hole). */
uint64_t vmas_rss(const struct vma *v);
/* A row's colour: by kind, gaps and holes their own (listview's row_attr). */
attr_t vmas_row_attr(void *ctx, int64_t row, bool sel);
/* The columns for width w into c (START-END where it fits, RSS and KIND
 * but where narrow, VMFLAGS where wide): how many. */
int vmas_columns(struct vmas_screen *p, struct app *a, int w,
		 struct lv_column *c);

#endif
