/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The smaps body read against the last VMA's lines: every VMA's fields
 * come out as written, where a body is the template's lines with other
 * values, where one line is longer (a 9-digit value), where a line is
 * missing or one more comes, where the values are at their widest, and
 * through the 28-byte VmFlags line; a damaged value in a body that
 * would match the template is the error of the line-by-line reading,
 * on the right line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/vmas.h"

/* VMAs 0 and 1 teach the parser the kernel's order, 2 is the first read
 * whole by the fast paths and the template of 3 to 5; then the
 * variants. */
#define NV 12

/* Field lines as Linux 6.x writes them; value of field k of VMA i. */
static const struct { const char *key; enum smaps_field f; } keys[] = {
	{ "Size:", SMAPS_SIZE }, { "KernelPageSize:", SMAPS_KERNEL_PAGE_SIZE },
	{ "MMUPageSize:", SMAPS_MMU_PAGE_SIZE }, { "Rss:", SMAPS_RSS },
	{ "Pss:", SMAPS_PSS }, { "Pss_Dirty:", SMAPS_PSS_DIRTY },
	{ "Shared_Clean:", SMAPS_SHARED_CLEAN },
	{ "Private_Dirty:", SMAPS_PRIVATE_DIRTY },
	{ "Anonymous:", SMAPS_ANONYMOUS }, { "Swap:", SMAPS_SWAP },
	{ "Locked:", SMAPS_LOCKED },
};
#define NK (sizeof keys / sizeof keys[0])

static uint64_t value(int i, size_t k)
{
	if (i == 6 && k == 0)
		return 123456789;          /* a longer line */
	if (i == 10)
		return 99999999;           /* the widest "%8lu" */
	return (uint64_t)(i * 100 + (int)k * 7 + 4);
}

/* The text; bad: a damaged Rss value in VMA 4, whose body the template
 * would take. */
static char *make(bool bad, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *t = malloc(cap);

	assert_non_null(t);
	for (int i = 0; i < NV; i++) {
		n += (size_t)snprintf(t + n, cap - n,
				      "%08x-%08x rw-p 00000000 00:00 0 \n",
				      0x10000 + 0x10000 * i, 0x11000 + 0x10000 * i);
		for (size_t k = 0; k < NK; k++) {
			if (i == 8 && keys[k].f == SMAPS_SWAP)
				continue;          /* a line missing */
			if (bad && i == 4 && keys[k].f == SMAPS_RSS) {
				n += (size_t)snprintf(t + n, cap - n,
						      "%-16s%8s kB\n", "Rss:", "12x4");
				continue;
			}
			n += (size_t)snprintf(t + n, cap - n, "%-16s%8llu kB\n",
					      keys[k].key,
					      (unsigned long long)value(i, k));
		}
		if (i == 9)   /* one more, a key this version does not know */
			n += (size_t)snprintf(t + n, cap - n, "%-16s%8d kB\n",
					      "Newfield:", 3);
		n += (size_t)snprintf(t + n, cap - n, "%-16s%8d\n",
				      "THPeligible:", i & 1);
		/* 27 bytes and the newline, as a field line is */
		n += (size_t)snprintf(t + n, cap - n, "VmFlags: %s\n",
				      i & 1 ? "rd wr mr mw me ac sd " : "rd wr mr mw me ac ");
	}
	*len = n;
	return t;
}

static void test_bodies(void **state)
{
	size_t len;
	char *t = make(false, &len);
	struct vma_list l;
	struct vms_err e;

	(void)state;
	assert_int_equal(vmas_parse(t, len, &l, &e), 0);
	assert_int_equal(l.n, NV);
	for (int i = 0; i < NV; i++) {
		const struct vma *v = &l.v[i];

		for (size_t k = 0; k < NK; k++) {
			uint64_t want = i == 8 && keys[k].f == SMAPS_SWAP ? 0 :
					value(i, k);

			if (vma_smaps(v, keys[k].f) != want)
				fail_msg("VMA %d %s: %llu, want %llu", i,
					 keys[k].key,
					 (unsigned long long)vma_smaps(v, keys[k].f),
					 (unsigned long long)want);
		}
		assert_int_equal(vma_smaps(v, SMAPS_THP_ELIGIBLE), i & 1);
		assert_string_equal(v->vmflags_text, i & 1 ?
				    "rd wr mr mw me ac sd" : "rd wr mr mw me ac");
		assert_int_equal(vma_has_flag(v, VMF_SD), i & 1);
	}
	vmas_free(&l);
	free(t);
}

static void test_damaged_value(void **state)
{
	size_t len;
	char *t = make(true, &len);
	struct vma_list l;
	struct vms_err e;
	char want[64];
	unsigned line = 1;

	(void)state;
	for (const char *q = t; q < strstr(t, "12x4"); q++)
		line += *q == '\n';
	snprintf(want, sizeof want, "line %u: unexpected text after", line);
	assert_int_equal(vmas_parse(t, len, &l, &e), -1);
	assert_non_null(strstr(e.msg, want));
	assert_non_null(strstr(e.msg, "Rss:"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_damaged_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
