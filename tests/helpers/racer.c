/* SPDX-License-Identifier: GPL-3.0-or-later */
/* racer: a process whose memory changes as fast as it can, for the race
 * tests.  Every mode prints KEY=VALUE lines and "ready", runs for at
 * most SECONDS, then exits 0 by itself.
 *
 *   racer maps SECONDS   one thread maps, touches, mprotects, mremaps and
 *                        unmaps pages in a fixed arena (arena, arena_len)
 *                        in a tight loop, so its maps change between any
 *                        two reads of /proc/PID/maps and pagemap
 *   racer exec SECONDS   the same PID execs itself again and again, each
 *                        image mapping something new before the next
 *                        exec (the address space is replaced under the
 *                        reader; pid=PID stays valid)
 *   racer fork SECONDS   forks short-lived children (each maps a little,
 *                        then exits at once) and writes the newest
 *                        child's PID to the file $RACER_PIDFILE (or
 *                        ./racer.pid), so a reader chases processes that
 *                        exit under it
 * Plain C and libc: it knows nothing of vmscope. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ARENA_PAGES 256

static long ps;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift: cheap and the same on every libc */
static uint32_t rnd(void)
{
	static uint32_t x = 2463534242u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

/* One step of churn in the arena: a random run of pages gets mapped
 * (anon, fixed), touched, mprotected to something else so neighbours
 * split, moved with mremap, or unmapped. */
static void churn(char *arena)
{
	size_t first = rnd() % ARENA_PAGES, n = 1 + rnd() % 16, i;
	char *p;
	static const int prots[] = { PROT_READ, PROT_READ | PROT_WRITE,
				     PROT_NONE, PROT_READ | PROT_EXEC };

	if (first + n > ARENA_PAGES)
		n = ARENA_PAGES - first;
	p = arena + first * ps;
	switch (rnd() % 5) {
	case 0:
	case 1:
		if (mmap(p, n * ps, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			die("mmap");
		for (i = 0; i < n; i++)
			p[i * ps] = (char)i;
		break;
	case 2:
		mprotect(p, n * ps, prots[rnd() % 4]);
		break;
	case 3:
		if (first + 2 * n <= ARENA_PAGES)
			mremap(p, n * ps, n * ps, MREMAP_MAYMOVE | MREMAP_FIXED,
			       p + n * ps);
		break;
	default:
		munmap(p, n * ps);
		break;
	}
}

static char *make_arena(void)
{
	char *a = mmap(NULL, ARENA_PAGES * ps, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (a == MAP_FAILED)
		die("mmap arena");
	memset(a, 1, ARENA_PAGES * ps);
	return a;
}

static void ready(const char *arena)
{
	if (arena)
		printf("arena=%p\narena_len=%ld\n", (const void *)arena,
		       ARENA_PAGES * ps);
	printf("pid=%d\npage_size=%ld\nready\n", (int)getpid(), ps);
	fflush(stdout);
}

static int mode_maps(double secs)
{
	char *arena = make_arena();
	double end = now() + secs;
	unsigned long k = 0;

	ready(arena);
	while ((k++ & 255) || now() < end)
		churn(arena);
	return 0;
}

/* racer exec SECONDS [DEADLINE GENERATION]: the first image sets the
 * deadline; each later one maps and touches a little, then execs again. */
static int mode_exec(char *self, double secs, const char *deadline,
		     const char *gen)
{
	double end = deadline ? strtod(deadline, NULL) : now() + secs;
	unsigned long g = gen ? strtoul(gen, NULL, 10) : 0;
	char dl[64], gn[32], sec[32];
	char *argv[] = { self, "exec", sec, dl, gn, NULL };
	char *a;
	int i;

	if (!deadline)
		ready(NULL);
	if (now() >= end)
		return 0;
	/* something to find in this image: a few VMAs, touched */
	a = make_arena();
	for (i = 0; i < 64; i++)
		churn(a);
	snprintf(sec, sizeof sec, "%g", secs);
	snprintf(dl, sizeof dl, "%.6f", end);
	snprintf(gn, sizeof gn, "%lu", g + 1);
	execv("/proc/self/exe", argv);
	die("execv");
	return 1;
}

static int mode_fork(double secs)
{
	const char *pf = getenv("RACER_PIDFILE");
	double end = now() + secs;
	char tmp[4200], buf[32];
	int n;

	if (!pf || !*pf)
		pf = "racer.pid";
	snprintf(tmp, sizeof tmp, "%s.tmp", pf);
	ready(NULL);
	while (now() < end) {
		pid_t c = fork();
		int fd;

		if (c < 0)
			die("fork");
		if (c == 0) {
			char *a = make_arena();
			int i;

			for (i = 0; i < 32; i++)
				churn(a);
			_exit(0);
		}
		/* publish the newest child atomically (rename) */
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			n = snprintf(buf, sizeof buf, "%d\n", (int)c);
			if (write(fd, buf, (size_t)n) != n)
				die("write pidfile");
			close(fd);
			rename(tmp, pf);
		}
		/* reap the previous ones without waiting for this one */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(200);
	}
	while (wait(NULL) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	double secs;

	ps = sysconf(_SC_PAGESIZE);
	if (argc < 3) {
		fprintf(stderr, "usage: racer maps|exec|fork SECONDS\n");
		return 2;
	}
	secs = strtod(argv[2], NULL);
	if (!(secs > 0 && secs <= 600)) {
		fprintf(stderr, "racer: SECONDS must be in (0, 600]\n");
		return 2;
	}
	/* die with the test that started it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!strcmp(argv[1], "maps"))
		return mode_maps(secs);
	if (!strcmp(argv[1], "exec"))
		return mode_exec(argv[0], secs, argc > 3 ? argv[3] : NULL,
				 argc > 4 ? argv[4] : NULL);
	if (!strcmp(argv[1], "fork"))
		return mode_fork(secs);
	fprintf(stderr, "racer: unknown mode %s\n", argv[1]);
	return 2;
}
