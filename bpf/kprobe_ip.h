/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The address of the function a kprobe (or kprobe-multi) program fired in, as kallsyms has
 * it, and the return address into its caller.
 */
#ifndef PWRU_KPROBE_IP_H
#define PWRU_KPROBE_IP_H

#include "arch.h"

/*
 * The kernel has bpf_get_func_ip() (5.15), set by the loader from the BTF it has read: a
 * constant, where a CO-RE check of enum bpf_func_id had libbpf walk every type of vmlinux
 * BTF for the enum at each start (~10 ms under icount, docs/performance.md).
 */
const volatile bool cfg_get_func_ip = false;

static __always_inline __u64 kprobe_func_ip(struct pt_regs *ctx, bool multi)
{
	if (multi || cfg_get_func_ip)
		return bpf_get_func_ip(ctx);
	/* Before 5.15 a kprobe program has no bpf_get_func_ip(). */
	return PT_REGS_IP(ctx) - ARCH_KPROBE_IP_SKEW;
}

/*
 * A kprobe/kretprobe pair's frame: the stack pointer the function returns with, which its
 * kretprobe reads and its kprobe works out from the one at the entry (the kprobe's add runs
 * only for shown packets, the kretprobe at every return). A call nested in another of the
 * same function by the same task has its own, deeper (a kretprobe's ctx is not the kprobe's:
 * no pointer both halves share, as a trampoline's ctx is).
 */
static __always_inline __u64 kprobe_frame(struct pt_regs *ctx)
{
	return PT_REGS_SP(ctx) + ARCH_KRETPROBE_SP_SKEW;
}

static __always_inline __u64 kretprobe_frame(struct pt_regs *ctx)
{
	return PT_REGS_SP(ctx);
}

/*
 * The caller, from what an entry point took with plain loads (ARCH_KPROBE_RET_IP and
 * ARCH_KPROBE_RET_SLOT): wanted with --output-caller, and with --output-stack, since arm64's
 * unwinder misses the caller at a function's entry. 0 when not wanted or unknown.
 */
static __always_inline __u64 kprobe_caller(__u64 ret_ip, __u64 ret_slot)
{
	__u64 ret = 0;

	if (!cfg_output_caller && !cfg_output_stack)
		return 0;
	if (ret_ip)
		return ret_ip;
	if (ret_slot)
		bpf_probe_read_kernel(&ret, sizeof(ret), (void *)ret_slot);
	return ret;
}

#endif
