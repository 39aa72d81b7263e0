/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the BPF handler gets hooked to the traced functions. One file per backend, one line
 * in the table in backend.c; main never names a backend. A backend may keep state in
 * ctx->priv between attach and detach.
 */
#ifndef PWRU_BACKEND_H
#define PWRU_BACKEND_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct bpf_object;
struct bpf_program;
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
	/* 0 when usable on this kernel; else a short reason in WHY. Cheap, cannot hang. */
	int (*probe)(const struct kallsyms *ks, const struct funcset *fs, char *why, size_t len);
	/* Program name prefix; the programs are PREFIX1..PREFIX5, one per skb register. */
	const char *prog_prefix;
	/*
	 * Before load: choose and configure the programs to load. NULL: the entry points for
	 * the registers some function uses (backend_select_programs).
	 */
	int (*prepare)(const struct backend *b, struct bpf_object *obj, const struct funcset *fs);
	/* After load. On failure, ERR says why and nothing stays attached. */
	int (*attach)(struct backend_ctx *ctx, struct attach_result *res, char *err, size_t len);
	void (*detach)(struct backend_ctx *ctx);
};

extern const struct backend backend_kprobe_multi;
extern const struct backend backend_kprobe;

/* The table, in order of preference. */
const struct backend *backend_find(const char *name);
const struct backend *backend_at(size_t i);

/* Before load: B's prepare, or by default only B's programs for the registers in use. */
int backend_prepare(const struct backend *b, struct bpf_object *obj, const struct funcset *fs);
void backend_select_programs(const struct backend *b, struct bpf_object *obj,
			     const struct funcset *fs);
struct bpf_program *backend_program(const struct backend *b, struct bpf_object *obj, int pos);

/*
 * The end of B's attach with result RC: on failure, says why in ERR (NONE_WHY, or RC's
 * text, when nothing attached) and detaches what did. Returns RC.
 */
int backend_attach_end(const struct backend *b, struct backend_ctx *ctx, int rc,
		       const struct attach_result *res, const char *none_why, char *err,
		       size_t len);

/* Silences libbpf's own warnings while a backend tries attaches it expects to fail. */
void backend_quiet(int on);
void backend_install_libbpf_print(void);

#endif
