// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "src/discover/funcset.h"
#include "src/list_funcs.h"
#include "src/output/fmt.h"
#include "src/probe/backend.h"
#include "src/tp_name.h"

#define MAX_BACKENDS 16

/* ["kprobe-multi","kprobe"] from "kprobe-multi,kprobe" */
static void json_names(struct fmt *f, const char *names)
{
	size_t n;

	fmt_char(f, '[');
	for (const char *p = names; *p; p += n + (p[n] == ',')) {
		n = strcspn(p, ",");
		if (p != names)
			fmt_char(f, ',');
		fmt_json_mem(f, p, n);
	}
	fmt_char(f, ']');
}

/* One object a line, the text line's columns as keys (docs/json.md) */
static void print_json(const struct func_entry *f, bool tp, const char *names, const char *node,
		       FILE *out)
{
	char line[1024], name[512];
	struct fmt o = {line, line + sizeof(line) - 1};

	snprintf(name, sizeof(name), "%s%s", tp ? TP_NAME_PREFIX : "", f->name);
	fmt_lit(&o, "{\"type\":\"func\"");
	if (node) {
		fmt_key(&o, "node");
		fmt_json_str(&o, node);
	}
	fmt_key(&o, "name");
	fmt_json_str(&o, name);
	fmt_key(&o, "module");
	fmt_json_str(&o, f->module ? f->module : "vmlinux");
	fmt_key(&o, "pos");
	fmt_u64(&o, f->pos);
	fmt_key(&o, "addrs");
	if (tp) /* a tracepoint has no address to count */
		fmt_lit(&o, "null");
	else
		fmt_u64(&o, f->naddrs);
	fmt_key(&o, "backends");
	json_names(&o, names);
	fmt_char(&o, '}');
	*o.p++ = '\n';
	fwrite(line, 1, (size_t)(o.p - line), out);
}

static void print_set(const struct backend_ctx *ctx, enum backend_targets kind, const int *runs,
		      const struct pwru_config *cfg, FILE *out)
{
	const struct funcset *set = kind == TARGET_TRACEPOINTS ? ctx->tps : ctx->fs;
	bool tp = kind == TARGET_TRACEPOINTS;
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
		if (cfg->output_json) {
			print_json(f, tp, names, cfg->node_name, out);
			continue;
		}
		if (!tp)
			snprintf(addrs, sizeof(addrs), "%u", f->naddrs);
		fprintf(out, "%s%s %s %u %s %s\n", tp ? TP_NAME_PREFIX : "", f->name,
			f->module ? f->module : "vmlinux", f->pos, addrs, *names ? names : "-");
	}
}

void list_funcs_print(const struct backend_ctx *ctx, int probe, const struct pwru_config *cfg,
		      FILE *out, FILE *err)
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
	backend_release_log(true); /* nothing loads after the listing to explain them */
	if (!cfg->output_json)
		fprintf(out, "FUNC MODULE POS ADDRS BACKENDS\n");
	print_set(ctx, TARGET_FUNCS, runs, cfg, out);
	print_set(ctx, TARGET_TRACEPOINTS, runs, cfg, out);
	fprintf(err, "pwru: %zu function%s, %zu tracepoint%s; %s%s\n", ctx->fs->n,
		plural(ctx->fs->n), ctx->tps->n, plural(ctx->tps->n),
		probe ? "backends this kernel runs: "
		      : "not root: backends named by what they reach, not tried here",
		probe ? (*list ? list : "none") : "");
}

FILE *list_funcs_open(const struct pwru_config *cfg, struct pwru_err *e)
{
	FILE *f = fopen(cfg->output_file, "ae"); /* appended, as the events are */

	if (!f)
		err_bad_input(e, errno, "cannot write --output-file %s: %s", cfg->output_file,
			      strerror(errno));
	return f;
}

int list_funcs_close(FILE *out, const struct pwru_config *cfg, struct pwru_err *e)
{
	int bad = ferror(out), rc = fflush(out) ? errno : 0;

	if (fclose(out) && !rc)
		rc = errno;
	if (!rc && bad)
		rc = EIO;
	return rc ? err_not_possible(e, rc, "writing --output-file %s: %s", cfg->output_file,
				     strerror(rc))
		  : 0;
}
