/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fixture_write ROOT ENTRIES: write the binary files of a fixture root
 * (pagemap, kpageflags, kpagecount, kpagecgroup), which hold 64-bit
 * entries at 8 * index, from a text list:
 *     order big|little        the byte order of the entries that follow
 *                             (little until said otherwise, whatever this
 *                             machine's: a conf without byte_order means
 *                             little-endian)
 *     size  FILE BYTES        make FILE that long (sparse, zero-filled)
 *     entry FILE INDEX VALUE  write the 64-bit VALUE at entry INDEX
 *     fill  FILE INDEX COUNT VALUE  write VALUE at COUNT entries from INDEX
 *                             (kernels before 3.11 put the page shift in
 *                             every entry, so their not-present pages
 *                             are not zeros)
 * Numbers may be hex (0x...) or decimal; '#' starts a comment. */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int open_in(int rootfd, const char *rel)
{
	int fd = openat(rootfd, rel, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		fprintf(stderr, "fixture_write: %s: %s\n", rel, strerror(errno));
		exit(1);
	}
	return fd;
}

/* v laid out in memory in the byte order asked for */
static uint64_t ordered(uint64_t v, int big)
{
	unsigned char b[8];
	uint64_t out;
	int i;

	for (i = 0; i < 8; i++)
		b[big ? 7 - i : i] = (unsigned char)(v >> (8 * i));
	memcpy(&out, b, 8);
	return out;
}

/* count entries of value from index, a block at a time; closes fd */
static int fill(int fd, unsigned long long index, unsigned long long count,
		unsigned long long value)
{
	uint64_t block[4096];
	size_t i;
	int rc = 0;

	for (i = 0; i < 4096; i++)
		block[i] = value;
	while (count && rc == 0) {
		size_t n = count < 4096 ? (size_t)count : 4096;

		if (pwrite(fd, block, n * 8, (off_t)(index * 8)) != (ssize_t)(n * 8))
			rc = -1;
		index += n;
		count -= n;
	}
	close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	char line[512], verb[16], file[256], sa[32], sb[32], sc[32];
	unsigned long long a = 0, b = 0, c = 0;
	unsigned lineno = 0;
	int big = 0;
	FILE *in;
	int rootfd;

	if (argc != 3) {
		fprintf(stderr, "usage: fixture_write ROOT ENTRIES\n");
		return 2;
	}
	rootfd = open(argv[1], O_PATH | O_DIRECTORY);
	in = fopen(argv[2], "r");
	if (rootfd < 0 || !in) {
		perror("fixture_write");
		return 1;
	}
	while (fgets(line, sizeof line, in)) {
		char *hash = strchr(line, '#');
		int n, fd;

		lineno++;
		if (hash)
			*hash = '\0';
		/* strtoull, not %lli: entries use all 64 bits (bit 63 present) */
		n = sscanf(line, "%15s %255s %31s %31s %31s", verb, file, sa,
			   sb, sc);
		if (n >= 3)
			a = strtoull(sa, NULL, 0);
		if (n >= 4)
			b = strtoull(sb, NULL, 0);
		if (n >= 5)
			c = strtoull(sc, NULL, 0);
		if (n <= 0)
			continue;
		if (!strcmp(verb, "order") && n == 2 &&
		    (!strcmp(file, "big") || !strcmp(file, "little"))) {
			big = !strcmp(file, "big");
		} else if (!strcmp(verb, "size") && n == 3) {
			fd = open_in(rootfd, file);
			if (ftruncate(fd, (off_t)a) < 0) {
				perror("ftruncate");
				return 1;
			}
			close(fd);
		} else if (!strcmp(verb, "entry") && n == 4) {
			uint64_t v = ordered(b, big);

			fd = open_in(rootfd, file);
			if (pwrite(fd, &v, 8, (off_t)(a * 8)) != 8) {
				perror("pwrite");
				return 1;
			}
			close(fd);
		} else if (!strcmp(verb, "fill") && n == 5) {
			if (fill(open_in(rootfd, file), a, b, ordered(c, big)) < 0) {
				perror("pwrite");
				return 1;
			}
		} else {
			fprintf(stderr, "fixture_write: %s:%u: cannot parse\n",
				argv[2], lineno);
			return 1;
		}
	}
	fclose(in);
	return 0;
}
