// SPDX-License-Identifier: GPL-2.0
/*
 * One kprobe-multi link per skb register, by address. The kernel refuses a whole link when
 * one address is not ftrace-able, so addresses are first checked against the ftrace set when
 * it is readable, and a refused link is split in halves until the offenders are isolated.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "kallsyms/kallsyms.h"
#include "bpf/probe_sections.h"
#include "src/probe/backend.h"
#include "src/probe/closer.h"
#include "src/probe/objects.h"
#include "src/discover/funcset.h"
#include "src/discover/traceable.h"

struct site {
	unsigned long addr;
	uint32_t func; /* index in the funcset */
	uint8_t ok;
	int err; /* the kernel's refusal of this address alone */
};

struct multi_state {
	struct bpf_link **links;
	size_t nlinks, cap;
	int fatal; /* first error not explained by a bad address */
};

static uint64_t probe_address(const struct kallsyms *ks, const struct funcset *fs)
{
	const struct ksym *s;

	/* Made for tracing tests: always ftrace-able, almost never called. */
	if (kallsyms_lookup_name(ks, "bpf_fentry_test1", NULL, &s) && s->addr)
		return s->addr;
	return fs->n ? fs->funcs[0].addrs[0] : 0;
}

static int multi_probe(const struct backend_ctx *ctx, char *why, size_t len)
{
	const struct bpf_insn insns[] = {
	    {.code = 0xb7, .dst_reg = 0, .imm = 0}, /* r0 = 0 */
	    {.code = 0x95},			    /* exit */
	};
	LIBBPF_OPTS(bpf_prog_load_opts, popts, .expected_attach_type = BPF_TRACE_KPROBE_MULTI);
	LIBBPF_OPTS(bpf_link_create_opts, lopts);
	unsigned long addr = probe_address(ctx->ks, ctx->fs);
	int prog, link, err;

	prog = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "pwru_probe", "GPL", insns, 2, &popts);
	if (prog < 0) {
		snprintf(why, len, "loading a kprobe-multi program: %s", strerror(errno));
		return -1;
	}
	lopts.kprobe_multi.addrs = &addr;
	lopts.kprobe_multi.cnt = 1;
	link = bpf_link_create(prog, 0, BPF_TRACE_KPROBE_MULTI, &lopts);
	err = link < 0 ? errno : 0;
	closer_defer((int[]){link, prog}, 2);
	if (!err)
		return 0;
	if (err == EINVAL)
		snprintf(why, len, "kernel has no BPF_TRACE_KPROBE_MULTI link, added in 5.18");
	else if (err == EOPNOTSUPP)
		snprintf(why, len, "kernel built without CONFIG_FPROBE");
	else
		snprintf(why, len, "test link: %s", strerror(err));
	return -1;
}

static int keep_link(struct multi_state *st, struct bpf_link *l)
{
	if (st->nlinks == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 8;
		struct bpf_link **nl = realloc(st->links, ncap * sizeof(*nl));

		if (!nl)
			return -ENOMEM;
		st->links = nl;
		st->cap = ncap;
	}
	st->links[st->nlinks++] = l;
	return 0;
}

/* Errors a bad address can cause; anything else will not go away by splitting. */
static int address_error(int err)
{
	return err == EINVAL || err == ENOENT || err == EBUSY || err == ESRCH ||
	       err == EADDRNOTAVAIL;
}

static void attach_sites(struct backend_ctx *ctx, struct multi_state *st,
			 const struct bpf_program *prog, struct site *s, unsigned long *addrs,
			 size_t n)
{
	LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .addrs = addrs, .cnt = n);
	struct bpf_link *l;
	size_t i;
	int err;

	if (!n || st->fatal || *ctx->stop)
		return;
	l = bpf_program__attach_kprobe_multi_opts(prog, NULL, &opts);
	err = l ? 0 : errno;
	if (l) {
		if (keep_link(st, l)) {
			bpf_link__destroy(l);
			st->fatal = ENOMEM;
			return;
		}
		for (i = 0; i < n; i++)
			s[i].ok = 1;
		return;
	}
	if (!address_error(err)) {
		st->fatal = err;
		return;
	}
	if (n == 1) {
		s[0].err = -err;
		return;
	}
	attach_sites(ctx, st, prog, s, addrs, n / 2);
	attach_sites(ctx, st, prog, s + n / 2, addrs + n / 2, n - n / 2);
}

static int cmp_site(const void *a, const void *b)
{
	const struct site *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Sites of register POS that the ftrace set allows, sorted and without repeats. */
static size_t collect_sites(const struct backend_ctx *ctx, int pos, struct site *s)
{
	const struct funcset *fs = ctx->fs;
	size_t i, k, n = 0, out = 0;

	for (i = 0; i < fs->n; i++) {
		const struct func_entry *f = &fs->funcs[i];

		if (f->pos != pos)
			continue;
		for (k = 0; k < f->naddrs; k++)
			if (traceable_ftrace_in(ctx->tr, f->name, f->module, f->addrs[k]))
				s[n++] = (struct site){.addr = f->addrs[k], .func = (uint32_t)i};
	}
	qsort(s, n, sizeof(*s), cmp_site);
	for (i = 0; i < n; i++)
		if (!out || s[out - 1].addr != s[i].addr)
			s[out++] = s[i];
	return out;
}

static size_t total_addrs(const struct funcset *fs)
{
	size_t i, n = 0;

	for (i = 0; i < fs->n; i++)
		n += fs->funcs[i].naddrs;
	return n;
}

static int attach_pos(struct backend_ctx *ctx, struct multi_state *st, int pos, struct site *s,
		      unsigned long *addrs, uint8_t *hooked, int *errs)
{
	size_t i, n = collect_sites(ctx, pos, s);

	for (i = 0; i < n; i++)
		addrs[i] = s[i].addr;
	attach_sites(ctx, st, backend_program(&backend_kprobe_multi, ctx->obj, pos), s, addrs, n);
	for (i = 0; i < n; i++) {
		hooked[s[i].func] |= s[i].ok;
		if (!errs[s[i].func])
			errs[s[i].func] = s[i].err;
		if (s[i].ok && backend_bench_dump())
			fprintf(backend_bench_dump(), "kprobe-multi %d %#lx\n", pos, s[i].addr);
	}
	return st->fatal ? -st->fatal : 0;
}

static const char *multi_cannot_take(const struct backend_ctx *ctx, const struct func_entry *f)
{
	uint32_t k;

	if (backend_out_of_reach(&backend_kprobe_multi, f))
		return backend_out_of_reach(&backend_kprobe_multi, f);
	for (k = 0; k < f->naddrs; k++)
		if (traceable_ftrace_in(ctx->tr, f->name, f->module, f->addrs[k]))
			return NULL;
	return "not ftrace-able (notrace, or absent from available_filter_functions)";
}

static void multi_detach(struct backend_ctx *ctx)
{
	struct multi_state *st = ctx->priv;
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->nlinks; i++)
		bpf_link__destroy(st->links[i]);
	free(st->links);
	free(st);
	ctx->priv = NULL;
}

static int multi_attach(struct backend_ctx *ctx, struct attach_result *res, struct pwru_err *e)
{
	size_t na = total_addrs(ctx->fs);
	struct site *s = calloc(na ? na : 1, sizeof(*s));
	unsigned long *addrs = calloc(na ? na : 1, sizeof(*addrs));
	uint8_t *hooked = calloc(ctx->fs->n ? ctx->fs->n : 1, 1);
	int *errs = calloc(ctx->fs->n ? ctx->fs->n : 1, sizeof(*errs));
	struct multi_state *st = calloc(1, sizeof(*st));
	int pos, rc = -ENOMEM;

	ctx->priv = st;
	if (!s || !addrs || !hooked || !errs || !st)
		goto out;
	if (!ctx->tr->ftrace_source[0])
		fprintf(stderr,
			"pwru: no list of traceable functions (%s): addresses the kernel refuses "
			"are found by trial, which takes longer\n",
			ctx->tr->ftrace_why);
	backend_quiet(1);
	for (rc = 0, pos = 1; pos <= backend_kprobe_multi.max_pos && !rc && !*ctx->stop; pos++)
		rc = attach_pos(ctx, st, pos, s, addrs, hooked, errs);
	backend_quiet(0);
	if (!rc)
		rc = backend_tally(&backend_kprobe_multi, ctx, hooked, errs, res);
out:
	rc = backend_attach_end(&backend_kprobe_multi, ctx, rc, res,
				rc == -ENOENT ? "notrace, or not ftrace-able" : NULL, e);
	free(s);
	free(addrs);
	free(hooked);
	free(errs);
	return rc;
}

static const struct hook_section multi_sections[] = {
    {PWRU_SEC_KPROBE_MULTI, BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI},
};

const struct backend backend_kprobe_multi = {
    .name = "kprobe-multi",
    .targets = TARGET_FUNCS,
    .probe = multi_probe,
    .probe_kept = true,
    .cannot_take = multi_cannot_take,
    .sections = multi_sections,
    .nsections = 1,
    .object = object_kprobe_multi,
    .max_pos = PWRU_KPROBE_POSITIONS,
    .prog_prefix = "kprobe_multi_skb_",
    .attach = multi_attach,
    .detach = multi_detach,
};
