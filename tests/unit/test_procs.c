/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for src/core/procs.c: the live list through libproc2 (this
 * process and a kernel thread in it) and the plain reader of a snapshot
 * root made on the fly (status, comm, NUL-separated cmdline, etc/passwd
 * names, kernel threads, control characters kept raw); parents, threads
 * (off until asked for, then under their process) and who may open what,
 * live through both readers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cmocka.h>
#include "vmscope/procs.h"
#include "unit_files.h"

static char dir[64];

static void put(const char *rel, const char *text, size_t len)
{
	unit_put(dir, rel, text, len);
}

static void mk(const char *rel)
{
	char path[256];

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static const struct proc_row *find(const struct proc_list *l, int pid)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->rows[i].pid == pid)
			return &l->rows[i];
	return NULL;
}

/* FIELD of /proc/self/status ("VmSize", "VmRSS"), in KiB */
static unsigned long long self_status_kib(const char *field)
{
	char line[256];
	unsigned long long kib = 0;
	size_t n = strlen(field);
	FILE *f = fopen("/proc/self/status", "re");

	assert_non_null(f);
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, field, n) && line[n] == ':')
			kib = strtoull(line + n + 1, NULL, 10);
	fclose(f);
	assert_true(kib > 0);
	return kib;
}

static void live_list_has_self(void **state)
{
	struct vms_root r;
	struct vms_err e;
	struct procs *p;
	struct proc_list l = { 0 };
	const struct proc_row *me, *kt;
	unsigned long long vsz_kib, rss_kib;
	size_t i;

	(void)state;
	assert_int_equal(root_open(&r, NULL, &e), 0);
	assert_int_equal(procs_open(&r, &p, &e), 0);
	assert_int_equal(procs_read(p, &l, &e), 0);
	assert_true(l.n > 1);
	for (i = 1; i < l.n; i++)
		assert_true(l.rows[i - 1].pid < l.rows[i].pid);
	me = find(&l, getpid());
	assert_non_null(me);
	assert_false(me->kthread);
	assert_true(me->rss_kib > 0);
	/* like units: VSZ is in bytes, RSS in KiB; each agrees with what
	 * the kernel says of this process (within a factor of two: memory
	 * moves between the two reads, a unit mix-up is 1024 times off) */
	assert_true(me->vsz_bytes >= me->rss_kib * 1024);
	vsz_kib = self_status_kib("VmSize");
	rss_kib = self_status_kib("VmRSS");
	assert_true(me->vsz_bytes / 1024 >= vsz_kib / 2);
	assert_true(me->vsz_bytes / 1024 <= vsz_kib * 2);
	assert_true(me->rss_kib >= rss_kib / 2);
	assert_true(me->rss_kib <= rss_kib * 2);
	assert_int_equal(me->uid, geteuid());
	assert_string_equal(me->comm, "test_procs");
	assert_non_null(strstr(me->cmdline, "test_procs"));
	/* kthreadd: a kernel thread with no command line */
	kt = find(&l, 2);
	if (kt) {
		assert_true(kt->kthread);
		assert_string_equal(kt->cmdline, "");
	}
	/* a second read replaces the first */
	assert_int_equal(procs_read(p, &l, &e), 0);
	assert_non_null(find(&l, getpid()));
	procs_list_free(&l);
	procs_close(p);
	root_close(&r);
}

static pthread_mutex_t hold = PTHREAD_MUTEX_INITIALIZER;
static volatile int thread_tid;

static void *held(void *arg)
{
	(void)arg;
	thread_tid = (int)syscall(SYS_gettid);
	pthread_mutex_lock(&hold);
	pthread_mutex_unlock(&hold);
	return NULL;
}

/* Parents, threads and who may open what, live, by the reader given
 * (NULL: the plain one; else libproc2). */
static void parents_and_threads(const struct procs_live_source *src)
{
	struct vms_root r;
	struct vms_err e;
	struct procs *p;
	struct proc_list l = { 0 };
	const struct proc_row *me, *t;
	pthread_t th;
	uid_t uid;
	size_t i;

	procs_set_live_source(src);
	pthread_mutex_lock(&hold);
	assert_int_equal(pthread_create(&th, NULL, held, NULL), 0);
	while (!thread_tid)
		usleep(1000);
	assert_int_equal(root_open(&r, NULL, &e), 0);
	assert_int_equal(procs_open(&r, &p, &e), 0);
	assert_int_equal(procs_read(p, &l, &e), 0);
	me = find(&l, getpid());
	assert_non_null(me);
	assert_int_equal(me->ppid, getppid());
	assert_int_equal(me->tgid, getpid());
	assert_false(me->thread);
	assert_null(find(&l, thread_tid));   /* threads off by default */
	/* who reads is known live; this process is its own to open */
	assert_true(procs_self_uid(p, &uid));
	assert_int_equal(uid, geteuid());
	assert_false(me->unreadable);
	for (i = 0; i < l.n; i++)
		if (l.rows[i].uid == geteuid())
			assert_false(l.rows[i].unreadable);

	procs_set_threads(p, true);
	assert_int_equal(procs_read(p, &l, &e), 0);
	t = find(&l, thread_tid);
	assert_non_null(t);
	assert_true(t->thread);
	assert_int_equal(t->tgid, getpid());
	assert_int_equal(t->ppid, getpid());    /* under its process */
	assert_false(find(&l, getpid())->thread);

	pthread_mutex_unlock(&hold);
	pthread_join(th, NULL);
	thread_tid = 0;
	procs_list_free(&l);
	procs_close(p);
	root_close(&r);
	procs_set_live_source(NULL);
}

static void live_parents_threads_plain(void **state)
{
	(void)state;
	parents_and_threads(NULL);
}

static void live_parents_threads_proc2(void **state)
{
	(void)state;
	parents_and_threads(&procs_proc2);
}

static void snapshot_plain_reader(void **state)
{
	static const char conf[] = "page_size=4096\narch=armv7l\n";
	static const char st42[] =
		"Name:\tgpio\\ndemo\nUmask:\t0022\nState:\tS (sleeping)\n"
		"Tgid:\t42\nPid:\t42\nPPid:\t1\n"
		"Uid:\t1000\t1001\t1001\t1001\nGid:\t0\t0\t0\t0\n"
		"VmSize:\t   70000 kB\nVmRSS:\t    1800 kB\n";
	static const char cmd42[] = "/usr/bin/gpio\0--uio\0/dev/uio0\0";
	static const char st2[] = "Name:\tkthreadd\nPid:\t2\nPPid:\t0\n"
				  "Uid:\t0\t0\t0\t0\nKthread:\t1\n";
	static const char st7[] = "Name:\tnoname\nPid:\t7\nPPid:\t1\n"
				  "Uid:\t5\t5\t5\t5\nVmSize:\t 10 kB\nVmRSS:\t 4 kB\n";
	static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
				     "broken line\n"
				     "alice:x:1001:1001::/home/alice:/bin/sh\n";
	struct vms_root r;
	struct vms_err e;
	struct procs *p;
	struct proc_list l = { 0 };
	const struct proc_row *row;
	char cmd[128];

	(void)state;
	snprintf(dir, sizeof dir, "/tmp/vmscope-test-procs.XXXXXX");
	assert_non_null(mkdtemp(dir));
	put("vmscope-snapshot.conf", conf, sizeof conf - 1);
	mk("proc");
	mk("proc/42");
	mk("proc/2");
	mk("proc/7");
	mk("proc/self");   /* not a number: skipped */
	mk("etc");
	put("proc/42/status", st42, sizeof st42 - 1);
	put("proc/42/comm", "gpio\x1b[31m\n", 10);
	put("proc/42/cmdline", cmd42, sizeof cmd42 - 1);
	put("proc/2/status", st2, sizeof st2 - 1);
	put("proc/2/cmdline", "", 0);
	put("proc/7/status", st7, sizeof st7 - 1);
	put("etc/passwd", passwd, sizeof passwd - 1);

	assert_int_equal(root_open(&r, dir, &e), 0);
	assert_false(r.live);
	assert_int_equal(procs_open(&r, &p, &e), 0);
	assert_int_equal(procs_read(p, &l, &e), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.rows[0].pid, 2);
	assert_int_equal(l.rows[1].pid, 7);
	assert_int_equal(l.rows[2].pid, 42);

	row = find(&l, 42);
	assert_non_null(row);
	assert_int_equal(row->ppid, 1);
	assert_int_equal(row->tgid, 42);
	assert_false(row->thread);
	/* a snapshot: who may open what is not known, nothing marked */
	assert_false(row->unreadable);
	{
		uid_t u;

		assert_false(procs_self_uid(p, &u));
	}
	assert_int_equal(row->uid, 1001);          /* effective uid */
	assert_string_equal(row->user, "alice");
	assert_int_equal(row->rss_kib, 1800);
	assert_int_equal(row->vsz_bytes, 70000ull * 1024);
	assert_string_equal(row->comm, "gpio\x1b[31m"); /* raw: UI escapes */
	assert_false(row->kthread);
	assert_string_equal(row->cmdline, "/usr/bin/gpio --uio /dev/uio0");

	row = find(&l, 2);
	assert_true(row->kthread);
	assert_string_equal(row->user, "root");
	assert_string_equal(row->comm, "kthreadd"); /* from status Name */
	assert_string_equal(row->cmdline, "");

	row = find(&l, 7);
	assert_string_equal(row->user, "5");        /* no passwd entry */
	assert_string_equal(row->cmdline, "");      /* no cmdline file */
	assert_false(row->kthread);                 /* it has VmSize */

	procs_list_free(&l);
	procs_close(p);
	root_close(&r);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(live_list_has_self),
		cmocka_unit_test(snapshot_plain_reader),
		cmocka_unit_test(live_parents_threads_plain),
		cmocka_unit_test(live_parents_threads_proc2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
