/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_phys.h: the physical screen's state, shared by screen_phys.c
 * (the list of ranges, the panel, keys) and phys_strip.c (the heat strip
 * of all RAM above it). */
#ifndef VMSCOPE_UI_SCREEN_PHYS_H
#define VMSCOPE_UI_SCREEN_PHYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmscope/kranges.h"
#include "vmscope/ramclass.h"
#include "app.h"
#include "krlist.h"

#define FINE_MAX 2048
#define SLICE_MS 30.0
#define GROUP_PFNS (UINT64_C(1) << 18)
#define AXIS_W 6        /* the strip's margin: a row's first address */

enum heat_state { HEAT_NONE, HEAT_RUNNING, HEAT_DONE, HEAT_FAILED };

struct phys_screen {
	struct screen base;
	struct krlist l;
	size_t nranges;
	uint64_t addr;          /* the :phys address: frames open there */
	bool have_addr;
	/* heat strip */
	enum heat_state heat;
	char heat_err[512];
	struct kheat_cell *fine;
	size_t nfine, done;
	uint64_t pfn0, cpfn;    /* first PFN, PFNs per fine cell */
	uint64_t ram_lo, ram_hi;/* the RAM extent (bytes) it was read for */
	double heat_ms;
	char heat_when[16];
	uint64_t total[KHEAT__COUNT];
	struct ramclass rc;     /* the walk (free blocks, deferred tails) */
};

#define PS(s) ((struct phys_screen *)(s))

/* The heat strip (phys_strip.c): start reading it, read the next slice
 * of about SLICE_MS, draw it in rows at y (the selected range marked),
 * and the totals line "free 21G, anon 310M, ...". */
void phys_strip_start(struct phys_screen *d, struct app *a,
		      const struct kranges *k);
void phys_strip_slice(struct phys_screen *d, struct app *a,
		      const struct kranges *k);
void phys_strip_draw(struct phys_screen *d, struct app *a, int y, int rows,
		     int w, const struct krange *sel);
void phys_strip_totals(struct phys_screen *d, struct app *a, char *buf,
		       size_t n);

#endif
