/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config: the settings file parsed line by line (a bad line is a
 * warning, never the end), written back, and saved atomically without
 * following a symbolic link. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "vmscope/config.h"

struct warns {
	unsigned n;
	unsigned line[8];
	char key[8][64];
	char why[8][200];
};

static void collect(void *ctx, unsigned line, const char *key, const char *why)
{
	struct warns *w = ctx;

	if (w->n < 8) {
		w->line[w->n] = line;
		snprintf(w->key[w->n], sizeof w->key[0], "%s", key);
		snprintf(w->why[w->n], sizeof w->why[0], "%s", why);
	}
	w->n++;
}

static unsigned parse(struct config *c, const char *text, struct warns *w)
{
	memset(w, 0, sizeof *w);
	config_defaults(c);
	return config_parse(c, text, strlen(text), collect, w);
}

static void test_defaults(void **state)
{
	struct config c;
	char v[64];

	(void)state;
	config_defaults(&c);
	assert_string_equal(c.theme, "default");
	assert_true(c.delay == 1.0);
	config_value(&c, CONFIG_SORT, v, sizeof v);
	assert_string_equal(v, "rss");
	config_value(&c, CONFIG_COLUMNS, v, sizeof v);
	assert_string_equal(v, "pid,user,rss,vsz,command");
	config_value(&c, CONFIG_ASCII, v, sizeof v);
	assert_string_equal(v, "no");
	config_value(&c, CONFIG_MOUSE, v, sizeof v);
	assert_string_equal(v, "yes");
	config_value(&c, CONFIG_ONLY_MINE, v, sizeof v);
	assert_string_equal(v, "no");
	assert_int_equal(c.given, 0);
}

static void test_every_key(void **state)
{
	struct config c;
	struct warns w;

	(void)state;
	assert_int_equal(parse(&c, "# mine\n\n  theme = high-contrast  \n"
				   "delay=0.5\nSORT = vsz reverse\n"
				   "columns = rss, vsz\nascii = yes\n"
				   "mouse = no\nonly_mine = yes\n", &w), 0);
	assert_string_equal(c.theme, "high-contrast");
	assert_true(c.delay == 0.5);
	assert_int_equal(c.sort, CONFIG_COL_VSZ);
	assert_true(c.sort_reverse);
	/* pid and command are always there */
	assert_int_equal(c.columns, 1u << CONFIG_COL_PID | 1u << CONFIG_COL_RSS |
				    1u << CONFIG_COL_VSZ | 1u << CONFIG_COL_COMMAND);
	assert_true(c.ascii);
	assert_false(c.mouse);
	assert_true(c.only_mine);
	assert_int_equal(c.given, (1u << CONFIG__KEYS) - 1);
}

static void test_bad_lines_are_warnings(void **state)
{
	struct config c;
	struct warns w;

	(void)state;
	assert_int_equal(parse(&c, "theme = light\n"
				   "colour = red\n"          /* 2: unknown key */
				   "delay = 0.01\n"          /* 3: out of range */
				   "delay = nan\n"           /* 4 */
				   "sort = size\n"           /* 5 */
				   "columns = pid,mem\n"     /* 6 */
				   "ascii = maybe\n"         /* 7 */
				   "just words\n"            /* 8: no '=' */
				   "theme = my theme\n"      /* 9: a blank in a name */
				   , &w), 8);
	assert_int_equal(w.line[0], 2);
	assert_string_equal(w.key[0], "colour");
	assert_non_null(strstr(w.why[0], "unknown setting"));
	assert_int_equal(w.line[1], 3);
	assert_string_equal(w.key[1], "delay");
	assert_non_null(strstr(w.why[1], "0.1 and 3600"));
	assert_int_equal(w.line[3], 5);
	assert_non_null(strstr(w.why[4], "'mem' is not a column"));
	assert_int_equal(w.line[6], 8);
	assert_string_equal(w.key[6], "");
	/* what was fine still counts; what was not left the default */
	assert_string_equal(c.theme, "light");
	assert_true(c.delay == 1.0);
	assert_int_equal(c.sort, CONFIG_COL_RSS);
	assert_int_equal(c.columns, CONFIG_COLS_ALL);
	assert_false(c.ascii);
	assert_int_equal(c.given, 1u << CONFIG_THEME);
}

static void test_odd_bytes(void **state)
{
	static const char nul[] = "theme = li\0ght\ndelay = 2";
	struct config c;
	struct warns w;
	char *longline = malloc(3000);

	(void)state;
	memset(&w, 0, sizeof w);
	config_defaults(&c);
	/* a NUL: that line is left out, the next (no final newline) read */
	assert_int_equal(config_parse(&c, nul, sizeof nul - 1, collect, &w), 1);
	assert_int_equal(w.line[0], 1);
	assert_string_equal(c.theme, "default");
	assert_true(c.delay == 2.0);
	assert_non_null(longline);
	memset(longline, 'x', 2999);
	memcpy(longline, "theme=", 6);
	longline[2999] = '\0';
	assert_int_equal(parse(&c, longline, &w), 1);
	assert_non_null(strstr(w.why[0], "longer than"));
	free(longline);
	/* CRLF lines and a theme path */
	assert_int_equal(parse(&c, "theme = /usr/share/x.theme\r\nascii = on\r\n", &w), 0);
	assert_string_equal(c.theme, "/usr/share/x.theme");
	assert_true(c.ascii);
	assert_int_equal(parse(&c, "theme = .hidden\ntheme = a\x1b[31m\n", &w), 2);
}

static void test_set_leaves_it_alone_on_error(void **state)
{
	struct config c;
	char why[160];

	(void)state;
	config_defaults(&c);
	assert_int_equal(config_set(&c, "sort", "pid rev", why, sizeof why), 0);
	assert_int_equal(c.sort, CONFIG_COL_PID);
	assert_true(c.sort_reverse);
	assert_int_equal(config_set(&c, "sort", "rss sideways", why, sizeof why), -1);
	assert_int_equal(c.sort, CONFIG_COL_PID);
	assert_int_equal(config_set(&c, "delay", "3601", why, sizeof why), -1);
	assert_int_equal(config_set(&c, "delay", "", why, sizeof why), -1);
	assert_true(c.delay == 1.0);
	assert_int_equal(config_set(&c, "columns", "", why, sizeof why), 0);
	assert_int_equal(c.columns, CONFIG_COLS_FIXED);
}

static void test_format_round_trip(void **state)
{
	struct config c, d;
	struct warns w;
	char text[1024];
	char why[160];

	(void)state;
	config_defaults(&c);
	config_set(&c, "theme", "mono", why, sizeof why);
	config_set(&c, "delay", "2.5", why, sizeof why);
	config_set(&c, "sort", "command reverse", why, sizeof why);
	config_set(&c, "columns", "user", why, sizeof why);
	config_set(&c, "ascii", "true", why, sizeof why);
	assert_true(config_format(&c, text, sizeof text) < sizeof text);
	assert_non_null(strstr(text, "\nsort = command reverse\n"));
	assert_non_null(strstr(text, "\ncolumns = pid,user,command\n"));
	assert_int_equal(parse(&d, text, &w), 0);
	assert_string_equal(d.theme, "mono");
	assert_true(d.delay == 2.5);
	assert_int_equal(d.sort, CONFIG_COL_COMMAND);
	assert_true(d.sort_reverse);
	assert_int_equal(d.columns, c.columns);
	assert_true(d.ascii);
	/* too small a buffer: the length it needs */
	assert_int_equal(config_format(&c, text, 10), strlen(text));
}

/* ---- the file ---- */

static char tmpdir[64];

static int make_tmp(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/vmscope-config.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmp(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static mode_t mode_of(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0 ? st.st_mode : 0;
}

static void test_save_and_load(void **state)
{
	char path[256], dir[200], why[160];
	struct config c, d;
	struct vms_err e;
	struct warns w = { 0 };
	bool found = true;
	mode_t old = umask(077);

	(void)state;
	snprintf(dir, sizeof dir, "%s/a/vmscope", tmpdir);
	snprintf(path, sizeof path, "%s/config", dir);
	config_defaults(&d);
	assert_int_equal(config_load(&d, path, &found, collect, &w, &e), 0);
	assert_false(found);
	config_defaults(&c);
	config_set(&c, "delay", "7", why, sizeof why);
	assert_int_equal(config_save(&c, path, &e), 0);
	umask(old);
	/* the directories made 0755, the file 0644, whatever the umask */
	assert_int_equal(mode_of(dir) & 07777, 0755);
	assert_int_equal(mode_of(path) & 07777, 0644);
	assert_true(S_ISREG(mode_of(path)));
	assert_int_equal(config_load(&d, path, &found, collect, &w, &e), 0);
	assert_true(found);
	assert_true(d.delay == 7.0);
	assert_int_equal(w.n, 0);
	/* saved again over it: replaced, no temporary file left */
	config_set(&c, "delay", "8", why, sizeof why);
	assert_int_equal(config_save(&c, path, &e), 0);
	assert_int_equal(config_load(&d, path, &found, NULL, NULL, &e), 0);
	assert_true(d.delay == 8.0);
	{
		char cmd[300];

		snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) = 1", dir);
		assert_int_equal(system(cmd), 0);
	}
}

static void test_save_refuses_a_symlink(void **state)
{
	char path[256], target[256], buf[64];
	struct config c;
	struct vms_err e;
	FILE *f;

	(void)state;
	snprintf(target, sizeof target, "%s/elsewhere", tmpdir);
	snprintf(path, sizeof path, "%s/config", tmpdir);
	f = fopen(target, "w");
	assert_non_null(f);
	fputs("precious\n", f);
	fclose(f);
	assert_int_equal(symlink(target, path), 0);
	config_defaults(&c);
	assert_int_equal(config_save(&c, path, &e), -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
	/* neither the link nor its target touched */
	assert_true(S_ISLNK(mode_of(path)));
	f = fopen(target, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "precious\n");
	/* a directory where the file should be */
	unlink(path);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(config_save(&c, path, &e), -1);
	assert_non_null(strstr(e.msg, "not a regular file"));
}

/* as root (sudo with the user's HOME): never into another user's directory */
static void test_save_refuses_anothers_directory(void **state)
{
	char dir[256], path[300];
	struct config c;
	struct vms_err e;

	(void)state;
	if (geteuid() != 0)
		skip();
	snprintf(dir, sizeof dir, "%s/theirs", tmpdir);
	snprintf(path, sizeof path, "%s/config", dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(chown(dir, 65534, 65534), 0);
	config_defaults(&c);
	assert_int_equal(config_save(&c, path, &e), -1);
	assert_non_null(strstr(e.msg, "belongs to another user"));
	assert_int_equal(mode_of(path), 0);
}

static void test_load_refuses_a_fifo(void **state)
{
	char path[256];
	struct config c;
	struct vms_err e;
	bool found;

	(void)state;
	snprintf(path, sizeof path, "%s/fifo", tmpdir);
	assert_int_equal(mkfifo(path, 0644), 0);
	config_defaults(&c);
	/* returns at once (no writer): an error, not a hang */
	assert_int_equal(config_load(&c, path, &found, NULL, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "not a regular file"));
}

static void test_path(void **state)
{
	char p[256];
	struct vms_err e;

	(void)state;
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	setenv("HOME", "/home/u", 1);
	assert_int_equal(config_path(p, sizeof p, &e), 0);
	assert_string_equal(p, "/x/conf/vmscope/config");
	setenv("XDG_CONFIG_HOME", "relative", 1); /* not absolute: ignored */
	assert_int_equal(config_path(p, sizeof p, &e), 0);
	assert_string_equal(p, "/home/u/.config/vmscope/config");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_int_equal(config_path(p, sizeof p, &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_bad_lines_are_warnings),
		cmocka_unit_test(test_odd_bytes),
		cmocka_unit_test(test_set_leaves_it_alone_on_error),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test_setup_teardown(test_save_and_load, make_tmp, remove_tmp),
		cmocka_unit_test_setup_teardown(test_save_refuses_a_symlink, make_tmp, remove_tmp),
		cmocka_unit_test_setup_teardown(test_save_refuses_anothers_directory, make_tmp, remove_tmp),
		cmocka_unit_test_setup_teardown(test_load_refuses_a_fifo, make_tmp, remove_tmp),
		cmocka_unit_test(test_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
