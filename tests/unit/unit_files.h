/* SPDX-License-Identifier: GPL-3.0-or-later */
/* unit_files: the files a unit test writes into a fixture root it makes
 * (include after cmocka.h). */
#ifndef VMSCOPE_TESTS_UNIT_FILES_H
#define VMSCOPE_TESTS_UNIT_FILES_H

#include <stdio.h>

/* DIR/REL holds the len bytes at data. */
static inline void unit_put(const char *dir, const char *rel,
			    const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

#endif
