/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root_order: the byte order of a root's binary entries.  pagemap and
 * /proc/kpage* hold 64-bit integers in the order of the machine that
 * wrote them; a snapshot of a big-endian board read on a little-endian
 * laptop (or the reverse) has them converted here, as they are read,
 * so no reader above the root knows the difference. */
#include <stdio.h>
#include <string.h>
#include "vmscope/root.h"
#include "root_int.h"

#define ENTRY 8   /* bytes per entry */

bool root_host_big_endian(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one == 0;
}

bool root_is_entry_file(const char *rel)
{
	static const char *const kpage[] = {
		"proc/kpageflags", "proc/kpagecount", "proc/kpagecgroup", NULL };
	const char *base;
	size_t i;

	while (*rel == '/')
		rel++;
	for (i = 0; kpage[i]; i++)
		if (strcmp(rel, kpage[i]) == 0)
			return true;
	if (strncmp(rel, "proc/", 5) != 0)
		return false;
	base = strrchr(rel, '/');
	/* proc/PID/pagemap or proc/PID/task/TID/pagemap: a directory between */
	return base > rel + 4 && strcmp(base, "/pagemap") == 0;
}

int root_order_parse(const char *v, size_t vlen, bool *big)
{
	if (vlen == 6 && memcmp(v, "little", 6) == 0)
		*big = false;
	else if (vlen == 3 && memcmp(v, "big", 3) == 0)
		*big = true;
	else
		return -1;
	return 0;
}

static void reverse_entries(unsigned char *p, size_t n)
{
	size_t i, j;

	for (i = 0; i + ENTRY <= n; i += ENTRY)
		for (j = 0; j < ENTRY / 2; j++) {
			unsigned char t = p[i + j];

			p[i + j] = p[i + ENTRY - 1 - j];
			p[i + ENTRY - 1 - j] = t;
		}
}

/* The part of the entry at pos (not aligned, or a tail shorter than an
 * entry) that the caller wants: the whole entry read, converted, and
 * the bytes [pos, pos + want) copied.  The bytes given, 0 at the end.
 * A file cut inside an entry (a damaged snapshot) ends before that
 * entry: its bytes cannot be put in order, so none of them is given,
 * and the reader reports the file as ending there. */
static ssize_t partial_entry(struct root_file *f, unsigned char *dst,
			     size_t want, uint64_t pos, struct vms_err *e)
{
	unsigned char ent[ENTRY];
	size_t skip = (size_t)(pos % ENTRY), take = ENTRY - skip;
	ssize_t got = root_pread_raw(f, ent, ENTRY, pos - skip, e);

	if (got < 0)
		return -1;
	if (got != ENTRY)
		return 0;
	reverse_entries(ent, ENTRY);
	if (take > want)
		take = want;
	memcpy(dst, ent + skip, take);
	return (ssize_t)take;
}

ssize_t root_order_pread(struct root_file *f, void *buf, size_t n,
			 uint64_t off, struct vms_err *e)
{
	unsigned char *out = buf;
	size_t done = 0;

	while (done < n) {
		uint64_t pos = off + done;
		size_t whole = (n - done) / ENTRY * ENTRY;
		ssize_t got;

		if (pos % ENTRY || whole == 0) {
			got = partial_entry(f, out + done, n - done, pos, e);
			if (got <= 0)
				return got < 0 ? -1 : (ssize_t)done;
			done += (size_t)got;
			continue;
		}
		got = root_pread_raw(f, out + done, whole, pos, e);
		if (got < 0)
			return -1;
		got -= got % ENTRY;   /* a cut entry: see partial_entry */
		reverse_entries(out + done, (size_t)got);
		done += (size_t)got;
		if ((size_t)got < whole)
			break;   /* the end of the file */
	}
	return (ssize_t)done;
}

bool root_order_iov_aligned(const struct root_iov *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].f->swap_entries &&
		    (v[i].off % ENTRY || v[i].n % ENTRY))
			return false;
	return true;
}

void root_order_iov_convert(struct root_iov *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!v[i].f->swap_entries)
			continue;
		v[i].got -= v[i].got % ENTRY;
		reverse_entries(v[i].buf, v[i].got);
	}
}
