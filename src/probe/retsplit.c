// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "bpf/probe_sections.h"
#include "src/discover/kbtf.h"
#include "src/probe/btf_uses.h"
#include "src/probe/retsplit.h"

/* Exit first: an entry's held event always finds its exit. */
static const char *const nft_progs[2] = {"pwru_nft_exit", "pwru_nft_entry"};
/* their kinds in the benchmarks' list (backend_bench_dump) */
static const char *const nft_kinds[2] = {"fexit", "fentry"};

static const struct hook_section ret_sections[] = {
    {PWRU_SEC_NFT_EXIT, BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT},
    {PWRU_SEC_NFT_ENTRY, BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY},
    {PWRU_SEC_KRETPROBE, BPF_PROG_TYPE_KPROBE, 0},
};

#define NRET_SECTIONS (sizeof(ret_sections) / sizeof(ret_sections[0]))

size_t retsplit_sections(const struct hook_section **out, size_t max)
{
	size_t i;

	for (i = 0; i < NRET_SECTIONS && i < max; i++)
		out[i] = &ret_sections[i];
	return i;
}

/* fexit where trampolines run (else WHY not), else a kretprobe; NULL when neither can. */
static const struct backend *ret_backend(const struct backend_ctx *ctx, char *why, size_t len)
{
	char other[256];

	if (!backend_probe(&backend_fentry, ctx, why, len))
		return &backend_fentry;
	if (!*why)
		snprintf(why, len, "this kernel refuses fentry programs");
	if (!backend_probe(&backend_kretprobe, ctx, other, sizeof(other)))
		return &backend_kretprobe;
	return NULL;
}

static bool splits(const struct backend *rb, const struct backend_ctx *ctx,
		   const struct func_entry *f)
{
	return (f->flags & FUNC_WANT_RET) && !rb->cannot_take(ctx, f);
}

static int view(struct funcset *v, const struct funcset *all, size_t n)
{
	*v = *all;
	v->n = 0;
	v->funcs = calloc(n ? n : 1, sizeof(*v->funcs));
	return v->funcs ? 0 : -ENOMEM;
}

int retsplit_init(struct retsplit *s, const struct backend *b, struct backend_ctx *ctx)
{
	const struct funcset *all = ctx->fs;
	const struct backend *rb;
	size_t i, n = 0;
	bool nf = false, nft_wanted = false;

	*s = (struct retsplit){.uses = ctx->uses};
	/* the tracepoint backend hooks no function */
	if (b->targets != TARGET_FUNCS)
		return 0;
	s->debug = ctx->debug;
	/* only fentry has exits */
	if (b == &backend_fentry) {
		for (i = 0; i < all->n; i++)
			s->nft |=
			    splits(b, ctx, &all->funcs[i]) && (all->funcs[i].flags & FUNC_NF_HOOK);
		return 0;
	}
	for (i = 0; i < all->n; i++) {
		n += (all->funcs[i].flags & FUNC_WANT_RET) != 0;
		nft_wanted |= (all->funcs[i].flags & FUNC_NF_HOOK) != 0;
	}
	rb = n ? ret_backend(ctx, s->no_fexit, sizeof(s->no_fexit)) : NULL;
	for (i = 0, n = 0; rb && i < all->n; i++) {
		n += splits(rb, ctx, &all->funcs[i]);
		nf |= splits(rb, ctx, &all->funcs[i]) && (all->funcs[i].flags & FUNC_NF_HOOK);
	}
	/* nft_do_chain's programs are fexit: where trampolines run, else it is said why not */
	if (!nft_wanted || rb == &backend_fentry)
		*s->no_fexit = 0;
	if (!rb || !n)
		return 0;
	if (view(&s->rest, all, all->n - n) || view(&s->ret, all, n)) {
		retsplit_free(s);
		return -ENOMEM;
	}
	for (i = 0; i < all->n; i++) {
		struct funcset *to = splits(rb, ctx, &all->funcs[i]) ? &s->ret : &s->rest;

		to->funcs[to->n++] = all->funcs[i];
	}
	s->rb = rb;
	s->ctx = *ctx;
	s->ctx.fs = &s->ret;
	ctx->fs = &s->rest;
	s->on = true;
	/* nft_do_chain's programs are fentry/fexit too */
	s->nft = nf && rb == &backend_fentry;
	if (ctx->debug)
		fprintf(stderr, "pwru: debug: %s%s through %s for %s return value (%s has none)\n",
			s->ret.funcs[0].name, n > 1 ? " and others" : "",
			rb == &backend_fentry ? "fentry/fexit" : rb->name, n > 1 ? "their" : "its",
			b->name);
	return 0;
}

bool retsplit_first(const struct retsplit *s)
{
	size_t i;

	if (!s->on)
		return true;
	if (s->rb != &backend_fentry)
		return false;
	for (i = 0; i < s->ret.n; i++)
		if (s->ret.funcs[i].pos != 1)
			return false;
	return true;
}

const struct backend *retsplit_backend(struct retsplit *s, struct backend_ctx **ctx)
{
	*ctx = &s->ctx;
	return s->on ? s->rb : NULL;
}

/* nft_do_chain's id in nf_tables' own BTF, parsed on vmlinux's; or a negative errno. */
static int nft_find(void)
{
	/* parsed here when a warm start kept all else (src/discover/kbtf.h) */
	struct btf *vmlinux = kbtf_get();
	struct btf *split;
	int id;

	if (!vmlinux)
		return -EIO;
	split = btf__parse_split("/sys/kernel/btf/nf_tables", vmlinux);
	if (!split)
		return errno == ENOENT ? -ENOENT : -EIO;
	id = btf__find_by_name_kind(split, "nft_do_chain", BTF_KIND_FUNC);
	btf__free(split);
	/* none, or vmlinux's: not nf_tables' own */
	return id <= 0 || (__u32)id < btf__type_cnt(vmlinux) ? -ENOENT : id;
}

/*
 * nft_do_chain's id in nf_tables' BTF, and that BTF object's fd, for the load: named with
 * bpf_program__set_attach_target(), the target made libbpf parse vmlinux BTF and every
 * module's to find it (docs/performance.md, session 12). The id is kept for the boot with
 * the kernel's other BTF uses, under nf_tables' BTF identity (btf_uses_config()).
 */
static int nft_target(struct retsplit *s)
{
	struct btf_uses *u = s->uses;
	int id = u && u->nft_id ? u->nft_id : nft_find();

	/* only what holds for the boot: not a failure to read */
	if (u && !u->nft_id && id != -EIO) {
		u->nft_id = id;
		u->grown = true;
	}
	if (id <= 0)
		return -ENOENT;
	s->nft_btf_id = (__u32)id;
	return btf_objs_fd(&s->mods, "nf_tables") > 0 ? 0 : -ENOENT;
}

void retsplit_prog_load(struct retsplit *s, struct bpf_program *prog,
			struct bpf_prog_load_opts *opts)
{
	if (prog != s->nft_prog[0] && prog != s->nft_prog[1])
		return;
	opts->attach_btf_id = s->nft_btf_id;
	opts->attach_btf_obj_fd = btf_objs_fd(&s->mods, "nf_tables");
}

/* nft_do_chain's types and target are in nf_tables' BTF: only where it has some. */
static int nft_prepare(struct retsplit *s, struct bpf_object *obj, bool user_btf)
{
	struct bpf_program *p[2];
	int i, rc = 0;

	for (i = 0; i < 2; i++) {
		p[i] = bpf_object__find_program_by_name(obj, nft_progs[i]);
		if (!p[i])
			return -ENOENT;
		bpf_program__set_autoload(p[i], false);
	}
	if (!s->nft && !*s->no_fexit)
		return 0;
	/*
	 * Without nf_tables there is no table to name, and libbpf would look for nft_do_chain
	 * in every module's BTF, loading each (docs/performance.md).
	 */
	if (access("/sys/module/nf_tables", F_OK)) {
		if (s->debug)
			fprintf(stderr,
				"pwru: debug: nft tables and chains are not shown: nf_tables "
				"is not loaded (load it before pwru to see them)\n");
		return 0;
	}
	/* said as 5.10's missing BTF is: a user filtering nft drops sees fewer events here */
	if (*s->no_fexit) {
		fprintf(stderr, "pwru: nft tables and chains are not shown: they need fexit: %s\n",
			s->no_fexit);
		return 0;
	}
	/* the nft programs' types are nf_tables', which a --kernel-btf target does not hold */
	if (user_btf) {
		fprintf(stderr, "pwru: nft tables and chains are not shown: the --kernel-btf file "
				"has no nf_tables types (leave --kernel-btf off to see them)\n");
		return 0;
	}
	rc = nft_target(s);
	if (rc) {
		fprintf(stderr, "pwru: nft tables and chains are not shown: nf_tables has no BTF "
				"here (a kernel before 5.11, or built without module BTF)\n");
		return 0;
	}
	for (i = 0; i < 2; i++) {
		bpf_program__set_autoload(p[i], true);
		s->nft_prog[i] = p[i];
	}
	return 0;
}

static void nft_attach(struct retsplit *s)
{
	FILE *dump = backend_bench_dump();
	int i;

	for (i = 0; i < 2 && s->nft_prog[i]; i++) {
		s->nft_link[i] = bpf_program__attach_trace(s->nft_prog[i]);
		if (!s->nft_link[i]) {
			fprintf(stderr, "pwru: nft tables and chains are not shown: %s: %s\n",
				nft_progs[i], strerror(errno));
			bpf_link__destroy(s->nft_link[0]);
			s->nft_link[0] = NULL;
			return;
		}
	}
	/* the start floor makes these links too (tests/bench/attach_floor.c) */
	for (i = 0; dump && i < 2 && s->nft_link[i]; i++)
		fprintf(dump, "%s nf_tables %u nft_do_chain\n", nft_kinds[i], s->nft_btf_id);
}

/* fentry's prepare on top of the chosen backend's. */
static int prepare_split(struct retsplit *s, struct bpf_object *obj)
{
	struct bpf_program *p;
	bool *keep;
	size_t n = 0, i = 0;
	int rc;

	bpf_object__for_each_program(p, obj) n++;
	keep = calloc(n ? n : 1, sizeof(*keep));
	if (!keep)
		return -ENOMEM;
	/* a backend's prepare selects its own programs and turns the others off */
	bpf_object__for_each_program(p, obj) keep[i++] = bpf_program__autoload(p);
	s->ctx.obj = obj;
	rc = backend_prepare(s->rb, &s->ctx);
	i = 0;
	bpf_object__for_each_program(p, obj) if (keep[i++]) bpf_program__set_autoload(p, true);
	free(keep);
	return rc;
}

int retsplit_prepare(struct retsplit *s, struct bpf_object *obj, bool user_btf)
{
	int rc = s->on ? prepare_split(s, obj) : 0;

	return rc ? rc : nft_prepare(s, obj, user_btf);
}

int retsplit_attach(struct retsplit *s, struct attach_result *res, struct pwru_err *e)
{
	struct attach_result r = {0};
	struct pwru_err why = {0};

	nft_attach(s);
	if (!s->on)
		return 0;
	if (s->rb->attach(&s->ctx, &r, &why)) {
		s->on = false;
		if (why.cls == PWRU_STOPPED) {
			*e = why;
			return -1;
		}
		fprintf(stderr, "pwru: %s: not traced\n", why.msg);
		return 0;
	}
	res->attached += r.attached;
	res->skipped += r.skipped;
	return 0;
}

void retsplit_free(struct retsplit *s)
{
	if (s->rb)
		s->rb->detach(&s->ctx);	   /* nothing when it never prepared */
	bpf_link__destroy(s->nft_link[1]); /* entry first: no event held past its exit */
	bpf_link__destroy(s->nft_link[0]);
	free(s->rest.funcs);
	free(s->ret.funcs);
	btf_objs_free(&s->mods);
	*s = (struct retsplit){0};
}
