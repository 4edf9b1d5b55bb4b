/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages_target: one anonymous VMA laid out for the pages benchmarks
 * (4K pages: MADV_NOHUGEPAGE), its address printed, then it waits until
 * its stdin reaches end of file.
 *   pages_target SIZE_MIB STEP [TOUCH_MIB]
 * writes every STEP-th page of a SIZE_MIB VMA (STEP 1: all of it); with
 * TOUCH_MIB, only that much, in 1 MiB blocks spread evenly over the VMA
 * (a sparse reservation, MAP_NORESERVE).  Prints "addr=0x... len=N". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t mib, step, touch = 0, len, ps = (size_t)sysconf(_SC_PAGESIZE), i;
	char *m, c;

	if (argc < 3) {
		fprintf(stderr, "usage: pages_target SIZE_MIB STEP [TOUCH_MIB]\n");
		return 2;
	}
	mib = strtoull(argv[1], NULL, 10);
	step = strtoull(argv[2], NULL, 10);
	if (argc > 3)
		touch = strtoull(argv[3], NULL, 10);
	if (!mib || !step || touch > mib)
		return 2;
	len = mib << 20;
	m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	madvise(m, len, MADV_NOHUGEPAGE);
	if (touch) {
		size_t gap = (mib / touch) << 20, b, k;

		for (b = 0; b < touch; b++)
			for (k = 0; k < ((size_t)1 << 20); k += ps * step)
				m[b * gap + k] = 1;
	} else {
		for (i = 0; i < len; i += ps * step)
			m[i] = (char)i | 1;
	}
	printf("addr=%p len=%zu\n", (void *)m, len);
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}
