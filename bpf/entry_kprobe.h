/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kprobe and kprobe-multi entry points: pt_regs at the function's entry, the skb in
 * argument register N (1..ARCH_REG_ARGS), one program per N. Included by pwru.bpf.c after
 * handle_skb(). A skb passed on the stack is left to fentry.
 */
#ifndef PWRU_ENTRY_KPROBE_H
#define PWRU_ENTRY_KPROBE_H

#include "entry_cloned.h"
#include "kprobe_ip.h"
#include "probe_sections.h"

#ifndef PT_REGS_PARM6
#define PT_REGS_PARM6(x) ARCH_PARM6(x)
#endif

/*
 * A holding kprobe's attach cookie is its function's enum clone_flags (kretprobe.c): for
 * nf_hook_slow, argument 2 is read as its hook and family, as fentry's copies do.
 */
static __always_inline __u64 kprobe_arg2(struct pt_regs *ctx, bool hold)
{
	__u64 arg2 = PT_REGS_PARM2(ctx);

	if (hold && (bpf_get_attach_cookie(ctx) & CLONE_NF_STATE))
		return nf_state_word((struct nf_hook_state *)arg2);
	return arg2;
}

#define KPROBE_ENTRY(sec, prefix, ev_type, n, multi, hold)                                         \
	SEC(sec)                                                                                   \
	int prefix##n(struct pt_regs *ctx)                                                         \
	{                                                                                          \
		struct sk_buff *skb = (struct sk_buff *)PT_REGS_PARM##n(ctx);                      \
		struct net_device *dev;                                                            \
                                                                                                   \
		if (!skb_shown_at(skb, &dev, ctx, (multi) ? HIT_IP_KPROBE_MULTI : HIT_IP_KPROBE,   \
				  0))                                                              \
			return 0;                                                                  \
		struct hit h = {.kprobe = (multi) ? 2 : 1,                                         \
				.arg2 = kprobe_arg2(ctx, hold),                                    \
				.arg3 = PT_REGS_PARM3(ctx),                                        \
				.ret_ip = ARCH_KPROBE_RET_IP(ctx),                                 \
				.ret_slot = ARCH_KPROBE_RET_SLOT(ctx),                             \
				.type = ev_type,                                                   \
				.stash = hold};                                                    \
                                                                                                   \
		if (hold)                                                                          \
			return handle_shown_at(ctx, skb, dev, &h, kprobe_frame(ctx));              \
		return handle_shown(ctx, skb, dev, &h);                                            \
	}

#if PWRU_WITH_KPROBE_MULTI || PWRU_WITH_KPROBE
/*
 * kprobe-multi's shown packets: each kprobe_multi_skb_N keeps its filter and its reject
 * path, and calls this for a packet it shows. The loader replaces it, in every one of
 * them, by kprobe_multi_emit (an extension program, freplace), so that the event's code,
 * most of each program, is verified once instead of once per register: the verifier's
 * passes are a warm start's largest cost (docs/performance.md). Not a tail call: a program
 * holding one pays for the tail call counter at every run, rejected hits included.
 * FUNC_IP: the hooked function, asked here because an extension program's
 * bpf_get_func_ip() is not kprobe-multi's. CTX is typed as the verifier names a kprobe's
 * context for a global function on every architecture: arm64's is not struct pt_regs.
 * Also in the kprobe backend's own object, unused: first in .text, it keeps the calls'
 * offsets into .text, so the entry points' instructions, as pwru.bpf.o's (test_objects).
 */
__noinline int kprobe_multi_shown(bpf_user_pt_regs_t *ctx, __u64 skb, __u64 dev, __u64 func_ip)
{
	/*
	 * Its arguments used where clang cannot see: a call that ignores them would be left
	 * without them, and the extension needs them.
	 */
	asm volatile("" : : "r"(ctx), "r"(skb), "r"(dev), "r"(func_ip));
	/* only when not replaced: an event not sent, said as the ring's losses are */
	count_lost();
	return 0;
}
#endif

#if PWRU_WITH_KPROBE_MULTI
#define KPROBE_MULTI_ENTRY(n)                                                                      \
	SEC(PWRU_SEC_KPROBE_MULTI)                                                                 \
	int kprobe_multi_skb_##n(struct pt_regs *ctx)                                              \
	{                                                                                          \
		struct sk_buff *skb = (struct sk_buff *)PT_REGS_PARM##n(ctx);                      \
		struct net_device *dev;                                                            \
                                                                                                   \
		if (!skb_shown_at(skb, &dev, ctx, HIT_IP_KPROBE_MULTI, 0))                         \
			return 0;                                                                  \
		return kprobe_multi_shown((bpf_user_pt_regs_t *)ctx, (__u64)skb, (__u64)dev,       \
					  kprobe_func_ip(ctx, true));                              \
	}

/*
 * Loaded by the loader as the extension of kprobe_multi_shown (its arguments must stay
 * the same); in the object a kprobe-multi program, so that it goes through the same
 * preparation as the entry points (src/probe/kprobe_multi.c).
 */
SEC(PWRU_SEC_KPROBE_MULTI)
int kprobe_multi_emit(bpf_user_pt_regs_t *uctx, __u64 skb, __u64 dev, __u64 func_ip)
{
	struct pt_regs *ctx = (struct pt_regs *)uctx;
	struct hit h = {.func_ip = func_ip,
			.arg2 = PT_REGS_PARM2(ctx),
			.arg3 = PT_REGS_PARM3(ctx),
			.ret_ip = ARCH_KPROBE_RET_IP(ctx),
			.ret_slot = ARCH_KPROBE_RET_SLOT(ctx),
			.type = PWRU_EV_KPROBE_MULTI};

	return handle_shown(ctx, (struct sk_buff *)skb, (struct net_device *)dev, &h);
}
#endif
/*
 * kprobe_skb_N, and kprobe_hold_skb_N: the same, holding the event for a kretprobe to send
 * with the return value (src/probe/kretprobe.c, where fexit cannot run).
 */
#define KPROBE_SINGLE_ENTRY(n)                                                                     \
	KPROBE_ENTRY(PWRU_SEC_KPROBE, kprobe_skb_, PWRU_EV_KPROBE, n, false, 0)
#define KPROBE_HOLD_ENTRY(n)                                                                       \
	KPROBE_ENTRY(PWRU_SEC_KPROBE, kprobe_hold_skb_, PWRU_EV_KPROBE, n, false, 1)

#if PWRU_WITH_KPROBE_MULTI
KPROBE_MULTI_ENTRY(1)
KPROBE_MULTI_ENTRY(2)
KPROBE_MULTI_ENTRY(3)
KPROBE_MULTI_ENTRY(4)
KPROBE_MULTI_ENTRY(5)
KPROBE_MULTI_ENTRY(6)
#endif
#if PWRU_WITH_KPROBE
KPROBE_SINGLE_ENTRY(1)
KPROBE_SINGLE_ENTRY(2)
KPROBE_SINGLE_ENTRY(3)
KPROBE_SINGLE_ENTRY(4)
KPROBE_SINGLE_ENTRY(5)
KPROBE_SINGLE_ENTRY(6)
#endif
#if PWRU_WITH_KPROBE_HOLD
KPROBE_HOLD_ENTRY(1)
KPROBE_HOLD_ENTRY(2)
KPROBE_HOLD_ENTRY(3)
KPROBE_HOLD_ENTRY(4)
KPROBE_HOLD_ENTRY(5)
KPROBE_HOLD_ENTRY(6)

/*
 * The exit of a function whose kprobe held its event: a perf-event kretprobe has no
 * bpf_get_func_ip() that names the function, so its attach cookie does (5.15+).
 */
SEC(PWRU_SEC_KRETPROBE)
int kprobe_exit_ret(struct pt_regs *ctx)
{
	if (!ret_maybe_held())
		return 0;
	return handle_ret(ctx, bpf_get_attach_cookie(ctx), PT_REGS_RC(ctx), kretprobe_frame(ctx),
			  NULL);
}

/* The same for a function returning a signed 32-bit value: the register's upper half is not. */
SEC(PWRU_SEC_KRETPROBE)
int kprobe_exit_ret_s32(struct pt_regs *ctx)
{
	if (!ret_maybe_held())
		return 0;
	return handle_ret(ctx, bpf_get_attach_cookie(ctx), (__s64)(__s32)PT_REGS_RC(ctx),
			  kretprobe_frame(ctx), NULL);
}
#endif /* PWRU_WITH_KPROBE_HOLD */

#endif
