/* SPDX-License-Identifier: GPL-3.0-or-later */
/* datadir: where vmscope's own data (demos, themes) is found. */
#ifndef VMSCOPE_DATADIR_H
#define VMSCOPE_DATADIR_H

#include <limits.h>
#include <stddef.h>
#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#define DATADIR_MAX_PATHS 4

/* The directories to look for data subdirectory sub ("demo", "themes")
 * in, first first: $VMSCOPE_DATADIR/sub; next to the running executable,
 * EXE_DIR/../sub (a build tree) and EXE_DIR/../share/vmscope/sub (an
 * installed or relocated vmscope, whatever PREFIX it was built with);
 * then compiled/sub (the DATADIR given at build time).  Returns how many
 * were written to out (at most DATADIR_MAX_PATHS). */
size_t datadir_paths(const char *sub, const char *compiled,
		     char (*out)[PATH_MAX]);

#endif
