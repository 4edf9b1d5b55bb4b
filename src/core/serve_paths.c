/* SPDX-License-Identifier: GPL-3.0-or-later */
/* serve_paths: which paths the agent serves.  An allow-list of what the
 * readers read, component by component, so no path can leave the trees
 * it names: /proc/PID/root, cwd, exe and fd/N are symbolic links to
 * anywhere and are never reachable, nor is any "..". */
#include <stdio.h>
#include <string.h>
#include "vmscope/root.h"
#include "vmscope/serve.h"

#define RD (SERVE_READ | SERVE_STAT)
#define ALL (SERVE_READ | SERVE_LIST | SERVE_STAT)

struct allowed {
	const char *path;
	unsigned ops;
};

/* Exact paths. */
static const struct allowed exact[] = {
	{ ROOT_BOOT_LOG, RD },
	{ "etc/passwd", RD },
	/* an older snapshot's cgroup table (--serve --root) */
	{ "cgroup-inodes", RD },
	{ "dev/mem", SERVE_STAT },
	{ "proc", SERVE_LIST | SERVE_STAT },
	{ "proc/kpageflags", RD },
	{ "proc/kpagecount", RD },
	{ "proc/kpagecgroup", RD },
	{ "proc/iomem", RD },
	{ "proc/cmdline", RD },
	{ "proc/vmallocinfo", RD },
	{ "proc/kallsyms", RD },
	{ "proc/modules", RD },
	{ "proc/meminfo", RD },
	{ "proc/vmstat", RD },
	{ "proc/sys/kernel/kptr_restrict", RD },
};

/* Trees: the path itself and everything below it. */
static const char *const trees[] = {
	"sys/class/uio",
	"sys/firmware/memmap",
	"sys/kernel/mm/transparent_hugepage",
};

/* The files of proc/PID (and proc/self, proc/thread-self). */
static const char *const per_process[] = {
	"maps", "smaps", "smaps_rollup", "pagemap", "status", "stat",
	"statm", "comm", "cmdline", "cgroup", "mountinfo",
};

/* No empty, "." or ".." component, no leading '/'. */
static bool components_ok(const char *rel)
{
	const char *p = rel;

	if (!*rel || *rel == '/')
		return false;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!slash)
			return true;
		p = slash + 1;
	}
}

/* rel is dir or below it. */
static bool below(const char *rel, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 0)
		return false;
	return strncmp(rel, dir, n) == 0 && (rel[n] == '\0' || rel[n] == '/');
}

static bool is_pid(const char *s, size_t n)
{
	size_t i;

	if ((n == 4 && !memcmp(s, "self", 4)) ||
	    (n == 11 && !memcmp(s, "thread-self", 11)))
		return true;
	if (n == 0 || n > 10 || s[0] == '0')
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* proc/PID (list, stat) and proc/PID/FILE (read, stat). */
static bool process_allowed(const char *rel, unsigned op)
{
	const char *pid = rel + 5, *slash;
	size_t i;

	if (strncmp(rel, "proc/", 5))
		return false;
	slash = strchr(pid, '/');
	if (!is_pid(pid, slash ? (size_t)(slash - pid) : strlen(pid)))
		return false;
	if (!slash)
		return !(op & SERVE_READ);
	for (i = 0; i < sizeof per_process / sizeof per_process[0]; i++)
		if (!strcmp(slash + 1, per_process[i]))
			return !(op & SERVE_LIST);
	return false;
}

bool serve_path_allowed(const char *rel, unsigned op,
			const char *const *cgdirs, size_t ncg)
{
	size_t i;

	if (!components_ok(rel))
		return false;
	for (i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (!strcmp(rel, exact[i].path))
			return (exact[i].ops & op) == op;
	for (i = 0; i < sizeof trees / sizeof trees[0]; i++)
		if (below(rel, trees[i]))
			return (ALL & op) == op;
	if (process_allowed(rel, op))
		return true;
	/* the memory cgroup trees: walked by listing and stat, never read */
	for (i = 0; i < ncg; i++)
		if (below(rel, cgdirs[i]) && !(op & SERVE_READ))
			return true;
	return false;
}
