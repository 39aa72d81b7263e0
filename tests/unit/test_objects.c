// SPDX-License-Identifier: GPL-2.0
/*
 * The objects holding only what a run of one backend can load (src/probe/objects.h, the
 * Makefile's BPF_ONLY): each must hold every program such a run may ask for, as the same
 * instructions as pwru.bpf.o's (no per-hit change), and far fewer programs than
 * pwru.bpf.o, which is why it exists (libbpf's open parses them all).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "tap.h"
#include "bpf/probe_sections.h"
#include "pwru.skel.h"
#include "src/probe/backend.h"
#include "src/probe/progtrace.h"
#include "src/probe/retsplit.h"

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool in_every_object(const struct bpf_program *p);

/*
 * Whether a run of B may load P, a program of pwru.bpf.o; FIRST: one whose return values go
 * through fentry with the skb first only (retsplit_first(), B's .object_first).
 */
static bool may_load(const struct backend *b, const struct bpf_program *p, bool first)
{
	const char *name = bpf_program__name(p);

	if (starts(name, b->prog_prefix))
		return true;
	/* the program kprobe-multi's entry points hand a shown packet to */
	if (b == &backend_kprobe_multi && !strcmp(name, "kprobe_multi_emit"))
		return true;
	/* return values: fentry's templates and exit, else the kretprobes (retsplit.c) */
	if (first)
		return !strcmp(name, "fentry_skb_1") || !strcmp(name, "fexit_ret_1") ||
		       in_every_object(p);
	if (b->targets == TARGET_FUNCS &&
	    (starts(name, backend_fentry.prog_prefix) || !strcmp(name, "fexit_ret_1") ||
	     starts(name, backend_kretprobe.prog_prefix) || starts(name, "kprobe_exit_ret")))
		return true;
	return in_every_object(p);
}

/* tc/XDP programs' and nft_do_chain's, with any backend (the kretprobes are KPROBE_HOLD's) */
static bool in_every_object(const struct bpf_program *p)
{
	const struct hook_section *secs[16];
	size_t n, i;

	n = progtrace_sections(secs, 16);
	n += retsplit_sections(secs + n, 16 - n);
	for (i = 0; i < n; i++)
		if (!strcmp(bpf_program__section_name(p), secs[i]->sec) &&
		    strcmp(secs[i]->sec, PWRU_SEC_KRETPROBE))
			return true;
	return false;
}

static bool same_insns(const struct bpf_program *a, const struct bpf_program *b)
{
	size_t n = bpf_program__insn_cnt(a);

	return n == bpf_program__insn_cnt(b) &&
	       !memcmp(bpf_program__insns(a), bpf_program__insns(b), n * sizeof(struct bpf_insn));
}

static void check_object(const struct backend *b, struct bpf_object *all, bool first)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .object_name = "pwru_bpf");
	size_t size, want = 0, held = 0, extra = 0, same = 0, total = 0;
	const void *bytes = (first ? b->object_first : b->object)(&size);
	const char *what = first ? "object_first" : "object";
	struct bpf_object *obj = bpf_object__open_mem(bytes, size, &o);
	struct bpf_program *p, *q;

	ok(obj != NULL, "%s: its %s opens", b->name, what);
	if (!obj)
		return;
	bpf_object__for_each_program(p, all)
	{
		total++;
		q = bpf_object__find_program_by_name(obj, bpf_program__name(p));
		if (may_load(b, p, first)) {
			want++;
			held += q != NULL;
			same += q && same_insns(p, q);
			if (!q)
				printf("#   %s missing\n", bpf_program__name(p));
		} else if (q) {
			extra++;
			printf("#   %s not needed\n", bpf_program__name(p));
		}
	}
	is_int(held, want, "%s: its %s holds each of the %zu programs a run may load", b->name,
	       what, want);
	is_int(same, want, "%s: each as the same instructions as in pwru.bpf.o", b->name);
	is_int(extra, 0, "%s: and no other", b->name);
	ok(want * 3 < total * 2, "%s: %zu of pwru.bpf.o's %zu programs", b->name, want, total);
	/* what the smaller object exists for: at most half of .object's bytes to open */
	if (first) {
		size_t full = 0;

		if (b->object)
			b->object(&full);
		else
			pwru_bpf__elf_bytes(&full);
		ok(size * 2 < full, "%s: %s is %zu bytes, .object %zu", b->name, what, size, full);
	}
	bpf_object__close(obj);
}

int main(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .object_name = "pwru_bpf");
	const struct backend *b;
	struct bpf_object *all;
	size_t size, i, n = 0;
	const void *bytes = pwru_bpf__elf_bytes(&size);

	all = bpf_object__open_mem(bytes, size, &o);
	ok(all != NULL, "pwru.bpf.o opens");
	for (i = 0; all && (b = backend_at(i)); i++) {
		if (!b->object && !b->object_first)
			continue;
		n++;
		if (b->object)
			check_object(b, all, false);
		if (b->object_first)
			check_object(b, all, true);
	}
	ok(n > 0, "%zu backend(s) with an object of their own", n);
	bpf_object__close(all);
	return tap_done();
}
