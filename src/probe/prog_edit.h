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

struct bpf_insn;
struct bpf_program;

/* Changes instructions of the N at IN in place: how many, or a negative errno. */
typedef int (*insn_edit_fn)(struct bpf_insn *in, size_t n, const void *arg);

/* EDIT over a copy of PROG's instructions, given back to PROG when it changed any. */
int prog_edit(struct bpf_program *prog, insn_edit_fn edit, const void *arg);

/* IN is the first half of a 64-bit immediate load: the next slot is its data. */
bool insn_is_ld_imm64(const struct bpf_insn *in);

/*
 * Where the instruction at IN[I] jumps, calls a subprogram or points a callback (bpf_loop
 * and the like) into *TO; false for one without such an offset.
 */
bool insn_target(const struct bpf_insn *in, size_t i, int64_t *to);

/*
 * Where some jump, call or callback lands among the N at IN, other than on the next
 * instruction: N + 1 flags, or NULL.
 */
bool *insn_landings(const struct bpf_insn *in, size_t n);

#endif
