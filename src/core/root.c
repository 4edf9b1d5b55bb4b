/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "vmscope/escape.h"
#include "vmscope/root.h"

static unsigned log2u(unsigned v)
{
	unsigned s = 0;

	while ((1u << s) < v)
		s++;
	return s;
}

/* 32-bit user address space on these machine names. */
static unsigned arch_addr_bits(const char *arch)
{
	static const char *const bits32[] = {
		"arm", "armv", "i386", "i486", "i586", "i686", "x86", "mips",
		"mipsel", "ppc", "powerpc", "riscv32", "sh", "m68k", "xtensa",
		"arc", "microblaze", "nios2", "or1k", "sparc", "parisc", "s390",
		NULL };
	size_t i;

	if (strstr(arch, "64") || strcmp(arch, "s390x") == 0)
		return 64;
	for (i = 0; bits32[i]; i++)
		if (strncmp(arch, bits32[i], strlen(bits32[i])) == 0)
			return 32;
	return 64;
}

/* CAP_SYS_ADMIN (21) in the effective set of this process. */
static bool live_pfn_visible(int dirfd)
{
	char buf[4096];
	ssize_t n;
	int fd = openat(dirfd, "proc/self/status", O_RDONLY | O_CLOEXEC);
	const char *p;
	unsigned long long cap;

	if (fd < 0)
		return geteuid() == 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return geteuid() == 0;
	buf[n] = '\0';
	p = strstr(buf, "\nCapEff:");
	if (!p || sscanf(p + 8, "%llx", &cap) != 1)
		return geteuid() == 0;
	return (cap >> 21) & 1;
}

static void copy_value(char *dst, size_t n, const char *v, size_t vlen)
{
	if (vlen >= n)
		vlen = n - 1;
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
}

/* s escaped for a terminal into d (size n). */
static const char *esc(char *d, size_t n, const char *s)
{
	escape_text(d, n, s, strlen(s));
	return d;
}

int root_parse_conf(struct vms_root *r, const char *text, size_t len,
		    struct vms_err *e)
{
	const char *p = text, *end = text + len;
	unsigned lineno = 0;
	bool have_ps = false;
	long format = 1;

	r->pfn_visible = true;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *eq, *v;
		size_t klen, vlen;

		lineno++;
		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		if (p == le || *p == '#') {
			p = nl ? nl + 1 : end;
			continue;
		}
		eq = memchr(p, '=', (size_t)(le - p));
		if (!eq) {
			err_set(e, VMS_EFORMAT,
				"%s line %u: expected KEY=VALUE", ROOT_CONF_NAME,
				lineno);
			return -1;
		}
		klen = (size_t)(eq - p);
		while (klen && (p[klen - 1] == ' ' || p[klen - 1] == '\t'))
			klen--;
		v = eq + 1;
		while (v < le && (*v == ' ' || *v == '\t'))
			v++;
		vlen = (size_t)(le - v);
		while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t' ||
				v[vlen - 1] == '\r'))
			vlen--;
#define KEY(s) (klen == sizeof(s) - 1 && memcmp(p, s, klen) == 0)
		if (KEY("page_size")) {
			char num[32];
			char *ep;
			unsigned long ps;

			copy_value(num, sizeof num, v, vlen);
			ps = strtoul(num, &ep, 0);
			if (*ep || ps < 512 || ps > (1ul << 20) ||
			    (ps & (ps - 1))) {
				err_set(e, VMS_EFORMAT,
					"%s line %u: page_size '%s' is not a power of two between 512 and 1M",
					ROOT_CONF_NAME, lineno, num);
				return -1;
			}
			r->page_size = (unsigned)ps;
			have_ps = true;
		} else if (KEY("arch")) {
			copy_value(r->arch, sizeof r->arch, v, vlen);
		} else if (KEY("kernel_release")) {
			copy_value(r->release, sizeof r->release, v, vlen);
		} else if (KEY("time")) {
			copy_value(r->taken, sizeof r->taken, v, vlen);
		} else if (KEY("hostname")) {
			copy_value(r->hostname, sizeof r->hostname, v, vlen);
		} else if (KEY("pfn_visible")) {
			r->pfn_visible = vlen == 1 && v[0] == '1';
		} else if (KEY("format")) {
			char num[32];

			copy_value(num, sizeof num, v, vlen);
			format = strtol(num, NULL, 10);
			if (format < 1 || format > ROOT_FORMAT_VERSION) {
				err_set(e, VMS_EFORMAT,
					"%s: snapshot format '%s' is %s than this vmscope understands (%d); open it with a newer vmscope",
					ROOT_CONF_NAME, num,
					format > ROOT_FORMAT_VERSION ? "newer" : "other",
					ROOT_FORMAT_VERSION);
				return -1;
			}
		}
		/* other keys (vmscope_version, comments...) are informational */
#undef KEY
		p = nl ? nl + 1 : end;
	}
	if (!have_ps) {
		err_set(e, VMS_EFORMAT, "%s has no page_size line",
			ROOT_CONF_NAME);
		return -1;
	}
	r->page_shift = log2u(r->page_size);
	if (!r->arch[0])
		snprintf(r->arch, sizeof r->arch, "unknown");
	r->addr_bits = arch_addr_bits(r->arch);
	return 0;
}

int root_open(struct vms_root *r, const char *dir, struct vms_err *e)
{
	struct stat st, rootst;
	struct utsname u;
	char *conf;
	size_t len;

	memset(r, 0, sizeof *r);
	r->dirfd = -1;
	if (!dir || !*dir)
		dir = "/";
	snprintf(r->path, sizeof r->path, "%s", dir);
	r->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r->dirfd < 0) {
		char shown[1024];
		int err = errno;

		err_sys(e, err, "cannot open root '%s' (give --root a snapshot directory)",
			esc(shown, sizeof shown, dir));
		return -1;
	}
	if (fstat(r->dirfd, &st) == 0 && stat("/", &rootst) == 0 &&
	    st.st_dev == rootst.st_dev && st.st_ino == rootst.st_ino) {
		long ps = sysconf(_SC_PAGESIZE);

		r->live = true;
		r->page_size = ps > 0 ? (unsigned)ps : 4096;
		r->page_shift = log2u(r->page_size);
		if (uname(&u) == 0) {
			snprintf(r->arch, sizeof r->arch, "%s", u.machine);
			snprintf(r->release, sizeof r->release, "%s", u.release);
			snprintf(r->hostname, sizeof r->hostname, "%s", u.nodename);
		}
		r->addr_bits = sizeof(void *) == 4 ? 32 : 64;
		r->pfn_visible = live_pfn_visible(r->dirfd);
		return 0;
	}
	if (!root_exists(r, ROOT_CONF_NAME)) {
		char shown[1024];

		err_set(e, VMS_EFORMAT,
			"'%s' is not a vmscope snapshot: it has no %s (make one with 'vmscope snapshot -o DIR', or use --root / for the live system)",
			esc(shown, sizeof shown, dir), ROOT_CONF_NAME);
		goto fail;
	}
	if (root_read_text(r, ROOT_CONF_NAME, &conf, &len, e) < 0)
		goto fail;
	if (root_parse_conf(r, conf, len, e) < 0) {
		char msg[sizeof e->msg], shown[256];

		if (e) {
			snprintf(msg, sizeof msg, "snapshot '%s': %s",
				 esc(shown, sizeof shown, dir), e->msg);
			memcpy(e->msg, msg, sizeof msg);
		}
		free(conf);
		goto fail;
	}
	free(conf);
	return 0;
fail:
	close(r->dirfd);
	r->dirfd = -1;
	return -1;
}

void root_close(struct vms_root *r)
{
	if (r->dirfd >= 0)
		close(r->dirfd);
	r->dirfd = -1;
}

int root_open_file(const struct vms_root *r, const char *rel, struct vms_err *e)
{
	int fd;

	while (*rel == '/')
		rel++;
	fd = openat(r->dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		char shown[256];
		int err = errno;

		err_sys(e, err, "cannot open %s%s%s",
			r->live ? "/" : esc(shown, sizeof shown, r->path),
			r->live ? "" : "/", rel);
	}
	return fd;
}

int root_read_text(const struct vms_root *r, const char *rel, char **buf,
		   size_t *len, struct vms_err *e)
{
	int fd = root_open_file(r, rel, e);
	size_t cap = 16384, n = 0;
	char *b;

	*buf = NULL;
	if (len)
		*len = 0;
	if (fd < 0)
		return -1;
	b = malloc(cap);
	if (!b) {
		close(fd);
		err_sys(e, ENOMEM, "reading %s", rel);
		return -1;
	}
	for (;;) {
		ssize_t got;

		if (cap - n < 4096) {
			char *nb = realloc(b, cap * 2);

			if (!nb) {
				free(b);
				close(fd);
				err_sys(e, ENOMEM, "reading %s", rel);
				return -1;
			}
			b = nb;
			cap *= 2;
		}
		got = read(fd, b + n, cap - n - 1);
		if (got < 0) {
			char shown[256];
			int err = errno;

			if (err == EINTR)
				continue;
			err_sys(e, err, "reading %s%s%s",
				r->live ? "/" : esc(shown, sizeof shown, r->path),
				r->live ? "" : "/", rel);
			free(b);
			close(fd);
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	b[n] = '\0';
	*buf = b;
	if (len)
		*len = n;
	return 0;
}

bool root_exists(const struct vms_root *r, const char *rel)
{
	while (*rel == '/')
		rel++;
	return faccessat(r->dirfd, rel, F_OK, 0) == 0;
}

int root_addr_width(const struct vms_root *r)
{
	return r->addr_bits == 32 ? 8 : 16;
}

void root_describe(const struct vms_root *r, char *buf, size_t n)
{
	/* a snapshot's conf came from another machine, and the path from
	 * wherever the file was found: escaped like any process text */
	char host[sizeof r->hostname], arch[sizeof r->arch];
	char rel[sizeof r->release], when[sizeof r->taken], path[1024];

	esc(host, sizeof host, r->hostname);
	esc(arch, sizeof arch, r->arch);
	esc(rel, sizeof rel, r->release);
	esc(when, sizeof when, r->taken);
	esc(path, sizeof path, r->path);
	if (r->live)
		snprintf(buf, n, "live: %s (%s, %s)", host, arch, rel);
	else
		snprintf(buf, n, "snapshot %s: %s %s %s%s%s", path,
			 host[0] ? host : "?", arch, rel,
			 when[0] ? " @ " : "", when);
}
