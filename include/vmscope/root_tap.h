/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root_tap: a root that reads through another and records what was read
 * into a directory, so that directory, opened as a root, answers every
 * reader as the other root did.  Capture is recording: `vmscope snapshot`
 * runs the readers of the screens on a tap over the live root.
 *
 * What is recorded: the bytes of every pread at their offsets (runs of
 * 512 zero bytes left as holes: they read back as zeros), each file's
 * size as far as it was read (exactly, where a read met the end), the
 * directories listed, and every successful stat (ROOT_STAT_NAME, so a
 * snapshot keeps inode numbers, device numbers and file types); which
 * parts of a file were read, so holes that were never read are told from
 * zeros that were (ROOT_RANGES_NAME); and reads that could not be kept: a
 * read error, or data at an offset past TAP_MAX_SIZE or past the largest
 * file the output holds (a bogus PFN), recorded as bad, never an error of
 * the capture. */

/* The largest file a recording holds: the pagemap of a 57-bit address
 * space, kpage* of 2^44 frames; three of them stay within the tar
 * reader's 2^50 logical bytes (tarfmt.h). */
#define TAP_MAX_SIZE ((uint64_t)1 << 47)
#ifndef VMSCOPE_ROOT_TAP_H
#define VMSCOPE_ROOT_TAP_H

#include "vmscope/root.h"

/* A region of a recorded file that holds data. */
struct tap_region {
	uint64_t off, len;
};

/* A recorded file. */
struct tap_file {
	const char *path;            /* relative to the directory */
	uint64_t size;
	const struct tap_region *r;  /* sorted, not overlapping */
	size_t n;
	/* what was read (data and zeros alike) and what could not be kept
	 * (root_recorded.c); NULL: never read, or replaced whole */
	const struct root_recfile *rec;
	bool end_known;              /* a read met the end: size is it */
};

/* Make tap a root over inner (which must stay open) recording into the
 * directory outfd (not closed by the tap).  The tap takes inner's facts
 * (page size, architecture, live...).  Files are created 0600 and
 * directories 0700: a snapshot holds root-only data. */
int root_tap_open(struct vms_root *tap, const struct vms_root *inner,
		  int outfd, struct vms_err *e);

/* The first error of the recording itself (a full disk), or 0. */
int root_tap_error(const struct vms_root *tap, struct vms_err *e);

/* Replace what was recorded of rel by data (a capture's filter: only the
 * lines of kallsyms and passwd a snapshot may keep).  0 or -1. */
int root_tap_replace(struct vms_root *tap, const char *rel, const char *data,
		     size_t len, struct vms_err *e);

/* Forget rel and everything below it (a process that was not captured
 * whole): its files are removed from the directory. */
void root_tap_forget(struct vms_root *tap, const char *rel);

/* The files recorded so far, sorted by path; valid until the next call
 * on the tap. */
size_t root_tap_files(struct vms_root *tap, const struct tap_file **files);

/* Write ROOT_RANGES_NAME (root_recorded.c) into the directory outfd:
 * what was read of each of files that was not read whole.  0 or -1. */
int root_recorded_write(int outfd, const struct tap_file *files, size_t n,
			struct vms_err *e);

/* Bytes of rel recorded as bad (a read error, or past the largest file
 * the output holds), the first at *first (UINT64_MAX: none). */
uint64_t root_tap_bad(struct vms_root *tap, const char *rel, uint64_t *first);

/* Write ROOT_STAT_NAME into the directory.  0 or -1. */
int root_tap_write_stats(struct vms_root *tap, struct vms_err *e);

#endif
