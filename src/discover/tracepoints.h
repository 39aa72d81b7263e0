/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The raw tracepoints that take an skb, found from BTF (never from a list): each has a
 * typedef btf_trace_NAME, a pointer to void (*)(void *data, <its arguments>). Entries are
 * funcset entries: NAME, MODULE, the typedef's BTF id, the skb's argument position and
 * the argument count; no addresses.
 */
#ifndef PWRU_TRACEPOINTS_H
#define PWRU_TRACEPOINTS_H

#include "src/discover/funcset.h"

/* The kind for funcset_walk(), to walk BTF once for functions and tracepoints. */
extern const struct funcset_kind tpset_tracepoints;

/* Like funcset_build(), for tracepoints whose name (without btf_trace_) REGEX matches. */
int tpset_build(const struct funcset_btf *btfs, size_t nbtfs, const char *regex, struct funcset *fs,
		struct pwru_err *e);

#endif
