/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages_floor: the least a program can do to print what `vmscope pages
 * PID START-END` prints for a range inside one anonymous VMA, the floor
 * the benchmark holds vmscope against (bench/pages_cli_bench.sh).
 *
 * pagemap read for the range in one pread (up to 4M entries at a time);
 * the present PFNs radix-sorted, de-duplicated, and kpageflags,
 * kpagecount and kpagecgroup read with one pread per contiguous PFN run;
 * the memory cgroups' inodes found once by walking the cgroup mount; one
 * printf a page into a 1 MiB stdio buffer, a run of not-present pages
 * one line.  With --json, the same as vmscope --json pages.  No header
 * but a line, no holes or gaps, no escaping, no snapshot: the floor.
 * Usage: pages_floor [--json] PID START-END (hex, END exclusive) */
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmscope/kpage.h"

#define BATCH ((size_t)1 << 22)
#define PRESENT (UINT64_C(1) << 63)
#define SWAPPED (UINT64_C(1) << 62)
#define FILE_SHARED (UINT64_C(1) << 61)
#define PFN_MASK ((UINT64_C(1) << 55) - 1)

struct cg { uint64_t ino; char *path; };
static struct cg *cgs;
static size_t ncg, capcg;
static const char *cg_root;
static const char *names[64];
static char *name_buf[64];
static int json;
static int first = 1;

static int cg_visit(const char *p, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	const char *rel = p + strlen(cg_root);

	(void)ftw;
	if (flag != FTW_D)
		return 0;
	if (ncg == capcg) {
		capcg = capcg ? capcg * 2 : 256;
		cgs = realloc(cgs, capcg * sizeof *cgs);
		if (!cgs)
			exit(1);
	}
	cgs[ncg].ino = st->st_ino;
	cgs[ncg++].path = strdup(*rel ? rel : "/");
	return 0;
}

static const char *cg_path(uint64_t ino)
{
	static size_t last;
	size_t i;

	if (!ino)
		return NULL;
	if (last < ncg && cgs[last].ino == ino)
		return cgs[last].path;
	for (i = 0; i < ncg; i++)
		if (cgs[i].ino == ino)
			return cgs[(last = i)].path;
	return NULL;
}

static void full_pread(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t got = pread(fd, buf, len, (off_t)off);

	if (got != (ssize_t)len)
		memset((char *)buf + (got > 0 ? got : 0), 0,
		       len - (size_t)(got > 0 ? got : 0));
}

/* LSD radix sort of a[0..n) (16-bit digits over bits bits). */
static uint64_t *radix(uint64_t *a, uint64_t *t, size_t n, unsigned bits)
{
	static size_t cnt[1 << 16];
	unsigned sh;
	size_t i;

	for (sh = 0; sh < bits; sh += 16) {
		size_t sum = 0;
		uint64_t *x;

		memset(cnt, 0, sizeof cnt);
		for (i = 0; i < n; i++)
			cnt[(a[i] >> sh) & 0xffff]++;
		for (i = 0; i < 1 << 16; i++) {
			size_t c = cnt[i];

			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			t[cnt[(a[i] >> sh) & 0xffff]++] = a[i];
		x = a;
		a = t;
		t = x;
	}
	return a;
}

static const char *state_of(uint64_t pm, uint64_t kf)
{
	if (kf >> KPF_ZERO_PAGE & 1)
		return "zero";
	if (kf >> KPF_HUGE & 1)
		return "hugetlb";
	if ((kf >> KPF_THP & 1) && (kf & (1u << KPF_ANON | 1u << KPF_SWAPBACKED)))
		return "thp";
	if (kf >> KPF_KSM & 1)
		return "ksm";
	if (kf)
		return kf >> KPF_ANON & 1 ? "anon" : "file";
	return pm & FILE_SHARED ? "file" : "anon";
}

static const char *tf(uint64_t pm, unsigned bit)
{
	return pm >> bit & 1 ? "true" : "false";
}

static void text_page(uint64_t va, uint64_t pm, uint64_t kf, uint64_t ct,
		      uint64_t cgi)
{
	char flags[1024], *d = flags;
	const char *cg = cg_path(cgi);
	unsigned b;

	for (b = 0; b < 64; b++)
		if (kf >> b & 1)
			d += sprintf(d, "%s%s", d == flags ? "" : ",", names[b]);
	if (pm >> 56 & 1)
		d += sprintf(d, "%sexcl", d == flags ? "" : ",");
	if (d == flags)
		strcpy(flags, "-");
	printf("%016" PRIx64 " %-11s 0x%-12" PRIx64 " 0x%-14" PRIx64 " %5" PRIu64 " %s %s\n",
	       va, state_of(pm, kf), pm & PFN_MASK, (pm & PFN_MASK) << 12, ct,
	       cg ? cg : "-", flags);
}

static void json_page(uint64_t va, uint64_t pm, uint64_t kf, uint64_t ct,
		      uint64_t cgi)
{
	const char *cg = cg_path(cgi);
	unsigned b, k = 0;

	printf("%s{\"vaddr\":\"0x%" PRIx64 "\",\"state\":\"%s\",\"pagemap_raw\":\"0x%" PRIx64 "\",\"present\":true,\"swapped\":false,\"pfn_hidden\":false,\"pfn\":\"0x%" PRIx64 "\",\"phys\":\"0x%" PRIx64 "\",\"soft_dirty\":%s,\"exclusive\":%s,\"uffd_wp\":%s,\"guard\":%s,\"file_shared\":%s,\"kpageflags_raw\":\"0x%" PRIx64 "\",\"kpageflags\":[",
	       first ? "" : ",", va, state_of(pm, kf), pm, pm & PFN_MASK,
	       (pm & PFN_MASK) << 12, tf(pm, 55), tf(pm, 56), tf(pm, 57),
	       tf(pm, 58), tf(pm, 61), kf);
	first = 0;
	for (b = 0; b < 64; b++)
		if (kf >> b & 1)
			printf("%s\"%s\"", k++ ? "," : "", names[b]);
	printf("],\"map_count\":%" PRIu64 ",\"cgroup_inode\":%" PRIu64 ",\"cgroup\":", ct, cgi);
	if (cg)
		printf("\"%s\",\"frame_record\":\"recorded\"}", cg);
	else
		printf("null,\"frame_record\":\"recorded\"}");
}

static void run_line(uint64_t s, uint64_t e, uint64_t pm)
{
	uint64_t n = (e - s) >> 12;

	if (json) {
		printf("%s{\"vaddr\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64 "\",\"state\":\"not-present\",\"pages\":%" PRIu64 ",\"pagemap_raw\":\"0x%" PRIx64 "\",\"soft_dirty\":%s,\"exclusive\":%s,\"uffd_wp\":%s,\"guard\":%s,\"file_shared\":%s}",
		       first ? "" : ",", s, e, n, pm, tf(pm, 55), tf(pm, 56),
		       tf(pm, 57), tf(pm, 58), tf(pm, 61));
		first = 0;
	} else {
		printf("%016" PRIx64 "-%016" PRIx64 " not-present: %" PRIu64 " page%s not in memory or swap\n",
		       s, e, n, n == 1 ? "" : "s");
	}
}

struct floor {
	int pmfd, kfd[3];
	uint64_t *pm, *keys, *tmp, *kdata[3], *upfn;
	uint32_t *pos;
	uint64_t run_s, run_e, run_pm;  /* open run of not-present pages */
};

/* kpage data of the present pages of f->pm[0..n), by PFN run. */
static void read_kpage(struct floor *f, size_t n)
{
	size_t np = 0, nu = 0, i, p, q;
	uint64_t maxpfn = 0, *s;
	unsigned bits = 22, k;

	for (i = 0; i < n; i++) {
		uint64_t pfn = f->pm[i] & PFN_MASK;

		if (!(f->pm[i] & PRESENT) || !pfn)
			continue;
		f->keys[np++] = pfn << 22 | i;
		if (pfn > maxpfn)
			maxpfn = pfn;
	}
	while (maxpfn >> (bits - 22))
		bits++;
	s = radix(f->keys, f->tmp, np, bits);
	for (i = 0; i < np; i++) {
		uint64_t pfn = s[i] >> 22;

		if (!nu || f->upfn[nu - 1] != pfn)
			f->upfn[nu++] = pfn;
		f->pos[s[i] & (BATCH - 1)] = (uint32_t)(nu - 1);
	}
	for (p = 0; p < nu; p = q + 1) {
		for (q = p; q + 1 < nu && f->upfn[q + 1] == f->upfn[q] + 1; q++)
			;
		for (k = 0; k < 3; k++)
			full_pread(f->kfd[k], f->kdata[k] + p, (q - p + 1) * 8,
				   f->upfn[p] * 8);
	}
}

static void flush_run(struct floor *f)
{
	if (f->run_e > f->run_s)
		run_line(f->run_s, f->run_e, f->run_pm);
	f->run_s = f->run_e = 0;
}

static void batch(struct floor *f, uint64_t va, size_t n)
{
	size_t i;

	full_pread(f->pmfd, f->pm, n * 8, (va >> 12) * 8);
	read_kpage(f, n);
	for (i = 0; i < n; i++, va += 4096) {
		uint64_t pm = f->pm[i];
		uint32_t p = f->pos[i];

		if (pm & PRESENT) {
			flush_run(f);
			(json ? json_page : text_page)(va, pm, f->kdata[0][p],
							f->kdata[1][p], f->kdata[2][p]);
		} else if (f->run_e == va && f->run_pm == pm) {
			f->run_e += 4096;
		} else {
			flush_run(f);
			f->run_s = va;
			f->run_e = va + 4096;
			f->run_pm = pm;
		}
	}
}

static void setup(struct floor *f, int pid)
{
	static const char *const kf[3] = {
		"/proc/kpageflags", "/proc/kpagecount", "/proc/kpagecgroup",
	};
	char path[64];
	unsigned k;

	snprintf(path, sizeof path, "/proc/%d/pagemap", pid);
	f->pmfd = open(path, O_RDONLY);
	for (k = 0; k < 3; k++)
		f->kfd[k] = open(kf[k], O_RDONLY);
	if (f->pmfd < 0 || f->kfd[0] < 0 || f->kfd[1] < 0 || f->kfd[2] < 0) {
		perror("pages_floor: open");
		exit(1);
	}
	f->pm = malloc(BATCH * 8);
	f->keys = malloc(BATCH * 8);
	f->tmp = malloc(BATCH * 8);
	f->upfn = malloc(BATCH * 8);
	f->pos = malloc(BATCH * 4);
	for (k = 0; k < 3; k++)
		f->kdata[k] = malloc(BATCH * 8);
	if (!f->pm || !f->keys || !f->tmp || !f->upfn || !f->pos ||
	    !f->kdata[0] || !f->kdata[1] || !f->kdata[2])
		exit(1);
	for (k = 0; k < 64; k++) {
		names[k] = kpage_flag_name(k);
		if (!names[k]) {
			name_buf[k] = malloc(8);
			snprintf(name_buf[k], 8, "BIT%u", k);
			names[k] = name_buf[k];
		}
	}
	cg_root = access("/sys/fs/cgroup/memory", F_OK) == 0
		  ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup";
	nftw(cg_root, cg_visit, 32, FTW_PHYS | FTW_MOUNT);
}

int main(int argc, char **argv)
{
	static struct floor f;
	static char obuf[1 << 20];
	uint64_t s, e;
	int a = 1, pid;

	if (a < argc && !strcmp(argv[a], "--json")) {
		json = 1;
		a++;
	}
	if (argc - a != 2 || sscanf(argv[a + 1], "%" SCNx64 "-%" SCNx64, &s, &e) != 2) {
		fprintf(stderr, "usage: pages_floor [--json] PID START-END\n");
		return 2;
	}
	pid = atoi(argv[a]);
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	setup(&f, pid);
	if (json)
		printf("{\"pid\":%d,\"root\":\"floor\",\"page_size\":4096,\"pfn_visible\":true,\"pages\":[", pid);
	else
		printf("floor: process %d, %016" PRIx64 "-%016" PRIx64 "\n", pid, s, e);
	for (; s < e;) {
		size_t n = (e - s) >> 12 < BATCH ? (size_t)((e - s) >> 12) : BATCH;

		batch(&f, s, n);
		s += (uint64_t)n << 12;
	}
	flush_run(&f);
	if (json)
		printf("]}\n");
	return fflush(stdout) ? 1 : 0;
}
