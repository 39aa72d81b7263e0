/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Enrichment: what the kernel's record does not carry but a reader wants, looked up in
 * userspace: the function's name (kallsyms, or the probe layer's tracepoint names), the
 * drop reason's name (BTF), a tc or XDP program's result and Cilium's drop reason, the
 * process's executable (/proc).
 */
#ifndef PWRU_ENRICH_H
#define PWRU_ENRICH_H

#include <stddef.h>
#include "src/output/record.h"

struct kallsyms;
struct drop_reasons;
struct proc_cache;
struct skb_times;
struct netns_names;
struct nft_names;
struct prog_names;
struct symbolizer;

/* Per function address: its name and what its arguments mean, worked out once. */
#define ENRICH_FUNC_SLOTS 256

struct enrich_func {
	uint64_t addr;
	const char *name;
	uint8_t type;  /* the event's type: a tracepoint's addr is an index */
	uint8_t kind;  /* enum func_kind (enrich.c) */
	uint8_t point; /* enum skb_point: chains and --summary ask it of every event */
	bool used;
};

struct enrich {
	const struct kallsyms *ksyms;
	const struct drop_reasons *reasons;
	struct proc_cache *procs; /* NULL: no executable lookups */
	struct symbolizer *syms;  /* NULL: no source lines, stack or caller frames */
	/* PWRU_EV_TRACEPOINT records: addr indexes this table ("tp:kfree_skb") */
	const char *const *tp_names;
	size_t n_tp_names;
	/* PWRU_EV_PROG_* records: addr is a program id, named here (NULL: none traced) */
	struct prog_names *progs;
	struct skb_times *times;   /* --timestamp relative's; NULL: not wanted */
	struct netns_names *netns; /* NULL: no names wanted */
	struct nft_names *nft;	   /* nft_do_chain's chains; NULL: not shown */
	int64_t wall_offset;	   /* wall clock minus the kernel's monotonic clock, ns */
	/* a traced path hits the same few functions: kallsyms is searched once for each */
	struct enrich_func funcs[ENRICH_FUNC_SLOTS];
};

void enrich_record(struct enrich *e, struct pwru_record *r);

/* The wall-clock offset of the kernel's bpf_ktime_get_ns() clock, measured now. */
int64_t enrich_wall_offset(void);

#endif
