/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mmsig: the fingerprint of this process moves when it faults pages in
 * and when it drops them (its RSS falls); a kernel thread and a process
 * that does not exist have none; a snapshot-like root with hand-written
 * stat and status files gives one that follows their numbers, comm with
 * a ')' and spaces included. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/mmsig.h"
#include "vmscope/root.h"

static void test_live_moves_with_faults_and_drops(void **st)
{
	struct vms_root r;
	struct vms_err e;
	uint64_t s0, s1, s2;
	size_t ps, i, n = 64;
	char *m;

	(void)st;
	assert_int_equal(root_open(&r, NULL, &e), 0);
	ps = r.page_size;
	m = mmap(NULL, n * ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	assert_int_equal(mm_signature(&r, getpid(), &s0, &e), 0);
	for (i = 0; i < n; i++)
		m[i * ps] = 1;
	assert_int_equal(mm_signature(&r, getpid(), &s1, &e), 0);
	assert_true(s1 != s0);
	madvise(m, n * ps, MADV_DONTNEED);
	assert_int_equal(mm_signature(&r, getpid(), &s2, &e), 0);
	assert_true(s2 != s1);
	munmap(m, n * ps);
	root_close(&r);
}

/* A mapping made, write permission taken away, a mapping removed: no
 * page faulted, and each moves the fingerprint (the VMA screen skips its
 * reads while it holds still). */
static void test_live_moves_with_layout(void **st)
{
	struct vms_root r;
	struct vms_err e;
	uint64_t s0, s1, s2, s3;
	size_t ps;
	char *m;

	(void)st;
	assert_int_equal(root_open(&r, NULL, &e), 0);
	ps = r.page_size;
	assert_int_equal(mm_signature(&r, getpid(), &s0, &e), 0);
	m = mmap(NULL, 16 * ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(m != MAP_FAILED);
	assert_int_equal(mm_signature(&r, getpid(), &s1, &e), 0);
	assert_true(s1 != s0);
	assert_int_equal(mprotect(m + 4 * ps, 4 * ps, PROT_READ), 0);
	assert_int_equal(mm_signature(&r, getpid(), &s2, &e), 0);
	assert_true(s2 != s1);
	munmap(m, 16 * ps);
	assert_int_equal(mm_signature(&r, getpid(), &s3, &e), 0);
	assert_true(s3 != s2);
	root_close(&r);
}

static void test_live_none(void **st)
{
	struct vms_root r;
	struct vms_err e;
	uint64_t s;

	(void)st;
	assert_int_equal(root_open(&r, NULL, &e), 0);
	/* kthreadd: no address space, no RSS counters */
	assert_int_equal(mm_signature(&r, 2, &s, &e), -1);
	/* a pid that cannot exist (above PID_MAX_LIMIT) */
	assert_int_equal(mm_signature(&r, 4194304 + 1, &s, &e), -1);
	root_close(&r);
}

/* RssAnon in kB, read without allocating (an allocator, ASan's above
 * all, may touch new pages between two reads): an fd opened once, a
 * buffer touched before */
static int status_fd = -1;
static char status_buf[8192];

static long rss_anon(void)
{
	ssize_t n;
	const char *p;
	long v = -1;

	if (status_fd < 0) {
		status_fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
		assert_true(status_fd >= 0);
		memset(status_buf, 1, sizeof status_buf);
	}
	n = pread(status_fd, status_buf, sizeof status_buf - 1, 0);
	assert_true(n > 0);
	status_buf[n] = '\0';
	p = strstr(status_buf, "RssAnon:");
	if (p)
		sscanf(p, "RssAnon: %ld", &v);
	return v;
}

/* mmsig_exact agrees with the test's own measurement of whether dropping
 * one page moves RssAnon by one page on this kernel (6.18 here: it does,
 * so the live page map may skip reads; 6.2-6.15 would not) */
static void test_exact_agrees(void **st)
{
	struct vms_root r;
	struct vms_err e;
	long ps = sysconf(_SC_PAGESIZE), a0, a1, a2;
	char *m;
	int t, exact = 1;

	(void)st;
	assert_int_equal(root_open(&r, NULL, &e), 0);
	m = mmap(NULL, (size_t)ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	(void)rss_anon();
	for (t = 0; t < 3; t++) {
		a0 = rss_anon();
		*(volatile char *)m = 1;
		a1 = rss_anon();
		madvise(m, (size_t)ps, MADV_DONTNEED);
		a2 = rss_anon();
		if (a1 != a0 + ps / 1024 || a2 != a0)
			exact = 0;
	}
	munmap(m, (size_t)ps);
	assert_int_equal(mmsig_exact(&r), exact);
	print_message("status RSS counters exact on this kernel: %s\n",
		      exact ? "yes" : "no");
	root_close(&r);
}

static char dir[64];

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

static void rm_tree(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static const char *const STATUS =
	"Name:\tx\nVmRSS:\t  100 kB\nRssAnon:\t  60 kB\nRssFile:\t  40 kB\n"
	"RssShmem:\t   0 kB\nVmSwap:\t   0 kB\nVmPTE:\t  48 kB\n";

static void test_root_follows_the_numbers(void **st)
{
	struct vms_root r;
	struct vms_err e;
	uint64_t a, b, c;
	char path[128];

	(void)st;
	snprintf(dir, sizeof dir, "/tmp/vmscope-mmsig.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/proc", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/proc/7", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	put("vmscope-snapshot.conf", "page_size=4096\narch=armv7l\n");
	assert_int_equal(root_open(&r, dir, &e), 0);
	assert_false(mmsig_exact(&r));   /* a snapshot: nothing to measure */

	/* a comm with ") S 1" inside: the fields follow the last ')' */
	put("proc/7/stat", "7 (a) S 1 2) R 1 7 7 0 -1 4194304 500 0 3 0 1 1\n");
	put("proc/7/status", STATUS);
	assert_int_equal(mm_signature(&r, 7, &a, &e), 0);
	/* the same numbers: the same fingerprint (no vmstat here) */
	assert_int_equal(mm_signature(&r, 7, &b, &e), 0);
	assert_true(a == b);
	/* one more minor fault */
	put("proc/7/stat", "7 (a) S 1 2) R 1 7 7 0 -1 4194304 501 0 3 0 1 1\n");
	assert_int_equal(mm_signature(&r, 7, &b, &e), 0);
	assert_true(b != a);
	/* swapped out: VmSwap moves, RSS too */
	put("proc/7/status",
	    "Name:\tx\nRssAnon:\t  56 kB\nRssFile:\t  40 kB\n"
	    "RssShmem:\t   0 kB\nVmSwap:\t   4 kB\nVmPTE:\t  48 kB\n");
	assert_int_equal(mm_signature(&r, 7, &c, &e), 0);
	assert_true(c != b);
	/* THP events are system-wide: a vmstat count moves it too */
	put("proc/vmstat", "nr_free_pages 1\nthp_collapse_alloc 3\n");
	assert_int_equal(mm_signature(&r, 7, &a, &e), 0);
	put("proc/vmstat", "nr_free_pages 1\nthp_collapse_alloc 4\n");
	assert_int_equal(mm_signature(&r, 7, &b, &e), 0);
	assert_true(a != b);
	/* damaged: a stat cut before the fault counts, a status without RSS */
	put("proc/7/stat", "7 (a) S 1 7\n");
	assert_int_equal(mm_signature(&r, 7, &a, &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	put("proc/7/stat", "7 (a) S 1 7 7 0 -1 4194304 500 0 3 0 1 1\n");
	put("proc/7/status", "Name:\tx\n");
	assert_int_equal(mm_signature(&r, 7, &a, &e), -1);
	assert_int_equal(e.code, VMS_EFORMAT);
	root_close(&r);
	rm_tree();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_moves_with_faults_and_drops),
		cmocka_unit_test(test_live_moves_with_layout),
		cmocka_unit_test(test_live_none),
		cmocka_unit_test(test_exact_agrees),
		cmocka_unit_test(test_root_follows_the_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
