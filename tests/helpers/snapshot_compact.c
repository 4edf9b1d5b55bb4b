/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot_compact DIR: print the binary files of a snapshot (each
 * proc/PID/pagemap and proc/kpage*) as the text entries list the demos
 * and fixtures keep instead of multi-gigabyte sparse files:
 *     size  FILE BYTES
 *     entry FILE INDEX VALUE           the 64-bit VALUE at byte INDEX * 8
 *     seq   FILE INDEX COUNT FIRST STEP  COUNT values FIRST + i * STEP
 * The entries are read in the snapshot's byte order (its conf's
 * byte_order; a big-endian board's list starts with "order big"), so the
 * values listed are the numbers the board's kernel wrote.
 * Only non-zero entries are listed; the holes are found with SEEK_DATA,
 * so a 256 GiB sparse pagemap costs what it holds.  Plain C and libc;
 * vmscope's snapshot_expand reads the result back. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK 8192   /* entries per read */

struct run {
	const char *rel;
	uint64_t index, count, first, step;
};

static void run_flush(struct run *r)
{
	if (r->count == 0)
		return;
	if (r->count >= 3)
		printf("seq   %s 0x%" PRIx64 " %" PRIu64 " 0x%" PRIx64 " %" PRIu64 "\n",
		       r->rel, r->index, r->count, r->first, r->step);
	else {
		uint64_t i;

		for (i = 0; i < r->count; i++)
			printf("entry %s 0x%" PRIx64 " 0x%" PRIx64 "\n", r->rel,
			       r->index + i, r->first + i * r->step);
	}
	r->count = 0;
}

/* Add value v at entry index idx: extend the run when it continues the
 * sequence, else write it out and start again.  Steps wrap around as
 * unsigned numbers, as the reader computes them. */
static void run_add(struct run *r, uint64_t idx, uint64_t v)
{
	if (r->count == 1 && idx == r->index + 1) {
		r->step = v - r->first;
		r->count = 2;
		return;
	}
	if (r->count >= 2 && idx == r->index + r->count &&
	    v == r->first + r->count * r->step) {
		r->count++;
		return;
	}
	if (r->count == 2) {
		/* two entries that start no sequence: write the first, go on
		 * from the second */
		uint64_t second = r->first + r->step;

		r->count = 1;
		run_flush(r);
		r->index++;
		r->first = second;
		r->count = 1;
		run_add(r, idx, v);
		return;
	}
	run_flush(r);
	r->index = idx;
	r->first = v;
	r->step = 0;
	r->count = 1;
}

static int file_big;   /* the snapshot's entries are big-endian */

/* The 64-bit entry at p, in the snapshot's byte order. */
static uint64_t entry_at(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)p[file_big ? 7 - i : i] << (8 * i);
	return v;
}

/* byte_order=big in the snapshot's conf */
static int conf_big(int dirfd)
{
	char text[8192], *p;
	int fd = openat(dirfd, "vmscope-snapshot.conf", O_RDONLY);
	ssize_t got = fd < 0 ? -1 : read(fd, text, sizeof text - 1);

	if (fd >= 0)
		close(fd);
	if (got <= 0)
		return 0;
	text[got] = '\0';
	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, "byte_order=big", 14))
			return 1;
	return 0;
}

static int dump(int dirfd, const char *rel)
{
	int fd = openat(dirfd, rel, O_RDONLY);
	static unsigned char buf[CHUNK * 8];
	struct run r = { rel, 0, 0, 0, 0 };
	struct stat st;
	off_t pos = 0;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) < 0)
		return -1;
	printf("size  %s 0x%llx\n", rel, (unsigned long long)st.st_size);
	while (pos < st.st_size) {
		off_t d = lseek(fd, pos, SEEK_DATA), h;

		if (d < 0)
			break;
		h = lseek(fd, d, SEEK_HOLE);
		if (h < 0)
			h = st.st_size;
		d -= d % 8;
		while (d < h) {
			size_t want = (size_t)(h - d) < sizeof buf ? (size_t)(h - d) : sizeof buf;
			ssize_t got = pread(fd, buf, want, d), k;

			if (got <= 0)
				return -1;
			for (k = 0; k + 8 <= got; k += 8) {
				uint64_t v = entry_at(buf + k);

				if (v)
					run_add(&r, (uint64_t)(d + k) / 8, v);
			}
			d += got;
		}
		pos = h;
	}
	run_flush(&r);
	close(fd);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	char *names[4096], rel[300];
	struct dirent *d;
	size_t n = 0, i;
	DIR *dir;
	int dirfd;

	if (argc != 2) {
		fprintf(stderr, "usage: snapshot_compact SNAPSHOT_DIR >entries\n");
		return 2;
	}
	dirfd = open(argv[1], O_RDONLY | O_DIRECTORY);
	snprintf(rel, sizeof rel, "%s/proc", argv[1]);
	dir = opendir(rel);
	if (dirfd < 0 || !dir) {
		perror(argv[1]);
		return 1;
	}
	while ((d = readdir(dir)) && n < 4096)
		if (d->d_name[0] >= '1' && d->d_name[0] <= '9')
			names[n++] = strdup(d->d_name);
	closedir(dir);
	qsort(names, n, sizeof *names, cmp);
	printf("# binary entries of the snapshot, written by snapshot_compact:\n"
	       "# pagemap index = vaddr / page size; kpage* index = PFN\n");
	file_big = conf_big(dirfd);
	if (file_big)
		printf("order big\n");
	for (i = 0; i < n; i++) {
		snprintf(rel, sizeof rel, "proc/%s/pagemap", names[i]);
		if (dump(dirfd, rel) < 0) {
			perror(rel);
			return 1;
		}
		free(names[i]);
	}
	if (dump(dirfd, "proc/kpageflags") < 0 || dump(dirfd, "proc/kpagecount") < 0 ||
	    dump(dirfd, "proc/kpagecgroup") < 0) {
		perror("kpage");
		return 1;
	}
	return 0;
}
