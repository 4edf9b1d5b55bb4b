/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: config_parse, the explorer's settings file (the
 * user's, but hand-edited and possibly anything), then config_format
 * and a second parse of what it wrote, which must say the same. */
#include <assert.h>
#include <stdint.h>
#include <string.h>
#include "vmscope/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct config *c)
{
	assert(memchr(c->theme, '\0', sizeof c->theme));
	assert(c->theme[0]);
	assert(c->delay >= 0.1 && c->delay <= 3600);
	assert(c->sort >= 0 && c->sort < CONFIG__COLS);
	assert((c->columns & CONFIG_COLS_FIXED) == CONFIG_COLS_FIXED);
	assert((c->columns & ~CONFIG_COLS_ALL) == 0);
	assert((c->given & ~((1u << CONFIG__KEYS) - 1)) == 0);
}

static void count(void *ctx, unsigned line, const char *key, const char *why)
{
	(void)line;
	assert(key && why && *why);
	++*(unsigned *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c, d;
	char text[2048];
	unsigned warned = 0, again = 0;
	size_t n;

	config_defaults(&c);
	assert(config_parse(&c, (const char *)data, size, count, &warned) ==
	       warned);
	check(&c);
	n = config_format(&c, text, sizeof text);
	assert(n < sizeof text && strlen(text) == n);
	config_defaults(&d);
	assert(config_parse(&d, text, n, count, &again) == 0 && again == 0);
	check(&d);
	assert(strcmp(c.theme, d.theme) == 0);
	assert(c.delay == d.delay);
	assert(c.sort == d.sort && c.sort_reverse == d.sort_reverse);
	assert(c.columns == d.columns && c.ascii == d.ascii);
	return 0;
}
