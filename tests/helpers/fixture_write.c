/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fixture_write ROOT ENTRIES: write the binary files of a fixture root
 * (pagemap, kpageflags, kpagecount, kpagecgroup), which hold native 64-bit
 * entries at 8 * index, from a text list:
 *     size  FILE BYTES        make FILE that long (sparse, zero-filled)
 *     entry FILE INDEX VALUE  write the 64-bit VALUE at entry INDEX
 *     fill  FILE FIRST COUNT VALUE  VALUE at entries FIRST..FIRST+COUNT-1
 *                             (old kernels wrote no zero entries: before
 *                             4.2 even a hole carried the page shift)
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

/* count entries of value v from entry first, a block per write */
static void fill(int fd, unsigned long long first, unsigned long long count,
		 unsigned long long v)
{
	static uint64_t block[4096];
	size_t i;

	for (i = 0; i < sizeof block / sizeof block[0]; i++)
		block[i] = v;
	while (count) {
		size_t k = count < 4096 ? (size_t)count : 4096;
		size_t want = k * 8;

		if (pwrite(fd, block, want, (off_t)(first * 8)) != (ssize_t)want) {
			perror("pwrite");
			exit(1);
		}
		first += k;
		count -= k;
	}
}

int main(int argc, char **argv)
{
	char line[512], verb[16], file[256], sa[32], sb[32], sc[32];
	unsigned long long a, b, c;
	unsigned lineno = 0;
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
		if (!strcmp(verb, "size") && n == 3) {
			fd = open_in(rootfd, file);
			if (ftruncate(fd, (off_t)a) < 0) {
				perror("ftruncate");
				return 1;
			}
			close(fd);
		} else if (!strcmp(verb, "entry") && n == 4) {
			uint64_t v = b;

			fd = open_in(rootfd, file);
			if (pwrite(fd, &v, 8, (off_t)(a * 8)) != 8) {
				perror("pwrite");
				return 1;
			}
			close(fd);
		} else if (!strcmp(verb, "fill") && n == 5) {
			fd = open_in(rootfd, file);
			fill(fd, a, b, c);
			close(fd);
		} else {
			fprintf(stderr, "fixture_write: %s:%u: cannot parse\n",
				argv[2], lineno);
			return 1;
		}
	}
	fclose(in);
	return 0;
}
