/* SPDX-License-Identifier: GPL-3.0-or-later */
/* demo_subject: the process the bundled demo snapshot (demo/pc) shows.
 * It lays out one of each thing docs/teaching.md walks through, prints
 * where each is as KEY=VALUE lines, then "ready", and waits until killed:
 *
 *   heap_var       a string in a malloc'd block: [heap], present, anon
 *   stack_var      a local array of main: [stack]
 *   file           a read-only private mapping of a text file, read:
 *                  page-cache pages (file_path names the file)
 *   thp            a 2 MiB-aligned MADV_HUGEPAGE region of 4 MiB, written:
 *                  transparent huge pages when the kernel gives them
 *   zero           16 pages of anonymous memory only read: the zero page
 *   untouched      16 pages of anonymous memory never touched
 *   cow            4 pages written before fork(): the child maps the same
 *                  frames (map count 2) until one of them writes
 *   child_pid      the child, "demo_child", which only sleeps
 *
 * The shared libraries and [vvar] (VM_PFNMAP: no struct page) come with
 * every process.  Plain C and libc: it knows nothing of vmscope. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Anonymous memory followed by a PROT_NONE page, so that neighbouring
 * regions stay separate VMAs. */
static char *map_anon(size_t len)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, len + ps, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	if (mprotect(p + len, ps, PROT_NONE) < 0)
		die("mprotect");
	return p;
}

static void show(const char *key, const void *addr)
{
	printf("%s=%p\n", key, addr);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/usr/share/common-licenses/GPL-3";
	long ps = sysconf(_SC_PAGESIZE);
	char stack_var[64] = "hello from the stack";
	volatile char sink = 0;
	struct stat st;
	size_t i;
	pid_t child;
	int fd;

	char *cow = map_anon(4 * ps);
	for (i = 0; i < 4; i++)
		cow[i * ps] = 'c';
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		prctl(PR_SET_NAME, "demo_child");
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		for (;;)
			pause();
	}

	char *heap_var = malloc(64 * 1024);
	if (!heap_var)
		die("malloc");
	memset(heap_var, 0, 64 * 1024);
	strcpy(heap_var, "hello from the heap");

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		die(path);
	char *file = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (file == MAP_FAILED)
		die("mmap file");
	close(fd);
	for (i = 0; i < (size_t)st.st_size; i += ps)
		sink += file[i];

	size_t thp_len = 4 << 20, align = 2 << 20;
	char *raw = map_anon(thp_len + align);
	char *thp = (char *)(((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1));
	if (madvise(thp, thp_len, MADV_HUGEPAGE) < 0)
		die("madvise");
	for (i = 0; i < thp_len; i += ps)
		thp[i] = 't';

	char *zero = map_anon(16 * ps);
	for (i = 0; i < 16; i++)
		sink += zero[i * ps];
	char *untouched = map_anon(16 * ps);

	show("heap_var", heap_var);
	show("stack_var", stack_var);
	show("file", file);
	printf("file_path=%s\nfile_len=%lld\n", path, (long long)st.st_size);
	show("thp", thp);
	show("zero", zero);
	show("untouched", untouched);
	show("cow", cow);
	printf("page_size=%ld\npid=%d\nchild_pid=%d\nready\n", ps, (int)getpid(),
	       (int)child);
	fflush(stdout);
	(void)sink;
	for (;;)
		pause();
}
