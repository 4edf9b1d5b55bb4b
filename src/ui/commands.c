/* SPDX-License-Identifier: GPL-3.0-or-later */
/* commands: the ":" commands as one table, each row its name, usage,
 * help, what its argument completes to and its handler.  A line is run
 * by looking its first word up in the table (a unique prefix will do);
 * the command line completes from the table and the help screen lists
 * it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "commands.h"
#include "screens.h"
#include "settings.h"
#include "uitext.h"
#include "vmscope/escape.h"
#include "vmscope/physaddr.h"
#include "vmscope/procs.h"

static void cmd_goto(struct app *a, const char *arg);
static void cmd_pid(struct app *a, const char *arg);
static void cmd_translate(struct app *a, const char *arg);
static void cmd_kernel(struct app *a, const char *arg);
static void cmd_phys(struct app *a, const char *arg);
static void cmd_decode(struct app *a, const char *arg);
static void cmd_filter(struct app *a, const char *arg);
static void cmd_theme(struct app *a, const char *arg);
static void cmd_delay(struct app *a, const char *arg);
static void cmd_set(struct app *a, const char *arg);
static void cmd_help(struct app *a, const char *arg);
static void cmd_quit(struct app *a, const char *arg);

const struct command_def command_table[] = {
	{ "goto", "ADDR|NAME", "show the pages at ADDR (hex) or the VMA named NAME in the open process", CMPL_VMA, cmd_goto },
	{ "pid", "N", "open process N", CMPL_PID, cmd_pid },
	{ "translate", "ADDR", "virtual -> physical address in the open process, with the reason when there is none", CMPL_VMA, cmd_translate },
	{ "kernel", "[ADDR]", "the kernel's virtual layout, at the range holding ADDR", CMPL_NONE, cmd_kernel },
	{ "phys", "[ADDR]", "the physical map, at the range holding physical ADDR", CMPL_NONE, cmd_phys },
	{ "decode", "TEXT", "decode page-table entries pasted from a kernel message (PGD ... PTE ..., *pgd=..., pgd=...)", CMPL_NONE, cmd_decode },
	{ "filter", "TEXT", "show only rows containing TEXT (empty: all)", CMPL_NONE, cmd_filter },
	{ "theme", "NAME", "switch colour theme", CMPL_THEME, cmd_theme },
	{ "delay", "SECONDS", "refresh interval (0.1 - 3600)", CMPL_NONE, cmd_delay },
	{ "set", "[KEY [VALUE]|save]", "show the settings (theme, delay, sort, columns, ascii), change one for this session, or save them all to the settings file", CMPL_SETTING, cmd_set },
	{ "help", "", "the key and command help", CMPL_NONE, cmd_help },
	{ "quit", "", "leave vmscope", CMPL_NONE, cmd_quit },
	{ NULL, NULL, NULL, 0, NULL },
};

const struct command_def *commands_find(const char *w, bool *ambiguous)
{
	const struct command_def *c, *found = NULL;
	size_t l = strlen(w);

	*ambiguous = false;
	if (strcmp(w, "q") == 0)
		w = "quit";
	for (c = command_table; c->name; c++)
		if (strcmp(c->name, w) == 0)
			return c;
	for (c = command_table; c->name; c++)
		if (l && strncmp(c->name, w, l) == 0) {
			if (found)
				*ambiguous = true;
			found = c;
		}
	return *ambiguous ? NULL : found;
}

/* Split a line into its command word and its argument (blanks trimmed
 * at both ends). */
static void split_line(const char *line, char *word, size_t wn, char *arg,
		       size_t an)
{
	const char *p = line, *rest;
	size_t wl, al;

	while (*p == ' ' || *p == '\t' || *p == ':')
		p++;
	wl = strcspn(p, " \t");
	if (wl >= wn)
		wl = wn - 1;
	memcpy(word, p, wl);
	word[wl] = '\0';
	rest = p + strcspn(p, " \t");
	while (*rest == ' ' || *rest == '\t')
		rest++;
	snprintf(arg, an, "%s", rest);
	al = strlen(arg);
	while (al && (arg[al - 1] == ' ' || arg[al - 1] == '\t'))
		arg[--al] = '\0';
}

void commands_run(struct app *a, const char *line)
{
	char word[32], arg[512];
	const struct command_def *c;
	bool amb;

	split_line(line, word, sizeof word, arg, sizeof arg);
	if (!word[0])
		return;
	c = commands_find(word, &amb);
	if (!c) {
		char esc[64];

		escape_text(esc, sizeof esc, word, strlen(word));
		app_message(a, EL_ERROR, amb ? "ambiguous command ':%s' (Tab completes)"
					     : "unknown command ':%s' (:help lists them)",
			    esc);
		return;
	}
	c->run(a, arg);
}

/* ---- the handlers ---- */

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

/* The address :goto or :translate names in the open process; false
 * with a message when there is none. */
static bool process_addr(struct app *a, const char *cmd, const char *arg,
			 uint64_t *addr)
{
	if (!a->pv_open) {
		app_message(a, EL_ERROR,
			    "no process open: :pid N or Enter on a process first");
		return false;
	}
	if (!*arg) {
		app_message(a, EL_ERROR, ":%s needs an address (hex) or a VMA name",
			    cmd);
		return false;
	}
	if (!resolve_addr(a, arg, addr)) {
		char esc[128];

		escape_text(esc, sizeof esc, arg, strlen(arg));
		app_message(a, EL_ERROR,
			    "'%s' is neither a hex address nor the name of a VMA of process %d",
			    esc, a->pv.pid);
		return false;
	}
	return true;
}

static void cmd_translate(struct app *a, const char *arg)
{
	struct screen *s = app_top(a);
	struct pages_ctx *pc;
	struct translation t;
	struct vms_err e;
	uint64_t addr;

	if (!process_addr(a, "translate", arg, &addr))
		return;
	if (!(pc = procview_pages(&a->pv, &e)) ||
	    physaddr_translate(pc, &a->pv.vmas, addr, &t, &e) < 0) {
		app_handle_error(a, s, &e);
		return;
	}
	if (t.result == XLATE_OK)
		app_message(a, EL_MESSAGE, "0x%llx -> physical 0x%llx: %s",
			    (unsigned long long)addr,
			    (unsigned long long)t.phys, t.reason);
	else
		app_message(a, t.result == XLATE_NOT_MAPPED ? EL_ERROR : EL_WARN,
			    "0x%llx: %s: %s", (unsigned long long)addr,
			    xlate_result_name(t.result), t.reason);
	if (t.result == XLATE_NOT_MAPPED)
		return;
	if (app_top_named(a, "page detail"))
		app_pop(a);
	app_open_detail(a, addr);
}

static void cmd_goto(struct app *a, const char *arg)
{
	struct screen *s = app_top(a);
	const struct vma_list *l = &a->pv.vmas;
	uint64_t addr;

	if (!process_addr(a, "goto", arg, &addr))
		return;
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
	app_open_vmas_at(a, addr);
	app_open_pages(a, addr, a->prefer_map);
	s = app_top(a);
	if (s && s->ops->goto_addr)
		s->ops->goto_addr(s, a, addr);
}

static void cmd_pid(struct app *a, const char *arg)
{
	char *end;
	long pid = strtol(arg, &end, 10);
	struct vms_err e;

	if (!*arg || *end || pid <= 0 || pid > 0x7fffffff) {
		app_message(a, EL_ERROR, ":pid needs a process ID");
		return;
	}
	if (app_open_process(a, (int)pid, NULL, &e) < 0)
		app_message(a, EL_ERROR, "%s", e.msg);
}

static void cmd_filter(struct app *a, const char *arg)
{
	struct screen *s = app_top(a);

	if (s && s->ops->filter) {
		s->ops->filter(s, a, arg);
		s->dirty = true;
		a->need_draw = true;
	} else {
		app_message(a, EL_ERROR,
			    "this screen has no filter (processes and VMAs do)");
	}
}

static void cmd_theme(struct app *a, const char *arg)
{
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
}

/* The optional hex address of :kernel and :phys; false with a message
 * when it is not one. */
static bool optional_addr(struct app *a, const char *cmd, const char *arg,
			  uint64_t *addr)
{
	char esc[128];

	*addr = 0;
	if (!*arg || parse_addr(arg, addr))
		return true;
	escape_text(esc, sizeof esc, arg, strlen(arg));
	app_message(a, EL_ERROR, ":%s takes a hex address, not '%s'", cmd, esc);
	return false;
}

static void cmd_kernel(struct app *a, const char *arg)
{
	uint64_t addr;

	if (optional_addr(a, "kernel", arg, &addr))
		app_open_kernel(a, *arg != '\0', addr);
}

static void cmd_phys(struct app *a, const char *arg)
{
	uint64_t addr;

	if (optional_addr(a, "phys", arg, &addr))
		app_open_phys(a, *arg != '\0', addr);
}

static void cmd_decode(struct app *a, const char *arg)
{
	struct vms_err e;
	struct screen *s;

	if (!*arg) {
		app_message(a, EL_ERROR,
			    ":decode needs the kernel's lines or entry values (paste them after :decode)");
		return;
	}
	if (app_top_named(a, "decode"))
		app_pop(a);
	if (!(s = screen_decode_new(a, arg, &e))) {
		app_message(a, EL_ERROR, "%s", e.msg);
		return;
	}
	app_push(a, s);
}

static void cmd_delay(struct app *a, const char *arg)
{
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

static void cmd_set(struct app *a, const char *arg)
{
	settings_command(a, arg);
}

static void cmd_help(struct app *a, const char *arg)
{
	(void)arg;
	app_open_help(a);
}

static void cmd_quit(struct app *a, const char *arg)
{
	(void)arg;
	a->quit = true;
}

/* ---- completion ---- */

/* PIDs beginning with text, with their process names in *desc. */
static char **complete_pids(struct app *a, const char *text, char ***desc)
{
	size_t i, n = 0, tl = strlen(text);
	struct proc_list pl = { 0 };
	char **out = NULL, **d = NULL;
	struct procs *p;

	if (procs_open(a->root, &p, NULL) < 0)
		return calloc(1, sizeof *out);
	if (procs_read(p, &pl, NULL) == 0) {
		out = calloc(pl.n + 1, sizeof *out);
		d = calloc(pl.n + 1, sizeof *d);
	}
	for (i = 0; out && d && i < pl.n && n < 4000; i++) {
		char num[16], esc[128];

		if (pl.rows[i].kthread)
			continue;
		snprintf(num, sizeof num, "%d", pl.rows[i].pid);
		if (strncmp(num, text, tl) != 0)
			continue;
		escape_text(esc, sizeof esc, pl.rows[i].comm,
			    strlen(pl.rows[i].comm));
		out[n] = strdup(num);
		d[n] = strdup(esc);
		if (out[n] && d[n])
			n++;
		else
			free(out[n]), free(d[n]);
	}
	procs_list_free(&pl);
	procs_close(p);
	if (!out)
		out = calloc(1, sizeof *out);
	if (desc)
		*desc = d;
	else if (d) {
		for (i = 0; i < n; i++)
			free(d[i]);
		free(d);
	}
	return out;
}

char **commands_complete(struct app *a, int kind, const char *text,
			 char ***desc)
{
	size_t n = 0, cap = 16, tl = strlen(text);
	char **out;

	if (desc)
		*desc = NULL;
	if (kind == CMPL_PID)
		return complete_pids(a, text, desc);
	out = malloc(cap * sizeof *out);
	if (!out)
		return NULL;
	if (kind == CMPL_SETTING) {
		free(out);
		return settings_complete(text);
	}
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

