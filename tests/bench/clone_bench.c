// SPDX-License-Identifier: GPL-2.0
/*
 * One program per target, two ways, on this machine's kernel with real tracepoint
 * programs (the fentry templates work the same way, but this kernel refuses fentry):
 * - copies: the template's final instructions captured once while libbpf loads the object,
 *   then one BPF_PROG_LOAD per target with two immediates rewritten (src/probe/clone.c),
 *   from 1, 2 and 4 threads;
 * - objects: a libbpf object opened, relocated, spliced and loaded per target, what a
 *   loader without copies does.
 * Prints milliseconds per program (wall) and the ratio of the two.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "pwru.skel.h"
#include "filters/pcap_filter.h"
#include "src/discover/tracepoints.h"
#include "src/probe/backend.h"
#include "src/probe/btf_uses.h"
#include "src/probe/cloned.h"
#include "src/probe/loader.h"
#include "src/probe/pool.h"

#define COPIES	240 /* targets cycle through the tracepoint set */
#define OBJECTS 24
#define EXPR	"tcp port 80 or icmp"

static struct cloned *c;
static int fds[COPIES];

static void load_copy(void *arg, size_t i)
{
	const struct func_entry *e = &c->set->funcs[i % c->set->n];
	struct clone_target tg = {.btf_id = e->btf_id, .values = {[CLONE_NARGS] = e->nslots}};

	fds[i] = e->module ? -1 : clone_load(&c->tpl[e->pos], &tg, NULL, 0);
}

static double copies(int threads)
{
	double t0 = mono_now(), t;
	size_t i, ok = 0;

	pool_run(COPIES, threads, load_copy, NULL, NULL);
	t = mono_now() - t0;
	for (i = 0; i < COPIES; i++)
		if (fds[i] >= 0) {
			ok++;
			close(fds[i]);
		}
	return ok ? t * 1000 / (double)ok : -1;
}

/* Whole objects: open, pick the program and its target, splice the filter, load. */
static double objects(struct pcap_filter *f, const struct funcset *tps)
{
	const struct hook_section sec = {"tp_btf+", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP};
	struct splice_hooks *h = NULL;
	char err[256];
	double t0 = mono_now();
	size_t i, ok = 0;

	if (splice_hooks_install(f, &sec, 1, NULL, NULL, &h, err, sizeof(err)))
		return -1;
	for (i = 0; i < OBJECTS; i++) {
		const struct func_entry *e = &tps->funcs[i % tps->n];
		struct pwru_bpf *skel = pwru_bpf__open();
		struct bpf_program *p;
		char name[32];

		if (!skel)
			continue;
		bpf_object__for_each_program(p, skel->obj) bpf_program__set_autoload(p, false);
		snprintf(name, sizeof(name), "tp_btf_skb_%d", e->pos);
		p = bpf_object__find_program_by_name(skel->obj, name);
		bpf_program__set_autoload(p, true);
		bpf_program__set_attach_target(p, 0, e->name);
		ok += !pwru_bpf__load(skel);
		pwru_bpf__destroy(skel);
	}
	splice_hooks_remove(h);
	return ok ? (mono_now() - t0) * 1000 / (double)ok : -1;
}

int main(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	struct funcset_btf vm = {.btf = btf};
	struct funcset tps = {0}, fs = {0};
	struct pcap_filter *f = NULL;
	volatile sig_atomic_t stop = 0;
	struct btf_uses uses = {0};
	struct backend_ctx ctx = {.uses = &uses, .fs = &fs, .tps = &tps, .stop = &stop};
	struct loader ld;
	char err[512], why[256];
	struct pwru_err e = {0};
	double one, two, four, obj;

	backend_quiet(1);
	if (!btf || btf_uses_find(btf, false, &uses) ||
	    tpset_build(&vm, 1, "net_dev_.*|netif_.*|napi_.*|consume_skb|kfree_skb", &tps, &e) ||
	    pcap_filter_compile(EXPR, &f, err, sizeof(err)) ||
	    backend_tracepoint.probe(&ctx, why, sizeof(why))) {
		fprintf(stderr, "clone-bench: cannot set up here\n");
		return 1;
	}
	if (loader_open(&ld, f, &backend_tracepoint, &ctx, NULL, NULL, false, err, sizeof(err)) ||
	    loader_load(&ld, err, sizeof(err))) {
		fprintf(stderr, "clone-bench: %s\n", err);
		return 1;
	}
	c = ctx.priv;
	one = copies(1);
	two = copies(2);
	four = copies(4);
	obj = objects(f, &tps);
	printf("One program per target (%zu tracepoints, filter '%s'):\n", tps.n, EXPR);
	printf("  copies of the template, 1 thread:  %6.2f ms each\n", one);
	printf("  copies of the template, 2 threads: %6.2f ms each (x %.2f of 1 thread)\n", two,
	       two / one);
	printf("  copies of the template, 4 threads: %6.2f ms each (x %.2f of 1 thread)\n", four,
	       four / one);
	printf("  a libbpf object per target:        %6.2f ms each (x %.1f of a copy)\n", obj,
	       obj / one);
	backend_tracepoint.detach(&ctx);
	loader_close(&ld);
	pcap_filter_free(f);
	funcset_free(&tps);
	btf__free(btf);
	return 0;
}
