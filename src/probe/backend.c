// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "src/probe/backend.h"
#include "src/discover/funcset.h"

static const struct backend *const table[] = {
    &backend_kprobe_multi,
    &backend_kprobe,
};

const struct backend *backend_at(size_t i)
{
	return i < sizeof(table) / sizeof(table[0]) ? table[i] : NULL;
}

const struct backend *backend_find(const char *name)
{
	size_t i;

	for (i = 0; backend_at(i); i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}

struct bpf_program *backend_program(const struct backend *b, struct bpf_object *obj, int pos)
{
	char name[64];

	snprintf(name, sizeof(name), "%s%d", b->prog_prefix, pos);
	return bpf_object__find_program_by_name(obj, name);
}

void backend_select_programs(const struct backend *b, struct bpf_object *obj,
			     const struct funcset *fs)
{
	struct bpf_program *p;
	int used[FUNCSET_MAX_POS + 1] = {0}, pos;
	size_t i;

	for (i = 0; i < fs->n; i++)
		used[fs->funcs[i].pos] = 1;
	bpf_object__for_each_program(p, obj) bpf_program__set_autoload(p, false);
	/* Fewer programs: faster load, and the verifier never sees the unused family. */
	for (pos = 1; pos <= FUNCSET_MAX_POS; pos++) {
		p = backend_program(b, obj, pos);
		if (p && used[pos])
			bpf_program__set_autoload(p, true);
	}
}

int backend_prepare(const struct backend *b, struct bpf_object *obj, const struct funcset *fs)
{
	if (b->prepare)
		return b->prepare(b, obj, fs);
	backend_select_programs(b, obj, fs);
	return 0;
}

static int quiet;

void backend_quiet(int on)
{
	quiet = on;
}

/* libbpf's warnings stay visible (a failed load explains itself); its chatter does not. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (quiet || level != LIBBPF_WARN)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void backend_install_libbpf_print(void)
{
	libbpf_set_print(libbpf_print);
}

int backend_attach_end(const struct backend *b, struct backend_ctx *ctx, int rc,
		       const struct attach_result *res, const char *none_why, char *err, size_t len)
{
	if (!rc)
		return 0;
	if (rc != -EINTR && !res->attached)
		snprintf(err, len, "none of the %zu matching functions could be traced with %s: %s",
			 ctx->fs->n, b->name, none_why ? none_why : strerror(-rc));
	else
		snprintf(err, len, "%s attach failed: %s", b->name, strerror(-rc));
	b->detach(ctx);
	return rc;
}
