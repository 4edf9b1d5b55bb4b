/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmas_int: the maps/smaps parser's state between lines, shared by the
 * parser (vmas_parse.c) and the reads that feed it a chunk at a time
 * (vmas.c).  Internal to the vmas module. */
#ifndef VMSCOPE_CORE_VMAS_INT_H
#define VMSCOPE_CORE_VMAS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmscope/err.h"
#include "vmscope/vmas.h"

/* Longest name kept (bytes); the kernel's paths stop at PATH_MAX. */
#define VMAS_NAME_MAX 4096

/* The parser's state between lines, so that a file can be parsed as it
 * is read, a chunk at a time, without holding all of its text. */
struct vparse {
	struct vma_list *out;
	struct vma *cur;       /* the VMA smaps fields go to */
	unsigned lineno, width;
	bool ordered;          /* refuse a VMA below its predecessor */
	bool overlap;          /* failed on such a VMA */
	/* Updating out in place (vmas_reread) instead of appending to it:
	 * the k-th VMA read must be out->v[k], and its smaps fields, when
	 * the text has any, replace the old ones. */
	bool update;
	bool differs;          /* update: a VMA read is not out->v[k] */
	bool cur_fresh;        /* update: cur's old smaps fields are cleared */
	size_t k;              /* update: VMAs read so far */
	/* The page size VMA bounds are multiples of: the root's, or 0 for
	 * the smallest any Linux has, 4096. */
	uint64_t page_size;
};

/* One line [p, le), without its newline.  0; 1 when updating and the
 * line is not the VMA the list has next (stop); or -1 with e set (the
 * list is then the caller's to free). */
int vmas_parse_line(struct vparse *st, const char *p, const char *le,
		    struct vms_err *e);
/* After the last line: classify the VMAs, set the address width; when
 * updating, note a list that had more VMAs than the text. */
void vmas_parse_finish(struct vparse *st);

/* After a read (vmas_probe.c): mark the VMAs above the end of pagemap
 * and, without VmFlags, those that map a character device. */
void vmas_probe(const struct vms_root *r, int pid, struct vma_list *l);

#endif
