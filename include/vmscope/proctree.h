/* SPDX-License-Identifier: GPL-3.0-or-later */
/* proctree: processes as a tree (parent above its children, as htop's
 * tree view), from each one's id and its parent's id: the rows in tree
 * order with their depth and the lines to draw before them.  Pure: no
 * I/O, no allocation but its own scratch. */
#ifndef VMSCOPE_PROCTREE_H
#define VMSCOPE_PROCTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROCTREE_DEPTH_BITS 64

struct proctree_row {
	size_t item;        /* index into the caller's items */
	unsigned depth;     /* 0: a root */
	/* bit d (1 <= d < 64): at depth d on this row's path (its own
	 * depth included), a later sibling follows, so a line goes on
	 * down there */
	uint64_t more;
};

/* Order items 0..n-1 as a tree: item i has id[i] and parent[i].  Items
 * whose parent is not among the ids (or is themselves) are roots;
 * siblings, and roots, keep the order they have in the input (sort the
 * input first to sort them).  A cycle of parents (a hostile snapshot)
 * is cut at the first of its items met: it becomes a root.  Every item
 * appears exactly once in out[0..n-1], a parent before its children.
 * Returns 0, or -1 when out of memory (out untouched). */
int proctree_build(const int *id, const int *parent, size_t n,
		   struct proctree_row *out);

/* The lines before a row at its depth, as htop draws them: "├─ " for a
 * child with siblings after it, "└─ " for the last one, "│  " where an
 * ancestor's siblings continue below; ASCII "|- ", "`- ", "|  " unless
 * utf8.  A root gets "".  Cut to fit n (always terminated). */
void proctree_prefix(const struct proctree_row *r, bool utf8, char *buf,
		     size_t n);

#endif
