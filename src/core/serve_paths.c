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

/* Trees: the path itself and everything below it (none holds a link). */
static const char *const trees[] = {
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

/* The number of '/'-separated components of s. */
static size_t components(const char *s)
{
	size_t n = 1;

	for (; *s; s++)
		n += *s == '/';
	return n;
}

/* sys/class/uio, not as a tree: each uioN there is the kernel's link
 * into the device tree, and below it device, subsystem, driver... lead
 * to the rest of sysfs.  Only what the readers read: uioN, its name and
 * version, maps, maps/mapM and the map's addr, size, offset, name. */
static bool uio_allowed(const char *rel, unsigned op)
{
	static const char *const dev_files[] = { "name", "version" };
	static const char *const map_files[] = { "addr", "size", "offset", "name" };
	const char *p, *last;
	size_t n, i;

	if (!below(rel, "sys/class/uio"))
		return false;
	n = components(rel);
	last = strrchr(rel, '/') + 1;
	if (n == 3 || n == 4)           /* sys/class/uio, .../uioN */
		return !(op & SERVE_READ);
	p = strchr(rel + strlen("sys/class/uio/"), '/') + 1;  /* after uioN/ */
	if (n == 5) {
		if (!strcmp(p, "maps"))
			return !(op & SERVE_READ);
		for (i = 0; i < sizeof dev_files / sizeof dev_files[0]; i++)
			if (!strcmp(p, dev_files[i]))
				return !(op & SERVE_LIST);
		return false;
	}
	if (strncmp(p, "maps/", 5))
		return false;
	if (n == 6)                     /* maps/mapM */
		return !(op & SERVE_READ);
	if (n != 7)
		return false;
	for (i = 0; i < sizeof map_files / sizeof map_files[0]; i++)
		if (!strcmp(last, map_files[i]))
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
	if (process_allowed(rel, op) || uio_allowed(rel, op))
		return true;
	/* the memory cgroup trees: walked by listing and stat, never read */
	for (i = 0; i < ncg; i++)
		if (below(rel, cgdirs[i]) && !(op & SERVE_READ))
			return true;
	return false;
}
