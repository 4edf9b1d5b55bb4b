/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for src/core/proto.c and proto_read.c: every message
 * encodes and decodes back; replies a hostile agent could send (lengths
 * past the frame, counts too big, NULs and '/' in names, handles never
 * asked for, data longer than asked) are refused. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vmscope/proto.h"

/* The payload of the one frame in b, checked: its header says type. */
static const uint8_t *payload(const struct proto_buf *b, uint16_t type,
			      size_t *n)
{
	struct proto_hdr h;

	assert_true(b->len >= PROTO_HDR);
	assert_int_equal(proto_header(b->p, &h), 0);
	assert_int_equal(h.len, b->len);
	assert_int_equal(h.type, type);
	*n = b->len - PROTO_HDR;
	return b->p + PROTO_HDR;
}

static void test_header_limits(void **state)
{
	uint8_t h[PROTO_HDR] = { 11, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0 };
	struct proto_hdr hd;

	(void)state;
	assert_int_equal(proto_header(h, &hd), -1);     /* shorter than a header */
	h[0] = 12;
	assert_int_equal(proto_header(h, &hd), 0);
	assert_int_equal(hd.id, 7);
	h[6] = 1;                                       /* flags must be 0 */
	assert_int_equal(proto_header(h, &hd), -1);
	h[6] = 0;
	h[0] = 1; h[1] = 0; h[2] = 0; h[3] = 1;         /* 16 MiB + 1 */
	assert_int_equal(proto_header(h, &hd), -1);
}

static void test_little_endian_on_the_wire(void **state)
{
	struct proto_buf b = { 0 };

	(void)state;
	proto_put_u32(&b, 0x01020304);
	proto_put_u64(&b, 0x1122334455667788ull);
	assert_int_equal(b.p[0], 4);
	assert_int_equal(b.p[3], 1);
	assert_int_equal(b.p[4], 0x88);
	assert_int_equal(b.p[11], 0x11);
	proto_buf_free(&b);
}

static void test_hello_round_trip(void **state)
{
	struct proto_hello h = { .version = 1, .page_size = 16384,
		.big_endian = true, .addr_bits = 32, .caps = PROTO_CAP_PFN_VISIBLE,
		.pid = 77, .arch = "mips", .release = "5.10.0", .hostname = "board" };
	struct proto_hello got;
	struct proto_buf b = { 0 };
	const uint8_t *p;
	uint16_t v;
	size_t n;

	(void)state;
	assert_int_equal(proto_enc_hello(&b, 1), 0);
	p = payload(&b, PROTO_HELLO, &n);
	assert_int_equal(proto_dec_hello(p, n, &v), 0);
	assert_int_equal(v, PROTO_VERSION);
	b.len = 0;
	assert_int_equal(proto_enc_hello_reply(&b, 1, &h), 0);
	p = payload(&b, PROTO_HELLO | PROTO_REPLY, &n);
	assert_int_equal(proto_dec_hello_reply(p, n, &got), 0);
	assert_int_equal(got.page_size, 16384);
	assert_true(got.big_endian);
	assert_int_equal(got.addr_bits, 32);
	assert_int_equal(got.pid, 77);
	assert_string_equal(got.arch, "mips");
	assert_string_equal(got.release, "5.10.0");
	assert_string_equal(got.hostname, "board");
	/* every shorter payload is refused, and one byte more too */
	for (size_t k = 0; k < n; k++)
		assert_int_equal(proto_dec_hello_reply(p, k, &got), -1);
	proto_buf_free(&b);
}

static void test_hello_bad_facts(void **state)
{
	struct proto_hello h = { .version = 1, .page_size = 4096,
		.addr_bits = 64, .arch = "x" };
	struct proto_hello got;
	struct proto_buf b = { 0 };
	const uint8_t *p;
	size_t n;

	(void)state;
	h.page_size = 3000;                      /* not a power of two */
	proto_enc_hello_reply(&b, 1, &h);
	p = payload(&b, PROTO_HELLO | PROTO_REPLY, &n);
	assert_int_equal(proto_dec_hello_reply(p, n, &got), -1);
	b.len = 0;
	h.page_size = 4096;
	h.addr_bits = 48;
	proto_enc_hello_reply(&b, 1, &h);
	p = payload(&b, PROTO_HELLO | PROTO_REPLY, &n);
	assert_int_equal(proto_dec_hello_reply(p, n, &got), -1);
	b.len = 0;
	h.addr_bits = 64;
	h.version = 2;                           /* a newer agent */
	proto_enc_hello_reply(&b, 1, &h);
	p = payload(&b, PROTO_HELLO | PROTO_REPLY, &n);
	assert_int_equal(proto_dec_hello_reply(p, n, &got), -1);
	b.len = 0;
	h.version = 1;
	proto_enc_hello_reply(&b, 1, &h);
	b.p[PROTO_HDR + 20 + 2] = '\0';          /* a NUL inside arch */
	p = payload(&b, PROTO_HELLO | PROTO_REPLY, &n);
	assert_int_equal(proto_dec_hello_reply(p, n, &got), -1);
	proto_buf_free(&b);
}

/* A request of two files: a kept pagemap, a handle; three ranges. */
static void two_files(struct proto_read_req *q, struct proto_file *f,
		      struct proto_range *g)
{
	f[0] = (struct proto_file){ 0, PROTO_F_KEEP, 14, "proc/1/pagemap" };
	f[1] = (struct proto_file){ 5, 0, 0, NULL };
	g[0] = (struct proto_range){ 0, 16, 0x1000 };
	g[1] = (struct proto_range){ 1, 8, 0 };
	g[2] = (struct proto_range){ 0, 4, 0 };
	*q = (struct proto_read_req){ 2, 3, f, g };
}

static void test_read_request_round_trip(void **state)
{
	struct proto_file f[2];
	struct proto_range g[3];
	struct proto_read_req q, got;
	struct proto_buf b = { 0 };
	const uint8_t *p;
	size_t n;

	(void)state;
	two_files(&q, f, g);
	assert_int_equal(proto_enc_read(&b, 9, &q), 0);
	p = payload(&b, PROTO_READ, &n);
	assert_int_equal(proto_dec_read(p, n, &got), 0);
	assert_int_equal(got.nfiles, 2);
	assert_int_equal(got.nranges, 3);
	assert_int_equal(got.files[0].pathlen, 14);
	assert_memory_equal(got.files[0].path, "proc/1/pagemap", 14);
	assert_int_equal(got.files[1].handle, 5);
	assert_int_equal(got.ranges[0].off, 0x1000);
	assert_int_equal(got.ranges[1].file, 1);
	proto_read_req_free(&got);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(proto_dec_read(p, k, &got), -1);
	proto_buf_free(&b);
}

static void test_read_request_limits(void **state)
{
	struct proto_file f[2];
	struct proto_range g[3];
	struct proto_read_req q;
	struct proto_buf b = { 0 };

	(void)state;
	two_files(&q, f, g);
	g[1].file = 2;                           /* no such file */
	assert_int_equal(proto_enc_read(&b, 1, &q), -1);
	two_files(&q, f, g);
	g[0].len = PROTO_FRAME_MAX;              /* the reply would not fit */
	assert_int_equal(proto_enc_read(&b, 1, &q), -1);
	two_files(&q, f, g);
	g[0].off = UINT64_MAX - 4;               /* past any offset */
	assert_int_equal(proto_enc_read(&b, 1, &q), -1);
	two_files(&q, f, g);
	f[1].flags = PROTO_F_KEEP;               /* keep a handle: meaningless */
	assert_int_equal(proto_enc_read(&b, 1, &q), -1);
	two_files(&q, f, g);
	f[0].path = "proc/1\0pagemap";           /* a NUL in a path */
	assert_int_equal(proto_enc_read(&b, 1, &q), -1);
	proto_buf_free(&b);
}

/* The reply to two_files as an agent writes it, with knobs to lie. */
static void reply(struct proto_buf *b, uint32_t handle0, uint32_t len0,
		  uint32_t nranges)
{
	size_t s = proto_begin(b, PROTO_READ | PROTO_REPLY, 9);
	static const uint8_t data[32] = "0123456789abcdefghijklmnopqrstu";

	proto_put_u16(b, 2);
	proto_put_u16(b, 0);
	proto_put_u32(b, nranges);
	proto_put_u32(b, 0);
	proto_put_u32(b, handle0);
	proto_put_u32(b, 0);
	proto_put_u32(b, 0);
	proto_put_u32(b, 0);                     /* range 0: len0 bytes */
	proto_put_u32(b, len0);
	proto_put_bytes(b, data, len0 < 32 ? len0 : 32);
	proto_put_u32(b, proto_errno_to_wire(ESRCH)); /* range 1: an error */
	proto_put_u32(b, 0);
	proto_put_u32(b, 0);                     /* range 2: short, EOF */
	proto_put_u32(b, 2);
	proto_put_bytes(b, data, 2);
	proto_end(b, s);
}

static void test_read_reply_checked_against_request(void **state)
{
	struct proto_file f[2];
	struct proto_range g[3];
	struct proto_read_req q;
	struct proto_read_reply r;
	struct proto_buf b = { 0 };
	const uint8_t *p;
	size_t n;

	(void)state;
	two_files(&q, f, g);
	reply(&b, 3, 16, 3);
	p = payload(&b, PROTO_READ | PROTO_REPLY, &n);
	assert_int_equal(proto_dec_read_reply(p, n, &q, &r), 0);
	assert_int_equal(r.files[0].handle, 3);
	assert_int_equal(r.ranges[0].len, 16);
	assert_memory_equal(r.ranges[0].data, "0123456789abcdef", 16);
	assert_int_equal(r.ranges[1].err, ESRCH);
	assert_int_equal(r.ranges[2].len, 2);
	proto_read_reply_free(&r);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(proto_dec_read_reply(p, k, &q, &r), -1);
	b.len = 0;
	reply(&b, 3, 17, 3);                     /* more than asked */
	p = payload(&b, PROTO_READ | PROTO_REPLY, &n);
	assert_int_equal(proto_dec_read_reply(p, n, &q, &r), -1);
	b.len = 0;
	reply(&b, 0, 16, 3);                     /* kept, but no handle */
	p = payload(&b, PROTO_READ | PROTO_REPLY, &n);
	assert_int_equal(proto_dec_read_reply(p, n, &q, &r), -1);
	b.len = 0;
	reply(&b, 3, 16, 4);                     /* a range never asked */
	p = payload(&b, PROTO_READ | PROTO_REPLY, &n);
	assert_int_equal(proto_dec_read_reply(p, n, &q, &r), -1);
	b.len = 0;
	reply(&b, 3, 0xffffffffu, 3);            /* a length past the frame */
	p = payload(&b, PROTO_READ | PROTO_REPLY, &n);
	assert_int_equal(proto_dec_read_reply(p, n, &q, &r), -1);
	proto_buf_free(&b);
}

static void test_list_reply(void **state)
{
	char *names[] = { "1", "self", "kpageflags" }, **got;
	struct proto_buf b = { 0 };
	const uint8_t *p;
	size_t n, count;
	int err;

	(void)state;
	assert_int_equal(proto_enc_list_reply(&b, 2, 0, names, 3), 0);
	p = payload(&b, PROTO_LIST | PROTO_REPLY, &n);
	assert_int_equal(proto_dec_list_reply(p, n, &err, &got, &count), 0);
	assert_int_equal(err, 0);
	assert_int_equal(count, 3);
	assert_string_equal(got[2], "kpageflags");
	for (size_t i = 0; i < count; i++)
		free(got[i]);
	free(got);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(proto_dec_list_reply(p, k, &err, &got, &count), -1);
	/* names a hostile agent could send: "..", "a/b", a NUL */
	b.p[PROTO_HDR + 8 + 2] = '/';
	assert_int_equal(proto_dec_list_reply(p, n, &err, &got, &count), -1);
	b.len = 0;
	names[1] = "..";
	proto_enc_list_reply(&b, 2, 0, names, 3);      /* left out when sent */
	p = payload(&b, PROTO_LIST | PROTO_REPLY, &n);
	assert_int_equal(proto_dec_list_reply(p, n, &err, &got, &count), 0);
	assert_int_equal(count, 2);
	for (size_t i = 0; i < count; i++)
		free(got[i]);
	free(got);
	/* a count of a billion names in a few bytes */
	b.p[PROTO_HDR + 4] = 0; b.p[PROTO_HDR + 5] = 0xca;
	b.p[PROTO_HDR + 6] = 0x9a; b.p[PROTO_HDR + 7] = 0x3b;
	assert_int_equal(proto_dec_list_reply(p, n, &err, &got, &count), -1);
	proto_buf_free(&b);
}

static void test_stat_close_errno(void **state)
{
	struct proto_stat st = { 0, 040555, 1, 2, 3, 4 }, got;
	uint32_t h[3] = { 1, 2, 3 }, *gh;
	struct proto_buf b = { 0 };
	const uint8_t *p;
	char path[64];
	size_t n, count;
	int err;

	(void)state;
	assert_int_equal(proto_enc_stat_reply(&b, 3, &st), 0);
	p = payload(&b, PROTO_STAT | PROTO_REPLY, &n);
	assert_int_equal(proto_dec_stat_reply(p, n, &got), 0);
	assert_int_equal(got.mode, 040555);
	assert_int_equal(got.size, 4);
	assert_int_equal(proto_dec_stat_reply(p, n - 1, &got), -1);
	b.len = 0;
	assert_int_equal(proto_enc_close(&b, 4, h, 3), 0);
	p = payload(&b, PROTO_CLOSE, &n);
	assert_int_equal(proto_dec_close(p, n, &gh, &count), 0);
	assert_int_equal(count, 3);
	assert_int_equal(gh[2], 3);
	free(gh);
	assert_int_equal(proto_dec_close(p, n - 4, &gh, &count), -1);
	b.len = 0;
	assert_int_equal(proto_enc_path(&b, PROTO_STAT, 5, "proc/self/status"), 0);
	p = payload(&b, PROTO_STAT, &n);
	assert_int_equal(proto_dec_path(p, n, path, sizeof path), 0);
	assert_string_equal(path, "proc/self/status");
	assert_int_equal(proto_dec_path(p, n, path, 8), -1);  /* too long */
	b.len = 0;
	assert_int_equal(proto_enc_errno(&b, PROTO_ERROR, 6, ENOSYS), 0);
	p = payload(&b, PROTO_ERROR, &n);
	assert_int_equal(proto_dec_errno(p, n, &err), 0);
	assert_int_equal(err, ENOSYS);
	proto_buf_free(&b);
}

static void test_errno_across_machines(void **state)
{
	(void)state;
	/* the wire numbers are asm-generic's, whatever this host uses */
	assert_int_equal(proto_errno_to_wire(ENOENT), 2);
	assert_int_equal(proto_errno_to_wire(ESRCH), 3);
	assert_int_equal(proto_errno_to_wire(EACCES), 13);
	assert_int_equal(proto_errno_to_wire(ENAMETOOLONG), 36);
	assert_int_equal(proto_errno_from_wire(40), ELOOP);
	assert_int_equal(proto_errno_from_wire(0), 0);
	assert_int_equal(proto_errno_from_wire(99999), EIO); /* unknown */
	assert_int_equal(proto_errno_to_wire(10000), 5);     /* VMS_EFORMAT */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_limits),
		cmocka_unit_test(test_little_endian_on_the_wire),
		cmocka_unit_test(test_hello_round_trip),
		cmocka_unit_test(test_hello_bad_facts),
		cmocka_unit_test(test_read_request_round_trip),
		cmocka_unit_test(test_read_request_limits),
		cmocka_unit_test(test_read_reply_checked_against_request),
		cmocka_unit_test(test_list_reply),
		cmocka_unit_test(test_stat_close_errno),
		cmocka_unit_test(test_errno_across_machines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
