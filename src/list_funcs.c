// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "src/discover/funcset.h"
#include "src/list_funcs.h"
#include "src/probe/backend.h"
#include "src/tp_name.h"

#define MAX_BACKENDS 16

static void print_set(const struct backend_ctx *ctx, enum backend_targets kind, const int *runs,
		      FILE *out)
{
	const struct funcset *set = kind == TARGET_TRACEPOINTS ? ctx->tps : ctx->fs;
	const struct backend *b;
	size_t i, k;

	for (i = 0; i < set->n; i++) {
		const struct func_entry *f = &set->funcs[i];
		char names[256] = "", addrs[16] = "-";
		size_t off = 0;

		for (k = 0; (b = backend_at(k)) && off < sizeof(names); k++)
			if (b->targets == kind && runs[k] &&
			    (!b->cannot_take || !b->cannot_take(ctx, f)))
				off += (size_t)snprintf(names + off, sizeof(names) - off, "%s%s",
							off ? "," : "", b->name);
		if (kind == TARGET_FUNCS)
			snprintf(addrs, sizeof(addrs), "%u", f->naddrs);
		fprintf(out, "%s%s %s %u %s %s\n", kind == TARGET_TRACEPOINTS ? TP_NAME_PREFIX : "",
			f->name, f->module ? f->module : "vmlinux", f->pos, addrs,
			*names ? names : "-");
	}
}

void list_funcs_print(const struct backend_ctx *ctx, int probe, FILE *out, FILE *err)
{
	int runs[MAX_BACKENDS];
	char why[256], list[256] = "";
	const struct backend *b;
	size_t k, off = 0;

	for (k = 0; (b = backend_at(k)) && k < MAX_BACKENDS; k++) {
		runs[k] = !probe || !backend_probe(b, ctx, why, sizeof(why));
		if (probe && runs[k] && off < sizeof(list))
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
						off ? ", " : "", b->name);
	}
	fprintf(out, "FUNC MODULE POS ADDRS BACKENDS\n");
	print_set(ctx, TARGET_FUNCS, runs, out);
	print_set(ctx, TARGET_TRACEPOINTS, runs, out);
	fprintf(err, "pwru: %zu functions, %zu tracepoints; %s%s\n", ctx->fs->n, ctx->tps->n,
		probe ? "backends this kernel runs: "
		      : "not root: backends named by what they reach, not tried here",
		probe ? (*list ? list : "none") : "");
}
