/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for src/core/stopsig.c: a stop signal recorded, not acted
 * on, and the first one kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <cmocka.h>
#include "vmscope/stopsig.h"

static void test_stop_recorded(void **state)
{
	struct vms_err e;

	(void)state;
	stopsig_catch();
	assert_int_equal(stopsig_caught(), 0);
	assert_int_equal(stopsig_check(&e), 0);
	/* the process lives on: the handler only records */
	assert_int_equal(raise(SIGTERM), 0);
	assert_int_equal(stopsig_caught(), SIGTERM);
	assert_int_equal(stopsig_check(&e), -1);
	assert_int_equal(e.code, EINTR);
	assert_string_equal(e.msg, "interrupted (SIGTERM)");
	/* the first one counts: its number is the exit status */
	assert_int_equal(raise(SIGINT), 0);
	assert_int_equal(raise(SIGHUP), 0);
	stopsig_note(SIGINT);
	assert_int_equal(stopsig_caught(), SIGTERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stop_recorded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
