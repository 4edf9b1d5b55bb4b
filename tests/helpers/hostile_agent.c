/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hostile_agent MODE: a fake `vmscope-collect --serve` for the tests of
 * `vmscope --remote`: it answers hello properly (this machine's facts)
 * and then misbehaves as MODE says.  Plain C, no vmscope code: the
 * frames are written by hand from docs/protocol.md.
 *   hello-exit  exit with status 3 after the hello
 *   hang        never answer after the hello
 *   garbage     answer the hello with text
 *   huge        a reply whose header claims 4 GiB
 *   wrongid     the hello's reply carries another request's id
 *   unasked     an extra reply to a request never made, after hello
 *   lying-read  read replies with more bytes than asked
 *   bad-names   list replies with "../x" and a NUL
 *   short       half a reply, then exit
 *   errors      every read: file error 13 (EACCES), stat: 2 (ENOENT) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static uint8_t out[1 << 16];
static size_t olen;

static void put(uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		out[olen++] = (uint8_t)(v >> (8 * i));
}

static void put_str(const char *s)
{
	size_t n = strlen(s) > 127 ? 127 : strlen(s);

	put(n, 2);
	memcpy(out + olen, s, n);
	olen += n;
}

static void flush(void)
{
	size_t done = 0;

	while (done < olen) {
		ssize_t w = write(1, out + done, olen - done);

		if (w <= 0)
			exit(1);
		done += (size_t)w;
	}
	olen = 0;
}

/* A frame header at out[0]: fill its length once the body is there. */
static void begin(uint16_t type, uint32_t id)
{
	olen = 0;
	put(0, 4);
	put(type, 2);
	put(0, 2);
	put(id, 4);
}

static void end(void)
{
	size_t n = olen;

	olen = 0;
	put(n, 4);
	olen = n;
}

/* The next request: its type and id; its body into body (size n). */
static int request(uint16_t *type, uint32_t *id, uint8_t *body, size_t n,
		   size_t *len)
{
	uint8_t h[12];
	uint32_t l;

	if (fread(h, 1, 12, stdin) != 12)
		return -1;
	l = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 |
	    (uint32_t)h[3] << 24;
	*type = (uint16_t)(h[4] | h[5] << 8);
	*id = (uint32_t)h[8] | (uint32_t)h[9] << 8 | (uint32_t)h[10] << 16 |
	      (uint32_t)h[11] << 24;
	if (l < 12 || l - 12 > n || fread(body, 1, l - 12, stdin) != l - 12)
		return -1;
	*len = l - 12;
	return 0;
}

static void hello_reply(uint32_t id)
{
	struct utsname u;

	uname(&u);
	begin(0x8001, id);
	put(0x43534d56u, 4);
	put(1, 2);
	put(1, 2);                  /* PFNs visible: page flags get read */
	put((uint64_t)sysconf(_SC_PAGESIZE), 4);
	put(1, 1);
	put(sizeof(void *) * 8, 1);
	put(0, 2);
	put((uint64_t)getpid(), 4);
	put_str(u.machine);
	put_str(u.release);
	put_str("hostile");
	end();
}

/* A read reply to body: every file kept as handle 1, every range
 * answered with 16 bytes more than asked. */
static void lying_read(uint32_t id, const uint8_t *b)
{
	uint16_t nf = (uint16_t)(b[0] | b[1] << 8);
	uint32_t nr = (uint32_t)b[4] | (uint32_t)b[5] << 8, i;

	begin(0x8002, id);
	put(nf, 2);
	put(0, 2);
	put(nr, 4);
	for (i = 0; i < nf; i++) {
		put(0, 4);
		put(1, 4);
	}
	for (i = 0; i < nr && olen < sizeof out - 64; i++) {
		put(0, 4);
		put(32, 4);
		memset(out + olen, 0x41, 32);
		olen += 32;
	}
	end();
}

static void error_reply(uint16_t type, uint32_t id, const uint8_t *b)
{
	uint16_t nf = (uint16_t)(b[0] | b[1] << 8);
	uint32_t nr = (uint32_t)b[4] | (uint32_t)b[5] << 8, i;

	begin(type | 0x8000, id);
	if (type == 2) {
		put(nf, 2);
		put(0, 2);
		put(nr, 4);
		for (i = 0; i < nf; i++) {
			put(13, 4);
			put(0, 4);
		}
		for (i = 0; i < nr; i++) {
			put(13, 4);
			put(0, 4);
		}
	} else if (type == 4) {
		put(2, 4);
		put(0, 4);
		put(0, 8); put(0, 8); put(0, 8); put(0, 8);
	} else {
		put(2, 4);
		if (type == 3)
			put(0, 4);
	}
	end();
}

static void misbehave(const char *mode, uint16_t type, uint32_t id,
		      const uint8_t *body)
{
	if (!strcmp(mode, "hang")) {
		pause();
	} else if (!strcmp(mode, "lying-read") && type == 2) {
		lying_read(id, body);
	} else if (!strcmp(mode, "bad-names") && type == 3) {
		begin(0x8003, id);
		put(0, 4);
		put(2, 4);
		put_str("../x");
		put(3, 2);
		out[olen++] = 'a'; out[olen++] = 0; out[olen++] = 'b';
		end();
	} else if (!strcmp(mode, "short")) {
		begin(type | 0x8000, id);
		put(0, 4);
		end();
		olen = 10;
		flush();
		exit(0);
	} else {
		error_reply(type, id, body);
	}
	flush();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "errors";
	static uint8_t body[1 << 22];
	uint16_t type;
	uint32_t id;
	size_t len;

	if (request(&type, &id, body, sizeof body, &len) < 0)
		return 2;
	if (!strcmp(mode, "garbage")) {
		fputs("HTTP/1.0 200 OK\r\nContent-Length: 4\r\n\r\nhi\r\n", stdout);
		return 0;
	}
	if (!strcmp(mode, "huge")) {
		begin(0x8001, id);
		olen = 0;
		put(0xffffffffu, 4);
		olen = 12;
		flush();
		pause();
	}
	hello_reply(!strcmp(mode, "wrongid") ? id + 1000 : id);
	if (!strcmp(mode, "unasked")) {
		size_t n = olen;

		memcpy(out + n, out, n);
		olen = 2 * n;
	}
	flush();
	if (!strcmp(mode, "hello-exit")) {
		fprintf(stderr, "hostile_agent: leaving after the hello\n");
		return 3;
	}
	while (request(&type, &id, body, sizeof body, &len) == 0)
		misbehave(mode, type, id, body);
	return 0;
}
