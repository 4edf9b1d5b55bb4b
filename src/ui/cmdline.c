/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmdline: the ":" command line, GNU readline's callback interface
 * inside the curses screen.  Readline never touches the terminal: it
 * gets bytes from us (rl_getc_function), draws through our
 * rl_redisplay_function into a one-line window, and leaves signals and
 * the environment alone.  History lives in $XDG_STATE_HOME/vmscope. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>
#include "app.h"
#include "cmdline.h"
#include "commands.h"
#include "draw.h"

#define HISTORY_MAX 500
#define ESC_WAIT_MS 40

struct cmdline {
	WINDOW *win;
	bool active;
	bool done;          /* a line (or EOF) arrived */
	char *line;         /* the accepted line, NULL: cancelled */
	unsigned char q[64];/* bytes waiting for readline */
	int qh, qt;
	char hist_path[4096];
	FILE *devnull;
	char cmd[32];       /* the command in the prompt (":delay "), or "" */
	char prompt[40];
	char **list;        /* Tab's matches, shown above until a key */
	int nlist;
};

static struct app *g_app;   /* readline's callbacks take no argument */
static struct cmdline g_cl;

static int q_len(void)
{
	return (g_cl.qt - g_cl.qh + (int)sizeof g_cl.q) % (int)sizeof g_cl.q;
}

static void q_push(int c)
{
	if (q_len() == (int)sizeof g_cl.q - 1)
		return;
	g_cl.q[g_cl.qt] = (unsigned char)c;
	g_cl.qt = (g_cl.qt + 1) % (int)sizeof g_cl.q;
}

static int cl_getc(FILE *f)
{
	int c;

	(void)f;
	if (!q_len())
		return EOF;
	c = g_cl.q[g_cl.qh];
	g_cl.qh = (g_cl.qh + 1) % (int)sizeof g_cl.q;
	return c;
}

static int cl_input_available(void)
{
	return q_len() > 0;
}

/* Display columns of the first n bytes of s. */
static int width_of(const char *s, size_t n)
{
	char buf[2048];

	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return text_width(buf);
}

static void cl_redisplay(void)
{
	struct cmdline *c = &g_cl;
	const char *prompt = rl_display_prompt ? rl_display_prompt : ":";
	const char *buf = rl_line_buffer ? rl_line_buffer : "";
	int w, pw, cur, off = 0, x;
	size_t skip = 0, blen = strlen(buf), pt;
	char vis[2048], shown[1024], before[1024], pshown[256];

	if (!c->win || !g_app)
		return;
	w = getmaxx(c->win);
	/* as typed or pasted, but a control, bidi or invisible character
	 * shows as '?': it would reorder or hide what is on the line */
	pt = rl_point > 0 ? (size_t)rl_point : 0;
	draw_defuse(shown, sizeof shown, buf, blen);
	draw_defuse(before, sizeof before, buf, pt < blen ? pt : blen);
	buf = shown;
	draw_defuse(pshown, sizeof pshown, prompt, strlen(prompt));
	prompt = pshown;   /* ^R's prompt holds the search text */
	pw = text_width(prompt);
	cur = pw + text_width(before);
	/* scroll horizontally so that the cursor stays visible */
	if (cur >= w - 1)
		off = cur - (w - 1) + 1;
	werase(c->win);
	wattrset(c->win, app_attr(g_app, EL_CMDLINE));
	wbkgdset(c->win, ' ' | app_attr(g_app, EL_CMDLINE));
	wmove(c->win, 0, 0);
	wclrtoeol(c->win);
	/* prompt and line as one string, dropping off columns */
	snprintf(vis, sizeof vis, "%s%s", prompt, buf);
	while (off > 0 && vis[skip]) {
		size_t k = 1;

		while (((unsigned char)vis[skip + k] & 0xc0) == 0x80)
			k++;
		off -= width_of(vis + skip, k);
		skip += k;
	}
	{
		/* clip to the window, then draw */
		const char *s = vis + skip;
		size_t nb = 0;
		int cols = 0;

		while (s[nb]) {
			size_t k = 1;
			int cw;

			while (((unsigned char)s[nb + k] & 0xc0) == 0x80)
				k++;
			cw = width_of(s + nb, k);
			if (cols + cw > w - 1)
				break;
			cols += cw;
			nb += k;
		}
		mvwaddnstr(c->win, 0, 0, s, (int)nb);
	}
	x = cur - width_of(vis, skip);
	if (x < 0)
		x = 0;
	if (x >= w)
		x = w - 1;
	wmove(c->win, 0, x);
	wnoutrefresh(c->win);
	doupdate();
}

static void cl_line(char *line)
{
	g_cl.done = true;
	free(g_cl.line);
	g_cl.line = line;   /* NULL on EOF (^D on an empty line) */
}

/* ---- completion ---- */

static char **cands, **cand_desc;
static size_t cand_i;

static char *cand_gen(const char *text, int state)
{
	(void)text;
	if (!state)
		cand_i = 0;
	if (!cands || !cands[cand_i])
		return NULL;
	return strdup(cands[cand_i++]);
}

static void free_cands(void)
{
	size_t i;

	for (i = 0; cands && cands[i]; i++) {
		free(cands[i]);
		if (cand_desc)
			free(cand_desc[i]);
	}
	free(cands);
	free(cand_desc);
	cands = cand_desc = NULL;
}

static void list_clear(void)
{
	int i;

	for (i = 0; i < g_cl.nlist; i++)
		free(g_cl.list[i]);
	free(g_cl.list);
	g_cl.list = NULL;
	g_cl.nlist = 0;
}

static char **cl_complete(const char *text, int start, int end)
{
	const struct command_def *d;
	char word[32];
	size_t wl, n = 0, tl = strlen(text);
	const char *lb = rl_line_buffer;

	(void)end;
	rl_attempted_completion_over = 1;
	free_cands();
	while (*lb == ' ' || *lb == ':')
		lb++;
	if (g_cl.cmd[0]) {
		/* the command is in the prompt: the line is its argument */
		snprintf(word, sizeof word, "%s", g_cl.cmd);
	} else if (lb - rl_line_buffer >= start) {
		/* the command word */
		cands = calloc(16, sizeof *cands);
		if (!cands)
			return NULL;
		for (d = command_table; d->name && n < 15; d++)
			if (strncmp(d->name, text, tl) == 0)
				cands[n++] = strdup(d->name);
		return rl_completion_matches(text, cand_gen);
	} else {
		wl = strcspn(lb, " ");
		if (wl >= sizeof word)
			return NULL;
		memcpy(word, lb, wl);
		word[wl] = '\0';
	}
	for (d = command_table; d->name; d++)
		if (strcmp(d->name, word) == 0)
			break;
	if (!d->name || d->complete == CMPL_NONE)
		return NULL;
	cands = commands_complete(g_app, d->complete, text, &cand_desc);
	return rl_completion_matches(text, cand_gen);
}

/* What a match is (a PID's process name), or NULL. */
static const char *match_desc(const char *m)
{
	size_t i;

	for (i = 0; cand_desc && cands && cands[i]; i++)
		if (strcmp(cands[i], m) == 0)
			return cand_desc[i];
	return NULL;
}

/* Several matches: kept for a list above the command line, which the
 * next key takes away (readline would print them over the screen). */
static void cl_show_matches(char **matches, int num, int max)
{
	int i;

	(void)max;
	list_clear();
	g_cl.list = calloc((size_t)num + 1, sizeof *g_cl.list);
	if (!g_cl.list)
		return;
	for (i = 1; i <= num; i++) {
		const char *d = match_desc(matches[i]);
		char item[256];

		snprintf(item, sizeof item, "%s%s%s", matches[i], d ? "  " : "",
			 d ? d : "");
		if ((g_cl.list[g_cl.nlist] = strdup(item)))
			g_cl.nlist++;
	}
	g_app->need_draw = true;
}

/* The matches in columns over the rows above the command line, up to
 * half the screen; the last row says how many more there are. */
static void draw_list(void)
{
	int i, colw = 0, ncols, nrows, most = LINES / 2, shown, y0, prow;
	attr_t at = app_attr(g_app, EL_INFO);

	for (i = 0; i < g_cl.nlist; i++)
		if (text_width(g_cl.list[i]) + 2 > colw)
			colw = text_width(g_cl.list[i]) + 2;
	if (colw > COLS)
		colw = COLS;
	ncols = colw ? COLS / colw : 1;
	if (ncols < 1)
		ncols = 1;
	nrows = (g_cl.nlist + ncols - 1) / ncols;
	if (nrows > most)
		nrows = most;
	shown = nrows * ncols;
	prow = nrows;
	if (shown < g_cl.nlist && nrows > 1) {
		prow = nrows - 1;  /* the last row tells the rest */
		shown = prow * ncols;
	}
	y0 = LINES - 1 - nrows;
	draw_hline(y0 - 1, 0, COLS, app_attr(g_app, EL_BORDER));
	for (i = 0; i < nrows; i++)
		draw_fill(y0 + i, 0, COLS, at);
	for (i = 0; i < shown && i < g_cl.nlist; i++)
		draw_text_cut(y0 + i % prow, (i / prow) * colw, colw - 1, at,
			      g_cl.list[i]);
	if (shown < g_cl.nlist)
		draw_fmt(y0 + nrows - 1, 0, COLS, at, false,
			 "... %d more: type more of it, Tab again",
			 g_cl.nlist - shown);
	wnoutrefresh(stdscr);
}

/* ---- history ---- */

static void history_setup(struct cmdline *c)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char dir[4096];

	c->hist_path[0] = '\0';
	if (xdg && *xdg == '/')
		snprintf(dir, sizeof dir, "%s/vmscope", xdg);
	else if (home && *home == '/')
		snprintf(dir, sizeof dir, "%s/.local/state/vmscope", home);
	else
		return;
	/* make the directory (and its parents), private */
	{
		char *p;

		for (p = dir + 1; *p; p++)
			if (*p == '/') {
				*p = '\0';
				mkdir(dir, 0700);
				*p = '/';
			}
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return;
	}
	snprintf(c->hist_path, sizeof c->hist_path, "%s/history", dir);
	stifle_history(HISTORY_MAX);
	read_history(c->hist_path);
}

static void history_keep(struct cmdline *c, const char *line)
{
	HIST_ENTRY **l;
	int i;

	/* one copy of each line, the newest last */
	l = history_list();
	for (i = 0; l && l[i]; i++)
		if (strcmp(l[i]->line, line) == 0) {
			HIST_ENTRY *h = remove_history(i);

			if (h)
				free_history_entry(h);
			l = history_list();
			i--;
		}
	add_history(line);
	if (c->hist_path[0])
		write_history(c->hist_path);
}

/* ---- interface ---- */

int cmdline_init(struct app *a)
{
	g_app = a;
	a->cl = &g_cl;
	memset(&g_cl, 0, sizeof g_cl);
	{
		/* fopen("w") would open with O_CREAT|O_TRUNC: vmscope opens
		 * nothing for writing but what the user asked for */
		int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

		g_cl.devnull = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (fd >= 0 && !g_cl.devnull)
			close(fd);
	}
	rl_readline_name = "vmscope";
	rl_change_environment = 0;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_getc_function = cl_getc;
	rl_input_available_hook = cl_input_available;
	rl_redisplay_function = cl_redisplay;
	rl_instream = stdin;
	rl_outstream = g_cl.devnull ? g_cl.devnull : stderr;
	rl_attempted_completion_function = cl_complete;
	rl_completion_display_matches_hook = cl_show_matches;
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("horizontal-scroll-mode", "on");
	/* readline 8.2 in callback mode crashes when a key other than these
	 * ends an incremental search begun with ^R and cut short by ^X */
	rl_variable_bind("isearch-terminators", "\\C-[\\C-J\\C-X");
	/* edits of a recalled history line are undone at Enter, so its undo
	 * list is freed with it (history_keep drops duplicate lines) */
	rl_variable_bind("revert-all-at-newline", "on");
	history_setup(&g_cl);
	return 0;
}

void cmdline_free(struct app *a)
{
	(void)a;
	if (g_cl.active) {
		rl_callback_sigcleanup();
		rl_callback_handler_remove();
	}
	if (g_cl.win)
		delwin(g_cl.win);
	g_cl.win = NULL;
	free(g_cl.line);
	g_cl.line = NULL;
	free_cands();
	list_clear();
	if (g_cl.devnull)
		fclose(g_cl.devnull);
	g_cl.devnull = NULL;
	g_cl.active = false;
}

static void make_window(void)
{
	if (g_cl.win)
		delwin(g_cl.win);
	g_cl.win = newwin(1, COLS > 0 ? COLS : 1, LINES > 0 ? LINES - 1 : 0,
			  0);
	if (g_cl.win) {
		keypad(g_cl.win, FALSE);
		meta(g_cl.win, TRUE);
	}
}

void cmdline_open(struct app *a, const char *prefill)
{
	if (g_cl.active)
		return;
	make_window();
	if (!g_cl.win) {
		app_message(a, EL_ERROR, "cannot open the command line window");
		return;
	}
	g_cl.active = true;
	g_cl.done = false;
	g_cl.qh = g_cl.qt = 0;
	g_cl.cmd[0] = '\0';
	snprintf(g_cl.prompt, sizeof g_cl.prompt, ":");
	/* "delay 1": the command goes into the prompt and the line holds
	 * its argument alone, so ^U erases the argument, not the command */
	if (prefill && *prefill) {
		size_t wl = strcspn(prefill, " ");
		const struct command_def *d;

		for (d = command_table; d->name && wl < sizeof g_cl.cmd; d++)
			if (prefill[wl] == ' ' && strlen(d->name) == wl &&
			    strncmp(d->name, prefill, wl) == 0) {
				memcpy(g_cl.cmd, prefill, wl);
				g_cl.cmd[wl] = '\0';
				snprintf(g_cl.prompt, sizeof g_cl.prompt, ":%s ",
					 g_cl.cmd);
				prefill += wl + 1;
				break;
			}
	}
	curs_set(1);
	rl_callback_handler_install(g_cl.prompt, cl_line);
	if (prefill && *prefill) {
		rl_insert_text(prefill);
		rl_redisplay();
	}
	a->need_draw = true;
}

bool cmdline_active(struct app *a)
{
	(void)a;
	return g_cl.active;
}

WINDOW *cmdline_window(struct app *a)
{
	(void)a;
	return g_cl.win ? g_cl.win : stdscr;
}

static void finish(struct app *a, bool run)
{
	char *line = g_cl.line;

	g_cl.line = NULL;
	list_clear();
	if (run && line && g_cl.cmd[0]) {
		/* the command of the prompt, then its argument */
		size_t n = strlen(g_cl.cmd) + strlen(line) + 2;
		char *full = malloc(n);

		if (full)
			snprintf(full, n, "%s %s", g_cl.cmd, line);
		free(line);
		line = full;
	}
	if (!run) {
		rl_callback_sigcleanup();
		rl_replace_line("", 1);
	}
	rl_callback_handler_remove();
	g_cl.active = false;
	curs_set(0);
	if (g_cl.win) {
		delwin(g_cl.win);
		g_cl.win = NULL;
	}
	touchwin(stdscr);
	a->need_draw = true;
	if (run && line) {
		size_t l = strlen(line);

		while (l && (line[l - 1] == ' ' || line[l - 1] == '\t'))
			line[--l] = '\0';
	}
	if (run && line && *line) {
		history_keep(&g_cl, line);
		commands_run(a, line);
	}
	free(line);
}

void cmdline_key(struct app *a, int ch)
{
	if (!g_cl.active)
		return;
	if (g_cl.nlist) {
		/* the list of matches goes with the next key */
		list_clear();
		a->need_draw = true;
	}
	if (ch == 27) {
		/* a lone Esc cancels; Esc followed at once by more bytes is
		 * a key sequence (arrows, Alt-x) for readline */
		int next;

		wtimeout(g_cl.win, ESC_WAIT_MS);
		next = wgetch(g_cl.win);
		if (next == ERR) {
			finish(a, false);
			return;
		}
		q_push(27);
		q_push(next);
		wtimeout(g_cl.win, 0);
		while (q_len() < 16 && (next = wgetch(g_cl.win)) != ERR &&
		       next < 256)
			q_push(next);
	} else if (ch == 3 || ch == 7) {
		/* ^C, ^G: cancel */
		finish(a, false);
		return;
	} else if (ch >= 0 && ch < 256) {
		q_push(ch);
	} else {
		return;
	}
	while (q_len() && g_cl.active && !g_cl.done)
		rl_callback_read_char();
	if (g_cl.done)
		finish(a, g_cl.line != NULL);
}

void cmdline_draw(struct app *a)
{
	(void)a;
	if (!g_cl.active || !g_cl.win)
		return;
	if (g_cl.nlist)
		draw_list();
	touchwin(g_cl.win);
	cl_redisplay();
}

void cmdline_resize(struct app *a)
{
	(void)a;
	if (!g_cl.active)
		return;
	make_window();
	if (!g_cl.win)
		finish(a, false);
}
