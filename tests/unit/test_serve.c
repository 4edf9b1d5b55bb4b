/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for src/core/serve.c and serve_paths.c: the agent serves
 * only the paths the readers read (never /proc/PID/root, cwd, fd, ..),
 * and answers a session of requests, written to it in one go, in order:
 * hello, a kept file read by ranges, stat, list, a refused path, an
 * unknown request, close, bye. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "vmscope/proto.h"
#include "vmscope/serve.h"

static bool ok(const char *rel, unsigned op)
{
	static const char *const cg[] = { "sys/fs/cgroup/memory" };

	return serve_path_allowed(rel, op, cg, 1);
}

static void test_paths_served(void **state)
{
	(void)state;
	assert_true(ok("proc/123/maps", SERVE_READ));
	assert_true(ok("proc/self/pagemap", SERVE_READ));
	assert_true(ok("proc/self/mountinfo", SERVE_READ));
	assert_true(ok("proc/123", SERVE_STAT));
	assert_true(ok("proc", SERVE_LIST));
	assert_true(ok("proc/kpageflags", SERVE_READ));
	assert_true(ok("boot.log", SERVE_READ));
	assert_true(ok("etc/passwd", SERVE_READ));
	assert_true(ok("dev/mem", SERVE_STAT));
	assert_true(ok("sys/class/uio", SERVE_LIST));
	assert_true(ok("sys/class/uio/uio0/maps/map0/addr", SERVE_READ));
	assert_true(ok("sys/firmware/memmap/0/start", SERVE_READ));
	assert_true(ok("sys/fs/cgroup/memory/system.slice", SERVE_LIST));
	assert_true(ok("sys/fs/cgroup/memory/a/b", SERVE_STAT));
}

static void test_paths_refused(void **state)
{
	static const char *const never[] = {
		"proc/1/root/etc/shadow", "proc/1/root", "proc/self/cwd",
		"proc/1/cwd/x", "proc/1/exe", "proc/1/fd/3", "proc/1/fd",
		"proc/1/environ", "proc/1/mem", "proc/1/map_files/1-2",
		"proc/1/task/1/root/etc/shadow", "../etc/passwd",
		"/etc/passwd", "proc/../etc/shadow", "proc//1/maps",
		"proc/./1/maps", "proc/1/./maps", "proc/01/maps", "etc/shadow",
		"sys/kernel/debug/x", "sys/class/uio/../../../etc/shadow",
		"sys/fs/cgroup/memoryx", "proc/self/", "", "dev/mem/x",
		"sys/class/uioX", "proc/kpageflags/..",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof never / sizeof never[0]; i++) {
		if (ok(never[i], SERVE_READ) || ok(never[i], SERVE_STAT) ||
		    ok(never[i], SERVE_LIST))
			fail_msg("served: '%s'", never[i]);
	}
	assert_false(ok("dev/mem", SERVE_READ));          /* stat only */
	assert_false(ok("proc/1/maps", SERVE_LIST));
	assert_false(ok("proc/1", SERVE_READ));
	assert_false(ok("sys/fs/cgroup/memory/a/cgroup.procs", SERVE_READ));
	assert_false(serve_path_allowed("sys/fs/cgroup/memory", SERVE_LIST,
					NULL, 0));
}

/* A snapshot directory: conf, a maps and a 4-entry pagemap. */
static void make_root(char *dir)
{
	static const uint64_t pm[4] = { 0, 0x8000000000000123ull, 0, 7 };
	char path[256];
	FILE *f;

	strcpy(dir, "/tmp/vmscope-test-serve.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/vmscope-snapshot.conf", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("format=1\npage_size=4096\narch=armv7l\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/proc", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/proc/42", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/proc/42/pagemap", dir);
	assert_non_null(f = fopen(path, "w"));
	fwrite(pm, sizeof pm, 1, f);
	fclose(f);
	snprintf(path, sizeof path, "%s/etc", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/etc/shadow", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("root:secret\n", f);
	fclose(f);
}

/* The next reply in out[*at..n): its header (checked id) and payload. */
static const uint8_t *next(const uint8_t *out, size_t n, size_t *at,
			   uint32_t id, uint16_t *type, size_t *len)
{
	struct proto_hdr h;

	assert_true(n - *at >= PROTO_HDR);
	assert_int_equal(proto_header(out + *at, &h), 0);
	assert_int_equal(h.id, id);
	assert_true(h.len <= n - *at);
	*type = h.type;
	*len = h.len - PROTO_HDR;
	*at += h.len;
	return out + *at - h.len + PROTO_HDR;
}

static void requests(struct proto_buf *b, struct proto_read_req *q)
{
	uint16_t unknown = 77;

	proto_enc_hello(b, 1);
	proto_enc_read(b, 2, q);
	proto_enc_path(b, PROTO_STAT, 3, "proc/42/pagemap");
	proto_enc_path(b, PROTO_LIST, 4, "proc");
	proto_enc_path(b, PROTO_STAT, 5, "etc/shadow");
	proto_enc_errno(b, unknown, 6, 0);
	proto_enc_close(b, 7, (const uint32_t[]){ 1 }, 1);
	proto_enc_errno(b, PROTO_BYE, 8, 0);
}

static void test_session(void **state)
{
	struct proto_file f = { 0, PROTO_F_KEEP, 15, "proc/42/pagemap" };
	struct proto_range g[2] = { { 0, 8, 8 }, { 0, 16, 24 } };
	struct proto_read_req q = { 1, 2, &f, g };
	struct proto_read_reply rep;
	struct proto_hello h;
	struct proto_stat st;
	struct proto_buf b = { 0 };
	struct vms_root r;
	struct vms_err e;
	char dir[64], **names;
	uint8_t out[8192];
	size_t n, at = 0, len, count;
	uint16_t type;
	const uint8_t *p;
	int in[2], outfd, err;

	(void)state;
	make_root(dir);
	assert_int_equal(root_dir_open(&r, dir, &e), 0);
	requests(&b, &q);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(write(in[1], b.p, b.len), (ssize_t)b.len);
	close(in[1]);
	outfd = fileno(tmpfile());
	assert_int_equal(serve_run(&r, in[0], outfd, &e), 0);
	n = (size_t)pread(outfd, out, sizeof out, 0);

	p = next(out, n, &at, 1, &type, &len);
	assert_int_equal(type, PROTO_HELLO | PROTO_REPLY);
	assert_int_equal(proto_dec_hello_reply(p, len, &h), 0);
	assert_int_equal(h.page_size, 4096);
	assert_string_equal(h.arch, "armv7l");

	p = next(out, n, &at, 2, &type, &len);
	assert_int_equal(proto_dec_read_reply(p, len, &q, &rep), 0);
	assert_int_equal(rep.files[0].handle, 1);
	assert_int_equal(rep.ranges[0].len, 8);
	assert_int_equal(rep.ranges[0].data[0], 0x23);
	assert_int_equal(rep.ranges[1].len, 8);        /* short: the end */
	assert_int_equal(rep.ranges[1].data[0], 7);
	proto_read_reply_free(&rep);

	p = next(out, n, &at, 3, &type, &len);
	assert_int_equal(proto_dec_stat_reply(p, len, &st), 0);
	assert_int_equal(st.size, 32);

	p = next(out, n, &at, 4, &type, &len);
	assert_int_equal(proto_dec_list_reply(p, len, &err, &names, &count), 0);
	assert_int_equal(count, 1);
	assert_string_equal(names[0], "42");
	free(names[0]);
	free(names);

	p = next(out, n, &at, 5, &type, &len);         /* refused: EACCES */
	assert_int_equal(proto_dec_stat_reply(p, len, &st), 0);
	assert_int_equal(st.err, EACCES);

	p = next(out, n, &at, 6, &type, &len);
	assert_int_equal(type, PROTO_ERROR);
	assert_int_equal(proto_dec_errno(p, len, &err), 0);
	assert_int_equal(err, ENOSYS);

	p = next(out, n, &at, 7, &type, &len);
	assert_int_equal(proto_dec_errno(p, len, &err), 0);
	assert_int_equal(err, 0);
	p = next(out, n, &at, 8, &type, &len);
	assert_int_equal(type, PROTO_BYE | PROTO_REPLY);
	assert_int_equal(at, n);

	proto_buf_free(&b);
	close(in[0]);
	root_close(&r);
	snprintf((char *)out, sizeof out, "rm -rf '%s'", dir);
	assert_int_equal(system((char *)out), 0);
}

static void test_garbage_ends_the_session(void **state)
{
	struct vms_root r;
	struct vms_err e;
	char dir[64], cmd[128];
	int in[2];

	(void)state;
	make_root(dir);
	assert_int_equal(root_dir_open(&r, dir, &e), 0);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(write(in[1], "GET / HTTP/1.0\r\n\r\n", 18), 18);
	close(in[1]);
	assert_int_equal(serve_run(&r, in[0], fileno(tmpfile()), &e), -1);
	assert_non_null(strstr(e.msg, "not vmscope's protocol"));
	close(in[0]);
	root_close(&r);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_served),
		cmocka_unit_test(test_paths_refused),
		cmocka_unit_test(test_session),
		cmocka_unit_test(test_garbage_ends_the_session),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
