/* SPDX-License-Identifier: GPL-3.0-or-later */
/* settings: the explorer's settings from the settings file, the
 * options and :set (see vmscope/config.h for the file). */
#ifndef VMSCOPE_SETTINGS_H
#define VMSCOPE_SETTINGS_H

#include "vmscope/err.h"

struct app;
struct ui_opts;

/* a->cfg from the settings file with the options o over it, and a->opts
 * (theme, delay, ascii) from that; lines the file gets wrong are warned
 * about on stderr and the message line, never fatal. */
void settings_start(struct app *a, const struct ui_opts *o);
/* The theme failed to load (e says why): when it came from the file,
 * the default theme with a warning (0); from --theme, -1. */
int settings_theme_failed(struct app *a, struct vms_err *e);
/* ":set", ":set KEY", ":set KEY VALUE", ":set save". */
void settings_command(struct app *a, const char *arg);
/* The words :set's first argument completes to (as commands_complete). */
char **settings_complete(const char *text);

#endif
