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
#include <stddef.h>
#include <stdint.h>
#include "src/error.h"
#include "src/probe/splice_hooks.h"

struct bpf_object;
struct bpf_program;
struct bpf_prog_load_opts;
struct funcset;
struct kallsyms;
struct traceable;

struct attach_result {
	size_t attached; /* functions with at least one address hooked */
	size_t skipped;	 /* functions the kernel refused or we knew it would */
};

struct backend_ctx {
	struct bpf_object *obj;
	const struct funcset *fs;
	const struct traceable *tr;
	volatile sig_atomic_t *stop; /* set by SIGINT/SIGTERM: stop attaching, clean up */
	void *priv;
};

struct backend {
	const char *name;
	/* Its programs' SEC() names (bpf/probe_sections.h), for the loader's splice hooks. */
	const struct hook_section *sections;
	size_t nsections;
	/* Program name prefix; the programs are PREFIX1..PREFIXn, one per skb position. */
	const char *prog_prefix;
	/* 0 when usable on this kernel; else a short reason in WHY. Cheap, cannot hang. */
	int (*probe)(const struct kallsyms *ks, const struct funcset *fs, char *why, size_t len);
	/*
	 * Before load: choose and configure the programs to load. NULL: the entry points for
	 * the positions some function uses (backend_select_programs).
	 */
	int (*prepare)(const struct backend *b, struct bpf_object *obj, const struct funcset *fs);
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

/* The table, in order of preference; NULL past its end. */
const struct backend *backend_at(size_t i);
const struct backend *backend_find(const char *name);
/* The names joined by SEP ("kprobe-multi, kprobe"), into BUF; returns BUF. */
const char *backend_names(const char *sep, char *buf, size_t len);
/* Every section of every backend (the object holds them all), into OUT; returns how many. */
size_t backend_sections(const struct hook_section **out, size_t max);

/*
 * The backend to use: NAME's (NULL: the first of the table this kernel can run). Returns 0
 * with MSG holding a line to show when the choice was not the first ("" otherwise), or -1
 * with MSG saying in one line why nothing can trace here.
 */
int backend_choose(const char *name, const struct kallsyms *ks, const struct funcset *fs,
		   const struct backend **out, char *msg, size_t len);

/* Before load: B's prepare, or by default only B's programs for the positions in use. */
int backend_prepare(const struct backend *b, struct bpf_object *obj, const struct funcset *fs);
void backend_select_programs(const struct backend *b, struct bpf_object *obj,
			     const struct funcset *fs);
struct bpf_program *backend_program(const struct backend *b, struct bpf_object *obj, int pos);

/*
 * The end of B's attach with result RC (0 or a negative errno, -EINTR when stopped): on
 * failure, says why in E (NONE_WHY, or RC's text, when nothing attached) and detaches what
 * did. Returns 0 or -1.
 */
int backend_attach_end(const struct backend *b, struct backend_ctx *ctx, int rc,
		       const struct attach_result *res, const char *none_why, struct pwru_err *e);

/* Silences libbpf's own warnings while a backend tries attaches it expects to fail. */
void backend_quiet(int on);
void backend_install_libbpf_print(void);

#endif
