/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages_bench: how close vmscope's pages_read comes to the cheapest way
 * of reading the same data.
 *
 * A child process maps and touches 1 GiB of anonymous memory (4K pages:
 * MADV_NOHUGEPAGE) and reserves a sparse 64 GiB PROT_NONE region with a
 * few touched pages.  The parent then times, alternating, over several
 * rounds:
 *   vmscope  pages_read(PAGES_ALL) over the whole 1 GiB VMA
 *   floor    by hand: pagemap in 64K-entry preads; the present PFNs
 *            radix-sorted and de-duplicated; kpageflags, kpagecount,
 *            kpagecgroup with one pread per contiguous PFN run
 *   per-page the kernel's page-types way: the same pagemap reads, then
 *            one 8-byte pread per page per kpage file
 * and pagemap_count over the 64 GiB reservation with PAGEMAP_SCAN and
 * with plain reads.  Prints medians and ratios.  Needs root.
 * Usage: pages_bench [ROUNDS]  (or VMSCOPE_BENCH_ROUNDS; default 9) */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vmscope/pages.h"

#define BATCH 65536u
#define SPARSE_LEN ((size_t)64 << 30)
#define SPARSE_TOUCH 16

struct child {
	pid_t pid;
	int hold;            /* write end: the child exits when it closes */
	uint64_t dense, sparse;
	size_t dense_len;
};

static void die(const char *what)
{
	fprintf(stderr, "pages_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int start_child(struct child *ch, size_t len, size_t ps)
{
	int ready[2], hold[2];
	uint64_t addrs[2];

	if (pipe(ready) < 0 || pipe(hold) < 0)
		die("pipe");
	ch->pid = fork();
	if (ch->pid < 0)
		die("fork");
	if (ch->pid == 0) {
		char *m, *s, c;
		size_t i;

		close(ready[0]);
		close(hold[1]);
		m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		s = mmap(NULL, SPARSE_LEN, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED || s == MAP_FAILED)
			_exit(2);
		madvise(m, len, MADV_NOHUGEPAGE);
		for (i = 0; i < len; i += ps)
			m[i] = (char)i;
		for (i = 0; i < SPARSE_TOUCH; i++) {
			char *p = s + ((SPARSE_LEN / SPARSE_TOUCH) * i & ~(ps - 1));

			if (mprotect(p, ps, PROT_READ | PROT_WRITE) == 0)
				*p = 1;
		}
		addrs[0] = (uintptr_t)m;
		addrs[1] = (uintptr_t)s;
		if (write(ready[1], addrs, sizeof addrs) != sizeof addrs)
			_exit(3);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	if (read(ready[0], addrs, sizeof addrs) != sizeof addrs) {
		fprintf(stderr, "pages_bench: the child could not map its memory\n");
		exit(1);
	}
	close(ready[0]);
	ch->hold = hold[1];
	ch->dense = addrs[0];
	ch->sparse = addrs[1];
	ch->dense_len = len;
	return 0;
}

static void stop_child(struct child *ch)
{
	int st;

	close(ch->hold);
	waitpid(ch->pid, &st, 0);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void full_pread(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t got = pread(fd, (char *)buf + done, len - done,
				    (off_t)(off + done));

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			die("pread");
		if (got == 0) {
			memset((char *)buf + done, 0, len - done);
			return;
		}
		done += (size_t)got;
	}
}

/* ---- the floor: what a careful hand-written reader does ---- */

struct floor_ctx {
	int pm, kf, kc, kg;
	uint64_t *ent, *pfn, *tmp, *buf;
	size_t n;
};

static uint64_t floor_run(struct floor_ctx *f, uint64_t start, unsigned shift)
{
	size_t i, m = 0, done;
	uint64_t mn = UINT64_MAX, mx = 0, sum = 0, *a = f->pfn, *t = f->tmp;
	unsigned bits = 0, pass, d, passes;

	for (done = 0; done < f->n; done += BATCH) {
		size_t k = f->n - done < BATCH ? f->n - done : BATCH;

		full_pread(f->pm, f->ent + done, k * 8,
			   ((start >> shift) + done) * 8);
	}
	for (i = 0; i < f->n; i++) {
		uint64_t e = f->ent[i];

		if (e >> 63 && (e & PM_PFN_MASK)) {
			uint64_t p = e & PM_PFN_MASK;

			a[m++] = p;
			if (p < mn)
				mn = p;
			if (p > mx)
				mx = p;
		}
	}
	if (!m)
		return 0;
	while (bits < 64 && ((mx - mn) >> bits))
		bits++;
	passes = (bits + 10) / 11;
	d = passes ? (bits + passes - 1) / passes : 0;
	for (pass = 0; pass < passes; pass++) {
		static size_t cnt[1 << 11];
		size_t nb = (size_t)1 << d, s = 0;
		uint64_t *x;

		memset(cnt, 0, nb * sizeof cnt[0]);
		for (i = 0; i < m; i++)
			cnt[((a[i] - mn) >> (pass * d)) & (nb - 1)]++;
		for (i = 0; i < nb; i++) {
			size_t c = cnt[i];

			cnt[i] = s;
			s += c;
		}
		for (i = 0; i < m; i++)
			t[cnt[((a[i] - mn) >> (pass * d)) & (nb - 1)]++] = a[i];
		x = a;
		a = t;
		t = x;
	}
	for (i = 0; i < m;) {
		size_t j = i + 1, len;
		uint64_t hi = a[i] + 1;

		while (j < m && a[j] <= hi && hi - a[i] < BATCH) {
			if (a[j] == hi)
				hi++;
			j++;
		}
		len = (size_t)(hi - a[i]);
		full_pread(f->kf, f->buf, len * 8, a[i] * 8);
		sum += f->buf[0] ^ f->buf[len - 1];
		full_pread(f->kc, f->buf, len * 8, a[i] * 8);
		sum += f->buf[0];
		full_pread(f->kg, f->buf, len * 8, a[i] * 8);
		sum += f->buf[0];
		i = j;
	}
	return sum;
}

/* ---- page-types: one pread per page per file ---- */

static uint64_t perpage_run(struct floor_ctx *f, uint64_t start, unsigned shift)
{
	size_t i, done;
	uint64_t sum = 0, v;

	for (done = 0; done < f->n; done += BATCH) {
		size_t k = f->n - done < BATCH ? f->n - done : BATCH;

		full_pread(f->pm, f->ent + done, k * 8,
			   ((start >> shift) + done) * 8);
	}
	for (i = 0; i < f->n; i++) {
		uint64_t e = f->ent[i], p = e & PM_PFN_MASK;

		if (!(e >> 63) || !p)
			continue;
		full_pread(f->kf, &v, 8, p * 8);
		sum += v;
		full_pread(f->kc, &v, 8, p * 8);
		sum += v;
		full_pread(f->kg, &v, 8, p * 8);
		sum += v;
	}
	return sum;
}

static int open_or_die(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die(path);
	return fd;
}

int main(int argc, char **argv)
{
	const char *env = getenv("VMSCOPE_BENCH_ROUNDS");
	int reps = argc > 1 ? atoi(argv[1]) : env ? atoi(env) : 9, r, k;
	size_t len = (size_t)1 << 30;
	struct vms_root root;
	struct vms_err e;
	struct vma_list vl;
	struct pages_ctx pc;
	struct floor_ctx fl;
	struct child ch;
	struct page_info *out;
	struct pagemap_counts cnt;
	const struct vma *v;
	double *tv, *tf, *tp, *ts, *tn;
	double mv, mf, mp, ms, mn;
	size_t ps, np, i, present = 0;
	char path[64];
	uint64_t chk = 0, cg_chk = 0;

	if (reps < 1)
		reps = 1;
	if (root_open(&root, NULL, &e) < 0 || !root.pfn_visible) {
		fprintf(stderr, "pages_bench: needs root (CAP_SYS_ADMIN) to read /proc/kpage*%s%s\n",
			e.msg[0] ? ": " : "", root.pfn_visible ? e.msg : "");
		return 77;
	}
	ps = root.page_size;
	np = len / ps;
	start_child(&ch, len, ps);
	memset(&vl, 0, sizeof vl);
	if (vmas_read(&root, ch.pid, false, &vl, &e) < 0 ||
	    pages_open(&pc, &root, ch.pid, &e) < 0) {
		fprintf(stderr, "pages_bench: %s\n", e.msg);
		stop_child(&ch);
		return 1;
	}
	v = vmas_find(&vl, ch.dense);
	if (!v || v->start != ch.dense || v->end - v->start != len) {
		fprintf(stderr, "pages_bench: the child's 1 GiB VMA is not where expected\n");
		stop_child(&ch);
		return 1;
	}
	out = calloc(np, sizeof *out);
	snprintf(path, sizeof path, "/proc/%d/pagemap", (int)ch.pid);
	fl.pm = open_or_die(path);
	fl.kf = open_or_die("/proc/kpageflags");
	fl.kc = open_or_die("/proc/kpagecount");
	fl.kg = open_or_die("/proc/kpagecgroup");
	fl.n = np;
	fl.ent = malloc(np * 8);
	fl.pfn = malloc(np * 8);
	fl.tmp = malloc(np * 8);
	fl.buf = malloc(BATCH * 8);
	tv = calloc((size_t)reps, sizeof *tv);
	tf = calloc((size_t)reps, sizeof *tf);
	tp = calloc((size_t)reps, sizeof *tp);
	ts = calloc((size_t)reps, sizeof *ts);
	tn = calloc((size_t)reps, sizeof *tn);
	if (!out || !fl.ent || !fl.pfn || !fl.tmp || !fl.buf || !tv || !tf ||
	    !tp || !ts || !tn)
		die("malloc");

	/* warm-up: fault in every buffer once, check both read the same */
	if (pages_read(&pc, &vl, ch.dense, np, PAGES_ALL, out, &e) < 0) {
		fprintf(stderr, "pages_bench: %s\n", e.msg);
		stop_child(&ch);
		return 1;
	}
	for (i = 0; i < np; i++) {
		present += out[i].state == PAGE_ANON;
		chk += out[i].kcount;
	}
	floor_run(&fl, ch.dense, root.page_shift);

	for (r = 0; r < reps; r++) {
		for (k = 0; k < 3; k++) {
			double t0 = now_ms();

			switch ((k + r) % 3) {
			case 0:
				if (pages_read(&pc, &vl, ch.dense, np, PAGES_ALL,
					       out, &e) < 0) {
					fprintf(stderr, "pages_bench: %s\n", e.msg);
					return 1;
				}
				/* full detail: the cgroup path of each page,
				 * as `vmscope pages` prints it */
				for (i = 0; i < np; i++)
					cg_chk += pages_cgroup(&pc, &out[i]) != NULL;
				tv[r] = now_ms() - t0;
				break;
			case 1:
				floor_run(&fl, ch.dense, root.page_shift);
				tf[r] = now_ms() - t0;
				break;
			case 2:
				perpage_run(&fl, ch.dense, root.page_shift);
				tp[r] = now_ms() - t0;
				break;
			}
		}
	}
	for (r = 0; r < reps; r++) {
		double t0 = now_ms();

		pc.pm.scan_state = 0; /* probe again: a fresh pagemap */
		if (pagemap_count(&pc.pm, ch.sparse, ch.sparse + SPARSE_LEN,
				  &cnt, &e) < 0) {
			fprintf(stderr, "pages_bench: %s\n", e.msg);
			return 1;
		}
		ts[r] = now_ms() - t0;
		t0 = now_ms();
		pc.pm.scan_state = -1;
		if (pagemap_count(&pc.pm, ch.sparse, ch.sparse + SPARSE_LEN,
				  &cnt, &e) < 0) {
			fprintf(stderr, "pages_bench: %s\n", e.msg);
			return 1;
		}
		tn[r] = now_ms() - t0;
	}
	pc.pm.scan_state = 0;
	mv = median(tv, reps);
	mf = median(tf, reps);
	mp = median(tp, reps);
	ms = median(ts, reps);
	mn = median(tn, reps);

	printf("pages_bench: %s, page size %zu, %d rounds (median)\n",
	       root.release, ps, reps);
	printf("1 GiB anonymous VMA, %zu pages, %zu present anon (map count sum %" PRIu64 ", %" PRIu64 " cgroup paths resolved)\n",
	       np, present, chk, cg_chk / (uint64_t)reps);
	printf("  %-44s %9s %8s\n", "method", "ms", "x floor");
	printf("  %-44s %9.2f %8.2f\n", "vmscope pages_read(ALL) + cgroup paths", mv, mv / mf);
	printf("  %-44s %9.2f %8.2f\n", "floor: batched pagemap + sorted kpage runs", mf, 1.0);
	printf("  %-44s %9.2f %8.2f\n", "page-types style: pread per page per file", mp, mp / mf);
	printf("  goal vmscope <= 1.25 x floor: %s\n", mv <= 1.25 * mf ? "met" : "NOT met");
	printf("pagemap_count over a 64 GiB PROT_NONE reservation, %d pages touched, %" PRIu64 " present:\n",
	       SPARSE_TOUCH, cnt.present);
	printf("  %-44s %9.2f\n", pagemap_scan_supported(&pc.pm)
	       ? "PAGEMAP_SCAN" : "PAGEMAP_SCAN (missing: plain reads)", ms);
	printf("  %-44s %9.2f %8.1fx slower\n", "plain reads (64K-entry batches)", mn, mn / ms);

	pages_close(&pc);
	vmas_free(&vl);
	stop_child(&ch);
	root_close(&root);
	return 0;
}
