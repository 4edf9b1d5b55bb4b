/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote_kill: stop the remote command and what it started.  `sh -c CMD`
 * forks CMD's programs (dash does not exec the last one), so stopping the
 * shell alone would leave an agent that waits for ever, as a hostile or
 * hung one does.  The command runs on this machine whatever the root is,
 * so its descendants are found in this machine's /proc by parent PID and
 * signalled, the deepest first.  Only processes descended from the child
 * vmscope started are ever signalled. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "remote_int.h"

#define KILL_MAX 4096

/* The parent of pid from /proc/PID/stat (after the last ')': the comm
 * may hold anything); 0 when it cannot be read. */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;
	long pp = 0;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (!(f = fopen(path, "re")))
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %ld", &pp) != 1)
		return 0;
	return (pid_t)pp;
}

/* Every live PID with its parent, into pids/ppids (at most max). */
static size_t all_parents(pid_t *pids, pid_t *ppids, size_t max)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	size_t n = 0;

	if (!d)
		return 0;
	while (n < max && (de = readdir(d))) {
		char *end;
		long v = strtol(de->d_name, &end, 10);

		if (*end || v <= 0)
			continue;
		pids[n] = (pid_t)v;
		ppids[n] = parent_of((pid_t)v);
		n++;
	}
	closedir(d);
	return n;
}

void remote_kill_tree(pid_t root, int sig)
{
	static pid_t pids[KILL_MAX], ppids[KILL_MAX], tree[KILL_MAX];
	size_t n, nt = 1, i, j;

	if (root <= 0)
		return;
	n = all_parents(pids, ppids, KILL_MAX);
	tree[0] = root;
	for (i = 0; i < nt; i++)          /* breadth first: children after */
		for (j = 0; j < n && nt < KILL_MAX; j++)
			if (ppids[j] == tree[i] && pids[j] != root)
				tree[nt++] = pids[j];
	while (nt > 1)                    /* the deepest first, the shell last */
		kill(tree[--nt], sig);
	kill(root, sig);
}
