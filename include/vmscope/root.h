/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root: where every file the core reads comes from, and the facts that
 * come with it (page size, architecture, kernel release, byte order).
 *
 * A root is an interface with backends (struct root_ops):
 *   live    this machine's /proc, /sys and kernel log      root_live.c
 *   dir     a snapshot or fixture directory                 root_dir.c
 *   tar     a snapshot .tar read in place, nothing extracted root_tar.c
 *   tap     any root, with what is read recorded into a
 *           snapshot (capture is recording)                 root_tap.c
 * The core reads only through these calls: text files, preads of binary
 * files (pagemap, kpage*), directory listings and stat.  Paths are
 * relative to the root, without a leading '/'. */
#ifndef VMSCOPE_ROOT_H
#define VMSCOPE_ROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <sys/types.h>
#ifndef PATH_MAX
#define PATH_MAX 4096
#endif
#include "vmscope/err.h"

#define ROOT_CONF_NAME "vmscope-snapshot.conf"
#define ROOT_STAT_NAME "vmscope-snapshot.stat"
/* What a capture read of the files it did not read whole (pagemap,
 * kpage*): see root_recorded. */
#define ROOT_RANGES_NAME "vmscope-snapshot.ranges"
#define ROOT_FORMAT_VERSION 1
/* The kernel log, as a file of the root: live, the kernel's ring buffer
 * (klogctl, else /dev/kmsg); in a snapshot, the file itself. */
#define ROOT_BOOT_LOG "boot.log"

struct root_ops;
struct root_file;
struct root_recfile;  /* a file of ROOT_RANGES_NAME (root_recorded.c) */

/* What stat says of a path, as the source reported it (a snapshot keeps
 * the live machine's inode numbers and device numbers). */
struct root_stat {
	uint32_t mode;       /* S_IFMT type and permission bits */
	uint64_t ino, dev;
	uint64_t rdev;       /* character and block devices */
	uint64_t size;
};

struct vms_root {
	char path[PATH_MAX]; /* as given, for messages */
	const struct root_ops *ops;
	void *ctx;           /* the backend's */
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
	/* The target's byte order, that of the 64-bit entries of pagemap
	 * and /proc/kpage{flags,count,cgroup}: live, this machine's; in a
	 * snapshot, the conf's "byte_order" (little or big; a conf without
	 * it is little-endian: only hand-made fixtures and demos lack it,
	 * and their writers write little-endian); a remote backend sets it
	 * from the board's hello.  root_pread converts those entries to
	 * this machine's order when the two differ, so readers never do. */
	bool big_endian;
	/* ROOT_STAT_NAME of a snapshot: what stat said at capture time, for
	 * the paths the readers asked about; answers root_stat before the
	 * backend does.  Sorted by path. */
	struct root_statrec *stats;
	size_t nstats;
	/* ROOT_RANGES_NAME of a snapshot, sorted by path (root_recorded) */
	struct root_recfile *recfiles;
	size_t nrecfiles;
	/* a capture written before ROOT_RANGES_NAME existed: what it read of
	 * pagemap and kpage* cannot be told from what it did not */
	bool rec_unknown;
};

struct root_statrec {
	char *path;
	struct root_stat st;
};

/* One range of a vectored read (root_preadv). */
struct root_iov {
	struct root_file *f;
	void *buf;
	size_t n;
	uint64_t off;
	size_t got;          /* out: fewer than n only at the end of the file */
};

/* A backend.  Every function gets the root it serves; errors fill e with
 * a message that names the path as the user knows it. */
struct root_ops {
	const char *name;    /* "live", "dir", "tar", "tap" */
	int (*open)(const struct vms_root *r, const char *rel,
		    struct root_file **f, struct vms_err *e);
	/* Read up to n bytes at off: fewer only at the end of the file. */
	ssize_t (*pread)(struct root_file *f, void *buf, size_t n,
			 uint64_t off, struct vms_err *e);
	void (*close)(struct root_file *f);
	int (*stat)(const struct vms_root *r, const char *rel,
		    struct root_stat *st, struct vms_err *e);
	/* The names in directory rel (no "." or ".."), malloc'd, sorted. */
	int (*list)(const struct vms_root *r, const char *rel, char ***names,
		    size_t *n, struct vms_err *e);
	/* A file descriptor for ioctl (PAGEMAP_SCAN), or -1 where the
	 * backend has none (then callers use plain reads). */
	int (*fd)(struct root_file *f);
	void (*destroy)(struct vms_root *r);
	/* Optional: many ranges (of files of this root) at once, as one
	 * request where the backend has a round trip to save (remote). */
	int (*preadv)(struct root_iov *v, size_t n, struct vms_err *e);
	/* Optional: the hint of root_prefetch. */
	void (*prefetch)(const struct vms_root *r, int what,
			 const char *const *rel, size_t n);
};

/* The part of an open file every backend shares; backends embed it
 * first in their own. */
struct root_file {
	const struct vms_root *root;
	const struct root_ops *ops;
	char rel[256];
	/* set by root_fopen: an entry file (root_is_entry_file) of a root
	 * whose byte order is not this machine's */
	bool swap_entries;
};

/* Open dir as a root: NULL or a path resolving to "/" gives the live
 * system; a directory must hold ROOT_CONF_NAME with at least page_size;
 * a missing, malformed, or newer-format conf is an error that names the
 * problem.  Tar files are opened with snapshot_open. */
int root_open(struct vms_root *r, const char *dir, struct vms_err *e);
void root_close(struct vms_root *r);

/* The backends' openers (for snapshot_open and the tap). */
int root_live_open(struct vms_root *r, struct vms_err *e);
int root_dir_open(struct vms_root *r, const char *dir, struct vms_err *e);

/* ---- reading ---- */

/* Open rel read-only.  NULL with e set (the message names the path). */
struct root_file *root_fopen(const struct vms_root *r, const char *rel,
			     struct vms_err *e);
/* Read n bytes at off, retrying short reads: returns the bytes read,
 * fewer than n only at the end of the file, or -1 with e set.  The
 * 64-bit entries of an entry file (root_is_entry_file) come in this
 * machine's byte order whatever the root's, at any offset and length;
 * where they must be converted, an entry file cut inside an entry (a
 * damaged snapshot) ends before that entry, whose bytes cannot be put
 * in order.  Other files are read as they are. */
ssize_t root_pread(struct root_file *f, void *buf, size_t n, uint64_t off,
		   struct vms_err *e);
/* Up to n bytes at off as the backend has them ready, without waiting
 * to fill n: at least one, 0 only at the end.  A /proc text file gives
 * a page of its text per read, which a reader parses while it is in the
 * cache.  Entry files are converted as root_pread converts them. */
ssize_t root_pread_some(struct root_file *f, void *buf, size_t n,
			uint64_t off, struct vms_err *e);
/* Read every range of v (files of one root): each v[i].got set, short
 * only at the end of its file.  One round trip where the backend can
 * (remote), root_pread of each otherwise.  0, or -1 with e set. */
int root_preadv(struct root_iov *v, size_t n, struct vms_err *e);
/* A hint: the paths rel[0..n) are about to be read whole (what
 * ROOT_PREFETCH_READ: the process list's status, comm and cmdline of
 * every process) or stat'ed (ROOT_PREFETCH_STAT: the names of a cgroup
 * directory).  A backend with round trips to save (remote) asks them
 * all at once and serves the next open or stat of each from the answer;
 * others do nothing.  Errors are left for the calls themselves. */
enum { ROOT_PREFETCH_READ = 1, ROOT_PREFETCH_STAT = 2 };
void root_prefetch(const struct vms_root *r, int what,
		   const char *const *rel, size_t n);
void root_fclose(struct root_file *f);
/* An fd for ioctl on f, or -1 where the backend has none. */
int root_ffd(struct root_file *f);

/* Read the whole of rel into a malloc'd NUL-terminated buffer (works for
 * /proc files whose size reads as 0).  *len excludes the NUL.  Returns 0
 * or -1. */
int root_read_text(const struct vms_root *r, const char *rel, char **buf,
		   size_t *len, struct vms_err *e);

/* stat of rel (symbolic links followed).  0, or -1 with e set and
 * e->code the errno (ENOENT when rel does not exist). */
int root_stat(const struct vms_root *r, const char *rel,
	      struct root_stat *st, struct vms_err *e);

/* The sorted names in directory rel; free with root_list_free. */
int root_list(const struct vms_root *r, const char *rel, char ***names,
	      size_t *n, struct vms_err *e);
void root_list_free(char **names, size_t n);

/* True when rel holds 64-bit entries in the target's byte order:
 * proc/PID/pagemap (and proc/PID/task/TID/pagemap), proc/kpageflags,
 * proc/kpagecount, proc/kpagecgroup.  rel without a leading '/'. */
bool root_is_entry_file(const char *rel);

/* True when this machine is big-endian. */
bool root_host_big_endian(void);

/* Whether the bytes [off, off+len) of rel are what the source had.  A
 * snapshot records kpage* only at the frames its processes mapped, and
 * pagemap only where it read: the rest reads as zeros, which must not be
 * taken for "no flags".  The live system and a fixture directory (no
 * capture made it) have every byte; so has a file a capture read whole. */
enum root_rec {
	ROOT_REC_YES,      /* what reads there is what the source had (past
			    * a known end: nothing, as on the source) */
	ROOT_REC_NO,       /* the capture did not read it: zeros stand in */
	ROOT_REC_BAD,      /* the capture read it, but the read failed or
			    * the snapshot could not hold it (a bogus PFN) */
	ROOT_REC_UNKNOWN,  /* a snapshot from before ROOT_RANGES_NAME */
};
enum root_rec root_recorded(const struct vms_root *r, const char *rel,
			    uint64_t off, uint64_t len);
/* For backends: load ROOT_RANGES_NAME of a snapshot (and tell an older
 * capture, with SNAPSHOT_FILES_NAME but no ranges, by rec_unknown); free
 * them.  0 or -1 (a malformed file, named in e). */
int root_recorded_load(struct vms_root *r, struct vms_err *e);
void root_recorded_free(struct vms_root *r);

/* True when rel exists below the root. */
bool root_exists(const struct vms_root *r, const char *rel);

/* ---- facts ---- */

/* True when r reads this machine itself (the live backend, not a tap or
 * another machine over a pipe): what only this process can measure or
 * ask of its own kernel (libproc2, its own RSS) holds for r. */
bool root_is_local(const struct vms_root *r);

/* Hex digits to print a user virtual address on this root: 8 or 16. */
int root_addr_width(const struct vms_root *r);

/* A one-line description of the root for status lines and headers:
 * "live: HOST (x86_64, 6.18.44)" or "snapshot DIR: HOST armv7l 5.10 @ TIME". */
void root_describe(const struct vms_root *r, char *buf, size_t n);

/* Pure parser of the conf text, for tests and fuzzing: fills the
 * conf-derived fields of r.  Returns 0 or -1. */
int root_parse_conf(struct vms_root *r, const char *text, size_t len,
		    struct vms_err *e);

/* For backends: read and parse ROOT_CONF_NAME through r's own ops, with
 * the snapshot's name in messages.  0 or -1. */
int root_load_conf(struct vms_root *r, struct vms_err *e);

/* For backends: "/rel" live, "ROOT/rel" otherwise, escaped, into buf. */
const char *root_shown(const struct vms_root *r, const char *rel, char *buf,
		       size_t n);

#endif
