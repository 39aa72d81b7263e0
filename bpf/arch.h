/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF side needs to know about the CPU: which register holds argument N at a
 * function's entry, and how far past the entry a kprobe reports itself. Userspace has its
 * counterpart in src/arch.h (how arguments map to registers, entry slack when naming).
 */
#ifndef PWRU_ARCH_H
#define PWRU_ARCH_H

#if defined(__TARGET_ARCH_x86)
/* SysV x86-64: six argument registers. libbpf 1.1 names only five. */
#define ARCH_REG_ARGS	 6
#define ARCH_PARM6(regs) ((regs)->r9)
/* A kprobe without bpf_get_func_ip() sees ip just after its int3. */
#define ARCH_KPROBE_IP_SKEW 1
/* THREAD_SIZE (16 KiB; 32 with KASAN): how far a task's kernel stack reaches. */
#define ARCH_THREAD_SIZE 16384
/*
 * At a function's entry the call has just pushed the return address: the stack's top is
 * where it is (the caller is read from there, after the filters).
 */
#define ARCH_KPROBE_RET_IP(regs)   0
#define ARCH_KPROBE_RET_SLOT(regs) PT_REGS_SP(regs)
/*
 * A kretprobe's stack pointer is the caller's after the return popped the return address:
 * 8 above the kprobe's. The kernel's trampoline saves it so (5.10's pushes %rsp as it finds
 * it; later ones, rethook's too, push a fake return address first and add 8 back).
 */
#define ARCH_KRETPROBE_SP_SKEW 8
#elif defined(__TARGET_ARCH_arm64)
/* AAPCS64: eight argument registers, x0..x7. libbpf 1.1 names only five. */
#define ARCH_REG_ARGS		   8
#define ARCH_PARM6(x)		   (((const struct user_pt_regs *)(x))->regs[5])
/* A kprobe's pc is the probed instruction itself (a BRK replaced it). */
#define ARCH_KPROBE_IP_SKEW	   0
/* THREAD_SIZE with 4 KiB pages (32 KiB with KASAN). */
#define ARCH_THREAD_SIZE	   16384
/* The return address is in the link register (x30) at a function's entry. */
#define ARCH_KPROBE_RET_IP(r)	   (((const struct user_pt_regs *)(r))->regs[30])
#define ARCH_KPROBE_RET_SLOT(regs) 0
/* A return through x30 leaves sp as at the entry, and the trampoline saves that sp. */
#define ARCH_KRETPROBE_SP_SKEW	   0
#else
#error "pwru's BPF side knows x86-64 and arm64: add the architecture to bpf/arch.h"
#endif

#endif
