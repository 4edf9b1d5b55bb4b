/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pages_rows: the lines of `vmscope pages`, text or JSON. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "pages_rows.h"
#include "util.h"
#include "vmscope/escape.h"

int pages_rows_open(struct pages_rows *pr, struct pages_ctx *c,
		    const struct cli_opts *o, int w)
{
	memset(pr, 0, sizeof *pr);
	pr->o = o;
	pr->c = c;
	pr->w = w;
	outbuf_init(&pr->ob, stdout);
	return pr->ob.b ? 0 : -1;
}

int pages_rows_close(struct pages_rows *pr)
{
	size_t i;

	for (i = 0; i < PAGES_ROWS_MEMO; i++) {
		free(pr->cg[i].text);
		free(pr->fl[i].text);
	}
	util_page_json_memo_free(&pr->jm);
	return outbuf_free(&pr->ob);
}

static size_t memo_slot(uint64_t key)
{
	return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 58);
}

/* The escaped cgroup path of a page, escaped once per cgroup; "-" when
 * unknown. */
static const char *cgroup_text(struct pages_rows *pr,
			       const struct page_info *p, size_t *len)
{
	size_t s = memo_slot(p->cg_ino);
	const char *cg;
	char *t;

	if (p->have_kpage && p->cg_ino && pr->cg[s].ino == p->cg_ino &&
	    pr->cg[s].text) {
		*len = pr->cg[s].len;
		return pr->cg[s].text;
	}
	cg = pages_cgroup(pr->c, p);
	t = cg ? escape_dup(cg) : NULL;
	if (!t) {
		*len = 1;
		return cg ? "?" : "-";
	}
	free(pr->cg[s].text);
	pr->cg[s].ino = p->cg_ino;
	pr->cg[s].text = t;
	pr->cg[s].len = *len = strlen(t);
	return t;
}

/* pagemap's own bits shown with the flags: they are not in kpageflags */
static unsigned pm_bits(const struct pagemap_entry *pe)
{
	return (unsigned)pe->exclusive | (unsigned)pe->soft_dirty << 1 |
	       (unsigned)pe->uffd_wp << 2 | (unsigned)pe->guard << 3;
}

static void add_pm_flags(char *flags, size_t n, unsigned bits)
{
	static const char *const names[4] = { "excl", "sd", "uffd-wp", "guard" };
	unsigned b;

	for (b = 0; b < 4; b++) {
		if (!(bits >> b & 1))
			continue;
		if (flags[0])
			strncat(flags, ",", n - strlen(flags) - 1);
		strncat(flags, names[b], n - strlen(flags) - 1);
	}
}

/* The FLAGS column of a page, formatted once per set of flags. */
static const char *flags_text(struct pages_rows *pr,
			      const struct page_info *p, unsigned bits,
			      size_t *len)
{
	uint64_t key = (uint64_t)bits | (uint64_t)p->have_kpage << 4 |
		       (uint64_t)p->frame << 8;
	uint64_t kf = p->have_kpage ? p->kflags : 0;
	size_t s = memo_slot(kf ^ key * 0x100000001b3u);
	char flags[1024] = "";

	if (pr->fl[s].text && pr->fl[s].kflags == kf && pr->fl[s].key == key) {
		*len = pr->fl[s].len;
		return pr->fl[s].text;
	}
	if (p->have_kpage)
		kpage_flags_format_for(p->kflags, pr->c->pm.layout.kver, ",",
				       flags, sizeof flags);
	else if (p->frame != KPAGE_REC_YES)
		snprintf(flags, sizeof flags, "(%s)",
			 kpage_rec_short((enum kpage_rec)p->frame));
	add_pm_flags(flags, sizeof flags, bits);
	if (!flags[0])
		strcpy(flags, "-");
	free(pr->fl[s].text);
	pr->fl[s].text = strdup(flags);
	pr->fl[s].kflags = kf;
	pr->fl[s].key = key;
	*len = pr->fl[s].len = strlen(flags);
	return pr->fl[s].text ? pr->fl[s].text : "-";
}

/* The PFN and PHYS columns of a page. */
static void pfn_phys(struct pages_rows *pr, const struct page_info *p,
		     const struct pagemap_entry *pe, const struct gap_rows *gp,
		     char *pfn, char *phys)
{
	const struct vms_root *r = pr->c->root;

	strcpy(pfn, "-");
	strcpy(phys, "-");
	if (p->state == PAGE_GAP) {
		strcpy(pfn, "no-page");
		if (gp)
			*outbuf_fmt_hex(stpcpy(phys, "0x"),
					gp->phys0 + (p->vaddr - gp->vaddr0), 0) = '\0';
		else
			strcpy(phys, "unknown");
	} else if (pe->present && !r->pfn_visible) {
		strcpy(pfn, "hidden");
		strcpy(phys, "hidden");
	} else if (pe->present) {
		*outbuf_fmt_hex(stpcpy(pfn, "0x"), pe->pfn, 0) = '\0';
		*outbuf_fmt_hex(stpcpy(phys, "0x"), pe->pfn << r->page_shift,
				0) = '\0';
	} else if (pe->swapped && !pe->guard) {
		char *e = outbuf_fmt_dec(stpcpy(pfn, "swap:"), pe->swap_type);

		*outbuf_fmt_hex(stpcpy(e, "/0x"), pe->swap_offset, 0) = '\0';
	}
}

static void text_page(struct pages_rows *pr, const struct page_info *p,
		      const struct gap_rows *gp)
{
	struct pagemap_entry pe;
	char pfn[48], phys[48], count[24] = "-", *d;
	const char *state, *cg = "-", *fl;
	size_t cgl = 1, fll, cl = 1;

	pagemap_decode(p->pm, &pr->c->pm.layout, &pe);
	pfn_phys(pr, p, &pe, gp, pfn, phys);
	if (p->have_kpage) {
		cl = (size_t)(outbuf_fmt_dec(count, p->kcount) - count);
		cg = cgroup_text(pr, p, &cgl);
	}
	fl = flags_text(pr, p, pm_bits(&pe), &fll);
	state = page_state_name((enum page_state)p->state);
	d = outbuf_room(&pr->ob, 16 + 96 + 48 * 2 + 24 + cgl + fll + 8);
	d = outbuf_fmt_hex(d, p->vaddr, pr->w);
	*d++ = ' ';
	d = outbuf_fmt_left(d, state, strlen(state), 11);
	*d++ = ' ';
	d = outbuf_fmt_left(d, pfn, strlen(pfn), 14);
	*d++ = ' ';
	d = outbuf_fmt_left(d, phys, strlen(phys), 16);
	*d++ = ' ';
	for (; cl < 5; cl++)
		*d++ = ' ';
	d = stpcpy(d, count);
	*d++ = ' ';
	memcpy(d, cg, cgl);
	d += cgl;
	*d++ = ' ';
	memcpy(d, fl, fll);
	d += fll;
	*d++ = '\n';
	outbuf_commit(&pr->ob, d);
}

void pages_rows_page(struct pages_rows *pr, const struct page_info *p,
		     const struct gap_rows *gp)
{
	struct json *j = &pr->j;

	if (!pr->o->json) {
		text_page(pr, p, gp);
		return;
	}
	json_obj(j, NULL);
	util_page_json_memo(j, pr->c, p, &pr->jm);
	if (p->state == PAGE_GAP && gp) {
		json_hex(j, "gap_phys", gp->phys0 + (p->vaddr - gp->vaddr0));
		json_str(j, "gap_phys_source", gp->source);
	}
	json_close_obj(j);
}

static void json_run(struct pages_rows *pr, const struct page_info *p,
		     uint64_t end, uint64_t n, const struct gap_rows *gp)
{
	struct json *j = &pr->j;
	struct pagemap_entry pe;

	json_obj(j, NULL);
	json_hex(j, "vaddr", p->vaddr);
	json_hex(j, "end", end);
	json_str(j, "state", page_state_name((enum page_state)p->state));
	json_u64(j, "pages", n);
	if (p->state == PAGE_NOT_PRESENT) {
		pagemap_decode(p->pm, &pr->c->pm.layout, &pe);
		json_hex(j, "pagemap_raw", p->pm);
		util_page_json_bits(j, &pe);
	}
	if (p->state == PAGE_GAP && gp) {
		json_hex(j, "gap_phys", gp->phys0 + (p->vaddr - gp->vaddr0));
		json_str(j, "gap_phys_source", gp->source);
	}
	json_close_obj(j);
}

void pages_rows_run(struct pages_rows *pr, const struct page_info *p,
		    uint64_t end, const struct gap_rows *gp)
{
	uint64_t n = (end - p->vaddr) >> pr->c->root->page_shift;
	struct pagemap_entry pe;
	char line[512], flags[64] = "";
	int w = pr->w;

	if (pr->o->json) {
		json_run(pr, p, end, n, gp);
		return;
	}
	if (p->state == PAGE_HOLE) {
		snprintf(line, sizeof line, "%0*" PRIx64 "-%0*" PRIx64 " hole: %" PRIu64 " page%s with no mapping\n",
			 w, p->vaddr, w, end, n, n == 1 ? "" : "s");
	} else if (p->state == PAGE_GAP) {
		int k = snprintf(line, sizeof line, "%0*" PRIx64 "-%0*" PRIx64 " gap: %" PRIu64 " page%s pagemap cannot see",
				 w, p->vaddr, w, end, n, n == 1 ? "" : "s");

		if (gp && k > 0 && (size_t)k < sizeof line) {
			char *src = escape_dup(gp->source);

			snprintf(line + k, sizeof line - (size_t)k, ", physical 0x%" PRIx64 "-0x%" PRIx64 " (%s)",
				 gp->phys0 + (p->vaddr - gp->vaddr0),
				 gp->phys0 + (end - gp->vaddr0), src ? src : "?");
			free(src);
		}
		strncat(line, "\n", sizeof line - strlen(line) - 1);
	} else {
		pagemap_decode(p->pm, &pr->c->pm.layout, &pe);
		add_pm_flags(flags, sizeof flags, pm_bits(&pe));
		snprintf(line, sizeof line, "%0*" PRIx64 "-%0*" PRIx64 " not-present: %" PRIu64 " page%s not in memory or swap%s%s%s\n",
			 w, p->vaddr, w, end, n, n == 1 ? "" : "s",
			 flags[0] ? " (" : "", flags, flags[0] ? ")" : "");
	}
	outbuf_puts(&pr->ob, line);
}
