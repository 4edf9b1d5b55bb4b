/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages_table: the page screen's table, one row per page (address,
 * state, PFN, physical address, short kpage flags, map count, range,
 * cgroup), read with pages_read for the visible rows only. */
#include <stdio.h>
#include <string.h>
#include "pages_view.h"
#include "screens.h"
#include "vmscope/escape.h"
#include "vmscope/explain.h"
#include "vmscope/physaddr.h"
#include "vmscope/units.h"

/* ---- reading ---- */

static void gap_phys(struct pages_screen *p, struct app *a,
		     const struct pages_seg *s)
{
	const struct vma *v = vmas_find(&a->pv.vmas, s->start);
	struct gap_phys gp;
	struct vms_err e;

	if (p->gp_valid && p->gp_start == s->start && p->gp_gen == a->pv.gen)
		return;
	p->gp_valid = true;
	p->gp_start = s->start;
	p->gp_gen = a->pv.gen;
	p->gp_known = false;
	p->gp_source[0] = '\0';
	if (v && physaddr_of_gap(a->root, v, v->start, &gp, &e) == 0 &&
	    gp.known) {
		p->gp_known = true;
		p->gp_base = gp.base;
		snprintf(p->gp_source, sizeof p->gp_source, "%s", gp.source);
	}
}

static void hole_row(struct pages_row *t, const struct pages_seg *s)
{
	memset(&t->pi, 0, sizeof t->pi);
	t->pi.vaddr = s->start;
	t->pi.state = PAGE_HOLE;
	t->type = ROW_HOLE;
	t->phys_known = false;
}

/* k rows of a gap segment from row: no pagemap, the physical address
 * where the system tells it. */
static void gap_rows(struct pages_screen *p, struct app *a,
		     const struct pages_seg *s, uint64_t row,
		     struct pages_row *t, int k)
{
	const struct vma *v = vmas_find(&a->pv.vmas, s->start);
	bool above = v && (v->above_pagemap || v->kind == VMA_KIND_VSYSCALL);
	int j;

	gap_phys(p, a, s);
	for (j = 0; j < k; j++, t++) {
		memset(&t->pi, 0, sizeof t->pi);
		t->pi.vaddr = pages_layout_row_addr(p, row + (uint64_t)j, 0);
		t->pi.state = PAGE_GAP;
		t->type = ROW_PAGE;
		t->phys_known = p->gp_known;
		t->above_end = above;
		t->chardev = v && v->kind == VMA_KIND_CHARDEV;
		t->phys = p->gp_base + (t->pi.vaddr - s->start);
	}
}

int pages_table_load(struct pages_screen *p, struct app *a,
		     struct pages_ctx *pc, struct vms_err *e)
{
	unsigned what = a->root->pfn_visible ? PAGES_ALL : 0;
	int r = 0, k, j;

	while (r < p->h) {
		uint64_t row = p->top + (uint64_t)r;
		struct pages_seg s;

		if (row >= p->total) {
			p->rows[r++].type = ROW_NONE;
			continue;
		}
		pages_layout_seg(p, row, &s);
		if (s.hole) {
			hole_row(&p->rows[r++], &s);
			continue;
		}
		/* the visible rows of this segment in one read */
		k = pages_layout_run(p, r, row, &s);
		if (s.gap) {
			gap_rows(p, a, &s, row, &p->rows[r], k);
		} else {
			if (pages_read(pc, &a->pv.vmas,
				       pages_layout_row_addr(p, row, 0), (size_t)k,
				       what, p->pis, e) < 0)
				return -1;
			for (j = 0; j < k; j++) {
				p->rows[r + j].pi = p->pis[j];
				p->rows[r + j].type = ROW_PAGE;
				p->rows[r + j].phys_known = false;
			}
		}
		r += k;
	}
	return 0;
}

bool pages_table_row_differs(const struct pages_row *x,
			     const struct pages_row *y)
{
	return x->type != y->type || x->pi.vaddr != y->pi.vaddr ||
	       x->pi.pm != y->pi.pm || x->pi.kflags != y->pi.kflags ||
	       x->pi.kcount != y->pi.kcount || x->pi.cg_ino != y->pi.cg_ino ||
	       x->pi.state != y->pi.state;
}

bool pages_table_row_phys(const struct pages_screen *p, struct app *a,
			  const struct pages_row *t, uint64_t *phys)
{
	uint64_t pfn;

	if (t->type != ROW_PAGE)
		return false;
	if (pages_pm_pfn(t->pi.pm, a->root->pfn_visible, &pfn)) {
		*phys = pfn << p->shift;
		return true;
	}
	if (t->phys_known) {
		*phys = t->phys;
		return true;
	}
	return false;
}

/* ---- drawing ---- */

enum { C_STATE, C_PFN, C_PHYS, C_FLAGS, C_MAP, C_RANGE, C_CGROUP, C__COUNT };

struct tcol { const char *name; int width; };

static const struct tcol table_cols[C__COUNT] = {
	[C_STATE] = { "STATE", 12 }, [C_PFN] = { "PFN", 11 },
	[C_PHYS] = { "PHYS", 14 }, [C_FLAGS] = { "FLAGS", 11 },
	[C_MAP] = { "MAP", 5 }, [C_RANGE] = { "RANGE", 30 },
	[C_CGROUP] = { "CGROUP", 0 },
};

/* The columns shown at width w: ids[0..n), in order. */
struct tshown {
	int ids[C__COUNT];
	int n;
};

static int col_width(int id)
{
	return table_cols[id].width;
}

static void table_shown(const struct pages_screen *p, int w, struct tshown *t)
{
	int i, x = p->addr_w;

	t->n = 0;
	for (i = 0; i < C__COUNT; i++) {
		int cw = col_width(i) ? col_width(i) : 8;

		/* the range of each physical address only when there is room */
		if (i == C_RANGE && w < 120)
			continue;
		if (x + cw > w)
			break;
		x += col_width(i);
		t->ids[t->n++] = i;
	}
}

static void table_header(const struct pages_screen *p, struct app *a, int y,
			 int w, const struct tshown *t)
{
	int i, x;

	draw_fill(y, 0, w, app_attr(a, EL_HEADER));
	x = draw_fmt(y, 0, w, app_attr(a, EL_HEADER), false, "%-*s",
		     p->addr_w, "ADDRESS");
	for (i = 0; i < t->n; i++) {
		int id = t->ids[i];

		x += draw_fmt(y, x, col_width(id) ? col_width(id) : w - x,
			      app_attr(a, EL_HEADER), false, "%-*s",
			      col_width(id), table_cols[id].name);
	}
}

static void pfn_text(struct app *a, const struct page_info *pi, char *buf,
		     size_t n)
{
	uint64_t pfn;

	if (pi->pm & PM_PRESENT) {
		if (pages_pm_pfn(pi->pm, a->root->pfn_visible, &pfn))
			snprintf(buf, n, "%llx", (unsigned long long)pfn);
		else
			snprintf(buf, n, "hidden");
	} else if (pi->state == PAGE_SWAPPED) {
		snprintf(buf, n, "swap");
	} else {
		snprintf(buf, n, "-");
	}
}

/* The text of a plain column of a page row. */
static void column_text(const struct pages_screen *p, struct app *a,
			const struct pages_row *t, int id, char *buf, size_t n)
{
	const struct page_info *pi = &t->pi;
	uint64_t ph;
	char f[64];

	snprintf(buf, n, "-");
	switch (id) {
	case C_STATE:
		snprintf(buf, n, "%s", page_state_name(pi->state));
		break;
	case C_PFN:
		pfn_text(a, pi, buf, n);
		break;
	case C_PHYS:
		if (pages_table_row_phys(p, a, t, &ph))
			snprintf(buf, n, "%llx", (unsigned long long)ph);
		break;
	case C_FLAGS:
		if (pi->have_kpage) {
			kpage_flags_short_for(pi->kflags,
					      kver_of_root(a->root), f,
					      sizeof f);
			snprintf(buf, n, "%s", f[0] ? f : "0");
		} else if (pi->frame != KPAGE_REC_YES) {
			/* the detail (Enter) says why */
			static const char *const tag[] = {
				[KPAGE_REC_NOT_RECORDED] = "unrecorded",
				[KPAGE_REC_BAD] = "bad",
				[KPAGE_REC_BEYOND_END] = "no page",
				[KPAGE_REC_UNSURE] = "unsure",
			};

			snprintf(buf, n, "%s", pi->frame < 5 && tag[pi->frame] ?
				 tag[pi->frame] : "?");
		}
		break;
	case C_MAP:
		if (pi->have_kpage)
			snprintf(buf, n, "%llu", (unsigned long long)pi->kcount);
		break;
	}
}

/* Columns whose end says most (the range, innermost last; the cgroup
 * path) keep their end: true when drawn. */
static bool tail_column(const struct pages_screen *p, struct app *a,
			const struct pages_row *t, int id, int y, int x,
			int cw, attr_t at)
{
	struct pages_ctx *pc = a->pv.pc_open ? &a->pv.pc : NULL;
	const char *cg;
	char buf[512];
	uint64_t ph;

	if (id == C_RANGE) {
		if (!pages_table_row_phys(p, a, t, &ph) ||
		    !krview_annotate(a, ph, false, buf, sizeof buf))
			return false;
		draw_text_tail(y, x, cw - 1, at, buf);
		return true;
	}
	if (id != C_CGROUP || !pc || !(cg = pages_cgroup(pc, &t->pi)))
		return false;
	/* the leaf names the group; the detail (Enter) has the whole path */
	if (strrchr(cg, '/') && strrchr(cg, '/')[1])
		cg = strrchr(cg, '/') + 1;
	escape_text(buf, sizeof buf, cg, strlen(cg));
	draw_text_cut(y, x, cw, at, buf);
	return true;
}

static void hole_line(const struct pages_screen *p, uint64_t row, int y,
		      int x, int w, attr_t at)
{
	struct pages_seg s;
	char sz[32];

	pages_layout_seg(p, row, &s);
	units_size(sz, sizeof sz, s.end - s.start);
	draw_fmt(y, x, w - x, at, true, "%-8s  %s unmapped, up to %0*llx",
		 "hole", sz, p->digits, (unsigned long long)s.end);
}

static void table_row(const struct pages_screen *p, struct app *a, int r,
		      int y, int w, const struct tshown *sh)
{
	const struct pages_row *t = &p->rows[r];
	uint64_t row = p->top + (uint64_t)r;
	bool sel = row == pages_layout_cur_row(p);
	attr_t at = app_attr(a, sel ? EL_SELECTED : t->changed ? EL_CHANGED
							       : EL_NORMAL);
	attr_t sat = sel ? at : app_attr(a, pages_view_state_elem(t->pi.state)) |
				(t->changed ? A_BOLD | A_UNDERLINE : 0);
	char buf[512];
	int x, i;

	draw_fill(y, 0, w, at);
	fmt_addr(buf, sizeof buf, t->pi.vaddr, p->digits);
	draw_text_cut(y, 0, p->addr_w - 1, at, buf);
	x = p->addr_w;
	if (t->type == ROW_HOLE) {
		hole_line(p, row, y, x, w, sel ? at : app_attr(a, EL_PAGE_HOLE));
		return;
	}
	for (i = 0; i < sh->n; i++) {
		int id = sh->ids[i], cw = col_width(id) ? col_width(id) : w - x;

		if (!tail_column(p, a, t, id, y, x, cw, at)) {
			column_text(p, a, t, id, buf, sizeof buf);
			draw_text(y, x, cw - 1, id == C_STATE ? sat : at, buf,
				  false);
		}
		x += cw;
	}
}

/* What the FLAGS letters of the selected page stand for, on the row
 * under the table (all the letters: the help, "Page flags"). */
static void flags_legend(struct pages_screen *p, struct app *a, int y, int w,
			 const struct tshown *sh)
{
	uint64_t crow = pages_layout_cur_row(p);
	const struct pages_row *t;
	char buf[512];
	size_t l;
	unsigned b;
	int i;

	for (i = 0; i < sh->n && sh->ids[i] != C_FLAGS; i++)
		;
	if (i == sh->n || crow < p->top || crow >= p->top + (uint64_t)p->h)
		return;
	t = &p->rows[crow - p->top];
	l = (size_t)snprintf(buf, sizeof buf, "FLAGS ");
	if (t->type != ROW_PAGE || !t->pi.have_kpage) {
		snprintf(buf + l, sizeof buf - l, "%s",
			 "letters of kpageflags, one per set flag (? lists them all)");
	} else {
		for (b = 0; b < 64 && l < sizeof buf; b++) {
			const char *nm = kpage_flag_name(b);
			char c = kpage_flag_letter(b);

			if (!(t->pi.kflags >> b & 1))
				continue;
			l += (size_t)snprintf(buf + l, sizeof buf - l, "%s%c %s",
					      l > 6 ? ", " : "", c ? c : '?',
					      nm ? nm : "?");
		}
		if (!t->pi.kflags)
			snprintf(buf + l, sizeof buf - l, "0: no flag set");
	}
	draw_fill(y, 0, w, app_attr(a, EL_DIM));
	draw_text_cut(y, 0, w, app_attr(a, EL_DIM), buf);
}

void pages_table_draw(struct pages_screen *p, struct app *a, int y, int w)
{
	struct tshown sh;
	int r;

	table_shown(p, w, &sh);
	table_header(p, a, y, w, &sh);
	for (r = 0; r < p->h && p->rows[r].type != ROW_NONE; r++)
		table_row(p, a, r, y + 1 + r, w, &sh);
	flags_legend(p, a, y + 1 + p->h, w, &sh);
}

void pages_table_info(struct pages_screen *p, const struct pages_row *t,
		      char *buf, size_t n, int *elem)
{
	if (t->type == ROW_HOLE) {
		snprintf(buf, n, "%s", explain_page_state(PAGE_HOLE));
		return;
	}
	if (t->pi.state == PAGE_GAP) {
		int k = (int)strcspn(p->gp_source, "(");

		while (k > 0 && p->gp_source[k - 1] == ' ')
			k--;
		*elem = EL_WARN;
		if (t->above_end)
			snprintf(buf, n, "gap: above the end of pagemap (TASK_SIZE); Enter explains");
		else if (t->chardev)
			snprintf(buf, n, "gap inferred: a char device, and no VmFlags; Enter explains");
		else if (t->phys_known)
			snprintf(buf, n, "gap at 0x%llx (%.*s): pagemap reads zeros; D: its correct PTE",
				 (unsigned long long)t->phys, k, p->gp_source);
		else
			snprintf(buf, n, "gap: no struct page, pagemap reads zeros; physical address unknown");
		return;
	}
	snprintf(buf, n, "%s", explain_page_state(t->pi.state));
}

/* D: the entry a correct mapping of the selected gap page holds,
 * decoded (its physical address from UIO sysfs or /dev/mem). */
bool pages_decode_action(struct pages_screen *p, struct app *a)
{
	const struct vma *v = vmas_find(&a->pv.vmas, p->cur);
	struct gap_phys gp = { .known = false };
	struct pages_seg sg;
	struct vms_err e;

	pages_layout_seg_at(p, pages_layout_seg_of_addr(p, p->cur), &sg);
	if (!sg.gap || !v) {
		app_message(a, EL_WARN, "D: only on a gap page (UIO, /dev/mem); this page is in pagemap");
		return true;
	}
	if (physaddr_of_gap(a->root, v, p->cur, &gp, &e) < 0)
		gp.known = false;
	return screen_decode_expected(a, p->cur, gp.known, gp.phys, v->perms[1] == 'w');
}
