/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decode_json: vmscope decode --json. */
#ifndef VMSCOPE_CLI_DECODE_JSON_H
#define VMSCOPE_CLI_DECODE_JSON_H

#include "vmscope/decode.h"

/* The whole result as one JSON object on stdout. */
void decode_json_print(const struct decode_result *res);

#endif
