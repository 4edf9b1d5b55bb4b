/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit test for reading a process across its exec (issue 14 point 9): a
 * pagemap opened before the exec reads nothing after it (the kernel's
 * file holds the old address space, which the exec dropped).  The
 * process has not exited: the error says it changed (exec) and to try
 * again, and a process that did exit is still named as exited. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "vmscope/pagemap.h"
#include "vmscope/root.h"

/* A child that execs /bin/sleep when a byte comes down *go. */
static pid_t child(int *go)
{
	int p[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c;

		close(p[1]);
		if (read(p[0], &c, 1) == 1)
			execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(0);
	}
	close(p[0]);
	*go = p[1];
	return pid;
}

static void wait_comm(pid_t pid, const char *comm)
{
	char path[64], buf[64];
	int i;

	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	for (i = 0; i < 400; i++) {
		FILE *f = fopen(path, "r");

		buf[0] = '\0';
		if (f) {
			if (!fgets(buf, sizeof buf, f))
				buf[0] = '\0';
			fclose(f);
		}
		if (!strncmp(buf, comm, strlen(comm)))
			return;
		nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
	}
	fail_msg("process %d never became %s", (int)pid, comm);
}

static void test_exec_is_not_exit(void **state)
{
	struct vms_root r;
	struct pagemap pm;
	struct vms_err e;
	uint64_t entry;
	pid_t pid;
	int go;

	(void)state;
	assert_int_equal(root_live_open(&r, &e), 0);
	pid = child(&go);
	assert_int_equal(pagemap_open(&r, pid, &pm, &e), 0);
	assert_int_equal(pagemap_read(&pm, 0x10000, 1, &entry, &e), 0);
	assert_int_equal(write(go, "x", 1), 1);
	wait_comm(pid, "sleep");
	err_clear(&e);
	assert_int_equal(pagemap_read(&pm, 0x10000, 1, &entry, &e), -1);
	assert_int_equal(e.code, EAGAIN);
	if (!strstr(e.msg, "changed while it was read") || strstr(e.msg, "exited"))
		fail_msg("says: %s", e.msg);
	pagemap_close(&pm);
	close(go);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	root_close(&r);
}

static void test_exit_is_exit(void **state)
{
	struct vms_root r;
	struct pagemap pm;
	struct vms_err e;
	uint64_t entry;
	pid_t pid;
	int go;

	(void)state;
	assert_int_equal(root_live_open(&r, &e), 0);
	pid = child(&go);
	assert_int_equal(pagemap_open(&r, pid, &pm, &e), 0);
	close(go);                       /* no byte: it exits */
	waitpid(pid, NULL, 0);
	err_clear(&e);
	assert_int_equal(pagemap_read(&pm, 0x10000, 1, &entry, &e), -1);
	if (!strstr(e.msg, "exited"))
		fail_msg("says: %s", e.msg);
	assert_false(pagemap_owner_running(&r, pid));
	pagemap_close(&pm);
	root_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_is_not_exit),
		cmocka_unit_test(test_exit_is_exit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
