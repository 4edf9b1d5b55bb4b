/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: theme_parse, a colour theme file, on a colour
 * terminal (curses started on xterm-256color, output to /dev/null) and
 * without colours, as the explorer parses it.  The first byte picks
 * which. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ui/uiint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void start_curses(void)
{
	static bool done;
	FILE *out, *in;
	SCREEN *s;

	if (done)
		return;
	done = true;
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	s = out && in ? newterm("xterm-256color", out, in) : NULL;
	if (!s) {
		fprintf(stderr, "fuzz_theme: cannot start curses on xterm-256color\n");
		abort();
	}
	set_term(s);
	start_color();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme t;
	struct vms_err e;
	char *text;
	size_t i;

	start_curses();
	if (!size)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	memset(&t, 0, sizeof t);
	snprintf(t.name, sizeof t.name, "fuzz");
	t.color = data[0] & 1;
	if (theme_parse(&t, text, &e) < 0)
		assert(memchr(e.msg, '\0', sizeof e.msg));
	for (i = 0; i < EL__COUNT; i++)
		(void)theme_elem_name((enum elem)i);
	free(text);
	return 0;
}
