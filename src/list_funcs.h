/* SPDX-License-Identifier: GPL-2.0 */
/* --list-funcs: what pwru would trace, one line each, without attaching anything. */
#ifndef PWRU_LIST_FUNCS_H
#define PWRU_LIST_FUNCS_H

#include <stdio.h>

struct backend_ctx;

/*
 * One line per function and tracepoint of CTX's sets: name, module, skb position, number
 * of addresses, and the backends that could hook it. With PROBE set (root), only backends
 * this kernel runs are named, and a line on ERR says which run; else (not root) each by
 * what its entry points reach and the kernel's readable lists allow.
 */
void list_funcs_print(const struct backend_ctx *ctx, int probe, FILE *out, FILE *err);

#endif
