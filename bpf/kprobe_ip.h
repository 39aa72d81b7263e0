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
