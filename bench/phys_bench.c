/* SPDX-License-Identifier: GPL-3.0-or-later */
/* phys_bench: the reverse lookup (which processes map a PFN, as
 * 'vmscope phys' does it) against the floor: just reading every process's
 * present pagemap ranges.  The floor here is written from the kernel ABI
 * alone (PAGEMAP_SCAN for the present ranges, one pread per batch of
 * them), not from vmscope's code.  Both run ROUNDS times, alternating;
 * the medians and their ratio are printed.
 *
 * usage: phys_bench [ROUNDS]   (as root; default $VMSCOPE_BENCH_ROUNDS
 * or 9).  bench/phys_bench.sh starts helper processes to give it pages. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "vmscope/kranges.h"
#include "vmscope/root.h"

struct scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask;
	uint64_t return_mask;
};
struct region { uint64_t start, end, categories; };
#define PAGEMAP_SCAN_IOCTL _IOWR('f', 16, struct scan_arg)
#define IS_PRESENT (UINT64_C(1) << 3)
#define BATCH 65536u

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint64_t user_end;  /* found once, as the ioctl accepts it */

/* The floor: for every process, PAGEMAP_SCAN the whole user space for
 * present pages and pread the entries of only those ranges. */
static double floor_run(uint64_t *pages, unsigned *procs)
{
	static struct region vec[512];
	static uint64_t buf[BATCH];
	double t0 = now_ms();
	DIR *d = opendir("/proc");
	struct dirent *de;
	uint64_t sink = 0;

	*pages = 0;
	*procs = 0;
	while ((de = readdir(d))) {
		char path[64];
		uint64_t pos = 0, probe;
		int fd;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/pagemap", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (pread(fd, &probe, 8, 0) != 8) { /* no address space */
			close(fd);
			continue;
		}
		(*procs)++;
		while (pos < user_end) {
			struct scan_arg a;
			int n, i;

			memset(&a, 0, sizeof a);
			a.size = sizeof a;
			a.start = pos;
			a.end = user_end;
			a.vec = (uint64_t)(uintptr_t)vec;
			a.vec_len = 512;
			a.category_mask = IS_PRESENT;
			a.return_mask = IS_PRESENT;
			n = ioctl(fd, PAGEMAP_SCAN_IOCTL, &a);
			if (n < 0)
				break;
			for (i = 0; i < n; i++) {
				uint64_t s = vec[i].start;

				while (s < vec[i].end) {
					uint64_t np = (vec[i].end - s) >> 12;
					size_t k = np > BATCH ? BATCH : (size_t)np, j;
					ssize_t got = pread(fd, buf, k * 8, (off_t)(s >> 12) * 8);

					if (got <= 0)
						break;
					for (j = 0; j < (size_t)got / 8; j++)
						sink += buf[j] >> 63;
					s += (uint64_t)k << 12;
				}
			}
			if (a.walk_end <= pos)
				break;
			pos = a.walk_end;
		}
		*pages += sink;
		sink = 0;
		close(fd);
	}
	closedir(d);
	return now_ms() - t0;
}

static void find_user_end(void)
{
	static const unsigned bits[] = { 56, 52, 48, 47, 39, 32 };
	int fd = open("/proc/self/pagemap", O_RDONLY);
	size_t i;

	for (i = 0; i < sizeof bits / sizeof bits[0]; i++) {
		struct scan_arg a;
		struct region r;

		memset(&a, 0, sizeof a);
		a.size = sizeof a;
		a.end = (UINT64_C(1) << bits[i]) - 4096;
		a.start = a.end - 4096;
		a.vec = (uint64_t)(uintptr_t)&r;
		a.vec_len = 1;
		a.category_mask = IS_PRESENT;
		a.return_mask = IS_PRESENT;
		if (ioctl(fd, PAGEMAP_SCAN_IOCTL, &a) >= 0) {
			user_end = a.end;
			break;
		}
	}
	close(fd);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *env = getenv("VMSCOPE_BENCH_ROUNDS");
	int rounds = argc > 1 ? atoi(argv[1]) : env ? atoi(env) : 9, i;
	double *tf, *tr, mf, mr;
	struct vms_root r;
	struct vms_err e;
	uint64_t pfn, pages = 0, raw;
	unsigned procs = 0;
	volatile char *probe;
	int fd;

	if (rounds < 1)
		rounds = 1;
	if (root_open(&r, NULL, &e) < 0 || !r.pfn_visible) {
		fprintf(stderr, "phys_bench: needs root on a live system\n");
		return 77;
	}
	find_user_end();
	if (!user_end) {
		fprintf(stderr, "phys_bench: no PAGEMAP_SCAN (Linux 6.7+) here\n");
		return 77;
	}
	/* the frame to look for: one page of our own */
	probe = malloc(4096 * 2);
	probe[4096] = 1;
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (pread(fd, &raw, 8, (off_t)(((uintptr_t)probe + 4096) >> 12) * 8) != 8) {
		perror("pagemap");
		return 1;
	}
	close(fd);
	pfn = raw & ((UINT64_C(1) << 55) - 1);
	tf = calloc((size_t)rounds, sizeof *tf);
	tr = calloc((size_t)rounds, sizeof *tr);
	for (i = 0; i < rounds; i++) {
		struct krmap_opts o = { .pfn_lo = pfn, .pfn_hi = pfn + 1,
					.pagemap = true };
		struct krmap_result res;
		double t0;

		tf[i] = floor_run(&pages, &procs);
		t0 = now_ms();
		if (kranges_rmap(&r, &o, &res, &e) < 0) {
			fprintf(stderr, "phys_bench: %s\n", e.msg);
			return 1;
		}
		tr[i] = now_ms() - t0;
		if (i == rounds - 1)
			printf("reverse lookup: %zu hit(s) for PFN 0x%llx, %u processes with an address space, %llu present pages read, PAGEMAP_SCAN %s\n",
			       res.n, (unsigned long long)pfn, res.scanned,
			       (unsigned long long)res.present_pages,
			       res.scan_used ? "yes" : "no");
		kranges_rmap_free(&res);
	}
	qsort(tf, (size_t)rounds, sizeof *tf, cmp_d);
	qsort(tr, (size_t)rounds, sizeof *tr, cmp_d);
	mf = tf[rounds / 2];
	mr = tr[rounds / 2];
	printf("floor (read present pagemap ranges of %u processes, %llu pages): median %.2f ms (min %.2f)\n",
	       procs, (unsigned long long)pages, mf, tf[0]);
	printf("reverse lookup (kranges_rmap, as vmscope phys): median %.2f ms (min %.2f)\n",
	       mr, tr[0]);
	printf("ratio %.2fx over %d rounds (goal: within 1.5x): %s\n", mr / mf,
	       rounds, mr <= 1.5 * mf ? "within" : "NOT within");
	free(tf);
	free(tr);
	root_close(&r);
	return 0;
}
