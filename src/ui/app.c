/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app: ui_run, the screen stack, the event loop (keys, a refresh timer,
 * KEY_RESIZE), the title, info and status lines, incremental search and
 * the ":" commands.  Draws only when something changed: a key, a resize,
 * a message, or a refresh whose data differs from the last one. */
#include <errno.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "uiint.h"
#include "vmscope/escape.h"
#include "vmscope/explain.h"
#include "vmscope/physaddr.h"
#include "vmscope/procs.h"

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

static struct screen *top(struct app *a)
{
	return a->depth ? a->stack[a->depth - 1] : NULL;
}

static void push(struct app *a, struct screen *s)
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

static void pop_one(struct app *a)
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
		pop_one(a);
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
	pop_one(a);
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
	push(a, s);
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
	push(a, s);
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
	push(a, s);
	return 0;
}

void app_open_help(struct app *a)
{
	struct vms_err e;
	struct screen *s;

	if (top(a) && strcmp(top(a)->ops->name, "help") == 0)
		return;
	s = screen_help_new(a, &e);
	if (!s) {
		app_message(a, EL_ERROR, "%s", e.msg);
		return;
	}
	push(a, s);
}

bool app_snapshot_refuses(struct app *a, const char *what)
{
	if (a->root->live)
		return false;
	app_message(a, EL_WARN,
		    "%s: not on a snapshot (it does not change)", what);
	return true;
}

/* The screen on top when it is the one named. */
static struct screen *top_named(struct app *a, const char *name)
{
	struct screen *s = top(a);

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
	struct screen *s = top_named(a, name);

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
	push(a, s);
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
	push(a, s);
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
	push(a, s);
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
	s = top(a);
	if (s && s->ops->goto_addr)
		s->ops->goto_addr(s, a, vaddr);
	if (app_open_pages(a, vaddr, false) < 0)
		return -1;
	s = top(a);
	if (s && s->ops->goto_addr)
		s->ops->goto_addr(s, a, vaddr);
	return app_open_detail(a, vaddr);
}

/* ---- drawing ---- */

static int body_rows(void)
{
	return LINES - 3;
}

static void status_text(struct app *a, char *buf, size_t n, int width)
{
	char raw[256], desc[512], every[48], hidden[128];
	const char *hidden_short, *hidden_tiny, *where;
	bool live = a->root->live;

	char host[160], arch[64];

	/* a snapshot's conf is text from another machine: escape it */
	root_describe(a->root, raw, sizeof raw);
	escape_text(desc, sizeof desc, raw, strlen(raw));
	escape_text(host, sizeof host, a->root->hostname,
		    strlen(a->root->hostname));
	escape_text(arch, sizeof arch, a->root->arch, strlen(a->root->arch));
	where = live ? "live" : "snapshot";
	/* a snapshot does not change: no refresh interval to speak of */
	if (!live)
		every[0] = '\0';
	else if (a->paused)
		snprintf(every, sizeof every, "PAUSED (space resumes)");
	else
		snprintf(every, sizeof every, "every %gs", a->delay);
	if (live) {
		snprintf(hidden, sizeof hidden,
			 "PFNs and page flags hidden: not root (needs CAP_SYS_ADMIN)");
		hidden_short = "PFNs+flags hidden: not root";
		hidden_tiny = "PFNs hidden: not root";
	} else {
		snprintf(hidden, sizeof hidden,
			 "PFNs and page flags hidden: snapshot taken without CAP_SYS_ADMIN");
		hidden_short = "PFNs+flags hidden in snapshot";
		hidden_tiny = "PFNs hidden";
	}
	if (!a->pfn_hidden)
		hidden[0] = '\0';
	/* most to least wordy: the first that fits */
	{
		const char *h = a->pfn_hidden ? hidden : "";
		const char *sep = a->pfn_hidden ? " | " : "";
		const char *esep = every[0] ? " | " : "";

		snprintf(buf, n, "%s%s%s%s%s | ? help  q quit", desc, esep,
			 every, sep, h);
		if (text_width(buf) <= width)
			return;
		if (!live) {
			/* which snapshot: its host and architecture */
			snprintf(buf, n, "snapshot %s %s%s%s", host, arch, sep, h);
			if (text_width(buf) <= width)
				return;
			snprintf(buf, n, "snapshot %s%s%s", host, sep, h);
			if (text_width(buf) <= width)
				return;
			snprintf(buf, n, "snapshot%s%s", sep,
				 a->pfn_hidden ? hidden_short : "");
			if (text_width(buf) <= width)
				return;
			snprintf(buf, n, "snapshot%s%s", a->pfn_hidden ? " " : "",
				 a->pfn_hidden ? hidden_tiny : "");
			return;
		}
		snprintf(buf, n, "%s | %s%s%s", where, every, sep, h);
		if (text_width(buf) <= width)
			return;
		snprintf(buf, n, "%s | %s%s%s", where,
			 a->paused ? "PAUSED" : every, sep,
			 a->pfn_hidden ? hidden_short : "");
		if (text_width(buf) <= width)
			return;
		if (a->paused)
			snprintf(every, sizeof every, "paused");
		else
			snprintf(every, sizeof every, "%gs", a->delay);
		snprintf(buf, n, "%s %s%s%s", where, every,
			 a->pfn_hidden ? " " : "",
			 a->pfn_hidden ? hidden_tiny : "");
	}
}

/* Whether row y may be drawn on: on a terminal one column wide the last
 * row's only cell is the bottom-right corner, which ncurses fills by
 * inserting the cell before it (column -1: outside the line, garbage
 * seen on screen as a stray wide character).  That row is left blank. */
static bool row_drawable(int y)
{
	return COLS >= 2 || y < LINES - 1;
}

static void draw_too_small(void)
{
	char l1[64], l2[64];
	int y = LINES / 2 - 1, w1, w2;

	snprintf(l1, sizeof l1, "terminal too small");
	snprintf(l2, sizeof l2, "need %dx%d, have %dx%d", UI_MIN_COLS,
		 UI_MIN_LINES, COLS, LINES);
	if (y < 0)
		y = 0;
	w1 = (int)strlen(l1);
	w2 = (int)strlen(l2);
	if (row_drawable(y))
		draw_text(y, w1 < COLS ? (COLS - w1) / 2 : 0, COLS, A_BOLD,
			  l1, false);
	if (y + 1 < LINES && row_drawable(y + 1))
		draw_text(y + 1, w2 < COLS ? (COLS - w2) / 2 : 0, COLS,
			  A_NORMAL, l2, false);
}

static void handle_error(struct app *a, struct screen *s,
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

static void app_draw(struct app *a)
{
	struct screen *s = top(a);
	char buf[1024];
	int elem = EL_INFO, h;

	a->need_draw = false;
	a->draws++;
	erase();
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES || !s) {
		draw_too_small();
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	h = body_rows();
	{
		struct vms_err e;

		err_clear(&e);
		if (s->ops->update(s, a, h, COLS, false, &e) < 0) {
			handle_error(a, s, &e);
			s = top(a);
			if (!s)
				return;
			err_clear(&e);
			if (s->ops->update(s, a, h, COLS, false, &e) < 0) {
				app_message(a, EL_ERROR, "%s", e.msg);
			}
		}
	}
	s->dirty = false;
	buf[0] = '\0';
	s->ops->title(s, a, buf, sizeof buf);
	draw_text(0, 0, COLS, app_attr(a, EL_TITLE), buf, true);
	s->ops->draw(s, a, 1, h, COLS);

	/* info line: a message, else what the screen says about its
	 * selection */
	if (a->msg[0]) {
		draw_text(LINES - 2, 0, COLS, app_attr(a, a->msg_elem), a->msg,
			  true);
	} else {
		buf[0] = '\0';
		s->ops->info(s, a, buf, sizeof buf, &elem);
		draw_text(LINES - 2, 0, COLS, app_attr(a, elem), buf, true);
	}

	if (a->searching) {
		snprintf(buf, sizeof buf, "/%s", a->search);
		draw_text(LINES - 1, 0, COLS, app_attr(a, EL_CMDLINE), buf, true);
	} else {
		status_text(a, buf, sizeof buf, COLS);
		draw_text(LINES - 1, 0, COLS, app_attr(a, EL_STATUS), buf, true);
	}
	wnoutrefresh(stdscr);
	if (cmdline_active(a))
		cmdline_draw(a);
	doupdate();
	/* an error message set while drawing is on screen already */
	a->need_draw = false;
}

/* ---- refresh ---- */

static void app_tick(struct app *a)
{
	struct screen *s = top(a);
	struct vms_err e;
	int rc;

	a->ticks++;
	if (!s || COLS < UI_MIN_COLS || LINES < UI_MIN_LINES)
		return;
	err_clear(&e);
	rc = s->ops->update(s, a, body_rows(), COLS, true, &e);
	if (rc < 0)
		handle_error(a, s, &e);
	else if (rc > 0)
		a->need_draw = true;
}

/* ---- search ---- */

static void search_run(struct app *a, const char *text, int dir,
		       bool from_here)
{
	struct screen *s = top(a);

	if (!s || !s->ops->search || !*text)
		return;
	if (!s->ops->search(s, a, text, dir, from_here))
		app_message(a, EL_WARN, "not found: %s", text);
	else if (!a->searching)
		a->msg[0] = '\0';
	a->need_draw = true;
}

static void search_key(struct app *a, int ch)
{
	size_t l = strlen(a->search);

	if (ch == 27) {
		a->searching = false;
	} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		a->searching = false;
		if (a->search[0])
			snprintf(a->last_search, sizeof a->last_search, "%s",
				 a->search);
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (l == 0) {
			a->searching = false;
		} else {
			/* drop a whole UTF-8 character */
			do
				l--;
			while (l && ((unsigned char)a->search[l] & 0xc0) == 0x80);
			a->search[l] = '\0';
			a->msg[0] = '\0';
			search_run(a, a->search, 1, true);
		}
	} else if (ch >= 32 && ch < 256 && ch != 127 &&
		   l + 1 < sizeof a->search) {
		a->search[l] = (char)ch;
		a->search[l + 1] = '\0';
		a->msg[0] = '\0';
		search_run(a, a->search, 1, true);
	}
	a->need_draw = true;
}

/* ---- commands ---- */

static const struct command_def *find_command(const char *w, bool *ambiguous)
{
	const struct command_def *c, *found = NULL;
	size_t l = strlen(w);

	*ambiguous = false;
	for (c = command_table; c->name; c++)
		if (strcmp(c->name, w) == 0)
			return c;
	if (strcmp(w, "q") == 0)
		return NULL; /* handled by the caller */
	for (c = command_table; c->name; c++)
		if (l && strncmp(c->name, w, l) == 0) {
			if (found)
				*ambiguous = true;
			found = c;
		}
	return *ambiguous ? NULL : found;
}

/* ADDR in hex, or a VMA name (first VMA whose name contains it). */
static bool resolve_addr(struct app *a, const char *arg, uint64_t *addr)
{
	size_t i;

	if (parse_addr(arg, addr))
		return true;
	for (i = 0; i < a->pv.vmas.n; i++) {
		const struct vma *v = &a->pv.vmas.v[i];

		if (v->name && *v->name && text_match(v->name, arg)) {
			*addr = v->start;
			return true;
		}
	}
	return false;
}

static void cmd_goto(struct app *a, const char *arg, bool translate)
{
	struct screen *s = top(a);
	uint64_t addr;
	const struct vma_list *l = &a->pv.vmas;

	if (!a->pv_open) {
		app_message(a, EL_ERROR,
			    "no process open: :pid N or Enter on a process first");
		return;
	}
	if (!*arg) {
		app_message(a, EL_ERROR, ":%s needs an address (hex) or a VMA name",
			    translate ? "translate" : "goto");
		return;
	}
	if (!resolve_addr(a, arg, &addr)) {
		char esc[128];

		escape_text(esc, sizeof esc, arg, strlen(arg));
		app_message(a, EL_ERROR,
			    "'%s' is neither a hex address nor the name of a VMA of process %d",
			    esc, a->pv.pid);
		return;
	}
	if (translate) {
		struct pages_ctx *pc;
		struct translation t;
		struct vms_err e;

		if (!(pc = procview_pages(&a->pv, &e)) ||
		    physaddr_translate(pc, l, addr, &t, &e) < 0) {
			handle_error(a, s, &e);
			return;
		}
		if (t.result == XLATE_OK)
			app_message(a, EL_MESSAGE,
				    "0x%llx -> physical 0x%llx: %s",
				    (unsigned long long)addr,
				    (unsigned long long)t.phys, t.reason);
		else
			app_message(a, t.result == XLATE_NOT_MAPPED ? EL_ERROR
								    : EL_WARN,
				    "0x%llx: %s: %s", (unsigned long long)addr,
				    xlate_result_name(t.result), t.reason);
		if (t.result == XLATE_NOT_MAPPED)
			return;
		if (s && strcmp(s->ops->name, "page detail") == 0)
			pop_one(a);
		app_open_detail(a, addr);
		return;
	}
	if (!l->n || addr < l->v[0].start || addr >= l->v[l->n - 1].end) {
		app_message(a, EL_ERROR,
			    "0x%llx is outside every mapping of process %d",
			    (unsigned long long)addr, a->pv.pid);
		return;
	}
	if (!vmas_find(l, addr))
		app_message(a, EL_WARN,
			    "0x%llx is in a hole: no VMA maps it",
			    (unsigned long long)addr);
	if (s && s->ops->goto_addr && s->ops->goto_addr(s, a, addr)) {
		a->need_draw = true;
		return;
	}
	while (a->depth && top(a)->is_process &&
	       strcmp(top(a)->ops->name, "VMAs") != 0)
		pop_one(a);
	if (!a->depth || strcmp(top(a)->ops->name, "VMAs") != 0) {
		struct vms_err e;
		struct screen *vs = screen_vmas_new(a, addr, &e);

		if (vs)
			push(a, vs);
	} else if (top(a)->ops->goto_addr) {
		top(a)->ops->goto_addr(top(a), a, addr);
	}
	app_open_pages(a, addr, a->prefer_map);
	s = top(a);
	if (s && s->ops->goto_addr)
		s->ops->goto_addr(s, a, addr);
}

void app_command(struct app *a, const char *line)
{
	char word[32], argbuf[512];
	const char *p = line, *arg;
	const struct command_def *c;
	bool amb;
	size_t wl, al;

	while (*p == ' ' || *p == '\t' || *p == ':')
		p++;
	if (!*p)
		return;
	wl = strcspn(p, " \t");
	if (wl >= sizeof word)
		wl = sizeof word - 1;
	memcpy(word, p, wl);
	word[wl] = '\0';
	arg = p + strcspn(p, " \t");
	while (*arg == ' ' || *arg == '\t')
		arg++;
	snprintf(argbuf, sizeof argbuf, "%s", arg);
	al = strlen(argbuf);
	while (al && (argbuf[al - 1] == ' ' || argbuf[al - 1] == '\t'))
		argbuf[--al] = '\0';
	arg = argbuf;

	if (strcmp(word, "q") == 0) {
		a->quit = true;
		return;
	}
	c = find_command(word, &amb);
	if (!c) {
		char esc[64];

		escape_text(esc, sizeof esc, word, strlen(word));
		app_message(a, EL_ERROR, amb ? "ambiguous command ':%s' (Tab completes)"
					     : "unknown command ':%s' (:help lists them)",
			    esc);
		return;
	}
	if (strcmp(c->name, "quit") == 0) {
		a->quit = true;
	} else if (strcmp(c->name, "help") == 0) {
		app_open_help(a);
	} else if (strcmp(c->name, "goto") == 0) {
		cmd_goto(a, arg, false);
	} else if (strcmp(c->name, "translate") == 0) {
		cmd_goto(a, arg, true);
	} else if (strcmp(c->name, "pid") == 0) {
		char *end;
		long pid = strtol(arg, &end, 10);
		struct vms_err e;

		if (!*arg || *end || pid <= 0 || pid > 0x7fffffff) {
			app_message(a, EL_ERROR, ":pid needs a process ID");
			return;
		}
		if (app_open_process(a, (int)pid, NULL, &e) < 0)
			app_message(a, EL_ERROR, "%s", e.msg);
	} else if (strcmp(c->name, "filter") == 0) {
		struct screen *s = top(a);

		if (s && s->ops->filter) {
			s->ops->filter(s, a, arg);
			s->dirty = true;
			a->need_draw = true;
		} else {
			app_message(a, EL_ERROR,
				    "this screen has no filter (processes and VMAs do)");
		}
	} else if (strcmp(c->name, "theme") == 0) {
		struct theme t;
		struct vms_err e;

		if (theme_load(&t, *arg ? arg : NULL, &e) < 0) {
			app_message(a, EL_ERROR, "%s", e.msg);
			return;
		}
		a->theme = t;
		clearok(curscr, TRUE);
		app_message(a, EL_MESSAGE, "theme %s%s", t.name,
			    t.color ? "" : " (no colour)");
	} else if (strcmp(c->name, "kernel") == 0 ||
		   strcmp(c->name, "phys") == 0) {
		bool k = c->name[0] == 'k';
		uint64_t addr = 0;

		if (*arg && !parse_addr(arg, &addr)) {
			char esc[128];

			escape_text(esc, sizeof esc, arg, strlen(arg));
			app_message(a, EL_ERROR, ":%s takes a hex address, not '%s'",
				    c->name, esc);
			return;
		}
		if (k)
			app_open_kernel(a, *arg != '\0', addr);
		else
			app_open_phys(a, *arg != '\0', addr);
	} else if (strcmp(c->name, "delay") == 0) {
		char *end;
		double d;

		if (app_snapshot_refuses(a, ":delay"))
			return;
		d = strtod(arg, &end);

		if (!*arg || *end || !(d >= 0.1 && d <= 3600)) {
			app_message(a, EL_ERROR,
				    ":delay needs seconds between 0.1 and 3600");
			return;
		}
		a->delay = d;
		a->next_tick = app_now() + d;
		app_message(a, EL_MESSAGE, "refreshing every %gs", d);
	}
}

char **app_complete(struct app *a, int kind, const char *text)
{
	size_t n = 0, cap = 16, tl = strlen(text);
	char **out = malloc(cap * sizeof *out);

	if (!out)
		return NULL;
#define ADD(str) do { \
		if (n + 2 > cap) { \
			char **nw = realloc(out, cap * 2 * sizeof *out); \
			if (!nw) goto done; \
			out = nw; cap *= 2; \
		} \
		if ((out[n] = strdup(str))) n++; \
	} while (0)
	if (kind == CMPL_THEME) {
		char **l = theme_list();
		size_t i;

		for (i = 0; l && l[i]; i++)
			if (strncmp(l[i], text, tl) == 0)
				ADD(l[i]);
		theme_list_free(l);
	} else if (kind == CMPL_PID) {
		struct procs *p;
		struct proc_list pl = { 0 };
		size_t i;

		if (procs_open(a->root, &p, NULL) == 0) {
			if (procs_read(p, &pl, NULL) == 0)
				for (i = 0; i < pl.n && n < 4000; i++) {
					char num[16];

					if (pl.rows[i].kthread)
						continue;
					snprintf(num, sizeof num, "%d",
						 pl.rows[i].pid);
					if (strncmp(num, text, tl) == 0)
						ADD(num);
				}
			procs_list_free(&pl);
			procs_close(p);
		}
	} else if (kind == CMPL_VMA && a->pv_open) {
		size_t i, j;

		for (i = 0; i < a->pv.vmas.n; i++) {
			const struct vma *v = &a->pv.vmas.v[i];
			char addr[32];
			bool dup = false;

			/* names without spaces or control characters, once */
			if (v->name && *v->name &&
			    strncmp(v->name, text, tl) == 0 &&
			    !strpbrk(v->name, " \t\n\\\x1b")) {
				for (j = 0; j < n; j++)
					dup |= strcmp(out[j], v->name) == 0;
				if (!dup)
					ADD(v->name);
			}
			snprintf(addr, sizeof addr, "0x%llx",
				 (unsigned long long)v->start);
			if (tl && strncmp(addr, text, tl) == 0)
				ADD(addr);
		}
	}
done:
#undef ADD
	out[n] = NULL;
	return out;
}

/* ---- keys ---- */

static unsigned context_of(struct app *a)
{
	struct screen *s = top(a);

	return s ? s->ops->context(s) : CTX_PROCS;
}

static void handle_key(struct app *a, int ch)
{
	struct screen *s = top(a);
	enum action act = keys_lookup(context_of(a), ch);

	if (a->msg[0] && act != ACT_NONE) {
		a->msg[0] = '\0';
		a->need_draw = true;
	}
	if (s && act != ACT_NONE && s->ops->action(s, a, act)) {
		a->need_draw = true;
		return;
	}
	switch (act) {
	case ACT_QUIT:
		a->quit = true;
		break;
	case ACT_BACK:
		app_back(a);
		break;
	case ACT_HELP:
		app_open_help(a);
		break;
	case ACT_CMDLINE:
		cmdline_open(a, NULL);
		break;
	case ACT_KERNEL:
		app_open_kernel(a, false, 0);
		break;
	case ACT_PHYS:
		app_open_phys(a, false, 0);
		break;
	case ACT_DELAY:
		if (app_snapshot_refuses(a, "refresh delay"))
			break;
		{
			char pre[48];

			snprintf(pre, sizeof pre, "delay %g", a->delay);
			cmdline_open(a, pre);
		}
		break;
	case ACT_FILTER:
		cmdline_open(a, "filter ");
		break;
	case ACT_PAUSE:
		if (app_snapshot_refuses(a, "pause"))
			break;
		a->paused = !a->paused;
		if (!a->paused) {
			a->next_tick = app_now();
		}
		a->need_draw = true;
		break;
	case ACT_SEARCH:
		a->searching = true;
		a->search[0] = '\0';
		a->need_draw = true;
		break;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		if (!a->last_search[0])
			app_message(a, EL_WARN, "no search yet: / starts one");
		else
			search_run(a, a->last_search,
				   act == ACT_SEARCH_NEXT ? 1 : -1, false);
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		a->need_draw = true;
		break;
	case ACT_NONE:
		break;
	default:
		break;
	}
}

/* ---- ui_run ---- */

/* For the benchmarks: VMSCOPE_STATS=FILE gets how many refreshes and
 * redraws there were. */
static void write_stats(struct app *a)
{
	const char *path = getenv("VMSCOPE_STATS");
	FILE *f;

	if (!path || !*path || !(f = fopen(path, "ae")))
		return;
	fprintf(f, "ticks=%lu draws=%lu\n", a->ticks, a->draws);
	fclose(f);
}

static void shutdown_screens(struct app *a)
{
	while (a->depth)
		pop_one(a);
	if (a->pv_open)
		procview_close(&a->pv);
	a->pv_open = false;
}

int ui_run(const struct vms_root *r, const struct ui_opts *o,
	   struct vms_err *e)
{
	static struct app app;   /* readline callbacks reach it globally */
	struct app *a = &app;
	SCREEN *scr;
	const char *cs;
	struct screen *s;

	memset(a, 0, sizeof *a);
	a->root = r;
	a->opts = *o;
	a->delay = o->delay >= 0.1 ? o->delay : 1.0;
	a->pfn_hidden = !r->pfn_visible;
	cs = nl_langinfo(CODESET);
	a->utf8 = !o->ascii && cs && strcmp(cs, "UTF-8") == 0;
	if (o->pid) {
		if (procview_open(&a->pv, r, o->pid, NULL, e) < 0)
			return -1;
		a->pv_open = true;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		err_set(e, ENOTTY,
			"the explorer needs a terminal; for scripts use 'vmscope maps|pages|translate' (see vmscope --help)");
		if (a->pv_open)
			procview_close(&a->pv);
		return -1;
	}

	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *term = getenv("TERM");

		err_set(e, ENOTTY, "cannot start the terminal '%s' (check TERM)",
			term ? term : "");
		if (a->pv_open)
			procview_close(&a->pv);
		return -1;
	}
	set_term(scr);
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	curs_set(0);
	/* NO_COLOR: never start colours at all (not even white on black) */
	if (has_colors() && theme_color_allowed()) {
		start_color();
		use_default_colors();
	}
	draw_setup(a->utf8);
	if (theme_load(&a->theme, o->theme, e) < 0) {
		endwin();
		delscreen(scr);
		if (a->pv_open)
			procview_close(&a->pv);
		return -1;
	}
	cmdline_init(a);

	s = screen_procs_new(a, e);
	if (!s) {
		endwin();
		delscreen(scr);
		cmdline_free(a);
		if (a->pv_open)
			procview_close(&a->pv);
		return -1;
	}
	push(a, s);
	if (a->pv_open) {
		s = screen_vmas_new(a, 0, e);
		if (s)
			push(a, s);
		else
			app_message(a, EL_ERROR, "%s", e->msg);
	}
	a->need_draw = true;
	a->next_tick = app_now() + a->delay;

	while (!a->quit && a->depth) {
		double now;
		int to, ch;
		WINDOW *w;
		bool busy;

		if (a->need_draw || (top(a) && top(a)->dirty))
			app_draw(a);
		if (a->quit || !a->depth)
			break;
		now = app_now();
		if (a->paused || !a->root->live) {
			/* a snapshot does not change: nothing to refresh */
			to = -1;
		} else {
			double d = a->next_tick - now;

			to = d <= 0 ? 0 : (int)(d * 1000.0 + 0.999);
		}
		if (a->msg_until > 0) {
			double d = a->msg_until - now;
			int mt = d <= 0 ? 0 : (int)(d * 1000.0 + 0.999);

			if (to < 0 || mt < to)
				to = mt;
		}
		/* a screen with work left (done in slices) gets another
		 * turn as soon as no key waits; not while it cannot draw */
		busy = top(a) && top(a)->busy && COLS >= UI_MIN_COLS &&
		       LINES >= UI_MIN_LINES;
		if (busy)
			to = 0;
		w = cmdline_active(a) ? cmdline_window(a) : stdscr;
		wtimeout(w, to);
		ch = wgetch(w);
		if (ch == ERR) {
			if (busy)
				a->need_draw = true;
			now = app_now();
			if (a->msg_until > 0 && now >= a->msg_until) {
				a->msg_until = 0;
				a->msg[0] = '\0';
				a->need_draw = true;
			}
			if (!a->paused && a->root->live &&
			    now >= a->next_tick - 0.0005) {
				app_tick(a);
				a->next_tick += a->delay;
				if (a->next_tick < now)
					a->next_tick = now + a->delay;
			}
			continue;
		}
		if (ch == KEY_RESIZE) {
			cmdline_resize(a);
			if (top(a))
				top(a)->dirty = true;
			clearok(curscr, TRUE);
			a->need_draw = true;
			continue;
		}
		if (cmdline_active(a)) {
			cmdline_key(a, ch);
			continue;
		}
		if (a->searching) {
			search_key(a, ch);
			continue;
		}
		if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) {
			/* nothing to see: keys would act blind; only quit */
			enum action act = keys_lookup(CTX_ALL, ch);

			if (act == ACT_QUIT)
				a->quit = true;
			continue;
		}
		handle_key(a, ch);
	}

	shutdown_screens(a);
	krview_free(a);
	cmdline_free(a);
	endwin();
	delscreen(scr);
	write_stats(a);
	return 0;
}
