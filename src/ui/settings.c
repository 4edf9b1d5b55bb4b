/* SPDX-License-Identifier: GPL-3.0-or-later */
/* settings: the explorer's settings (theme, delay, sort, columns,
 * ascii, mouse, only_mine) from the settings file (config.h), the command-line options,
 * which win, and :set, which changes one for the session or saves them
 * all. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "draw.h"
#include "mouse.h"
#include "screens.h"
#include "settings.h"
#include "vmscope/escape.h"

struct warn_ctx {
	struct app *a;
	char shown[PATH_MAX];      /* path, ~ for $HOME */
	unsigned n;
	char first[600];           /* the first warning */
};

/* A line of the file vmscope cannot use: on stderr (seen after the
 * explorer ends) and, the first, on the message line. */
static void warn_line(void *arg, unsigned line, const char *key,
		      const char *why)
{
	struct warn_ctx *w = arg;
	char k[96] = "", msg[600];

	if (*key) {
		char esc[64];

		escape_text(esc, sizeof esc, key, strlen(key));
		snprintf(k, sizeof k, " '%s'", esc);
	}
	if (line)
		snprintf(msg, sizeof msg, "%s line %u%s: %s", w->shown, line, k,
			 why);
	else
		snprintf(msg, sizeof msg, "%s: %s", w->shown, why);
	fprintf(stderr, "vmscope: warning: %s (line ignored)\n", msg);
	if (!w->n++)
		snprintf(w->first, sizeof w->first, "%s", msg);
	if (w->n == 1)
		app_message(w->a, EL_WARN, "%s", w->first);
	else
		app_message(w->a, EL_WARN, "%s; %u more lines ignored (listed on stderr)",
			    w->first, w->n - 1);
}

void settings_start(struct app *a, const struct ui_opts *o)
{
	char path[PATH_MAX];
	struct warn_ctx w = { .a = a };
	struct vms_err e;
	bool found;

	const char *home = getenv("HOME");
	size_t hl = home ? strlen(home) : 0;

	config_defaults(&a->cfg);
	if (config_path(path, sizeof path, NULL) < 0)
		path[0] = '\0';
	if (hl > 1 && strncmp(path, home, hl) == 0 && path[hl] == '/')
		snprintf(w.shown, sizeof w.shown, "~%s", path + hl);
	else
		snprintf(w.shown, sizeof w.shown, "%s", path);
	if (path[0] &&
	    config_load(&a->cfg, path, &found, warn_line, &w, &e) < 0)
		warn_line(&w, 0, "", e.msg);
	/* the options win */
	if (o->theme && strlen(o->theme) < sizeof a->cfg.theme) {
		snprintf(a->cfg.theme, sizeof a->cfg.theme, "%s", o->theme);
		a->theme_given = true;
	}
	if (o->delay >= 0.1)
		a->cfg.delay = o->delay;
	if (o->ascii)
		a->cfg.ascii = true;
	if (o->no_mouse)
		a->cfg.mouse = false;
	a->opts.theme = a->theme_given || a->cfg.given & 1u << CONFIG_THEME
			? a->cfg.theme : NULL;
	a->opts.delay = a->cfg.delay;
	a->opts.ascii = a->cfg.ascii;
}

int settings_theme_failed(struct app *a, struct vms_err *e)
{
	char msg[sizeof e->msg];

	if (a->theme_given || !a->opts.theme)
		return -1;
	snprintf(msg, sizeof msg, "%s", e->msg);
	if (theme_load(&a->theme, NULL, e) < 0)
		return -1;
	app_message(a, EL_WARN, "settings file: %s; the default theme instead", msg);
	return 0;
}

static struct screen *procs_screen(struct app *a)
{
	return a->depth && strcmp(a->stack[0]->ops->name, "processes") == 0
	       ? a->stack[0] : NULL;
}

/* Everything again: the theme or the line drawing changed. */
static void redraw_all(struct app *a)
{
	int i;

	for (i = 0; i < a->depth; i++)
		a->stack[i]->dirty = true;
	clearok(curscr, TRUE);
	a->need_draw = true;
}

/* What changed in c applied to the running explorer; -1 (with the
 * message said) when it cannot be. */
static int apply(struct app *a, int key, const struct config *c)
{
	struct theme t;
	struct vms_err e;

	switch (key) {
	case CONFIG_THEME:
		if (theme_load(&t, c->theme, &e) < 0) {
			app_message(a, EL_ERROR, "%s", e.msg);
			return -1;
		}
		a->theme = t;
		break;
	case CONFIG_DELAY:
		a->delay = c->delay;
		a->next_tick = app_now() + c->delay;
		break;
	case CONFIG_MOUSE:
		mouse_enable(c->mouse);
		break;
	case CONFIG_ONLY_MINE:
	case CONFIG_SORT:
		if (procs_screen(a))
			screen_procs_use_settings(procs_screen(a), c);
		break;
	case CONFIG_ASCII:
		a->utf8 = a->utf8_locale && !c->ascii;
		draw_setup(a->utf8);
		break;
	default:
		break;
	}
	redraw_all(a);
	return 0;
}

/* The settings as they are now (the process list's sort included). */
static void current(struct app *a, struct config *c)
{
	*c = a->cfg;
	if (procs_screen(a))
		screen_procs_sort_setting(procs_screen(a), c);
}

static void show(struct app *a, int only)
{
	char buf[480], v[CONFIG_THEME_MAX + 64];
	struct config c;
	size_t l = 0;
	int k;

	current(a, &c);
	for (k = 0; k < CONFIG__KEYS; k++) {
		if (only >= 0 && k != only)
			continue;
		config_value(&c, (enum config_key)k, v, sizeof v);
		if (l < sizeof buf)
			l += (size_t)snprintf(buf + l, sizeof buf - l, "%s%s %s",
					      l ? ", " : "", config_key_name((enum config_key)k), v);
	}
	app_message(a, EL_MESSAGE, "%s", buf);
}

static void save(struct app *a)
{
	char path[PATH_MAX];
	struct config c;
	struct vms_err e;

	current(a, &c);
	if (config_path(path, sizeof path, &e) < 0 ||
	    config_save(&c, path, &e) < 0) {
		app_message(a, EL_ERROR, ":set save: %s", e.msg);
		return;
	}
	a->cfg = c;
	app_message(a, EL_MESSAGE, "settings saved to %s", path);
}

void settings_command(struct app *a, const char *arg)
{
	char key[32], why[160], esc[64];
	const char *val;
	struct config c;
	size_t kl = strcspn(arg, " \t");
	int k;

	if (!*arg) {
		show(a, -1);
		return;
	}
	snprintf(key, sizeof key, "%.*s", (int)(kl < 31 ? kl : 31), arg);
	val = arg + kl + strspn(arg + kl, " \t");
	if (strcmp(key, "save") == 0 && !*val) {
		save(a);
		return;
	}
	escape_text(esc, sizeof esc, key, strlen(key));
	if ((k = config_key_find(key)) < 0) {
		app_message(a, EL_ERROR, ":set: no setting '%s' (theme, delay, sort, columns, ascii, mouse, only_mine; or save)",
			    esc);
		return;
	}
	if (!*val) {
		show(a, k);
		return;
	}
	current(a, &c);
	if (config_set(&c, key, val, why, sizeof why) < 0) {
		app_message(a, EL_ERROR, ":set %s: %s", esc, why);
		return;
	}
	if (apply(a, k, &c) < 0)
		return;
	a->cfg = c;
	show(a, k);
	if (k == CONFIG_DELAY && !a->root->live)
		app_message(a, EL_MESSAGE, "delay %g (a snapshot is not refreshed)",
			    c.delay);
}

char **settings_complete(const char *text)
{
	static const char *const words[] = { "theme", "delay", "sort",
		"columns", "ascii", "mouse", "only_mine", "save" };
	size_t tl = strlen(text), n = 0, i;
	char **out = calloc(sizeof words / sizeof words[0] + 1, sizeof *out);

	for (i = 0; out && i < sizeof words / sizeof words[0]; i++)
		if (strncmp(words[i], text, tl) == 0 &&
		    (out[n] = strdup(words[i])))
			n++;
	return out;
}
