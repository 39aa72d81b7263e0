/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An in-place pass over a program's instructions, before its load: the loader's steps that
 * change instructions without moving them (kernel references, .rodata folds) share it.
 */
#ifndef PWRU_PROG_EDIT_H
#define PWRU_PROG_EDIT_H

#include <stddef.h>

struct bpf_insn;
struct bpf_program;

/* Changes instructions of the N at IN in place: how many, or a negative errno. */
typedef int (*insn_edit_fn)(struct bpf_insn *in, size_t n, const void *arg);

/* EDIT over a copy of PROG's instructions, given back to PROG when it changed any. */
int prog_edit(struct bpf_program *prog, insn_edit_fn edit, const void *arg);

#endif
