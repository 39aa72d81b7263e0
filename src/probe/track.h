/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Following packets (--filter-track-skb, --filter-track-skb-by-stackid): the tracing
 * object's tables are sized and switched on before it loads; after it loads, a second
 * object (bpf/track.bpf.c) hooks where skbs die, are cloned or copied, and where their
 * data moves, on the same tables. The hooks are fexit programs where the kernel runs
 * trampolines, whatever backend traces; else the slab-free tracepoint (frees only).
 */
#ifndef PWRU_TRACK_H
#define PWRU_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct btf;
struct kallsyms;
struct pwru_bpf;
struct track;

#define TRACK_SIZE_DEFAULT 8192
#define TRACK_SIZE_MAX	   (1u << 22) /* a preallocated table: keep it sane */

struct track_opts {
	bool by_addr;  /* --filter-track-skb */
	bool by_stack; /* --filter-track-skb-by-stackid */
	uint32_t size; /* --filter-track-size: skbs (and stacks) followed at once */
	/* --filter-non-skb-funcs: "f,g" kprobed, shown on a followed skb's stack; needs by_stack */
	const char *non_skb_funcs;
	/*
	 * --filter-track-bpf-helpers: "f,g", kprobed like non_skb_funcs; one the kernel will
	 * not probe is left out (and counted in the line saying how many are tracked).
	 */
	const char *helper_funcs;
	/* --output-bpfmap: the map functions of those two get their own probes (bpfmap.h) */
	bool bpfmap;
};

static inline bool track_on(const struct track_opts *o)
{
	return o->by_addr || o->by_stack;
}

/* Before the tracing object loads: its switches, table sizes and (from KS) free points. */
void track_configure(struct pwru_bpf *skel, const struct kallsyms *ks, const struct track_opts *o);

/*
 * After it loaded, before its probes attach: the lifetime hooks on its tables, looked up
 * in BTF (the running kernel's). *OUT is NULL when tracking is off. Returns 0, or a
 * negative errno with ERR saying why nothing could be hooked; prints one line saying
 * how skbs are followed.
 */
int track_attach(struct pwru_bpf *skel, const struct btf *btf, const struct track_opts *o,
		 struct track **out, char *err, size_t errlen);

/*
 * Every name of LIST ("f,g") is a kernel function in KS. 0, or -EINVAL with ERR naming
 * the first that is not (a bad flag value).
 */
int track_check_funcs(const struct kallsyms *ks, const char *list, char *err, size_t errlen);

/* Skbs that matched but could not be followed so far: the table was full. */
uint64_t track_missed(struct track *t);

/*
 * For the event loop, about once a second and once at the end (FINAL): says on stderr
 * when more skbs could not be followed (as src/output/pace.h allows: less often while the
 * count keeps growing), and at the end how many in all. ARG: the track; NOW: the loop's
 * CLOCK_MONOTONIC ns.
 */
void track_report(void *arg, int final, uint64_t now);

void track_detach(struct track *t);

#endif
