/* SPDX-License-Identifier: GPL-3.0-or-later */
/* proto: primitives of the remote protocol (docs/protocol.md): errno
 * numbers across machines, the output buffer, the bounds-checked cursor,
 * frame headers, and the small messages (hello, path, stat, close,
 * errno).  proto_read.c has the read request and its reply. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/proto.h"

/* The wire numbers are the asm-generic ones (x86, ARM, RISC-V); a MIPS
 * or SPARC agent maps its own through this table. */
static const struct { uint16_t wire; int native; } errnos[] = {
	{ 1, EPERM }, { 2, ENOENT }, { 3, ESRCH }, { 4, EINTR }, { 5, EIO },
	{ 6, ENXIO }, { 7, E2BIG }, { 9, EBADF }, { 11, EAGAIN },
	{ 12, ENOMEM }, { 13, EACCES }, { 14, EFAULT }, { 16, EBUSY },
	{ 17, EEXIST }, { 19, ENODEV }, { 20, ENOTDIR }, { 21, EISDIR },
	{ 22, EINVAL }, { 23, ENFILE }, { 24, EMFILE }, { 27, EFBIG },
	{ 28, ENOSPC }, { 29, ESPIPE }, { 30, EROFS }, { 32, EPIPE },
	{ 34, ERANGE }, { 36, ENAMETOOLONG }, { 38, ENOSYS }, { 40, ELOOP },
	{ 71, EPROTO }, { 75, EOVERFLOW }, { 95, EOPNOTSUPP },
	{ 110, ETIMEDOUT },
};
#define NERRNOS (sizeof errnos / sizeof errnos[0])

uint32_t proto_errno_to_wire(int err)
{
	size_t i;

	if (err == 0)
		return 0;
	for (i = 0; i < NERRNOS; i++)
		if (errnos[i].native == err)
			return errnos[i].wire;
	return 5; /* EIO */
}

int proto_errno_from_wire(uint32_t w)
{
	size_t i;

	if (w == 0)
		return 0;
	for (i = 0; i < NERRNOS; i++)
		if (errnos[i].wire == w)
			return errnos[i].native;
	return EIO;
}

/* ---- output ---- */

void proto_buf_free(struct proto_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

uint8_t *proto_put_space(struct proto_buf *b, size_t n)
{
	uint8_t *at;

	if (b->oom || n > PROTO_FRAME_MAX || b->len > SIZE_MAX - n) {
		b->oom = true;
		return NULL;
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *np;

		while (cap < b->len + n)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return NULL;
		}
		b->p = np;
		b->cap = cap;
	}
	at = b->p + b->len;
	b->len += n;
	return at;
}

static void put_le(struct proto_buf *b, uint64_t v, unsigned bytes)
{
	uint8_t *at = proto_put_space(b, bytes);
	unsigned i;

	for (i = 0; at && i < bytes; i++)
		at[i] = (uint8_t)(v >> (8 * i));
}

void proto_put_u8(struct proto_buf *b, uint8_t v) { put_le(b, v, 1); }
void proto_put_u16(struct proto_buf *b, uint16_t v) { put_le(b, v, 2); }
void proto_put_u32(struct proto_buf *b, uint32_t v) { put_le(b, v, 4); }
void proto_put_u64(struct proto_buf *b, uint64_t v) { put_le(b, v, 8); }

void proto_put_bytes(struct proto_buf *b, const void *p, size_t n)
{
	uint8_t *at = proto_put_space(b, n);

	if (at && n)
		memcpy(at, p, n);
}

void proto_patch_u32(struct proto_buf *b, size_t off, uint32_t v)
{
	unsigned i;

	if (b->oom || off > b->len || b->len - off < 4)
		return;
	for (i = 0; i < 4; i++)
		b->p[off + i] = (uint8_t)(v >> (8 * i));
}

size_t proto_begin(struct proto_buf *b, uint16_t type, uint32_t id)
{
	size_t start = b->len;

	proto_put_u32(b, 0);
	proto_put_u16(b, type);
	proto_put_u16(b, 0);
	proto_put_u32(b, id);
	return start;
}

int proto_end(struct proto_buf *b, size_t start)
{
	if (b->oom || b->len - start > PROTO_FRAME_MAX)
		return -1;
	proto_patch_u32(b, start, (uint32_t)(b->len - start));
	return 0;
}

/* ---- input ---- */

static uint64_t get_le(struct proto_cur *c, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i;

	if (c->bad || c->n < bytes) {
		c->bad = true;
		return 0;
	}
	for (i = 0; i < bytes; i++)
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += bytes;
	c->n -= bytes;
	return v;
}

uint8_t proto_get_u8(struct proto_cur *c) { return (uint8_t)get_le(c, 1); }
uint16_t proto_get_u16(struct proto_cur *c) { return (uint16_t)get_le(c, 2); }
uint32_t proto_get_u32(struct proto_cur *c) { return (uint32_t)get_le(c, 4); }
uint64_t proto_get_u64(struct proto_cur *c) { return get_le(c, 8); }

const uint8_t *proto_get_bytes(struct proto_cur *c, size_t n)
{
	const uint8_t *at = c->p;

	if (c->bad || c->n < n) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	c->n -= n;
	return at;
}

int proto_header(const uint8_t *p, struct proto_hdr *h)
{
	struct proto_cur c = { p, PROTO_HDR, false };
	uint16_t flags;

	h->len = proto_get_u32(&c);
	h->type = proto_get_u16(&c);
	flags = proto_get_u16(&c);
	h->id = proto_get_u32(&c);
	if (h->len < PROTO_HDR || h->len > PROTO_FRAME_MAX || flags)
		return -1;
	return 0;
}

/* The whole payload was used, and nothing was out of bounds. */
static int done(const struct proto_cur *c)
{
	return c->bad || c->n ? -1 : 0;
}

/* ---- hello ---- */

int proto_enc_hello(struct proto_buf *b, uint32_t id)
{
	size_t s = proto_begin(b, PROTO_HELLO, id);

	proto_put_u32(b, PROTO_MAGIC);
	proto_put_u16(b, PROTO_VERSION);
	proto_put_u16(b, 0);
	return proto_end(b, s);
}

int proto_dec_hello(const uint8_t *p, size_t n, uint16_t *version)
{
	struct proto_cur c = { p, n, false };

	if (proto_get_u32(&c) != PROTO_MAGIC)
		return -1;
	*version = proto_get_u16(&c);
	(void)proto_get_u16(&c);
	return done(&c) < 0 || *version == 0 ? -1 : 0;
}

static void put_str(struct proto_buf *b, const char *s)
{
	size_t n = strnlen(s, PROTO_STR_MAX);

	proto_put_u16(b, (uint16_t)n);
	proto_put_bytes(b, s, n);
}

/* A string of at most PROTO_STR_MAX bytes, no NUL, into out. */
static void get_str(struct proto_cur *c, char *out)
{
	uint16_t n = proto_get_u16(c);
	const uint8_t *s;

	out[0] = '\0';
	if (n > PROTO_STR_MAX) {
		c->bad = true;
		return;
	}
	s = proto_get_bytes(c, n);
	if (!s || memchr(s, '\0', n)) {
		c->bad = true;
		return;
	}
	memcpy(out, s, n);
	out[n] = '\0';
}

int proto_enc_hello_reply(struct proto_buf *b, uint32_t id,
			  const struct proto_hello *h)
{
	size_t s = proto_begin(b, PROTO_HELLO | PROTO_REPLY, id);

	proto_put_u32(b, PROTO_MAGIC);
	proto_put_u16(b, h->version);
	proto_put_u16(b, h->caps);
	proto_put_u32(b, h->page_size);
	proto_put_u8(b, h->big_endian ? 2 : 1);
	proto_put_u8(b, h->addr_bits);
	proto_put_u16(b, 0);
	proto_put_u32(b, h->pid);
	put_str(b, h->arch);
	put_str(b, h->release);
	put_str(b, h->hostname);
	return proto_end(b, s);
}

int proto_dec_hello_reply(const uint8_t *p, size_t n, struct proto_hello *h)
{
	struct proto_cur c = { p, n, false };
	uint8_t order;

	memset(h, 0, sizeof *h);
	if (proto_get_u32(&c) != PROTO_MAGIC)
		return -1;
	h->version = proto_get_u16(&c);
	h->caps = proto_get_u16(&c);
	h->page_size = proto_get_u32(&c);
	order = proto_get_u8(&c);
	h->addr_bits = proto_get_u8(&c);
	(void)proto_get_u16(&c);
	h->pid = proto_get_u32(&c);
	get_str(&c, h->arch);
	get_str(&c, h->release);
	get_str(&c, h->hostname);
	h->big_endian = order == 2;
	if (done(&c) < 0 || h->version != PROTO_VERSION || (order != 1 && order != 2) ||
	    (h->addr_bits != 32 && h->addr_bits != 64) ||
	    h->page_size < 512 || h->page_size > (1u << 20) ||
	    (h->page_size & (h->page_size - 1)))
		return -1;
	return 0;
}

/* ---- one path: list and stat requests ---- */

int proto_enc_path(struct proto_buf *b, uint16_t type, uint32_t id,
		   const char *path)
{
	size_t s = proto_begin(b, type, id), n = strlen(path);

	if (n == 0 || n > PROTO_PATH_MAX)
		return -1;
	proto_put_u16(b, (uint16_t)n);
	proto_put_bytes(b, path, n);
	return proto_end(b, s);
}

int proto_dec_path(const uint8_t *p, size_t n, char *out, size_t outn)
{
	struct proto_cur c = { p, n, false };
	uint16_t len = proto_get_u16(&c);
	const uint8_t *s = proto_get_bytes(&c, len);

	if (done(&c) < 0 || len == 0 || len > PROTO_PATH_MAX || len >= outn ||
	    memchr(s, '\0', len))
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

/* ---- list reply ---- */

static bool name_ok(const uint8_t *s, size_t n)
{
	return n >= 1 && n <= PROTO_NAME_MAX && !memchr(s, '\0', n) &&
	       !memchr(s, '/', n) && !(n == 1 && s[0] == '.') &&
	       !(n == 2 && s[0] == '.' && s[1] == '.');
}

int proto_enc_list_reply(struct proto_buf *b, uint32_t id, int err,
			 char *const *names, size_t count)
{
	size_t s = proto_begin(b, PROTO_LIST | PROTO_REPLY, id), at, i;
	uint32_t k = 0;

	proto_put_u32(b, proto_errno_to_wire(err));
	at = b->len;
	proto_put_u32(b, 0);
	for (i = 0; !err && i < count; i++) {
		size_t n = strlen(names[i]);

		if (!name_ok((const uint8_t *)names[i], n))
			continue;
		proto_put_u16(b, (uint16_t)n);
		proto_put_bytes(b, names[i], n);
		k++;
	}
	proto_patch_u32(b, at, k);
	return proto_end(b, s);
}

int proto_dec_list_reply(const uint8_t *p, size_t n, int *err,
			 char ***names, size_t *count)
{
	struct proto_cur c = { p, n, false };
	uint32_t k, i;
	char **v;

	*names = NULL;
	*count = 0;
	*err = proto_errno_from_wire(proto_get_u32(&c));
	k = proto_get_u32(&c);
	/* every name takes at least 3 bytes */
	if (c.bad || k > c.n / 3 || (*err && k))
		return -1;
	v = calloc(k ? k : 1, sizeof *v);
	if (!v)
		return -1;
	for (i = 0; i < k; i++) {
		uint16_t len = proto_get_u16(&c);
		const uint8_t *s = proto_get_bytes(&c, len);

		if (!s || !name_ok(s, len) || !(v[i] = malloc((size_t)len + 1)))
			goto bad;
		memcpy(v[i], s, len);
		v[i][len] = '\0';
	}
	if (done(&c) < 0)
		goto bad;
	*names = v;
	*count = k;
	return 0;
bad:
	for (i = 0; i < k; i++)   /* calloc'd: the rest are NULL */
		free(v[i]);
	free(v);
	return -1;
}

/* ---- stat reply ---- */

int proto_enc_stat_reply(struct proto_buf *b, uint32_t id,
			 const struct proto_stat *st)
{
	size_t s = proto_begin(b, PROTO_STAT | PROTO_REPLY, id);

	proto_put_u32(b, proto_errno_to_wire(st->err));
	proto_put_u32(b, st->mode);
	proto_put_u64(b, st->ino);
	proto_put_u64(b, st->dev);
	proto_put_u64(b, st->rdev);
	proto_put_u64(b, st->size);
	return proto_end(b, s);
}

int proto_dec_stat_reply(const uint8_t *p, size_t n, struct proto_stat *st)
{
	struct proto_cur c = { p, n, false };

	st->err = proto_errno_from_wire(proto_get_u32(&c));
	st->mode = proto_get_u32(&c);
	st->ino = proto_get_u64(&c);
	st->dev = proto_get_u64(&c);
	st->rdev = proto_get_u64(&c);
	st->size = proto_get_u64(&c);
	return done(&c);
}

/* ---- close ---- */

int proto_enc_close(struct proto_buf *b, uint32_t id, const uint32_t *h,
		    size_t n)
{
	size_t s = proto_begin(b, PROTO_CLOSE, id), i;

	if (n > PROTO_CLOSE_MAX)
		return -1;
	proto_put_u32(b, (uint32_t)n);
	for (i = 0; i < n; i++)
		proto_put_u32(b, h[i]);
	return proto_end(b, s);
}

int proto_dec_close(const uint8_t *p, size_t n, uint32_t **h, size_t *count)
{
	struct proto_cur c = { p, n, false };
	uint32_t k = proto_get_u32(&c), i;

	*h = NULL;
	*count = 0;
	if (c.bad || k > PROTO_CLOSE_MAX || k != c.n / 4 || c.n % 4)
		return -1;
	*h = malloc((k ? k : 1) * sizeof **h);
	if (!*h)
		return -1;
	for (i = 0; i < k; i++)
		(*h)[i] = proto_get_u32(&c);
	*count = k;
	return 0;
}

/* ---- errno-only replies ---- */

int proto_enc_errno(struct proto_buf *b, uint16_t type, uint32_t id, int err)
{
	size_t s = proto_begin(b, type, id);

	proto_put_u32(b, proto_errno_to_wire(err));
	return proto_end(b, s);
}

int proto_dec_errno(const uint8_t *p, size_t n, int *err)
{
	struct proto_cur c = { p, n, false };

	*err = proto_errno_from_wire(proto_get_u32(&c));
	return done(&c);
}
