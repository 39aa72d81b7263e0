// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "src/probe/backend.h"
#include "src/probe/cloned.h"
#include "src/probe/pool.h"

#define CLOSE_THREADS 16

int cloned_capture(struct cloned *c, struct bpf_program *prog, struct bpf_prog_load_opts *opts,
		   char *err, size_t len)
{
	const char *name = bpf_program__name(prog);
	size_t n = strlen(c->prefix);
	int pos, rc;

	if (strncmp(name, c->prefix, n))
		return 0;
	pos = atoi(name + n);
	if (pos < 1 || pos > FUNCSET_MAX_POS)
		return 0;
	rc = clone_capture(&c->tpl[pos], prog, opts, &c->stand_in);
	if (rc)
		snprintf(err, len, "program %s: cannot keep a copy to clone: %s", name,
			 strerror(-rc));
	return rc;
}

int cloned_collect(struct cloned *c, const struct backend_ctx *ctx,
		   int (*take)(const struct backend_ctx *ctx, const struct func_entry *e))
{
	size_t i;

	c->sites = calloc(c->set->n ? c->set->n : 1, sizeof(*c->sites));
	if (!c->sites)
		return -ENOMEM;
	for (i = 0; i < c->set->n; i++) {
		const struct func_entry *e = &c->set->funcs[i];

		if ((!take || take(ctx, e)) &&
		    clone_is_template(&c->tpl[c->one_template ? 1 : e->pos]))
			c->sites[c->n++] = (struct cloned_site){
			    .idx = (uint32_t)i, .prog = -ENOENT, .link = -ENOENT};
	}
	return 0;
}

static void load_one(void *arg, size_t i)
{
	struct cloned *c = arg;
	struct cloned_site *s = &c->sites[i];
	const struct func_entry *e = &c->set->funcs[s->idx];
	struct clone_target tg = {0};
	int fd = btf_objs_fd(&c->mods, e->module);

	if (fd < 0) {
		s->prog = fd;
		return;
	}
	c->target(c, e, &tg);
	tg.btf_obj_fd = fd;
	s->prog = clone_load(&c->tpl[c->one_template ? 1 : e->pos], &tg, NULL, 0);
}

static void attach_one(void *arg, size_t i)
{
	struct cloned *c = arg;
	struct cloned_site *s = &c->sites[i];

	if (s->prog >= 0)
		s->link = c->attach(c, &c->set->funcs[s->idx], s->prog);
}

/* The last site after I whose program is loaded but not linked; C->n if none. */
static size_t last_unlinked(const struct cloned *c, size_t i)
{
	size_t j;

	for (j = c->n; j-- > i + 1;)
		if (c->sites[j].prog >= 0 && c->sites[j].link < 0)
			return j;
	return c->n;
}

/*
 * Out of descriptors (a low ulimit -n), the load pass can take every one left and no link
 * gets one: give up the last sites' programs, one for each link the first ones need, so
 * that what fits is traced (half of what loaded) rather than nothing.
 */
static void make_room(struct cloned *c)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		struct cloned_site *s = &c->sites[i];

		while (s->prog >= 0 && s->link == -EMFILE) {
			j = last_unlinked(c, i);
			if (j == c->n) {
				close(s->prog);
				s->prog = -EMFILE;
				break;
			}
			close(c->sites[j].prog);
			c->sites[j].prog = -EMFILE;
			s->link = c->attach(c, &c->set->funcs[s->idx], s->prog);
		}
	}
}

size_t cloned_live(const struct cloned *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		n += c->sites[i].prog >= 0;
	return n;
}

void cloned_run(struct cloned *c, int load_threads, int attach_threads, volatile sig_atomic_t *stop)
{
	double t0;
	size_t i;

	/* the kernel's list of module BTFs, read once before the threads look into it */
	for (i = 0; i < c->n; i++)
		if (c->set->funcs[c->sites[i].idx].module) {
			btf_objs_fd(&c->mods, "");
			break;
		}
	/* two passes: loading is the verifier's work, attaching patches code under a lock */
	t0 = mono_now();
	if (!load_threads) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		load_threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
	}
	pool_run(c->n, pool_threads("PWRU_LOAD_THREADS", load_threads), load_one, c, stop);
	c->t_load = mono_now() - t0;
	t0 = mono_now();
	pool_run(c->n, pool_threads("PWRU_ATTACH_THREADS", attach_threads), attach_one, c, stop);
	make_room(c);
	c->t_attach = mono_now() - t0;
}

void cloned_results(const struct cloned *c, uint8_t *hooked, int *errs)
{
	FILE *dump = backend_bench_dump();
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct cloned_site *s = &c->sites[i];
		const struct func_entry *e = &c->set->funcs[s->idx];

		if (dump && s->prog >= 0 && s->link >= 0)
			fprintf(dump, "%s %s %u %s\n", c->dump_kind, e->module ? e->module : "-",
				e->btf_id, e->name);
		hooked[s->idx] |= s->prog >= 0 && s->link >= 0;
		if (!errs[s->idx])
			errs[s->idx] = s->prog < 0 ? s->prog : s->link < 0 ? s->link : 0;
	}
}

static void close_one(void *arg, size_t i)
{
	struct cloned_site *s = &((struct cloned *)arg)->sites[i];

	if (s->link >= 0)
		close(s->link);
	if (s->prog >= 0)
		close(s->prog);
}

void cloned_free(struct cloned *c)
{
	int pos;

	/* no stop flag: a second Ctrl-C must not leave programs behind */
	if (c->sites)
		pool_run(c->n, pool_threads("PWRU_CLOSE_THREADS", CLOSE_THREADS), close_one, c,
			 NULL);
	for (pos = 0; pos <= FUNCSET_MAX_POS; pos++)
		clone_tpl_free(&c->tpl[pos]);
	btf_objs_free(&c->mods);
	free(c->sites);
	c->sites = NULL;
	c->n = 0;
}
