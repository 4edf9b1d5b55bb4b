/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app: the explorer's state and the screen stack: messages, opening a
 * process and its screens, the machine-wide screens, going back, and
 * what happens when the open process goes away.  The event loop is
 * loop.c's, the ":" commands commands.c's. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "app.h"
#include "screens.h"
#include "vmscope/escape.h"

double app_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

attr_t app_attr(struct app *a, int elem)
{
	if (elem < 0 || elem >= EL__COUNT)
		elem = EL_NORMAL;
	return a->theme.attr[elem];
}

void app_message(struct app *a, int elem, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->msg_elem = elem;
	a->msg_until = app_now() + (elem == EL_ERROR ? 8.0 : 5.0);
	a->need_draw = true;
}

struct screen *app_top(struct app *a)
{
	return a->depth ? a->stack[a->depth - 1] : NULL;
}

void app_push(struct app *a, struct screen *s)
{
	if (a->depth == APP_STACK_MAX) {
		s->ops->destroy(s);
		app_message(a, EL_ERROR, "too many screens open: go back first");
		return;
	}
	a->stack[a->depth++] = s;
	s->dirty = true;
	a->need_draw = true;
}

void app_pop(struct app *a)
{
	struct screen *s;

	if (!a->depth)
		return;
	s = a->stack[--a->depth];
	s->ops->destroy(s);
	if (a->depth) {
		a->stack[a->depth - 1]->dirty = true;
		a->stack[a->depth - 1]->stale = true;
	}
	a->need_draw = true;
}

/* Close the process screens and the process. */
static void close_process(struct app *a)
{
	int i, k = 0;

	for (i = 0; i < a->depth; i++) {
		if (a->stack[i]->is_process)
			a->stack[i]->ops->destroy(a->stack[i]);
		else
			a->stack[k++] = a->stack[i];
	}
	a->depth = k;
	if (a->pv_open) {
		procview_close(&a->pv);
		a->pv_open = false;
	}
	if (a->depth) {
		a->stack[a->depth - 1]->dirty = true;
		a->stack[a->depth - 1]->stale = true;
	}
	a->need_draw = true;
}

static void ensure_procs(struct app *a)
{
	struct vms_err e;
	struct screen *s;

	if (a->depth && !a->stack[0]->is_process &&
	    strcmp(a->stack[0]->ops->name, "processes") == 0)
		return;
	s = screen_procs_new(a, &e);
	if (!s) {
		app_message(a, EL_ERROR, "%s", e.msg);
		a->quit = a->depth == 0;
		return;
	}
	if (a->depth == APP_STACK_MAX)
		app_pop(a);
	memmove(a->stack + 1, a->stack, (size_t)a->depth * sizeof *a->stack);
	a->stack[0] = s;
	a->depth++;
}

void app_back(struct app *a)
{
	bool any_process = false;
	int i;

	if (a->depth <= 1) {
		app_message(a, EL_MESSAGE, "this is the first screen: q quits");
		return;
	}
	app_pop(a);
	for (i = 0; i < a->depth; i++)
		any_process |= a->stack[i]->is_process;
	if (!any_process && a->pv_open) {
		procview_close(&a->pv);
		a->pv_open = false;
	}
}

void app_process_gone(struct app *a, const struct vms_err *e)
{
	char comm[160] = "";
	int pid = a->pv.pid;

	if (a->pv_open && a->pv.comm[0]) {
		char esc[128];

		escape_text(esc, sizeof esc, a->pv.comm, strlen(a->pv.comm));
		snprintf(comm, sizeof comm, " (%s)", esc);
	}
	close_process(a);
	ensure_procs(a);
	if (e && e->code != VMS_ENOPROC)
		app_message(a, EL_ERROR, "process %d%s: %s", pid, comm, e->msg);
	else
		app_message(a, EL_ERROR,
			    "process %d%s has exited: back to the process list",
			    pid, comm);
}

int app_open_process(struct app *a, int pid, const char *comm,
		     struct vms_err *e)
{
	struct procview npv;
	struct screen *s;

	if (procview_open(&npv, a->root, pid, comm, e) < 0)
		return -1;
	close_process(a);
	ensure_procs(a);
	a->pv = npv;
	a->pv_open = true;
	s = screen_vmas_new(a, 0, e);
	if (!s) {
		procview_close(&a->pv);
		a->pv_open = false;
		return -1;
	}
	app_push(a, s);
	return 0;
}

int app_open_pages(struct app *a, uint64_t addr, bool map)
{
	struct vms_err e;
	struct screen *s;

	if (!a->pv_open) {
		app_message(a, EL_ERROR, "no process open: pick one first");
		return -1;
	}
	s = screen_pages_new(a, addr, map, &e);
	if (!s) {
		app_message(a, EL_ERROR, "%s", e.msg);
		return -1;
	}
	app_push(a, s);
	return 0;
}

int app_open_detail(struct app *a, uint64_t addr)
{
	struct vms_err e;
	struct screen *s;

	if (!a->pv_open)
		return -1;
	s = screen_detail_new(a, addr, &e);
	if (!s) {
		app_message(a, EL_ERROR, "%s", e.msg);
		return -1;
	}
	app_push(a, s);
	return 0;
}

void app_open_help(struct app *a)
{
	struct vms_err e;
	struct screen *s;

	if (app_top_named(a, "help"))
		return;
	s = screen_help_new(a, &e);
	if (!s) {
		app_message(a, EL_ERROR, "%s", e.msg);
		return;
	}
	app_push(a, s);
}

bool app_snapshot_refuses(struct app *a, const char *what)
{
	if (a->root->live)
		return false;
	app_message(a, EL_WARN,
		    "%s: not on a snapshot (it does not change)", what);
	return true;
}

struct screen *app_top_named(struct app *a, const char *name)
{
	struct screen *s = app_top(a);

	return s && strcmp(s->ops->name, name) == 0 ? s : NULL;
}

/* The machine-wide screens: if one is on top already, move it to addr;
 * otherwise open a new one there. */
static void open_machine_screen(struct app *a, const char *name,
				struct screen *(*make)(struct app *, bool,
						       uint64_t,
						       struct vms_err *),
				bool has_addr, uint64_t addr)
{
	struct vms_err e;
	struct screen *s = app_top_named(a, name);

	if (s) {
		if (has_addr && s->ops->goto_addr)
			s->ops->goto_addr(s, a, addr);
		s->dirty = true;
		a->need_draw = true;
		return;
	}
	if (!(s = make(a, has_addr, addr, &e))) {
		app_message(a, EL_ERROR, "%s", e.msg);
		return;
	}
	app_push(a, s);
}

void app_open_kernel(struct app *a, bool has_addr, uint64_t addr)
{
	open_machine_screen(a, "kernel", screen_kernel_new, has_addr, addr);
}

void app_open_phys(struct app *a, bool has_addr, uint64_t addr)
{
	open_machine_screen(a, "physical", screen_phys_new, has_addr, addr);
}

int app_open_frames(struct app *a, uint64_t start, uint64_t end,
		    const char *label, uint64_t sel)
{
	struct vms_err e;
	struct screen *s = screen_frames_new(a, start, end, label, sel, &e);

	if (!s) {
		app_message(a, EL_ERROR, "%s", e.msg);
		return -1;
	}
	app_push(a, s);
	return 0;
}

int app_open_rmap(struct app *a, uint64_t pfn_lo, uint64_t pfn_hi,
		  const char *label)
{
	struct vms_err e;
	struct screen *s = screen_rmap_new(a, pfn_lo, pfn_hi, label, &e);

	if (!s) {
		app_message(a, EL_ERROR, "%s", e.msg);
		return -1;
	}
	app_push(a, s);
	return 0;
}

int app_open_process_at(struct app *a, int pid, const char *comm,
			uint64_t vaddr)
{
	struct vms_err e;
	struct screen *s;

	if (app_open_process(a, pid, comm, &e) < 0) {
		app_message(a, EL_ERROR, "%s", e.msg);
		return -1;
	}
	/* the VMA selected, its pages, the page */
	s = app_top(a);
	if (s && s->ops->goto_addr)
		s->ops->goto_addr(s, a, vaddr);
	if (app_open_pages(a, vaddr, false) < 0)
		return -1;
	s = app_top(a);
	if (s && s->ops->goto_addr)
		s->ops->goto_addr(s, a, vaddr);
	return app_open_detail(a, vaddr);
}

/* The VMAs screen at addr: the process screens above it closed, or a
 * new one when there is none. */
void app_open_vmas_at(struct app *a, uint64_t addr)
{
	struct screen *s;

	while (a->depth && app_top(a)->is_process &&
	       strcmp(app_top(a)->ops->name, "VMAs") != 0)
		app_pop(a);
	s = app_top_named(a, "VMAs");
	if (!s) {
		struct vms_err e;

		if ((s = screen_vmas_new(a, addr, &e)))
			app_push(a, s);
	} else if (s->ops->goto_addr) {
		s->ops->goto_addr(s, a, addr);
	}
}

void app_handle_error(struct app *a, struct screen *s,
		      const struct vms_err *e)
{
	if (s && s->is_process) {
		/* is the process still there? */
		struct vms_err e2;

		if (e->code == VMS_ENOPROC || !a->pv_open ||
		    (procview_refresh(&a->pv, false, &e2) < 0 &&
		     e2.code == VMS_ENOPROC)) {
			app_process_gone(a, e);
			return;
		}
	}
	app_message(a, EL_ERROR, "%s", e->msg);
}

void app_close_all(struct app *a)
{
	while (a->depth)
		app_pop(a);
	if (a->pv_open)
		procview_close(&a->pv);
	a->pv_open = false;
}
