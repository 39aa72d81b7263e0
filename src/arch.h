/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU's calling convention and entry layout, as far as pwru needs them: which slot an
 * argument takes at a function's entry (registers first, then 8-byte stack slots), and how
 * far past a function's start a reported address may be. bpf/arch.h is the BPF side's
 * counterpart.
 */
#ifndef PWRU_SRC_ARCH_H
#define PWRU_SRC_ARCH_H

#if defined(__x86_64__)
/* SysV: six integer argument registers. */
#define ARCH_REG_ARGS 6
/* endbr64 (4 bytes) plus a kprobe's int3 (1): farther from a symbol is not its entry. */
#define ARCH_ENTRY_SLACK 5

/*
 * The slot (1-based) of an argument of SIZE bytes, given the registers and stack slots
 * the earlier ones left: up to 16 bytes in one or two registers while enough are left,
 * else whole on the stack, where a later small argument may still take a register
 * (*IRREGULAR: slots no longer follow the arguments' order); larger ones always on the
 * stack.
 */
static inline int arch_place_arg(long size, int *regs, int *stack, int *irregular)
{
	int n = size <= 8 ? 1 : (int)((size + 7) / 8), slot;

	if (size <= 16 && n <= *regs) {
		slot = ARCH_REG_ARGS - *regs + 1;
		*regs -= n;
		return slot;
	}
	*irregular |= *regs > 0;
	slot = ARCH_REG_ARGS + *stack + 1;
	*stack += n;
	return slot;
}
#elif defined(__aarch64__)
/* AAPCS64: eight argument registers, x0..x7. */
#define ARCH_REG_ARGS	 8
/* a BTI landing pad (4 bytes); a kprobe reports the probed instruction itself */
#define ARCH_ENTRY_SLACK 4

/*
 * As for x86-64, but a composite over 16 bytes is passed by reference (a pointer in one
 * register), and one that no longer fits in the registers left sends it and every later
 * argument to the stack: slots keep the arguments' order.
 */
static inline int arch_place_arg(long size, int *regs, int *stack, int *irregular)
{
	int n = size > 16 || size <= 8 ? 1 : 2, slot;

	if (n <= *regs) {
		slot = ARCH_REG_ARGS - *regs + 1;
		*regs -= n;
		return slot;
	}
	*regs = 0;
	slot = ARCH_REG_ARGS + *stack + 1;
	*stack += n;
	return slot;
}
#else
#error "pwru knows x86-64's and arm64's calling conventions: add the architecture to src/arch.h"
#endif

#endif
