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
#include "bpf/clone.h"
#include "bpf/probe_sections.h"
#include "kallsyms/kallsyms.h"
#include "src/discover/funcset.h"
#include "src/discover/traceable.h"
#include "src/output/fmt.h"
#include "src/probe/backend.h"
#include "src/probe/btf_uses.h"
#include "src/probe/closer.h"
#include "src/probe/cloned.h"
#include "src/probe/fentry.h"

/*
 * Loading is the verifier's work on each copy and runs in parallel in the kernel (one
 * thread per CPU); attaching rewrites the function's entry under the kernel's text lock.
 * See docs/performance.md.
 */
#define LOAD_THREADS   0
#define ATTACH_THREADS 1
/* Programs from which detaching takes seconds (about 0.15 s each before 7.2): say it starts. */
#define DETACH_SAY_FROM 32

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

/* The kernel's own ENOTSUPP (include/linux/errno.h), which no libc names. */
#define ENOTSUPP_KERNEL 524

int fentry_try(const struct clone_target *tg, int attach, char *why, size_t len)
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
	closer_defer((int[]){link, prog}, 2);
	if (err == EPERM && prog < 0)
		snprintf(why, len, "the kernel refuses fentry programs (EPERM: lockdown?)");
	else if (err == ENOTSUPP_KERNEL && prog >= 0)
		snprintf(why, len,
			 "no BPF trampolines on this kernel's architecture (a test "
			 "fentry program loads, its attach fails with ENOTSUPP)");
	else if (err)
		snprintf(why, len, "a test fentry program %s: %s",
			 prog < 0 ? "does not load" : "does not attach", strerror(err));
	return err ? -err : 0;
}

/*
 * What a test program and the templates' stand-ins attach to: the function BPF's own tests
 * trace (in every kernel with BPF, never called on its own; *TEST_FN set), else a plain
 * function of the set (no struct argument, all in registers, in vmlinux).
 */
static int probe_target(const struct backend_ctx *ctx, struct clone_target *tg, int *test_fn)
{
	const struct funcset *fs = ctx->fs;
	int id = ctx->uses ? ctx->uses->test_fn_id : -1;
	size_t i;

	*test_fn = id > 0;
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
	int test_fn;

	if (probe_target(ctx, &tg, &test_fn)) {
		snprintf(why, len, "no function to test it on (no bpf_fentry_test1 in BTF)");
		return -1;
	}
	/*
	 * A kernel without trampolines for its architecture (arm64 6.1) loads the program and
	 * refuses the attach: attached on bpf_fentry_test1 only, never on a function the user
	 * asked to trace.
	 */
	return fentry_try(&tg, test_fn, why, len) ? -1 : 0;
}

struct fentry_state {
	struct cloned c;   /* one entry program per function */
	struct cloned ret; /* one exit program per function that wants its return value */
	struct fentry_multi *multi;
};

/* A stashing copy's exit also learns the skb's slot, to check the held event is its call's. */
static uint64_t fentry_flags(const struct func_entry *f)
{
	uint64_t flags = (f->flags & FUNC_RET_S32 ? CLONE_RET_S32 : 0) |
			 (f->flags & FUNC_NF_HOOK ? CLONE_NF_STATE : 0);

	if (f->flags & FUNC_WANT_RET)
		flags |= CLONE_STASH | (uint64_t)(f->pos - 1) << CLONE_SKB_SLOT_SHIFT;
	return flags;
}

static void fentry_target(const struct cloned *c, const struct func_entry *f,
			  struct clone_target *tg)
{
	*tg = (struct clone_target){.btf_id = f->btf_id,
				    .values = {[CLONE_FUNC_IP] = f->addrs[0],
					       [CLONE_NARGS] = f->nslots,
					       [CLONE_FLAGS] = fentry_flags(f)}};
}

static int fentry_link(const struct cloned *c, const struct func_entry *f, int prog)
{
	int fd = bpf_raw_tracepoint_open(NULL, prog);

	return fd < 0 ? -errno : fd;
}

/* Who gets a copy of the template: everything, or (with the multi link) what it cannot take. */
static int own_copy(const struct backend_ctx *ctx, const struct func_entry *f)
{
	const struct fentry_state *st = ctx->priv;

	if (!fentry_can_take(ctx, f))
		return 0;
	return !st->multi || f->module || (f->flags & FUNC_WANT_RET);
}

static int wants_ret(const struct backend_ctx *ctx, const struct func_entry *f)
{
	return (f->flags & FUNC_WANT_RET) && fentry_can_take(ctx, f);
}

/* An exit program for the functions whose events carry their return value, if any. */
static int prepare_ret(struct fentry_state *st, struct backend_ctx *ctx)
{
	struct bpf_map *pending = bpf_object__find_map_by_name(ctx->obj, "pending");
	struct bpf_program *p = bpf_object__find_program_by_name(ctx->obj, "fexit_ret_1");
	size_t i, n = 0;

	for (i = 0; i < ctx->fs->n; i++)
		n += wants_ret(ctx, &ctx->fs->funcs[i]);
	st->ret = (struct cloned){.prefix = "fexit_ret_",
				  .dump_kind = "fexit",
				  .one_template = 1,
				  .set = ctx->fs,
				  .stand_in = st->c.stand_in,
				  .target = fentry_target,
				  .attach = fentry_link};
	if (!n)
		return 0;
	if (!pending || !p)
		return -ENOENT;
	bpf_program__set_autoload(p, true);
	return backend_size_pending(pending);
}

static int fentry_prepare(const struct backend *b, struct backend_ctx *ctx)
{
	struct fentry_state *st = calloc(1, sizeof(*st));
	int test_fn;

	if (!st)
		return -ENOMEM;
	ctx->priv = st;
	st->c = (struct cloned){.prefix = template_prefix,
				.dump_kind = "fentry",
				.set = ctx->fs,
				.target = fentry_target,
				.attach = fentry_link};
	if (probe_target(ctx, &st->c.stand_in, &test_fn))
		return -ENOENT;
	/* the multi link takes vmlinux's functions; modules' get copies */
	if (fentry_multi_usable(ctx)) {
		st->multi = fentry_multi_new();
		if (!st->multi)
			return -ENOMEM;
	}
	backend_select_programs(b->prog_prefix, b->max_pos, ctx, ctx->fs, own_copy);
	if (st->multi)
		fentry_multi_prepare(st->multi, ctx);
	return prepare_ret(st, ctx);
}

static int fentry_prog_load(struct backend_ctx *ctx, struct bpf_program *prog,
			    struct bpf_prog_load_opts *opts, char *err, size_t len)
{
	struct fentry_state *st = ctx->priv;
	int rc = cloned_capture(&st->c, prog, opts, err, len);

	return rc ? rc : cloned_capture(&st->ret, prog, opts, err, len);
}

static void fentry_detach(struct backend_ctx *ctx)
{
	struct fentry_state *st = ctx->priv;
	size_t n, funcs;

	if (!st)
		return;
	/*
	 * Before 7.2 the kernel unregisters one trampoline at a time, about 0.15 s each (a
	 * minute per 400 functions in the VM): say so, or a Ctrl-C looks like a hang.
	 */
	/* the count said at attach; return values add an fexit program each */
	n = cloned_live(&st->c) + cloned_live(&st->ret);
	/* none said when stopped attaching */
	funcs = ctx->attached ? ctx->attached : cloned_live(&st->c);
	if (n >= DETACH_SAY_FROM)
		fprintf(stderr,
			"pwru: detaching %zu function%s (%zu fentry program%s: the kernel removes "
			"them one by one)\n",
			funcs, plural(funcs), n, plural(n));
	fentry_multi_free(st->multi);
	cloned_free(&st->c);
	cloned_free(&st->ret);
	free(st);
	ctx->priv = NULL;
}

static void run_copies(struct cloned *c, struct backend_ctx *ctx, uint8_t *hooked, int *errs,
		       const char *what)
{
	cloned_run(c, LOAD_THREADS, ATTACH_THREADS, ctx->stop);
	cloned_results(c, hooked, errs);
	if (c->n >= FENTRY_SAY_FROM || ctx->debug)
		fprintf(stderr,
			"pwru: fentry: one %s program per function: %zu loaded in %.1f s, "
			"attached in %.1f s\n",
			what, cloned_live(c), c->t_load, c->t_attach);
}

static int fentry_attach(struct backend_ctx *ctx, struct attach_result *res, struct pwru_err *e)
{
	struct fentry_state *st = ctx->priv;
	size_t n = ctx->fs->n ? ctx->fs->n : 1;
	uint8_t *hooked = calloc(n, 1), *ret_hooked = calloc(n, 1);
	int *errs = calloc(n, sizeof(*errs));
	int rc = hooked && ret_hooked && errs ? 0 : -ENOMEM;

	if (!rc && st->multi)
		rc = fentry_multi_attach(st->multi, ctx, hooked, errs);
	/* exits first: an entry holding its event before its exit is there would wait long */
	if (!rc)
		rc = cloned_collect(&st->ret, ctx, wants_ret);
	if (!rc && st->ret.n)
		run_copies(&st->ret, ctx, ret_hooked, errs, "exit");
	if (!rc)
		rc = cloned_collect(&st->c, ctx, own_copy);
	if (!rc && st->c.n)
		run_copies(&st->c, ctx, hooked, errs, "entry");
	for (n = 0; !rc && n < ctx->fs->n; n++) /* a held event nobody would release */
		if (wants_ret(ctx, &ctx->fs->funcs[n]) && !ret_hooked[n])
			hooked[n] = 0;
	if (!rc)
		rc = backend_tally(&backend_fentry, ctx, hooked, errs, res);
	free(hooked);
	free(ret_hooked);
	free(errs);
	return backend_attach_end(&backend_fentry, ctx, rc, res, NULL, e);
}

static const struct hook_section fentry_sections[] = {
    {PWRU_SEC_FENTRY, BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY},
    {PWRU_SEC_FENTRY_MULTI, BPF_PROG_TYPE_TRACING, FENTRY_MULTI_ATTACH},
    {PWRU_SEC_FEXIT, BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT},
};

const struct backend backend_fentry = {
    .name = "fentry",
    .targets = TARGET_FUNCS,
    .sections = fentry_sections,
    .nsections = 3,
    .max_pos = FUNCSET_MAX_POS,
    .prog_prefix = template_prefix,
    .probe = fentry_probe,
    .probe_kept = true,
    .cannot_take = fentry_cannot_take,
    .prepare = fentry_prepare,
    .prog_load = fentry_prog_load,
    .attach = fentry_attach,
    .detach = fentry_detach,
};
