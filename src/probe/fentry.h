/* SPDX-License-Identifier: GPL-2.0 */
/* The fentry backend's parts: per-function copies (fentry.c), the tracing-multi link
 * (fentry_multi.c). */
#ifndef PWRU_FENTRY_H
#define PWRU_FENTRY_H

#include <stddef.h>
#include <stdint.h>

struct attach_result;
struct backend_ctx;
struct clone_target;
struct func_entry;

/* Linux 7.2's attach type and link (uapi numbers; Debian's libbpf 1.1 predates them). */
#define FENTRY_MULTI_ATTACH 59
#define FEXIT_MULTI_ATTACH  60

/* Functions from which fentry's start-up lines are said without --debug: a few (nf_hook_slow's
 * exit beside kprobe-multi) take no time worth a line. */
#define FENTRY_SAY_FROM 32

/*
 * Whether a trampoline can reach F's skb (slot, argument kinds, the kernel's own BTF) and
 * enter F (its ftrace call site), as far as is known before trying.
 */
int fentry_can_take(const struct backend_ctx *ctx, const struct func_entry *f);

/*
 * Loads a program that does nothing at TG's target, and attaches it if ATTACH: whether
 * fentry works here at all. 0, or a negative errno with WHY saying it.
 */
int fentry_try(const struct clone_target *tg, int attach, char *why, size_t len);

struct fentry_multi;

/* Whether this kernel has the tracing-multi link (probed once, cheaply). */
int fentry_multi_usable(const struct backend_ctx *ctx);
struct fentry_multi *fentry_multi_new(void);
/* Autoloads the multi programs for the slots in use. */
int fentry_multi_prepare(struct fentry_multi *m, struct backend_ctx *ctx);
/*
 * Links the vmlinux functions, one link per slot (split where refused); marks HOOKED and
 * the refusals in ERRS, by index in ctx->fs. 0, or a negative errno that is not a refusal.
 */
int fentry_multi_attach(struct fentry_multi *m, struct backend_ctx *ctx, uint8_t *hooked,
			int *errs);
void fentry_multi_free(struct fentry_multi *m);

#endif
