/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote_conn: the child process and its pipes.  Writes and reads are
 * interleaved with poll, so a large request never deadlocks against a
 * large reply; the child's stderr is drained as it comes and its last
 * line kept for the message when the connection dies.  Nothing here
 * trusts the other end: a frame's header is checked before its body is
 * awaited, and a reply to a request never asked ends the connection. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vmscope/escape.h"
#include "remote_int.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Fork /bin/sh -c c->rawcmd with pipes on its stdin, stdout, stderr. */
static int start_child(struct remote_conn *c, struct vms_err *e)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, er[2] = { -1, -1 };

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 ||
	    pipe2(er, O_CLOEXEC) < 0) {
		err_sys(e, errno, "remote: cannot make pipes for '%s'", c->cmd);
		goto fail;
	}
	c->pid = fork();
	if (c->pid < 0) {
		err_sys(e, errno, "remote: cannot start '%s'", c->cmd);
		c->pid = 0;
		goto fail;
	}
	if (c->pid == 0) {
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 ||
		    dup2(er[1], 2) < 0)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", c->rawcmd, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(er[1]);
	c->to = in[1];
	c->from = out[0];
	c->err = er[0];
	fcntl(c->to, F_SETFL, O_NONBLOCK);
	fcntl(c->from, F_SETFL, O_NONBLOCK);
	fcntl(c->err, F_SETFL, O_NONBLOCK);
	return 0;
fail:
	close_fd(&in[0]); close_fd(&in[1]);
	close_fd(&out[0]); close_fd(&out[1]);
	close_fd(&er[0]); close_fd(&er[1]);
	return -1;
}

int remote_spawn(struct remote_conn *c, const char *cmd, int timeout_ms,
		 struct vms_err *e)
{
	memset(c, 0, sizeof *c);
	c->to = c->from = c->err = -1;
	c->timeout_ms = timeout_ms;
	escape_text(c->cmd, sizeof c->cmd, cmd, strlen(cmd));
	if (!(c->rawcmd = strdup(cmd))) {
		err_sys(e, ENOMEM, "remote: starting '%s'", c->cmd);
		return -1;
	}
	if (start_child(c, e) < 0) {
		free(c->rawcmd);
		c->rawcmd = NULL;
		return -1;
	}
	return 0;
}

int remote_respawn(struct remote_conn *c, struct vms_err *e)
{
	if (!c->dead)
		return 0;
	close_fd(&c->err);
	c->ilen = c->ioff = 0;
	c->ob.len = 0;
	c->ob.oom = false;
	c->nclose = 0;
	c->close_id = 0;
	c->nprobes = 0;
	c->errlen = 0;
	if (start_child(c, e) < 0)
		return -1;
	c->dead = false;
	c->gen++;
	return 0;
}

/* Keep the last REMOTE_ERRTAIL bytes of the child's stderr. */
static void drain_stderr(struct remote_conn *c)
{
	char buf[1024];
	ssize_t got = -1;

	while (c->err >= 0 && (got = read(c->err, buf, sizeof buf)) != 0) {
		size_t n = (size_t)got, keep;

		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				close_fd(&c->err);
			return;
		}
		if (n >= REMOTE_ERRTAIL) {
			memcpy(c->errtail, buf + n - REMOTE_ERRTAIL, REMOTE_ERRTAIL);
			c->errlen = REMOTE_ERRTAIL;
			continue;
		}
		keep = c->errlen + n > REMOTE_ERRTAIL ? REMOTE_ERRTAIL - n : c->errlen;
		memmove(c->errtail, c->errtail + c->errlen - keep, keep);
		memcpy(c->errtail + keep, buf, n);
		c->errlen = keep + n;
	}
	if (got == 0)
		close_fd(&c->err);
}

/* The child's last non-empty stderr line, escaped, into out. */
static void last_line(struct remote_conn *c, char *out, size_t n)
{
	size_t end = c->errlen, start;

	drain_stderr(c);
	end = c->errlen;
	while (end && (c->errtail[end - 1] == '\n' || c->errtail[end - 1] == '\r'))
		end--;
	for (start = end; start && c->errtail[start - 1] != '\n'; start--)
		;
	out[0] = '\0';
	if (end > start)
		escape_text(out, n, c->errtail + start, end - start);
}

/* Wait for the child up to ms, then kill it: how it ended, into how. */
static void reap(struct remote_conn *c, int ms, char *how, size_t n)
{
	long long until = now_ms() + ms;
	int st = 0;
	pid_t w;

	snprintf(how, n, "closed the connection");
	if (!c->pid)
		return;
	while ((w = waitpid(c->pid, &st, WNOHANG)) == 0 && now_ms() < until) {
		drain_stderr(c);
		poll(NULL, 0, 10);
	}
	if (w == 0) {   /* the shell and what it started: see remote_kill.c */
		remote_kill_tree(c->pid, SIGTERM);
		poll(NULL, 0, 50);
		if (waitpid(c->pid, &st, WNOHANG) == 0) {
			remote_kill_tree(c->pid, SIGKILL);
			waitpid(c->pid, &st, 0);
		}
		snprintf(how, n, "was stopped");
	} else if (w > 0 && WIFEXITED(st)) {
		snprintf(how, n, "exited with status %d", WEXITSTATUS(st));
	} else if (w > 0 && WIFSIGNALED(st)) {
		snprintf(how, n, "was killed by signal %d", WTERMSIG(st));
	}
	c->pid = 0;
}

/* The connection is over: every later call fails with this. */
static int die(struct remote_conn *c, int code, const char *what,
	       struct vms_err *e)
{
	char how[96], line[256];

	if (!c->dead) {
		close_fd(&c->to);
		close_fd(&c->from);
		reap(c, what ? 0 : 2000, how, sizeof how);
		last_line(c, line, sizeof line);
		if (what)
			err_set(&c->why, code, "remote: %s; '%s' %s%s%s%s", what,
				c->cmd, how, line[0] ? " (it said: " : "",
				line, line[0] ? ")" : "");
		else
			err_set(&c->why, code, "remote: connection lost: %s %s%s%s%s",
				c->cmd, how, line[0] ? " (it said: " : "",
				line, line[0] ? ")" : "");
		c->dead = true;
	}
	if (e)
		*e = c->why;
	return -1;
}

uint32_t remote_begin(struct remote_conn *c)
{
	c->ob.len = 0;
	c->ob.oom = false;
	c->close_id = 0;
	if (c->nclose && !c->dead) {
		c->close_id = ++c->next_id;
		proto_enc_close(&c->ob, c->close_id, c->closes, c->nclose);
		c->nclose = 0;
	}
	return ++c->next_id;
}

/* After each second with nothing moving, one cheap request (a hello)
 * goes out, up to REMOTE_PROBES awaited: an agent waiting for a request
 * behind a pipe that is gone (ssh dropped while sh keeps our end open,
 * `... | head -c N` that holds what it read until it has N bytes) then
 * writes, pushes the pipe to its end or into the broken part, dies,
 * and its end of file reaches us long before the timeout. */
#define REMOTE_PROBE_MS 1000

/* Move bytes: the rest of c->ob out (from *sent), whatever comes in;
 * *quiet: when something last moved. */
static int pump(struct remote_conn *c, size_t *sent, long long *quiet,
		struct vms_err *e)
{
	struct pollfd p[3] = {
		{ c->from, POLLIN, 0 },
		{ *sent < c->ob.len ? c->to : -1, POLLOUT, 0 },
		{ c->err, POLLIN, 0 },
	};
	long long left = *quiet + c->timeout_ms - now_ms();
	bool may_probe = c->nprobes < REMOTE_PROBES && *sent == c->ob.len;
	int wait = left < 0 ? 0 : (int)left, rc;
	ssize_t got;

	if (may_probe && wait > REMOTE_PROBE_MS)
		wait = REMOTE_PROBE_MS;
	rc = poll(p, 3, wait);
	if (rc < 0)
		return errno == EINTR ? 0 : die(c, errno, "poll failed", e);
	if (rc == 0) {
		if (now_ms() - *quiet >= c->timeout_ms)
			return die(c, ETIMEDOUT, "no answer within the timeout", e);
		if (may_probe) {
			c->probes[c->nprobes] = ++c->next_id;
			proto_enc_hello(&c->ob, c->probes[c->nprobes++]);
		}
		return 0;
	}
	*quiet = now_ms();
	if (p[2].revents)
		drain_stderr(c);
	if (p[1].revents) {
		got = write(c->to, c->ob.p + *sent, c->ob.len - *sent);
		if (got < 0 && errno != EAGAIN && errno != EINTR)
			return die(c, EPIPE, NULL, e);
		if (got > 0)
			*sent += (size_t)got;
	}
	if (!p[0].revents)
		return 0;
	if (c->icap - c->ilen < 65536) {
		size_t nc = c->icap ? c->icap * 2 : 131072;
		uint8_t *nb = realloc(c->ib, nc);

		if (!nb)
			return die(c, ENOMEM, "out of memory", e);
		c->ib = nb;
		c->icap = nc;
	}
	got = read(c->from, c->ib + c->ilen, c->icap - c->ilen);
	if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR))
		return die(c, EPIPE, NULL, e);
	if (got > 0)
		c->ilen += (size_t)got;
	return 0;
}

/* One whole reply frame, checked to answer (id, type); a probe's reply
 * on the way is read and dropped. */
static int next_reply(struct remote_conn *c, size_t *sent, long long *quiet,
		      uint32_t id, uint16_t type, struct proto_hdr *h,
		      struct vms_err *e)
{
	for (;;) {
		size_t have = c->ilen - c->ioff;

		if (have >= PROTO_HDR) {
			if (proto_header(c->ib + c->ioff, h) < 0)
				return die(c, EPROTO, "the agent sent a malformed frame", e);
			if (c->nprobes && h->id == c->probes[0]) {
				if (have >= h->len) {
					c->ioff += h->len;
					memmove(c->probes, c->probes + 1,
						--c->nprobes * sizeof c->probes[0]);
					continue;
				}
			} else if (h->id != id) {
				return die(c, EPROTO, "the agent answered a request never asked", e);
			} else if (h->type != (type | PROTO_REPLY) && h->type != PROTO_ERROR) {
				return die(c, EPROTO, "the agent answered with the wrong kind of reply", e);
			} else if (have >= h->len) {
				return 0;
			}
		}
		if (pump(c, sent, quiet, e) < 0)
			return -1;
	}
}

/* Checks before a round trip; the pending close's reply read. */
static int exchange_start(struct remote_conn *c, size_t *sent,
			  long long *quiet, struct vms_err *e)
{
	struct proto_hdr h;

	if (c->dead)
		return die(c, 0, NULL, e);
	if (c->ob.oom)
		return die(c, ENOMEM, "a request did not fit", e);
	if (c->ioff == c->ilen)
		c->ioff = c->ilen = 0;
	if (c->ilen > c->ioff && !c->nprobes)
		return die(c, EPROTO, "the agent answered a request never asked", e);
	c->req_end = c->ob.len;
	c->roundtrips++;
	c->bytes_out += c->ob.len;
	if (c->close_id) {
		c->requests++;
		if (next_reply(c, sent, quiet, c->close_id, PROTO_CLOSE, &h, e) < 0)
			return -1;
		c->ioff += h.len;
		c->bytes_in += h.len;
	}
	return 0;
}

int remote_exchange(struct remote_conn *c, uint32_t first,
		    const uint16_t *types, size_t k, struct remote_reply *rep,
		    struct vms_err *e)
{
	struct proto_hdr h;
	long long quiet = now_ms();
	size_t sent = 0, i, *at = NULL;

	if (k && !(at = malloc(k * sizeof *at)))
		return die(c, ENOMEM, "out of memory", e);
	if (exchange_start(c, &sent, &quiet, e) < 0)
		goto fail;
	for (i = 0; i < k; i++) {
		if (next_reply(c, &sent, &quiet, first + (uint32_t)i, types[i], &h, e) < 0)
			goto fail;
		at[i] = c->ioff;
		rep[i].n = h.len - PROTO_HDR;
		rep[i].err = 0;
		if (h.type == PROTO_ERROR &&
		    proto_dec_errno(c->ib + c->ioff + PROTO_HDR, rep[i].n, &rep[i].err) < 0) {
			die(c, EPROTO, "the agent sent a malformed error", e);
			goto fail;
		}
		if (h.type == PROTO_ERROR && !rep[i].err)
			rep[i].err = EIO;
		c->ioff += h.len;
		c->bytes_in += h.len;
	}
	if (sent < c->req_end) {   /* a reply before the whole request */
		die(c, EPROTO, "the agent answered before the request was sent", e);
		goto fail;
	}
	while (sent < c->ob.len)   /* a probe: never leave half a frame */
		if (pump(c, &sent, &quiet, e) < 0)
			goto fail;
	c->requests += k;
	for (i = 0; i < k; i++)   /* only now: c->ib may have moved */
		rep[i].p = c->ib + at[i] + PROTO_HDR;
	free(at);
	return 0;
fail:
	free(at);
	return -1;
}

int remote_call(struct remote_conn *c, uint32_t id, uint16_t type,
		const uint8_t **payload, size_t *n, struct vms_err *e)
{
	struct remote_reply rep;

	if (remote_exchange(c, id, &type, 1, &rep, e) < 0)
		return -1;
	*payload = rep.p;
	*n = rep.n;
	if (rep.err) {
		err_sys(e, rep.err, "remote: the agent refused a request");
		return -1;
	}
	return 0;
}

int remote_broken(struct remote_conn *c, const char *what, struct vms_err *e)
{
	return die(c, EPROTO, what, e);
}

void remote_flush_closes(struct remote_conn *c)
{
	const uint8_t *p;
	size_t n;
	uint32_t id;

	if (!c->nclose || c->dead)
		return;
	c->ob.len = 0;
	c->ob.oom = false;
	c->close_id = 0;
	id = ++c->next_id;
	proto_enc_close(&c->ob, id, c->closes, c->nclose);
	c->nclose = 0;
	remote_call(c, id, PROTO_CLOSE, &p, &n, NULL);
}

void remote_shutdown(struct remote_conn *c)
{
	char how[96];

	close_fd(&c->to);
	close_fd(&c->from);
	reap(c, 2000, how, sizeof how);
	close_fd(&c->err);
	proto_buf_free(&c->ob);
	free(c->ib);
	c->ib = NULL;
	free(c->rawcmd);
	c->rawcmd = NULL;
}
