// SPDX-License-Identifier: GPL-2.0
/*
 * Raw tracepoints taking an skb (src/discover/tracepoints.c): the one way to trace on a
 * kernel that refuses kprobes and fentry, as a locked-down one does. One copy of the
 * template for the skb's argument per tracepoint (cloned.c), typed (tp_btf: attach target
 * fixed at load) where the kernel allows it, else raw_tp attached by name. The event's
 * address is the tracepoint's index in the set: tracepoint_names() names it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpf/probe_sections.h"
#include "src/discover/funcset.h"
#include "src/probe/backend.h"
#include "src/probe/cloned.h"
#include "src/probe/tracepoint.h"
#include "src/tp_name.h"

#define LOAD_THREADS 0 /* one per CPU (cloned.h) */

enum tp_mode { TP_UNKNOWN, TP_BTF, TP_RAW, TP_NONE };

static enum tp_mode mode;
static char mode_why[160];

/* A program doing nothing, of TYPE, loaded only: does the kernel take that kind at all? */
static int try_load(enum bpf_prog_type type, enum bpf_attach_type attach, uint32_t btf_id,
		    int btf_obj_fd)
{
	const struct bpf_insn insns[] = {
	    {.code = 0xb7, .dst_reg = 0, .imm = 0}, /* r0 = 0 */
	    {.code = 0x95},			    /* exit */
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = attach, .attach_btf_id = btf_id,
		    .attach_btf_obj_fd = btf_obj_fd);
	int fd = bpf_prog_load(type, "pwru_probe", "GPL", insns, 2, &o);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* The first tracepoint of the set in vmlinux, the typed programs' test target. */
static const struct func_entry *vmlinux_tp(const struct funcset *tps)
{
	size_t i;

	for (i = 0; i < tps->n; i++)
		if (!tps->funcs[i].module)
			return &tps->funcs[i];
	return NULL;
}

static enum tp_mode probe_mode(const struct funcset *tps)
{
	const struct func_entry *e = vmlinux_tp(tps);
	int rc = -ENOENT;

	if (mode != TP_UNKNOWN)
		return mode;
	if (e)
		rc = try_load(BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, e->btf_id, 0);
	if (!rc)
		return mode = TP_BTF;
	rc = try_load(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, 0);
	if (!rc)
		return mode = TP_RAW;
	snprintf(mode_why, sizeof(mode_why), "the kernel refuses raw tracepoint programs: %s",
		 strerror(-rc));
	return mode = TP_NONE;
}

static int tp_probe(const struct backend_ctx *ctx, char *why, size_t len)
{
	if (probe_mode(ctx->tps) != TP_NONE)
		return 0;
	snprintf(why, len, "%s", mode_why);
	return -1;
}

static void tp_target(const struct cloned *c, const struct func_entry *e, struct clone_target *tg)
{
	*tg = (struct clone_target){
	    .btf_id = mode == TP_BTF ? e->btf_id : 0,
	    .values = {[CLONE_FUNC_IP] = (uint64_t)(e - c->set->funcs), [CLONE_NARGS] = e->nslots}};
}

static int tp_link(const struct cloned *c, const struct func_entry *e, int prog)
{
	int fd = bpf_raw_tracepoint_open(mode == TP_BTF ? NULL : e->name, prog);

	return fd < 0 ? -errno : fd;
}

static int tp_prepare(const struct backend *b, struct backend_ctx *ctx)
{
	struct cloned *c = calloc(1, sizeof(*c));
	const struct func_entry *e = vmlinux_tp(ctx->tps);

	if (!c)
		return -ENOMEM;
	ctx->priv = c;
	*c = (struct cloned){.prefix = mode == TP_BTF ? "tp_btf_skb_" : "raw_tp_skb_",
			     .dump_kind = mode == TP_BTF ? "tp_btf" : "raw_tp",
			     .set = ctx->tps,
			     .target = tp_target,
			     .attach = tp_link};
	if (mode == TP_BTF)
		c->stand_in.btf_id = e ? e->btf_id : 0;
	backend_select_programs(c->prefix, b->max_pos, ctx, ctx->tps, NULL);
	return 0;
}

static int tp_prog_load(struct backend_ctx *ctx, struct bpf_program *prog,
			struct bpf_prog_load_opts *opts, char *err, size_t len)
{
	return cloned_capture(ctx->priv, prog, opts, err, len);
}

static void tp_detach(struct backend_ctx *ctx)
{
	if (!ctx->priv)
		return;
	cloned_free(ctx->priv);
	free(ctx->priv);
	ctx->priv = NULL;
}

static int tp_attach(struct backend_ctx *ctx, struct attach_result *res, struct pwru_err *e)
{
	struct cloned *c = ctx->priv;
	size_t n = ctx->tps->n ? ctx->tps->n : 1;
	uint8_t *hooked = calloc(n, 1);
	int *errs = calloc(n, sizeof(*errs));
	int rc = hooked && errs ? cloned_collect(c, ctx, NULL) : -ENOMEM;

	if (!rc) {
		cloned_run(c, LOAD_THREADS, 1, ctx->stop);
		cloned_results(c, hooked, errs);
		rc = backend_tally(&backend_tracepoint, ctx, hooked, errs, res);
	}
	free(hooked);
	free(errs);
	return backend_attach_end(&backend_tracepoint, ctx, rc, res, NULL, e);
}

int tracepoint_names(const struct funcset *tps, char ***out)
{
	char **v = calloc(tps->n ? tps->n : 1, sizeof(*v));
	size_t i;

	*out = NULL;
	if (!v)
		return -ENOMEM;
	for (i = 0; i < tps->n; i++)
		if (asprintf(&v[i], TP_NAME_PREFIX "%s", tps->funcs[i].name) < 0) {
			v[i] = NULL;
			tracepoint_names_free(v, i);
			return -ENOMEM;
		}
	*out = v;
	return 0;
}

void tracepoint_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

static const struct hook_section tp_sections[] = {
    {PWRU_SEC_TP_BTF, BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP},
    {PWRU_SEC_RAW_TP, BPF_PROG_TYPE_RAW_TRACEPOINT, 0},
};

const struct backend backend_tracepoint = {
    .name = "tracepoint",
    .targets = TARGET_TRACEPOINTS,
    .sections = tp_sections,
    .nsections = 2,
    .max_pos = 6,
    .prog_prefix = "tp_btf_skb_",
    .probe = tp_probe,
    .prepare = tp_prepare,
    .prog_load = tp_prog_load,
    .attach = tp_attach,
    .detach = tp_detach,
};
