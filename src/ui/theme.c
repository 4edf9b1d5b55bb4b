/* SPDX-License-Identifier: GPL-3.0-or-later */
/* theme: colour themes as small text files naming semantic elements
 * ("page.anon = black green"), loaded from the user's config, the source
 * tree or the installed data directory; default and mono are built in so
 * the program always starts. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/datadir.h"
#include "vmscope/escape.h"
#include "theme.h"

static const char *const elem_names[EL__COUNT] = {
	[EL_NORMAL] = "normal", [EL_TITLE] = "title", [EL_HEADER] = "header",
	[EL_SELECTED] = "selected", [EL_STATUS] = "status",
	[EL_INFO] = "info", [EL_MESSAGE] = "message", [EL_ERROR] = "error",
	[EL_CHANGED] = "changed", [EL_DIM] = "dim", [EL_KEY] = "key",
	[EL_CMDLINE] = "cmdline", [EL_BORDER] = "border", [EL_WARN] = "warn",
	[EL_VMA_ANON] = "vma.anon", [EL_VMA_FILE] = "vma.file",
	[EL_VMA_STACK] = "vma.stack", [EL_VMA_SPECIAL] = "vma.special",
	[EL_VMA_GUARD] = "vma.guard", [EL_VMA_GAP] = "vma.gap",
	[EL_VMA_HOLE] = "vma.hole",
	[EL_PAGE_NOT_PRESENT] = "page.not_present",
	[EL_PAGE_ANON] = "page.anon", [EL_PAGE_FILE] = "page.file",
	[EL_PAGE_THP] = "page.thp", [EL_PAGE_HUGETLB] = "page.hugetlb",
	[EL_PAGE_ZERO] = "page.zero", [EL_PAGE_KSM] = "page.ksm",
	[EL_PAGE_SWAPPED] = "page.swapped", [EL_PAGE_PRESENT] = "page.present",
	[EL_PAGE_GAP] = "page.gap", [EL_PAGE_HOLE] = "page.hole",
};

/* themes/default.theme and themes/mono.theme, for when no file is found */
static const char builtin_default[] =
	"normal = default default\n"
	"title = bright-white blue bold\n"
	"header = black cyan\n"
	"selected = black yellow\n"
	"status = black white\n"
	"info = cyan default\n"
	"message = bright-green default bold\n"
	"error = bright-white red bold\n"
	"changed = bright-yellow default bold\n"
	"dim = bright-black default\n"
	"key = yellow default bold\n"
	"cmdline = default default\n"
	"border = blue default\n"
	"warn = bright-yellow default bold\n"
	"vma.anon = default default\n"
	"vma.file = cyan default\n"
	"vma.stack = green default\n"
	"vma.special = magenta default\n"
	"vma.guard = bright-black default\n"
	"vma.gap = bright-white magenta bold\n"
	"vma.hole = blue default\n"
	"page.not_present = bright-black default\n"
	"page.anon = black green\n"
	"page.file = black cyan\n"
	"page.thp = black yellow\n"
	"page.hugetlb = bright-white blue\n"
	"page.zero = black white\n"
	"page.ksm = black bright-blue\n"
	"page.swapped = bright-white red\n"
	"page.present = black green\n"
	"page.gap = bright-white magenta bold\n"
	"page.hole = blue default\n";

static const char builtin_mono[] =
	"normal = default default\n"
	"title = default default reverse bold\n"
	"header = default default underline\n"
	"selected = default default reverse\n"
	"status = default default reverse\n"
	"info = default default\n"
	"message = default default bold\n"
	"error = default default bold reverse\n"
	"changed = default default bold underline\n"
	"dim = default default dim\n"
	"key = default default bold\n"
	"cmdline = default default\n"
	"border = default default\n"
	"warn = default default bold\n"
	"vma.anon = default default\n"
	"vma.file = default default\n"
	"vma.stack = default default\n"
	"vma.special = default default\n"
	"vma.guard = default default dim\n"
	"vma.gap = default default bold underline\n"
	"vma.hole = default default dim\n"
	"page.not_present = default default dim\n"
	"page.anon = default default\n"
	"page.file = default default\n"
	"page.thp = default default bold\n"
	"page.hugetlb = default default bold\n"
	"page.zero = default default\n"
	"page.ksm = default default\n"
	"page.swapped = default default underline\n"
	"page.present = default default\n"
	"page.gap = default default bold\n"
	"page.hole = default default dim\n";

const char *theme_elem_name(enum elem el)
{
	return (unsigned)el < EL__COUNT ? elem_names[el] : "?";
}

bool theme_color_allowed(void)
{
	const char *nc = getenv("NO_COLOR");

	return !(nc && *nc);
}

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

/* -1 default, 0-255 a colour, -2 not a colour word. */
static int parse_color(const char *w)
{
	char *end;
	long n;
	unsigned i;
	bool bright = false;

	if (strcmp(w, "default") == 0)
		return -1;
	if (strncmp(w, "bright-", 7) == 0) {
		bright = true;
		w += 7;
	}
	if (strcmp(w, "grey") == 0 || strcmp(w, "gray") == 0)
		return 8;
	for (i = 0; i < 8; i++)
		if (strcmp(w, color_names[i]) == 0)
			return (int)i + (bright ? 8 : 0);
	if (bright)
		return -2;
	if (strncmp(w, "color", 5) == 0)
		w += 5;
	n = strtol(w, &end, 10);
	if (*w && !*end && n >= 0 && n <= 255)
		return (int)n;
	return -2;
}

static attr_t parse_attr(const char *w, bool *ok)
{
	*ok = true;
	if (strcmp(w, "bold") == 0)
		return A_BOLD;
	if (strcmp(w, "dim") == 0)
		return A_DIM;
	if (strcmp(w, "reverse") == 0)
		return A_REVERSE;
	if (strcmp(w, "underline") == 0)
		return A_UNDERLINE;
	if (strcmp(w, "standout") == 0)
		return A_STANDOUT;
#ifdef A_ITALIC
	if (strcmp(w, "italic") == 0)
		return A_ITALIC;
#endif
	if (strcmp(w, "normal") == 0)
		return A_NORMAL;
	*ok = false;
	return 0;
}

/* A colour the terminal has: bright ones fold onto the 8 basic colours
 * (the foreground made bold) on 8-colour terminals. */
static int default_colors = -1; /* use_default_colors() worked */

static int fit_color(int c, bool fg, attr_t *extra)
{
	if (default_colors < 0)
		default_colors = use_default_colors() == OK;
	if (c < 0 && !default_colors)
		return fg ? COLOR_WHITE : COLOR_BLACK;
	if (c < 0 || c < COLORS)
		return c;
	if (c >= 8 && c < 16) {
		if (fg)
			*extra |= A_BOLD;
		return c - 8;
	}
	return c % 8;
}

/* The colours and attributes of element el (line lineno: val) onto t. */
static int parse_value(struct theme *t, int el, char *val, unsigned lineno,
		       struct vms_err *e)
{
	int fg = -1, bg = -1, ncolors = 0;
	attr_t at = 0, extra = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(val, " \t,", &save); tok;
	     tok = strtok_r(NULL, " \t,", &save)) {
		int c = parse_color(tok);
		bool ok;

		if (c != -2) {
			if (ncolors == 0)
				fg = c;
			else if (ncolors == 1)
				bg = c;
			else {
				err_set(e, VMS_EFORMAT,
					"theme %s line %u: more than two colours",
					t->name, lineno);
				return -1;
			}
			ncolors++;
			continue;
		}
		at |= parse_attr(tok, &ok);
		if (!ok) {
			char shown[96];

			escape_text(shown, sizeof shown, tok, strlen(tok));
			err_set(e, VMS_EFORMAT,
				"theme %s line %u: '%s' is neither a colour nor an attribute",
				t->name, lineno, shown);
			return -1;
		}
	}
	if (t->color) {
		bool any = fg != -1 || bg != -1;

		fg = fit_color(fg, true, &extra);
		bg = fit_color(bg, false, &extra);
		init_pair((short)(el + 1), (short)fg, (short)bg);
		at |= COLOR_PAIR(el + 1) | (any ? extra : 0);
	}
	t->attr[el] = at;
	return 0;
}

int theme_parse(struct theme *t, const char *text, struct vms_err *e)
{
	const char *p = text;
	unsigned lineno = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[256], *key, *eq;
		int el;

		lineno++;
		if (len >= sizeof line)
			len = sizeof line - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		p = nl ? nl + 1 : p + strlen(p);
		key = line;
		while (isspace((unsigned char)*key))
			key++;
		if (!*key || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			err_set(e, VMS_EFORMAT,
				"theme %s line %u: expected ELEMENT = COLOURS",
				t->name, lineno);
			return -1;
		}
		*eq = '\0';
		for (el = (int)strlen(key); el > 0 && isspace((unsigned char)key[el - 1]); el--)
			key[el - 1] = '\0';
		for (el = 0; el < EL__COUNT; el++)
			if (strcmp(key, elem_names[el]) == 0)
				break;
		if (el == EL__COUNT) {
			char shown[96];

			if (strcmp(key, "name") == 0 ||
			    strcmp(key, "description") == 0)
				continue;
			escape_text(shown, sizeof shown, key, strlen(key));
			err_set(e, VMS_EFORMAT,
				"theme %s line %u: unknown element '%s'",
				t->name, lineno, shown);
			return -1;
		}
		if (parse_value(t, el, eq + 1, lineno, e) < 0)
			return -1;
	}
	return 0;
}

static bool name_ok(const char *name)
{
	const char *s;

	if (!*name || strlen(name) > 48)
		return false;
	for (s = name; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' &&
		    *s != '.')
			return false;
	return name[0] != '.';
}

/* Theme directories, most specific first: $VMSCOPE_THEME_DIR, the user's
 * config, then vmscope's data (datadir_paths); returns the count. */
int theme_dirs(char dirs[][PATH_MAX], int max)
{
	char data[DATADIR_MAX_PATHS][PATH_MAX];
	const char *env = getenv("VMSCOPE_THEME_DIR");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	size_t nd = datadir_paths("themes", VMSCOPE_DATADIR, data), i;
	int n = 0;

	if (env && *env && n < max)
		snprintf(dirs[n++], PATH_MAX, "%s", env);
	if (xdg && *xdg == '/' && n < max)
		snprintf(dirs[n++], PATH_MAX, "%s/vmscope/themes", xdg);
	else if (home && *home && n < max)
		snprintf(dirs[n++], PATH_MAX, "%s/.config/vmscope/themes", home);
	for (i = 0; i < nd && n < max; i++)
		memcpy(dirs[n++], data[i], PATH_MAX);
	return n;
}

char *theme_names_text(void)
{
	char **l = theme_list();
	size_t len = 1, i;
	char *out;

	for (i = 0; l && l[i]; i++)
		len += strlen(l[i]) + 2;
	out = malloc(len);
	if (out) {
		out[0] = '\0';
		for (i = 0; l && l[i]; i++) {
			if (i)
				strcat(out, ", ");
			strcat(out, l[i]);
		}
	}
	theme_list_free(l);
	return out;
}

/* "no theme NAME", with where it was looked for (each directory once,
 * as realpath gives it where it exists) and what was found. */
static void no_such_theme(const char *name, char dirs[][PATH_MAX], int nd,
			  struct vms_err *e)
{
	char where[512] = "", real[PATH_MAX], *found = theme_names_text();
	size_t wl = 0;
	int i;

	for (i = 0; i < nd; i++) {
		const char *d = realpath(dirs[i], real) ? real : dirs[i];
		int j, dup = 0;

		for (j = 0; j < i; j++) {
			char rj[PATH_MAX];

			dup |= strcmp(realpath(dirs[j], rj) ? rj : dirs[j], d) == 0;
		}
		if (!dup && wl < sizeof where) {
			char *shown = escape_dup(d);

			wl += (size_t)snprintf(where + wl, sizeof where - wl,
					       "%s%s", wl ? ", " : "",
					       shown ? shown : "?");
			free(shown);
		}
	}
	err_set(e, ENOENT,
		"no theme '%s' (NAME.theme looked for in %s); themes found: %s",
		name, wl ? where : "no directory", found ? found : "default, mono");
	free(found);
}

/* What a path that is not a regular file is, for the message. */
static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO"
	       : S_ISCHR(m) ? "a character device"
	       : S_ISBLK(m) ? "a block device"
	       : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

#define THEME_FILE_MAX 65535

/* The text of theme file path (malloc'd), or NULL with e set.  Opened
 * without blocking (a FIFO would wait for a writer forever) and refused
 * unless it is a regular text file of at most THEME_FILE_MAX bytes.  A
 * missing file (or directory) sets *missing, when given, and e. */
static char *read_theme_file(const char *path, bool *missing,
			     struct vms_err *e)
{
	char shown[PATH_MAX], *buf = NULL;
	struct stat st;
	size_t n = 0;
	ssize_t got = 1;
	int fd;

	escape_text(shown, sizeof shown, path, strlen(path));
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (missing)
			*missing = errno == ENOENT || errno == ENOTDIR;
		err_sys(e, errno, "theme file %s", shown);
		return NULL;
	}
	if (fstat(fd, &st) < 0)
		err_sys(e, errno, "theme file %s", shown);
	else if (!S_ISREG(st.st_mode))
		err_set(e, EINVAL, "theme file %s is %s, not a theme file",
			shown, file_kind(st.st_mode));
	else if (st.st_size > THEME_FILE_MAX)
		err_set(e, EFBIG, "theme file %s is %lld bytes: a theme file holds at most %d",
			shown, (long long)st.st_size, THEME_FILE_MAX);
	else if (!(buf = malloc(THEME_FILE_MAX + 1)))
		err_sys(e, ENOMEM, "theme file %s", shown);
	while (buf && n < THEME_FILE_MAX && got > 0) {
		got = read(fd, buf + n, THEME_FILE_MAX - n);
		if (got < 0 && errno == EINTR)
			got = 1;
		else if (got > 0)
			n += (size_t)got;
	}
	close(fd);
	if (buf && got < 0)
		err_sys(e, errno, "theme file %s", shown);
	else if (buf && memchr(buf, '\0', n))
		err_set(e, VMS_EFORMAT, "theme file %s holds NUL bytes: it is not a text file",
			shown);
	else if (buf) {
		buf[n] = '\0';
		return buf;
	}
	free(buf);
	return NULL;
}

/* Theme name (no '/') from the theme directories into *text, or the
 * built-in one into *builtin; -1 with e set when there is none, or when
 * a NAME.theme found is not one (a FIFO, a directory, unreadable). */
static int load_named(const char *name, char **text, const char **builtin,
		      struct vms_err *e)
{
	char dirs[THEME_DIRS_MAX][PATH_MAX], path[PATH_MAX + 80];
	char *shown;
	int nd, i;

	if (!name_ok(name)) {
		shown = escape_dup(name);
		err_set(e, EINVAL,
			"theme name '%s': use letters, digits, '-', '_' (or a path with '/')",
			shown ? shown : "?");
		free(shown);
		return -1;
	}
	nd = theme_dirs(dirs, THEME_DIRS_MAX);
	for (i = 0; i < nd; i++) {
		bool missing = false;

		snprintf(path, sizeof path, "%s/%s.theme", dirs[i], name);
		*text = read_theme_file(path, &missing, e);
		if (*text)
			return 0;
		if (!missing)
			return -1;
	}
	if (strcmp(name, "default") == 0)
		*builtin = builtin_default;
	else if (strcmp(name, "mono") == 0)
		*builtin = builtin_mono;
	else {
		no_such_theme(name, dirs, nd, e);
		return -1;
	}
	return 0;
}

int theme_load(struct theme *t, const char *name, struct vms_err *e)
{
	struct theme nt;
	char *text = NULL;
	const char *builtin = NULL;
	bool color = has_colors() && theme_color_allowed() && COLORS > 0;

	if (!name || !*name)
		name = color ? "default" : "mono";
	if (!color)
		name = strchr(name, '/') ? name : "mono";
	memset(&nt, 0, sizeof nt);
	if (strchr(name, '/')) {
		if (!(text = read_theme_file(name, NULL, e)))
			return -1;
	} else if (load_named(name, &text, &builtin, e) < 0) {
		return -1;
	}
	/* the name is shown in messages: escaped (a path may say anything) */
	escape_text(nt.name, sizeof nt.name, name, strlen(name));
	nt.color = color;
	/* elements a file leaves out keep the built-in default's look */
	if (color && theme_parse(&nt, builtin_default, e) < 0) {
		free(text);
		return -1;
	}
	if (theme_parse(&nt, builtin ? builtin : text, e) < 0) {
		free(text);
		return -1;
	}
	free(text);
	*t = nt;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **theme_list(void)
{
	char dirs[THEME_DIRS_MAX][PATH_MAX];
	int nd = theme_dirs(dirs, THEME_DIRS_MAX), i;
	size_t n = 0, cap = 8, j;
	char **l = malloc(cap * sizeof *l);

	if (!l)
		return NULL;
	l[n++] = strdup("default");
	l[n++] = strdup("mono");
	for (i = 0; i < nd; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;

		if (!d)
			continue;
		while ((de = readdir(d))) {
			size_t len = strlen(de->d_name);
			bool dup = false;
			struct stat st;

			if (len < 7 || strcmp(de->d_name + len - 6, ".theme") ||
			    fstatat(dirfd(d), de->d_name, &st, 0) < 0 ||
			    !S_ISREG(st.st_mode))
				continue;
			de->d_name[len - 6] = '\0';
			if (!name_ok(de->d_name))
				continue;
			for (j = 0; j < n; j++)
				if (l[j] && strcmp(l[j], de->d_name) == 0)
					dup = true;
			if (dup)
				continue;
			if (n + 2 > cap) {
				char **nl = realloc(l, cap * 2 * sizeof *l);

				if (!nl)
					break;
				l = nl;
				cap *= 2;
			}
			l[n++] = strdup(de->d_name);
		}
		closedir(d);
	}
	/* drop failed strdups */
	for (i = 0, j = 0; (size_t)i < n; i++)
		if (l[i])
			l[j++] = l[i];
	n = j;
	qsort(l, n, sizeof *l, cmp_str);
	l[n] = NULL;
	return l;
}

void theme_list_free(char **l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; l[i]; i++)
		free(l[i]);
	free(l);
}
