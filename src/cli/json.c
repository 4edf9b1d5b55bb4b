/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <inttypes.h>
#include "json.h"
#include "outbuf.h"
#include "vmscope/escape.h"

/* Output goes to j->ob when json_start_buffered gave one, else to j->f. */
static void put(struct json *j, const char *s, size_t n)
{
	if (j->ob)
		outbuf_put(j->ob, s, n);
	else
		fwrite(s, 1, n, j->f);
}

static inline void put_c(struct json *j, char c)
{
	if (j->ob) {
		char *d = outbuf_room(j->ob, 1);

		*d = c;
		j->ob->len++;
	} else {
		fputc(c, j->f);
	}
}

/* A short string of printable ASCII with nothing to escape (every key,
 * most values) as a literal in one pass; false for any other. */
#define PLAIN_MAX 64
static bool put_plain(struct outbuf *ob, const char *s)
{
	char *d = outbuf_room(ob, PLAIN_MAX + 2);
	size_t i;

	*d++ = '"';
	for (i = 0; i < PLAIN_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!c) {
			*d++ = '"';
			outbuf_commit(ob, d);
			return true;
		}
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			return false;
		*d++ = (char)c;
	}
	return false;
}

static void put_str(struct json *j, const char *s)
{
	size_t len;

	if (j->ob && put_plain(j->ob, s))
		return;
	len = strlen(s);

	if (j->ob && ESCAPE_JSON_MAX(len) <= OUTBUF_SIZE / 2) {
		outbuf_commit(j->ob, escape_json_mem(outbuf_room(j->ob, ESCAPE_JSON_MAX(len)),
						     s, len));
		return;
	}
	if (j->ob)
		outbuf_flush(j->ob);
	escape_json(j->f, s);
}

static void sep(struct json *j)
{
	if (!j->first[j->depth])
		put_c(j, ',');
	j->first[j->depth] = false;
}

void json_key(struct json *j, const char *k)
{
	sep(j);
	if (k) {
		put_str(j, k);
		put_c(j, ':');
	}
}

static void open_(struct json *j, const char *k, int c)
{
	json_key(j, k);
	put_c(j, (char)c);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

void json_start(struct json *j, FILE *f)
{
	j->f = f;
	j->ob = NULL;
	j->depth = 0;
	j->first[0] = true;
	fputc('{', f);
	j->depth = 1;
	j->first[1] = true;
}

void json_start_buffered(struct json *j, struct outbuf *ob)
{
	json_start(j, ob->f);
	j->ob = ob;
}

void json_end(struct json *j)
{
	put(j, "}\n", 2);
	j->depth = 0;
}

void json_obj(struct json *j, const char *k) { open_(j, k, '{'); }
void json_arr(struct json *j, const char *k) { open_(j, k, '['); }

void json_close_obj(struct json *j)
{
	put_c(j, '}');
	if (j->depth > 0)
		j->depth--;
}

void json_close_arr(struct json *j)
{
	put_c(j, ']');
	if (j->depth > 0)
		j->depth--;
}

void json_value_arr(struct json *j)
{
	put_c(j, '[');
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

void json_value_str(struct json *j, const char *v)
{
	if (v)
		put_str(j, v);
	else
		put(j, "null", 4);
}

void json_raw_members(struct json *j, const char *text, size_t n)
{
	j->first[j->depth] = false;
	put(j, text, n);
}

void json_raw(struct json *j, const char *k, const char *text, size_t n)
{
	json_key(j, k);
	put(j, text, n);
}

void json_str(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	if (v)
		put_str(j, v);
	else
		put(j, "null", 4);
}

void json_hex(struct json *j, const char *k, uint64_t v)
{
	char b[24], *e = b;

	json_key(j, k);
	*e++ = '"';
	*e++ = '0';
	*e++ = 'x';
	e = outbuf_fmt_hex(e, v, 0);
	*e++ = '"';
	put(j, b, (size_t)(e - b));
}

void json_u64(struct json *j, const char *k, uint64_t v)
{
	char b[24];

	json_key(j, k);
	put(j, b, (size_t)(outbuf_fmt_dec(b, v) - b));
}

void json_bool(struct json *j, const char *k, bool v)
{
	json_key(j, k);
	if (v)
		put(j, "true", 4);
	else
		put(j, "false", 5);
}

void json_null(struct json *j, const char *k)
{
	json_key(j, k);
	put(j, "null", 4);
}
