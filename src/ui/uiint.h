/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uiint: what the UI's files share: the app (event loop, screen stack,
 * the open process), the screen interface, themes, drawing, the key and
 * command tables.  Screens include this and the core headers, never one
 * another: they ask the app to open other screens. */
#ifndef VMSCOPE_UIINT_H
#define VMSCOPE_UIINT_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#if defined(__has_include)
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif
#else
#include <curses.h>
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ui.h"
#include "vmscope/err.h"
#include "vmscope/root.h"
#include "vmscope/vmas.h"
#include "vmscope/pages.h"
#include "vmscope/kranges.h"

/* Smallest terminal the screens draw in; below it only a message. */
#define UI_MIN_COLS 30
#define UI_MIN_LINES 8

/* ---- themes (theme.c) ---- */

enum elem {
	EL_NORMAL, EL_TITLE, EL_HEADER, EL_SELECTED, EL_STATUS, EL_INFO,
	EL_MESSAGE, EL_ERROR, EL_CHANGED, EL_DIM, EL_KEY, EL_CMDLINE,
	EL_BORDER, EL_WARN,
	/* VMA rows by what they are */
	EL_VMA_ANON, EL_VMA_FILE, EL_VMA_STACK, EL_VMA_SPECIAL, EL_VMA_GUARD,
	EL_VMA_GAP, EL_VMA_HOLE,
	/* page cells and rows by state (order of enum page_state) */
	EL_PAGE_NOT_PRESENT, EL_PAGE_ANON, EL_PAGE_FILE, EL_PAGE_THP,
	EL_PAGE_HUGETLB, EL_PAGE_ZERO, EL_PAGE_KSM, EL_PAGE_SWAPPED,
	EL_PAGE_PRESENT, EL_PAGE_GAP, EL_PAGE_HOLE,
	EL__COUNT
};

struct theme {
	char name[64];
	bool color;              /* uses colour pairs */
	attr_t attr[EL__COUNT];  /* full attribute incl. COLOR_PAIR */
};

/* Load theme name (or a path containing '/') into t.  Searches
 * $XDG_CONFIG_HOME/vmscope/themes, the source tree's themes/ next to the
 * binary, VMSCOPE_DATADIR/themes, then the built-in default and mono.
 * Needs curses started (colour pairs).  When the terminal has no colours
 * any theme loads as mono. */
int theme_load(struct theme *t, const char *name, struct vms_err *e);
/* Parse theme text onto t (pure but for init_pair). */
int theme_parse(struct theme *t, const char *text, struct vms_err *e);
/* Names of the themes found (malloc'd array of malloc'd strings, NULL
 * terminated). */
char **theme_list(void);
void theme_list_free(char **l);
const char *theme_elem_name(enum elem el);
/* Whether the terminal and environment allow colour (NO_COLOR unset). */
bool theme_color_allowed(void);

/* ---- drawing (draw.c) ---- */

void draw_setup(bool utf8);
bool draw_utf8(void);
/* Text already safe for the terminal (escaped or ours), clipped to
 * width columns; pad with spaces to width when pad.  Returns columns. */
int draw_text(int y, int x, int width, attr_t a, const char *s, bool pad);
/* Like draw_text, but when s is too wide keep its end (paths). */
int draw_text_tail(int y, int x, int width, attr_t a, const char *s);
/* Untrusted process text: escaped (escape_text) then drawn. */
int draw_untrusted(int y, int x, int width, attr_t a, const char *s,
		   bool pad);
void draw_fill(int y, int x, int width, attr_t a);
void draw_hline(int y, int x, int width, attr_t a);
void draw_box(int y, int x, int h, int w, attr_t a);
/* printf into a buffer then draw_text. */
int draw_fmt(int y, int x, int width, attr_t a, bool pad, const char *fmt,
	     ...) __attribute__((format(printf, 6, 7)));
/* Display columns of a UTF-8 string. */
int text_width(const char *s);
/* Word-wrap text into up to max lines of width columns; returns the
 * number of lines. */
int wrap_text(const char *text, int width, char lines[][256], int max);
/* "4.0K", "1.5G", "16E": bytes in binary units. */
/* Hex address with at least digits digits (no 0x). */
void fmt_addr(char *buf, size_t n, uint64_t a, int digits);

/* ---- keys and commands (keys.c) ---- */

enum action {
	ACT_NONE, ACT_UP, ACT_DOWN, ACT_LEFT, ACT_RIGHT, ACT_PGUP, ACT_PGDN,
	ACT_HOME, ACT_END, ACT_OPEN, ACT_BACK, ACT_SEARCH, ACT_SEARCH_NEXT,
	ACT_SEARCH_PREV, ACT_HELP, ACT_QUIT, ACT_CMDLINE, ACT_PAUSE,
	ACT_DELAY, ACT_FORM, ACT_ZOOM_IN, ACT_ZOOM_OUT, ACT_ZOOM_FIT,
	ACT_SORT_NEXT, ACT_SORT_PREV, ACT_SORT_REV, ACT_FILTER, ACT_KTHREADS,
	ACT_REDRAW, ACT_NEXT_VMA, ACT_PREV_VMA,
	ACT_KERNEL, ACT_PHYS, ACT_RMAP, ACT_REREAD,
	ACT__COUNT
};

/* Key contexts: a screen says which it is in; a binding lists where it
 * applies.  Lookup takes the first binding of the table that matches. */
enum {
	CTX_PROCS = 1, CTX_VMAS = 2, CTX_TABLE = 4, CTX_MAP = 8,
	CTX_DETAIL = 16, CTX_HELP = 32, CTX_KERNEL = 64, CTX_PHYS = 128,
	CTX_FRAMES = 256, CTX_RMAP = 512,
	CTX_LISTS = CTX_PROCS | CTX_VMAS | CTX_TABLE | CTX_DETAIL | CTX_HELP |
		    CTX_KERNEL | CTX_PHYS | CTX_FRAMES | CTX_RMAP,
	CTX_ALL = 1023,
};

#define KEYS_MAX_PER_BINDING 4
struct key_binding {
	enum action act;
	unsigned ctx;
	int keys[KEYS_MAX_PER_BINDING];   /* 0 ends */
	const char *label;                /* "Up k" */
	const char *help;
};
extern const struct key_binding key_table[];   /* ends with ACT_NONE */
enum action keys_lookup(unsigned ctx, int ch);
const char *keys_ctx_name(unsigned ctx);
/* Every key, command and legend entry, as the help screen lists them. */
void keys_reference(void (*emit)(void *arg, bool header, const char *key,
				   const char *text),
		    void *arg);

struct command_def {
	const char *name;
	const char *args;     /* "ADDR", "" */
	const char *help;
	int complete;         /* CMPL_* for the first argument */
};
enum { CMPL_NONE, CMPL_THEME, CMPL_PID, CMPL_VMA };
extern const struct command_def command_table[]; /* ends with name NULL */

/* ---- the open process, shared by its screens (procview.c) ---- */

struct procview {
	const struct vms_root *root;
	int pid;
	char comm[64];          /* raw: escape before display */
	struct vma_list vmas;   /* sorted, classified, with smaps data */
	unsigned gen;           /* bumps whenever the VMA layout changes */
	bool smaps_fresh;       /* smaps re-read at the last refresh */
	struct pages_ctx pc;
	bool pc_open;
};

int procview_open(struct procview *pv, const struct vms_root *r, int pid,
		  const char *comm, struct vms_err *e);
void procview_close(struct procview *pv);
/* Re-read the VMAs: with_smaps re-reads smaps (RSS per VMA); without,
 * only maps, keeping the smaps data while the layout is unchanged.
 * Returns 1 when the layout changed, 0 when not, -1 on error
 * (VMS_ENOPROC: the process is gone). */
int procview_refresh(struct procview *pv, bool with_smaps,
		     struct vms_err *e);
/* The pages context, opened on first use. */
struct pages_ctx *procview_pages(struct procview *pv, struct vms_err *e);
/* The VMAs and the holes between them as rows, numbered without a copy
 * of any VMA (100,000 of them are 40 MB): row 2i+1 is VMA i, row 2i the
 * hole before it, filled into *hole (vmas_hole_before), or NULL when
 * there is none there.  Rows run up to procview_rows(), in address
 * order; a row past the end is NULL too. */
size_t procview_rows(const struct procview *pv);
const struct vma *procview_row(const struct procview *pv, size_t r,
			       struct vma *hole);

/* ---- the machine's map, shared by the kernel and physical screens and
 * the page screens' annotations (krview.c) ---- */

struct krview {
	struct kranges k;
	bool loaded;            /* k holds a model (maybe an empty one) */
	bool full;              /* virtual ranges (kallsyms, modules) too */
	bool failed;            /* the last load failed: err says why */
	char err[256];
	unsigned gen;           /* bumps at every load: indices into k.r and
	                         * pointers into it are stale after that */
	double load_ms;
	struct kpage kp;        /* kpageflags/kpagecount, for the heat strip
	                         * and the frames screen */
	bool kp_open;
};

struct app;

/* The model, loaded on first use (once per root): phys_only unless virt
 * is asked for, read again in full the first time it is.  NULL with e set
 * when it cannot be read. */
const struct kranges *krview_get(struct app *a, bool virt,
				 struct vms_err *e);
/* Read the sources again (an explicit refresh); keeps the fullness. */
int krview_reload(struct app *a, struct vms_err *e);
/* kpage opened under the root; NULL with e saying why (not root...). */
struct kpage *krview_kpage(struct app *a, unsigned which, struct vms_err *e);
void krview_free(struct app *a);
/* "System RAM > Kernel code (/proc/iomem line 7)", escaped, for a
 * physical address; false (buf says why, or is empty) when no range. */
bool krview_annotate(struct app *a, uint64_t phys, bool with_source,
		     char *buf, size_t n);
/* "iomem:7", "boot log:40": a source in a few columns. */
/* A range's sources and a hidden entry as wrapped, escaped panel lines
 * (the kernel and physical screens); each returns the lines written. */
int krview_src_lines(const struct kranges *k, const struct krange *kr,
		     char lines[][256], int max, int w);
int krview_hidden_lines(const struct kranges *k,
			const struct krange_hidden *hd, char lines[][256],
			int max, int w);
/* Theme element for a range by its kind. */
int krview_kind_elem(const struct krange *r);
/* Theme element and glyph for a heat category. */
int krview_heat_elem(enum kheat_cat c);
const char *krview_heat_glyph(enum kheat_cat c);
/* Options for kranges_rmap of [pfn_lo, pfn_hi) in range r (NULL:
 * unknown): pagemaps for RAM, PFNMAP mappings for device memory (and
 * wherever UIO or /dev/mem exist). */
void krview_rmap_opts(struct app *a, const struct krange *r,
		      uint64_t pfn_lo, uint64_t pfn_hi,
		      struct krmap_opts *o);
/* Hex digits for the physical addresses of the model: at least 8. */
int krview_phys_digits(const struct kranges *k);

/* ---- screens ---- */

struct screen;

struct screen_ops {
	const char *name;
	unsigned (*context)(struct screen *s);
	/* Bring the data up to date for the body size h x w.  reread: a
	 * timer tick (read again and mark what changed); otherwise read
	 * only when the view moved.  Returns 1 when the screen must be
	 * drawn again, 0 when nothing changed, -1 on error. */
	int (*update)(struct screen *s, struct app *a, int h, int w,
		      bool reread, struct vms_err *e);
	/* Draw the body at rows y..y+h-1. */
	void (*draw)(struct screen *s, struct app *a, int y, int h, int w);
	/* One line about the selected item (may be ""). */
	void (*info)(struct screen *s, struct app *a, char *buf, size_t n,
		     int *elem);
	void (*title)(struct screen *s, struct app *a, char *buf, size_t n);
	/* Handle an action; false when the screen does not use it. */
	bool (*action)(struct screen *s, struct app *a, enum action act);
	/* Move the selection to the next item matching text in direction
	 * dir (+1/-1), starting at the selection when from_here. */
	bool (*search)(struct screen *s, struct app *a, const char *text,
		       int dir, bool from_here);
	/* :filter TEXT ("" clears); NULL when the screen has none. */
	void (*filter)(struct screen *s, struct app *a, const char *text);
	/* :goto on this screen; NULL: the app opens the pages screen. */
	bool (*goto_addr)(struct screen *s, struct app *a, uint64_t addr);
	void (*destroy)(struct screen *s);
};

struct screen {
	const struct screen_ops *ops;
	bool dirty;     /* draw again even without new data */
	bool stale;     /* shown again after a while: re-read, mark nothing */
	bool is_process; /* belongs to the open process */
	bool busy;      /* work left (done in slices): update again soon */
};

struct screen *screen_procs_new(struct app *a, struct vms_err *e);
struct screen *screen_vmas_new(struct app *a, uint64_t select_addr,
			       struct vms_err *e);
struct screen *screen_pages_new(struct app *a, uint64_t addr, bool map,
				struct vms_err *e);
struct screen *screen_detail_new(struct app *a, uint64_t addr,
				 struct vms_err *e);
struct screen *screen_help_new(struct app *a, struct vms_err *e);
/* The kernel's virtual layout; with has_addr the range holding addr is
 * selected. */
struct screen *screen_kernel_new(struct app *a, bool has_addr, uint64_t addr,
				 struct vms_err *e);
/* The physical map and the heat strip of RAM; with has_addr the range
 * holding the physical address addr is selected. */
struct screen *screen_phys_new(struct app *a, bool has_addr, uint64_t addr,
			       struct vms_err *e);
/* The page frames of the physical range [start, end) (label: its path,
 * raw), the cursor on the frame of sel (if inside). */
struct screen *screen_frames_new(struct app *a, uint64_t start, uint64_t end,
				 const char *label, uint64_t sel,
				 struct vms_err *e);
/* Which processes map the frames [pfn_lo, pfn_hi) (label: raw). */
struct screen *screen_rmap_new(struct app *a, uint64_t pfn_lo,
			       uint64_t pfn_hi, const char *label,
			       struct vms_err *e);

/* ---- the app (app.c) ---- */

#define APP_STACK_MAX 8

struct cmdline;

struct app {
	const struct vms_root *root;
	struct ui_opts opts;
	struct theme theme;
	bool utf8;
	double delay;
	bool paused;
	bool quit;
	struct screen *stack[APP_STACK_MAX];
	int depth;
	struct procview pv;
	bool pv_open;
	char msg[512];
	int msg_elem;
	double msg_until;
	bool need_draw;
	double next_tick;
	/* incremental search */
	bool searching;
	char search[128];
	char last_search[128];
	struct cmdline *cl;
	/* what the hidden-PFN notice says */
	bool pfn_hidden;
	/* the pages form the person chose last (map or table) */
	bool prefer_map;
	/* the machine's map (krview.c) */
	struct krview kv;
	/* refresh statistics for the bench */
	unsigned long ticks, draws;
};

attr_t app_attr(struct app *a, int elem);
/* A message on the info line for a few seconds (elem EL_MESSAGE or
 * EL_ERROR). */
void app_message(struct app *a, int elem, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Open a process (replaces any open one): VMAs screen above the list. */
int app_open_process(struct app *a, int pid, const char *comm,
		     struct vms_err *e);
/* Push screens for the open process. */
int app_open_pages(struct app *a, uint64_t addr, bool map);
int app_open_detail(struct app *a, uint64_t addr);
void app_open_help(struct app *a);
/* The kernel and physical screens (reused when on top already). */
void app_open_kernel(struct app *a, bool has_addr, uint64_t addr);
void app_open_phys(struct app *a, bool has_addr, uint64_t addr);
int app_open_frames(struct app *a, uint64_t start, uint64_t end,
		    const char *label, uint64_t sel);
int app_open_rmap(struct app *a, uint64_t pfn_lo, uint64_t pfn_hi,
		  const char *label);
/* Open process pid at the page of vaddr (its detail). */
int app_open_process_at(struct app *a, int pid, const char *comm,
			uint64_t vaddr);
/* A live-only action on a snapshot: says so; true when it was one. */
bool app_snapshot_refuses(struct app *a, const char *what);
void app_back(struct app *a);
/* The process vanished or failed: message, back to the list. */
void app_process_gone(struct app *a, const struct vms_err *e);
/* Run a ":" command line. */
void app_command(struct app *a, const char *line);
/* Candidates for completion (malloc'd NULL-terminated array). */
char **app_complete(struct app *a, int kind, const char *text);
double app_now(void);

/* ---- the command line (cmdline.c) ---- */

int cmdline_init(struct app *a);
void cmdline_free(struct app *a);
void cmdline_open(struct app *a, const char *prefill);
bool cmdline_active(struct app *a);
/* Feed one key read from the command window. */
void cmdline_key(struct app *a, int ch);
void cmdline_draw(struct app *a);
void cmdline_resize(struct app *a);
WINDOW *cmdline_window(struct app *a);

/* ---- shared list helpers ---- */

/* Keep sel in [0, n) and the view top so that sel is visible in h rows. */
void list_clamp(long *sel, long *top, long n, int h);
/* Apply a movement action to a list selection; true when used. */
bool list_move(long *sel, long n, int h, enum action act);
/* Case-insensitive substring. */
bool text_match(const char *hay, const char *needle);
/* Parse "0x7f..", "7f..", with optional k/m/g suffix? no: hex address. */
bool parse_addr(const char *s, uint64_t *out);

#endif
