/* SPDX-License-Identifier: GPL-3.0-or-later */
/* manyvmas: a process with N one-page VMAs (default 100000), for the
 * bounds tests.  One anonymous region of N pages; every other page is
 * made read-only so that no two neighbours merge; every page is
 * written first, so each VMA has a present page.
 *
 *   manyvmas [N]
 *
 * Needs vm.max_map_count above N.  Prints many=ADDR, many_pages=N,
 * vmas_made=N, pid=, page_size= and "ready", then sleeps until killed.
 * Plain C and libc: it knows nothing of vmscope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long ps = sysconf(_SC_PAGESIZE);
	size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000, i;
	char *a;

	if (n < 1 || n > 10000000) {
		fprintf(stderr, "manyvmas: N must be 1..10000000\n");
		return 2;
	}
	a = mmap(NULL, n * (size_t)ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (a == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	madvise(a, n * (size_t)ps, MADV_NOHUGEPAGE);
	for (i = 0; i < n; i++)
		a[i * (size_t)ps] = (char)i;
	for (i = 1; i < n; i += 2)
		if (mprotect(a + i * (size_t)ps, (size_t)ps, PROT_READ) < 0) {
			perror("mprotect (raise vm.max_map_count?)");
			return 1;
		}
	printf("many=%p\nmany_pages=%zu\nvmas_made=%zu\npid=%d\npage_size=%ld\nready\n",
	       (void *)a, n, n, (int)getpid(), ps);
	fflush(stdout);
	for (;;)
		pause();
}
