/* SPDX-License-Identifier: GPL-3.0-or-later */
/* delaypipe MS COMMAND [ARG...]: run COMMAND with its stdin and stdout
 * carried through this process, every byte held MS milliseconds in each
 * direction: a link with a round-trip time of 2 x MS (and no bandwidth
 * limit) for `vmscope --remote 'delaypipe 50 vmscope-collect --serve'`.
 * stderr passes straight through.  Ends when COMMAND's stdout ends and
 * all it said is delivered; our stdin's end reaches COMMAND's stdin MS
 * later. */
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

struct chunk {
	long long due;
	size_t len, off;
	char *data;          /* NULL: the end of the input */
	struct chunk *next;
};

struct lane {
	int in, out;
	struct chunk *head, *tail;
	int in_done, out_done;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void push(struct lane *l, long long due, const char *p, size_t n)
{
	struct chunk *c = calloc(1, sizeof *c);

	if (!c || (n && !(c->data = malloc(n)))) {
		perror("delaypipe");
		exit(1);
	}
	if (n)
		memcpy(c->data, p, n);
	c->due = due;
	c->len = n;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
}

/* Take what comes in; deliver what is due. */
static void step_in(struct lane *l, long long delay)
{
	char buf[65536];
	ssize_t got = read(l->in, buf, sizeof buf);

	if (got > 0) {
		push(l, now_ms() + delay, buf, (size_t)got);
	} else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
		push(l, now_ms() + delay, NULL, 0);   /* the end, delayed too */
		l->in_done = 1;
	}
}

static void step_out(struct lane *l)
{
	struct chunk *c;

	while ((c = l->head) && c->due <= now_ms() && !l->out_done) {
		if (!c->len) {
			close(l->out);
			l->out_done = 1;
		} else {
			ssize_t put = write(l->out, c->data + c->off, c->len - c->off);

			if (put < 0 && (errno == EAGAIN || errno == EINTR))
				return;
			if (put < 0) {   /* the reader is gone: drop the rest */
				close(l->out);
				l->out_done = 1;
				return;
			}
			c->off += (size_t)put;
			if (c->off < c->len)
				return;
		}
		l->head = c->next;
		if (!l->head)
			l->tail = NULL;
		free(c->data);
		free(c);
	}
}

static int wait_for(struct lane *l, int n)
{
	long long t = -1, now = now_ms();
	int i;

	for (i = 0; i < n; i++)
		if (l[i].head && !l[i].out_done && (t < 0 || l[i].head->due < t))
			t = l[i].head->due;
	return t < 0 ? -1 : t <= now ? 0 : (int)(t - now);
}

int main(int argc, char **argv)
{
	int to[2], from[2], i, st = 0;
	struct lane l[2];
	long long delay;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: delaypipe MS COMMAND [ARG...]\n");
		return 2;
	}
	delay = atoll(argv[1]);
	signal(SIGPIPE, SIG_IGN);
	if (pipe(to) < 0 || pipe(from) < 0) {
		perror("delaypipe");
		return 1;
	}
	if ((pid = fork()) == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[0]); close(to[1]); close(from[0]); close(from[1]);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[2], argv + 2);
		perror("delaypipe: exec");
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	memset(l, 0, sizeof l);
	l[0].in = 0; l[0].out = to[1];       /* requests */
	l[1].in = from[0]; l[1].out = 1;     /* replies */
	for (i = 0; i < 2; i++)
		fcntl(l[i].out, F_SETFL, O_NONBLOCK);
	while (!(l[1].in_done && !l[1].head)) {
		struct pollfd p[4] = {
			{ l[0].in_done ? -1 : l[0].in, POLLIN, 0 },
			{ l[1].in_done ? -1 : l[1].in, POLLIN, 0 },
			{ l[0].head && !l[0].out_done && l[0].head->due <= now_ms() ? l[0].out : -1, POLLOUT, 0 },
			{ l[1].head && !l[1].out_done && l[1].head->due <= now_ms() ? l[1].out : -1, POLLOUT, 0 },
		};

		if (l[1].out_done)
			break;
		if (poll(p, 4, wait_for(l, 2)) < 0 && errno != EINTR)
			break;
		for (i = 0; i < 2; i++)
			if (p[i].revents)
				step_in(&l[i], delay);
		for (i = 0; i < 2; i++)
			step_out(&l[i]);
	}
	if (!l[0].out_done)
		close(to[1]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
