/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kprobe and kprobe-multi entry points: pt_regs at the function's entry, the skb in
 * argument register N (1..ARCH_REG_ARGS), one program per N. Included by pwru.bpf.c after
 * handle_skb(). A skb passed on the stack is left to fentry.
 */
#ifndef PWRU_ENTRY_KPROBE_H
#define PWRU_ENTRY_KPROBE_H

#include "kprobe_ip.h"
#include "probe_sections.h"

#ifndef PT_REGS_PARM6
#define PT_REGS_PARM6(x) ARCH_PARM6(x)
#endif

#define KPROBE_ENTRY(sec, prefix, ev_type, n, multi)                                               \
	SEC(sec)                                                                                   \
	int prefix##n(struct pt_regs *ctx)                                                         \
	{                                                                                          \
		struct hit h = {.func_ip = kprobe_func_ip(ctx, multi),                             \
				.arg2 = PT_REGS_PARM2(ctx),                                        \
				.arg3 = PT_REGS_PARM3(ctx),                                        \
				.ret_ip = ARCH_KPROBE_RET_IP(ctx),                                 \
				.ret_slot = ARCH_KPROBE_RET_SLOT(ctx),                             \
				.type = ev_type};                                                  \
                                                                                                   \
		return handle_skb(ctx, (struct sk_buff *)PT_REGS_PARM##n(ctx), &h);                \
	}

#define KPROBE_MULTI_ENTRY(n)                                                                      \
	KPROBE_ENTRY(PWRU_SEC_KPROBE_MULTI, kprobe_multi_skb_, PWRU_EV_KPROBE_MULTI, n, true)
#define KPROBE_SINGLE_ENTRY(n) KPROBE_ENTRY(PWRU_SEC_KPROBE, kprobe_skb_, PWRU_EV_KPROBE, n, false)

KPROBE_MULTI_ENTRY(1)
KPROBE_MULTI_ENTRY(2)
KPROBE_MULTI_ENTRY(3)
KPROBE_MULTI_ENTRY(4)
KPROBE_MULTI_ENTRY(5)
KPROBE_MULTI_ENTRY(6)
KPROBE_SINGLE_ENTRY(1)
KPROBE_SINGLE_ENTRY(2)
KPROBE_SINGLE_ENTRY(3)
KPROBE_SINGLE_ENTRY(4)
KPROBE_SINGLE_ENTRY(5)
KPROBE_SINGLE_ENTRY(6)

#endif
