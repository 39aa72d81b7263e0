// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "src/probe/fentry.h"
#include "src/probe/retsplit.h"

static bool splits(const struct backend_ctx *ctx, const struct func_entry *f)
{
	return (f->flags & FUNC_WANT_RET) && fentry_can_take(ctx, f);
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
	size_t i, n = 0;
	char why[256];

	*s = (struct retsplit){0};
	/* only fentry has exits; the tracepoint backend hooks no function */
	if (b == &backend_fentry || b->targets != TARGET_FUNCS)
		return 0;
	for (i = 0; i < all->n; i++)
		n += splits(ctx, &all->funcs[i]);
	if (!n || backend_fentry.probe(ctx, why, sizeof(why)))
		return 0;
	if (view(&s->rest, all, all->n - n) || view(&s->ret, all, n)) {
		retsplit_free(s);
		return -ENOMEM;
	}
	for (i = 0; i < all->n; i++) {
		struct funcset *to = splits(ctx, &all->funcs[i]) ? &s->ret : &s->rest;

		to->funcs[to->n++] = all->funcs[i];
	}
	s->ctx = *ctx;
	s->ctx.fs = &s->ret;
	ctx->fs = &s->rest;
	s->on = true;
	fprintf(stderr, "pwru: %s%s through fentry/fexit for %s return value (%s has none)\n",
		s->ret.funcs[0].name, n > 1 ? " and others" : "", n > 1 ? "their" : "its", b->name);
	return 0;
}

const struct backend *retsplit_backend(struct retsplit *s, struct backend_ctx **ctx)
{
	*ctx = &s->ctx;
	return s->on ? &backend_fentry : NULL;
}

int retsplit_prepare(struct retsplit *s, struct bpf_object *obj)
{
	struct bpf_program *p;
	bool *keep;
	size_t n = 0, i = 0;
	int rc;

	if (!s->on)
		return 0;
	bpf_object__for_each_program(p, obj) n++;
	keep = calloc(n ? n : 1, sizeof(*keep));
	if (!keep)
		return -ENOMEM;
	/* a backend's prepare selects its own programs and turns the others off */
	bpf_object__for_each_program(p, obj) keep[i++] = bpf_program__autoload(p);
	s->ctx.obj = obj;
	rc = backend_prepare(&backend_fentry, &s->ctx);
	i = 0;
	bpf_object__for_each_program(p, obj) if (keep[i++]) bpf_program__set_autoload(p, true);
	free(keep);
	return rc;
}

int retsplit_attach(struct retsplit *s, struct attach_result *res, struct pwru_err *e)
{
	struct attach_result r = {0};
	struct pwru_err why = {0};

	if (!s->on)
		return 0;
	if (backend_fentry.attach(&s->ctx, &r, &why)) {
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
	backend_fentry.detach(&s->ctx); /* nothing when it never prepared */
	free(s->rest.funcs);
	free(s->ret.funcs);
	*s = (struct retsplit){0};
}
