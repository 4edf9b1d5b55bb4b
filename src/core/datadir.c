/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vmscope/datadir.h"

size_t datadir_paths(const char *sub, const char *compiled,
		     char (*out)[PATH_MAX])
{
	const char *env = getenv("VMSCOPE_DATADIR");
	char exe[PATH_MAX], *slash;
	ssize_t l;
	size_t n = 0;

	if (env && *env)
		snprintf(out[n++], PATH_MAX, "%.*s/%s", PATH_MAX - 64, env, sub);
	l = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (l > 0) {
		exe[l] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(out[n++], PATH_MAX, "%.*s/../%s",
				 PATH_MAX - 64, exe, sub);
			snprintf(out[n++], PATH_MAX, "%.*s/../share/vmscope/%s",
				 PATH_MAX - 64, exe, sub);
		}
	}
	if (compiled && *compiled)
		snprintf(out[n++], PATH_MAX, "%.*s/%s", PATH_MAX - 64, compiled,
			 sub);
	return n;
}
