/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config: the explorer's settings file, $XDG_CONFIG_HOME/vmscope/config
 * (~/.config/vmscope/config): "KEY = VALUE" lines for theme, delay,
 * sort, columns, ascii, mouse and only_mine.  Parsing is pure (config.c) and never fails
 * as a whole: a bad line is a warning and the rest still counts.
 * Reading and the atomic save are config_file.c's. */
#ifndef VMSCOPE_CONFIG_H
#define VMSCOPE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "vmscope/err.h"

enum config_key {
	CONFIG_THEME, CONFIG_DELAY, CONFIG_SORT, CONFIG_COLUMNS, CONFIG_ASCII,
	CONFIG_MOUSE, CONFIG_ONLY_MINE,
	CONFIG__KEYS
};

/* The process list's columns, for sort and columns. */
enum config_col {
	CONFIG_COL_PID, CONFIG_COL_USER, CONFIG_COL_RSS, CONFIG_COL_VSZ,
	CONFIG_COL_COMMAND, CONFIG__COLS
};
#define CONFIG_COLS_ALL ((1u << CONFIG__COLS) - 1)
/* always shown, whatever columns says */
#define CONFIG_COLS_FIXED (1u << CONFIG_COL_PID | 1u << CONFIG_COL_COMMAND)

#define CONFIG_THEME_MAX 256
#define CONFIG_FILE_MAX 65536 /* bytes of a settings file read */

struct config {
	unsigned given;               /* bit 1 << key: the file or :set said it */
	char theme[CONFIG_THEME_MAX]; /* a theme NAME, or a path with '/' */
	double delay;                 /* refresh interval, 0.1 - 3600 s */
	int sort;                     /* enum config_col */
	bool sort_reverse;            /* the other way than the column's own */
	unsigned columns;             /* bits 1 << enum config_col */
	bool ascii;                   /* ASCII line drawing */
	bool mouse;                   /* clicks and the wheel (off: the
	                               * terminal's own selection) */
	bool only_mine;               /* the process list: only the
	                               * reader's own processes */
};

/* The settings vmscope has when nothing says otherwise: theme default,
 * delay 1, sort rss, every column, ascii no, mouse yes, only_mine no;
 * given 0. */
void config_defaults(struct config *c);

const char *config_key_name(enum config_key k);
/* The key named name (case does not matter), or -1. */
int config_key_find(const char *name);
/* "pid", "user", "rss", "vsz", "command". */
const char *config_col_name(enum config_col col);
int config_col_find(const char *name);

/* Set key name to value (both as typed; value with blanks trimmed).
 * 0, or -1 with why (for the user, no key name, no newline) and c
 * unchanged. */
int config_set(struct config *c, const char *name, const char *value,
	       char *why, size_t whyn);

/* A line the parser could not use: its number (from 1), the key as
 * written (may be empty) and why it was left out. */
typedef void config_warn_fn(void *ctx, unsigned line, const char *key,
			    const char *why);
/* Apply the settings in text[0 .. len) onto c; each line it cannot use
 * goes to warn (may be NULL).  Blank lines and lines starting with '#'
 * are skipped.  Returns the number of warnings. */
unsigned config_parse(struct config *c, const char *text, size_t len,
		      config_warn_fn *warn, void *ctx);

/* Key k's value as the file writes it ("rss reverse", "pid,rss,command"). */
void config_value(const struct config *c, enum config_key k, char *buf,
		  size_t n);
/* The whole file for c: a comment, then every key.  Returns the length
 * it needed (snprintf's rule: it fits when less than n). */
size_t config_format(const struct config *c, char *buf, size_t n);

/* ---- the file (config_file.c) ---- */

/* $XDG_CONFIG_HOME/vmscope/config (an absolute XDG_CONFIG_HOME), else
 * $HOME/.config/vmscope/config.  -1 with e when neither is set. */
int config_path(char *buf, size_t n, struct vms_err *e);
/* Read path onto c through config_parse.  0 (and *found false when
 * there is no file), or -1 with e when it exists but cannot be read (not
 * a regular file, no permission); a file longer than CONFIG_FILE_MAX is
 * read that far, with a warning at line 0. */
int config_load(struct config *c, const char *path, bool *found,
		config_warn_fn *warn, void *ctx, struct vms_err *e);
/* Write c to path atomically: a new file (0644) in path's directory,
 * renamed over path.  Missing directories are made (0755).  Refused with
 * e, writing nothing: a path that is a symbolic link or not a regular
 * file (never replaced, never written through), and a directory owned by
 * another user (a sudo'ed vmscope with the user's HOME). */
int config_save(const struct config *c, const char *path,
		struct vms_err *e);

#endif
