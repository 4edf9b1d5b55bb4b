/* SPDX-License-Identifier: GPL-3.0-or-later */
/* commands: the ":" commands, one row each of one table with its
 * handler, usage and help; the command line runs a line through it, Tab
 * completes from it, the help screen lists it. */
#ifndef VMSCOPE_COMMANDS_H
#define VMSCOPE_COMMANDS_H

#include <stdbool.h>

struct app;

/* What the first argument of a command completes to. */
enum { CMPL_NONE, CMPL_THEME, CMPL_PID, CMPL_VMA, CMPL_SETTING };

struct command_def {
	const char *name;
	const char *args;     /* "ADDR", "" */
	const char *help;
	int complete;         /* CMPL_* for the first argument */
	/* arg: the rest of the line, blanks trimmed at both ends */
	void (*run)(struct app *a, const char *arg);
};
extern const struct command_def command_table[]; /* ends with name NULL */

/* The command named word, or the only one it begins (":q" is quit);
 * NULL when none or, with *ambiguous set, several. */
const struct command_def *commands_find(const char *word, bool *ambiguous);
/* Run a ":" command line. */
void commands_run(struct app *a, const char *line);
/* Candidates for the first argument (kind: CMPL_*) beginning with text:
 * malloc'd NULL-terminated array of malloc'd strings.  *desc (desc may
 * be NULL) gets what each one is, where that says more than the
 * candidate (a PID's process name, escaped), or NULL. */
char **commands_complete(struct app *a, int kind, const char *text,
			 char ***desc);

#endif
