/* SPDX-License-Identifier: GPL-3.0-or-later */
/* layouthelper: a process whose layout changes without a page fault:
 * at each SIGUSR1 it maps one more region of 3 MiB that it never
 * touches, so its fault and RSS counters hold still while
 * its VMAs change.  Prints pid=, then "ready", and waits.
 * Plain C and libc: it knows nothing of vmscope. */
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile sig_atomic_t made;

static void more(int sig)
{
	(void)sig;
	/* never touched: no fault, no RSS; read-only and inaccessible by
	 * turns, so that it never merges with the one before */
	mmap(NULL, 3u << 20, made++ % 2 ? PROT_NONE : PROT_READ,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = more };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	printf("pid=%d\nready\n", (int)getpid());
	fflush(stdout);
	for (;;)
		pause();
}
