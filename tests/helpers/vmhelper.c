/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmhelper: a process whose memory the tests lay out themselves.  It
 * makes each kind of page vmscope must describe, prints where they are
 * as KEY=VALUE lines, then "ready", and sleeps until killed or until its
 * stdin reaches end of file (when started with --stdin).
 *
 *   anon_touched   ANON_PAGES pages of private anon memory, all written
 *   anon_untouched ANON_PAGES pages of private anon memory, never touched
 *   anon_half      ANON_PAGES pages, even pages written, odd untouched
 *   zero           4 pages of private anon memory, only read: zero page
 *   file           a 4-page file mapping (read), its path in file_path
 *   shared         4 pages of MAP_SHARED anonymous memory, written
 *   mlocked        1 page, written and mlock()ed
 *   thp            a 2 MiB-aligned MADV_HUGEPAGE region of 4 MiB, written
 *   hole           a 1-page hole (hole_addr) between two 1-page mappings
 *   guard          a PROT_NONE page after each region above
 *
 * Options: --big MIB (touch that much more anon memory, MADV_NOHUGEPAGE,
 * as big_addr/big_len), --reserve GIB (a PROT_NONE MAP_NORESERVE
 * reservation, reserve_addr), --comm NAME (prctl name), --stdin.
 * Plain C and libc: it knows nothing of vmscope. */

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#define ANON_PAGES 16

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Anonymous memory followed by one PROT_NONE guard page, so that
 * neighbouring regions stay separate VMAs instead of being merged. */
static void *map_anon(size_t len, int flags)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, len + ps, PROT_READ | PROT_WRITE,
		       MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	if (mprotect(p + len, ps, PROT_NONE) < 0)
		die("mprotect");
	return p;
}

static void show(const char *key, const void *addr, size_t len)
{
	printf("%s=%p\n%s_len=%zu\n", key, addr, key, len);
}

int main(int argc, char **argv)
{
	long ps = sysconf(_SC_PAGESIZE);
	size_t big = 0, reserve = 0, i;
	const char *comm = NULL;
	int use_stdin = 0, a;
	volatile char sink = 0;
	char path[] = "/tmp/vmhelper-file.XXXXXX";

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--big") && a + 1 < argc)
			big = strtoull(argv[++a], NULL, 10) << 20;
		else if (!strcmp(argv[a], "--reserve") && a + 1 < argc)
			reserve = strtoull(argv[++a], NULL, 10) << 30;
		else if (!strcmp(argv[a], "--comm") && a + 1 < argc)
			comm = argv[++a];
		else if (!strcmp(argv[a], "--stdin"))
			use_stdin = 1;
		else {
			fprintf(stderr, "vmhelper: unknown argument %s\n", argv[a]);
			return 2;
		}
	}
	if (comm && prctl(PR_SET_NAME, comm) < 0)
		die("prctl");

	char *touched = map_anon(ANON_PAGES * ps, MAP_PRIVATE);
	for (i = 0; i < ANON_PAGES; i++)
		touched[i * ps] = (char)(i + 1);
	show("anon_touched", touched, ANON_PAGES * ps);

	char *untouched = map_anon(ANON_PAGES * ps, MAP_PRIVATE);
	show("anon_untouched", untouched, ANON_PAGES * ps);

	char *half = map_anon(ANON_PAGES * ps, MAP_PRIVATE);
	for (i = 0; i < ANON_PAGES; i += 2)
		half[i * ps] = 1;
	show("anon_half", half, ANON_PAGES * ps);

	char *zero = map_anon(4 * ps, MAP_PRIVATE);
	for (i = 0; i < 4; i++)
		sink += zero[i * ps];
	show("zero", zero, 4 * ps);

	int fd = mkstemp(path);
	if (fd < 0)
		die("mkstemp");
	{
		char *buf = malloc(4 * ps);

		if (!buf)
			die("malloc");
		memset(buf, 'v', 4 * ps);
		if (write(fd, buf, 4 * ps) != 4 * ps)
			die("write");
		free(buf);
	}
	char *file = mmap(NULL, 4 * ps, PROT_READ, MAP_PRIVATE, fd, 0);
	if (file == MAP_FAILED)
		die("mmap file");
	close(fd);
	unlink(path);   /* the mapping shows as "(deleted)" */
	for (i = 0; i < 4; i++)
		sink += file[i * ps];
	show("file", file, 4 * ps);
	printf("file_path=%s\n", path);

	char *shared = map_anon(4 * ps, MAP_SHARED);
	for (i = 0; i < 4; i++)
		shared[i * ps] = 's';
	show("shared", shared, 4 * ps);

	char *locked = map_anon(ps, MAP_PRIVATE);
	locked[0] = 'l';
	if (mlock(locked, ps) < 0)
		die("mlock");
	show("mlocked", locked, ps);

	{
		size_t thp_len = 4 << 20, want = 2 << 20;
		char *raw = map_anon(thp_len + want, MAP_PRIVATE);
		char *thp = (char *)(((uintptr_t)raw + want - 1) & ~(uintptr_t)(want - 1));

		if (madvise(thp, thp_len, MADV_HUGEPAGE) < 0)
			die("madvise");
		for (i = 0; i < thp_len; i += ps)
			thp[i] = 't';
		show("thp", thp, thp_len);
	}

	{
		char *h = mmap(NULL, 3 * ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (h == MAP_FAILED || munmap(h + ps, ps) < 0)
			die("hole");
		show("hole", h + ps, ps);
	}
	if (big) {
		char *b = map_anon(big, MAP_PRIVATE);

		madvise(b, big, MADV_NOHUGEPAGE);
		for (i = 0; i < big; i += ps)
			b[i] = 'b';
		show("big", b, big);
	}
	if (reserve) {
		char *r = mmap(NULL, reserve, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (r == MAP_FAILED)
			die("mmap reserve");
		/* a few pages inside it, so there is something to find */
		if (mprotect(r + (reserve / 2), 4 * ps, PROT_READ | PROT_WRITE) < 0)
			die("mprotect");
		r[reserve / 2] = 'r';
		show("reserve", r, reserve);
	}
	printf("page_size=%ld\npid=%d\nready\n", ps, (int)getpid());
	fflush(stdout);
	(void)sink;
	if (use_stdin) {
		char c;

		while (read(0, &c, 1) > 0)
			;
		return 0;
	}
	for (;;)
		pause();
}
