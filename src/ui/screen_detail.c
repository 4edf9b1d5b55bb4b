/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_detail: one page: every pagemap bit and every kpageflags bit,
 * decoded, each with its one-line explanation (explain.h), the physical
 * address or why there is none, the map count and the cgroup.  The
 * selected line's explanation is shown whole in the panel below. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "draw.h"
#include "listview.h"
#include "screens.h"
#include "uitext.h"
#include "vmscope/escape.h"
#include "vmscope/explain.h"
#include "vmscope/kpage.h"
#include "vmscope/physaddr.h"
#include "vmscope/decode.h"
#include "vmscope/pte.h"

struct dline {
	char text[200];
	const char *expl;       /* static text, or NULL */
	char own[560];          /* explanation made here (reasons) */
	int elem;
	bool changed;
};

#define MAX_LINES 80

struct detail_screen {
	struct screen base;
	uint64_t addr;
	struct dline lines[MAX_LINES], prev[MAX_LINES];
	int n, nprev;
	bool loaded, any_changed;
	struct listview lv;
	struct app *app;
	bool panel;
	bool phys_known;        /* the page's physical address, for p */
	uint64_t phys;
	char no_phys[200];      /* why there is none */
	bool gap, gap_writable; /* a VM_PFNMAP/VM_IO page, for D */
};

#define DS(s) ((struct detail_screen *)(s))

static struct dline *add(struct detail_screen *d, int elem, const char *expl,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static struct dline *add(struct detail_screen *d, int elem, const char *expl,
			 const char *fmt, ...)
{
	struct dline *l;
	va_list ap;

	if (d->n >= MAX_LINES)
		return &d->lines[MAX_LINES - 1];
	l = &d->lines[d->n++];
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	l->expl = expl;
	l->own[0] = '\0';
	l->elem = elem;
	l->changed = false;
	return l;
}

/* Address: the VMA holding the page, or none. */
static void add_where(struct detail_screen *d, const struct translation *t,
		      uint64_t pagemap_end)
{
	const struct vma *v = t->vma;
	struct dline *l;
	char name[256];

	if (!v) {
		add(d, EL_PAGE_HOLE, explain_page_state(PAGE_HOLE),
		    "Address    %llx  in no VMA", (unsigned long long)d->addr);
		return;
	}
	escape_text(name, sizeof name, v->name ? v->name : "",
		    v->name ? strlen(v->name) : 0);
	l = add(d, EL_NORMAL, NULL, "Address    %llx  in %llx-%llx %s %s %s",
		(unsigned long long)d->addr, (unsigned long long)v->start,
		(unsigned long long)v->end, v->perms, vma_kind_name(v->kind),
		name);
	/* a gap is explained as one: [vectors] is "anon" by its name */
	l->expl = vma_is_gap(v) ? explain_gap(v, pagemap_end, l->own,
					      sizeof l->own)
				: explain_vma_kind(v->kind);
}

/* Physical: the address or why there is none, and the range of the
 * machine's map that holds it. */
static void add_phys(struct detail_screen *d, struct app *a,
		     const struct translation *t)
{
	struct dline *l;

	if (t->result == XLATE_OK)
		l = add(d, EL_NORMAL, NULL, "Physical   0x%llx%s",
			(unsigned long long)t->phys, "");
	else
		l = add(d, t->result == XLATE_HIDDEN || t->result == XLATE_GAP ?
			EL_WARN : EL_NORMAL,
			NULL, "Physical   none: %s", xlate_result_name(t->result));
	if (t->result == XLATE_OK && t->via_pagemap)
		snprintf(l->text, sizeof l->text, "Physical   0x%llx  (PFN 0x%llx)",
			 (unsigned long long)t->phys, (unsigned long long)t->pfn);
	snprintf(l->own, sizeof l->own, "%s", t->reason);
	d->phys_known = t->result == XLATE_OK;
	d->phys = t->phys;
	snprintf(d->no_phys, sizeof d->no_phys, "%s", xlate_result_name(t->result));
	if (t->result == XLATE_OK) {
		/* where the frame lies in the machine's map */
		char rng[400];
		bool known = krview_annotate(a, t->phys, true, rng, sizeof rng);

		add(d, known ? EL_NORMAL : EL_DIM,
		    "The innermost range of the machine's map that holds this physical address, and the source that gave it (/proc/iomem, the boot log, UIO sysfs...). p opens the physical map there.",
		    "Range      %s", known ? rng : rng[0] ? rng :
		    "none known: no source that was read describes this address");
	}
}

/* A VM_PFNMAP/VM_IO gap: what pagemap says, and where the physical
 * address came from. */
static void add_gap(struct detail_screen *d, const struct translation *t,
		    uint64_t pagemap_end)
{
	const struct vma *v = t->vma;
	struct dline *l;

	if (v && vma_is_gap(v) && (v->above_pagemap ||
				   v->kind == VMA_KIND_VSYSCALL))
		l = add(d, EL_WARN, NULL,
			"pagemap    none: above its end (TASK_SIZE)");
	else if (v && v->kind == VMA_KIND_CHARDEV)
		l = add(d, EL_WARN, NULL,
			"pagemap    not read: char device %u:%u, no VmFlags",
			v->chr_major, v->chr_minor);
	else
		l = add(d, EL_WARN, NULL,
			"pagemap    all zeros: VM_PFNMAP/VM_IO mapping");
	if (v)
		l->expl = explain_gap(v, pagemap_end, l->own, sizeof l->own);
	if (t->gp.known) {
		char reg[140];

		escape_text(reg, sizeof reg, t->gp.region, strlen(t->gp.region));
		add(d, EL_NORMAL, "Where the physical address came from.",
		    "Source     %s%s%s", t->gp.source, reg[0] ? ", region " : "",
		    reg);
	}
}

/* What a correct entry for this device address holds: the one
 * io_remap_pfn_range(..., pgprot_noncached(...)) writes, decoded. */
static void add_expected_pte(struct detail_screen *d, struct app *a,
			     const struct translation *t)
{
	struct pte_fmt f;
	struct pte_entry e;
	enum pte_level lv;
	uint64_t raw;
	struct dline *l;

	decode_root_fmt(a->root, &f);
	if (t->result != XLATE_OK || f.arch == PTE_ARCH_NONE)
		return;
	raw = pte_build_device(&f, t->phys, t->vma && t->vma->perms[1] == 'w', &lv);
	pte_decode(&f, lv, raw, &e);
	l = add(d, EL_NORMAL, NULL, "Correct PTE 0x%llx (%s %s): %s",
		(unsigned long long)raw, pte_arch_name(f.arch), pte_level_name(lv),
		pte_attr_get(&e, "caching") ? pte_attr_get(&e, "caching") : "");
	snprintf(l->own, sizeof l->own,
		 "The entry a driver's io_remap_pfn_range(vma, addr, 0x%llx >> PAGE_SHIFT, size, pgprot_noncached(vma->vm_page_prot)) writes for this page on %s, after a write: present, user, %s, never executable, uncached. D shows every bit of it; compare with a PTE from an oops (:decode).",
		 (unsigned long long)t->phys, pte_arch_name(f.arch),
		 pte_attr_get(&e, "writable") ? pte_attr_get(&e, "writable") : "");
	add(d, EL_NORMAL, "The frame number the entry holds: the physical address >> PAGE_SHIFT, never a kernel virtual address.",
	    "  frame    0x%llx, user %s, writable %s", (unsigned long long)e.pfn,
	    pte_attr_get(&e, "user") ? pte_attr_get(&e, "user") : "?",
	    pte_attr_get(&e, "writable") ? pte_attr_get(&e, "writable") : "?");
}

/* Map count and cgroup, or why there are none. */
static void add_counts(struct detail_screen *d, struct pages_ctx *pc,
		       const struct translation *t, bool visible)
{
	const char *none = visible ? "The page is not present: no map count or cgroup."
				   : explain_pfn_hidden();
	const char *cg;
	char esc[256];

	if (!t->page.have_kpage && t->page.frame != KPAGE_REC_YES) {
		enum kpage_rec fr = (enum kpage_rec)t->page.frame;

		add(d, EL_WARN, kpage_rec_why(fr), "Map count  - (%s)",
		    kpage_rec_short(fr));
		add(d, EL_DIM, kpage_rec_why(fr), "Cgroup     -");
		return;
	}
	if (!t->page.have_kpage) {
		add(d, EL_DIM, none, "Map count  %s",
		    visible ? "- (not present)" : "hidden");
		add(d, EL_DIM, none, "Cgroup     %s", visible ? "-" : "hidden");
		return;
	}
	add(d, EL_NORMAL, explain_kpagecount(), "Map count  %llu",
	    (unsigned long long)t->page.kcount);
	cg = pages_cgroup(pc, &t->page);
	if (cg)
		escape_text(esc, sizeof esc, cg, strlen(cg));
	add(d, EL_NORMAL, explain_kpagecgroup(), "Cgroup     %s",
	    cg ? esc : t->page.cg_ino ? "(unknown inode)" : "-");
}

/* One flag bit (55-63) of the entry: set or not, or that the root's
 * kernel had no such bit ("n/a on 3.4"), never "no". */
static void add_pagemap_bit(struct detail_screen *d, uint64_t pm,
			    const struct pagemap_entry *pe, unsigned bit,
			    uint32_t kver, const char *ver)
{
	const struct pagemap_bit *b;
	const char *nm = NULL;
	bool set = (pm >> bit) & 1;

	for (b = pagemap_bits; b->name; b++)
		if ((unsigned)b->bit == bit)
			nm = b->name;
	if (nm && !pagemap_entry_has(pe, bit)) {
		/* 3.11-4.1 had soft-dirty, but not in a page-shift entry */
		if (bit == 55 && pe->page_shift && kver >= KVER(3, 11, 0))
			add(d, EL_DIM, explain_pagemap_bit(60),
			    "  [-] 55 %s: n/a, bits 55-60 hold the page shift", nm);
		else
			add(d, EL_DIM, "This kernel's pagemap has no such bit: it came later (see vmscope(1), PAGEMAP ACROSS KERNEL VERSIONS).",
			    "  [-] %2u %s: n/a on %s", bit, nm, ver);
		return;
	}
	if (pe->page_shift && bit <= 60)
		return; /* a bit of the page shift, shown whole above */
	/* like kpageflags below: a bit the kernel does not define is
	 * listed only when set (room for the lines that matter) */
	if (!nm && !set)
		return;
	add(d, set ? EL_KEY : EL_NORMAL,
	    nm ? explain_pagemap_bit((int)bit) : "Not defined by the kernel: always 0.",
	    "  [%c] %2u %s", set ? 'x' : ' ', bit, nm ? nm : "(unused)");
}

/* The pagemap entry, its flag bits and what bits 0-54 hold. */
static void add_pagemap(struct detail_screen *d, uint64_t pm, bool visible,
			const struct pagemap_layout *l)
{
	struct pagemap_entry pe;
	char ver[32];
	unsigned bit;

	pagemap_decode(pm, l, &pe);
	kver_format(l->kver, ver, sizeof ver);
	add(d, EL_HEADER, l->kver == KVER_UNKNOWN ?
	    "The 64-bit entry of /proc/PID/pagemap for this page.  The kernel's release is unknown: its bits are read as today's kernels write them." :
	    "The 64-bit entry of /proc/PID/pagemap for this page, read as the root's kernel wrote it.",
	    "pagemap entry 0x%016llx", (unsigned long long)pm);
	for (bit = 63; bit >= 55; bit--) {
		if (bit == 60 && pe.page_shift)
			add(d, EL_NORMAL, explain_pagemap_bit(60),
			    "      55-60 page shift %u (pages of %lluK)",
			    pe.page_shift, pe.page_shift >= 10 && pe.page_shift < 40 ?
			    1ULL << (pe.page_shift - 10) : 0ULL);
		add_pagemap_bit(d, pm, &pe, bit, l->kver, ver);
	}
	if (pe.present)
		add(d, EL_NORMAL, explain_pagemap_bit(0), "      0-54 PFN 0x%llx%s",
		    (unsigned long long)pe.pfn, visible ? "" : " (hidden: reads 0)");
	else if (pe.swapped)
		add(d, EL_NORMAL, explain_pagemap_bit(62),
		    "      0-4 swap type %u, 5-54 swap offset 0x%llx", pe.swap_type,
		    (unsigned long long)pe.swap_offset);
	else
		add(d, EL_DIM, explain_pagemap_bit(0), "      0-54 PFN: 0 (no page)");
}

/* The kpageflags of the frame, bit by bit, or why there are none. */
static void add_kpageflags(struct detail_screen *d, const struct translation *t,
			   bool visible, uint32_t kver)
{
	unsigned bit;

	if (!t->page.have_kpage && t->page.frame != KPAGE_REC_YES) {
		add(d, EL_HEADER, kpage_rec_why((enum kpage_rec)t->page.frame),
		    "kpageflags not known: %s",
		    kpage_rec_short((enum kpage_rec)t->page.frame));
		return;
	}
	if (!t->page.have_kpage) {
		add(d, EL_HEADER, visible ? "kpageflags is indexed by PFN: a page that is not present has none." : explain_pfn_hidden(),
		    "kpageflags %s", visible ? "not read: no page here" : "hidden (not root)");
		return;
	}
	add(d, EL_HEADER, "/proc/kpageflags: 64 bits of kernel state for the page frame, indexed by PFN.",
	    "kpageflags 0x%016llx", (unsigned long long)t->page.kflags);
	for (bit = 0; bit < 64; bit++) {
		const char *nm = kpage_flag_name_for(bit, kver);
		const char *now = kpage_flag_name(bit);
		bool set = (t->page.kflags >> bit) & 1;

		if (!nm && !set)
			continue;
		add(d, set ? EL_KEY : EL_NORMAL,
		    !nm ? (now ? "A bit the root's kernel did not define (a later kernel gave it a meaning)." :
			   "A bit this vmscope does not know.") :
		    now && !strcmp(nm, now) ? explain_kpage_flag(bit) :
		    "This kernel's name for the bit; later kernels renamed it (see vmscope(1)).",
		    "  [%c] %2u %s", set ? 'x' : ' ', bit, nm ? nm : "(unknown)");
	}
}

static int build(struct detail_screen *d, struct app *a, struct vms_err *e)
{
	struct pages_ctx *pc = procview_pages(&a->pv, e);
	struct translation t;
	bool visible = a->root->pfn_visible;

	if (!pc || physaddr_translate(pc, &a->pv.vmas, d->addr, &t, e) < 0)
		return -1;
	d->n = 0;
	add_where(d, &t, a->pv.vmas.pagemap_end);
	add(d, EL_PAGE_NOT_PRESENT + (t.page.state < PAGE_STATE__COUNT ? t.page.state : 0),
	    explain_page_state((enum page_state)t.page.state), "State      %s",
	    page_state_name((enum page_state)t.page.state));
	add_phys(d, a, &t);
	d->gap = t.gap;
	d->gap_writable = t.vma && t.vma->perms[1] == 'w';
	if (t.gap) {
		add_gap(d, &t, a->pv.vmas.pagemap_end);
		add_expected_pte(d, a, &t);
		return 0;
	}
	if (t.result == XLATE_NOT_MAPPED)
		return 0;
	add_counts(d, pc, &t, visible);
	add_pagemap(d, t.pm, visible, &pc->pm.layout);
	add_kpageflags(d, &t, visible, pc->pm.layout.kver);
	return 0;
}

static unsigned detail_context(struct screen *s)
{
	(void)s;
	return CTX_DETAIL;
}

static int panel_rows(int h)
{
	return h >= 12 ? 4 : 0;
}

static int detail_update(struct screen *s, struct app *a, int h, int w,
			 bool re, struct vms_err *e)
{
	struct detail_screen *d = DS(s);
	int lh = h - panel_rows(h), i;
	bool mark = re && !s->stale && d->loaded, differs = false,
	     had = d->any_changed;

	(void)w;
	d->panel = panel_rows(h) > 0;
	d->lv.h = lh > 1 ? lh : 1;
	listview_set_rows(&d->lv, d->n);
	if (d->loaded && !re && !s->stale)
		return 0;
	s->stale = false;
	if (re && procview_refresh(&a->pv, false, e) < 0)
		return -1;
	memcpy(d->prev, d->lines, sizeof d->lines);
	d->nprev = d->n;
	if (build(d, a, e) < 0)
		return -1;
	d->any_changed = false;
	differs = d->n != d->nprev;
	for (i = 0; i < d->n; i++) {
		bool ch = i >= d->nprev || strcmp(d->lines[i].text, d->prev[i].text);

		differs |= ch;
		d->lines[i].changed = mark && ch;
		d->any_changed |= mark && ch;
	}
	d->loaded = true;
	listview_set_rows(&d->lv, d->n);
	return differs || had || !mark;
}

static const char *line_expl(const struct dline *l)
{
	return l->own[0] ? l->own : l->expl ? l->expl : "";
}

/* A line, and its explanation beside it when there is room. */
static bool draw_line(void *ctx, int64_t row, bool sel, int y, int w)
{
	struct detail_screen *d = ctx;
	const struct dline *l = &d->lines[row];
	attr_t at = app_attr(d->app, sel ? EL_SELECTED : l->changed ? EL_CHANGED
								     : l->elem);
	int x, ew = w - 26;

	draw_fill(y, 0, w, at);
	x = draw_text(y, 0, w, at, l->text, false);
	if (ew >= 16 && x < 25 && strncmp(l->text, "  [", 3) == 0)
		draw_text_cut(y, 26, ew, sel ? at : app_attr(d->app, EL_DIM),
			      line_expl(l));
	return true;
}

static bool line_matches(void *ctx, int64_t row, const char *text)
{
	const struct dline *l = &((struct detail_screen *)ctx)->lines[row];

	return text_match(l->text, text) || text_match(line_expl(l), text);
}

static void detail_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct detail_screen *d = DS(s);
	int ph = panel_rows(h);

	listview_draw_rows(&d->lv, NULL, 0, y, w);
	if (ph && d->n) {
		int py = y + h - ph;

		draw_hline(py, 0, w, app_attr(a, EL_BORDER));
		draw_wrapped(py + 1, 0, w, ph - 1, app_attr(a, EL_INFO),
			     line_expl(&d->lines[d->lv.sel]));
	}
}

static void detail_info(struct screen *s, struct app *a, char *buf, size_t n,
			int *elem)
{
	struct detail_screen *d = DS(s);

	(void)a;
	*elem = EL_INFO;
	if (d->panel) {
		snprintf(buf, n, "[ ] previous/next page | Up/Down: explanation of each line | p: physical map");
		return;
	}
	snprintf(buf, n, "%s", d->n ? line_expl(&d->lines[d->lv.sel]) : "");
}

static void detail_title(struct screen *s, struct app *a, char *buf, size_t n)
{
	struct detail_screen *d = DS(s);
	char comm[128];

	escape_text(comm, sizeof comm, a->pv.comm, strlen(a->pv.comm));
	snprintf(buf, n, "PID %d %s | page %llx", a->pv.pid, comm,
		 (unsigned long long)d->addr);
}

static bool detail_action(struct screen *s, struct app *a, enum action act)
{
	struct detail_screen *d = DS(s);
	uint64_t ps = a->root->page_size;

	if (listview_move(&d->lv, act))
		return true;
	if (act == ACT_NEXT_VMA || act == ACT_PREV_VMA) {
		uint64_t na = act == ACT_NEXT_VMA ? d->addr + ps : d->addr - ps;
		const struct vma_list *l = &a->pv.vmas;

		if (!vmas_find(l, na)) {
			/* across a hole: the next or previous VMA */
			size_t i;

			na = d->addr;
			for (i = 0; i < l->n; i++) {
				if (act == ACT_NEXT_VMA && l->v[i].start > d->addr) {
					na = l->v[i].start;
					break;
				}
				if (act == ACT_PREV_VMA && l->v[i].end <= d->addr)
					na = l->v[i].end - ps;
			}
		}
		if (na != d->addr) {
			d->addr = na;
			d->loaded = false;
			d->n = 0;
		}
		return true;
	}
	if (act == ACT_OPEN)
		return true;
	if (act == ACT_DECODE && d->gap)
		return screen_decode_expected(a, d->addr, d->phys_known, d->phys, d->gap_writable);
	if (act == ACT_DECODE)
		app_message(a, EL_WARN, "D: only on a gap page (UIO, /dev/mem); this page is in pagemap");
	if (act == ACT_RMAP) {
		char lab[128];

		if (!d->phys_known) {
			app_message(a, EL_WARN, "this page has no physical address (%s): no frame to look up",
				    d->no_phys);
			return true;
		}
		snprintf(lab, sizeof lab, "the frame of page %llx (PFN 0x%llx)",
			 (unsigned long long)d->addr,
			 (unsigned long long)(d->phys >> a->root->page_shift));
		app_open_rmap(a, d->phys >> a->root->page_shift,
			      (d->phys >> a->root->page_shift) + 1, lab);
		return true;
	}
	if (act == ACT_PHYS) {
		if (d->phys_known) {
			app_open_phys(a, true, d->phys);
			return true;
		}
		app_open_phys(a, false, 0);
		app_message(a, EL_WARN,
			    "this page has no physical address (%s): the map opens without one",
			    d->no_phys);
		return true;
	}
	return false;
}

static bool detail_search(struct screen *s, struct app *a, const char *text,
			  int dir, bool from_here)
{
	(void)a;
	return listview_search(&DS(s)->lv, text, dir, from_here);
}

static bool detail_goto(struct screen *s, struct app *a, uint64_t addr)
{
	struct detail_screen *d = DS(s);

	d->addr = addr & ~((uint64_t)a->root->page_size - 1);
	d->loaded = false;
	return true;
}

static void detail_destroy(struct screen *s)
{
	free(s);
}

static const struct screen_ops detail_ops = {
	.name = "page detail",
	.context = detail_context,
	.update = detail_update,
	.draw = detail_draw,
	.info = detail_info,
	.title = detail_title,
	.action = detail_action,
	.search = detail_search,
	.filter = NULL,
	.goto_addr = detail_goto,
	.destroy = detail_destroy,
};

struct screen *screen_detail_new(struct app *a, uint64_t addr,
				 struct vms_err *e)
{
	struct detail_screen *d;

	if (!procview_pages(&a->pv, e))
		return NULL;
	d = calloc(1, sizeof *d);
	if (!d) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	d->base.ops = &detail_ops;
	d->base.is_process = true;
	d->addr = addr & ~((uint64_t)a->root->page_size - 1);
	d->app = a;
	listview_init(&d->lv, d);
	d->lv.matches = line_matches;
	d->lv.draw_row = draw_line;
	return &d->base;
}
