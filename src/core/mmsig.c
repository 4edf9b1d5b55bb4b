/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mmsig: see include/vmscope/mmsig.h.  Reads ROOT/proc/PID/stat (minflt,
 * majflt), ROOT/proc/PID/status (RssAnon, RssFile, RssShmem, VmSwap,
 * VmPTE, HugetlbPages) and ROOT/proc/vmstat (thp_* events): a few
 * kilobytes of text the kernel formats from counters. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "vmscope/mmsig.h"

static uint64_t mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * UINT64_C(0x100000001b3);
}

/* Mix in the number after each "KEY:" or "KEY " line whose key is one of
 * keys; returns how many were found. */
static unsigned mix_fields(uint64_t *h, const char *text,
			   const char *const *keys, char sep)
{
	const char *p = text;
	unsigned found = 0;

	while (p && *p) {
		size_t i;

		for (i = 0; keys[i]; i++) {
			size_t kl = strlen(keys[i]);

			if (strncmp(p, keys[i], kl) == 0 && p[kl] == sep) {
				*h = mix(*h, strtoull(p + kl + 1, NULL, 10));
				*h = mix(*h, i);
				found++;
				break;
			}
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return found;
}

int mmsig_from_text(const char *stat, const char *status,
		    const char *vmstat, uint64_t *sig, struct vms_err *e)
{
	/* the RSS counters (at least four must be there), and the sizes of
	 * the address space by kind, which mmap, munmap, mremap, brk, mlock
	 * and most mprotects move without a fault */
	static const char *const status_keys[] = {
		"RssAnon", "RssFile", "RssShmem", "VmSwap", "VmPTE",
		"HugetlbPages", NULL
	};
	static const char *const size_keys[] = {
		"VmSize", "VmLck", "VmPin", "VmData", "VmStk", "VmExe",
		"VmLib", NULL
	};
	/* THP collapse by khugepaged and splits change no counter of the
	 * process: the system's event counts do */
	static const char *const vmstat_keys[] = {
		"thp_collapse_alloc", "thp_split_page", "thp_split_pmd",
		"thp_deferred_split_page", "thp_migration_split",
		"thp_collapse_alloc_failed", NULL
	};
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	unsigned long long minflt, majflt;
	const char *p;

	/* after "(comm)", which may hold anything: fields 3.. follow */
	p = strrchr(stat, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %llu %*u %llu",
			 &minflt, &majflt) != 2) {
		err_set(e, VMS_EFORMAT, "stat: no fault counts");
		return -1;
	}
	h = mix(mix(h, minflt), majflt);
	if (mix_fields(&h, status, status_keys, ':') < 4) {
		/* a kernel thread, or a kernel before 4.5 (no RssAnon) */
		err_set(e, VMS_EFORMAT, "status: no RSS counters");
		return -1;
	}
	mix_fields(&h, status, size_keys, ':');
	if (vmstat)
		mix_fields(&h, vmstat, vmstat_keys, ' ');
	*sig = h;
	return 0;
}

int mm_signature(const struct vms_root *r, int pid, uint64_t *sig,
		 struct vms_err *e)
{
	char rel[64], *stat = NULL, *status = NULL, *vmstat = NULL;
	size_t len;
	int rc = -1;

	snprintf(rel, sizeof rel, "proc/%d/stat", pid);
	if (root_read_text(r, rel, &stat, &len, e) < 0)
		return -1;
	snprintf(rel, sizeof rel, "proc/%d/status", pid);
	if (root_read_text(r, rel, &status, &len, e) < 0)
		goto out;
	if (root_read_text(r, "proc/vmstat", &vmstat, &len, NULL) < 0)
		vmstat = NULL;
	rc = mmsig_from_text(stat, status, vmstat, sig, e);
	if (rc < 0 && e) {
		char why[sizeof e->msg];

		snprintf(why, sizeof why, "%s", e->msg);
		err_set(e, VMS_EFORMAT, "process %d: %s", pid, why);
	}
out:
	free(stat);
	free(status);
	free(vmstat);
	return rc;
}

/* RssAnon of this process in kB from its status (fd), read without
 * allocating: -1 when unreadable. */
static long self_rss_anon(int fd)
{
	char buf[4096];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	const char *p;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "\nRssAnon:");
	return p ? strtol(p + 9, NULL, 10) : -1;
}

bool mmsig_exact(const struct vms_root *r)
{
	static int known = -1;
	long ps = sysconf(_SC_PAGESIZE), a0, a1, a2;
	char *page;
	int fd, t;

	if (!r->live)
		return false;
	if (known >= 0)
		return known;
	known = 0;
	if (ps <= 0)
		return false;
	/* a measure of this process on this kernel: only for the local
	 * live root, whose kernel is the one that counts our pages */
	if (!root_is_local(r))
		return false;
	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	page = mmap(NULL, (size_t)ps, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		close(fd);
		return false;
	}
	(void)self_rss_anon(fd); /* its stack and the file, once */
	known = 1;
	for (t = 0; t < 3 && known; t++) {
		a0 = self_rss_anon(fd);
		*(volatile char *)page = 1;
		a1 = self_rss_anon(fd);
		madvise(page, (size_t)ps, MADV_DONTNEED);
		a2 = self_rss_anon(fd);
		if (a0 < 0 || a1 != a0 + ps / 1024 || a2 != a0)
			known = 0;
	}
	munmap(page, (size_t)ps);
	close(fd);
	return known;
}
