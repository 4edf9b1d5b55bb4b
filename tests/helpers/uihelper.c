/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uihelper: a process for the screen tests and UI benchmarks.  Prints
 * KEY=VALUE lines and "ready", then sleeps until killed.
 *
 *   grow         GROW_PAGES pages of anon memory; each SIGUSR1 writes the
 *                next untouched one (grow_addr, grow_touched=N at start);
 *                SIGHUP reads every page not written (they map the zero
 *                page); SIGUSR2 drops the whole region (MADV_DONTNEED:
 *                written and zero pages go, the next SIGUSR1 writes the
 *                first page again)
 *   --file NAME  map a one-page file called NAME (any bytes, escapes
 *                included) in $TMPDIR or /tmp: weird_file=ADDR
 *   --comm NAME  prctl name (escape sequences welcome)
 *   --bigvma GIB one rw MAP_NORESERVE anon VMA of GIB GiB; a page is
 *                written every 64 MiB (bigvma, bigvma_len)
 *   --touch MIB  MIB MiB of anon memory, written, MADV_NOHUGEPAGE (touch)
 *   --children N fork N children that sleep until this process dies
 *                (PR_SET_PDEATHSIG); children=N once all exist
 *   --threads N  start N threads that sleep (threads=N once all exist)
 * Plain C and libc: it knows nothing of vmscope. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define GROW_PAGES 64

static volatile sig_atomic_t grow_req, zero_req, drop_req;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		grow_req++;
	else if (sig == SIGHUP)
		zero_req = 1;
	else
		drop_req = 1;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* A thread that only sleeps; signals are the main thread's to take. */
static void *sleeper(void *arg)
{
	sigset_t all;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	long ps = sysconf(_SC_PAGESIZE);
	const char *fname = NULL, *comm = NULL;
	size_t bigvma = 0, touch = 0, i;
	long children = 0, threads = 0, k;
	int a, touched = 0;
	char *grow;
	struct sigaction sa;
	sigset_t block, old;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--file") && a + 1 < argc)
			fname = argv[++a];
		else if (!strcmp(argv[a], "--comm") && a + 1 < argc)
			comm = argv[++a];
		else if (!strcmp(argv[a], "--bigvma") && a + 1 < argc)
			bigvma = strtoull(argv[++a], NULL, 10) << 30;
		else if (!strcmp(argv[a], "--touch") && a + 1 < argc)
			touch = strtoull(argv[++a], NULL, 10) << 20;
		else if (!strcmp(argv[a], "--children") && a + 1 < argc)
			children = strtol(argv[++a], NULL, 10);
		else if (!strcmp(argv[a], "--threads") && a + 1 < argc)
			threads = strtol(argv[++a], NULL, 10);
		else {
			fprintf(stderr, "uihelper: unknown argument %s\n", argv[a]);
			return 2;
		}
	}
	if (comm && prctl(PR_SET_NAME, comm) < 0)
		die("prctl");

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigaddset(&block, SIGHUP);

	/* a guard page after it keeps it a VMA of its own */
	grow = mmap(NULL, (GROW_PAGES + 1) * ps, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (grow == MAP_FAILED || mprotect(grow + GROW_PAGES * ps, ps, PROT_NONE))
		die("mmap grow");
	madvise(grow, GROW_PAGES * ps, MADV_NOHUGEPAGE);
	grow[0] = 1;
	touched = 1;
	printf("grow_addr=%p\ngrow_pages=%d\n", (void *)grow, GROW_PAGES);

	if (fname) {
		const char *dir = getenv("TMPDIR");
		char path[4096];
		int fd;
		char *m;

		snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/tmp",
			 fname);
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || ftruncate(fd, ps) < 0)
			die("weird file");
		m = mmap(NULL, ps, PROT_READ, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			die("mmap weird file");
		close(fd);
		printf("weird_file=%p\n", (void *)m);
	}
	if (bigvma) {
		char *b = mmap(NULL, bigvma, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (b == MAP_FAILED)
			die("mmap bigvma");
		madvise(b, bigvma, MADV_NOHUGEPAGE);
		for (i = 0; i < bigvma; i += 64 << 20)
			b[i] = 'b';
		printf("bigvma=%p\nbigvma_len=%zu\n", (void *)b, bigvma);
	}
	if (touch) {
		char *t = mmap(NULL, touch, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (t == MAP_FAILED)
			die("mmap touch");
		madvise(t, touch, MADV_NOHUGEPAGE);
		for (i = 0; i < touch; i += (size_t)ps)
			t[i] = 't';
		printf("touch=%p\ntouch_len=%zu\n", (void *)t, touch);
	}
	for (k = 0; k < children; k++) {
		pid_t c = fork();

		if (c < 0)
			die("fork");
		if (c == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(0);
			for (;;)
				pause();
		}
	}
	if (children)
		printf("children=%ld\n", children);
	for (k = 0; k < threads; k++) {
		pthread_t t;

		if (pthread_create(&t, NULL, sleeper, NULL) != 0)
			die("pthread_create");
	}
	if (threads)
		printf("threads=%ld\n", threads);
	printf("pid=%d\npage_size=%ld\nready\n", (int)getpid(), ps);
	fflush(stdout);

	for (;;) {
		sigprocmask(SIG_BLOCK, &block, &old);
		while (!grow_req && !zero_req && !drop_req)
			sigsuspend(&old);
		if (drop_req) {
			drop_req = 0;
			madvise(grow, GROW_PAGES * ps, MADV_DONTNEED);
			touched = 0;
		}
		while (grow_req > 0) {
			grow_req--;
			if (touched < GROW_PAGES)
				grow[(size_t)touched++ * (size_t)ps] = 1;
		}
		if (zero_req) {
			volatile char *g = grow;
			char sum = 0;

			zero_req = 0;
			for (k = touched; k < GROW_PAGES; k++)
				sum += g[(size_t)k * (size_t)ps];
			(void)sum;
		}
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
}
