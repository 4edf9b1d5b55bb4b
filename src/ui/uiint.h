/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uiint: every UI part's header at once.  Each UI file includes the part
 * headers it needs; this one remains for screen_pages.c (being split)
 * and the fuzz harnesses, which reach the whole UI. */
#ifndef VMSCOPE_UIINT_H
#define VMSCOPE_UIINT_H

#include "uicurses.h"
#include "theme.h"
#include "draw.h"
#include "uitext.h"
#include "keys.h"
#include "commands.h"
#include "screen.h"
#include "screens.h"
#include "procview.h"
#include "krview.h"
#include "app.h"
#include "cmdline.h"
#include "listview.h"

#endif
