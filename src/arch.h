/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU's calling convention and entry layout, as far as pwru needs them: where a
 * function's arguments are at its entry, and how far past the entry a reported address may
 * be. x86-64 only so far; bpf/arch.h is the BPF side's counterpart.
 */
#ifndef PWRU_SRC_ARCH_H
#define PWRU_SRC_ARCH_H

#if defined(__x86_64__)
/* SysV: six integer argument registers, then 8-byte stack slots. */
#define ARCH_REG_ARGS 6
/* endbr64 (4 bytes) plus a kprobe's int3 (1): farther from a symbol is not its entry. */
#define ARCH_ENTRY_SLACK 5

/*
 * Argument slots (8 bytes each) an argument of SIZE bytes takes, and whether it may go in
 * registers: up to 16 bytes in one or two registers while enough are left, else whole on
 * the stack; larger ones always on the stack.
 */
static inline int arch_arg_slots(long size)
{
	return size <= 8 ? 1 : (int)((size + 7) / 8);
}

static inline int arch_arg_in_regs(long size, int regs_left)
{
	return size <= 16 && arch_arg_slots(size) <= regs_left;
}
#else
#error "pwru knows only x86-64's calling convention so far: add the architecture to src/arch.h"
#endif

#endif
