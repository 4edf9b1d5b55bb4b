/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot: capture a root's processes and the machine's memory-map files
 * into a snapshot (a directory that looks like the live tree, or one tar
 * file), and open snapshots, tar files and the bundled demos as roots.
 *
 * Libc and the libc-only core modules (root, vmas, pagemap, kpage,
 * escape, err) only: vmscope-collect links this without ncurses,
 * readline or libproc2.
 *
 * Layout of a snapshot (every path relative to its top):
 *   vmscope-snapshot.conf        root.h's keys, plus processes= and
 *                                skipped=PID:reason,... and notes
 *   vmscope-snapshot.files       "SIZE PATH" for every file written, so a
 *                                truncated or incomplete copy is detected
 *   vmscope-snapshot.ranges      what was read of the files not read whole
 *                                (root_recorded: frames not recorded, bad)
 *   proc/PID/{status,cmdline,comm,cgroup,smaps,maps}
 *   proc/PID/pagemap             sparse: entries of the mapped ranges at
 *                                their live offsets (vaddr / page * 8)
 *   proc/{kpageflags,kpagecount,kpagecgroup}
 *                                sparse: entries of the referenced PFNs
 *                                at PFN * 8
 *   proc/{iomem,cmdline,vmallocinfo,meminfo,modules},
 *   proc/sys/kernel/kptr_restrict, boot.log (the kernel log), cgroup-inodes,
 *   proc/kallsyms                only the kernel image's section symbols;
 *                                other lines blank, so line numbers hold
 *   sys/firmware/memmap/N/{start,end,type},
 *   sys/class/uio/uioN/{name,version,maps/mapM/{name,addr,size,offset}},
 *   sys/kernel/mm/transparent_hugepage/enabled,
 *   etc/passwd                   only the users of captured processes
 */
#ifndef VMSCOPE_SNAPSHOT_H
#define VMSCOPE_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmscope/err.h"
#include "vmscope/root.h"

#define SNAPSHOT_FILES_NAME "vmscope-snapshot.files"

/* ---- capture ---- */

struct snapshot_opts {
	const int *pids;     /* the processes to capture ... */
	size_t npids;
	bool all;            /* ... or every process of the root */
	const char *out;     /* DIR, or FILE.tar (snapshot_is_tar_name) */
	bool force;          /* replace an existing snapshot at out */
};

/* A process that was asked for but is not in the snapshot. */
struct snapshot_skip {
	int pid;
	int code;            /* VMS_ENOPROC (exited), EACCES, ... */
	char why[200];
};

struct snapshot_stats {
	size_t processes;            /* captured */
	struct snapshot_skip *skipped;
	size_t nskipped;
	uint64_t present_pages;      /* pagemap entries with a present page */
	uint64_t pfns;               /* distinct PFNs whose kpage* were kept */
	uint64_t data_bytes;         /* bytes written, holes not counted */
	uint64_t size_bytes;         /* what it takes: the tar file's size,
					or the directory's blocks on disk */
	bool tar;                    /* out was written as one tar file */
	char (*notes)[200];          /* what could not be recorded, and why */
	size_t nnotes;
};

/* Capture from r (normally the live root; a snapshot root re-captures a
 * subset or converts a directory to a tar) into o->out.  The snapshot is
 * built in a private directory next to out and moved into place only when
 * complete; an existing out is an error unless o->force, and even then a
 * non-empty directory that is not a snapshot is never replaced.  A
 * process that vanishes or cannot be read is skipped and listed in st;
 * it is an error only when no process at all could be captured.  st must
 * be freed with snapshot_stats_free, also after a failure. */
int snapshot_write(const struct vms_root *r, const struct snapshot_opts *o,
		   struct snapshot_stats *st, struct vms_err *e);
void snapshot_stats_free(struct snapshot_stats *st);

/* True when path names a tar file (ends in ".tar"). */
bool snapshot_is_tar_name(const char *path);

/* ---- opening ---- */

/* What snapshot_open made and snapshot_close removes. */
struct snapshot_handle {
	char tmpdir[PATH_MAX];   /* a demo's private copy, "" if none */
};

/* Open path as a root: NULL or "/" is the live system; a directory is a
 * snapshot (or fixture); a regular file is a snapshot tar, read in place
 * (root_tar.h: nothing is extracted).  A snapshot is checked against its
 * vmscope-snapshot.files list and for the files its processes need
 * (maps, pagemap), and every problem is an error naming the file. */
int snapshot_open(struct vms_root *r, const char *path,
		  struct snapshot_handle *h, struct vms_err *e);

/* Open the bundled demo snapshot name ("" or NULL: "pc"): its compact
 * form, DATADIR/demo/NAME/{root/,entries}, is expanded into a private
 * directory.  DATADIR is $VMSCOPE_DATADIR, else ../demo next to the
 * running executable (a build tree), else the compiled-in datadir. */
int snapshot_open_demo(struct vms_root *r, const char *name,
		       const char *datadir, struct snapshot_handle *h,
		       struct vms_err *e);

/* Close r and remove what snapshot_open made. */
void snapshot_close(struct vms_root *r, struct snapshot_handle *h);

/* The checks snapshot_open makes on a snapshot root (not live). */
int snapshot_check(const struct vms_root *r, struct vms_err *e);

/* ---- pieces, for tests and the collector ---- */

/* Write the tree below dirfd as a GNU tar to outfd: the conf and the
 * files list first, then everything in name order; sparse files (holes,
 * or 512-byte blocks of zeros) as GNU sparse entries, so GNU tar
 * extracts them too.  mtime stamps every entry. */
int snapshot_tar_pack(int dirfd, int outfd, int64_t mtime,
		      struct vms_err *e);

/* Expand a compact snapshot: copy srcdir/root below destfd, then apply
 * srcdir/entries, lines of
 *     order big|little             the byte order the entries after it
 *                                  are written in (little until said:
 *                                  the order of a conf without byte_order)
 *     size  FILE BYTES             FILE is that long (sparse)
 *     entry FILE INDEX VALUE       the 64-bit VALUE at byte INDEX * 8
 *     seq   FILE INDEX COUNT FIRST STEP
 *                                  COUNT entries FIRST, FIRST+STEP, ...
 * (numbers hex 0x... or decimal, '#' starts a comment): the fixtures'
 * format, plus seq. */
int snapshot_expand(const char *srcdir, int destfd, struct vms_err *e);

/* Make a private directory (mode 0700) for an expanded demo; path
 * receives its name. */
int snapshot_mktemp(char *path, size_t n, struct vms_err *e);

/* Remove the tree at path (relative to dirfd, AT_FDCWD for a plain path),
 * never following symbolic links, however deep (iteratively, one
 * directory open at a time).  Returns 0 or -1 with errno set. */
int snapshot_remove_tree(int dirfd, const char *path);

#endif
