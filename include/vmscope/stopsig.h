/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stopsig: SIGINT, SIGTERM and SIGHUP turned into a request to stop,
 * which the explorer's event loop and the long batch work (a capture, a
 * demo's reads) check between steps, so that they stop as q does:
 * temporary files removed, the terminal restored.  The handler only
 * records the signal; everything else happens outside it. */
#ifndef VMSCOPE_STOPSIG_H
#define VMSCOPE_STOPSIG_H

#include "vmscope/err.h"

/* Catch SIGINT, SIGTERM and SIGHUP from now on (without SA_RESTART, so a
 * blocking read returns EINTR).  Before curses starts, so that ncurses
 * keeps its own handlers (exit 1, nothing removed) out. */
void stopsig_catch(void);
/* The first stop signal caught (or noted), 0 while none. */
int stopsig_caught(void);
/* Record sig as if caught: ^C read as a key in raw mode. */
void stopsig_note(int sig);
/* -1 with e saying so once a stop was asked for, 0 otherwise: for loops
 * of the core that must not finish what was interrupted. */
int stopsig_check(struct vms_err *e);

#endif
