/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uicurses: the one place that includes curses (wide-character ncurses
 * where it is installed under ncursesw/) and the smallest terminal the
 * screens draw in. */
#ifndef VMSCOPE_UICURSES_H
#define VMSCOPE_UICURSES_H

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

/* Smallest terminal the screens draw in; below it only a message. */
#define UI_MIN_COLS 30
#define UI_MIN_LINES 8

#endif
