// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "src/probe/backend.h"
#include "src/discover/funcset.h"

/* In order of preference: the automatic choice takes the first the kernel can run. */
static const struct backend *const table[] = {
    &backend_kprobe_multi,
    &backend_kprobe,
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

const struct backend *backend_at(size_t i)
{
	return i < NTABLE ? table[i] : NULL;
}

const struct backend *backend_find(const char *name)
{
	size_t i;

	for (i = 0; i < NTABLE; i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}

const char *backend_names(const char *sep, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < NTABLE && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? sep : "", table[i]->name);
	return buf;
}

size_t backend_sections(const struct hook_section **out, size_t max)
{
	size_t i, k, n = 0;

	for (i = 0; i < NTABLE; i++)
		for (k = 0; k < table[i]->nsections && n < max; k++)
			out[n++] = &table[i]->sections[k];
	return n;
}

static int choose_forced(const char *name, const struct kallsyms *ks, const struct funcset *fs,
			 const struct backend **out, char *msg, size_t len)
{
	const struct backend *b = backend_find(name);
	char why[256];

	if (!b) { /* flags.c refuses unknown names; a caller bypassing it gets a line too */
		snprintf(msg, len, "--backend %s is not a backend", name);
		return -1;
	}
	if (b->probe(ks, fs, why, sizeof(why))) {
		snprintf(msg, len, "--backend %s is not usable on this kernel: %s", name, why);
		return -1;
	}
	*out = b;
	msg[0] = '\0';
	return 0;
}

int backend_choose(const char *name, const struct kallsyms *ks, const struct funcset *fs,
		   const struct backend **out, char *msg, size_t len)
{
	char why[NTABLE][256], all[NTABLE * 260] = "", names[128];
	size_t i, off = 0;

	*out = NULL;
	if (name)
		return choose_forced(name, ks, fs, out, msg, len);
	for (i = 0; i < NTABLE; i++) {
		if (!table[i]->probe(ks, fs, why[i], sizeof(why[i]))) {
			*out = table[i];
			break;
		}
		off += (size_t)snprintf(all + off, sizeof(all) - off, "%s%s: %s", i ? "; " : "",
					table[i]->name, why[i]);
	}
	if (!*out) {
		snprintf(msg, len,
			 "this kernel can run none of %s (%s); tracing is not possible here",
			 backend_names(", ", names, sizeof(names)), all);
		return -1;
	}
	msg[0] = '\0';
	if (i)
		snprintf(msg, len, "%s unavailable (%s); falling back to %s", table[0]->name,
			 why[0], table[i]->name);
	return 0;
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
		       const struct attach_result *res, const char *none_why, struct pwru_err *e)
{
	if (!rc)
		return 0;
	if (rc == -EINTR)
		err_stopped(e, "interrupted while attaching; everything detached");
	else if (!res->attached)
		err_not_possible(e, -rc,
				 "none of the %zu matching functions could be traced with %s: %s",
				 ctx->fs->n, b->name, none_why ? none_why : strerror(-rc));
	else
		err_from_errno(e, rc, "%s attach failed", b->name);
	b->detach(ctx);
	return -1;
}
