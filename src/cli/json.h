/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json: a small streaming JSON writer for --json output. */
#ifndef VMSCOPE_CLI_JSON_H
#define VMSCOPE_CLI_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct outbuf;

struct json {
	FILE *f;
	struct outbuf *ob;  /* json_start_buffered's, else NULL */
	int depth;
	bool first[JSON_MAX_DEPTH];
};

void json_start(struct json *j, FILE *f);   /* opens the top object */
/* The same, writing into ob (outbuf.h) instead of straight to a FILE:
 * for output of many objects; the caller flushes ob. */
void json_start_buffered(struct json *j, struct outbuf *ob);
void json_end(struct json *j);              /* closes it, newline */
void json_key(struct json *j, const char *k);
void json_obj(struct json *j, const char *k);   /* k NULL inside arrays */
void json_arr(struct json *j, const char *k);
void json_close_obj(struct json *j);
void json_close_arr(struct json *j);
void json_str(struct json *j, const char *k, const char *v); /* v NULL: null */
/* The value after json_key(j, k): an array opened, or a string (NULL:
 * null); json_raw: member k with text (n bytes) as its JSON value. */
void json_value_arr(struct json *j);
void json_value_str(struct json *j, const char *v);
void json_raw(struct json *j, const char *k, const char *text, size_t n);
/* Members written before (each with its leading comma: never the first
 * of their object), as text of n bytes. */
void json_raw_members(struct json *j, const char *text, size_t n);
void json_hex(struct json *j, const char *k, uint64_t v);    /* "0x..." */
void json_u64(struct json *j, const char *k, uint64_t v);
void json_bool(struct json *j, const char *k, bool v);
void json_null(struct json *j, const char *k);

#endif
