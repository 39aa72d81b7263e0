/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Enrichment: what the kernel's record does not carry but a reader wants, looked up in
 * userspace: the function's name (kallsyms, or the probe layer's tracepoint names), the
 * drop reason's name (BTF), the process's executable (/proc).
 */
#ifndef PWRU_ENRICH_H
#define PWRU_ENRICH_H

#include <stddef.h>
#include "src/output/record.h"

struct kallsyms;
struct drop_reasons;
struct proc_cache;

struct enrich {
	const struct kallsyms *ksyms;
	const struct drop_reasons *reasons;
	struct proc_cache *procs; /* NULL: no executable lookups */
	/* PWRU_EV_TRACEPOINT records: addr indexes this table ("tp:kfree_skb") */
	const char *const *tp_names;
	size_t n_tp_names;
};

void enrich_record(const struct enrich *e, struct pwru_record *r);

#endif
