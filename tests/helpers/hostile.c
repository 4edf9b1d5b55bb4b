/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hostile: a process whose every name attacks the terminal that shows it.
 *
 *   hostile DIR
 *
 * It re-executes itself once so that its command line (argv[0] and an
 * argument) holds escape sequences (clear screen, set the window title,
 * an 8-bit CSI), a newline, invalid UTF-8 and a 4000-character run; sets
 * its comm (prctl) to an escape sequence with a newline and invalid
 * UTF-8; and maps, each one page, written:
 *   evil_file    DIR/<ESC[2J ESC]2;PWNED BEL, newline, \xff\xfe, CSI>
 *   long_file    DIR/d..d/d..d/.../f: a path of about 4000 characters
 *   evil_memfd   a memfd named with escape sequences (shown as
 *                "/memfd:NAME (deleted)")
 *   bidi_file    DIR/<RLO, LRI, ALM, zero width space, BOM, soft hyphen,
 *                line separator, a tag character, C1 NEL>.exe
 *   deleted_file DIR/x (deleted): a live file whose name ends as the
 *                kernel marks a deleted one
 *   bidi_memfd   a memfd named with bidi and invisible characters
 * argv[0] ends in a right-to-left override and a pop, too.
 * Prints KEY=VALUE lines (addresses, pid, the long path's length) and
 * "ready", then sleeps until killed.  Plain C and libc: it knows nothing
 * of vmscope. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define EVIL "\033[2J\033]2;PWNED\a\n\xff\xfe\xc2\x9b" "31m"
/* RLO "gnp." PDI; LRI ALM ZWSP BOM SHY LS, tag 'A', NEL */
#define BIDI "\xe2\x80\xae" "gnp." "\xe2\x81\xa9" "\xe2\x81\xa6\xd8\x9c" \
	"\xe2\x80\x8b\xef\xbb\xbf\xc2\xad\xe2\x80\xa8\xf3\xa0\x81\x81\xc2\x85"
#define LONG_PATH 4000

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static char *map_file(const char *path)
{
	long ps = sysconf(_SC_PAGESIZE);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	char *m;

	if (fd < 0 || ftruncate(fd, ps) < 0)
		die(path);
	m = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap");
	close(fd);
	m[0] = 'x';
	return m;
}

int main(int argc, char **argv)
{
	static char longarg[LONG_PATH + 1], path[LONG_PATH + 512];
	long ps = sysconf(_SC_PAGESIZE);
	char *evil, *longf, *mfd, *bidi, *deleted, *bmfd;
	size_t len;
	int fd;

	if (argc == 2) {
		/* the command line itself: exec again with hostile argv */
		char *nargv[] = { EVIL "hostile\xe2\x80\xae" "evil\xe2\x80\xac",
				  argv[1], longarg, NULL };

		memset(longarg, 'L', LONG_PATH);
		execv("/proc/self/exe", nargv);
		die("execv");
	}
	if (argc != 3) {
		fprintf(stderr, "usage: hostile DIR\n");
		return 2;
	}
	if (prctl(PR_SET_NAME, "\033[2J\n\xff\xfe" "evil") < 0)
		die("prctl");

	/* first: above the others, after them in a list by address */
	snprintf(path, sizeof path, "%s/%s.exe", argv[1], BIDI);
	bidi = map_file(path);
	snprintf(path, sizeof path, "%s/x (deleted)", argv[1]);
	deleted = map_file(path);
	fd = (int)syscall(SYS_memfd_create, BIDI, 0u);
	if (fd < 0 || ftruncate(fd, ps) < 0)
		die("memfd_create");
	bmfd = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (bmfd == MAP_FAILED)
		die("mmap memfd");
	bmfd[0] = 'b';

	snprintf(path, sizeof path, "%s/%s", argv[1], EVIL);
	evil = map_file(path);

	/* directories of 200 characters until the path is LONG_PATH long */
	len = (size_t)snprintf(path, sizeof path, "%s", argv[1]);
	while (len + 202 < LONG_PATH) {
		path[len++] = '/';
		memset(path + len, 'd', 200);
		len += 200;
		path[len] = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			die("mkdir");
	}
	path[len++] = '/';
	while (len < LONG_PATH)
		path[len++] = 'f';
	path[len] = '\0';
	longf = map_file(path);

	fd = (int)syscall(SYS_memfd_create, "\033]2;PWNED\a\033[2J\xff", 0u);
	if (fd < 0 || ftruncate(fd, ps) < 0)
		die("memfd_create");
	mfd = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mfd == MAP_FAILED)
		die("mmap memfd");
	mfd[0] = 'm';

	printf("evil_file=%p\nlong_file=%p\nlong_len=%zu\nevil_memfd=%p\n",
	       (void *)evil, (void *)longf, len, (void *)mfd);
	printf("bidi_file=%p\ndeleted_file=%p\nbidi_memfd=%p\n",
	       (void *)bidi, (void *)deleted, (void *)bmfd);
	printf("pid=%d\npage_size=%ld\nready\n", (int)getpid(), ps);
	fflush(stdout);
	for (;;)
		pause();
}
