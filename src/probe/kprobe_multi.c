// SPDX-License-Identifier: GPL-2.0
/*
 * One kprobe-multi link per skb register, by address. The kernel refuses a whole link when
 * one address is not ftrace-able, so addresses are first checked against the ftrace set when
 * it is readable, and a refused link is split in halves until the offenders are isolated.
 * The event of a shown packet is built by one extension program linked into all of them
 * before any of them is attached (install_emit()).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "kallsyms/kallsyms.h"
#include "bpf/probe_sections.h"
#include "src/probe/backend.h"
#include "src/probe/clone.h"
#include "src/probe/closer.h"
#include "src/probe/ext_probe.h"
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
	/* kprobe_multi_emit, loaded as the extension of each entry point's kprobe_multi_shown */
	struct clone_tpl emit;
	bool emit_captured;
	int emit_fd;
	int emit_links[PWRU_KPROBE_POSITIONS + 1];
};

static uint64_t probe_address(const struct kallsyms *ks, const struct funcset *fs)
{
	const struct ksym *s;

	/* Made for tracing tests: always ftrace-able, almost never called. */
	if (kallsyms_lookup_name(ks, "bpf_fentry_test1", NULL, &s) && s->addr)
		return s->addr;
	return fs->n ? fs->funcs[0].addrs[0] : 0;
}

/*
 * What a run needs, in small: a kprobe-multi program linked to one function, with its
 * global function replaced by an extension (install_emit()). The link first, so that a
 * kernel without kprobe-multi is said to lack it; then a kernel refusing the extension is
 * one auto moves on from (to kprobe, which needs none).
 */
static int multi_probe(const struct backend_ctx *ctx, char *why, size_t len)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts);
	struct ext_probe xp;
	unsigned long addr = probe_address(ctx->ks, ctx->fs);
	int fds[5] = {-1}, err = 0;
	char refused[200];

	lopts.kprobe_multi.addrs = &addr;
	lopts.kprobe_multi.cnt = 1;
	switch (ext_probe_target(&xp, BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, refused,
				 sizeof(refused))) {
	case EXT_PROBE_OK:
		fds[0] = bpf_link_create(xp.target, 0, BPF_TRACE_KPROBE_MULTI, &lopts);
		err = fds[0] < 0 ? errno : 0;
		if (!err && ext_probe_link(&xp, refused, sizeof(refused)))
			snprintf(why, len, "%s, which builds its events", refused);
		break;
	case EXT_PROBE_NO_TARGET:
		snprintf(why, len, "loading a kprobe-multi program: %s", refused);
		break;
	default:
		snprintf(why, len, "%s", refused);
	}
	ext_probe_fds(&xp, fds + 1);
	closer_defer(fds, 5);
	if (err == EINVAL)
		snprintf(why, len, "kernel has no BPF_TRACE_KPROBE_MULTI link, added in 5.18");
	else if (err == EOPNOTSUPP)
		snprintf(why, len, "kernel built without CONFIG_FPROBE");
	else if (err)
		snprintf(why, len, "test link: %s", strerror(err));
	return err || xp.link < 0 ? -1 : 0;
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
	/* after the links: no shown packet meets the stub, which counts it lost */
	for (i = 0; i <= PWRU_KPROBE_POSITIONS; i++)
		if (st->emit_links[i] >= 0)
			close(st->emit_links[i]);
	if (st->emit_fd >= 0)
		close(st->emit_fd);
	clone_tpl_free(&st->emit);
	free(st->links);
	free(st);
	ctx->priv = NULL;
}

/*
 * bpf/entry_kprobe.h: each kprobe_multi_skb_N calls MULTI_STUB for a packet it shows, and
 * MULTI_EMIT, verified once, replaces it in all of them (an extension program).
 */
#define MULTI_STUB "kprobe_multi_shown"
#define MULTI_EMIT "kprobe_multi_emit"
/* An extension's link has no attach type of its own: the kernel goes by its target (libbpf's 0). */
#define EXT_ATTACH ((enum bpf_attach_type)0)

/* The programs for the positions in use, and the event program with them. */
static int multi_prepare(const struct backend *b, struct backend_ctx *ctx)
{
	struct bpf_program *emit = bpf_object__find_program_by_name(ctx->obj, MULTI_EMIT);
	struct multi_state *st = calloc(1, sizeof(*st));
	struct bpf_program *p;
	int pos;

	if (!st)
		return -ENOMEM;
	st->emit_fd = -1;
	for (pos = 0; pos <= PWRU_KPROBE_POSITIONS; pos++)
		st->emit_links[pos] = -1;
	ctx->priv = st;
	backend_select_programs(b->prog_prefix, b->max_pos, ctx, backend_set(b, ctx), NULL);
	for (pos = 1; pos <= b->max_pos && emit; pos++) {
		p = backend_program(b, ctx->obj, pos);
		if (p && bpf_program__autoload(p))
			bpf_program__set_autoload(emit, true);
	}
	return 0;
}

/*
 * MULTI_EMIT's final instructions kept (relocated, folded like the entry points), libbpf
 * given a stand-in: an extension program is loaded against a target already loaded.
 */
static int multi_prog_load(struct backend_ctx *ctx, struct bpf_program *prog,
			   struct bpf_prog_load_opts *opts, char *err, size_t len)
{
	struct multi_state *st = ctx->priv;
	int rc;

	if (strcmp(bpf_program__name(prog), MULTI_EMIT))
		return 0;
	rc = clone_capture(&st->emit, prog, opts, &(struct clone_target){0});
	if (rc) {
		snprintf(err, len, "%s: keeping its instructions: %s", MULTI_EMIT, strerror(-rc));
		return rc;
	}
	st->emit.type = BPF_PROG_TYPE_EXT;
	st->emit.attach = 0;
	st->emit_captured = true;
	return 0;
}

/* MULTI_EMIT loaded against the first entry point, then linked in place of each one's stub. */
static int install_emit(struct backend_ctx *ctx, struct multi_state *st, struct pwru_err *e)
{
	struct btf *btf = bpf_object__btf(ctx->obj);
	int id = btf ? btf__find_by_name_kind(btf, MULTI_STUB, BTF_KIND_FUNC) : -ENOENT;
	LIBBPF_OPTS(bpf_link_create_opts, lo, .target_btf_id = id);
	struct clone_target tg = {.btf_id = id};
	struct bpf_program *p;
	char why[256] = "";
	int pos, fd, err;

	if (!st->emit_captured || id < 0)
		return err_from_errno(e, -ENOENT, "kprobe-multi: no %s program or %s function",
				      MULTI_EMIT, MULTI_STUB);
	for (pos = 1; pos <= PWRU_KPROBE_POSITIONS; pos++) {
		p = backend_program(&backend_kprobe_multi, ctx->obj, pos);
		fd = p ? bpf_program__fd(p) : -1;
		if (fd < 0)
			continue;
		if (st->emit_fd < 0) {
			tg.attach_prog_fd = fd;
			st->emit_fd = clone_load(&st->emit, &tg, why, sizeof(why));
			if (st->emit_fd < 0)
				return err_set(e, PWRU_NOT_POSSIBLE, -st->emit_fd,
					       "kprobe-multi: loading %s: %s (--backend kprobe "
					       "does without it)",
					       MULTI_EMIT, why);
		}
		st->emit_links[pos] = bpf_link_create(st->emit_fd, fd, EXT_ATTACH, &lo);
		err = st->emit_links[pos] < 0 ? errno : 0;
		if (err)
			return err_set(e, PWRU_NOT_POSSIBLE, err,
				       "kprobe-multi: linking %s in place of %s in %s: %s "
				       "(--backend kprobe does without it)",
				       MULTI_EMIT, MULTI_STUB, bpf_program__name(p), strerror(err));
	}
	return 0;
}

static int attach_all(struct backend_ctx *ctx, struct attach_result *res, struct pwru_err *e)
{
	size_t na = total_addrs(ctx->fs);
	struct site *s = calloc(na ? na : 1, sizeof(*s));
	unsigned long *addrs = calloc(na ? na : 1, sizeof(*addrs));
	uint8_t *hooked = calloc(ctx->fs->n ? ctx->fs->n : 1, 1);
	int *errs = calloc(ctx->fs->n ? ctx->fs->n : 1, sizeof(*errs));
	struct multi_state *st = ctx->priv;
	int pos, rc = -ENOMEM;

	if (!s || !addrs || !hooked || !errs)
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

static int multi_attach(struct backend_ctx *ctx, struct attach_result *res, struct pwru_err *e)
{
	if (install_emit(ctx, ctx->priv, e)) {
		multi_detach(ctx);
		return -1;
	}
	return attach_all(ctx, res, e);
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
    .object_first = object_kprobe_multi_first,
    .max_pos = PWRU_KPROBE_POSITIONS,
    .prog_prefix = "kprobe_multi_skb_",
    .prepare = multi_prepare,
    .prog_load = multi_prog_load,
    .attach = multi_attach,
    .detach = multi_detach,
};
