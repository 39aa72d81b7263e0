// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "bpf/clone.h"
#include "src/probe/dead_code.h"
#include "src/probe/prog_edit.h"

#define NREGS	     11	  /* r0..r10 */
#define CALLER_SAVED 0x3f /* r0..r5: a call of any kind leaves them unknown */
/* after the fold's fixed point, a few more rounds find what the first ones uncovered */
#define MAX_ROUNDS 8

static const struct bpf_insn nop = {.code = BPF_JMP | BPF_JA};

/* Which registers hold a value known on every path to the current instruction. */
struct consts {
	uint16_t known;
	uint64_t val[NREGS];
};

static void set(struct consts *c, uint8_t r, uint64_t v)
{
	if (r >= NREGS)
		return;
	c->known |= 1u << r;
	c->val[r] = v;
}

static void forget(struct consts *c, uint8_t r)
{
	if (r < NREGS)
		c->known &= ~(1u << r);
}

static bool get(const struct consts *c, uint8_t r, uint64_t *v)
{
	if (r >= NREGS || !(c->known & 1u << r))
		return false;
	*v = c->val[r];
	return true;
}

/*
 * A 64-bit immediate the loader still changes: clone.c writes each copy's own value over
 * these markers, so here they are not constants.
 */
static bool is_clone_marker(uint64_t v)
{
	return v == CLONE_MAGIC_FUNC_IP || v == CLONE_MAGIC_NARGS || v == CLONE_MAGIC_FLAGS;
}

/* A op B in 64 or 32 bits, for the operations whose result the verifier also knows. */
static bool alu_eval(uint8_t op, bool is64, uint64_t a, uint64_t b, uint64_t *out)
{
	unsigned int width = is64 ? 64 : 32;

	switch (op) {
	case BPF_MOV:
		*out = b;
		break;
	case BPF_ADD:
		*out = a + b;
		break;
	case BPF_SUB:
		*out = a - b;
		break;
	case BPF_AND:
		*out = a & b;
		break;
	case BPF_OR:
		*out = a | b;
		break;
	case BPF_XOR:
		*out = a ^ b;
		break;
	case BPF_LSH:
	case BPF_RSH:
		if (b >= width)
			return false;
		a = is64 ? a : (uint32_t)a;
		*out = op == BPF_LSH ? a << b : a >> b;
		break;
	default:
		return false;
	}
	*out = is64 ? *out : (uint32_t)*out;
	return true;
}

static void alu_step(struct consts *c, const struct bpf_insn *in)
{
	bool is64 = BPF_CLASS(in->code) == BPF_ALU64;
	uint8_t op = BPF_OP(in->code);
	uint64_t a = 0, b, v;

	/* off set: sign-extending moves, signed division, arena casts */
	if (in->off || BPF_OP(in->code) == BPF_END) {
		forget(c, in->dst_reg);
		return;
	}
	if (BPF_SRC(in->code) == BPF_K)
		b = is64 ? (uint64_t)(int64_t)in->imm : (uint32_t)in->imm;
	else if (!get(c, in->src_reg, &b))
		goto unknown;
	if (op != BPF_MOV && !get(c, in->dst_reg, &a))
		goto unknown;
	if (!alu_eval(op, is64, a, b, &v))
		goto unknown;
	set(c, in->dst_reg, v);
	return;
unknown:
	forget(c, in->dst_reg);
}

/* What the instruction at IN does to the registers' known values. */
static void step(struct consts *c, const struct bpf_insn *in)
{
	uint8_t cls = BPF_CLASS(in->code), r;
	uint64_t v;

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		alu_step(c, in);
		return;
	case BPF_LD:
		if (!insn_is_ld_imm64(in)) { /* packet loads: r0 and the scratch registers */
			c->known &= ~CALLER_SAVED;
			return;
		}
		v = (uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;
		if (in->src_reg == 0 && !is_clone_marker(v))
			set(c, in->dst_reg, v);
		else
			forget(c, in->dst_reg);
		return;
	case BPF_LDX:
		forget(c, in->dst_reg);
		return;
	case BPF_STX:
		if (BPF_MODE(in->code) == BPF_ATOMIC) { /* fetching forms write back */
			forget(c, in->src_reg);
			forget(c, BPF_REG_0);
		}
		return;
	case BPF_JMP:
	case BPF_JMP32:
		if (BPF_OP(in->code) == BPF_CALL)
			c->known &= ~CALLER_SAVED;
		return;
	}
	for (r = 0; r < NREGS; r++) /* a class not known here: nothing kept */
		forget(c, r);
}

static bool cmp(uint8_t op, bool is64, uint64_t a, uint64_t b, bool *taken)
{
	int64_t sa = is64 ? (int64_t)a : (int32_t)a, sb = is64 ? (int64_t)b : (int32_t)b;

	switch (op) {
	case BPF_JEQ:
		*taken = a == b;
		break;
	case BPF_JNE:
		*taken = a != b;
		break;
	case BPF_JGT:
		*taken = a > b;
		break;
	case BPF_JGE:
		*taken = a >= b;
		break;
	case BPF_JLT:
		*taken = a < b;
		break;
	case BPF_JLE:
		*taken = a <= b;
		break;
	case BPF_JSGT:
		*taken = sa > sb;
		break;
	case BPF_JSGE:
		*taken = sa >= sb;
		break;
	case BPF_JSLT:
		*taken = sa < sb;
		break;
	case BPF_JSLE:
		*taken = sa <= sb;
		break;
	case BPF_JSET:
		*taken = (a & b) != 0;
		break;
	default: /* ja, gotol, calls, exit, may_goto */
		return false;
	}
	return true;
}

/* IN, a conditional jump: whether its outcome is known from C, and which, in *TAKEN. */
static bool decided(const struct consts *c, const struct bpf_insn *in, bool *taken)
{
	uint8_t cls = BPF_CLASS(in->code);
	bool is64 = cls == BPF_JMP;
	uint64_t a, b;

	if (cls != BPF_JMP && cls != BPF_JMP32)
		return false;
	if (!get(c, in->dst_reg, &a))
		return false;
	if (BPF_SRC(in->code) == BPF_K)
		b = is64 ? (uint64_t)(int64_t)in->imm : (uint32_t)in->imm;
	else if (!get(c, in->src_reg, &b))
		return false;
	if (!is64) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	return cmp(BPF_OP(in->code), is64, a, b, taken);
}

/* `ja +0` in either width, the folds' no-op: one 8-byte compare each (asked per round) */
static bool is_nop(const struct bpf_insn *in)
{
	static const struct bpf_insn nop32 = {.code = BPF_JMP32 | BPF_JA};
	uint64_t v, a, b;

	memcpy(&v, in, sizeof(v));
	memcpy(&a, &nop, sizeof(a));
	memcpy(&b, &nop32, sizeof(b));
	return v == a || v == b;
}

/* IN is never followed by the instruction after it (a no-op jumps right there). */
static bool ends_flow(const struct bpf_insn *in)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && (op == BPF_JA || op == BPF_EXIT) &&
	       !is_nop(in);
}

/*
 * One run's arrays, allocated once: a round walks the whole program three times, and the
 * rounds after the first mostly walk the no-ops of what it cleared.
 */
struct work {
	bool *land;   /* n + 1 */
	bool *live;   /* n */
	size_t *todo; /* 2n + 1 */
};

static int work_new(struct work *w, size_t n)
{
	w->land = calloc(n + 1, sizeof(*w->land));
	w->live = calloc(n ? n : 1, sizeof(*w->live));
	w->todo = malloc((2 * n + 1) * sizeof(*w->todo));
	return w->land && w->live && w->todo ? 0 : -ENOMEM;
}

static void work_free(struct work *w)
{
	free(w->land);
	free(w->live);
	free(w->todo);
}

/*
 * Each conditional jump whose registers hold known values becomes `ja` (taken) or `ja +0`
 * (never taken). Known values are followed in straight-line code only: everything is
 * forgotten where a jump, call or callback lands.
 */
static int fold_branches(struct bpf_insn *in, size_t n, bool *land)
{
	struct consts c = {0};
	int folded = 0;
	size_t i;

	memset(land, 0, (n + 1) * sizeof(*land));
	insn_landings_into(in, n, land);
	for (i = 0; i < n; i++) {
		bool taken;

		if (land[i])
			c.known = 0;
		if (is_nop(&in[i])) /* decides nothing, changes no register, ends no flow */
			continue;
		if (decided(&c, &in[i], &taken)) {
			in[i] = taken
				    ? (struct bpf_insn){.code = BPF_JMP | BPF_JA, .off = in[i].off}
				    : nop;
			folded++;
		}
		if (insn_is_ld_imm64(&in[i]) && i + 1 >= n)
			break;
		step(&c, &in[i]);
		if (ends_flow(&in[i]))
			c.known = 0;
		i += insn_is_ld_imm64(&in[i]);
	}
	return folded;
}

/*
 * Marks in W's live what runs from the program's entry; -EINVAL for a way out of the
 * program.
 */
static int mark_live(const struct bpf_insn *in, size_t n, struct work *w)
{
	size_t *todo = w->todo, sp = 0;
	bool *live = w->live;

	memset(live, 0, (n ? n : 1) * sizeof(*live));
	todo[sp++] = 0;
	while (sp) {
		size_t i = todo[--sp];
		int64_t to;

		if (i >= n)
			return -EINVAL;
		if (live[i])
			continue;
		live[i] = true;
		/* each instruction pushes at most twice, once: 2n + 1 slots suffice */
		if (insn_target(in, i, &to)) {
			if (to < 0 || (size_t)to >= n)
				return -EINVAL;
			todo[sp++] = (size_t)to;
		}
		if (insn_is_ld_imm64(&in[i]) && i + 1 < n)
			live[++i] = true;
		if (!ends_flow(&in[i]))
			todo[sp++] = i + 1;
	}
	return 0;
}

/* What no entry reaches becomes a no-op, for nop_compact to take out with the others. */
static int clear_dead(struct bpf_insn *in, size_t n, struct work *w)
{
	int rc = mark_live(in, n, w), cleared = 0;
	size_t i;

	for (i = 0; !rc && i < n; i++)
		if (!w->live[i] && !is_nop(&in[i])) {
			in[i] = nop;
			cleared++;
		}
	return rc ? rc : cleared;
}

/* How far an unconditional jump goes (gotol's in imm); 0 for any other instruction. */
static int32_t ja_offset(const struct bpf_insn *in)
{
	if (in->code == (BPF_JMP | BPF_JA))
		return in->off;
	return in->code == (BPF_JMP32 | BPF_JA) ? in->imm : 0;
}

/*
 * A jump over nothing but no-ops is one too (a decided branch over the code it made
 * dead): cleared here, the verifier would remove each by moving the program. From the
 * end, so that a jump over such a jump goes too.
 */
static int clear_empty_jumps(struct bpf_insn *in, size_t n)
{
	int cleared = 0;
	size_t i = n;

	while (i--) {
		int32_t off = ja_offset(&in[i]), k = 1;

		if (off <= 0 || (size_t)off >= n - i)
			continue;
		while (k <= off && is_nop(&in[i + k]))
			k++;
		if (k > off) {
			in[i] = nop;
			cleared++;
		}
	}
	return cleared;
}

static int rounds(struct bpf_insn *in, size_t n, struct work *w)
{
	int total = 0, round;

	for (round = 0; round < MAX_ROUNDS; round++) {
		int folded = fold_branches(in, n, w->land), cleared;

		if (!folded)
			return total;
		cleared = clear_dead(in, n, w);
		if (cleared < 0)
			return cleared;
		total += folded + cleared + clear_empty_jumps(in, n);
	}
	return total;
}

int dead_code_insns(struct bpf_insn *in, size_t n, const void *arg)
{
	struct work w;
	int rc = work_new(&w, n);

	(void)arg;
	/* checked before any change: the edits below only take ways away */
	rc = rc ? rc : mark_live(in, n, &w);
	rc = rc ? rc : rounds(in, n, &w);
	work_free(&w);
	return rc;
}
