/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screens: the constructor of each screen, one per screen_*.c.  Only the
 * app opens screens; a screen asks the app (app_open_*) for another. */
#ifndef VMSCOPE_SCREENS_H
#define VMSCOPE_SCREENS_H

#include <stdbool.h>
#include <stdint.h>
#include "screen.h"

/* screen_procs.c: the process list. */
struct screen *screen_procs_new(struct app *a, struct vms_err *e);
/* Its sort from the settings c (sort, sort_reverse); and its sort as it
 * is now (the keys may have changed it) into c, for :set save. */
struct config;
void screen_procs_use_settings(struct screen *s, const struct config *c);
void screen_procs_sort_setting(struct screen *s, struct config *c);
/* screen_vmas.c: the open process's VMAs, addr's selected. */
struct screen *screen_vmas_new(struct app *a, uint64_t select_addr,
			       struct vms_err *e);
/* screen_pages.c: the pages of the open process at addr, as a table or
 * (map) a map. */
struct screen *screen_pages_new(struct app *a, uint64_t addr, bool map,
				struct vms_err *e);
/* screen_detail.c: everything about the page at addr. */
struct screen *screen_detail_new(struct app *a, uint64_t addr,
				 struct vms_err *e);
/* screen_help.c: the keys, commands and legends. */
struct screen *screen_help_new(struct app *a, struct vms_err *e);
/* screen_kernel.c: the kernel's virtual layout; with has_addr the range
 * holding addr is selected. */
struct screen *screen_kernel_new(struct app *a, bool has_addr, uint64_t addr,
				 struct vms_err *e);
/* screen_phys.c: the physical map and the heat strip of RAM; with
 * has_addr the range holding the physical address addr is selected. */
struct screen *screen_phys_new(struct app *a, bool has_addr, uint64_t addr,
			       struct vms_err *e);
/* screen_frames.c: the page frames of the physical range [start, end)
 * (label: its path, raw), the cursor on the frame of sel (if inside). */
struct screen *screen_frames_new(struct app *a, uint64_t start, uint64_t end,
				 const char *label, uint64_t sel,
				 struct vms_err *e);
/* screen_rmap.c: which processes map the frames [pfn_lo, pfn_hi)
 * (label: raw). */
struct screen *screen_rmap_new(struct app *a, uint64_t pfn_lo,
			       uint64_t pfn_hi, const char *label,
			       struct vms_err *e);
/* screen_decode.c: the page-table entries in text (a pasted kernel
 * message) decoded and placed on the root's map. */
struct screen *screen_decode_new(struct app *a, const char *text,
				 struct vms_err *e);
/* D on a gap page: the decode screen for the entry a correct uncached
 * mapping of phys holds (pte_build_device), or a message why there is
 * none.  True: the key was handled. */
bool screen_decode_expected(struct app *a, uint64_t vaddr, bool known,
			    uint64_t phys, bool writable);

#endif
