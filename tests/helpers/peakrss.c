/* SPDX-License-Identifier: GPL-3.0-or-later */
/* peakrss: run a command and report its peak resident set size.
 *
 *   peakrss FILE COMMAND [ARG...]
 *
 * Writes the child's maximum RSS in KiB (getrusage's ru_maxrss, what the
 * kernel records as VmHWM) to FILE and exits with the command's status
 * (128 + N when signal N killed it).  Plain C and libc. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	pid_t c;
	int st;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: peakrss FILE COMMAND [ARG...]\n");
		return 2;
	}
	c = fork();
	if (c < 0) {
		perror("fork");
		return 2;
	}
	if (c == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (wait4(c, &st, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	f = fopen(argv[1], "w");
	if (f) {
		fprintf(f, "%ld\n", ru.ru_maxrss);
		fclose(f);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
