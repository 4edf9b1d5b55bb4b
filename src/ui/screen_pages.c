/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen_pages: the pages of the open process, in two forms toggled with
 * one key.  The table (pages_table.c) has one row per page (address,
 * state, PFN, physical address, short kpage flags, map count, cgroup);
 * the map (pages_map.c) one cell per page or per 2^zoom pages, coloured
 * by state, its cells counted by the core's pagegrid.  Both cover the
 * whole address space, VMA after VMA with one row for each hole between
 * them (pages_layout.c), and open on the chosen VMA.  This file wires
 * them into a screen: reading and comparing with the last read, keys,
 * the title and the info line.
 *
 * Only what is on screen is read: the table reads its visible rows with
 * pages_read, the map its visible cells with pagegrid_fill; a live map
 * whose process's fingerprint (mmsig) held still keeps its cells. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pages_view.h"
#include "vmscope/escape.h"

#define PG(s) ((struct pages_screen *)(s))

/* ---- reading ---- */

static bool grow(void **buf, size_t *cap, size_t need, size_t elsz,
		 void **buf2)
{
	void *n1, *n2;

	if (need <= *cap)
		return true;
	n1 = calloc(need, elsz);
	n2 = buf2 ? calloc(need, elsz) : NULL;
	if (!n1 || (buf2 && !n2)) {
		free(n1);
		free(n2);
		return false;
	}
	free(*buf);
	*buf = n1;
	if (buf2) {
		free(*buf2);
		*buf2 = n2;
	}
	*cap = need;
	return true;
}

/* Whether the rows loaded last are those of the view now. */
static bool loaded_same(const struct pages_screen *p, const struct app *a)
{
	return p->ld_ok && p->ld_top == p->top && p->ld_h == p->h &&
	       p->ld_cols == p->cols && p->ld_zoom == p->zoom &&
	       p->ld_map == p->map && p->ld_gen == a->pv.gen;
}

/* Whether the live map keeps its cells: its process's fingerprint held
 * still since the last full read, not too long ago (still.h: what the
 * fingerprint cannot see, zero pages dropped with MADV_DONTNEED or pages
 * a debugger faulted in, shows at the next full read).  Without mark
 * (a new view, a forced read) the cells are read and the fingerprint
 * taken afresh.  Kept cells lose the marks of the last change. */
static bool map_holds_still(struct pages_screen *p, struct app *a, bool mark)
{
	size_t i, n;

	if (!mark)
		still_forget(&p->map_still);
	if (!still_holds(&p->map_still, a->root, a->pv.pid))
		return false;
	for (i = 0, n = (size_t)p->h * (size_t)p->cols; i < n; i++)
		p->cells[i].changed = false;
	p->any_changed = false;
	return true;
}

/* Read the map's visible cells, the last read kept to compare with.
 * Returns 1 when a cell differs from the last read, 0, or -1. */
static int load_cells(struct pages_screen *p, struct pages_ctx *pc,
		      bool same, bool mark, struct vms_err *e)
{
	size_t i, n = (size_t)p->h * (size_t)p->cols;
	struct pagegrid_cell *t;
	bool differs = false;

	if (!grow((void **)&p->cells, &p->cells_cap, n, sizeof *p->cells,
		  (void **)&p->pcells)) {
		err_set(e, ENOMEM, "out of memory for %zu map cells", n);
		return -1;
	}
	/* the last read becomes prev */
	t = p->pcells;
	p->pcells = p->cells;
	p->cells = t;
	if (pages_map_load(p, pc, same, e) < 0)
		return -1;
	p->any_changed = false;
	for (i = 0; i < n; i++) {
		bool d = same && pagegrid_cell_differs(&p->cells[i], &p->pcells[i]);

		differs |= d;
		p->cells[i].changed = mark && d;
		p->any_changed |= mark && d;
	}
	return differs;
}

/* Read the table's visible rows, likewise. */
static int load_rows(struct pages_screen *p, struct app *a,
		     struct pages_ctx *pc, bool same, bool mark,
		     struct vms_err *e)
{
	size_t i, n = (size_t)p->h;
	struct pages_row *t;
	bool differs = false;

	if (!grow((void **)&p->rows, &p->rows_cap, n, sizeof *p->rows,
		  (void **)&p->prow) ||
	    !grow((void **)&p->pis, &p->pis_cap, n, sizeof *p->pis, NULL)) {
		err_set(e, ENOMEM, "out of memory for %zu rows", n);
		return -1;
	}
	t = p->prow;
	p->prow = p->rows;
	p->rows = t;
	if (pages_table_load(p, a, pc, e) < 0)
		return -1;
	p->any_changed = false;
	for (i = 0; i < n; i++) {
		bool d = same && pages_table_row_differs(&p->rows[i], &p->prow[i]);

		differs |= d;
		p->rows[i].changed = mark && d;
		p->any_changed |= mark && d;
	}
	return differs;
}

/* Read the visible rows.  With mark, compare with the last read of the
 * same view and mark what changed.  Returns 1 when the screen differs. */
static int load(struct pages_screen *p, struct app *a, bool mark,
		struct vms_err *e)
{
	struct pages_ctx *pc = procview_pages(&a->pv, e);
	bool same = loaded_same(p, a), had = p->any_changed;
	int d;

	if (!pc)
		return -1;
	mark = mark && same;
	if (p->map && map_holds_still(p, a, mark))
		return had;
	if (p->map) {
		still_read_start(&p->map_still);
		d = load_cells(p, pc, same, mark, e);
		still_read_end(&p->map_still);
	} else {
		d = load_rows(p, a, pc, same, mark, e);
	}
	if (d < 0) {
		p->ld_ok = false;
		return -1;
	}
	p->ld_ok = true;
	p->ld_top = p->top;
	p->ld_h = p->h;
	p->ld_cols = p->cols;
	p->ld_zoom = p->zoom;
	p->ld_map = p->map;
	p->ld_gen = a->pv.gen;
	return !same || d || had;
}

/* ---- screen interface ---- */

static unsigned pages_context(struct screen *s)
{
	return PG(s)->map ? CTX_MAP : CTX_TABLE;
}

/* A new layout, the cursor kept on its screen row when anchored. */
static int relayout(struct pages_screen *p, struct app *a, int w,
		    struct vms_err *e)
{
	p->w = w;
	if (pages_layout_build(p, a, e) < 0)
		return -1;
	pages_layout_snap(p);
	if (p->anchor) {
		uint64_t r = pages_layout_cur_row(p);

		p->top = r >= p->anchor_off ? r - p->anchor_off : 0;
		p->anchor = false;
	}
	pages_layout_show_cursor(p);
	return 0;
}

static int pages_update(struct screen *s, struct app *a, int h, int w,
			bool re, struct vms_err *e)
{
	struct pages_screen *p = PG(s);
	int rc = 0, lr;
	bool mark = re && !s->stale;

	if (re || s->stale) {
		int r = 0;

		if (s->stale || !still_holds(&p->layout_still, a->root,
					     a->pv.pid)) {
			still_read_start(&p->layout_still);
			r = procview_refresh(&a->pv, false, e);
			still_read_end(&p->layout_still);
		}
		if (r < 0)
			return -1;
		rc |= r;
	}
	s->stale = false;
	if (!a->pv.vmas.n) {
		err_set(e, VMS_ENOPROC, "process %d has no mappings left",
			a->pv.pid);
		return -1;
	}
	/* the header (table) or legend (map) above the rows; the flags
	 * legend (table) or address ruler (map) below */
	p->h = h - 2 > 1 ? h - 2 : 1;
	if (!p->lay_ok || p->lay_gen != a->pv.gen || p->lay_map != p->map ||
	    p->lay_zoom != p->zoom || (p->map && p->lay_cols != w)) {
		if (relayout(p, a, w, e) < 0)
			return -1;
		rc = 1;
		mark = false;
	}
	p->w = w;
	pages_layout_show_cursor(p);
	if (!re && loaded_same(p, a))
		return rc;
	lr = load(p, a, mark, e);
	if (lr < 0)
		return -1;
	return rc | lr;
}

static void pages_draw(struct screen *s, struct app *a, int y, int h, int w)
{
	struct pages_screen *p = PG(s);

	(void)h;
	if (!pages_layout_ok(p) || !p->ld_ok)
		return;
	if (p->map)
		pages_map_draw(p, a, y, w);
	else
		pages_table_draw(p, a, y, w);
}

static void pages_title(struct screen *s, struct app *a, char *buf, size_t n)
{
	struct pages_screen *p = PG(s);
	const struct vma *v = vmas_find(&a->pv.vmas, p->cur);
	char comm[128], name[256], form[64];

	escape_text(comm, sizeof comm, a->pv.comm, strlen(a->pv.comm));
	if (p->map)
		snprintf(form, sizeof form, "map %llu pg/cell",
			 (unsigned long long)(UINT64_C(1) << p->zoom));
	else
		snprintf(form, sizeof form, "table");
	if (!v) {
		snprintf(buf, n, "PID %d %s | hole | %s", a->pv.pid, comm, form);
		return;
	}
	escape_text(name, sizeof name, v->name ? v->name : "",
		    v->name ? strlen(v->name) : 0);
	snprintf(buf, n, "PID %d %s | %s | %llx-%llx %s %s %s", a->pv.pid, comm,
		 form, (unsigned long long)v->start, (unsigned long long)v->end,
		 v->perms, vma_kind_name(v->kind), name);
}

static void pages_info(struct screen *s, struct app *a, char *buf, size_t n,
		       int *elem)
{
	struct pages_screen *p = PG(s);
	uint64_t crow;

	*elem = EL_INFO;
	buf[0] = '\0';
	if (!pages_layout_ok(p) || !p->ld_ok)
		return;
	crow = pages_layout_cur_row(p);
	if (crow < p->top || crow >= p->top + (uint64_t)p->h)
		return;
	if (p->map)
		pages_map_info(p, a, &p->cells[(size_t)(crow - p->top) * (size_t)p->cols +
					       (size_t)pages_layout_cur_col(p)],
			       buf, n, elem);
	else
		pages_table_info(p, &p->rows[crow - p->top], buf, n, elem);
}

/* ---- actions ---- */

/* The first page of segment si. */
static uint64_t seg_start(const struct pages_screen *p, size_t si)
{
	struct pages_seg sg;

	pages_layout_seg_at(p, si, &sg);
	return sg.start;
}

/* End: the last page (or cell) of this segment; from there, of the
 * last one. */
static void jump_end(struct pages_screen *p, size_t si)
{
	struct pages_seg sg;
	uint64_t last;

	pages_layout_seg_at(p, si, &sg);
	last = sg.hole ? sg.start : sg.end - (UINT64_C(1) << p->shift);
	if (p->cur >= last - (p->map ? ((UINT64_C(1) << p->zoom) - 1) << p->shift : 0) &&
	    si + 1 < p->nsegs) {
		pages_layout_seg_at(p, p->nsegs - 1, &sg);
		last = sg.end - (UINT64_C(1) << p->shift);
	}
	p->cur = last;
}

/* Segment 2i+1 is VMA i, 2i the hole before it: the VMA before the
 * one of si (or before the hole si), the first VMA at the first. */
static void jump_prev_vma(struct pages_screen *p, size_t si)
{
	struct pages_seg sg;

	pages_layout_seg_at(p, si, &sg);
	if (p->cur != sg.start && !sg.hole) {
		p->cur = sg.start;
		return;
	}
	si = si & 1 ? si - 1 : si;
	p->cur = seg_start(p, si >= 2 ? si - 1 : 1);
}

/* The moves: false when act is not one. */
static bool move_action(struct pages_screen *p, enum action act, size_t si)
{
	int64_t page = p->h > 1 ? p->h - 1 : 1;
	uint64_t here = seg_start(p, si);
	size_t next = (si | 1) + (si & 1 ? 2 : 0);

	switch (act) {
	case ACT_UP: pages_layout_move_rows(p, -1); break;
	case ACT_DOWN: pages_layout_move_rows(p, 1); break;
	case ACT_PGUP: pages_layout_move_rows(p, -page); break;
	case ACT_PGDN: pages_layout_move_rows(p, page); break;
	case ACT_LEFT: pages_layout_move_cells(p, -1); break;
	case ACT_RIGHT: pages_layout_move_cells(p, 1); break;
	case ACT_HOME:
		p->cur = p->cur == here ? seg_start(p, 1) : here;
		p->want_col = 0;
		break;
	case ACT_END: jump_end(p, si); break;
	case ACT_NEXT_VMA:
		/* the next VMA, past a hole */
		if (next < p->nsegs)
			p->cur = seg_start(p, next);
		break;
	case ACT_PREV_VMA: jump_prev_vma(p, si); break;
	default:
		return false;
	}
	return true;
}

/* The form and the zoom: false when act is neither. */
static bool view_action(struct pages_screen *p, struct app *a,
			enum action act, const struct pages_seg *sg)
{
	unsigned z;

	switch (act) {
	case ACT_FORM:
		p->map = !p->map;
		a->prefer_map = p->map;
		break;
	case ACT_ZOOM_IN:
		if (p->zoom)
			p->zoom--;
		break;
	case ACT_ZOOM_OUT:
		if (p->zoom < PAGES_MAX_ZOOM)
			p->zoom++;
		break;
	case ACT_ZOOM_FIT:
		z = sg->hole ? 0 : pagegrid_fit_zoom(pages_layout_npages(p, sg),
						     (uint64_t)p->h * (uint64_t)p->cols,
						     PAGES_MAX_ZOOM);
		p->zoom = p->zoom == z ? 0 : z;
		break;
	default:
		return false;
	}
	return true;
}

/* p: the physical map at the page's physical address. */
static bool phys_action(struct pages_screen *p, struct app *a)
{
	uint64_t crow = pages_layout_cur_row(p), ph;

	if (p->map || !p->ld_ok || crow < p->top ||
	    crow >= p->top + (uint64_t)p->h)
		return false;   /* the map opens without an address */
	if (pages_table_row_phys(p, a, &p->rows[crow - p->top], &ph)) {
		app_open_phys(a, true, ph);
	} else {
		app_open_phys(a, false, 0);
		app_message(a, EL_WARN,
			    "this page has no known physical address: the map opens without one");
	}
	return true;
}

/* w: which processes map the selected page's frame (a gap page: the
 * frame its physical address, from UIO sysfs or /dev/mem, is in). */
static bool rmap_action(struct pages_screen *p, struct app *a)
{
	uint64_t crow = pages_layout_cur_row(p), ph;
	char lab[128];

	if (p->map || !p->ld_ok || crow < p->top ||
	    crow >= p->top + (uint64_t)p->h)
		return false;
	if (!pages_table_row_phys(p, a, &p->rows[crow - p->top], &ph)) {
		app_message(a, EL_WARN,
			    "this page has no known physical address: no frame to look up");
		return true;
	}
	snprintf(lab, sizeof lab, "the frame of page %llx (PFN 0x%llx)",
		 (unsigned long long)p->cur,
		 (unsigned long long)(ph >> a->root->page_shift));
	app_open_rmap(a, ph >> a->root->page_shift,
		      (ph >> a->root->page_shift) + 1, lab);
	return true;
}

/* Enter: a page's detail, or a cell of many pages in the table.  True
 * when handled here; false when the view changes form. */
static bool open_action(struct pages_screen *p, struct app *a,
			const struct pages_seg *sg)
{
	if (sg->hole) {
		app_message(a, EL_WARN, "a hole: no pages here");
		return true;
	}
	if (p->map && p->zoom > 0) {
		/* a cell of many pages: show them in the table */
		p->map = false;
		a->prefer_map = false;
		return false;
	}
	app_open_detail(a, p->cur);
	return true;
}

static bool pages_action(struct screen *s, struct app *a, enum action act)
{
	struct pages_screen *p = PG(s);
	struct pages_seg sg;
	size_t si;

	if (!pages_layout_ok(p))
		return false;
	si = pages_layout_seg_of_addr(p, p->cur);
	pages_layout_seg_at(p, si, &sg);
	if (act == ACT_FORM || act == ACT_ZOOM_IN || act == ACT_ZOOM_OUT ||
	    act == ACT_ZOOM_FIT) {
		uint64_t r = pages_layout_cur_row(p);

		p->anchor = true;
		p->anchor_off = r >= p->top ? r - p->top : 0;
	}
	if (act == ACT_PHYS)
		return phys_action(p, a);
	if (act == ACT_RMAP)
		return rmap_action(p, a);
	if (act == ACT_DECODE)
		return pages_decode_action(p, a);
	if (act == ACT_OPEN) {
		if (open_action(p, a, &sg))
			return true;
	} else if (!move_action(p, act, si) && !view_action(p, a, act, &sg)) {
		return false;
	}
	if (act != ACT_UP && act != ACT_DOWN && act != ACT_PGUP &&
	    act != ACT_PGDN)
		p->want_col = 0;
	if (act == ACT_LEFT || act == ACT_RIGHT)
		p->want_col = pages_layout_cur_col(p);
	pages_layout_snap(p);
	if (p->lay_map == p->map && p->lay_zoom == p->zoom)
		pages_layout_show_cursor(p);
	else
		p->lay_ok = false;
	s->dirty = true;
	return true;
}

static bool pages_goto(struct screen *s, struct app *a, uint64_t addr)
{
	struct pages_screen *p = PG(s);

	(void)a;
	p->cur = addr & ~((UINT64_C(1) << p->shift) - 1);
	if (pages_layout_ok(p)) {
		pages_layout_snap(p);
		pages_layout_show_cursor(p);
		/* show the target near the top, with a row of context */
		{
			uint64_t r = pages_layout_cur_row(p);

			p->top = r > 0 ? r - 1 : 0;
			pages_layout_show_cursor(p);
		}
	}
	s->dirty = true;
	return true;
}

static bool pages_search(struct screen *s, struct app *a, const char *text,
			 int dir, bool from_here)
{
	uint64_t addr;

	(void)dir;
	(void)from_here;
	if (!parse_addr(text, &addr))
		return false;
	if (!a->pv.vmas.n || addr < a->pv.vmas.v[0].start ||
	    addr >= a->pv.vmas.v[a->pv.vmas.n - 1].end)
		return false;
	return pages_goto(s, a, addr);
}

static void pages_destroy(struct screen *s)
{
	struct pages_screen *p = PG(s);

	pages_layout_free(p);
	free(p->rows);
	free(p->prow);
	free(p->cells);
	free(p->pcells);
	pagegrid_reader_free(&p->rd);
	free(p->pis);
	free(p);
}

static const struct screen_ops pages_ops = {
	.name = "pages",
	.context = pages_context,
	.update = pages_update,
	.draw = pages_draw,
	.info = pages_info,
	.title = pages_title,
	.action = pages_action,
	.search = pages_search,
	.filter = NULL,
	.goto_addr = pages_goto,
	.destroy = pages_destroy,
};

struct screen *screen_pages_new(struct app *a, uint64_t addr, bool map,
				struct vms_err *e)
{
	struct pages_screen *p;

	if (!procview_pages(&a->pv, e))
		return NULL;
	p = calloc(1, sizeof *p);
	if (!p) {
		err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	if (pagegrid_reader_init(&p->rd, e) < 0) {
		free(p);
		return NULL;
	}
	p->base.ops = &pages_ops;
	p->base.is_process = true;
	p->map = map;
	p->shift = a->root->page_shift;
	p->cur = addr;
	p->h = 1;
	/* the first layout puts the cursor at the top */
	p->top = UINT64_MAX;
	return &p->base;
}
