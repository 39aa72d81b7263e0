/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An in-place pass over a program's instructions, before its load: the loader's steps that
 * change instructions without moving them (kernel references, .rodata folds, known
 * branches) share it, and the flow questions they ask.
 */
#ifndef PWRU_PROG_EDIT_H
#define PWRU_PROG_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

struct bpf_program;

/* Changes instructions of the N at IN in place: how many, or a negative errno. */
typedef int (*insn_edit_fn)(struct bpf_insn *in, size_t n, const void *arg);

/* EDIT over a copy of PROG's instructions, given back to PROG when it changed any. */
int prog_edit(struct bpf_program *prog, insn_edit_fn edit, const void *arg);

/*
 * Inline: the dead-code pass asks both of every instruction in each of its rounds, about
 * 80,000 times per program.
 */

/* IN is the first half of a 64-bit immediate load: the next slot is its data. */
static inline bool insn_is_ld_imm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

/*
 * Where the instruction at IN[I] jumps, calls a subprogram or points a callback (bpf_loop
 * and the like) into *TO; false for one without such an offset.
 */
static inline bool insn_target(const struct bpf_insn *in, size_t i, int64_t *to)
{
	const struct bpf_insn *c = &in[i];
	uint8_t cls = BPF_CLASS(c->code), op = BPF_OP(c->code);

	if (insn_is_ld_imm64(c) && c->src_reg == BPF_PSEUDO_FUNC) {
		*to = (int64_t)i + 1 + c->imm;
		return true;
	}
	if ((cls != BPF_JMP && cls != BPF_JMP32) || op == BPF_EXIT ||
	    (op == BPF_CALL && c->src_reg != BPF_PSEUDO_CALL))
		return false;
	/* bpf-to-bpf calls and gotol (the 32-bit ja) count in imm */
	if (op == BPF_CALL || (cls == BPF_JMP32 && op == BPF_JA))
		*to = (int64_t)i + 1 + c->imm;
	else
		*to = (int64_t)i + 1 + c->off;
	return true;
}

/*
 * Where some jump, call or callback lands among the N at IN, other than on the next
 * instruction: N + 1 flags, or NULL.
 */
bool *insn_landings(const struct bpf_insn *in, size_t n);

/* The same into T (N + 1 flags, all false on entry). */
void insn_landings_into(const struct bpf_insn *in, size_t n, bool *t);

#endif
