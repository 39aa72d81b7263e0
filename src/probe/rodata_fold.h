/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The .rodata switches as constants in the instructions. The verifier knows a frozen map's
 * values and drops the branches they decide, but keeps the loads that fetched them: two
 * x86 instructions each, on every hit, for every switch the path passes.
 */
#ifndef PWRU_RODATA_FOLD_H
#define PWRU_RODATA_FOLD_H

#include <stddef.h>

struct bpf_insn;
struct bpf_program;

/*
 * Rewrites PROG's loads from the map MAP_FD (its frozen .rodata, SIZE bytes from DATA) into
 * moves of the value they would read, where nothing else can see the difference, then
 * decides the branches that makes constant and clears the code they leave dead
 * (dead_code_insns()). Returns how many instructions changed, or a negative errno.
 */
int rodata_fold(struct bpf_program *prog, int map_fd, const void *data, size_t size);
/* The same over the N instructions at IN, in place. */
int rodata_fold_insns(struct bpf_insn *in, size_t n, int map_fd, const void *data, size_t size);

#endif
