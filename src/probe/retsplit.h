/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Return values where the chosen backend has none. kprobe-multi and kprobe carry no return
 * value, so nf_hook_slow (netfilter's verdict) and the other functions whose events want
 * theirs (FUNC_WANT_RET) are handed to the fentry backend, entry and exit, when this
 * kernel runs trampolines; the chosen backend hooks the rest. Where trampolines do not run
 * (arm64 before 6.4, lockdown) nothing is split: those functions show without their result.
 */
#ifndef PWRU_RETSPLIT_H
#define PWRU_RETSPLIT_H

#include <stdbool.h>
#include "src/discover/funcset.h"
#include "src/probe/backend.h"

struct retsplit {
	bool on;
	/* views of the whole set (arrays of their own, entries shared with it) */
	struct funcset rest;	/* the chosen backend's */
	struct funcset ret;	/* fentry's */
	struct backend_ctx ctx; /* fentry's, on ret */
};

/*
 * After backend B was chosen on CTX: splits CTX->fs when B carries no return values and
 * fentry can take a function wanting one; CTX->fs then points at the rest. 0, or -ENOMEM.
 */
int retsplit_init(struct retsplit *s, const struct backend *b, struct backend_ctx *ctx);
/* The backend on the split-off functions, and its context, or NULL when nothing is split. */
const struct backend *retsplit_backend(struct retsplit *s, struct backend_ctx **ctx);
/*
 * After the chosen backend's prepare: fentry's on top, keeping what was selected. 0 or a
 * negative errno.
 */
int retsplit_prepare(struct retsplit *s, struct bpf_object *obj);
/*
 * Attaches the split-off functions and adds them to RES. A refusal is said on stderr and
 * tracing goes on without them: 0. -1 with E set when stopped while attaching.
 */
int retsplit_attach(struct retsplit *s, struct attach_result *res, struct pwru_err *e);
void retsplit_free(struct retsplit *s);

#endif
