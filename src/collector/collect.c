/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmscope-collect: the snapshot command alone, for boards without
 * ncurses, readline or procps: C and libc, static where the toolchain
 * allows.  Copy it to the board, run it as root, bring the snapshot back
 * and explore it with 'vmscope --root'. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "vmscope/escape.h"
#include "vmscope/serve.h"
#include "vmscope/snapshot.h"

/* --serve: this machine's files for `vmscope --remote`, on stdin and
 * stdout (docs/protocol.md); errors on stderr, which the client shows. */
static int serve_stdio(const char *rootdir)
{
	struct snapshot_handle h;
	struct vms_root root;
	struct vms_err e;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	if ((rootdir ? snapshot_open(&root, rootdir, &h, &e)
		     : root_live_open(&root, &e)) < 0) {
		char *esc = escape_dup(e.msg);

		fprintf(stderr, "vmscope-collect: %s\n", esc ? esc : e.msg);
		free(esc);
		return CLI_ERROR;
	}
	rc = serve_run(&root, STDIN_FILENO, STDOUT_FILENO, &e);
	if (rootdir)
		snapshot_close(&root, &h);
	else
		root_close(&root);
	if (rc < 0) {
		fprintf(stderr, "vmscope-collect: %s\n", e.msg);
		return CLI_ERROR;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_opts co = { 0 };
	struct snapshot_handle h;
	struct vms_root root;
	struct vms_err e;
	const char *rootdir = NULL;
	char **args = argv + 1;
	int nargs = argc - 1, i, k = 0, rc;

	cli_snapshot_prog = "vmscope-collect";
	for (i = 0; i < nargs; i++) {
		if (!strcmp(args[i], "-h") || !strcmp(args[i], "--help")) {
			printf(cli_snapshot_usage, "vmscope-collect");
			printf("  -r, --root DIR  capture from a snapshot (DIR or FILE.tar) instead\n"
			       "                  of this machine: a subset, or a tar of a directory\n"
			       "      --serve     answer 'vmscope --remote' on stdin and stdout\n"
			       "                  until stdin closes (read-only); with --root,\n"
			       "                  serve that snapshot instead of this machine\n"
			       "  -V, --version   show the version\n");
			return 0;
		}
		if (!strcmp(args[i], "-V") || !strcmp(args[i], "--version")) {
			printf("vmscope-collect %s\n", VMSCOPE_VERSION);
			return 0;
		}
		if (!strcmp(args[i], "--serve") && nargs == 1)
			return serve_stdio(NULL);
		if (!strcmp(args[i], "--serve") && nargs == 3 &&
		    (!strcmp(args[i ? 0 : 1], "-r") || !strcmp(args[i ? 0 : 1], "--root")))
			return serve_stdio(args[i ? 1 : 2]);
		if ((!strcmp(args[i], "-r") || !strcmp(args[i], "--root")) &&
		    i + 1 < nargs)
			rootdir = args[++i];
		else if (!strcmp(args[i], "--json") || !strcmp(args[i], "-j"))
			co.json = true;
		else
			args[k++] = args[i];
	}
	if (snapshot_open(&root, rootdir, &h, &e) < 0) {
		char *esc = escape_dup(e.msg);

		fprintf(stderr, "vmscope-collect: %s\n", esc ? esc : e.msg);
		free(esc);
		return CLI_ERROR;
	}
	rc = cli_snapshot(&root, &co, k, args);
	snapshot_close(&root, &h);
	return rc;
}
