/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config: the settings file's text, parsed and written; no I/O. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "vmscope/config.h"

#define LINE_MAX_LEN 1024

static const char *const key_names[CONFIG__KEYS] = {
	[CONFIG_THEME] = "theme", [CONFIG_DELAY] = "delay",
	[CONFIG_SORT] = "sort", [CONFIG_COLUMNS] = "columns",
	[CONFIG_ASCII] = "ascii", [CONFIG_MOUSE] = "mouse",
	[CONFIG_ONLY_MINE] = "only_mine",
};

static const char *const col_names[CONFIG__COLS] = {
	[CONFIG_COL_PID] = "pid", [CONFIG_COL_USER] = "user",
	[CONFIG_COL_RSS] = "rss", [CONFIG_COL_VSZ] = "vsz",
	[CONFIG_COL_COMMAND] = "command",
};

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->theme, sizeof c->theme, "default");
	c->delay = 1.0;
	c->sort = CONFIG_COL_RSS;
	c->columns = CONFIG_COLS_ALL;
	c->mouse = true;
}

const char *config_key_name(enum config_key k)
{
	return (unsigned)k < CONFIG__KEYS ? key_names[k] : "?";
}

int config_key_find(const char *name)
{
	int k;

	for (k = 0; k < CONFIG__KEYS; k++)
		if (strcasecmp(name, key_names[k]) == 0)
			return k;
	return -1;
}

const char *config_col_name(enum config_col col)
{
	return (unsigned)col < CONFIG__COLS ? col_names[col] : "?";
}

int config_col_find(const char *name)
{
	int i;

	if (strcasecmp(name, "cmd") == 0)
		return CONFIG_COL_COMMAND;
	for (i = 0; i < CONFIG__COLS; i++)
		if (strcasecmp(name, col_names[i]) == 0)
			return i;
	return -1;
}

/* A theme NAME (letters, digits, '-', '_', '.'; not starting with '.')
 * or a path with '/'; printable ASCII either way. */
static bool theme_ok(const char *v, char *why, size_t n)
{
	const char *s;

	if (!*v || strlen(v) >= CONFIG_THEME_MAX) {
		snprintf(why, n, "give a theme name (or a file path with '/')");
		return false;
	}
	for (s = v; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f ||
		    (!strchr(v, '/') && !isalnum((unsigned char)*s) &&
		     !strchr("-_.", *s))) {
			snprintf(why, n, "a theme name has letters, digits, '-', '_' and '.' (a file path has '/')");
			return false;
		}
	if (v[0] == '.' && !strchr(v, '/')) {
		snprintf(why, n, "a theme name does not start with '.'");
		return false;
	}
	return true;
}

static bool parse_bool(const char *v, bool *b)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *b = true, true;
		if (strcasecmp(v, no[i]) == 0)
			return *b = false, true;
	}
	return false;
}

/* "COLUMN" or "COLUMN reverse" */
static bool parse_sort(const char *v, int *col, bool *rev, char *why,
		       size_t n)
{
	char w[32], extra[32], more;
	int k = sscanf(v, "%31s %31s %c", w, extra, &more);

	*rev = false;
	if (k >= 1 && (*col = config_col_find(w)) >= 0 &&
	    (k == 1 || (k == 2 && (strcasecmp(extra, "reverse") == 0 ||
				   strcasecmp(extra, "rev") == 0)))) {
		*rev = k == 2;
		return true;
	}
	snprintf(why, n, "give pid, user, rss, vsz or command, then 'reverse' if wanted");
	return false;
}

/* Names separated by ',' or blanks; pid and command are always there. */
static bool parse_columns(const char *v, unsigned *cols, char *why, size_t n)
{
	unsigned set = CONFIG_COLS_FIXED;

	while (*v) {
		size_t l = strcspn(v, ", \t");
		char w[32];
		int col;

		if (l) {
			snprintf(w, sizeof w, "%.*s", (int)(l < 31 ? l : 31), v);
			col = l < 31 ? config_col_find(w) : -1;
			if (col < 0) {
				snprintf(why, n, "'%.*s' is not a column (pid, user, rss, vsz, command)",
					 (int)(l < 31 ? l : 31), v);
				return false;
			}
			set |= 1u << col;
		}
		v += l;
		v += strspn(v, ", \t");
	}
	*cols = set;
	return true;
}

static bool parse_delay(const char *v, double *d)
{
	char *end;

	if (!*v || !isdigit((unsigned char)*v))
		return false;
	*d = strtod(v, &end);
	return !*end && *d >= 0.1 && *d <= 3600;
}

int config_set(struct config *c, const char *name, const char *value,
	       char *why, size_t whyn)
{
	int k = config_key_find(name), col = 0;
	unsigned cols = 0;
	double d = 0;
	bool b = false;

	switch (k) {
	case CONFIG_THEME:
		if (!theme_ok(value, why, whyn))
			return -1;
		snprintf(c->theme, sizeof c->theme, "%s", value);
		break;
	case CONFIG_DELAY:
		if (!parse_delay(value, &d)) {
			snprintf(why, whyn, "give seconds between 0.1 and 3600");
			return -1;
		}
		/* to the millisecond, so the file writes it back exactly */
		c->delay = (double)(long long)(d * 1000 + 0.5) / 1000;
		break;
	case CONFIG_SORT:
		if (!parse_sort(value, &col, &b, why, whyn))
			return -1;
		c->sort = col;
		c->sort_reverse = b;
		break;
	case CONFIG_COLUMNS:
		if (!parse_columns(value, &cols, why, whyn))
			return -1;
		c->columns = cols;
		break;
	case CONFIG_ASCII:
	case CONFIG_MOUSE:
	case CONFIG_ONLY_MINE:
		if (!parse_bool(value, &b)) {
			snprintf(why, whyn, "give yes or no");
			return -1;
		}
		*(k == CONFIG_ASCII ? &c->ascii : k == CONFIG_MOUSE ? &c->mouse
		  : &c->only_mine) = b;
		break;
	default:
		snprintf(why, whyn, "unknown setting (known: theme delay sort columns ascii mouse only_mine)");
		return -1;
	}
	c->given |= 1u << k;
	return 0;
}

static void trim(char *s)
{
	size_t l = strlen(s), i = 0;

	while (l && isspace((unsigned char)s[l - 1]))
		s[--l] = '\0';
	while (isspace((unsigned char)s[i]))
		i++;
	memmove(s, s + i, l - i + 1);
}

/* One line (NUL-free, no newline) onto c. */
static bool parse_line(struct config *c, char *line, unsigned no,
		       config_warn_fn *warn, void *ctx)
{
	char why[160], *eq;

	trim(line);
	if (!*line || *line == '#')
		return true;
	eq = strchr(line, '=');
	if (!eq) {
		if (warn)
			warn(ctx, no, "", "expected KEY = VALUE");
		return false;
	}
	*eq = '\0';
	trim(line);
	trim(eq + 1);
	if (config_set(c, line, eq + 1, why, sizeof why) == 0)
		return true;
	if (warn)
		warn(ctx, no, line, why);
	return false;
}

unsigned config_parse(struct config *c, const char *text, size_t len,
		      config_warn_fn *warn, void *ctx)
{
	char line[LINE_MAX_LEN + 1];
	unsigned no = 0, bad = 0;
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - (text + i)) : len - i;

		no++;
		if (l > LINE_MAX_LEN || memchr(text + i, '\0', l)) {
			if (warn)
				warn(ctx, no, "", l > LINE_MAX_LEN
				     ? "line longer than 1024 bytes"
				     : "a NUL byte: not a text line");
			bad++;
		} else {
			memcpy(line, text + i, l);
			line[l] = '\0';
			bad += !parse_line(c, line, no, warn, ctx);
		}
		i += l + (nl != NULL);
	}
	return bad;
}

void config_value(const struct config *c, enum config_key k, char *buf,
		  size_t n)
{
	size_t l = 0;
	int i;

	if (!n)
		return;
	buf[0] = '\0';
	switch (k) {
	case CONFIG_THEME: snprintf(buf, n, "%s", c->theme); break;
	case CONFIG_DELAY: snprintf(buf, n, "%.10g", c->delay); break;
	case CONFIG_SORT:
		snprintf(buf, n, "%s%s", config_col_name((enum config_col)c->sort),
			 c->sort_reverse ? " reverse" : "");
		break;
	case CONFIG_COLUMNS:
		for (i = 0; i < CONFIG__COLS; i++)
			if ((c->columns | CONFIG_COLS_FIXED) & 1u << i && l < n)
				l += (size_t)snprintf(buf + l, n - l, "%s%s",
						      l ? "," : "", col_names[i]);
		break;
	case CONFIG_ASCII: snprintf(buf, n, "%s", c->ascii ? "yes" : "no"); break;
	case CONFIG_MOUSE: snprintf(buf, n, "%s", c->mouse ? "yes" : "no"); break;
	case CONFIG_ONLY_MINE:
		snprintf(buf, n, "%s", c->only_mine ? "yes" : "no");
		break;
	default: break;
	}
}

size_t config_format(const struct config *c, char *buf, size_t n)
{
	char v[CONFIG_THEME_MAX + 64];
	size_t l = 0;
	int k, w;

	w = snprintf(buf, n, "# vmscope settings, written by ':set save' (see vmscope(1), FILES).\n"
			     "# Command-line options win over these.\n");
	l = w > 0 ? (size_t)w : 0;
	for (k = 0; k < CONFIG__KEYS; k++) {
		config_value(c, (enum config_key)k, v, sizeof v);
		w = snprintf(l < n ? buf + l : NULL, l < n ? n - l : 0,
			     "%s = %s\n", key_names[k], v);
		l += w > 0 ? (size_t)w : 0;
	}
	return l;
}
