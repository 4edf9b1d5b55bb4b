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
 * snapshot keeps inode numbers, device numbers and file types). */
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
};

/* Make tap a root over inner (which must stay open) recording into the
 * directory outfd (not closed by the tap).  The tap takes inner's facts
 * (page size, architecture, live...).  Files are created 0600 and
 * directories 0700: a snapshot holds root-only data. */
int root_tap_open(struct vms_root *tap, const struct vms_root *inner,
		  int outfd, struct vms_err *e);

/* The first error of the recording itself (a full disk), or 0. */
int root_tap_error(const struct vms_root *tap, struct vms_err *e);

/* Notes on what could not be recorded (a read at an offset the output
 * filesystem cannot hold): n of them, each one line. */
size_t root_tap_notes(const struct vms_root *tap, const char *const **notes);

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

/* Write ROOT_STAT_NAME into the directory.  0 or -1. */
int root_tap_write_stats(struct vms_root *tap, struct vms_err *e);

#endif
