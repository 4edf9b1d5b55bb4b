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
	int key_hint;          /* vmas_smaps_key: the field expected next */
	int key_found;         /* 1 + the field vmas_expected_key found on
	                        * this line, 0 none */
	int last_field;        /* 1 + the last field found, 0 none */
	signed char next_field[SMAPS__COUNT]; /* 1 + the field seen after
	                        * each, 0 not yet: the kernel's order */
	/* The smaps fields of cur as they are read, put in the list's pool
	 * when its last line has been (vmas_parse_commit): */
	bool dirty;            /* cur has fields read */
	uint64_t blk[SMAPS__COUNT];
	char flags[96];        /* its VmFlags text */
	/* The smaps fields not parsed (bit 1 << enum smaps_field): their
	 * lines are recognised by key and form and read as 0. */
	uint64_t skip;
	/* The last two VmFlags texts parsed and their bits: runs of VMAs
	 * repeat them (alternating, where neighbours differ in perms). */
	char prev_flags[2][96];
	uint64_t prev_bits[2];
	unsigned prev_next;    /* the one replaced next */
	/* The page size VMA bounds are multiples of: the root's, or 0 for
	 * the smallest any Linux has, 4096. */
	uint64_t page_size;
	/* The field lines of the last VMA whose every field line was the
	 * kernel's own form (vmas_keys.c), in order: each one's field and
	 * length (28 or 25 bytes); tmpl_n 0: none yet.  A VMA whose body
	 * is the same lines (keys, forms; the values differ) is read in
	 * one step.  rec_*: the lines of the VMA being read, learned. */
	unsigned char tmpl_f[SMAPS__COUNT], tmpl_len[SMAPS__COUNT];
	unsigned tmpl_n, tmpl_total;
	unsigned char rec_f[SMAPS__COUNT], rec_len[SMAPS__COUNT];
	unsigned rec_n;
	bool rec_ok;           /* every field line so far in the form */
	bool body_next;        /* a mapping line was just read */
	/* A window at a time (vmas_read_each): when out holds window VMAs
	 * and another begins, flush hands them on and empties out;
	 * restart, before a read starts over.  flushed: VMAs handed on,
	 * flushed_end the end of the last of them. */
	size_t window;
	int (*flush)(struct vparse *st, struct vms_err *e);
	void (*restart)(struct vparse *st);
	void *flush_ctx;
	size_t flushed;
	uint64_t flushed_end;
};

/* Longest VmFlags text kept (bytes, with the NUL). */
#define VMAS_FLAGS_MAX 96

/* The pool (vmas_pool.c): a copy of [data, data + len) kept once per
 * list, shared by every VMA that has the same; NULL with e set when out
 * of memory.  *pp is made on first use; vmas_free frees it. */
const void *vmas_pool_put(struct vmas_pool **pp, const void *data,
			  size_t len, struct vms_err *e);
void vmas_pool_free(struct vmas_pool *p);
/* How many values p keeps. */
size_t vmas_pool_size(const struct vmas_pool *p);
/* After a reread: the values no VMA points to any more go, when they
 * have come to outnumber the VMAs (a live process's changing smaps
 * would otherwise grow the pool at each refresh).  Out of memory, the
 * pool stays as it is. */
void vmas_pool_tidy(struct vma_list *l);
/* All smaps fields 0: the block of VMAs without smaps data. */
extern const uint64_t vmas_no_smaps[SMAPS__COUNT];

/* The fields read for st->cur into the pool, and st->cur pointed at
 * them (nothing when none were read).  0, or -1 with e set. */
int vmas_parse_commit(struct vparse *st, struct vms_err *e);
/* A field line "KEY: VALUE" of st->cur, the key [kb, kb + klen) and
 * the value [p, end) (vmas_keys.c).  0, or -1 with *what set. */
int vmas_parse_field(struct vparse *st, const char *kb, size_t klen,
		     const char *p, const char *end, const char **what);

/* The smaps field whose key is [kb, kb + klen), or -1 for a key this
 * version does not know; *hint (start it at 0) is the field tried first
 * and is moved to the one after the field found (vmas_keys.c). */
int vmas_smaps_key(const char *kb, size_t klen, int *hint);
/* The length of the key of the field the kernel prints next (after
 * st->key_hint's) when the line [p, end) begins with it and a ':', else
 * 0: most lines are found without scanning their key. */
size_t vmas_expected_key(struct vparse *st, const char *p, const char *end);
/* The line [p, end) read in one step when it is the field the kernel
 * prints next in its own form ("Rss:     4 kB"): 1; else 0, and
 * vmas_parse_line parses it the general way. */
int vmas_fast_field(struct vparse *st, const char *p, const char *end);
/* The VMA array of l made room for ncap VMAs, its first l->n kept
 * (vmas_array.c: from 2 MiB a mapping in transparent huge pages): 0, or
 * -1 with errno set and l unchanged. */
int vmas_array_grow(struct vma_list *l, size_t ncap);
/* Its memory given back: v NULL, cap 0. */
void vmas_array_free(struct vma_list *l);
/* The 8 bytes at p as the kernel pads a smaps value ("%8lu": blanks,
 * then 1 to 8 digits): 1 with *val, or 0 for any other form. */
int vmas_value8(const char *p, uint64_t *val);
/* A mapping line was read: its field lines come next (vmas_keys.c). */
void vmas_tmpl_begin(struct vparse *st);
/* The enum vma_flag of the VmFlags code "ab", or -1. */
int vmas_flag_index(char a, char b);

/* One line [p, le), without its newline.  0; 1 when updating and the
 * line is not the VMA the list has next (stop); or -1 with e set (the
 * list is then the caller's to free). */
int vmas_parse_line(struct vparse *st, const char *p, const char *le,
		    struct vms_err *e);
/* The lines of [p, end) that end in a newline, parsed: where the rest
 * begins.  *rc is 0, or the first nonzero vmas_parse_line result (the
 * parse stopped after that line). */
const char *vmas_parse_lines(struct vparse *st, const char *p,
			     const char *end, struct vms_err *e, int *rc);
/* One VMA hv read (a mapping line's fields, or PROCMAP_QUERY's), its
 * name [name, name + nlen), w the hex digits of its addresses: appended
 * to the list (a copy of the name), or, updating, compared with the
 * list's next one.  0; 1 when updating and it is not that one (stop);
 * -1 with e set (st->overlap when it lies below the one before). */
int vmas_parse_vma(struct vparse *st, struct vma *hv, const char *name,
		   size_t nlen, unsigned w, struct vms_err *e);
/* After the last line: classify the VMAs, set the address width; when
 * updating, note a list that had more VMAs than the text. */
void vmas_parse_finish(struct vparse *st);

/* PROCMAP_QUERY (vmas_query.c), on the local live root only.  The
 * list the query gives, classified (the gate VMA, above the process's
 * tree, is not in it): 0, or -1 with e set (ENOTTY: not the local live
 * root; the ioctl's errno: EINVAL or ENOTTY before Linux 6.11). */
int vmas_query_read(const struct vms_root *r, int pid, struct vma_list *out,
		    struct vms_err *e);
/* Whether l, a list of process pid, still has its layout (as
 * vmas_reread compares it; its device numbers are taken): 1 the same,
 * 0 not, -1 when the query cannot answer (read maps then). */
int vmas_query_same(const struct vms_root *r, int pid, struct vma_list *l);

/* After a read (vmas_probe.c): mark the VMAs above the end of pagemap
 * and, without VmFlags, those that map a character device. */
void vmas_probe(const struct vms_root *r, int pid, struct vma_list *l);

#endif
