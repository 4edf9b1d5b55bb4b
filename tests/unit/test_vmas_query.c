/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_query: PROCMAP_QUERY (Linux 6.11+) gives the list maps gives, on
 * a process this test made (anonymous, split by mprotect, a file, a
 * deleted file, a file whose name holds a newline, a named anonymous
 * mapping); vmas_reread asks it whether the layout holds and sees a
 * change; a root that is not the local live one falls back to maps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vmscope/root.h"
#include "vmscope/vmas.h"
#include "../../src/core/vmas_int.h"

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

struct child {
	pid_t pid;
	int go, done;   /* pipes: to the child, from it */
};

/* The child: its mappings made, it says so, and at each byte read it
 * splits one more page of its region with mprotect. */
static void child_main(int go, int done)
{
	long ps = sysconf(_SC_PAGESIZE);
	char path[] = "/tmp/vmscope-query.XXXXXX", nl[64];
	char *a, c = 0;
	int fd = mkstemp(path), k = 0;

	if (fd < 0 || ftruncate(fd, 4 * ps) < 0)
		_exit(2);
	a = mmap(NULL, 16 * ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(a + 2 * ps, ps, PROT_READ);
	mmap(NULL, 2 * ps, PROT_READ, MAP_SHARED, fd, 0);
	mmap(NULL, ps, PROT_READ, MAP_PRIVATE, fd, ps);
	unlink(path);              /* " (deleted)" */
	close(fd);
	snprintf(nl, sizeof nl, "/tmp/vmscope-query\nnl.%d", (int)getpid());
	fd = open(nl, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0 && ftruncate(fd, ps) == 0)
		mmap(NULL, ps, PROT_READ, MAP_SHARED, fd, 0);
	unlink(nl);
	a[0] = 1;
	prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, a + 8 * ps, ps, "vmscope-test");
	if (write(done, &c, 1) != 1)
		_exit(2);
	while (read(go, &c, 1) == 1) {
		k += 2;
		mprotect(a + (4 + k) * ps, ps, PROT_NONE);
		if (write(done, &c, 1) != 1)
			_exit(2);
	}
	_exit(0);
}

static void child_start(struct child *ch)
{
	int go[2], done[2];
	char c;

	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(done), 0);
	ch->pid = fork();
	assert_true(ch->pid >= 0);
	if (ch->pid == 0) {
		close(go[1]);
		close(done[0]);
		child_main(go[0], done[1]);
	}
	close(go[0]);
	close(done[1]);
	ch->go = go[1];
	ch->done = done[0];
	assert_int_equal(read(ch->done, &c, 1), 1);
}

static void child_step(struct child *ch)
{
	char c = 0;

	assert_int_equal(write(ch->go, &c, 1), 1);
	assert_int_equal(read(ch->done, &c, 1), 1);
}

static void child_stop(struct child *ch)
{
	close(ch->go);
	close(ch->done);
	kill(ch->pid, SIGKILL);
	waitpid(ch->pid, NULL, 0);
}

/* The query exists here (Linux 6.11+), else the test says so and skips. */
static bool have_query(const struct vms_root *r, int pid)
{
	struct vma_list l;
	struct vms_err e;

	if (vmas_query_read(r, pid, &l, &e) == 0) {
		vmas_free(&l);
		return true;
	}
	fprintf(stderr, "PROCMAP_QUERY not here (%s): skipped\n", e.msg);
	return false;
}

static void test_query_same_as_maps(void **state)
{
	struct vms_root r;
	struct vms_err e;
	struct vma_list q, m;
	struct child ch;
	size_t i, n;
	bool named = false, deleted = false, newline = false;

	(void)state;
	assert_int_equal(root_open(&r, NULL, &e), 0);
	child_start(&ch);
	if (!have_query(&r, ch.pid)) {
		child_stop(&ch);
		root_close(&r);
		skip();
	}
	assert_int_equal(vmas_read(&r, ch.pid, false, &m, &e), 0);
	assert_int_equal(vmas_query_read(&r, ch.pid, &q, &e), 0);
	/* maps ends with the gate VMA ([vsyscall]), which is not queried */
	for (n = m.n; n > 0 && (m.v[n - 1].above_pagemap ||
				m.v[n - 1].kind == VMA_KIND_VSYSCALL); n--)
		;
	assert_int_equal(q.n, n);
	assert_int_equal(q.addr_width, m.addr_width);
	for (i = 0; i < n; i++) {
		const struct vma *a = &q.v[i], *b = &m.v[i];

		assert_int_equal(a->start, b->start);
		assert_int_equal(a->end, b->end);
		assert_string_equal(a->perms, b->perms);
		assert_int_equal(a->offset, b->offset);
		assert_int_equal(a->dev_major, b->dev_major);
		assert_int_equal(a->dev_minor, b->dev_minor);
		assert_int_equal(a->inode, b->inode);
		assert_string_equal(a->name, b->name);
		assert_int_equal(a->deleted, b->deleted);
		assert_int_equal(a->kind, b->kind);
		named |= strcmp(a->name, "[anon:vmscope-test]") == 0;
		deleted |= a->deleted;
		newline |= strstr(a->name, "\\012") != NULL;
	}
	assert_true(deleted);
	assert_true(newline);
	if (!named)
		fprintf(stderr, "no [anon:NAME] (CONFIG_ANON_VMA_NAME off)\n");
	vmas_free(&q);
	vmas_free(&m);
	child_stop(&ch);
	root_close(&r);
}

/* vmas_reread with maps asks the query: the layout holds, then a split
 * is seen; the answers are those of a maps read. */
static void test_reread_by_query(void **state)
{
	struct vms_root r;
	struct vms_err e;
	struct vma_list l, nl;
	struct child ch;

	(void)state;
	assert_int_equal(root_open(&r, NULL, &e), 0);
	child_start(&ch);
	if (!have_query(&r, ch.pid)) {
		child_stop(&ch);
		root_close(&r);
		skip();
	}
	assert_int_equal(vmas_read(&r, ch.pid, false, &l, &e), 0);
	assert_int_equal(vmas_query_same(&r, ch.pid, &l), 1);
	assert_int_equal(vmas_reread(&r, ch.pid, false, &l, &e), 1);
	child_step(&ch);
	assert_int_equal(vmas_query_same(&r, ch.pid, &l), 0);
	assert_int_equal(vmas_reread(&r, ch.pid, false, &l, &e), 0);
	assert_int_equal(vmas_read(&r, ch.pid, false, &nl, &e), 0);
	assert_int_equal(nl.n, l.n + 2);
	assert_int_equal(vmas_reread(&r, ch.pid, false, &nl, &e), 1);
	vmas_free(&nl);
	vmas_free(&l);
	child_stop(&ch);
	root_close(&r);
}

/* Not the local live root (a snapshot tree): no query; vmas_reread
 * reads maps and answers as before. */
static void test_fallback_on_a_snapshot(void **state)
{
	struct vms_root r;
	struct vms_err e;
	struct vma_list l, q;

	(void)state;
	assert_int_equal(root_open(&r, "tests/fixtures/zynq-armv7/root", &e), 0);
	assert_int_equal(vmas_read(&r, 1234, false, &l, &e), 0);
	assert_true(l.n > 0);
	assert_int_equal(vmas_query_read(&r, 1234, &q, &e), -1);
	assert_int_equal(e.code, ENOTTY);
	assert_int_equal(vmas_query_same(&r, 1234, &l), -1);
	assert_int_equal(vmas_reread(&r, 1234, false, &l, &e), 1);
	vmas_free(&l);
	root_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_same_as_maps),
		cmocka_unit_test(test_reread_by_query),
		cmocka_unit_test(test_fallback_on_a_snapshot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
