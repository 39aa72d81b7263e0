/* SPDX-License-Identifier: GPL-2.0 */
/* The address of the function a kprobe (or kprobe-multi) program fired in, as kallsyms has it. */
#ifndef PWRU_KPROBE_IP_H
#define PWRU_KPROBE_IP_H

#include "arch.h"

static __always_inline __u64 kprobe_func_ip(struct pt_regs *ctx, bool multi)
{
	if (multi || bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_func_ip))
		return bpf_get_func_ip(ctx);
	/* Before 5.15 a kprobe program has no bpf_get_func_ip(). */
	return PT_REGS_IP(ctx) - ARCH_KPROBE_IP_SKEW;
}

#endif
