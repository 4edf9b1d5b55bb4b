/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote_cache, remote_replay: one round trip per refresh, end to end.
 * This binary is its own agent: run as `test_remote_cache --agent DIR`
 * it serves the snapshot DIR on stdin and stdout (serve_run), and the
 * tests open a remote root on that command and count the round trips
 * the client makes (root_remote_stats). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "vmscope/root_remote.h"
#include "vmscope/serve.h"

static char self[4096], dir[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void make_root(void)
{
	char path[256];
	uint64_t e[512];
	FILE *f;
	int i;

	snprintf(dir, sizeof dir, "/tmp/vmscope-rcache-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/proc", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/proc/7", dir);
	mkdir(path, 0755);
	put("vmscope-snapshot.conf", "format=1\npage_size=4096\narch=x86_64\nrelease=6.1\nbyte_order=little\n");
	put("proc/7/status", "Name:\tone\n");
	put("proc/7/comm", "one\n");
	put("proc/7/cmdline", "one");
	for (i = 0; i < 512; i++)
		e[i] = (uint64_t)1 << 63 | (uint64_t)(1000 + i);
	snprintf(path, sizeof path, "%s/proc/7/pagemap", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(e, sizeof e, 1, f);
	fclose(f);
}

static unsigned long roundtrips(const struct vms_root *r)
{
	struct root_remote_stats st;

	assert_true(root_remote_stats(r, &st));
	return st.roundtrips;
}

static void open_remote(struct vms_root *r)
{
	char cmd[8192];
	struct vms_err e;

	make_root();
	snprintf(cmd, sizeof cmd, "exec '%s' --agent '%s'", self, dir);
	assert_int_equal(root_remote_open(r, cmd, 5, &e), 0);
}

static void cleanup(struct vms_root *r)
{
	char cmd[128];

	root_close(r);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* What a page screen's refresh does: a text file, two pagemap ranges in
 * a vectored read, a stat, a list; the values it read. */
static void refresh(const struct vms_root *r, char *status, size_t n,
		    uint64_t *pm)
{
	struct root_file *f;
	struct root_iov v[2];
	struct root_stat st;
	struct vms_err e;
	char *text, **names;
	size_t len, count;

	assert_int_equal(root_read_text(r, "proc/7/status", &text, &len, &e), 0);
	snprintf(status, n, "%s", text);
	free(text);
	f = root_fopen(r, "proc/7/pagemap", &e);
	assert_non_null(f);
	v[0] = (struct root_iov){ f, &pm[0], 8, 8 * 10, 0 };
	v[1] = (struct root_iov){ f, &pm[1], 8, 8 * 300, 0 };
	assert_int_equal(root_preadv(v, 2, &e), 0);
	assert_int_equal(v[0].got + v[1].got, 16);
	root_fclose(f);
	assert_int_equal(root_stat(r, "proc/7", &st, &e), 0);
	assert_int_equal(root_list(r, "proc", &names, &count, &e), 0);
	assert_int_equal(count, 1);
	assert_string_equal(names[0], "7");
	root_list_free(names, count);
	assert_int_not_equal(root_stat(r, "proc/8", &st, &e), 0);
}

static void test_one_round_trip_per_refresh(void **state)
{
	struct vms_root r;
	char status[64];
	uint64_t pm[2];
	unsigned long before;
	int i;

	(void)state;
	open_remote(&r);
	root_remote_tick(&r, true);   /* nothing known yet: as it comes */
	before = roundtrips(&r);
	refresh(&r, status, sizeof status, pm);
	root_remote_tick(&r, false);
	assert_true(roundtrips(&r) - before >= 4);
	for (i = 0; i < 3; i++) {
		before = roundtrips(&r);
		root_remote_tick(&r, true);
		refresh(&r, status, sizeof status, pm);
		root_remote_tick(&r, false);
		assert_int_equal(roundtrips(&r) - before, 1);
		assert_string_equal(status, "Name:\tone\n");
		assert_true(pm[0] == ((uint64_t)1 << 63 | 1010));
		assert_true(pm[1] == ((uint64_t)1 << 63 | 1300));
	}
	/* a refresh reads what is there now, not the last one's answers */
	put("proc/7/status", "Name:\ttwo\n");
	root_remote_tick(&r, true);
	refresh(&r, status, sizeof status, pm);
	root_remote_tick(&r, false);
	assert_string_equal(status, "Name:\ttwo\n");
	/* and outside a refresh nothing is served from a cache */
	put("proc/7/status", "Name:\tthree\n");
	refresh(&r, status, sizeof status, pm);
	assert_string_equal(status, "Name:\tthree\n");
	cleanup(&r);
}

static void test_prefetch_one_round_trip(void **state)
{
	static const char *const rel[] = { "proc/7/status", "proc/7/comm",
					    "proc/7/cmdline", "proc/9/status" };
	struct vms_root r;
	struct vms_err e;
	unsigned long before;
	char *text;
	size_t len;

	(void)state;
	open_remote(&r);
	before = roundtrips(&r);
	root_prefetch(&r, ROOT_PREFETCH_READ, rel, 4);
	assert_int_equal(roundtrips(&r) - before, 1);
	assert_int_equal(root_read_text(&r, "proc/7/comm", &text, &len, &e), 0);
	assert_string_equal(text, "one\n");
	free(text);
	assert_int_equal(root_read_text(&r, "proc/7/cmdline", &text, &len, &e), 0);
	free(text);
	assert_int_not_equal(root_read_text(&r, "proc/9/status", &text, &len, &e), 0);
	assert_int_equal(roundtrips(&r) - before, 1);
	/* served once: the next read asks again, and sees what is there */
	put("proc/7/comm", "new\n");
	assert_int_equal(root_read_text(&r, "proc/7/comm", &text, &len, &e), 0);
	assert_string_equal(text, "new\n");
	free(text);
	assert_int_equal(roundtrips(&r) - before, 2);
	cleanup(&r);
}

static int agent(const char *root)
{
	struct vms_root r;
	struct vms_err e;
	int rc;

	if (root_open(&r, root, &e) < 0)
		return 1;
	rc = serve_run(&r, 0, 1, &e);
	root_close(&r);
	return rc < 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_round_trip_per_refresh),
		cmocka_unit_test(test_prefetch_one_round_trip),
	};

	if (argc == 3 && !strcmp(argv[1], "--agent"))
		return agent(argv[2]);
	if (!realpath(argv[0], self))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
