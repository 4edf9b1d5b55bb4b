/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app: the explorer's state (the screen stack, the open process, the
 * machine's map, messages, search, refresh timing) and what screens and
 * commands ask of it: messages, opening and closing screens. */
#ifndef VMSCOPE_APP_H
#define VMSCOPE_APP_H

#include <stdbool.h>
#include <stdint.h>
#include "ui.h"
#include "theme.h"
#include "screen.h"
#include "procview.h"
#include "krview.h"
#include "vmscope/config.h"

#define APP_STACK_MAX 8

struct cmdline;

struct app {
	const struct vms_root *root;
	struct ui_opts opts;
	struct theme theme;
	bool utf8;
	double delay;
	bool paused;
	bool quit;
	struct screen *stack[APP_STACK_MAX];
	int depth;
	struct procview pv;
	bool pv_open;
	char msg[512];
	int msg_elem;
	double msg_until;
	bool need_draw;
	double next_tick;
	/* incremental search */
	bool searching;
	char search[128];
	char last_search[128];
	/* the filter prompt (\ F4, search.c): the text as typed */
	bool filtering;
	char filter[128];
	struct cmdline *cl;
	/* what the hidden-PFN notice says */
	bool pfn_hidden;
	/* the pages form the person chose last (map or table) */
	bool prefer_map;
	/* the machine's map (krview.c) */
	struct krview kv;
	/* the settings: file, options, :set (settings.c) */
	struct config cfg;
	bool theme_given;   /* by --theme: a theme that fails is fatal */
	bool utf8_locale;   /* the locale is UTF-8 (ascii may still say no) */
	/* refresh statistics for the bench */
	unsigned long ticks, draws;
	/* over --remote, the connection is lost: what the status line says
	 * until r reconnects (remote_ui.c) */
	bool remote_lost;
	char lost_msg[512];
};

double app_now(void);
attr_t app_attr(struct app *a, int elem);
/* A message on the info line for a few seconds (elem EL_MESSAGE or
 * EL_ERROR). */
void app_message(struct app *a, int elem, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The screen on top (NULL: none), and that screen only when it is the
 * one named. */
struct screen *app_top(struct app *a);
struct screen *app_top_named(struct app *a, const char *name);
/* Put s on top (destroyed with a message when the stack is full). */
void app_push(struct app *a, struct screen *s);
/* Close the screen on top; the one below is drawn and read again. */
void app_pop(struct app *a);
/* Close every screen and the process (the end of ui_run). */
void app_close_all(struct app *a);

/* Open a process (replaces any open one): VMAs screen above the list. */
int app_open_process(struct app *a, int pid, const char *comm,
		     struct vms_err *e);
/* Push screens for the open process. */
int app_open_pages(struct app *a, uint64_t addr, bool map);
int app_open_detail(struct app *a, uint64_t addr);
/* The VMAs screen with addr selected (reused when it is the top process
 * screen but for pages above it, which are closed). */
void app_open_vmas_at(struct app *a, uint64_t addr);
void app_open_help(struct app *a);
/* The kernel and physical screens (reused when on top already). */
void app_open_kernel(struct app *a, bool has_addr, uint64_t addr);
void app_open_phys(struct app *a, bool has_addr, uint64_t addr);
int app_open_frames(struct app *a, uint64_t start, uint64_t end,
		    const char *label, uint64_t sel);
int app_open_rmap(struct app *a, uint64_t pfn_lo, uint64_t pfn_hi,
		  const char *label);
/* Open process pid at the page of vaddr (its detail). */
int app_open_process_at(struct app *a, int pid, const char *comm,
			uint64_t vaddr);
/* A live-only action on a snapshot: says so; true when it was one. */
bool app_snapshot_refuses(struct app *a, const char *what);
void app_back(struct app *a);
/* The process vanished or failed: message, back to the list. */
void app_process_gone(struct app *a, const struct vms_err *e);
/* An error from screen s: when the open process is gone, back to the
 * list; otherwise the message. */
void app_handle_error(struct app *a, struct screen *s,
		      const struct vms_err *e);

#endif
