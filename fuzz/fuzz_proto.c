/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: the remote protocol's decoders, on both sides.
 * The first byte picks the side:
 *   even  a stream of replies as a hostile agent sends them: each frame
 *         framed by proto_header and decoded by its type (a read reply
 *         against a request made to match its counts, the most lenient
 *         one the client could have sent);
 *   odd   a stream of requests as a hostile client sends them, served
 *         by serve_run over a pipe from the fixture root in
 *         $VMSCOPE_FUZZ_ROOT (fuzz/run sets it), replies to /dev/null. */
#include <assert.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vmscope/proto.h"
#include "vmscope/root.h"
#include "vmscope/serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A read reply, against the request its own counts describe. */
static void read_reply(const uint8_t *p, size_t n)
{
	static struct proto_file f[PROTO_FILES_MAX];
	static struct proto_range g[64];
	struct proto_read_req q = { 0, 0, f, g };
	struct proto_read_reply r;
	size_t i;

	if (n < 8)
		return;
	q.nfiles = (size_t)(p[0] | p[1] << 8) % (PROTO_FILES_MAX + 1);
	q.nranges = (size_t)(p[4] | p[5] << 8) % 65;
	for (i = 0; i < q.nfiles; i++)
		f[i] = (struct proto_file){ 0, PROTO_F_KEEP | PROTO_F_EOF_CLOSE, 1, "x" };
	for (i = 0; i < q.nranges; i++)
		g[i] = (struct proto_range){ (uint32_t)(q.nfiles ? i % q.nfiles : 0),
					     4096, 0 };
	if (proto_dec_read_reply(p, n, &q, &r) < 0)
		return;
	assert(r.nranges == q.nranges);
	for (i = 0; i < r.nranges; i++) {
		assert(r.ranges[i].len <= g[i].len);
		assert(r.ranges[i].data >= p && r.ranges[i].data + r.ranges[i].len <= p + n);
	}
	proto_read_reply_free(&r);
}

static void one_reply(const struct proto_hdr *h, const uint8_t *p, size_t n)
{
	struct proto_hello hello;
	struct proto_stat st;
	char **names;
	size_t count, i;
	int err;

	switch (h->type) {
	case PROTO_HELLO | PROTO_REPLY:
		if (proto_dec_hello_reply(p, n, &hello) == 0)
			assert(memchr(hello.arch, '\0', sizeof hello.arch));
		break;
	case PROTO_READ | PROTO_REPLY:
		read_reply(p, n);
		break;
	case PROTO_LIST | PROTO_REPLY:
		if (proto_dec_list_reply(p, n, &err, &names, &count) == 0) {
			for (i = 0; i < count; i++) {
				assert(!strchr(names[i], '/'));
				assert(strcmp(names[i], ".."));
				free(names[i]);
			}
			free(names);
		}
		break;
	case PROTO_STAT | PROTO_REPLY:
		(void)proto_dec_stat_reply(p, n, &st);
		break;
	default:
		(void)proto_dec_errno(p, n, &err);
	}
}

static void replies(const uint8_t *p, size_t n)
{
	struct proto_hdr h;

	while (n >= PROTO_HDR && proto_header(p, &h) == 0 && h.len <= n) {
		one_reply(&h, p + PROTO_HDR, h.len - PROTO_HDR);
		p += h.len;
		n -= h.len;
	}
}

static void requests(const uint8_t *p, size_t n)
{
	static struct vms_root r;
	static int have = -1;
	struct vms_err e;
	int in[2], out;

	if (have < 0) {
		const char *dir = getenv("VMSCOPE_FUZZ_ROOT");

		have = dir && root_dir_open(&r, dir, &e) == 0;
	}
	if (!have || pipe(in) < 0)
		return;
	out = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (n > 60000)  /* what a pipe holds without a reader */
		n = 60000;
	if (write(in[1], p, n) == (ssize_t)n) {
		close(in[1]);
		in[1] = -1;
		(void)serve_run(&r, in[0], out, &e);
	}
	if (in[1] >= 0)
		close(in[1]);
	close(in[0]);
	close(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		requests(data + 1, size - 1);
	else
		replies(data + 1, size - 1);
	return 0;
}
