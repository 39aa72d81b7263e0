/* SPDX-License-Identifier: GPL-2.0 */
/* --list-funcs: what pwru would trace, one line each, without attaching anything. */
#ifndef PWRU_LIST_FUNCS_H
#define PWRU_LIST_FUNCS_H

#include <stdio.h>
#include "src/error.h"
#include "src/flags.h"

struct backend_ctx;

/*
 * One line per function and tracepoint of CTX's sets: name, module, skb position, number
 * of addresses, and the backends that could hook it; with --output-json a JSON object each
 * (docs/json.md). With PROBE set (root), only backends this kernel runs are named, and a
 * line on ERR says which run; else (not root) each by what its entry points reach and the
 * kernel's readable lists allow.
 */
void list_funcs_print(const struct backend_ctx *ctx, int probe, const struct pwru_config *cfg,
		      FILE *out, FILE *err);
/* --output-file, where the list goes (appended); NULL with E set (bad input). */
FILE *list_funcs_open(const struct pwru_config *cfg, struct pwru_err *e);
/* Flushes and closes that file: 0, or -1 with E set when a write failed. */
int list_funcs_close(FILE *out, const struct pwru_config *cfg, struct pwru_err *e);

#endif
