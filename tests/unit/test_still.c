/* SPDX-License-Identifier: GPL-3.0-or-later */
/* still: the one mechanism by which the VMA screen and the page map skip
 * a refresh.  On this live process it holds once nothing moved since the
 * last full read, and reads again when a page is faulted in, when told to
 * forget (a new view), and when the last full read is older than the
 * interval; the interval is 5 s for a cheap read and 200 times the CPU
 * time of a costly one; a root that is not live never holds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/mman.h>
#include <unistd.h>
#include "ui/still.c"

#define SEC INT64_C(1000000000)

/* Built with AddressSanitizer, whose allocator takes fresh memory after
 * each free (its quarantine): this process faults pages in on every
 * read of its own fingerprint, and never holds still. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* still_holds until it holds (this process's own reads may fault a page
 * in the first time round): true within a few tries */
static bool settles(struct still *st, const struct vms_root *r)
{
	int i;

	for (i = 0; i < 5; i++)
		if (still_holds(st, r, getpid()))
			return true;
	return false;
}

static void test_live_holds_forgets_and_moves(void **state)
{
	struct vms_root r;
	struct vms_err e;
	struct still st = { 0 };
	size_t ps;
	char *m;

	(void)state;
#ifdef UNDER_ASAN
	skip();   /* the plain build runs it (make check) */
#endif
	assert_int_equal(root_open(&r, NULL, &e), 0);
	if (!mmsig_exact(&r)) {
		root_close(&r);
		skip();
	}
	ps = r.page_size;
	m = mmap(NULL, 4 * ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	still_read_start(&st);
	still_read_end(&st);
	assert_false(still_holds(&st, &r, getpid()));   /* first: read */
	assert_true(settles(&st, &r));
	still_forget(&st);
	assert_false(still_holds(&st, &r, getpid()));   /* forgotten: read */
	assert_true(settles(&st, &r));
	m[ps] = 1;                                     /* a page faulted in */
	assert_false(still_holds(&st, &r, getpid()));
	assert_true(settles(&st, &r));
	st.full_at.tv_sec -= 6;                        /* older than 5 s */
	assert_false(still_holds(&st, &r, getpid()));
	assert_true(settles(&st, &r));
	munmap(m, 4 * ps);
	root_close(&r);
}

static void test_interval_follows_cost(void **state)
{
	struct still st = { 0 };
	struct timespec t0, t;
	int64_t spent;

	(void)state;
	still_read_start(&st);
	still_read_end(&st);
	assert_int_equal(st.full_every, 5 * SEC);       /* cheap: 5 s */
	/* a read of about 40 ms of CPU: 200 times that is 8 s */
	still_read_start(&st);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	do {
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
		spent = ns_between(t0, t);
	} while (spent < 40 * SEC / 1000);
	still_read_end(&st);
	assert_true(st.full_every >= 200 * spent);
	assert_true(st.full_every > 5 * SEC);
}

static void test_not_live_never_holds(void **state)
{
	struct vms_root r = { 0 };
	struct still st = { 0 };

	(void)state;
	r.live = false;
	st.full_every = 5 * SEC;
	assert_false(still_holds(&st, &r, getpid()));
	assert_false(still_holds(&st, &r, getpid()));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_holds_forgets_and_moves),
		cmocka_unit_test(test_interval_follows_cost),
		cmocka_unit_test(test_not_live_never_holds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
