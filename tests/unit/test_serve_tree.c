/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the agent's trees (issue 14 point 10): served from a
 * snapshot directory with symbolic links planted in it, pointing out of
 * it (a process's maps, a UIO device, the firmware memory map), the
 * agent answers none of them, by read, stat or list, and no reply holds
 * a byte of what they point at; below a UIO device only the files the
 * readers read are served (no device/, subsystem/ into the rest of
 * sysfs); every request type that is not the protocol's is refused and
 * nothing in the tree changes. */
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

#define SECRET "outside-secret-4f1c"

struct tree {
	char dir[64], out[80];
};

static void put(const char *dir, const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void sub(const char *dir, const char *rel)
{
	char path[256];

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void link_to(const char *target, const char *dir, const char *rel)
{
	char path[256];

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	assert_int_equal(symlink(target, path), 0);
}

/* A root with a real process 42 and links out of it; outside it, a
 * directory of secrets shaped like what the links claim to be. */
static void make_tree(struct tree *t)
{
	char target[128];

	strcpy(t->dir, "/tmp/vmscope-test-tree.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->out, sizeof t->out, "%s.out", t->dir);
	assert_int_equal(mkdir(t->out, 0755), 0);
	put(t->out, "secret", SECRET "\n");
	sub(t->out, "uio0");
	sub(t->out, "uio0/maps");
	sub(t->out, "uio0/maps/map0");
	put(t->out, "uio0/maps/map0/addr", SECRET "\n");
	sub(t->out, "memmap");
	sub(t->out, "memmap/0");
	put(t->out, "memmap/0/start", SECRET "\n");

	put(t->dir, "vmscope-snapshot.conf", "format=1\npage_size=4096\narch=armv7l\n");
	sub(t->dir, "proc");
	sub(t->dir, "proc/42");
	put(t->dir, "proc/42/smaps", "00400000-00401000 r-xp 00000000 00:00 0\n");
	sub(t->dir, "proc/43");
	sub(t->dir, "sys");
	sub(t->dir, "sys/class");
	sub(t->dir, "sys/class/uio");
	sub(t->dir, "sys/firmware");
	snprintf(target, sizeof target, "%s/secret", t->out);
	link_to(target, t->dir, "proc/42/maps");
	link_to("../../../../../../../../../../../../etc/passwd", t->dir, "proc/42/status");
	link_to(target, t->dir, "etc");
	snprintf(target, sizeof target, "%s/uio0", t->out);
	link_to(target, t->dir, "sys/class/uio/uio0");
	snprintf(target, sizeof target, "%s/memmap", t->out);
	link_to(target, t->dir, "sys/firmware/memmap");
	link_to(t->out, t->dir, "proc/43/smaps");
}

static void drop_tree(struct tree *t)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", t->dir, t->out);
	assert_int_equal(system(cmd), 0);
}

/* Serve the requests in b from t's root; the replies, malloc'd. */
static uint8_t *serve(struct tree *t, const struct proto_buf *b, size_t *n)
{
	struct vms_root r;
	struct vms_err e;
	uint8_t *out;
	int in[2], outfd;
	off_t size;

	assert_int_equal(root_dir_open(&r, t->dir, &e), 0);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(write(in[1], b->p, b->len), (ssize_t)b->len);
	close(in[1]);
	outfd = fileno(tmpfile());
	assert_int_equal(serve_run(&r, in[0], outfd, &e), 0);
	close(in[0]);
	root_close(&r);
	size = lseek(outfd, 0, SEEK_END);
	assert_true(size > 0);
	*n = (size_t)size;
	assert_non_null(out = malloc(*n));
	assert_int_equal(pread(outfd, out, *n, 0), (ssize_t)*n);
	close(outfd);
	return out;
}

static bool holds(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s), i;

	for (i = 0; i + k <= n; i++)
		if (!memcmp(p + i, s, k))
			return true;
	return false;
}

/* Each reply in order: its type, and the error it carries. */
static int reply_err(const uint8_t *out, size_t n, size_t *at, uint32_t id,
		     const struct proto_read_req *q)
{
	struct proto_hdr h;
	const uint8_t *p;
	size_t len;
	int err = -1;

	assert_true(n - *at >= PROTO_HDR);
	assert_int_equal(proto_header(out + *at, &h), 0);
	assert_int_equal(h.id, id);
	p = out + *at + PROTO_HDR;
	len = h.len - PROTO_HDR;
	*at += h.len;
	if (h.type == (PROTO_READ | PROTO_REPLY)) {
		struct proto_read_reply rep;

		assert_int_equal(proto_dec_read_reply(p, len, q, &rep), 0);
		err = rep.files[0].err;
		proto_read_reply_free(&rep);
	} else if (h.type == (PROTO_STAT | PROTO_REPLY)) {
		struct proto_stat st;

		assert_int_equal(proto_dec_stat_reply(p, len, &st), 0);
		err = st.err;
	} else if (h.type == (PROTO_LIST | PROTO_REPLY)) {
		char **names;
		size_t count, i;

		assert_int_equal(proto_dec_list_reply(p, len, &err, &names, &count), 0);
		for (i = 0; i < count; i++)
			free(names[i]);
		free(names);
	} else {
		assert_int_equal(proto_dec_errno(p, len, &err), 0);
	}
	return err;
}

static void test_links_out_are_not_served(void **state)
{
	static const char *const reads[] = {
		"proc/42/maps", "proc/42/status", "proc/43/smaps",
		"sys/class/uio/uio0/maps/map0/addr", "sys/firmware/memmap/0/start",
	};
	static const char *const lists[] = {
		"sys/class/uio/uio0", "sys/class/uio/uio0/maps",
		"sys/firmware/memmap", "sys/firmware/memmap/0",
	};
	struct proto_file f = { 0, 0, 0, NULL };
	struct proto_range g = { 0, 4096, 0 };
	struct proto_read_req q = { 1, 1, &f, &g };
	struct proto_buf b = { 0 };
	struct tree t;
	uint8_t *out;
	size_t n, at = 0, i;
	uint32_t id = 1;

	(void)state;
	make_tree(&t);
	for (i = 0; i < sizeof reads / sizeof reads[0]; i++) {
		f.path = reads[i];
		f.pathlen = (uint16_t)strlen(reads[i]);
		assert_int_equal(proto_enc_read(&b, id++, &q), 0);
		proto_enc_path(&b, PROTO_STAT, id++, reads[i]);
	}
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
		proto_enc_path(&b, PROTO_LIST, id++, lists[i]);
	f.path = "proc/42/smaps";                /* a plain file is served */
	f.pathlen = (uint16_t)strlen(f.path);
	assert_int_equal(proto_enc_read(&b, id++, &q), 0);
	proto_enc_errno(&b, PROTO_BYE, id++, 0);

	out = serve(&t, &b, &n);
	assert_false(holds(out, n, SECRET));
	assert_false(holds(out, n, "root:"));
	id = 1;
	for (i = 0; i < sizeof reads / sizeof reads[0]; i++) {
		f.path = reads[i];
		f.pathlen = (uint16_t)strlen(reads[i]);
		if (reply_err(out, n, &at, id++, &q) == 0)
			fail_msg("read through a link out: %s", reads[i]);
		if (reply_err(out, n, &at, id++, NULL) == 0)
			fail_msg("stat through a link out: %s", reads[i]);
	}
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
		if (reply_err(out, n, &at, id++, NULL) == 0)
			fail_msg("listed through a link out: %s", lists[i]);
	f.path = "proc/42/smaps";
	f.pathlen = (uint16_t)strlen(f.path);
	assert_int_equal(reply_err(out, n, &at, id++, &q), 0);
	assert_true(holds(out, n, "00400000-00401000"));
	free(out);
	proto_buf_free(&b);
	drop_tree(&t);
}

/* Below a UIO device only what the readers read: never device/,
 * subsystem/, driver/ (links into the rest of sysfs) or other files. */
static void test_uio_files_only(void **state)
{
	static const char *const never[] = {
		"sys/class/uio/uio0/device", "sys/class/uio/uio0/device/config",
		"sys/class/uio/uio0/subsystem/uio1/name",
		"sys/class/uio/uio0/device/driver/module/parameters/x",
		"sys/class/uio/uio0/power/control", "sys/class/uio/uio0/uevent",
		"sys/class/uio/uio0/maps/map0/device",
		"sys/class/uio/uio0/maps/map0/addr/x",
		"sys/class/uio/uio0/portio/port0/start",
		"sys/class/uio/uio0/maps/map0/../../device/resource0",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof never / sizeof never[0]; i++)
		if (serve_path_allowed(never[i], SERVE_READ, NULL, 0) ||
		    serve_path_allowed(never[i], SERVE_STAT, NULL, 0) ||
		    serve_path_allowed(never[i], SERVE_LIST, NULL, 0))
			fail_msg("served: '%s'", never[i]);
	assert_true(serve_path_allowed("sys/class/uio", SERVE_LIST, NULL, 0));
	assert_true(serve_path_allowed("sys/class/uio/uio0", SERVE_STAT, NULL, 0));
	assert_true(serve_path_allowed("sys/class/uio/uio0/name", SERVE_READ, NULL, 0));
	assert_true(serve_path_allowed("sys/class/uio/uio0/version", SERVE_READ, NULL, 0));
	assert_true(serve_path_allowed("sys/class/uio/uio0/maps", SERVE_LIST, NULL, 0));
	assert_true(serve_path_allowed("sys/class/uio/uio0/maps/map1", SERVE_LIST, NULL, 0));
	assert_true(serve_path_allowed("sys/class/uio/uio0/maps/map1/offset", SERVE_READ, NULL, 0));
	assert_false(serve_path_allowed("sys/class/uio/uio0/name", SERVE_LIST, NULL, 0));
	assert_false(serve_path_allowed("sys/class/uio/uio0", SERVE_READ, NULL, 0));
}

/* The protocol has no request that writes: every other type is refused,
 * and the tree is as it was (names, sizes, times). */
static void test_no_request_writes(void **state)
{
	struct proto_buf b = { 0 };
	struct stat before[3], after[3];
	const char *const files[3] = { "", "/proc/42", "/proc/42/smaps" };
	char path[128];
	struct tree t;
	uint8_t *out;
	size_t n, at = 0;
	uint32_t type, id = 1;

	(void)state;
	make_tree(&t);
	for (type = 0; type < 64; type++) {
		size_t s;

		if (type >= PROTO_HELLO && type <= PROTO_BYE)
			continue;
		s = proto_begin(&b, (uint16_t)type, id++);
		proto_put_u16(&b, 13);
		proto_put_bytes(&b, "proc/42/smaps", 13);
		proto_put_u64(&b, 0);
		proto_end(&b, s);
	}
	proto_enc_errno(&b, PROTO_BYE, id, 0);
	for (n = 0; n < 3; n++) {
		snprintf(path, sizeof path, "%s%s", t.dir, files[n]);
		assert_int_equal(stat(path, &before[n]), 0);
	}
	sleep(1);  /* a write would move a time */
	out = serve(&t, &b, &n);
	for (id = 1, type = 0; type < 64; type++) {
		if (type >= PROTO_HELLO && type <= PROTO_BYE)
			continue;
		assert_int_equal(reply_err(out, n, &at, id++, NULL), ENOSYS);
	}
	for (n = 0; n < 3; n++) {
		snprintf(path, sizeof path, "%s%s", t.dir, files[n]);
		assert_int_equal(stat(path, &after[n]), 0);
		assert_true(after[n].st_size == before[n].st_size);
		assert_true(after[n].st_mtim.tv_sec == before[n].st_mtim.tv_sec &&
			    after[n].st_mtim.tv_nsec == before[n].st_mtim.tv_nsec);
		assert_true(after[n].st_ctim.tv_sec == before[n].st_ctim.tv_sec &&
			    after[n].st_ctim.tv_nsec == before[n].st_ctim.tv_nsec);
	}
	free(out);
	proto_buf_free(&b);
	drop_tree(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_links_out_are_not_served),
		cmocka_unit_test(test_uio_files_only),
		cmocka_unit_test(test_no_request_writes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
