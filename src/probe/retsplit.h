/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Return values where the chosen backend has none, and what netfilter decided.
 * kprobe-multi and kprobe carry no return value, so nf_hook_slow (netfilter's verdict) and
 * the other functions whose events want theirs (FUNC_WANT_RET) are handed to the fentry
 * backend, entry and exit, when this kernel runs trampolines, else to a kprobe and a
 * kretprobe (arm64 before 6.4; kretprobe.c); the chosen backend hooks the rest. Where
 * neither runs (lockdown) nothing is split: those functions show without their result.
 * Where nf_hook_slow's verdict comes through fexit, an fexit on nft_do_chain
 * (bpf/entry_nft.h) names the nft table and base chain and their verdict, where nf_tables
 * is loaded and has BTF.
 */
#ifndef PWRU_RETSPLIT_H
#define PWRU_RETSPLIT_H

#include <stdbool.h>
#include "src/discover/funcset.h"
#include "src/probe/backend.h"
#include "src/probe/btf_objs.h"

struct bpf_link;

struct retsplit {
	bool on;
	const struct backend *rb; /* what hooks the split-off functions */
	/* views of the whole set (arrays of their own, entries shared with it) */
	struct funcset rest;		 /* the chosen backend's */
	struct funcset ret;		 /* fentry's */
	struct backend_ctx ctx;		 /* fentry's, on ret */
	bool nft;			 /* nft_do_chain wanted */
	char no_fexit[256];		 /* why nft_do_chain's fexit cannot run, or "" */
	bool debug;			 /* --debug */
	struct bpf_program *nft_prog[2]; /* exit, entry */
	struct bpf_link *nft_link[2];
	__u32 nft_btf_id;      /* nft_do_chain in nf_tables' BTF */
	struct btf_objs mods;  /* that BTF's fd */
	struct btf_uses *uses; /* the start's, where that id is kept */
};

/* The sections of the nft_do_chain programs, for the loader's splice hooks. */
size_t retsplit_sections(const struct hook_section **out, size_t max);
/*
 * After backend B was chosen on CTX: splits CTX->fs when B carries no return values and
 * fentry can take a function wanting one; CTX->fs then points at the rest. 0, or -ENOMEM.
 */
int retsplit_init(struct retsplit *s, const struct backend *b, struct backend_ctx *ctx);
/*
 * Whether what S hooks needs no program but fentry's template for the skb's first
 * position and its exit (nf_hook_slow's, the default): nothing split, or only such
 * functions through fentry. Known once retsplit_init() has run, before the object opens.
 */
bool retsplit_first(const struct retsplit *s);
/* The backend on the split-off functions, and its context, or NULL when nothing is split. */
const struct backend *retsplit_backend(struct retsplit *s, struct backend_ctx **ctx);
/*
 * After the chosen backend's prepare: fentry's on top, keeping what was selected, and the
 * nft_do_chain program where it can load (not with USER_BTF: --kernel-btf). 0 or a negative
 * errno.
 */
int retsplit_prepare(struct retsplit *s, struct bpf_object *obj, bool user_btf);
/* From the loader's per-program step: nft_do_chain's programs get their target. */
void retsplit_prog_load(struct retsplit *s, struct bpf_program *prog,
			struct bpf_prog_load_opts *opts);
/*
 * Attaches the split-off functions and adds them to RES, then nft_do_chain's program. A
 * refusal is said on stderr and tracing goes on without them: 0. -1 with E set when
 * stopped while attaching.
 */
int retsplit_attach(struct retsplit *s, struct attach_result *res, struct pwru_err *e);
void retsplit_free(struct retsplit *s);

#endif
