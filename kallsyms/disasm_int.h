/* SPDX-License-Identifier: GPL-2.0 */
/* Between disasm.c and its per-architecture walks: the list of call targets they fill. */
#ifndef PWRU_DISASM_INT_H
#define PWRU_DISASM_INT_H

#include <stddef.h>
#include <stdint.h>
#include "kallsyms/cs_calls.h"

struct disasm_out {
	uint64_t *v;
	size_t n, cap;
};

/* Returns 0 or -ENOMEM. */
int disasm_out_push(struct disasm_out *o, uint64_t target);

/*
 * arm64: the targets of "bl", and of "blr Xn" where Xn holds an address the code before it
 * built (movz/movn/movk, adrp/add, orr): how the BPF JIT calls helpers out of bl's range.
 * H is an arm64 handle of CS's, with details on.
 */
int disasm_arm64_walk(const struct cs_calls *cs, csh h, const uint8_t *code, size_t len,
		      uint64_t addr, struct disasm_out *o);

#endif
