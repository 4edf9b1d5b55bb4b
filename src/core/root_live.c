/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root_live: this machine as a root: its facts (uname, page size, whether
 * this reader sees PFNs) and its kernel log, which the backend on "/"
 * serves as the file ROOT_BOOT_LOG. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "root_int.h"

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_SIZE_BUFFER 10

/* /dev/kmsg records "PRI,SEQ,USEC,FLAGS;message\n" (and " KEY=value"
 * continuation lines) turned into dmesg's "[    1.234567] message". */
static int kmsg_read(char **text, size_t *len, struct vms_err *e)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	size_t cap = 1 << 16, n = 0;
	char *out, rec[8192];

	if (fd < 0) {
		err_sys(e, errno, "cannot open /dev/kmsg");
		return -1;
	}
	out = malloc(cap);
	if (!out) {
		close(fd);
		err_sys(e, ENOMEM, "reading /dev/kmsg");
		return -1;
	}
	for (;;) {
		ssize_t got = read(fd, rec, sizeof rec - 1);
		unsigned long long usec = 0;
		const char *msg, *nl;
		size_t mlen;
		int w;

		if (got < 0) {
			if (errno == EINTR || errno == EPIPE)
				continue; /* EPIPE: a record was overwritten */
			break;        /* EAGAIN: no more records */
		}
		if (got == 0)
			break;
		rec[got] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		if (sscanf(rec, "%*u,%*u,%llu", &usec) != 1)
			usec = 0;
		nl = memchr(msg, '\n', (size_t)(rec + got - msg));
		mlen = nl ? (size_t)(nl - msg) : (size_t)(rec + got - msg);
		if (cap - n < mlen + 40) {
			char *nb;

			cap = (cap + mlen + 40) * 2;
			nb = realloc(out, cap);
			if (!nb) {
				free(out);
				close(fd);
				err_sys(e, ENOMEM, "reading /dev/kmsg");
				return -1;
			}
			out = nb;
		}
		w = snprintf(out + n, cap - n, "[%5llu.%06llu] ", usec / 1000000,
			     usec % 1000000);
		if (w > 0)
			n += (size_t)w;
		memcpy(out + n, msg, mlen);
		n += mlen;
		out[n++] = '\n';
	}
	close(fd);
	out[n] = '\0';
	*text = out;
	*len = n;
	return 0;
}

int root_live_kernel_log(char **text, size_t *len, struct vms_err *e)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	int kerr;
	char *buf;

	*text = NULL;
	*len = 0;
	if (size > 0) {
		buf = malloc((size_t)size + 1);
		if (!buf) {
			err_sys(e, ENOMEM, "reading the kernel log");
			return -1;
		}
		size = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
		if (size >= 0) {
			buf[size] = '\0';
			*text = buf;
			*len = (size_t)size;
			return 0;
		}
		free(buf);
	}
	kerr = errno;
	if (kmsg_read(text, len, e) == 0)
		return 0;
	if (kerr == EPERM || kerr == EACCES || errno == EPERM || errno == EACCES)
		root_kernel_log_denied(e);
	return -1;
}

void root_kernel_log_denied(struct vms_err *e)
{
	err_set(e, EPERM,
		"cannot read the kernel log: it needs root (CAP_SYSLOG) while /proc/sys/kernel/dmesg_restrict is 1; run vmscope with sudo, or give a saved log with --bootlog FILE (dmesg > boot.log)");
}


/* CAP_SYS_ADMIN (21) in the effective set of this process. */
static bool live_pfn_visible(const struct vms_root *r)
{
	unsigned long long cap;
	const char *p;
	char *text;
	bool vis = geteuid() == 0;

	if (root_read_text(r, "proc/self/status", &text, NULL, NULL) < 0)
		return vis;
	p = strstr(text, "\nCapEff:");
	if (p && sscanf(p + 8, "%llx", &cap) == 1)
		vis = (cap >> 21) & 1;
	free(text);
	return vis;
}

int root_live_open(struct vms_root *r, struct vms_err *e)
{
	struct utsname u;
	long ps = sysconf(_SC_PAGESIZE);
	int fd;

	memset(r, 0, sizeof *r);
	snprintf(r->path, sizeof r->path, "/");
	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err_sys(e, errno, "cannot open /");
		return -1;
	}
	if (root_fs_attach(r, fd, true, e) < 0)
		return -1;
	r->page_size = ps > 0 ? (unsigned)ps : 4096;
	r->page_shift = root_log2(r->page_size);
	if (uname(&u) == 0) {
		snprintf(r->arch, sizeof r->arch, "%s", u.machine);
		snprintf(r->release, sizeof r->release, "%s", u.release);
		snprintf(r->hostname, sizeof r->hostname, "%s", u.nodename);
	}
	r->addr_bits = sizeof(void *) == 4 ? 32 : 64;
	r->pfn_visible = live_pfn_visible(r);
	r->big_endian = root_host_big_endian();
	return 0;
}
