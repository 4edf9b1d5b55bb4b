/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <inttypes.h>
#include "json.h"
#include "vmscope/escape.h"

static void sep(struct json *j)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
}

void json_key(struct json *j, const char *k)
{
	sep(j);
	if (k) {
		escape_json(j->f, k);
		fputc(':', j->f);
	}
}

static void open_(struct json *j, const char *k, int c)
{
	json_key(j, k);
	fputc(c, j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

void json_start(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
	fputc('{', f);
	j->depth = 1;
	j->first[1] = true;
}

void json_end(struct json *j)
{
	fputs("}\n", j->f);
	j->depth = 0;
}

void json_obj(struct json *j, const char *k) { open_(j, k, '{'); }
void json_arr(struct json *j, const char *k) { open_(j, k, '['); }

void json_close_obj(struct json *j)
{
	fputc('}', j->f);
	if (j->depth > 0)
		j->depth--;
}

void json_close_arr(struct json *j)
{
	fputc(']', j->f);
	if (j->depth > 0)
		j->depth--;
}

void json_str(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	if (v)
		escape_json(j->f, v);
	else
		fputs("null", j->f);
}

void json_hex(struct json *j, const char *k, uint64_t v)
{
	json_key(j, k);
	fprintf(j->f, "\"0x%" PRIx64 "\"", v);
}

void json_u64(struct json *j, const char *k, uint64_t v)
{
	json_key(j, k);
	fprintf(j->f, "%" PRIu64, v);
}

void json_bool(struct json *j, const char *k, bool v)
{
	json_key(j, k);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *k)
{
	json_key(j, k);
	fputs("null", j->f);
}
