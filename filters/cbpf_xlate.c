// SPDX-License-Identifier: GPL-2.0
/*
 * cBPF -> eBPF, one cBPF instruction at a time with an address map for jumps, following the
 * semantics of libpcap's interpreter (out-of-bounds loads and division by zero reject) and of
 * the kernel's converter for Linux ancillary loads.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bpf/filter_scratch.h"
#include "filters/xlate_emit.h"

static int16_t mem_off(uint32_t k)
{
	return (int16_t)(-4 * (int)(k + 1));
}

static int xlate_ld(struct xl *x, const struct sock_filter *f, uint8_t dst)
{
	int bytes = cbpf_bytes(f->code);

	switch (BPF_MODE(f->code)) {
	case BPF_IMM:
		xl_emit(x, BPF_ALU | BPF_MOV | BPF_K, dst, 0, 0, (int32_t)f->k);
		return 0;
	case BPF_LEN:
		x->reads_meta = true;
		xl_emit(x, BPF_LDX | BPF_MEM | BPF_W, dst, RS,
			offsetof(struct filter_pcap_scratch, len), 0);
		return 0;
	case BPF_MEM:
		if (f->k >= SCRATCH_SLOTS)
			return xl_fail(x, "scratch memory M[%u] out of range", f->k);
		xl_emit(x, BPF_LDX | BPF_MEM | BPF_W, dst, BPF_REG_10, mem_off(f->k), 0);
		return 0;
	case BPF_ABS:
		if (dst != RA || !bytes)
			break;
		if (f->k >= (uint32_t)SKF_AD_OFF)
			return emit_ancillary(x, f->k - (uint32_t)SKF_AD_OFF);
		emit_load_abs(x, RA, bytes, f->k);
		return 0;
	case BPF_IND:
		if (dst != RA || !bytes)
			break;
		emit_load_ind(x, RA, bytes, f->k);
		return 0;
	case BPF_MSH:
		if (dst != RX || BPF_SIZE(f->code) != BPF_B)
			break;
		emit_load_abs(x, RX, 1, f->k);
		xl_emit(x, BPF_ALU | BPF_AND | BPF_K, RX, 0, 0, 0xf);
		xl_emit(x, BPF_ALU | BPF_LSH | BPF_K, RX, 0, 0, 2);
		return 0;
	}
	return xl_fail(x, "unsupported load opcode 0x%02x", f->code);
}

static int xlate_alu(struct xl *x, const struct sock_filter *f)
{
	uint8_t op = BPF_OP(f->code);
	bool by_x = BPF_SRC(f->code) == BPF_X;

	switch (op) {
	case BPF_NEG:
		xl_emit(x, BPF_ALU | BPF_NEG, RA, 0, 0, 0);
		return 0;
	case BPF_DIV:
	case BPF_MOD:
		if (by_x) {
			xl_jump_to(x, BPF_JMP32 | BPF_JEQ | BPF_K, RX, 0, 0, T_NOMATCH);
		} else if (f->k == 0) {
			xl_reject(x);
			return 0;
		}
		break;
	case BPF_LSH:
	case BPF_RSH:
		/*
		 * libpcap's interpreter shifts everything out for counts of 32 or more, where
		 * eBPF would mask the count (and the verifier refuses such constants).
		 */
		if (!by_x && f->k >= 32) {
			xl_emit(x, BPF_ALU | BPF_MOV | BPF_K, RA, 0, 0, 0);
			return 0;
		}
		if (by_x) {
			xl_emit(x, BPF_JMP32 | BPF_JLT | BPF_K, RX, 0, 2, 32);
			xl_emit(x, BPF_ALU | BPF_MOV | BPF_K, RA, 0, 0, 0);
			xl_emit(x, BPF_JMP | BPF_JA, 0, 0, 1, 0);
		}
		break;
	case BPF_ADD:
	case BPF_SUB:
	case BPF_MUL:
	case BPF_OR:
	case BPF_AND:
	case BPF_XOR:
		break;
	default:
		return xl_fail(x, "unsupported ALU opcode 0x%02x", f->code);
	}
	if (by_x)
		xl_emit(x, BPF_ALU | op | BPF_X, RA, RX, 0, 0);
	else
		xl_emit(x, BPF_ALU | op | BPF_K, RA, 0, 0, (int32_t)f->k);
	return 0;
}

static uint8_t invert(uint8_t op)
{
	switch (op) {
	case BPF_JEQ:
		return BPF_JNE;
	case BPF_JGT:
		return BPF_JLE;
	case BPF_JGE:
		return BPF_JLT;
	}
	return 0;
}

static int check_target(struct xl *x, size_t i, uint64_t t)
{
	if (t >= x->n)
		return xl_fail(x, "jump at %zu out of the program (to %llu)", i,
			       (unsigned long long)t);
	return 0;
}

/* Backward jumps count down a per-packet budget on the stack so the verifier sees an end. */
static void emit_loop_budget(struct xl *x)
{
	xl_emit(x, BPF_STX | BPF_MEM | BPF_W, RS, RA, offsetof(struct filter_pcap_scratch, loop_a),
		0);
	xl_emit(x, BPF_STX | BPF_MEM | BPF_W, RS, RX, offsetof(struct filter_pcap_scratch, loop_x),
		0);
	xl_emit(x, BPF_LDX | BPF_MEM | BPF_W, RA, RS, offsetof(struct filter_pcap_scratch, loop_a),
		0);
	xl_emit(x, BPF_LDX | BPF_MEM | BPF_W, RX, RS, offsetof(struct filter_pcap_scratch, loop_x),
		0);
	xl_emit(x, BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_0, BPF_REG_10, LOOP_SLOT, 0);
	xl_jump_to(x, BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 0, T_NOMATCH);
	xl_emit(x, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_0, 0, 0, -1);
	xl_emit(x, BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, BPF_REG_0, LOOP_SLOT, 0);
}

static int xlate_jmp(struct xl *x, size_t i, const struct sock_filter *f)
{
	uint8_t op = BPF_OP(f->code), src = BPF_SRC(f->code), inv;
	uint64_t tt = i + 1 + f->jt, ft = i + 1 + f->jf;
	uint8_t code = BPF_JMP32 | op | src;
	int32_t imm = src == BPF_K ? (int32_t)f->k : 0;
	uint8_t sreg = src == BPF_X ? RX : 0;

	if (op == BPF_JA) {
		int64_t t = (int64_t)i + 1 + (int32_t)f->k;

		if (t < 0 || check_target(x, i, (uint64_t)t))
			return xl_fail(x, "jump at %zu out of the program", i);
		if ((size_t)t <= i)
			emit_loop_budget(x);
		xl_jump_to(x, BPF_JMP | BPF_JA, 0, 0, 0, (uint32_t)t);
		return 0;
	}
	if (op != BPF_JEQ && op != BPF_JGT && op != BPF_JGE && op != BPF_JSET)
		return xl_fail(x, "unsupported jump opcode 0x%02x", f->code);
	if (check_target(x, i, tt) || check_target(x, i, ft))
		return -EINVAL;
	if (tt == ft) {
		xl_jump_to(x, BPF_JMP | BPF_JA, 0, 0, 0, (uint32_t)tt);
		return 0;
	}
	inv = invert(op);
	if (tt == i + 1 && inv) {
		xl_jump_to(x, BPF_JMP32 | inv | src, RA, sreg, imm, (uint32_t)ft);
		return 0;
	}
	xl_jump_to(x, code, RA, sreg, imm, (uint32_t)tt);
	if (ft != i + 1)
		xl_jump_to(x, BPF_JMP | BPF_JA, 0, 0, 0, (uint32_t)ft);
	return 0;
}

static void emit_ret_bool_a(struct xl *x)
{
	xl_emit(x, BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	xl_emit(x, BPF_JMP32 | BPF_JEQ | BPF_K, RA, 0, 1, 0);
	xl_emit(x, BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
	xl_emit(x, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static int xlate_one(struct xl *x, size_t i)
{
	const struct sock_filter *f = &x->prog[i];

	switch (BPF_CLASS(f->code)) {
	case BPF_LD:
		return xlate_ld(x, f, RA);
	case BPF_LDX:
		return xlate_ld(x, f, RX);
	case BPF_ST:
	case BPF_STX:
		if (f->k >= SCRATCH_SLOTS)
			return xl_fail(x, "scratch memory M[%u] out of range", f->k);
		xl_emit(x, BPF_STX | BPF_MEM | BPF_W, BPF_REG_10,
			BPF_CLASS(f->code) == BPF_ST ? RA : RX, mem_off(f->k), 0);
		return 0;
	case BPF_ALU:
		return xlate_alu(x, f);
	case BPF_JMP:
		return xlate_jmp(x, i, f);
	case BPF_RET:
		if (BPF_RVAL(f->code) == BPF_A) {
			emit_ret_bool_a(x);
			return 0;
		}
		if (BPF_RVAL(f->code) != BPF_K)
			break;
		xl_emit(x, BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, f->k != 0);
		xl_emit(x, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		return 0;
	case BPF_MISC:
		if (BPF_MISCOP(f->code) == BPF_TAX) {
			xl_emit(x, BPF_ALU | BPF_MOV | BPF_X, RX, RA, 0, 0);
			return 0;
		}
		if (BPF_MISCOP(f->code) == BPF_TXA) {
			xl_emit(x, BPF_ALU | BPF_MOV | BPF_X, RA, RX, 0, 0);
			return 0;
		}
		break;
	}
	return xl_fail(x, "unsupported opcode 0x%02x at %zu", f->code, i);
}

static bool falls_through(const struct sock_filter *f)
{
	if (BPF_CLASS(f->code) == BPF_RET)
		return false;
	return !(BPF_CLASS(f->code) == BPF_JMP && BPF_OP(f->code) == BPF_JA);
}

/* The verifier rejects unreachable code, so only reachable cBPF instructions are emitted. */
static int mark_reachable(struct xl *x, bool *seen)
{
	size_t *stack = malloc(x->n * sizeof(*stack)), top = 0;

	if (!stack)
		return -ENOMEM;
	seen[0] = true;
	stack[top++] = 0;
	while (top) {
		size_t i = stack[--top], next[2];
		const struct sock_filter *f = &x->prog[i];
		int nn = 0;

		if (BPF_CLASS(f->code) == BPF_JMP && BPF_OP(f->code) == BPF_JA)
			next[nn++] = (size_t)((int64_t)i + 1 + (int32_t)f->k);
		else if (BPF_CLASS(f->code) == BPF_JMP) {
			next[nn++] = i + 1 + f->jt;
			next[nn++] = i + 1 + f->jf;
		} else if (falls_through(f))
			next[nn++] = i + 1;
		for (int j = 0; j < nn; j++) {
			if (next[j] >= x->n) {
				free(stack);
				return xl_fail(x, "instruction %zu leaves the program", i);
			}
			if (!seen[next[j]]) {
				seen[next[j]] = true;
				stack[top++] = next[j];
			}
		}
	}
	free(stack);
	return 0;
}

/*
 * Whether F needs the scratch in CBPF_XLATE_DIRECT (len, skb fields, loops), or the
 * packet's address as a number (indexed loads, fixed ones past the window's reach).
 */
static bool needs_scratch(const struct sock_filter *f)
{
	uint16_t c = f->code;

	if ((BPF_CLASS(c) == BPF_LD || BPF_CLASS(c) == BPF_LDX) && BPF_MODE(c) == BPF_LEN)
		return true;
	if (BPF_CLASS(c) == BPF_LD && BPF_MODE(c) == BPF_ABS && f->k >= (uint32_t)SKF_AD_OFF)
		return true;
	return BPF_CLASS(c) == BPF_JMP && BPF_OP(c) == BPF_JA && (int32_t)f->k < 0;
}

static bool needs_address(const struct xl *x, const struct sock_filter *f)
{
	uint16_t c = f->code;

	if (BPF_CLASS(c) == BPF_LD && BPF_MODE(c) == BPF_IND)
		return true;
	return !x->window || ((BPF_CLASS(c) == BPF_LD || BPF_CLASS(c) == BPF_LDX) &&
			      (BPF_MODE(c) == BPF_ABS || BPF_MODE(c) == BPF_MSH) &&
			      (uint64_t)f->k + 4 > WINDOW_REACH);
}

/*
 * A and X start at 0; the captured length comes in R3, the packet's address in R2: kept on
 * the stack for the loads that compute theirs, or cast once into the window (RS) when the
 * body needs no scratch.
 */
static void emit_entry(struct xl *x, const bool *seen)
{
	bool address = false;

	x->window = x->mode == CBPF_XLATE_DIRECT && x->cast->window > 0;
	for (size_t i = 0; i < x->n; i++)
		if (seen[i] && needs_scratch(&x->prog[i]))
			x->window = false;
	for (size_t i = 0; i < x->n; i++)
		address |= seen[i] && needs_address(x, &x->prog[i]);
	if (address)
		xl_emit(x, BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, BPF_REG_2, DATA_SLOT, 0);
	xl_emit(x, BPF_ALU | BPF_MOV | BPF_X, RCAP, BPF_REG_3, 0, 0);
	if (x->window) {
		xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_2, 0, 0);
		xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, x->cast->window);
		xl_emit(x, BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, x->cast->kfunc);
		xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_X, RS, BPF_REG_0, 0, 0);
	} else {
		xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_X, RS, BPF_REG_1, 0, 0);
	}
}

static void emit_prologue(struct xl *x, const bool *seen)
{
	bool zero[SCRATCH_SLOTS] = {false}, loops = false;

	for (size_t i = 0; i < x->n; i++) {
		const struct sock_filter *f = &x->prog[i];
		uint8_t cls = BPF_CLASS(f->code);

		if (!seen[i])
			continue;
		if ((cls == BPF_LD || cls == BPF_LDX) && BPF_MODE(f->code) == BPF_MEM &&
		    f->k < SCRATCH_SLOTS)
			zero[f->k] = true;
		if (cls == BPF_JMP && BPF_OP(f->code) == BPF_JA && (int32_t)f->k < 0)
			loops = true;
	}
	emit_entry(x, seen);
	xl_emit(x, BPF_ALU | BPF_MOV | BPF_K, RA, 0, 0, 0);
	xl_emit(x, BPF_ALU | BPF_MOV | BPF_K, RX, 0, 0, 0);
	/* libpcap's interpreter starts with M[] zeroed; only slots the program reads matter */
	for (uint32_t k = 0; k < SCRATCH_SLOTS; k++)
		if (zero[k])
			xl_emit(x, BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, mem_off(k), 0);
	if (loops) {
		xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, CBPF_XLATE_LOOP_BOUND);
		xl_emit(x, BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, BPF_REG_0, LOOP_SLOT, 0);
	}
}

static int resolve_jumps(struct xl *x)
{
	size_t nomatch = x->cnt;
	bool need_nomatch = false;

	for (size_t j = 0; j < x->nfix; j++)
		need_nomatch |= x->fix[j].target == T_NOMATCH;
	if (need_nomatch) {
		xl_emit(x, BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
		xl_emit(x, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
	if (x->oom)
		return -ENOMEM;
	for (size_t j = 0; j < x->nfix; j++) {
		const struct fixup *fx = &x->fix[j];
		size_t dest = fx->target == T_NOMATCH ? nomatch : x->addrs[fx->target];
		long off = (long)dest - (long)fx->at - 1;

		if (off < INT16_MIN || off > INT16_MAX)
			return xl_fail(x, "filter too large: a jump spans %ld instructions", off);
		x->out[fx->at].off = (int16_t)off;
	}
	return 0;
}

int cbpf_needs_skb_layout(const struct sock_filter *prog, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (prog[i].code == (BPF_LD | BPF_ABS | BPF_W) ||
		    prog[i].code == (BPF_LD | BPF_ABS | BPF_H) ||
		    prog[i].code == (BPF_LD | BPF_ABS | BPF_B))
			if (prog[i].k >= (uint32_t)SKF_AD_OFF)
				return 1;
	return 0;
}

static int xlate_all(struct xl *x)
{
	bool *seen = calloc(x->n, sizeof(*seen));
	int err;

	x->addrs = calloc(x->n, sizeof(*x->addrs));
	if (!seen || !x->addrs) {
		free(seen);
		return -ENOMEM;
	}
	err = mark_reachable(x, seen);
	if (!err)
		emit_prologue(x, seen);
	for (size_t i = 0; !err && i < x->n; i++) {
		x->addrs[i] = x->cnt;
		if (seen[i])
			err = xlate_one(x, i);
	}
	free(seen);
	return err ? err : resolve_jumps(x);
}

/*
 * The most X can hold anywhere in PROG, whatever the path: `ldxb 4*([k]&0xf)` at most 60, an
 * immediate its value; UINT32_MAX once X can take a loaded or computed value. It bounds the
 * bytes an indexed load can reach, so that the glue copies no more than the loads can read.
 */
static uint32_t x_max(const struct sock_filter *prog, size_t n)
{
	uint32_t m = 0, v;

	for (size_t i = 0; i < n; i++) {
		uint16_t c = prog[i].code;

		if (BPF_CLASS(c) == BPF_LDX)
			v = BPF_MODE(c) == BPF_MSH   ? 60
			    : BPF_MODE(c) == BPF_IMM ? prog[i].k
						     : UINT32_MAX;
		else
			v = c == (BPF_MISC | BPF_TAX) ? UINT32_MAX : 0;
		m = v > m ? v : m;
	}
	return m;
}

int cbpf_xlate(const struct sock_filter *prog, size_t n, enum cbpf_xlate_mode mode,
	       const struct skb_layout *layout, const struct cbpf_cast *cast, struct ebpf_code *out,
	       char *err, size_t errlen)
{
	struct xl x = {.prog = prog,
		       .n = n,
		       .mode = mode,
		       .lay = layout,
		       .cast = cast,
		       .err = err,
		       .errlen = errlen};
	int ret;

	if (errlen)
		err[0] = '\0';
	if (!n)
		return xl_fail(&x, "empty cBPF program");
	if (mode == CBPF_XLATE_DIRECT && (!cast || cast->kfunc <= 0 || cast->type <= 0))
		return xl_fail(&x, "in-place packet loads need the kernel's bpf_rdonly_cast");
	x.x_max = x_max(prog, n);
	ret = xlate_all(&x);
	if (ret == -ENOMEM && !err[0])
		snprintf(err, errlen, "out of memory translating the filter");
	free(x.fix);
	free(x.addrs);
	if (ret) {
		free(x.out);
		return ret;
	}
	out->insns = x.out;
	out->cnt = x.cnt;
	out->copy_len = x.copy_len;
	out->reads_meta = x.reads_meta;
	out->needs_scratch = !x.window;
	return 0;
}

int cbpf_xlate_reject_all(struct ebpf_code *out)
{
	static const struct sock_filter reject = BPF_STMT(BPF_RET | BPF_K, 0);
	char err[64];

	return cbpf_xlate(&reject, 1, CBPF_XLATE_BLOCK, NULL, NULL, out, err, sizeof(err));
}

void ebpf_code_free(struct ebpf_code *c)
{
	free(c->insns);
	c->insns = NULL;
	c->cnt = 0;
	c->copy_len = 0;
	c->reads_meta = false;
	c->needs_scratch = false;
}
