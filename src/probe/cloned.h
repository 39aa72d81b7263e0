/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part the per-target backends share (fentry before 7.2, tracepoints): templates
 * captured while libbpf loads the object, one copy per target loaded and attached from a
 * few threads, every descriptor kept so that detaching is closing them.
 */
#ifndef PWRU_CLONED_H
#define PWRU_CLONED_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "src/discover/funcset.h"
#include "src/probe/btf_objs.h"
#include "src/probe/clone.h"

struct attach_result;
struct backend_ctx;

struct cloned_site {
	uint32_t idx; /* entry of the target set */
	int prog;     /* fd, or -errno */
	int link;     /* fd, or -errno */
};

struct cloned {
	const char *prefix;    /* template programs are PREFIX1..PREFIX12, by skb position */
	int one_template;      /* PREFIX1 serves every target, whatever its skb position */
	const char *dump_kind; /* its name in the benchmarks' list (backend_bench_dump) */
	const struct funcset *set;
	struct clone_tpl tpl[FUNCSET_MAX_POS + 1];
	struct clone_target stand_in; /* what libbpf's stand-in for a template attaches to */
	struct cloned_site *sites;
	size_t n;
	struct btf_objs mods;
	/* E's attach target and per-copy values, without the module's BTF fd (set here) */
	void (*target)(const struct cloned *c, const struct func_entry *e, struct clone_target *tg);
	/* attaches PROG for E: a link fd, or a negative errno */
	int (*attach)(const struct cloned *c, const struct func_entry *e, int prog);
	double t_load, t_attach; /* seconds, of the last cloned_run() */
};

/* The backend's prog_load step: captures PROG when it is one of C's templates. */
int cloned_capture(struct cloned *c, struct bpf_program *prog, struct bpf_prog_load_opts *opts,
		   char *err, size_t len);

/* One copy per entry TAKE accepts (NULL: all) whose template was captured. */
int cloned_collect(struct cloned *c, const struct backend_ctx *ctx,
		   int (*take)(const struct backend_ctx *ctx, const struct func_entry *e));

/*
 * Loads every site from LOAD_THREADS threads (0: one per online CPU, at most 8: the
 * verifier runs in parallel for root, tests/bench/clone_bench.c measures it), then attaches
 * them from ATTACH_THREADS (timings in t_load, t_attach); stops handing out work on *STOP.
 */
void cloned_run(struct cloned *c, int load_threads, int attach_threads,
		volatile sig_atomic_t *stop);

/* The programs loaded and kept: what detaching has to remove. */
size_t cloned_live(const struct cloned *c);

/* Marks in HOOKED (by set index) what is attached, in ERRS the kernel's first refusal. */
void cloned_results(const struct cloned *c, uint8_t *hooked, int *errs);

/* Closes every descriptor (on many threads: detaching waits on the kernel) and frees. */
void cloned_free(struct cloned *c);

#endif
