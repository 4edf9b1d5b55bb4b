/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: tarfmt_index, a tar that came from another machine
 * (--root FILE.tar), read in place from a memfd, then every member read
 * whole through tarfmt_pread and every directory listed.  Asserts what
 * the tar backend relies on: an index either fails with a message or
 * holds sorted, unique, clean names, each member's data inside the
 * archive; a read never returns more than asked nor past a member's
 * end. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "vmscope/tarfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_names(const struct tarfmt_index *idx)
{
	size_t i;

	for (i = 0; i < idx->n; i++) {
		const char *s = idx->m[i].name;

		assert(s[0] && s[0] != '/' && s[strlen(s) - 1] != '/');
		assert(!strstr(s, "//") && strcmp(s, "..") && strncmp(s, "../", 3));
		assert(!strstr(s, "/../") && !strstr(s, "/./"));
		if (i)
			assert(strcmp(idx->m[i - 1].name, s) < 0);
		assert(idx->m[i].data <= idx->archive_size);
	}
}

/* Read m whole in odd-sized pieces. */
static void read_member(const struct tarfmt_index *idx,
			const struct tarfmt_member *m)
{
	static char buf[4099];
	struct vms_err e;
	uint64_t off = 0;
	unsigned steps = 0;

	while (off < m->size && steps++ < 64) {
		ssize_t got = tarfmt_pread(idx, m, buf, sizeof buf, off, &e);

		if (got < 0)
			return;
		assert(got > 0 && (size_t)got <= sizeof buf);
		assert((uint64_t)got <= m->size - off);
		/* sparse members are big and mostly holes: jump ahead */
		off += m->sparse && m->nmap ? (m->size / 16) + (uint64_t)got : (uint64_t)got;
	}
	assert(tarfmt_pread(idx, m, buf, sizeof buf, m->size, &e) == 0);
}

static void list_all(const struct tarfmt_index *idx)
{
	struct vms_err e;
	char **names;
	size_t n, i;

	if (tarfmt_list(idx, "", &names, &n, &e) == 0) {
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
	for (i = 0; i < idx->n && i < 64; i++) {
		if (tarfmt_list(idx, idx->m[i].name, &names, &n, &e) == 0) {
			assert(idx->m[i].dir || tarfmt_is_dir(idx, idx->m[i].name));
			while (n)
				free(names[--n]);
			free(names);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tarfmt_index idx;
	struct vms_err e;
	size_t i;
	int fd = memfd_create("fuzz.tar", MFD_CLOEXEC);

	assert(fd >= 0);
	assert(write(fd, data, size) == (ssize_t)size);
	if (tarfmt_index(fd, "fuzz.tar", &idx, &e) == 0) {
		check_names(&idx);
		for (i = 0; i < idx.n; i++)
			if (!idx.m[i].dir)
				read_member(&idx, &idx.m[i]);
		list_all(&idx);
		tarfmt_free(&idx);
	} else {
		assert(e.msg[0] && idx.n == 0 && !idx.m);
	}
	close(fd);
	return 0;
}
