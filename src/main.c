/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmscope: entry point.  Options common to every mode, then either a
 * batch subcommand (src/cli) or the interactive explorer (src/ui). */
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "ui/theme.h"
#include "ui/ui.h"
#include "vmscope/procs.h"
#include "vmscope/escape.h"
#include "vmscope/root.h"
#include "vmscope/root_remote.h"
#include "vmscope/snapshot.h"
#include "vmscope/stopsig.h"

static const char usage_text[] =
"Usage: vmscope [OPTIONS]                     explore interactively\n"
"       vmscope [OPTIONS] -p PID              open one process\n"
"       vmscope [OPTIONS] maps [--holes] PID  list its memory mappings\n"
"       vmscope [OPTIONS] pages PID ADDR|START-END [--every-page]\n"
"                                             a line per page, one per run of\n"
"                                             absent pages (not-present, gap)\n"
"       vmscope [OPTIONS] translate PID ADDR  virtual to physical address\n"
"       vmscope [OPTIONS] kernel [--bootlog FILE] [--bootlog-only]\n"
"                                             kernel ranges with their sources\n"
"       vmscope [OPTIONS] phys [--bootlog FILE] [--no-lookup] ADDR\n"
"                                             what is at a physical address\n"
"       vmscope [OPTIONS] decode [--arch A] [--mode M] TEXT...|-\n"
"                                             page-table entries of a kernel\n"
"                                             message, placed on the map\n"
"       vmscope [OPTIONS] ram                 all of RAM by kind (free, anon, ...)\n"
"       vmscope snapshot [-p PID]... [--all] -o DIR|FILE.tar [--force]\n"
"                                             capture for exploring elsewhere\n"
"       vmscope --demo[=NAME]                 explore a bundled snapshot\n"
"\n"
"See Linux memory as it is: every mapping of a process, every page's\n"
"physical frame, kernel page flags, map count and memory cgroup, and the\n"
"physical address of device mappings (UIO, /dev/mem) pagemap cannot see.\n"
"\n"
"Options:\n"
"  -r, --root DIR     read a snapshot (directory or .tar) or fixture tree\n"
"                     instead of the live /\n"
"      --remote CMD   explore the machine at the other end of CMD, run with\n"
"                     /bin/sh -c: 'ssh root@board vmscope-collect --serve'\n"
"      --remote-timeout SECS\n"
"                     give up on a remote that answers nothing (default 30)\n"
"      --demo[=NAME]  open a bundled snapshot, no root needed: pc (default,\n"
"                     a real machine) or zynq-armv7 (a board, hand-made)\n"
"  -j, --json         batch commands print JSON\n"
"  -p, --pid PID      open the explorer on this process\n"
"  -t, --theme NAME   colour theme: %s\n"
"                     (the ones found; add your own as NAME.theme in\n"
"                     $XDG_CONFIG_HOME/vmscope/themes, or give a path)\n"
"  -a, --ascii        draw with ASCII instead of UTF-8 box characters\n"
"  -d, --delay SECS   refresh interval of the explorer (default 1)\n"
"      --no-mouse     leave the mouse to the terminal (select and copy text;\n"
"                     with the mouse on, Shift-drag selects in most terminals)\n"
"      --keys         list the explorer's keys and : commands\n"
"  -h, --help         show this help\n"
"  -V, --version      show the version\n"
"\n"
"Addresses are hexadecimal, with or without 0x.  START-END is exclusive.\n"
"translate exits 0 with an address, 2 not mapped, 3 not present,\n"
"4 swapped, 5 a gap pagemap cannot see (PFNMAP/IO, vsyscall) with no\n"
"known address, 6 PFN hidden (not root),\n"
"1 on errors, 64 on bad usage.\n"
"\n"
"The explorer reads its settings (theme, delay, sort, columns, ascii, mouse,\n"
"only_mine) from\n"
"$XDG_CONFIG_HOME/vmscope/config (~/.config/vmscope/config); options win.\n"
":set KEY VALUE changes one while it runs, :set save writes the file.\n"
"See vmscope(1).\n";

/* The batch commands: each adds a row here and a file in src/cli. */
static const struct command {
	const char *name;
	int (*run)(const struct vms_root *r, const struct cli_opts *o,
		   int argc, char **argv);
} commands[] = {
	{ "maps", cli_maps },
	{ "pages", cli_pages },
	{ "translate", cli_translate },
	{ "kernel", cli_kernel },
	{ "phys", cli_phys },
	{ "decode", cli_decode },
	{ "ram", cli_ram },
	{ "snapshot", cli_snapshot },
};

static const struct command *command_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int usage_error(const char *what)
{
	fprintf(stderr, "vmscope: %s\nTry 'vmscope --help'.\n", what);
	return CLI_USAGE;
}

/* What the common options ask for. */
struct main_opts {
	struct ui_opts uo;
	struct cli_opts co;
	const char *rootdir, *demo, *remote;
	unsigned remote_timeout;
};

/* The options before the subcommand into m; optind is left at the
 * subcommand.  -1 to go on, or the exit status (after --help, --version,
 * --keys, or a usage error printed). */
static int parse_options(int argc, char **argv, struct main_opts *m)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "pid", required_argument, NULL, 'p' },
		{ "theme", required_argument, NULL, 't' },
		{ "ascii", no_argument, NULL, 'a' },
		{ "delay", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "keys", no_argument, NULL, 'K' },
		{ "demo", optional_argument, NULL, 'D' },
		{ "remote", required_argument, NULL, 'R' },
		{ "remote-timeout", required_argument, NULL, 'T' },
		{ "no-mouse", no_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	/* '+': options end at the subcommand; its own arguments may still
	 * carry --json, handled below. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+r:jp:t:ad:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': m->rootdir = optarg; break;
		case 'j': m->co.json = true; break;
		case 'p':
			m->uo.pid = (int)strtol(optarg, &end, 10);
			if (*end || m->uo.pid <= 0)
				return usage_error("--pid needs a positive process ID");
			break;
		case 't': m->uo.theme = optarg; break;
		case 'a': m->uo.ascii = true; break;
		case 'M': m->uo.no_mouse = true; break;
		case 'd':
			m->uo.delay = strtod(optarg, &end);
			if (*end || !(m->uo.delay >= 0.1 && m->uo.delay <= 3600))
				return usage_error("--delay needs seconds between 0.1 and 3600");
			break;
		case 'h': {
			char *themes = theme_names_text();

			printf(usage_text, themes ? themes : "default, mono");
			free(themes);
			return 0;
		}
		case 'D':
			m->demo = optarg ? optarg : "";
			break;
		case 'R': m->remote = optarg; break;
		case 'T': {
			unsigned long t = strtoul(optarg, &end, 10);

			if (*end || t < 1 || t > 3600)
				return usage_error("--remote-timeout needs seconds between 1 and 3600");
			m->remote_timeout = (unsigned)t;
			break;
		}
		case 'V':
			printf("vmscope %s\n", VMSCOPE_VERSION);
			return 0;
		case 'K':
			ui_print_reference(stdout);
			return 0;
		default: {
			char msg[128], *esc;

			esc = escape_dup(argv[optind - 1] ? argv[optind - 1] : "?");
			snprintf(msg, sizeof msg, "unknown or incomplete option '%s'",
				 esc ? esc : "?");
			free(esc);
			return usage_error(msg);
		}
		}
	}
	return -1;
}

/* Run cmd on its arguments args[0 .. nargs), minus a trailing/leading
 * --json. */
static int run_command(const struct command *cmd, const struct vms_root *root,
		       struct cli_opts *co, int nargs, char **args)
{
	int i, k = 0;

	for (i = 0; i < nargs; i++) {
		if (!strcmp(args[i], "--json") || !strcmp(args[i], "-j"))
			co->json = true;
		else
			args[k++] = args[i];
	}
	return cmd->run(root, co, k, args);
}

/* The root the options name: a remote, a demo, a snapshot or live. */
static int open_root(const struct main_opts *m, struct vms_root *root,
		     struct snapshot_handle *snap, struct vms_err *e)
{
	if (m->remote) {
		/* a dead pipe is an EPIPE the remote backend reports */
		signal(SIGPIPE, SIG_IGN);
		snap->tmpdir[0] = '\0';
		return root_remote_open(root, m->remote, m->remote_timeout, e);
	}
	if (m->demo)
		return snapshot_open_demo(root, m->demo, VMSCOPE_DATADIR, snap, e);
	return snapshot_open(root, m->rootdir, snap, e);
}

/* After a stop signal (stopsig), with the temporary files gone: the
 * explorer exits 128+N, as q would have, quietly; a batch command dies of
 * the signal, as it would have uncaught, so that a script running it
 * stops too. */
static int stopped(bool batch)
{
	int sig = stopsig_caught();

	if (batch) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return 128 + sig;
}

int main(int argc, char **argv)
{
	struct main_opts m = { .uo = { .delay = 0 } }; /* 0: the settings' */
	struct vms_root root;
	struct vms_err e;
	const char *cmdname;
	struct snapshot_handle snap;
	const struct command *cmd = NULL;
	int rc;

	setlocale(LC_ALL, "");
	procs_set_live_source(&procs_proc2);
	rc = parse_options(argc, argv, &m);
	if (rc >= 0)
		return rc;
	cmdname = optind < argc ? argv[optind] : NULL;
	if (cmdname && !(cmd = command_find(cmdname))) {
		char msg[160], *esc = escape_dup(cmdname);

		snprintf(msg, sizeof msg, "unknown command '%s'", esc ? esc : "?");
		free(esc);
		return usage_error(msg);
	}
	if (m.demo && m.rootdir)
		return usage_error("give either --root or --demo, not both");
	if (m.remote && (m.demo || m.rootdir))
		return usage_error("--remote reads the other machine: give it without --root or --demo");
	/* the explorer quits on ^C as on q; a demo's private copy goes */
	if (!cmd || m.demo)
		stopsig_catch();
	if (open_root(&m, &root, &snap, &e) < 0) {
		if (stopsig_caught())
			return stopped(cmd != NULL);
		fprintf(stderr, "vmscope: %s\n", e.msg);
		if (cmd && m.co.json)
			cli_json_error(CLI_ERROR, e.msg);
		return CLI_ERROR;
	}
	if (stopsig_caught()) {
		rc = 0;   /* stopped while the demo was expanded */
	} else if (cmd) {
		rc = run_command(cmd, &root, &m.co, argc - optind - 1,
				 argv + optind + 1);
		/* --json: an error is a JSON object on stdout too */
		if (m.co.json && rc != CLI_OK && cli_last_error()[0] &&
		    !stopsig_caught())
			cli_json_error(rc, cli_last_error());
	} else {
		rc = 0;
		if (ui_run(&root, &m.uo, &e) < 0 && !stopsig_caught()) {
			fprintf(stderr, "vmscope: %s\n", e.msg);
			rc = CLI_ERROR;
		}
	}
	if (!stopsig_caught() && root_remote_lost(&root, &e)) {
		/* whatever the command made of it, the answer is incomplete */
		if (strcmp(cli_last_error(), e.msg) &&
		    strcmp(cli_snapshot_said(), e.msg))
			fprintf(stderr, "vmscope: %s\n", e.msg);
		rc = CLI_ERROR;
	}
	snapshot_close(&root, &snap);
	return stopsig_caught() ? stopped(cmd != NULL) : rc;
}
