/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keys: the one key table (lookup and the help screen both read it), and
 * the reference the help screen and --keys print from it and from the
 * command table. */
#include <stdio.h>
#include <string.h>
#include "uicurses.h"
#include "keys.h"
#include "commands.h"
#include "krview.h"
#include "ui.h"
#include "vmscope/kpage.h"
#include "vmscope/kranges.h"

#define CTRL_(c) ((c) & 0x1f)
#define ESC_ 27

/* First match wins: screen-specific bindings come before the general
 * ones they override (Left moves in the map, goes back elsewhere). */
const struct key_binding key_table[] = {
	{ ACT_LEFT, CTX_MAP, { KEY_LEFT, 'h' }, "Left h", "previous cell" },
	{ ACT_RIGHT, CTX_MAP, { KEY_RIGHT, 'l' }, "Right l", "next cell" },
	{ ACT_UP, CTX_ALL, { KEY_UP, 'k' }, "Up k", "move up" },
	{ ACT_DOWN, CTX_ALL, { KEY_DOWN, 'j' }, "Down j", "move down" },
	{ ACT_PGUP, CTX_ALL, { KEY_PPAGE, CTRL_('b') }, "PgUp ^B",
	  "one screen up" },
	{ ACT_PGDN, CTX_ALL, { KEY_NPAGE, CTRL_('f') }, "PgDn ^F",
	  "one screen down" },
	{ ACT_HOME, CTX_ALL, { KEY_HOME, 'g' }, "Home g",
	  "first item (pages: start of this VMA, again: of all)" },
	{ ACT_END, CTX_ALL, { KEY_END, 'G' }, "End G",
	  "last item (pages: end of this VMA, again: of all)" },
	{ ACT_OPEN, CTX_ALL, { '\n', '\r', KEY_ENTER }, "Enter",
	  "open the selected item" },
	{ ACT_OPEN, CTX_PROCS | CTX_VMAS | CTX_TABLE | CTX_KERNEL | CTX_PHYS |
	  CTX_FRAMES | CTX_RMAP, { KEY_RIGHT, 'l' },
	  "Right l", "open the selected item" },
	{ ACT_BACK, CTX_ALL, { ESC_, KEY_BACKSPACE, 127, CTRL_('h') },
	  "Esc Bksp", "back to the previous screen" },
	{ ACT_BACK, CTX_LISTS, { KEY_LEFT, 'h' }, "Left h",
	  "back to the previous screen" },
	{ ACT_NEXT_VMA, CTX_TABLE | CTX_MAP | CTX_DETAIL, { ']', KEY_SRIGHT },
	  "]", "next VMA" },
	{ ACT_PREV_VMA, CTX_TABLE | CTX_MAP | CTX_DETAIL, { '[', KEY_SLEFT },
	  "[", "previous VMA" },
	{ ACT_FORM, CTX_TABLE | CTX_MAP, { 'm', '\t' }, "m Tab",
	  "toggle page table / page map" },
	{ ACT_ZOOM_IN, CTX_MAP, { '+', '=' }, "+",
	  "zoom in: fewer pages per cell" },
	{ ACT_ZOOM_OUT, CTX_MAP, { '-', '_' }, "-",
	  "zoom out: more pages per cell" },
	{ ACT_ZOOM_FIT, CTX_MAP, { 'z' }, "z",
	  "zoom to fit this VMA on the screen (1 page per cell again: z)" },
	{ ACT_SORT_NEXT, CTX_PROCS, { 's', '>' }, "s >",
	  "sort by the next column" },
	{ ACT_SORT_PREV, CTX_PROCS, { '<' }, "<",
	  "sort by the previous column" },
	{ ACT_SORT_REV, CTX_PROCS, { 'S', 'r' }, "S r",
	  "reverse the sort order" },
	{ ACT_SORT_MEM, CTX_PROCS, { 'M' }, "M", "sort by memory (RSS)" },
	{ ACT_SORT_CPU, CTX_PROCS, { 'P' }, "P",
	  "sort by CPU: there is no CPU column (says so)" },
	{ ACT_SORT_MENU, CTX_PROCS, { KEY_F(6) }, "F6",
	  "sort by: choose a column" },
	{ ACT_TREE, CTX_PROCS, { 't', KEY_F(5) }, "t F5",
	  "tree: each process under its parent" },
	{ ACT_KTHREADS, CTX_PROCS, { 'K' }, "K",
	  "show / hide kernel threads" },
	{ ACT_THREADS, CTX_PROCS, { 'H' }, "H",
	  "show / hide threads (under their process)" },
	{ ACT_ONLY_MINE, CTX_PROCS, { 'u' }, "u",
	  "only my processes / everyone's (dim rows: not yours to open)" },
	{ ACT_FILTER_LIVE, CTX_PROCS | CTX_VMAS, { '\\', KEY_F(4) }, "\\ F4",
	  "filter as you type: only matching rows (Enter keeps, Esc clears)" },
	{ ACT_FILTER, CTX_PROCS | CTX_VMAS, { 'f' }, "f",
	  "filter (:filter TEXT; empty clears)" },
	{ ACT_RMAP, CTX_PHYS | CTX_FRAMES | CTX_TABLE | CTX_DETAIL, { 'w' }, "w",
	  "which processes map this page's frame (a UIO page: the frame sysfs gives), or the selected frame or range" },
	{ ACT_DECODE, CTX_TABLE | CTX_MAP | CTX_DETAIL, { 'D' }, "D",
	  "a gap page (UIO, /dev/mem): the PTE a correct mapping holds, decoded bit by bit" },
	{ ACT_REREAD, CTX_KERNEL | CTX_PHYS | CTX_RMAP, { 'R' }, "R",
	  "read again: ranges, heat strip, lookup (live only)" },
	{ ACT_KERNEL, CTX_ALL, { 'v' }, "v",
	  "the kernel's virtual layout (:kernel)" },
	{ ACT_PHYS, CTX_ALL, { 'p' }, "p",
	  "physical map, RAM heat strip (on a page: at its address)" },
	{ ACT_SEARCH, CTX_ALL, { '/', KEY_F(3) }, "/ F3",
	  "incremental search (pages: an address)" },
	{ ACT_SEARCH_NEXT, CTX_ALL, { 'n' }, "n", "next match" },
	{ ACT_SEARCH_PREV, CTX_ALL, { 'N' }, "N", "previous match" },
	{ ACT_CMDLINE, CTX_ALL, { ':' }, ":", "command line (see below)" },
	{ ACT_PAUSE, CTX_ALL, { ' ' }, "Space",
	  "pause / resume live refresh" },
	{ ACT_DELAY, CTX_ALL, { 'd' }, "d", "set the refresh delay" },
	{ ACT_REDRAW, CTX_ALL, { CTRL_('l') }, "^L", "redraw the screen" },
	{ ACT_HELP, CTX_ALL, { '?', KEY_F(1) }, "? F1", "this help" },
	{ ACT_SETUP, CTX_ALL, { KEY_F(2) }, "F2",
	  "settings (:set; :set save keeps them)" },
	{ ACT_KILL, CTX_ALL, { KEY_F(9) }, "F9",
	  "nothing: vmscope never signals a process (it only reads)" },
	{ ACT_QUIT, CTX_ALL, { 'q', KEY_F(10) }, "q F10", "quit" },
	{ ACT_NONE, 0, { 0 }, NULL, NULL },
};

void keys_name(int ch, char *buf, size_t n)
{
	const char *k;

	if (ch == ' ')
		snprintf(buf, n, "Space");
	else if (ch > ' ' && ch < 127)
		snprintf(buf, n, "%c", ch);
	else if (ch >= 0 && ch < ' ')
		snprintf(buf, n, "^%c", ch + '@');
	else if (ch == 127)
		snprintf(buf, n, "^?");
	else if (ch > 127 && ch < 256)
		snprintf(buf, n, "\\x%02x", (unsigned)ch);
	else if (ch >= KEY_F(0) && ch <= KEY_F(63))
		snprintf(buf, n, "F%d", ch - KEY_F(0));
	else if ((k = keyname(ch)) != NULL) {
		size_t i;

		snprintf(buf, n, "%s", strncmp(k, "KEY_", 4) == 0 ? k + 4 : k);
		/* keyname's text is ASCII; make sure of it */
		for (i = 0; buf[i]; i++)
			if ((unsigned char)buf[i] < ' ' || (unsigned char)buf[i] >= 127)
				buf[i] = '?';
	} else
		snprintf(buf, n, "#%d", ch);
}

enum action keys_lookup(unsigned ctx, int ch)
{
	const struct key_binding *b;
	int i;

	for (b = key_table; b->act != ACT_NONE; b++) {
		if (!(b->ctx & ctx))
			continue;
		for (i = 0; i < KEYS_MAX_PER_BINDING && b->keys[i]; i++)
			if (b->keys[i] == ch)
				return b->act;
	}
	return ACT_NONE;
}

const char *keys_ctx_name(unsigned ctx)
{
	switch (ctx) {
	case CTX_PROCS: return "processes";
	case CTX_VMAS: return "VMAs";
	case CTX_TABLE: return "page table";
	case CTX_MAP: return "page map";
	case CTX_DETAIL: return "page detail";
	case CTX_HELP: return "help";
	case CTX_KERNEL: return "kernel layout";
	case CTX_PHYS: return "physical map";
	case CTX_FRAMES: return "frames of a range";
	case CTX_RMAP: return "who maps a frame";
	default: return "everywhere";
	}
}

/* The prose at the end of the reference: small terminals, the mouse,
 * the process list's marks, colours (header rows have an empty key). */
static void keys_reference_notes(void (*emit)(void *arg, bool header,
					      const char *key,
					      const char *text),
				 void *arg)
{
	static const struct { bool header; const char *key, *text; } notes[] = {
		{ true, "", "Reading on a small terminal" },
		{ false, "", "Nothing is cut without a mark: help and explanations wrap; a cell or line ending in \xe2\x80\xa6 (ASCII >) is cut, and the panel or the page detail shows it whole; a long message takes the rows it needs above the status line." },
		{ false, "", "The sort mark: \xe2\x86\x91 (^) ascending, \xe2\x86\x93 (v) descending." },
		{ true, "", "Mouse (off: --no-mouse or :set mouse no; on, Shift-drag still selects text)" },
		{ false, "click", "select the row (processes, VMAs)" },
		{ false, "click a title", "sort the process list by that column (again: reverse)" },
		{ false, "wheel", "move the selection 3 rows" },
		{ true, "", "Process list" },
		{ false, "dim row", "a process you cannot open: another user's (needs root or CAP_SYS_PTRACE); u: only mine" },
		{ false, "tree lines", "t or F5: each process under its parent (threads under their process with H)" },
		{ true, "", "Colours" },
		{ false, "", "Highlighted rows and underlined cells changed at the last refresh." },
		{ false, "", "Themes: --theme NAME or :theme NAME (default, mono, light, high-contrast, or your own in $XDG_CONFIG_HOME/vmscope/themes). NO_COLOR gives mono." },
	};
	size_t i;

	for (i = 0; i < sizeof notes / sizeof notes[0]; i++)
		emit(arg, notes[i].header, notes[i].key, notes[i].text);
}

/* The whole key, command and legend reference, in the order the help
 * screen shows it; the help screen and `vmscope --keys` both print it, so
 * neither can drift from the key table. */
void keys_reference(void (*emit)(void *arg, bool header, const char *key,
				   const char *text),
		    void *arg)
{
	static const unsigned ctxs[] = { CTX_ALL, CTX_PROCS, CTX_VMAS,
		CTX_TABLE, CTX_MAP, CTX_DETAIL, CTX_KERNEL, CTX_PHYS,
		CTX_FRAMES, CTX_RMAP };
	static const struct { const char *glyph, *text; } legend[] = {
		{ ". or \xc2\xb7", "not present: never touched, or reclaimed" },
		{ "a", "present anonymous page" },
		{ "f", "present file or shared-memory page" },
		{ "T", "part of a transparent huge page" },
		{ "H", "hugetlbfs page" },
		{ "z", "mapped to the shared zero page" },
		{ "S / s", "swapped out (all / some of the cell)" },
		{ "p", "present, kind unknown (PFN hidden: not root; or no file bit before 3.5)" },
		{ "~", "a gap (VM_PFNMAP/VM_IO, above TASK_SIZE): pagemap cannot see it" },
		{ "1-9", "a cell of many pages: tenths present, coloured by the most common kind" },
		{ "hole", "a row of unmapped address space between two VMAs" },
	};
	const struct key_binding *b;
	const struct command_def *c;
	size_t i;

	emit(arg, true, "", "vmscope: the memory map of a process, page by page");
	emit(arg, true, "", "Words");
	emit(arg, false, "gap", "a mapping pagemap cannot describe: device memory mapped with VM_PFNMAP/VM_IO (UIO, /dev/mem, a driver), [vvar], or above the end of pagemap (TASK_SIZE); marked ! in the VMA list, ~ in the page map, state gap in the page table");
	emit(arg, false, "hole", "unmapped address space between two mappings: no VMA, nothing to read");
	for (i = 0; i < sizeof ctxs / sizeof ctxs[0]; i++) {
		char title[64];

		snprintf(title, sizeof title, "Keys: %s", keys_ctx_name(ctxs[i]));
		emit(arg, true, "", title);
		for (b = key_table; b->act != ACT_NONE; b++) {
			bool here = ctxs[i] == CTX_ALL ? b->ctx == CTX_ALL
					: (b->ctx & ctxs[i]) && b->ctx != CTX_ALL;

			if (here)
				emit(arg, false, b->label, b->help);
		}
	}
	emit(arg, true, "", "Commands (: opens the command line; Tab completes, Up/Down: history, Esc cancels)");
	for (c = command_table; c->name; c++) {
		char k[32];

		snprintf(k, sizeof k, ":%s %s", c->name, c->args);
		emit(arg, false, k, c->help);
	}
	emit(arg, true, "", "Page map cells");
	for (i = 0; i < sizeof legend / sizeof legend[0]; i++)
		emit(arg, false, legend[i].glyph, legend[i].text);
	emit(arg, true, "", "Heat strip of RAM (physical map; each cell a run of frames, by the most common kind; each row starts at the physical address in its margin, the axis below gives offsets into a row; vmscope ram prints the totals)");
	for (i = 0; i < KHEAT__COUNT; i++) {
		static const char *const what[KHEAT__COUNT] = {
			[KHEAT_FREE] = "free: a free block of the buddy allocator (BUDDY on its first frame), or RAM the kernel has not initialised yet; adds up to MemFree",
			[KHEAT_ANON] = "anonymous memory of processes",
			[KHEAT_FILE] = "page cache: file data",
			[KHEAT_SLAB] = "slab: kernel objects",
			[KHEAT_PGTABLE] = "page tables",
			[KHEAT_RESERVED] = "reserved: kernel image, firmware, memmap",
			[KHEAT_OTHER] = "used by the kernel without a telling flag (vmalloc, stacks, buffers, the struct page array)",
			[KHEAT_NOT_RAM] = "not RAM: a hole between RAM ranges",
		};
		char g[32];

		snprintf(g, sizeof g, "%s", i == KHEAT_NOT_RAM ? "blank" :
			 krview_heat_glyph((enum kheat_cat)i));
		emit(arg, false, g, what[i]);
	}
	emit(arg, true, "", "Page table FLAGS (kpageflags, one letter per set flag; the row under the table spells out the selected page's)");
	for (i = 0; i < 64; i++)
		if (kpage_flag_letter((unsigned)i) && kpage_flag_name((unsigned)i)) {
			char g[4] = { kpage_flag_letter((unsigned)i), 0 };

			emit(arg, false, g, kpage_flag_name((unsigned)i));
		}
	keys_reference_notes(emit, arg);
}

static void print_line(void *arg, bool header, const char *key,
		       const char *text)
{
	FILE *f = arg;

	if (header)
		fprintf(f, "\n%s\n", text);
	else if (*key)
		fprintf(f, "  %-18s %s\n", key, text);
	else
		fprintf(f, "  %s\n", text);
}

void ui_print_reference(FILE *f)
{
	keys_reference(print_line, f);
}
