// SPDX-License-Identifier: GPL-2.0
/*
 * fentry: a BPF trampoline per function, which reaches the skb in any of the first 12
 * argument slots (kprobes read registers only). Before Linux 7.2 a tracing program's
 * target is fixed when it is loaded, so each function gets its own copy of the template
 * for its skb slot (clone.c), loaded and attached from a few threads. Where the kernel has
 * the tracing-multi link (7.2), one program per slot is attached to all of its functions
 * at once (fentry_multi.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "bpf/probe_sections.h"
#include "kallsyms/kallsyms.h"
#include "src/discover/funcset.h"
#include "src/discover/traceable.h"
#include "src/probe/backend.h"
#include "src/probe/cloned.h"
#include "src/probe/fentry.h"

/*
 * Loading is the verifier's work on each copy and runs in parallel in the kernel; attaching
 * rewrites the function's entry under the kernel's text lock. See docs/performance.md.
 */
#define LOAD_THREADS   4
#define ATTACH_THREADS 1

static const char template_prefix[] = "fentry_skb_";

static const char *why_not(const struct func_entry *f)
{
	if (f->flags & FUNC_SYNTHETIC)
		return "its module has no BTF in the kernel (typed from its .ko)";
	if (f->flags & FUNC_VARARGS)
		return "variadic: trampolines refuse it";
	if (f->flags & FUNC_BIG_ARG)
		return "a struct argument larger than 16 bytes: trampolines refuse it";
	if (f->flags & FUNC_IRREGULAR)
		return "a struct argument passed on the stack while registers were left";
	if (!f->pos || f->pos > FUNCSET_MAX_POS)
		return "the skb is past the 12 arguments a trampoline reaches";
	return NULL;
}

static const char *fentry_cannot_take(const struct backend_ctx *ctx, const struct func_entry *f)
{
	const char *why = why_not(f);

	/* a trampoline is entered through the function's ftrace call site */
	if (!why && !traceable_ftrace_in(ctx->tr, f->name, f->module, f->addrs[0]))
		why = "not ftrace-able (notrace, or absent from available_filter_functions)";
	return why;
}

int fentry_can_take(const struct backend_ctx *ctx, const struct func_entry *f)
{
	return !fentry_cannot_take(ctx, f);
}

/* Loads and runs a program that does nothing at TARGET: whether fentry works here at all. */
static int try_fentry(const struct clone_target *tg, int attach, char *why, size_t len)
{
	const struct bpf_insn insns[] = {
	    {.code = 0xb7, .dst_reg = 0, .imm = 0}, /* r0 = 0 */
	    {.code = 0x95},			    /* exit */
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = tg->btf_id, .attach_btf_obj_fd = tg->btf_obj_fd);
	int prog, link = -1, err = 0;

	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "pwru_probe", "GPL", insns, 2, &o);
	if (prog < 0)
		err = errno;
	else if (attach && (link = bpf_raw_tracepoint_open(NULL, prog)) < 0)
		err = errno;
	if (link >= 0)
		close(link);
	if (prog >= 0)
		close(prog);
	if (err == EPERM && prog < 0)
		snprintf(why, len, "the kernel refuses fentry programs (EPERM: lockdown?)");
	else if (err)
		snprintf(why, len, "a test fentry program %s: %s",
			 prog < 0 ? "does not load" : "does not attach", strerror(err));
	return err ? -err : 0;
}

/*
 * What a test program and the templates' stand-ins attach to: the function BPF's own tests
 * trace (in every kernel with BPF, never called on its own), else a plain function of the
 * set (no struct argument, all in registers, in vmlinux).
 */
static int probe_target(const struct backend_ctx *ctx, struct clone_target *tg)
{
	const struct funcset *fs = ctx->fs;
	int id =
	    ctx->btf ? btf__find_by_name_kind(ctx->btf, "bpf_fentry_test1", BTF_KIND_FUNC) : -1;
	size_t i;

	for (i = 0; id <= 0 && i < fs->n; i++) {
		const struct func_entry *f = &fs->funcs[i];

		if (!f->module && !(f->flags & FUNC_STRUCT_ARG) && f->nslots <= 6 &&
		    fentry_can_take(ctx, f))
			id = (int)f->btf_id;
	}
	*tg = (struct clone_target){.btf_id = id > 0 ? (uint32_t)id : 0};
	return id > 0 ? 0 : -ENOENT;
}

static int fentry_probe(const struct backend_ctx *ctx, char *why, size_t len)
{
	struct clone_target tg;

	if (probe_target(ctx, &tg)) {
		snprintf(why, len, "no function to test it on (no bpf_fentry_test1 in BTF)");
		return -1;
	}
	/* load only: attaching would patch a function the user asked to trace */
	return try_fentry(&tg, 0, why, len) ? -1 : 0;
}

struct fentry_state {
	struct cloned c;
	struct fentry_multi *multi;
};

static void fentry_target(const struct cloned *c, const struct func_entry *f,
			  struct clone_target *tg)
{
	*tg = (struct clone_target){
	    .btf_id = f->btf_id,
	    .values = {[CLONE_FUNC_IP] = f->addrs[0], [CLONE_NARGS] = f->nslots}};
}

static int fentry_link(const struct cloned *c, const struct func_entry *f, int prog)
{
	int fd = bpf_raw_tracepoint_open(NULL, prog);

	return fd < 0 ? -errno : fd;
}

static int in_module(const struct backend_ctx *ctx, const struct func_entry *f)
{
	return f->module && fentry_can_take(ctx, f);
}

static int fentry_prepare(const struct backend *b, struct backend_ctx *ctx)
{
	struct fentry_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	ctx->priv = st;
	st->c = (struct cloned){.prefix = template_prefix,
				.set = ctx->fs,
				.target = fentry_target,
				.attach = fentry_link};
	if (probe_target(ctx, &st->c.stand_in))
		return -ENOENT;
	if (!fentry_multi_usable(ctx)) {
		backend_select_programs(b->prog_prefix, b->max_pos, ctx, ctx->fs, fentry_can_take);
		return 0;
	}
	/* the multi link takes vmlinux's functions; modules' get copies */
	st->multi = fentry_multi_new();
	if (!st->multi)
		return -ENOMEM;
	backend_select_programs(b->prog_prefix, b->max_pos, ctx, ctx->fs, in_module);
	return fentry_multi_prepare(st->multi, ctx);
}

static int fentry_prog_load(struct backend_ctx *ctx, struct bpf_program *prog,
			    struct bpf_prog_load_opts *opts, char *err, size_t len)
{
	struct fentry_state *st = ctx->priv;

	return cloned_capture(&st->c, prog, opts, err, len);
}

static void fentry_detach(struct backend_ctx *ctx)
{
	struct fentry_state *st = ctx->priv;

	if (!st)
		return;
	cloned_free(&st->c);
	fentry_multi_free(st->multi);
	free(st);
	ctx->priv = NULL;
}

static int fentry_attach(struct backend_ctx *ctx, struct attach_result *res, char *err, size_t len)
{
	struct fentry_state *st = ctx->priv;
	size_t n = ctx->fs->n ? ctx->fs->n : 1;
	uint8_t *hooked = calloc(n, 1);
	int *errs = calloc(n, sizeof(*errs));
	int rc = hooked && errs ? 0 : -ENOMEM;

	if (!rc && st->multi)
		rc = fentry_multi_attach(st->multi, ctx, hooked, errs);
	if (!rc)
		rc = cloned_collect(&st->c, ctx, st->multi ? in_module : fentry_can_take);
	if (!rc && st->c.n) {
		cloned_run(&st->c, LOAD_THREADS, ATTACH_THREADS, ctx->stop);
		cloned_results(&st->c, hooked, errs);
		fprintf(stderr,
			"pwru: fentry: one program per function: %zu loaded in %.1f s, attached "
			"in %.1f s\n",
			st->c.n, st->c.t_load, st->c.t_attach);
	}
	if (!rc)
		rc = backend_tally(&backend_fentry, ctx, hooked, errs, res);
	free(hooked);
	free(errs);
	return backend_attach_end(&backend_fentry, ctx, rc, res, NULL, err, len);
}

static const struct hook_section fentry_sections[] = {
    {PWRU_SEC_FENTRY "+", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY},
    {PWRU_SEC_FENTRY_MULTI "+", BPF_PROG_TYPE_TRACING, FENTRY_MULTI_ATTACH},
};

const struct backend backend_fentry = {
    .name = "fentry",
    .targets = TARGET_FUNCS,
    .sections = fentry_sections,
    .nsections = 2,
    .max_pos = FUNCSET_MAX_POS,
    .prog_prefix = template_prefix,
    .probe = fentry_probe,
    .cannot_take = fentry_cannot_take,
    .prepare = fentry_prepare,
    .prog_load = fentry_prog_load,
    .attach = fentry_attach,
    .detach = fentry_detach,
};
