/* SPDX-License-Identifier: GPL-3.0-or-later */
/* krview: the machine's map, shared by the kernel and physical screens
 * and the page screens' annotations: the kranges model loaded once per
 * root, kpage for the heat strip and the frames screen, and the small
 * pieces those screens all need. */
#ifndef VMSCOPE_KRVIEW_H
#define VMSCOPE_KRVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmscope/err.h"
#include "vmscope/kranges.h"

struct krview {
	struct kranges k;
	bool loaded;            /* k holds a model (maybe an empty one) */
	bool full;              /* virtual ranges (kallsyms, modules) too */
	bool failed;            /* the last load failed: err says why */
	char err[256];
	unsigned gen;           /* bumps at every load: indices into k.r and
	                         * pointers into it are stale after that */
	double load_ms;
	struct kpage kp;        /* kpageflags/kpagecount, for the heat strip
	                         * and the frames screen */
	bool kp_open;
};

struct app;

/* The model, loaded on first use (once per root): phys_only unless virt
 * is asked for, read again in full the first time it is.  NULL with e set
 * when it cannot be read. */
const struct kranges *krview_get(struct app *a, bool virt,
				 struct vms_err *e);
/* Read the sources again (an explicit refresh); keeps the fullness. */
int krview_reload(struct app *a, struct vms_err *e);
/* kpage opened under the root; NULL with e saying why (not root...). */
struct kpage *krview_kpage(struct app *a, unsigned which, struct vms_err *e);
void krview_free(struct app *a);
/* "System RAM > Kernel code (/proc/iomem line 7)", escaped, for a
 * physical address; false (buf says why, or is empty) when no range. */
bool krview_annotate(struct app *a, uint64_t phys, bool with_source,
		     char *buf, size_t n);
/* A range's sources and a hidden entry as wrapped, escaped panel lines
 * (the kernel and physical screens); each returns the lines written. */
int krview_src_lines(const struct kranges *k, const struct krange *kr,
		     char lines[][256], int max, int w);
int krview_hidden_lines(const struct kranges *k,
			const struct krange_hidden *hd, char lines[][256],
			int max, int w);
/* Theme element for a range by its kind. */
int krview_kind_elem(const struct krange *r);
/* Theme element and glyph for a heat category. */
int krview_heat_elem(enum kheat_cat c);
const char *krview_heat_glyph(enum kheat_cat c);
/* The address axis under a heat strip whose rows start at column margin
 * (their first address in the margin): ticks of the offset into a row
 * every 16 columns, and what one cell holds, for frames spread over
 * ncells cells. */
void krview_draw_axis(struct app *a, int y, int w, int margin,
		      uint64_t frames, size_t ncells);
/* Options for kranges_rmap of [pfn_lo, pfn_hi) in range r (NULL:
 * unknown): pagemaps for RAM, PFNMAP mappings for device memory (and
 * wherever UIO or /dev/mem exist). */
void krview_rmap_opts(struct app *a, const struct krange *r,
		      uint64_t pfn_lo, uint64_t pfn_hi,
		      struct krmap_opts *o);
/* Hex digits for the physical addresses of the model: at least 8. */
int krview_phys_digits(const struct kranges *k);

#endif
