/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli: batch subcommands, the core model printed as text or JSON. */
#ifndef VMSCOPE_CLI_H
#define VMSCOPE_CLI_H

#include <stdbool.h>
#include "vmscope/root.h"

struct cli_opts {
	bool json;
};

/* Each takes the arguments after the subcommand name and returns the
 * process exit status.  Errors go to stderr as "vmscope: MESSAGE". */
int cli_maps(const struct vms_root *r, const struct cli_opts *o, int argc,
	     char **argv);
int cli_pages(const struct vms_root *r, const struct cli_opts *o, int argc,
	      char **argv);
int cli_translate(const struct vms_root *r, const struct cli_opts *o,
		  int argc, char **argv);
int cli_kernel(const struct vms_root *r, const struct cli_opts *o, int argc,
	       char **argv);
int cli_phys(const struct vms_root *r, const struct cli_opts *o, int argc,
	     char **argv);
int cli_decode(const struct vms_root *r, const struct cli_opts *o, int argc,
	       char **argv);
int cli_ram(const struct vms_root *r, const struct cli_opts *o, int argc,
	    char **argv);
/* snapshot: also the whole of vmscope-collect (src/collector), so it uses
 * libc and the core's libc-only modules only.  The usage text takes the
 * program name as its one %s. */
int cli_snapshot(const struct vms_root *r, const struct cli_opts *o,
		 int argc, char **argv);
/* The last error a batch command printed (without "vmscope: "). */
const char *cli_last_error(void);
/* {"error":{"code":"usage"|"error","status":N,"message":"..."}} on
 * stdout: what --json prints for an error, besides stderr's line. */
void cli_json_error(int status, const char *message);
/* The last message the snapshot command printed (unescaped), or "". */
const char *cli_snapshot_said(void);
extern const char cli_snapshot_usage[];
extern const char *cli_snapshot_prog;  /* "vmscope snapshot" */

/* Exit statuses. */
enum {
	CLI_OK = 0,
	CLI_ERROR = 1,         /* bad usage, unreadable files, no process */
	CLI_NOT_MAPPED = 2,    /* translate: address in no VMA */
	CLI_NOT_PRESENT = 3,   /* translate: no page there now */
	CLI_SWAPPED = 4,       /* translate: page is in swap */
	CLI_GAP = 5,           /* translate: PFNMAP/IO, no physical address known */
	CLI_HIDDEN = 6,        /* translate: PFN hidden (no CAP_SYS_ADMIN) */
	CLI_USAGE = 64,        /* EX_USAGE */
};

#endif
