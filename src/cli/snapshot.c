/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmscope snapshot [-p PID ...|--all] -o DIR|FILE.tar [--force]: capture
 * processes and the machine's memory map for exploring elsewhere.  Shared
 * with vmscope-collect, so libc and the core's snapshot module only: no
 * util.c, json.c, ncurses or libproc2 here. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/units.h"
#include "cli.h"
#include "vmscope/escape.h"
#include "vmscope/snapshot.h"
#include "vmscope/stopsig.h"

#define SHOW_SKIPPED 10

/* How the command is called, for messages: vmscope-collect sets it. */
const char *cli_snapshot_prog = "vmscope snapshot";

/* "vmscope: " or "vmscope-collect: " */
static void prefix(void)
{
	size_t n = strcspn(cli_snapshot_prog, " ");

	fprintf(stderr, "%.*s: ", (int)n, cli_snapshot_prog);
}

const char cli_snapshot_usage[] =
"Usage: %s [-p PID]... [--all] -o DIR|FILE.tar [--force] [--json]\n"
"\n"
"Capture processes and the machine's memory map into a snapshot that\n"
"'vmscope --root DIR' (or FILE.tar) explores anywhere, without root:\n"
"each process's maps, smaps, status, cmdline and pagemap entries, the\n"
"kpageflags/kpagecount/kpagecgroup entries of every page frame they use,\n"
"the boot log, /proc/iomem, /proc/cmdline, /proc/vmallocinfo, the\n"
"firmware memory map, UIO devices and the memory cgroups.\n"
"\n"
"  -p, --pid PID   capture this process (repeatable; PIDs may also follow\n"
"                  as plain arguments)\n"
"  -a, --all       capture every process\n"
"  -o, --output P  write the snapshot to directory P, or to one tar file\n"
"                  when P ends in .tar\n"
"  -f, --force     replace an existing snapshot at P\n"
"  -j, --json      print the summary as JSON\n"
"\n"
"Run it as root: without CAP_SYS_ADMIN the kernel hides page frames and\n"
"other users' processes.  A process that exits during the capture is\n"
"left out with a note.  The snapshot holds command lines and the kernel\n"
"log: treat it like the machine's own files.\n";

/* The last message said, unescaped: main prints a lost connection only
 * when the command has not said it already. */
static char said[1024];

const char *cli_snapshot_said(void)
{
	return said;
}

static void say(const char *fmt, const char *arg)
{
	char *esc = escape_dup(arg ? arg : "");

	snprintf(said, sizeof said, fmt, arg ? arg : "");
	fflush(stdout);
	prefix();
	fprintf(stderr, fmt, esc ? esc : "?");
	fputc('\n', stderr);
	free(esc);
}

static int usage_error(const char *fmt, const char *arg)
{
	say(fmt, arg);
	fprintf(stderr, "Try '%s --help'.\n", cli_snapshot_prog);
	return CLI_USAGE;
}

static bool parse_pid(const char *s, int *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > INT_MAX)
		return false;
	*pid = (int)v;
	return true;
}

static void print_json(const struct snapshot_opts *o,
		       const struct snapshot_stats *st)
{
	size_t i;

	fputs("{\"output\":", stdout);
	escape_json(stdout, o->out);
	printf(",\"tar\":%s,\"processes\":%zu,\"present_pages\":%" PRIu64
	       ",\"pfns\":%" PRIu64 ",\"size_bytes\":%" PRIu64
	       ",\"data_bytes\":%" PRIu64 ",\"skipped\":[",
	       st->tar ? "true" : "false", st->processes, st->present_pages,
	       st->pfns, st->size_bytes, st->data_bytes);
	for (i = 0; i < st->nskipped; i++) {
		printf("%s{\"pid\":%d,\"why\":", i ? "," : "", st->skipped[i].pid);
		escape_json(stdout, st->skipped[i].why);
		putchar('}');
	}
	fputs("],\"notes\":[", stdout);
	for (i = 0; i < st->nnotes; i++) {
		if (i)
			putchar(',');
		escape_json(stdout, st->notes[i]);
	}
	fputs("]}\n", stdout);
}

/* "note: process N left out: WHY" for the first SHOW_SKIPPED. */
static void note_skipped(const struct snapshot_stats *st)
{
	size_t i;

	for (i = 0; i < st->nskipped && i < SHOW_SKIPPED; i++) {
		prefix();
		fprintf(stderr, "note: process %d left out: %s\n",
			st->skipped[i].pid, st->skipped[i].why);
	}
}

static void print_text(const struct snapshot_opts *o,
		       const struct snapshot_stats *st)
{
	char size[32], data[32], *esc = escape_dup(o->out);
	size_t i;

	/* what the user will see with ls -l (a tar) or du (a directory),
	 * and how much of it is what the readers read */
	units_size(size, sizeof size, st->size_bytes);
	units_size(data, sizeof data, st->data_bytes);
	printf("snapshot %s: %zu process%s, %" PRIu64 " present pages, %" PRIu64
	       " page frames; %s%s%s, %s of it data\n", esc ? esc : "?",
	       st->processes, st->processes == 1 ? "" : "es",
	       st->present_pages, st->pfns, st->tar ? "a tar file of " : "",
	       size, st->tar ? "" : " on disk", data);
	free(esc);
	fflush(stdout);
	note_skipped(st);
	if (st->nskipped > SHOW_SKIPPED) {
		prefix();
		fprintf(stderr, "note: and %zu more processes left out (the snapshot's conf lists them as skipped=)\n",
			st->nskipped - SHOW_SKIPPED);
	}
	for (i = 0; i < st->nnotes; i++) {
		prefix();
		fprintf(stderr, "note: %s\n", st->notes[i]);
	}
}

/* The arguments into o and pids[0 .. *n) (pids has room for argc).
 * -1 to go on, or the exit status: CLI_OK after --help, CLI_USAGE (the
 * error printed). */
static int parse_args(int argc, char **argv, struct snapshot_opts *o,
		      int *pids, size_t *n)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			printf(cli_snapshot_usage, cli_snapshot_prog);
			return CLI_OK;
		} else if (!strcmp(a, "-a") || !strcmp(a, "--all")) {
			o->all = true;
		} else if (!strcmp(a, "-f") || !strcmp(a, "--force")) {
			o->force = true;
		} else if (!strcmp(a, "-p") || !strcmp(a, "--pid") ||
			   !strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (i + 1 >= argc)
				return usage_error("%s needs a value", a);
			val = argv[++i];
			if (a[1] == 'o' || a[2] == 'o')
				o->out = val;
			else if (!parse_pid(val, &pids[(*n)++]))
				return usage_error("'%s' is not a process ID (give a positive decimal number)", val);
		} else if (!strncmp(a, "--output=", 9)) {
			o->out = a + 9;
		} else if (!strncmp(a, "--pid=", 6)) {
			if (!parse_pid(a + 6, &pids[(*n)++]))
				return usage_error("'%s' is not a process ID (give a positive decimal number)", a + 6);
		} else if (a[0] != '-' && parse_pid(a, &pids[*n])) {
			(*n)++;
		} else {
			return usage_error("snapshot: unknown argument '%s'", a);
		}
	}
	if (!o->out)
		return usage_error("%s", "snapshot needs -o DIR or -o FILE.tar");
	if (o->all && *n)
		return usage_error("%s", "give either -p PID or --all, not both");
	if (!o->all && !*n)
		return usage_error("%s", "snapshot needs -p PID (repeatable) or --all");
	return -1;
}

int cli_snapshot(const struct vms_root *r, const struct cli_opts *co,
		 int argc, char **argv)
{
	struct snapshot_opts o = { 0 };
	struct snapshot_stats st;
	struct vms_err e;
	int *pids = calloc((size_t)argc + 1, sizeof *pids), rc;
	size_t n = 0;

	if (!pids) {
		say("%s", "out of memory");
		return CLI_ERROR;
	}
	rc = parse_args(argc, argv, &o, pids, &n);
	if (rc >= 0) {
		free(pids);
		return rc;
	}
	o.pids = pids;
	o.npids = n;
	stopsig_catch();   /* ^C: the staging directory is removed first */
	rc = snapshot_write(r, &o, &st, &e);
	if (rc < 0 && stopsig_caught()) {
		int sig = stopsig_caught();

		say("interrupted: nothing written to %s", o.out);
		snapshot_stats_free(&st);
		free(pids);
		/* die of it, as uncaught: a script running this stops too */
		signal(sig, SIG_DFL);
		raise(sig);
		return 128 + sig;
	}
	if (rc < 0) {
		say("%s", e.msg);
		note_skipped(&st);
		snapshot_stats_free(&st);
		free(pids);
		return CLI_ERROR;
	}
	if (co->json)
		print_json(&o, &st);
	else
		print_text(&o, &st);
	snapshot_stats_free(&st);
	free(pids);
	if (stopsig_caught()) {
		/* the signal came once the snapshot was in place: it is
		 * whole, and the caller still learns it was interrupted */
		int sig = stopsig_caught();

		say("interrupted after the snapshot was written: %s is complete",
		    o.out);
		signal(sig, SIG_DFL);
		raise(sig);
		return 128 + sig;
	}
	return CLI_OK;
}
