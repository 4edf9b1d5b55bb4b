/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tarfmt: the tar format, read in place and written as a stream.  It
 * knows archives, members and sparse maps, nothing of what is stored.
 *
 * Reading: tarfmt_index reads every header once (ustar, GNU long names
 * 'L', pax 'x' path and size, old-GNU sparse 'S' with its extension
 * blocks) and keeps, per member, where its data lies in the archive;
 * tarfmt_pread then reads a member's bytes with preads on the archive,
 * holes of a sparse member as zeros.  Only regular files and directories
 * are accepted, with relative names free of "..": links, devices and
 * FIFOs are refused, naming the member.  A truncated or damaged archive
 * is an error that names the member and what is wrong.
 *
 * Writing: a stream of headers and data in the GNU format (base-256
 * numbers past the octal fields, GNU long names, old-GNU sparse entries),
 * which GNU tar lists and extracts (`tar -xSf`, sparse files as sparse
 * files). */
#ifndef VMSCOPE_TARFMT_H
#define VMSCOPE_TARFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "vmscope/err.h"

#define TARFMT_BLOCK 512
/* Limits of what tarfmt_index accepts: past them the archive is refused
 * (a hostile archive costs neither memory nor time). */
#define TARFMT_MAX_MEMBERS 1000000u
#define TARFMT_MAX_NAME 4095u                  /* bytes of a member's name */
#define TARFMT_MAX_PAX (64u * 1024)            /* bytes of a pax header */
#define TARFMT_MAX_REGIONS (1u << 22)          /* sparse regions, in all */
#define TARFMT_MAX_TOTAL (UINT64_C(1) << 50)   /* logical bytes, in all */

/* tarfmt_index's return when the file is not a tar at all (empty, or its
 * first block is not a tar header): e is set, the caller may say more. */
#define TARFMT_NOT_TAR (-2)

/* Where a sparse member holds data: [off, off + len) of the file. */
struct tarfmt_region {
	uint64_t off, len;
};

/* A region of an indexed sparse member and where its bytes start in the
 * archive. */
struct tarfmt_extent {
	uint64_t off, len, at;
};

struct tarfmt_member {
	char *name;          /* cleaned: no "./", no trailing '/', no ".." */
	bool dir;
	bool sparse;         /* data only in map, holes between */
	uint32_t mode;       /* permission bits (07777) */
	int64_t mtime;
	uint64_t size;       /* logical: holes included */
	uint64_t data;       /* archive offset of the first data byte */
	struct tarfmt_extent *map;   /* sparse members: the data, sorted */
	size_t nmap;
};

struct tarfmt_index {
	int fd;              /* the archive: not owned, must stay open */
	char *shown;         /* the archive's name, escaped, for messages */
	uint64_t archive_size;
	struct tarfmt_member *m;     /* sorted by name, one per name */
	size_t n;
};

/* ---- reading ---- */

/* Index the archive open on fd (read with pread only; its offset is left
 * alone); name is the archive as the user knows it, for messages.  0, or
 * -1 (TARFMT_NOT_TAR, see above) with e set and idx left empty. */
int tarfmt_index(int fd, const char *name, struct tarfmt_index *idx,
		 struct vms_err *e);
/* tarfmt_index with other limits than TARFMT_MAX_MEMBERS and
 * TARFMT_MAX_TOTAL (lower ones, for tests). */
struct tarfmt_limits {
	size_t members;
	uint64_t total;
};
int tarfmt_index_limits(int fd, const char *name,
			const struct tarfmt_limits *lim,
			struct tarfmt_index *idx, struct vms_err *e);
void tarfmt_free(struct tarfmt_index *idx);

/* The member called name (cleaned as the index's names are), or NULL.
 * A directory only implied by the names below it has no member. */
const struct tarfmt_member *tarfmt_find(const struct tarfmt_index *idx,
					const char *name);
/* True when name is a directory: a directory member, or implied by the
 * members below it; "" is the top. */
bool tarfmt_is_dir(const struct tarfmt_index *idx, const char *name);
/* The names of directory dir's children ("" for the top), sorted,
 * malloc'd, each once.  0, or -1 with e->code ENOENT or ENOTDIR. */
int tarfmt_list(const struct tarfmt_index *idx, const char *dir,
		char ***names, size_t *n, struct vms_err *e);
/* Read up to n bytes of member m at off: fewer only at its end, holes as
 * zeros.  Bytes read, or -1 with e set (the archive changed or failed). */
ssize_t tarfmt_pread(const struct tarfmt_index *idx,
		     const struct tarfmt_member *m, void *buf, size_t n,
		     uint64_t off, struct vms_err *e);

/* Make an archive's member name safe below a directory, in place: "./"
 * and empty components dropped, trailing '/' removed.  -1 for an
 * absolute name or one with a ".." component. */
int tarfmt_clean_name(char *name);

/* ---- writing ---- */

struct tarfmt_writer;

/* Read up to n bytes of the file being added at off: the bytes read,
 * 0 when the file ends early, or -1 with errno set. */
typedef ssize_t (*tarfmt_read_fn)(void *ctx, void *buf, size_t n,
				  uint64_t off);

/* Start an archive on fd; every member gets mtime.  NULL with e set.  e
 * receives every later error of this writer. */
struct tarfmt_writer *tarfmt_write_begin(int fd, int64_t mtime,
					 struct vms_err *e);
/* A directory member (name without the trailing '/'). */
int tarfmt_write_dir(struct tarfmt_writer *w, const char *name);
/* A regular member of size bytes read through rd. */
int tarfmt_write_file(struct tarfmt_writer *w, const char *name,
		      uint64_t size, tarfmt_read_fn rd, void *ctx);
/* A member of size bytes holding data only in the regions r (sorted, not
 * overlapping, within size): a GNU sparse member, its regions rounded
 * out to whole blocks as GNU tar requires; a plain one when the data
 * covers the file. */
int tarfmt_write_sparse(struct tarfmt_writer *w, const char *name,
			uint64_t size, const struct tarfmt_region *r,
			size_t nr, tarfmt_read_fn rd, void *ctx);
/* End the archive (two zero blocks, padded to whole 10 KiB records as
 * tar writes them), flush and free w.  0 or -1. */
int tarfmt_write_end(struct tarfmt_writer *w);
/* Free w after a failure, writing nothing more. */
void tarfmt_write_free(struct tarfmt_writer *w);

#endif
