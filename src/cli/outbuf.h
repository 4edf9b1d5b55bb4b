/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outbuf: one large output buffer for commands that print many lines
 * (pages prints one per page): text is gathered in memory and written in
 * big blocks, numbers formatted by hand, not by printf. */
#ifndef VMSCOPE_CLI_OUTBUF_H
#define VMSCOPE_CLI_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define OUTBUF_SIZE ((size_t)1 << 20)

struct outbuf {
	FILE *f;
	char *b;       /* OUTBUF_SIZE bytes; NULL: unbuffered, to f */
	size_t len;
	bool failed;   /* a write to f failed */
	unsigned long drains; /* times the buffer was written out */
};

/* Gather output for f (malloc fails: writes go to f directly). */
void outbuf_init(struct outbuf *o, FILE *f);
/* Write what is gathered to f (and fflush it): 0, or -1 when a write
 * failed, now or before. */
int outbuf_flush(struct outbuf *o);
/* outbuf_flush, then free the buffer. */
int outbuf_free(struct outbuf *o);

/* Write what is gathered to f, without fflush. */
void outbuf_drain(struct outbuf *o);
/* Room for n more bytes (n <= OUTBUF_SIZE): a pointer to write at, then
 * outbuf_commit the bytes written.  Needs a buffer (outbuf_init). */
static inline char *outbuf_room(struct outbuf *o, size_t n)
{
	if (OUTBUF_SIZE - o->len < n)
		outbuf_drain(o);
	return o->b + o->len;
}
static inline void outbuf_commit(struct outbuf *o, char *end)
{
	o->len = (size_t)(end - o->b);
}

void outbuf_put(struct outbuf *o, const char *s, size_t n);
static inline void outbuf_puts(struct outbuf *o, const char *s)
{
	outbuf_put(o, s, strlen(s));
}

/* v in lowercase hex (no 0x), at least width digits with zeros in
 * front, as printf's %0*x; returns the end.  dst has room for 16 or
 * width digits. */
char *outbuf_fmt_hex(char *dst, uint64_t v, int width);
/* v in decimal, as %llu; returns the end (dst: 20 bytes). */
char *outbuf_fmt_dec(char *dst, uint64_t v);
/* s (n bytes) left-justified in width columns, as %-*s. */
char *outbuf_fmt_left(char *dst, const char *s, size_t n, int width);

#endif
