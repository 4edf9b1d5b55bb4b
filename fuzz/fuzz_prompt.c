/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: the ":" command line, keystroke by keystroke.
 * Every input byte is a key typed at the prompt: readline edits the line
 * (history, completion with Tab, ^C/^G cancel), Enter runs it through
 * commands_run (goto, translate, pid, filter, theme, delay, help, quit),
 * and the top screen then reads and draws its data, as the explorer does
 * between two keys.  Curses runs on xterm-256color with its output going
 * to /dev/null; the process open is the zynq-armv7 fixture's (the root
 * comes from $VMSCOPE_FUZZ_ROOT, a built fixture, see fuzz/run).  No
 * history file is written (no $HOME, no $XDG_STATE_HOME). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <readline/readline.h>
#include <readline/history.h>
#include "ui/uiint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PID 1234   /* the fixture's process */

static struct app A;
static struct vms_root R;

static void start(void)
{
	static bool done;
	const char *root = getenv("VMSCOPE_FUZZ_ROOT");
	FILE *out, *in;
	SCREEN *s;
	struct vms_err e;

	if (done)
		return;
	done = true;
	unsetenv("HOME");
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_CONFIG_HOME");
	setenv("TERM", "xterm-256color", 1);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	s = out && in ? newterm("xterm-256color", out, in) : NULL;
	if (!s) {
		fprintf(stderr, "fuzz_prompt: cannot start curses\n");
		abort();
	}
	set_term(s);
	start_color();
	use_default_colors();
	draw_setup(true);
	if (root_open(&R, root ? root : "tests/fixtures/zynq-armv7/root",
		      &e) < 0) {
		fprintf(stderr, "fuzz_prompt: %s (set VMSCOPE_FUZZ_ROOT to a built fixture)\n",
			e.msg);
		abort();
	}
}

static void app_up(void)
{
	struct vms_err e;
	struct screen *s;

	memset(&A, 0, sizeof A);
	A.root = &R;
	A.delay = 1.0;
	A.utf8 = true;
	A.pfn_hidden = !R.pfn_visible;
	if (theme_load(&A.theme, NULL, &e) < 0)
		abort();
	cmdline_init(&A);
	s = screen_procs_new(&A, &e);
	if (!s)
		abort();
	A.stack[A.depth++] = s;
	if (app_open_process(&A, FUZZ_PID, NULL, &e) < 0) {
		fprintf(stderr, "fuzz_prompt: %s\n", e.msg);
		abort();
	}
}

/* ui_run's teardown (app_close_all, krview_free, cmdline_free). */
static void app_down(void)
{
	while (A.depth) {
		struct screen *s = A.stack[--A.depth];

		s->ops->destroy(s);
	}
	if (A.pv_open)
		procview_close(&A.pv);
	A.pv_open = false;
	/* as ui_run ends (app.c): keep in step with it */
	krview_free(&A);
	cmdline_free(&A);
	/* the entries' data (undo lists of edited lines) stay readline's:
	 * see fuzz/lsan.supp */
	clear_history();
}

/* What the event loop does between two keys: the top screen reads its
 * data for the body size and draws, with the title and info lines. */
static void redraw(void)
{
	struct screen *s = A.depth ? A.stack[A.depth - 1] : NULL;
	struct vms_err e;
	char buf[512];
	int elem = 0, h = LINES - 3, w = COLS;

	if (!s)
		return;
	if (s->ops->update(s, &A, h, w, false, &e) < 0)
		return;
	s->ops->draw(s, &A, 1, h, w);
	s->ops->title(s, &A, buf, sizeof buf);
	s->ops->info(s, &A, buf, sizeof buf, &elem);
	cmdline_draw(&A);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;

	start();
	app_up();
	/* no kill appended to one of the previous input's */
	rl_last_func = NULL;
	for (i = 0; i < size && !A.quit && A.depth; i++) {
		/* No ^Y: readline's kill ring outlives an input (it cannot
		 * be cleared), and ^Y ^Y ^U doubles its text, input after
		 * input, until memory is full.  That is readline doing what
		 * the person asked; the prompt is tested without it. */
		if (data[i] == 0x19)
			continue;
		if (!cmdline_active(&A))
			cmdline_open(&A, NULL);
		cmdline_key(&A, data[i]);
		if (!cmdline_active(&A))
			redraw();
	}
	app_down();
	return 0;
}
