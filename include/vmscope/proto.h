/* SPDX-License-Identifier: GPL-3.0-or-later */
/* proto: the frames between vmscope (the client, on a laptop) and
 * `vmscope-collect --serve` (the agent, on a board), over any pipe.
 * docs/protocol.md is the specification; this is its codec.
 *
 * Every integer on the wire is little-endian and of fixed width; file
 * data travels as the file's raw bytes.  A frame is a 12-byte header
 * (u32 total length, u16 type, u16 flags = 0, u32 request id) and a
 * payload.  Decoders take a payload and its length, check every count,
 * length and offset against what is left and against the PROTO_*_MAX
 * limits, and fail (-1) rather than trust anything: a compromised board
 * must neither crash nor fool the laptop. */
#ifndef VMSCOPE_PROTO_H
#define VMSCOPE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_MAGIC 0x43534d56u   /* "VMSC" as little-endian bytes */
#define PROTO_VERSION 1
#define PROTO_HDR 12
/* Limits, the same on both sides and enforced by both. */
#define PROTO_FRAME_MAX (16u << 20)  /* a whole frame, header included */
#define PROTO_FILES_MAX 64           /* files in one read request */
#define PROTO_RANGES_MAX 65536       /* ranges in one read request */
#define PROTO_PATH_MAX 1024          /* bytes of a path, no NUL */
#define PROTO_NAME_MAX 255           /* bytes of a listed name */
#define PROTO_CLOSE_MAX 4096         /* handles in one close request */
#define PROTO_STR_MAX 127            /* hello's arch, release, hostname */

enum proto_type {
	PROTO_HELLO = 1,
	PROTO_READ = 2,
	PROTO_LIST = 3,
	PROTO_STAT = 4,
	PROTO_CLOSE = 5,
	PROTO_BYE = 6,
	PROTO_REPLY = 0x8000,        /* or'ed into the request's type */
	PROTO_ERROR = 0xffff,        /* a request the agent could not take */
};

/* hello's capability bits */
#define PROTO_CAP_PFN_VISIBLE 1u     /* pagemap PFNs and kpage* readable */
#define PROTO_CAP_STILL 2u           /* a snapshot served: it never changes */

/* read: a file's flags */
#define PROTO_F_KEEP 1u        /* keep it open: the reply gives a handle */
#define PROTO_F_EOF_CLOSE 2u   /* ... unless a range of it met its end */

/* A growing output buffer; oom is sticky, checked once at the end. */
struct proto_buf {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

/* A reading cursor; bad is sticky (an underrun or an invalid value). */
struct proto_cur {
	const uint8_t *p;
	size_t n;
	bool bad;
};

struct proto_hdr {
	uint32_t len;        /* the whole frame */
	uint16_t type;
	uint32_t id;
};

struct proto_hello {
	uint16_t version;
	uint32_t page_size;
	bool big_endian;
	uint8_t addr_bits;   /* 32 or 64 */
	uint16_t caps;
	uint32_t pid;        /* the agent's own process */
	char arch[PROTO_STR_MAX + 1], release[PROTO_STR_MAX + 1];
	char hostname[PROTO_STR_MAX + 1];
};

struct proto_file {
	uint32_t handle;     /* 0: open path */
	uint16_t flags;
	uint16_t pathlen;
	const char *path;    /* into the frame, not NUL-terminated */
};

struct proto_range {
	uint32_t file;       /* index into the request's files */
	uint32_t len;
	uint64_t off;
};

struct proto_read_req {
	size_t nfiles, nranges;
	struct proto_file *files;
	struct proto_range *ranges;
};

struct proto_file_res {
	int err;             /* errno of this host, 0 */
	uint32_t handle;     /* kept open, or 0 */
};

struct proto_range_res {
	int err;
	uint32_t len;        /* <= the range's len: shorter at end of file */
	const uint8_t *data; /* into the frame */
};

struct proto_read_reply {
	size_t nfiles, nranges;
	struct proto_file_res *files;
	struct proto_range_res *ranges;
};

struct proto_stat {
	int err;
	uint32_t mode;
	uint64_t ino, dev, rdev, size;
};

/* ---- errno across machines (MIPS, Alpha, SPARC number them apart) ---- */
uint32_t proto_errno_to_wire(int err);
int proto_errno_from_wire(uint32_t w);

/* ---- primitives ---- */
void proto_buf_free(struct proto_buf *b);
void proto_put_u8(struct proto_buf *b, uint8_t v);
void proto_put_u16(struct proto_buf *b, uint16_t v);
void proto_put_u32(struct proto_buf *b, uint32_t v);
void proto_put_u64(struct proto_buf *b, uint64_t v);
void proto_put_bytes(struct proto_buf *b, const void *p, size_t n);
/* Room for n bytes at the end (len grows by n): NULL when out of memory. */
uint8_t *proto_put_space(struct proto_buf *b, size_t n);
/* Overwrite the u32 at offset off of b (a count or length known late). */
void proto_patch_u32(struct proto_buf *b, size_t off, uint32_t v);
/* Start a frame at the end of b; proto_end fills in its length.
 * proto_end returns -1 when out of memory or over PROTO_FRAME_MAX. */
size_t proto_begin(struct proto_buf *b, uint16_t type, uint32_t id);
int proto_end(struct proto_buf *b, size_t start);

uint8_t proto_get_u8(struct proto_cur *c);
uint16_t proto_get_u16(struct proto_cur *c);
uint32_t proto_get_u32(struct proto_cur *c);
uint64_t proto_get_u64(struct proto_cur *c);
const uint8_t *proto_get_bytes(struct proto_cur *c, size_t n);

/* A frame header (PROTO_HDR bytes): 0, or -1 when its length is out of
 * [PROTO_HDR, PROTO_FRAME_MAX] or its flags are not 0. */
int proto_header(const uint8_t *p, struct proto_hdr *h);

/* ---- messages: encoders add one whole frame to b (-1 on failure);
 * decoders take a frame's payload (after the header). ---- */
int proto_enc_hello(struct proto_buf *b, uint32_t id);
int proto_dec_hello(const uint8_t *p, size_t n, uint16_t *version);
int proto_enc_hello_reply(struct proto_buf *b, uint32_t id,
			  const struct proto_hello *h);
int proto_dec_hello_reply(const uint8_t *p, size_t n, struct proto_hello *h);

int proto_enc_read(struct proto_buf *b, uint32_t id,
		   const struct proto_read_req *q);
/* Arrays malloc'd: free with proto_read_req_free. */
int proto_dec_read(const uint8_t *p, size_t n, struct proto_read_req *q);
void proto_read_req_free(struct proto_read_req *q);
/* The reply to q: counts, lengths and handles checked against q. */
int proto_dec_read_reply(const uint8_t *p, size_t n,
			 const struct proto_read_req *q,
			 struct proto_read_reply *r);
void proto_read_reply_free(struct proto_read_reply *r);
/* Bytes of the reply to q at most (PROTO_FRAME_MAX bounds it). */
uint64_t proto_read_reply_size(const struct proto_read_req *q);

/* LIST and STAT requests carry one path. */
int proto_enc_path(struct proto_buf *b, uint16_t type, uint32_t id,
		   const char *path);
/* The path into out (NUL-terminated; no NUL inside, 1..PROTO_PATH_MAX). */
int proto_dec_path(const uint8_t *p, size_t n, char *out, size_t outn);
/* names longer than PROTO_NAME_MAX are left out; -1 over the frame size */
int proto_enc_list_reply(struct proto_buf *b, uint32_t id, int err,
			 char *const *names, size_t count);
int proto_dec_list_reply(const uint8_t *p, size_t n, int *err,
			 char ***names, size_t *count);
int proto_enc_stat_reply(struct proto_buf *b, uint32_t id,
			 const struct proto_stat *s);
int proto_dec_stat_reply(const uint8_t *p, size_t n, struct proto_stat *s);

int proto_enc_close(struct proto_buf *b, uint32_t id, const uint32_t *h,
		    size_t n);
/* The handles, malloc'd. */
int proto_dec_close(const uint8_t *p, size_t n, uint32_t **h, size_t *count);

/* A reply of type PROTO_ERROR, or a reply with only an errno (close,
 * bye): err is this host's errno. */
int proto_enc_errno(struct proto_buf *b, uint16_t type, uint32_t id, int err);
int proto_dec_errno(const uint8_t *p, size_t n, int *err);

#endif
