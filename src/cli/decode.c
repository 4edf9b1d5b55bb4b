/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vmscope decode TEXT|-: the page-table entries of a kernel message
 * (oops, page fault, "Bad pagetable"), each decoded bit by bit for its
 * architecture, placed on the root's map and checked for the classic
 * mistakes of a driver's mmap (core: decode.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "decode_json.h"
#include "util.h"
#include "vmscope/decode.h"
#include "vmscope/escape.h"

#define DECODE_USAGE \
	"vmscope decode [--arch A] [--mode M] [--phys-bits N] [--kernel X.Y]\n" \
	"       [--level L] [--bootlog FILE | --no-bootlog] [--no-map] TEXT... | -"
#define DECODE_MAX_INPUT (1u << 20)

static void print_line(void *ctx, const char *s)
{
	(void)ctx;
	util_put_escaped(stdout, s);
	putchar('\n');
}

/* The text: the arguments joined by blanks, or stdin for "-". */
static char *gather_text(int argc, char **argv, bool from_stdin, size_t *len)
{
	size_t n = 0, cap = 4096;
	char *buf = malloc(cap);
	int i;

	if (!buf)
		return NULL;
	if (from_stdin) {
		size_t got;

		while ((got = fread(buf + n, 1, cap - n, stdin)) > 0) {
			n += got;
			if (n == cap && cap < DECODE_MAX_INPUT) {
				char *nb = realloc(buf, cap * 2);

				if (!nb)
					break;
				buf = nb;
				cap *= 2;
			} else if (n == cap) {
				break;
			}
		}
	} else {
		for (i = 0; i < argc; i++) {
			size_t l = strlen(argv[i]);

			if (n + l + 2 > cap) {
				char *nb = realloc(buf, n + l + 2);

				if (!nb)
					break;
				buf = nb;
				cap = n + l + 2;
			}
			memcpy(buf + n, argv[i], l);
			n += l;
			buf[n++] = ' ';
		}
	}
	*len = n;
	return buf;
}

static bool option_value(int argc, char **argv, int *i, const char *name,
			 const char **val)
{
	size_t l = strlen(name);

	if (!strcmp(argv[*i], name) && *i + 1 < argc) {
		*val = argv[++*i];
		return true;
	}
	if (!strncmp(argv[*i], name, l) && argv[*i][l] == '=') {
		*val = argv[*i] + l + 1;
		return true;
	}
	return false;
}

/* Options into o; the text arguments moved to the front of argv. */
static bool parse_args(int argc, char **argv, struct decode_opts *o,
		       int *ntext, bool *from_stdin)
{
	const char *bits = NULL;
	bool rest = false;
	int i, k = 0;

	for (i = 0; i < argc; i++) {
		if (!rest && !strcmp(argv[i], "--")) {
			rest = true;
		} else if (!rest && !strcmp(argv[i], "-")) {
			*from_stdin = true;
		} else if (rest || argv[i][0] != '-') {
			argv[k++] = argv[i];
		} else if (option_value(argc, argv, &i, "--arch", &o->arch) ||
			   option_value(argc, argv, &i, "--mode", &o->mode) ||
			   option_value(argc, argv, &i, "--kernel", &o->kernel) ||
			   option_value(argc, argv, &i, "--level", &o->level) ||
			   option_value(argc, argv, &i, "--phys-bits", &bits) ||
			   util_bootlog_option(argc, argv, &i, &o->ko)) {
			continue;
		} else if (!strcmp(argv[i], "--no-map")) {
			o->no_map = true;
		} else {
			util_unexpected("decode", argv[i], DECODE_USAGE);
			return false;
		}
	}
	if (bits) {
		char *end;
		unsigned long b = strtoul(bits, &end, 10);

		if (*end || b < 32 || b > 52) {
			util_error("--phys-bits needs a number of bits from 32 to 52");
			return false;
		}
		o->phys_bits = (unsigned)b;
	}
	if (!k && !*from_stdin) {
		util_error("decode needs the kernel's message or entry values (usage: %s)",
			   DECODE_USAGE);
		return false;
	}
	*ntext = k;
	return true;
}

int cli_decode(const struct vms_root *r, const struct cli_opts *co, int argc,
	       char **argv)
{
	struct decode_opts o = { 0 };
	struct decode_result *res;
	struct vms_err e;
	bool from_stdin = false;
	int ntext, rc = CLI_OK;
	size_t len;
	char *text;

	if (!parse_args(argc, argv, &o, &ntext, &from_stdin))
		return CLI_USAGE;
	if (!(text = gather_text(ntext, argv, from_stdin, &len)) ||
	    !(res = malloc(sizeof *res))) {
		free(text);
		util_error("out of memory");
		return CLI_ERROR;
	}
	if (decode_run(r, text, len, &o, res, &e) < 0) {
		util_error("%s", e.msg);
		rc = e.code == EINVAL ? CLI_USAGE : CLI_ERROR;
	} else {
		if (co->json)
			decode_json_print(res);
		else
			decode_format(res, print_line, NULL);
		if (!res->n)
			rc = CLI_ERROR;
		if (fflush(stdout) != 0)
			rc = CLI_ERROR;
	}
	decode_free(res);
	free(res);
	free(text);
	return rc;
}
