/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the BPF handler gets hooked to what is traced. One file per backend; the table in
 * backend.c is the one place that lists them: --backend's values and --help, the sections
 * the loader hooks the filter splice onto, and the order of the automatic choice all come
 * from it. main never names a backend. A backend may keep state in ctx->priv between
 * attach and detach.
 */
#ifndef PWRU_BACKEND_H
#define PWRU_BACKEND_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include "src/error.h"
#include "src/probe/splice_hooks.h"

struct bpf_object;
struct btf;
struct btf_uses;
struct bpf_program;
struct bpf_prog_load_opts;
struct func_entry;
struct funcset;
struct kallsyms;
struct traceable;

struct attach_result {
	size_t attached; /* functions with at least one address hooked */
	size_t skipped;	 /* functions the kernel refused or we knew it would */
};

struct backend_ctx {
	struct bpf_object *obj;
	struct btf_uses *uses; /* what the kernel's BTF says (src/probe/btf_uses.h) */
	const struct kallsyms *ks;
	const struct funcset *fs;  /* the kernel functions taking an skb */
	const struct funcset *tps; /* the tracepoints taking an skb */
	const struct traceable *tr;
	volatile sig_atomic_t *stop; /* set by SIGINT/SIGTERM: stop attaching, clean up */
	int debug;		     /* --debug: say why each skipped target was skipped */
	size_t batch;		     /* --filter-kprobe-batch: addresses per attaching thread */
	bool programs_only; /* no function nor tracepoint: --filter-trace-tc/xdp's programs alone */
	size_t attached;    /* the "attached N functions" said, for the detach's own line */
	void *priv;
};

/* What a backend hooks. */
enum backend_targets {
	TARGET_FUNCS,	    /* ctx->fs */
	TARGET_TRACEPOINTS, /* ctx->tps */
};

struct backend {
	const char *name;
	enum backend_targets targets;
	/* Its programs' SEC() names (bpf/probe_sections.h), for the loader's splice hooks. */
	const struct hook_section *sections;
	size_t nsections;
	/*
	 * The bytes of the BPF object a run with it opens, holding only what such a run can
	 * load (src/probe/objects.h); NULL: pwru.bpf.o's, which holds every program.
	 */
	const void *(*object)(size_t *size);
	/*
	 * Its object for a run whose return values need no more than fentry's template for
	 * the skb's first position (retsplit_first()): a third of .object's size, opened in
	 * a third of the time. NULL: .object. (kprobe has this one only.)
	 */
	const void *(*object_first)(size_t *size);
	/* Program name prefix; the programs are PREFIX1..PREFIXn, one per skb position. */
	const char *prog_prefix;
	/* The last position its entry points read; a function with its skb beyond is skipped. */
	int max_pos;
	/*
	 * 0 when usable on this kernel for a non-empty target set; else a short reason in
	 * WHY. Cheap, cannot hang, attaches nothing that stays.
	 */
	int (*probe)(const struct backend_ctx *ctx, char *why, size_t len);
	/*
	 * Its probe tests only what the kernel can run and leaves no state behind: a pass is
	 * kept for the rest of the boot (src/probe/verdicts.h).
	 */
	bool probe_kept;
	/*
	 * NULL when it could hook F as far as is known before trying (its entry points reach
	 * the skb, the kernel's lists allow it), else why not, in a few words.
	 */
	const char *(*cannot_take)(const struct backend_ctx *ctx, const struct func_entry *f);
	/*
	 * Before load (ctx->obj is open): choose and configure the programs to load, set up
	 * ctx->priv. NULL: the entry points for the positions some function uses
	 * (backend_select_programs).
	 */
	int (*prepare)(const struct backend *b, struct backend_ctx *ctx);
	/*
	 * While libbpf loads one of its programs, after the filter splice: may set the attach
	 * target or keep the final instructions. NULL: nothing to do.
	 */
	int (*prog_load)(struct backend_ctx *ctx, struct bpf_program *prog,
			 struct bpf_prog_load_opts *opts, char *err, size_t len);
	/*
	 * After load. Returns 0, or -1 with E set and nothing attached: stopped when *stop was
	 * set while attaching, else not possible.
	 */
	int (*attach)(struct backend_ctx *ctx, struct attach_result *res, struct pwru_err *e);
	void (*detach)(struct backend_ctx *ctx);
};

extern const struct backend backend_kprobe_multi;
extern const struct backend backend_kprobe;
extern const struct backend backend_fentry;
extern const struct backend backend_tracepoint;
/* Not in the table: return values where fexit cannot run (retsplit.c's). */
extern const struct backend backend_kretprobe;

/* The table, in order of preference; NULL past its end. */
const struct backend *backend_at(size_t i);
const struct backend *backend_find(const char *name);
/* The names joined by SEP ("kprobe-multi, kprobe"), into BUF; returns BUF. */
const char *backend_names(const char *sep, char *buf, size_t len);
/* Every section of every backend (the object holds them all), into OUT; returns how many. */
size_t backend_sections(const struct hook_section **out, size_t max);

/*
 * B's probe (0, or -1 with a reason in WHY), or its pass kept from earlier in this boot;
 * with ctx->debug, a line says which.
 */
int backend_probe(const struct backend *b, const struct backend_ctx *ctx, char *why, size_t len);

/*
 * After a failed load or attach: the backends whose kept pass was taken are probed for
 * real (the copy may be another's, or the kernel may refuse now what it ran then). When
 * one fails, forgets the kept passes, probes for real from now on and returns true with
 * MSG saying so, once: the caller starts again. False when they all pass.
 */
bool backend_drop_kept(const struct backend_ctx *ctx, char *msg, size_t len);
/*
 * libbpf's warnings are held while a kept pass is trusted: backend_drop_kept discards
 * them; otherwise the caller shows them (SHOW) once the start has failed or worked.
 */
void backend_release_log(bool show);

/*
 * Sizes PENDING, the LRU hash of records held from a function's entry to its exit, once
 * something will hold records in it. 0 or a negative errno.
 */
int backend_size_pending(struct bpf_map *pending);

/* The set B hooks: ctx->fs or ctx->tps. */
const struct funcset *backend_set(const struct backend *b, const struct backend_ctx *ctx);

/*
 * The backend to use: NAME's (NULL: the first of the table this kernel can run with
 * something to hook). Returns 0 with MSG holding a line to show when the choice was not
 * the first ("" otherwise), or -1 with MSG saying in one line why nothing can trace here.
 */
int backend_choose(const char *name, const struct backend_ctx *ctx, const struct backend **out,
		   char *msg, size_t len);

/* Before load: B's prepare, or by default only B's programs for the positions in use. */
int backend_prepare(const struct backend *b, struct backend_ctx *ctx);
/*
 * Autoloads only PREFIX1..PREFIX<MAX_POS>, and of those the positions of the entries of
 * SET that USE accepts (NULL: all).
 */
void backend_select_programs(const char *prefix, int max_pos, const struct backend_ctx *ctx,
			     const struct funcset *set,
			     int (*use)(const struct backend_ctx *ctx, const struct func_entry *f));
/* The same without turning anything off first. */
void backend_autoload(const char *prefix, int max_pos, const struct backend_ctx *ctx,
		      const struct funcset *set,
		      int (*use)(const struct backend_ctx *ctx, const struct func_entry *f));
struct bpf_program *backend_program(const struct backend *b, struct bpf_object *obj, int pos);
struct bpf_program *backend_program_named(const char *prefix, struct bpf_object *obj, int pos);

/*
 * The end of B's attach with result RC (0 or a negative errno, -EINTR when stopped): on
 * failure, says why in E (NONE_WHY, or RC's text, when nothing attached) and detaches what
 * did. Returns 0 or -1.
 */
int backend_attach_end(const struct backend *b, struct backend_ctx *ctx, int rc,
		       const struct attach_result *res, const char *none_why, struct pwru_err *e);

/*
 * With ctx->debug: one line on stderr for each entry of B's set that HOOKED[i] says is not
 * hooked, with why: B's cannot_take, else ERRS[i] (a negative errno from the kernel; ERRS
 * may be NULL).
 */
void backend_report_skips(const struct backend *b, const struct backend_ctx *ctx,
			  const uint8_t *hooked, const int *errs);

/* Why B's entry points cannot reach F's skb (past the registers it reads), or NULL. */
const char *backend_out_of_reach(const struct backend *b, const struct func_entry *f);

/*
 * After B's attach: RES from HOOKED (by index in B's set), the --debug lines, and the
 * result: 0, -EINTR when stopped, else (nothing hooked) the first refusal in ERRS.
 */
int backend_tally(const struct backend *b, const struct backend_ctx *ctx, const uint8_t *hooked,
		  const int *errs, struct attach_result *res);

/*
 * The benchmarks' list of what was attached (PWRU_BENCH_TARGETS=PATH), one line per
 * attachment, for tests/bench/attach_floor.c to make the same ones; NULL when not asked.
 */
FILE *backend_bench_dump(void);

/* Silences libbpf's own warnings while a backend tries attaches it expects to fail. */
void backend_quiet(int on);
void backend_install_libbpf_print(void);

#endif
