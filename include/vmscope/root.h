/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root: the directory every file is read relative to (/ live, or a
 * snapshot or fixture tree), with the facts that come from it. */
#ifndef VMSCOPE_ROOT_H
#define VMSCOPE_ROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#ifndef PATH_MAX
#define PATH_MAX 4096
#endif
#include "vmscope/err.h"

#define ROOT_CONF_NAME "vmscope-snapshot.conf"
#define ROOT_FORMAT_VERSION 1

struct vms_root {
	char path[PATH_MAX]; /* as given, for messages */
	int dirfd;           /* O_PATH|O_DIRECTORY fd of the root */
	bool live;           /* true when the root is this machine's / */
	unsigned page_size;  /* bytes: sysconf live, conf page_size otherwise */
	unsigned page_shift;
	unsigned addr_bits;  /* 32 or 64: the target's user address width */
	char arch[32];       /* uname -m live, conf arch otherwise */
	char release[128];   /* kernel release */
	char taken[64];      /* snapshot time (conf "time"), "" live */
	char hostname[128];  /* conf "hostname" or live hostname */
	/* Whether pagemap PFNs and /proc/kpage* are visible to this reader:
	 * live, CAP_SYS_ADMIN in the effective set; in a snapshot, the conf's
	 * "pfn_visible" (whether the collector could see them). */
	bool pfn_visible;
};

/* Open dir as a root.  NULL or a path resolving to "/" gives the live
 * system.  Any other directory must hold ROOT_CONF_NAME with at least
 * page_size; a missing, malformed, or newer-format conf is an error that
 * names the problem. */
int root_open(struct vms_root *r, const char *dir, struct vms_err *e);
void root_close(struct vms_root *r);

/* Open rel (relative to the root, no leading '/') read-only, O_CLOEXEC.
 * Returns an fd or -1 with e set (message names ROOT-relative path). */
int root_open_file(const struct vms_root *r, const char *rel, struct vms_err *e);

/* Read the whole of rel into a malloc'd NUL-terminated buffer (works for
 * /proc files whose size reads as 0).  *len excludes the NUL.  Returns 0
 * or -1. */
int root_read_text(const struct vms_root *r, const char *rel, char **buf,
		   size_t *len, struct vms_err *e);

/* True when rel exists below the root. */
bool root_exists(const struct vms_root *r, const char *rel);

/* Hex digits to print a user virtual address on this root: 8 or 16. */
int root_addr_width(const struct vms_root *r);

/* A one-line description of the root for status lines and headers:
 * "live: HOST (x86_64, 6.18.44)" or "snapshot DIR: HOST armv7l 5.10 @ TIME". */
void root_describe(const struct vms_root *r, char *buf, size_t n);

/* Pure parser of the conf text, for tests and fuzzing: fills the
 * conf-derived fields of r.  Returns 0 or -1. */
int root_parse_conf(struct vms_root *r, const char *text, size_t len,
		    struct vms_err *e);

#endif
