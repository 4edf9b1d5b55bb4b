/* SPDX-License-Identifier: GPL-3.0-or-later */
/* loop: ui_run and the event loop: curses started and stopped, keys, a
 * refresh timer, KEY_RESIZE, the title, info and status lines, keys
 * to actions (an unbound key answered), mouse events to mouse.c, the
 * search and filter prompts to search.c.  Draws only when something
 * changed: a key, a resize, a message, or a refresh whose data differs
 * from the last one. */
#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "app.h"
#include "cmdline.h"
#include "draw.h"
#include "mouse.h"
#include "screens.h"
#include "search.h"
#include "settings.h"
#include "vmscope/escape.h"
#include "remote_ui.h"
#include "vmscope/root_remote.h"
#include "vmscope/stopsig.h"

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
			snprintf(buf, n, "snapshot %s %s%s%s | ? help  q quit", host, /* which */
				 arch, sep, h);
			if (text_width(buf) <= width)
				return;
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

/* Bring s up to date for a body of h rows; false when no screen is
 * left to draw. */
static bool update_for(struct app *a, struct screen **sp, int h)
{
	struct screen *s = *sp;
	struct vms_err e;

	err_clear(&e);
	if (s->ops->update(s, a, h, COLS, false, &e) < 0) {
		app_handle_error(a, s, &e);
		s = *sp = app_top(a);
		if (!s)
			return false;
		err_clear(&e);
		if (s->ops->update(s, a, h, COLS, false, &e) < 0)
			app_message(a, EL_ERROR, "%s", e.msg);
	}
	return true;
}

/* The info line: a message, else what the screen says about its
 * selection. */
static void info_text(struct app *a, struct screen *s, char *buf, size_t n,
		      int *elem)
{
	buf[0] = '\0';
	*elem = EL_INFO;
	if (a->msg[0]) {
		snprintf(buf, n, "%s", a->msg);
		*elem = a->msg_elem;
	} else {
		s->ops->info(s, a, buf, n, elem);
	}
}

static void loop_draw(struct app *a)
{
	struct screen *s = app_top(a);
	char buf[1024], info[1024];
	int elem = EL_INFO, h, rows;

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
	if (!update_for(a, &s, h))
		return;
	/* a long info text takes rows from the body, which is then laid
	 * out again for the rows left */
	info_text(a, s, info, sizeof info, &elem);
	/* all it needs (nothing of a message is cut), up to a third */
	rows = wrapped_lines(info, COLS);
	rows = rows < 1 ? 1 : rows > h / 3 ? (h / 3 > 1 ? h / 3 : 1) : rows;
	if (rows > 1) {
		h -= rows - 1;
		if (!update_for(a, &s, h))
			return;
		info_text(a, s, info, sizeof info, &elem);
	}
	s->dirty = false;
	buf[0] = '\0';
	s->ops->title(s, a, buf, sizeof buf);
	draw_fill(0, 0, COLS, app_attr(a, EL_TITLE));
	draw_text_cut(0, 0, COLS, app_attr(a, EL_TITLE), buf);
	s->ops->draw(s, a, 1, h, COLS);
	draw_wrapped(LINES - 1 - rows, 0, COLS, rows, app_attr(a, elem), info);
	if (rows == 1 && !info[0])
		draw_fill(LINES - 2, 0, COLS, app_attr(a, elem));

	if (a->searching || a->filtering) {
		if (a->filtering)
			search_filter_prompt(a, buf, sizeof buf);
		else
			snprintf(buf, sizeof buf, "/%s", a->search);
		draw_text(LINES - 1, 0, COLS, app_attr(a, EL_CMDLINE), buf, true);
	} else if (a->remote_lost) {
		snprintf(buf, sizeof buf, "%s", a->lost_msg);
		draw_text(LINES - 1, 0, COLS, app_attr(a, EL_ERROR), buf, true);
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

static void loop_tick(struct app *a)
{
	struct screen *s = app_top(a);
	struct vms_err e;
	int rc;

	a->ticks++;
	if (!s || COLS < UI_MIN_COLS || LINES < UI_MIN_LINES)
		return;
	err_clear(&e);
	/* over --remote: the refresh's reads in one round trip */
	root_remote_tick(a->root, true);
	rc = s->ops->update(s, a, body_rows(), COLS, true, &e);
	root_remote_tick(a->root, false);
	if (rc < 0)
		app_handle_error(a, s, &e);
	else if (rc > 0)
		a->need_draw = true;
}

/* ---- keys ---- */

static unsigned context_of(struct app *a)
{
	struct screen *s = app_top(a);

	return s ? s->ops->context(s) : CTX_PROCS;
}

/* A key bound to nothing here: say so, and where the keys are. */
static void unknown_key(struct app *a, int ch)
{
	char name[48];

	keys_name(ch, name, sizeof name);
	app_message(a, EL_WARN, "unknown key %s, ? for help", name);
}

/* htop's keys that mean the same on every screen: \ F4 filter, F2
 * settings, F9 (nothing, said so).  False: act is none of them. */
static bool htop_key(struct app *a, enum action act)
{
	switch (act) {
	case ACT_FILTER_LIVE:
		search_filter_open(a);
		return true;
	case ACT_SETUP:
		cmdline_open(a, "set ");
		return true;
	case ACT_KILL:
		app_message(a, EL_WARN,
			    "F9 does nothing: vmscope never signals a process (it only reads)");
		return true;
	default:
		return false;
	}
}

static void handle_key(struct app *a, int ch)
{
	struct screen *s = app_top(a);
	enum action act = keys_lookup(context_of(a), ch);

	if (a->msg[0] && act != ACT_NONE) {
		a->msg[0] = '\0';
		a->need_draw = true;
	}
	if (s && act != ACT_NONE && s->ops->action(s, a, act)) {
		a->need_draw = true;
		return;
	}
	if (htop_key(a, act))
		return;
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
		unknown_key(a, ch);
		break;
	default:
		break;
	}
}

/* ---- ui_run ---- */

/* Curses on the terminal, the theme and the command line; NULL with e
 * set when it cannot start. */
static SCREEN *term_start(struct app *a, struct vms_err *e)
{
	SCREEN *scr;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		err_set(e, ENOTTY,
			"the explorer needs a terminal; for scripts use 'vmscope maps|pages|translate' (see vmscope --help)");
		return NULL;
	}
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *term = getenv("TERM");

		err_set(e, ENOTTY, "cannot start the terminal '%s' (check TERM)",
			term ? term : "");
		return NULL;
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
	if (theme_load(&a->theme, a->opts.theme, e) < 0 &&
	    settings_theme_failed(a, e) < 0) {
		endwin();
		delscreen(scr);
		return NULL;
	}
	cmdline_init(a);
	mouse_enable(a->cfg.mouse);
	return scr;
}

static void term_stop(struct app *a, SCREEN *scr)
{
	cmdline_free(a);
	endwin();
	delscreen(scr);
}

/* Milliseconds to wait for a key: until the next refresh or the end of
 * the message on screen; -1: no end. */
static int wait_ms(struct app *a, double now)
{
	int to;

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
	return to;
}

/* No key came: the message may be over, the refresh due, a busy screen
 * gets its turn. */
static void on_idle(struct app *a, bool busy)
{
	double now = app_now();

	if (busy)
		a->need_draw = true;
	if (a->msg_until > 0 && now >= a->msg_until) {
		a->msg_until = 0;
		a->msg[0] = '\0';
		a->need_draw = true;
	}
	if (!a->paused && a->root->live && !a->remote_lost &&
	    now >= a->next_tick - 0.0005) {
		loop_tick(a);
		a->next_tick += a->delay;
		if (a->next_tick < now)
			a->next_tick = now + a->delay;
	}
}

static void on_key(struct app *a, int ch)
{
	if (ch == 3) {
		/* ^C as a key (a terminal in raw mode): as the signal */
		stopsig_note(SIGINT);
	} else if (remote_ui_key(a, ch)) {
		a->need_draw = true;
	} else if (ch == KEY_RESIZE) {
		cmdline_resize(a);
		if (app_top(a))
			app_top(a)->dirty = true;
		clearok(curscr, TRUE);
		a->need_draw = true;
	} else if (cmdline_active(a)) {
		cmdline_key(a, ch);
	} else if (ch == KEY_MOUSE) {
		mouse_key(a);
	} else if (a->filtering) {
		search_filter_key(a, ch);
	} else if (a->searching) {
		search_key(a, ch);
	} else if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) {
		/* nothing to see: keys would act blind; only quit */
		if (keys_lookup(CTX_ALL, ch) == ACT_QUIT)
			a->quit = true;
	} else {
		handle_key(a, ch);
	}
}

static void run_loop(struct app *a)
{
	/* a stop signal (stopsig) quits as q does */
	while (!a->quit && a->depth && !stopsig_caught()) {
		int to, ch;
		WINDOW *w;
		bool busy;

		if (a->need_draw || (app_top(a) && app_top(a)->dirty))
			loop_draw(a);
		if (a->quit || !a->depth || stopsig_caught())
			break;
		to = wait_ms(a, app_now());
		/* a screen with work left (done in slices) gets another
		 * turn as soon as no key waits; not while it cannot draw */
		busy = app_top(a) && app_top(a)->busy && COLS >= UI_MIN_COLS &&
		       LINES >= UI_MIN_LINES;
		if (busy)
			to = 0;
		w = cmdline_active(a) ? cmdline_window(a) : stdscr;
		wtimeout(w, to);
		ch = wgetch(w);
		if (ch == ERR)
			on_idle(a, busy);
		else
			on_key(a, ch);
		remote_ui_check(a);
	}
}

/* The first screens: the process list, and the process's VMAs when one
 * was asked for. */
static int first_screens(struct app *a, struct vms_err *e)
{
	struct screen *s = screen_procs_new(a, e);

	if (!s)
		return -1;
	app_push(a, s);
	if (a->pv_open) {
		s = screen_vmas_new(a, 0, e);
		if (s)
			app_push(a, s);
		else
			app_message(a, EL_ERROR, "%s", e->msg);
	}
	return 0;
}

int ui_run(const struct vms_root *r, const struct ui_opts *o,
	   struct vms_err *e)
{
	static struct app app;   /* readline callbacks reach it globally */
	struct app *a = &app;
	SCREEN *scr;
	const char *cs;

	memset(a, 0, sizeof *a);
	a->root = r;
	a->opts = *o;
	settings_start(a, o);
	a->delay = a->opts.delay >= 0.1 ? a->opts.delay : 1.0;
	a->pfn_hidden = !r->pfn_visible;
	cs = nl_langinfo(CODESET);
	a->utf8_locale = cs && strcmp(cs, "UTF-8") == 0;
	a->utf8 = !a->opts.ascii && a->utf8_locale;
	if (o->pid) {
		if (procview_open(&a->pv, r, o->pid, NULL, e) < 0)
			return -1;
		a->pv_open = true;
	}
	if (!(scr = term_start(a, e)) || first_screens(a, e) < 0) {
		if (scr)
			term_stop(a, scr);
		app_close_all(a);
		return -1;
	}
	a->need_draw = true;
	a->next_tick = app_now() + a->delay;
	run_loop(a);
	app_close_all(a);
	krview_free(a);
	term_stop(a, scr);
	remote_ui_write_stats(a);
	return 0;
}
