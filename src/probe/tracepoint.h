/* SPDX-License-Identifier: GPL-2.0 */
/* What the output needs from the tracepoint backend: its events' names. */
#ifndef PWRU_TRACEPOINT_H
#define PWRU_TRACEPOINT_H

#include <stddef.h>

struct funcset;

/* "tp:NAME" for each tracepoint of TPS, by index: what a tracepoint event's address means. */
int tracepoint_names(const struct funcset *tps, char ***out);
void tracepoint_names_free(char **names, size_t n);

#endif
