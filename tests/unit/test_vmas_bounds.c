/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the bounds of a VMA line (issue 14 point 9): the kernel
 * maps whole pages, so a START or END inside a page is refused with an
 * error naming the line, as END <= START is; the largest aligned range
 * (the last page of the space) is read. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vmscope/vmas.h"

static int parse(const char *s, struct vma_list *l, struct vms_err *e)
{
	return vmas_parse(s, strlen(s), l, e);
}

static void refused(const char *text, const char *why)
{
	struct vma_list l;
	struct vms_err e;

	err_clear(&e);
	assert_int_equal(parse(text, &l, &e), -1);
	if (!strstr(e.msg, why))
		fail_msg("'%s' does not say '%s'", e.msg, why);
	assert_non_null(strstr(e.msg, "line 2"));
}

static void test_unaligned_refused(void **state)
{
	(void)state;
	refused("00400000-00401000 r-xp 00000000 08:01 1 /bin/x\n"
		"ffffffffffff0000-ffffffffffffffff rw-p 00000000 00:00 0\n"
		"Rss:                  64 kB\n",
		"not multiples of the page size");
	refused("00400000-00401000 r-xp 00000000 08:01 1 /bin/x\n"
		"00401001-00402000 rw-p 00000000 00:00 0\n",
		"not multiples of the page size");
	refused("00400000-00401000 r-xp 00000000 08:01 1 /bin/x\n"
		"00402000-00402000 rw-p 00000000 00:00 0\n",
		"END address is not above START");
	refused("00400000-00401000 r-xp 00000000 08:01 1 /bin/x\n"
		"00403000-00402000 rw-p 00000000 00:00 0\n",
		"END address is not above START");
}

static void test_top_page_read(void **state)
{
	struct vma_list l;
	struct vms_err e;

	(void)state;
	assert_int_equal(parse("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n"
			       "fffffffffffff000-ffffffffffffffff rw-p 00000000 00:00 0\n",
			       &l, &e), -1);
	assert_int_equal(parse("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n",
			       &l, &e), 0);
	assert_int_equal(l.n, 1);
	assert_true(l.v[0].end - l.v[0].start == 4096);
	vmas_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unaligned_refused),
		cmocka_unit_test(test_top_page_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
