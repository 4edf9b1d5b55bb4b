/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procs_bench: the cost of one process-list refresh against a bare
 * libproc2 reap of the same items.
 *
 * Forks N sleeping children (default 2000) so that the list is long, then
 * times, alternating over several rounds:
 *   bare    procps_pids_reap() with vmscope's eight items, nothing else
 *   procs   procs_read(): the same reap plus copying every row out
 * and prints the median CPU and wall time of each and their ratio.  The
 * children die with it (PR_SET_PDEATHSIG) and are reaped before exit.
 * bench/ui_bench.sh compares vmscope's whole screen refresh with the bare
 * figure: run "procs_bench --bare-only N" for just that number.
 * Usage: procs_bench [--bare-only] [N [ROUNDS]]  (or VMSCOPE_BENCH_PROCS,
 * VMSCOPE_BENCH_ROUNDS; defaults 2000 and 9) */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libproc2/pids.h>
#include "vmscope/procs.h"

static enum pids_item items[] = {
	PIDS_ID_PID, PIDS_ID_EUID, PIDS_ID_EUSER, PIDS_VM_RSS,
	PIDS_VSIZE_BYTES, PIDS_CMD, PIDS_CMDLINE, PIDS_FLAGS,
};

static double now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static pid_t *kids;
static int nkids;

static void spawn(int n)
{
	int i, p[2];
	char c;

	kids = calloc((size_t)n, sizeof *kids);
	if (!kids || pipe(p) < 0) {
		perror("procs_bench");
		exit(1);
	}
	for (i = 0; i < n; i++) {
		pid_t k = fork();

		if (k < 0) {
			perror("procs_bench: fork");
			break;
		}
		if (k == 0) {
			close(p[1]);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			/* sleep until the parent closes the pipe */
			while (read(p[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		kids[nkids++] = k;
	}
	close(p[0]);
	/* p[1] stays open in this process until exit */
}

static void reap_kids(void)
{
	int i;

	for (i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < nkids; i++)
		waitpid(kids[i], NULL, 0);
}

static int count_total(void)
{
	struct pids_info *info = NULL;
	struct pids_fetch *f;
	int n = -1;

	if (procps_pids_new(&info, items, 1) < 0)
		return -1;
	f = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (f)
		n = f->counts->total;
	procps_pids_unref(&info);
	return n;
}

int main(int argc, char **argv)
{
	const char *env;
	int n = 2000, rounds = 9, r, a = 1, total;
	bool bare_only = false;
	double *bc, *bw, *pc, *pw;
	struct pids_info *info = NULL;
	struct vms_root root;
	struct vms_err e;
	struct procs *pr;
	struct proc_list l = { 0 };

	if (a < argc && strcmp(argv[a], "--bare-only") == 0) {
		bare_only = true;
		a++;
	}
	if ((env = getenv("VMSCOPE_BENCH_PROCS")))
		n = atoi(env);
	if ((env = getenv("VMSCOPE_BENCH_ROUNDS")))
		rounds = atoi(env);
	if (a < argc)
		n = atoi(argv[a++]);
	if (a < argc)
		rounds = atoi(argv[a++]);
	if (rounds < 1)
		rounds = 1;
	if (n < 0)
		n = 0;
	bc = calloc((size_t)rounds, sizeof *bc);
	bw = calloc((size_t)rounds, sizeof *bw);
	pc = calloc((size_t)rounds, sizeof *pc);
	pw = calloc((size_t)rounds, sizeof *pw);
	if (!bc || !bw || !pc || !pw)
		return 1;
	spawn(n);
	total = count_total();
	if (procps_pids_new(&info, items, (int)(sizeof items / sizeof items[0])) < 0 ||
	    root_open(&root, NULL, &e) < 0 || procs_open(&root, &pr, &e) < 0) {
		fprintf(stderr, "procs_bench: cannot start\n");
		reap_kids();
		return 1;
	}
	/* warm up both (user name caches, page cache of /proc) */
	procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	procs_read(pr, &l, &e);
	for (r = 0; r < rounds; r++) {
		double c0 = now(CLOCK_PROCESS_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);

		if (!procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY))
			break;
		bc[r] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
		bw[r] = now(CLOCK_MONOTONIC) - w0;
		if (bare_only)
			continue;
		c0 = now(CLOCK_PROCESS_CPUTIME_ID);
		w0 = now(CLOCK_MONOTONIC);
		if (procs_read(pr, &l, &e) < 0)
			break;
		pc[r] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
		pw[r] = now(CLOCK_MONOTONIC) - w0;
	}
	if (bare_only) {
		printf("processes=%d bare_cpu_ms=%.2f bare_wall_ms=%.2f\n", total,
		       median(bc, rounds), median(bw, rounds));
	} else {
		double b = median(bc, rounds), p = median(pc, rounds);

		printf("procs_bench: process list of %d processes (%d spawned), median of %d rounds\n",
		       total, nkids, rounds);
		printf("  %-34s %8s %8s\n", "", "CPU ms", "wall ms");
		printf("  %-34s %8.2f %8.2f\n", "bare libproc2 reap (8 items)", b,
		       median(bw, rounds));
		printf("  %-34s %8.2f %8.2f\n", "procs_read (reap + copy rows)", p,
		       median(pw, rounds));
		printf("  procs_read / bare reap: %.2fx CPU\n", b > 0 ? p / b : 0);
	}
	procs_list_free(&l);
	procs_close(pr);
	procps_pids_unref(&info);
	root_close(&root);
	reap_kids();
	return 0;
}
