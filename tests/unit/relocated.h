/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracing object's programs as they stood at a load's first prepare step (every one
 * relocated by libbpf by then), kept to be compared instruction by instruction.
 */
#ifndef PWRU_TEST_RELOCATED_H
#define PWRU_TEST_RELOCATED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#define MAX_PROGS 128

struct relocated {
	size_t n;
	char *name[MAX_PROGS];
	struct bpf_insn *insns[MAX_PROGS];
	size_t cnt[MAX_PROGS];
};

static void keep_insns(struct bpf_object *obj, void *arg)
{
	struct relocated *r = arg;
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj)
	{
		size_t n = bpf_program__insn_cnt(p);

		if (r->n == MAX_PROGS)
			break;
		r->name[r->n] = strdup(bpf_program__name(p));
		r->insns[r->n] = malloc((n ? n : 1) * sizeof(struct bpf_insn));
		memcpy(r->insns[r->n], bpf_program__insns(p), n * sizeof(struct bpf_insn));
		r->cnt[r->n++] = n;
	}
}

/* A map reference holds this load's descriptor: compared without it. */
static int same_insn(const struct bpf_insn *a, const struct bpf_insn *b)
{
	struct bpf_insn x = *a, y = *b;

	if (a->code == (BPF_LD | BPF_IMM | BPF_DW) &&
	    (a->src_reg == BPF_PSEUDO_MAP_FD || a->src_reg == BPF_PSEUDO_MAP_VALUE))
		x.imm = y.imm = 0;
	return !memcmp(&x, &y, sizeof(x));
}

static size_t differences(const struct relocated *a, const struct relocated *b)
{
	size_t i, k, diff = 0;

	for (i = 0; i < a->n && i < b->n; i++) {
		if (strcmp(a->name[i], b->name[i]) || a->cnt[i] != b->cnt[i]) {
			printf("#   %s: %zu against %zu instructions\n", a->name[i], a->cnt[i],
			       b->cnt[i]);
			diff++;
			continue;
		}
		for (k = 0; k < a->cnt[i]; k++)
			if (!same_insn(&a->insns[i][k], &b->insns[i][k]) && diff++ < 5)
				printf("#   %s, instruction %zu differs\n", a->name[i], k);
	}
	return diff + (a->n != b->n);
}

static void relocated_free(struct relocated *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->name[i]);
		free(r->insns[i]);
	}
}

#endif
