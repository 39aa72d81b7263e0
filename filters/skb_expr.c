// SPDX-License-Identifier: GPL-2.0
/*
 * The parsed expressions (skb_expr_parse.c) to eBPF: each read follows its pointers with
 * bpf_probe_read_kernel through one stack slot; comparisons jump to true/false labels
 * (short-circuit, as C); the labels are resolved once everything is emitted.
 */
#include <errno.h>
#include <stdlib.h>
#include "filters/skb_expr_ast.h"
#include "filters/xlate_emit.h"

#define RSKB BPF_REG_6 /* the root (skb, xdp), kept across helper calls */
#define RVAL BPF_REG_7 /* the value read */
#define RK   BPF_REG_8 /* a 64-bit constant */
#define ROUT BPF_REG_9 /* metadata: where the values go */
#define SLOT (-8)

#define MAX_LABELS (2 * SKB_EXPR_MAX_NODES + 2 * SKB_METADATA_MAX + 2)

struct gen {
	struct xl x;
	size_t label_at[MAX_LABELS];
	uint32_t nlabels;
};

static uint32_t new_label(struct gen *g)
{
	return g->nlabels < MAX_LABELS ? g->nlabels++ : MAX_LABELS - 1;
}

static void place(struct gen *g, uint32_t label)
{
	g->label_at[label] = g->x.cnt;
}

static void jump(struct gen *g, uint8_t code, uint8_t dst, uint8_t src, int32_t imm, uint32_t label)
{
	xl_jump_to(&g->x, BPF_JMP | code, dst, src, imm, label);
}

static void ld_imm64(struct gen *g, uint8_t dst, uint64_t v)
{
	xl_emit(&g->x, BPF_LD | BPF_IMM | BPF_DW, dst, 0, 0, (int32_t)(uint32_t)v);
	xl_emit(&g->x, 0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
}

/* *(u64 *)SLOT = SIZE bytes at R3; to FAULT when they cannot be read. */
static void probe_read(struct gen *g, int size, uint32_t fault)
{
	struct xl *x = &g->x;

	xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_10, 0, 0);
	xl_emit(x, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, SLOT);
	xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, size);
	xl_emit(x, BPF_JMP | BPF_CALL, 0, 0, 0, PROBE_READ_KERNEL);
	jump(g, BPF_JNE | BPF_K, BPF_REG_0, 0, 0, fault);
}

/* RVAL = the value A reads, extended to 64 bits and masked; to FAULT on a NULL pointer. */
static void read_value(struct gen *g, const struct skb_access *a, uint32_t fault)
{
	struct xl *x = &g->x;
	int unused = 64 - (a->bits ? a->bits : 8 * a->size);

	xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, RSKB, 0, 0);
	for (uint32_t i = 0; i < a->nhops; i++) {
		xl_emit(x, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, a->hop[i]);
		probe_read(g, 8, fault);
		xl_emit(x, BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_3, BPF_REG_10, SLOT, 0);
		jump(g, BPF_JEQ | BPF_K, BPF_REG_3, 0, 0, fault);
	}
	xl_emit(x, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, a->off);
	xl_emit(x, BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, SLOT, 0);
	probe_read(g, a->size, fault);
	xl_emit(x, BPF_LDX | BPF_MEM | BPF_DW, RVAL, BPF_REG_10, SLOT, 0);
	/* the field's bits to the top, then down again: drops its neighbours, extends sign */
	if (unused - a->shift > 0)
		xl_emit(x, BPF_ALU64 | BPF_LSH | BPF_K, RVAL, 0, 0, unused - a->shift);
	if (unused > 0)
		xl_emit(x, BPF_ALU64 | (a->kind == SKB_VALUE_SIGNED ? BPF_ARSH : BPF_RSH) | BPF_K,
			RVAL, 0, 0, unused);
	if (a->has_mask) {
		ld_imm64(g, RK, a->mask);
		xl_emit(x, BPF_ALU64 | BPF_AND | BPF_X, RVAL, RK, 0, 0);
	}
}

static uint8_t jump_code(enum skb_op op, bool sign)
{
	switch (op) {
	case SKB_OP_EQ:
		return BPF_JEQ;
	case SKB_OP_NE:
		return BPF_JNE;
	case SKB_OP_LT:
		return sign ? BPF_JSLT : BPF_JLT;
	case SKB_OP_LE:
		return sign ? BPF_JSLE : BPF_JLE;
	case SKB_OP_GT:
		return sign ? BPF_JSGT : BPF_JGT;
	case SKB_OP_GE:
		return sign ? BPF_JSGE : BPF_JGE;
	}
	return BPF_JEQ;
}

static void cond(struct gen *g, const struct skb_tree *t, int n, uint32_t yes, uint32_t no)
{
	const struct skb_node *node = &t->n[n];
	uint32_t mid;
	bool sign;

	switch (node->kind) {
	case SKB_NODE_CMP:
		read_value(g, &node->acc, no);
		ld_imm64(g, RK, node->value);
		sign = node->acc.kind == SKB_VALUE_SIGNED && !node->acc.has_mask;
		jump(g, jump_code(node->op, sign) | BPF_X, RVAL, RK, 0, yes);
		jump(g, BPF_JA, 0, 0, 0, no);
		return;
	case SKB_NODE_NOT:
		cond(g, t, node->left, no, yes);
		return;
	case SKB_NODE_AND:
	case SKB_NODE_OR:
		mid = new_label(g);
		if (node->kind == SKB_NODE_AND)
			cond(g, t, node->left, mid, no);
		else
			cond(g, t, node->left, yes, mid);
		place(g, mid);
		cond(g, t, node->right, yes, no);
		return;
	}
}

static int finish(struct gen *g, struct ebpf_code *out)
{
	struct xl *x = &g->x;

	for (size_t i = 0; i < x->nfix; i++)
		x->out[x->fix[i].at].off =
		    (int16_t)(g->label_at[x->fix[i].target] - x->fix[i].at - 1);
	free(x->fix);
	if (x->oom || g->nlabels == MAX_LABELS) {
		free(x->out);
		return x->oom ? -ENOMEM : xl_fail(x, "too long");
	}
	*out = (struct ebpf_code){.insns = x->out, .cnt = x->cnt};
	return 0;
}

static void start(struct gen *g, char *err, size_t errlen)
{
	*g = (struct gen){.x = {.err = err, .errlen = errlen}};
	xl_emit(&g->x, BPF_ALU64 | BPF_MOV | BPF_X, RSKB, BPF_REG_1, 0, 0);
}

static void ret(struct gen *g, int v)
{
	xl_emit(&g->x, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, v);
	xl_emit(&g->x, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

int skb_expr_filter(const struct btf *btf, enum expr_root root, const char *expr,
		    struct ebpf_code *out, char *err, size_t errlen)
{
	struct skb_tree *t = calloc(1, sizeof(*t));
	uint32_t yes, no;
	struct gen g;
	int rc;

	if (!t)
		return -ENOMEM;
	rc = skb_expr_parse_filter(btf, root, expr, t, err, errlen);
	if (!rc) {
		start(&g, err, errlen);
		yes = new_label(&g);
		no = new_label(&g);
		cond(&g, t, t->root, yes, no);
		place(&g, yes);
		ret(&g, 1);
		place(&g, no);
		ret(&g, 0);
		rc = finish(&g, out);
	}
	free(t);
	return rc;
}

int skb_expr_metadata(const struct btf *btf, enum expr_root root, const char *const *exprs,
		      size_t n, struct ebpf_code *out, enum skb_value_kind *kinds, size_t *bad,
		      char *err, size_t errlen)
{
	struct skb_access a[SKB_METADATA_MAX];
	struct gen g;
	uint32_t done;
	int rc;

	if (n > SKB_METADATA_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		*bad = i;
		rc = skb_expr_parse_value(btf, root, exprs[i], &a[i], err, errlen);
		if (rc)
			return rc;
		kinds[i] = a[i].kind;
	}
	start(&g, err, errlen);
	xl_emit(&g.x, BPF_ALU64 | BPF_MOV | BPF_X, ROUT, BPF_REG_2, 0, 0);
	for (size_t i = 0; i < n; i++) {
		done = new_label(&g);
		xl_emit(&g.x, BPF_ALU64 | BPF_MOV | BPF_K, RVAL, 0, 0, 0);
		read_value(&g, &a[i], done);
		place(&g, done);
		xl_emit(&g.x, BPF_STX | BPF_MEM | BPF_DW, ROUT, RVAL, (int16_t)(8 * i), 0);
	}
	ret(&g, 1);
	return finish(&g, out);
}
