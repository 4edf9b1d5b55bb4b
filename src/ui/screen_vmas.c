/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_vmas: the VMAs of the open process with the holes between them:
 * range, perms, size, RSS, kind, name, VmFlags.  PFNMAP/IO/UIO mappings
 * and holes have their own colours; for the selected one a panel says
 * what it is, and for a gap why pagemap cannot see it and its physical
 * address where the system tells. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmscope/units.h"
#include "uiint.h"
#include "vmscope/escape.h"
#include "vmscope/explain.h"
#include "vmscope/physaddr.h"

struct prev_vma {
	uint64_t start, end, rss;
	char perms[5];
};

struct vmas_screen {
	struct screen base;
	size_t *view;          /* rows of procview_row */
	bool *changed;         /* per view row */
	size_t nview, cap;
	struct prev_vma *prev;
	size_t nprev, prev_cap;
	bool any_changed;
	unsigned gen;          /* pv.gen the view was built for */
	long sel, top;
	uint64_t sel_addr;
	int h;                 /* list rows */
	char filter[128];
	/* physical address of the selected gap, cached */
	uint64_t gp_start;
	unsigned gp_gen;
	bool gp_valid;
	struct gap_phys gp;
	char gp_err[200];
};

#define VS(s) ((struct vmas_screen *)(s))

/* Row r of the view's list (a hole is filled into *hole).  Never NULL:
 * a row the list no longer has (between a refresh that changed the
 * layout and the rebuild) reads as an empty hole. */
static const struct vma *vma_at(struct app *a, size_t r, struct vma *hole)
{
	static char empty[1];
	static const struct vma none = { .perms = "----", .name = empty,
					 .kind = VMA_KIND_HOLE };
	const struct vma *v = procview_row(&a->pv, r, hole);

	return v ? v : &none;
}

static bool vma_matches(const struct vma *v, const char *t)
{
	uint64_t addr;

	if (parse_addr(t, &addr) && addr >= v->start && addr < v->end)
		return true;
	return text_match(v->name, t) || text_match(vma_kind_name(v->kind), t) ||
	       text_match(v->perms, t) || text_match(v->vmflags_text, t);
}

static const struct prev_vma *find_prev(struct vmas_screen *p, uint64_t start)
{
	size_t lo = 0, hi = p->nprev;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->prev[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nprev && p->prev[lo].start == start ? &p->prev[lo] : NULL;
}

static uint64_t vma_rss(const struct vma *v)
{
	return v->has_smaps ? v->smaps[SMAPS_RSS] : 0;
}

/* Rebuild the view from the VMAs and the holes between them; mark rows
 * that differ from the last time when mark.  Returns whether anything
 * differs. */
static bool rebuild(struct vmas_screen *p, struct app *a, bool mark)
{
	size_t i, r, nr = procview_rows(&a->pv), n = 0;
	struct vma hole;
	bool differs, had = p->any_changed;

	for (r = 0; r < nr; r++)
		n += procview_row(&a->pv, r, &hole) != NULL;
	differs = n != p->nprev;
	if (p->cap < n) {
		size_t *nv = realloc(p->view, n * sizeof *nv);
		bool *nc = nv ? realloc(p->changed, n * sizeof *nc) : NULL;

		if (nv)
			p->view = nv;
		if (!nc) {
			p->nview = 0;
			return true;
		}
		p->changed = nc;
		p->cap = n;
	}
	p->nview = 0;
	p->any_changed = false;
	for (r = 0; r < nr; r++) {
		const struct vma *v = procview_row(&a->pv, r, &hole);
		const struct prev_vma *pr;
		bool ch;

		if (!v)
			continue;
		pr = find_prev(p, v->start);
		ch = !pr || pr->end != v->end || pr->rss != vma_rss(v) ||
		     memcmp(pr->perms, v->perms, sizeof pr->perms);

		differs |= ch;
		if (p->filter[0] && !vma_matches(v, p->filter))
			continue;
		p->changed[p->nview] = mark && ch;
		p->any_changed |= mark && ch;
		p->view[p->nview++] = r;
	}
	if (p->prev_cap < n) {
		struct prev_vma *np = realloc(p->prev, n * sizeof *np);

		if (np) {
			p->prev = np;
			p->prev_cap = n;
		}
	}
	if (p->prev_cap >= n) {
		for (r = 0, i = 0; r < nr; r++) {
			const struct vma *v = procview_row(&a->pv, r, &hole);

			if (!v)
				continue;
			p->prev[i].start = v->start;
			p->prev[i].end = v->end;
			p->prev[i].rss = vma_rss(v);
			memcpy(p->prev[i].perms, v->perms, sizeof p->prev[i].perms);
			i++;
		}
		p->nprev = n;
	}
	p->gen = a->pv.gen;
	/* the selection follows its address */
	for (i = 0; i < p->nview; i++) {
		const struct vma *v = vma_at(a, p->view[i], &hole);

		if (p->sel_addr >= v->start && p->sel_addr < v->end) {
			p->sel = (long)i;
			break;
		}
	}
	list_clamp(&p->sel, &p->top, (long)p->nview, p->h);
	if (p->nview)
		p->sel_addr = vma_at(a, p->view[p->sel], &hole)->start;
	return differs || had;
}

static unsigned vmas_context(struct screen *s)
{
	(void)s;
	return CTX_VMAS;
}

static int panel_rows(int h)
{
	return h >= 18 ? 5 : h >= 14 ? 4 : 0;
}

static int vmas_update(struct screen *s, struct app *a, int h, int w,
		       bool re, struct vms_err *e)
{
	struct vmas_screen *p = VS(s);
	int rc = 0, lh = h - 1 - panel_rows(h);

	(void)w;
	if (lh < 1)
		lh = 1;
	if (p->h != lh) {
		p->h = lh;
		list_clamp(&p->sel, &p->top, (long)p->nview, p->h);
		rc = 1;
	}
	if (re || s->stale || !a->pv.smaps_fresh) {
		bool mark = re && !s->stale;

		s->stale = false;
		if (procview_refresh(&a->pv, true, e) < 0)
			return -1;
		rc |= rebuild(p, a, mark);
	} else if (p->gen != a->pv.gen) {
		rebuild(p, a, false);
		rc = 1;
	}
	return rc;
}

static int addr_digits(struct app *a)
{
	const struct vma_list *l = &a->pv.vmas;
	uint64_t max = 0;
	size_t i;
	int d = 8;

	for (i = 0; i < l->n; i++)
		if (l->v[i].kind != VMA_KIND_VSYSCALL && l->v[i].end > max)
			max = l->v[i].end;
	while (d < 16 && (max - 1) >> (4 * d))
		d++;
	return d;
}

static int kind_elem(const struct vma *v)
{
	if (v->kind == VMA_KIND_HOLE)
		return EL_VMA_HOLE;
	if (vma_is_gap(v))
		return EL_VMA_GAP;
	switch (v->kind) {
	case VMA_KIND_ANON: case VMA_KIND_HEAP: return EL_VMA_ANON;
	case VMA_KIND_STACK: return EL_VMA_STACK;
	case VMA_KIND_FILE: return EL_VMA_FILE;
	case VMA_KIND_GUARD: return EL_VMA_GUARD;
	default: return EL_VMA_SPECIAL;
	}
}

static void vma_name(const struct vma *v, char *buf, size_t n)
{
	char esc[512];

	if (v->kind == VMA_KIND_HOLE) {
		snprintf(buf, n, "(hole: unmapped)");
		return;
	}
	escape_text(esc, sizeof esc, v->name ? v->name : "",
		    v->name ? strlen(v->name) : 0);
	snprintf(buf, n, "%s%s", esc, v->deleted ? " (deleted)" : "");
}

static void gap_phys_of(struct vmas_screen *p, struct app *a,
			const struct vma *v)
{
	struct vms_err e;

	if (p->gp_valid && p->gp_start == v->start && p->gp_gen == a->pv.gen)
		return;
	p->gp_valid = true;
	p->gp_start = v->start;
	p->gp_gen = a->pv.gen;
	p->gp_err[0] = '\0';
	if (physaddr_of_gap(a->root, v, v->start, &p->gp, &e) < 0)
		snprintf(p->gp_err, sizeof p->gp_err, "%s", e.msg);
}

static void vmas_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct vmas_screen *p = VS(s);
	int d = addr_digits(a), x, rw, fl_w = 0, ph = panel_rows(h);
	bool both = w >= 2 * d + 1 + 47;
	/* narrow: RSS and KIND make way for the name (kind shown there) */
	bool narrow = w < d + 44;
	char buf[512], sz[32], rss[32];
	struct vma hole;
	long i;

	rw = both ? 2 * d + 1 : d;
	if (w >= 120)
		fl_w = 31;
	draw_fill(y, 0, w, app_attr(a, EL_HEADER));
	if (narrow)
		x = draw_fmt(y, 0, w, app_attr(a, EL_HEADER), false, "%-*s %-4s %6s ",
			     rw, "START", "PERM", "SIZE");
	else
		x = draw_fmt(y, 0, w, app_attr(a, EL_HEADER), false,
			     "%-*s %-4s %6s %6s %-8s ", rw,
			     both ? "START-END" : "START", "PERM", "SIZE", "RSS",
			     "KIND");
	if (fl_w)
		x += draw_fmt(y, x, fl_w, app_attr(a, EL_HEADER), false, "%-*s", fl_w, "VMFLAGS");
	draw_text(y, x, w - x, app_attr(a, EL_HEADER), "NAME", false);

	for (i = 0; i < p->h; i++) {
		long vi = p->top + i;
		const struct vma *v;
		attr_t at;
		int yy = y + 1 + (int)i;
		char a1[20], a2[20];

		if (vi >= (long)p->nview)
			break;
		v = vma_at(a, p->view[vi], &hole);
		at = app_attr(a, kind_elem(v));
		if (p->changed[vi])
			at = app_attr(a, EL_CHANGED);
		if (vi == p->sel)
			at = app_attr(a, EL_SELECTED);
		draw_fill(yy, 0, w, at);
		fmt_addr(a1, sizeof a1, v->start, d);
		fmt_addr(a2, sizeof a2, v->end, d);
		units_size(sz, sizeof sz, v->end - v->start);
		if (v->kind == VMA_KIND_HOLE || !v->has_smaps)
			snprintf(rss, sizeof rss, "-");
		else
			units_size(rss, sizeof rss, vma_rss(v) * 1024);
		if (both)
			snprintf(buf, sizeof buf, "%s-%s", a1, a2);
		else
			snprintf(buf, sizeof buf, "%s", a1);
		if (narrow)
			x = draw_fmt(yy, 0, w, at, false, "%-*s %-4s %6s ", rw,
				     buf, v->kind == VMA_KIND_HOLE ? "" : v->perms,
				     sz);
		else
			x = draw_fmt(yy, 0, w, at, false, "%-*s %-4s %6s %6s %-8s ",
				     rw, buf,
				     v->kind == VMA_KIND_HOLE ? "" : v->perms, sz,
				     rss, vma_kind_name(v->kind));
		if (fl_w)
			x += draw_fmt(yy, x, fl_w, at, false, "%-*.*s", fl_w,
				      fl_w - 1, v->vmflags_text);
		vma_name(v, buf, sizeof buf);
		if (narrow && (!v->name || !*v->name || v->kind == VMA_KIND_HOLE))
			snprintf(buf, sizeof buf, "(%s)", vma_kind_name(v->kind));
		draw_text_tail(yy, x, w - x, at, buf);
	}

	/* the panel: what the selected VMA is */
	if (ph && p->nview) {
		const struct vma *v = vma_at(a, p->view[p->sel], &hole);
		int py = y + h - ph, n, k;
		char lines[3][256];

		draw_hline(py, 0, w, app_attr(a, EL_BORDER));
		if (v->kind == VMA_KIND_HOLE) {
			units_size(sz, sizeof sz, v->end - v->start);
			draw_fmt(py + 1, 0, w, app_attr(a, EL_VMA_HOLE), false,
				 "hole: %s of unmapped address space between two VMAs",
				 sz);
		} else {
			units_size(rss, sizeof rss, vma_rss(v) * 1024);
			draw_fmt(py + 1, 0, w, app_attr(a, EL_INFO), false,
				 "VmFlags: %s  offset 0x%llx  dev %02x:%02x  inode %llu",
				 v->vmflags_text[0] ? v->vmflags_text : "(no smaps)",
				 (unsigned long long)v->offset, v->dev_major,
				 v->dev_minor, (unsigned long long)v->inode);
		}
		n = wrap_text(vma_is_gap(v) ? explain_gap(v)
					    : explain_vma_kind(v->kind),
			      w, lines, ph - 2);
		for (k = 0; k < n; k++)
			draw_text(py + 2 + k, 0, w,
				  app_attr(a, vma_is_gap(v) ? EL_WARN : EL_NORMAL),
				  lines[k], false);
	}
}

static void vmas_info(struct screen *s, struct app *a, char *buf, size_t n,
		      int *elem)
{
	struct vmas_screen *p = VS(s);
	const struct vma *v;
	struct vma hole;
	char sz[32];

	*elem = EL_INFO;
	buf[0] = '\0';
	if (!p->nview)
		return;
	v = vma_at(a, p->view[p->sel], &hole);
	units_size(sz, sizeof sz, v->end - v->start);
	if (vma_is_gap(v)) {
		gap_phys_of(p, a, v);
		*elem = EL_WARN;
		if (p->gp_err[0])
			snprintf(buf, n, "%s gap: pagemap cannot see it (VM_PFNMAP/VM_IO); physical address: %s",
				 vma_kind_name(v->kind), p->gp_err);
		else if (p->gp.known)
			snprintf(buf, n, "%s gap: pagemap cannot see it; physical 0x%llx-0x%llx from %s",
				 vma_kind_name(v->kind),
				 (unsigned long long)p->gp.base,
				 (unsigned long long)(p->gp.base + (v->end - v->start)),
				 p->gp.source);
		else
			snprintf(buf, n, "%s gap: pagemap cannot see it (no struct page); physical address unknown: no interface tells",
				 vma_kind_name(v->kind));
	} else if (v->kind == VMA_KIND_HOLE) {
		snprintf(buf, n, "hole of %s: Enter shows it among the pages", sz);
	} else {
		snprintf(buf, n, "%s %s, %s: Enter shows its pages",
			 vma_kind_name(v->kind), v->perms, sz);
	}
}

static void vmas_title(struct screen *s, struct app *a, char *buf, size_t n)
{
	struct vmas_screen *p = VS(s);
	char comm[128], f[160] = "";
	size_t i, gaps = 0;

	escape_text(comm, sizeof comm, a->pv.comm, strlen(a->pv.comm));
	for (i = 0; i < a->pv.vmas.n; i++)
		gaps += vma_is_gap(&a->pv.vmas.v[i]);
	if (p->filter[0]) {
		char esc[128];

		escape_text(esc, sizeof esc, p->filter, strlen(p->filter));
		snprintf(f, sizeof f, ", filter \"%s\"", esc);
	}
	snprintf(buf, n, "PID %d %s | %zu VMAs, %zu gaps%s", a->pv.pid, comm,
		 a->pv.vmas.n, gaps, f);
}

static void set_sel(struct vmas_screen *p, struct app *a)
{
	struct vma hole;

	list_clamp(&p->sel, &p->top, (long)p->nview, p->h);
	if (p->nview)
		p->sel_addr = vma_at(a, p->view[p->sel], &hole)->start;
}

static bool vmas_action(struct screen *s, struct app *a, enum action act)
{
	struct vmas_screen *p = VS(s);
	struct vma hole;

	if (list_move(&p->sel, (long)p->nview, p->h, act)) {
		set_sel(p, a);
		return true;
	}
	if (act == ACT_OPEN && p->nview) {
		app_open_pages(a, vma_at(a, p->view[p->sel], &hole)->start,
			       a->prefer_map);
		return true;
	}
	return false;
}

static bool vmas_search(struct screen *s, struct app *a, const char *text,
			int dir, bool from_here)
{
	struct vmas_screen *p = VS(s);
	long n = (long)p->nview, i, k;
	struct vma hole;

	if (!n)
		return false;
	for (k = from_here ? 0 : 1; k <= n; k++) {
		i = ((p->sel + dir * k) % n + n) % n;
		if (vma_matches(vma_at(a, p->view[i], &hole), text)) {
			p->sel = i;
			set_sel(p, a);
			return true;
		}
	}
	return false;
}

static void vmas_filter(struct screen *s, struct app *a, const char *text)
{
	struct vmas_screen *p = VS(s);

	snprintf(p->filter, sizeof p->filter, "%s", text);
	rebuild(p, a, false);
}

static bool vmas_goto(struct screen *s, struct app *a, uint64_t addr)
{
	struct vmas_screen *p = VS(s);

	/* select the VMA (the app then opens its pages) */
	p->sel_addr = addr;
	rebuild(p, a, false);
	return false;
}

static void vmas_destroy(struct screen *s)
{
	struct vmas_screen *p = VS(s);

	free(p->view);
	free(p->changed);
	free(p->prev);
	free(p);
}

static const struct screen_ops vmas_ops = {
	.name = "VMAs",
	.context = vmas_context,
	.update = vmas_update,
	.draw = vmas_draw,
	.info = vmas_info,
	.title = vmas_title,
	.action = vmas_action,
	.search = vmas_search,
	.filter = vmas_filter,
	.goto_addr = vmas_goto,
	.destroy = vmas_destroy,
};

struct screen *screen_vmas_new(struct app *a, uint64_t select_addr,
			       struct vms_err *e)
{
	struct vmas_screen *p = calloc(1, sizeof *p);

	if (!p) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	p->base.ops = &vmas_ops;
	p->base.is_process = true;
	p->h = 1;
	p->sel_addr = select_addr;
	rebuild(p, a, false);
	p->any_changed = false;
	return &p->base;
}
