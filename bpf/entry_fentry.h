/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fentry entry points: the trampoline's u64 argument array, the skb in slot N (1..12, as
 * far as a trampoline reaches), one program per N. Included by pwru.bpf.c after
 * handle_skb().
 *
 * fentry_skb_N are templates: the loader clones one per function, writing the function's
 * address and argument count into the CLONE_VALUE markers (bpf/clone.h). With the count a
 * constant, reads of slots the function does not have are pruned before the verifier
 * would refuse them. fentry_multi_skb_N serve many functions at once (Linux 7.2's
 * tracing-multi link): no per-function constants there, so the kernel's helpers tell.
 */
#ifndef PWRU_ENTRY_FENTRY_H
#define PWRU_ENTRY_FENTRY_H

#include "entry_cloned.h"
#include "probe_sections.h"

#define FENTRY_ENTRY(n) CLONED_ENTRY(PWRU_SEC_FENTRY, fentry_skb_##n, PWRU_EV_FENTRY, n)

#define FENTRY_MULTI_ENTRY(n)                                                                      \
	SEC(PWRU_SEC_FENTRY_MULTI)                                                                 \
	int fentry_multi_skb_##n(__u64 *ctx)                                                       \
	{                                                                                          \
		struct net_device *dev;                                                            \
		__u64 skb = 0;                                                                     \
                                                                                                   \
		bpf_get_func_arg(ctx, (n)-1, &skb);                                                \
		if (!skb_shown_at((struct sk_buff *)skb, &dev, ctx, HIT_IP_TRACING, 0))            \
			return 0;                                                                  \
		struct hit h = {.func_ip = bpf_get_func_ip(ctx), .type = PWRU_EV_FENTRY};          \
                                                                                                   \
		bpf_get_func_arg(ctx, 1, &h.arg2);                                                 \
		bpf_get_func_arg(ctx, 2, &h.arg3);                                                 \
		return handle_shown(ctx, (struct sk_buff *)skb, dev, &h);                          \
	}

#if PWRU_WITH_FENTRY
#define FENTRY_ONE(n) FENTRY_ENTRY(n)
#else
#define FENTRY_ONE(n)
#endif
/* fentry_skb_1 alone: the return values of functions whose skb comes first (nf_hook_slow) */
#if PWRU_WITH_FENTRY || PWRU_WITH_FENTRY_FIRST
#define FENTRY_FIRST(n) FENTRY_ENTRY(n)
#else
#define FENTRY_FIRST(n)
#endif
#if PWRU_WITH_FENTRY_MULTI
#define FENTRY_MULTI_ONE(n) FENTRY_MULTI_ENTRY(n)
#else
#define FENTRY_MULTI_ONE(n)
#endif
#define FENTRY_ENTRIES(n)	FENTRY_ONE(n) FENTRY_MULTI_ONE(n)
#define FENTRY_ENTRIES_FIRST(n) FENTRY_FIRST(n) FENTRY_MULTI_ONE(n)

/*
 * The exit of a function whose entry held its event (CLONE_STASH): the return value sits
 * in the slot after the arguments; the count is a per-copy constant, so one case stays.
 */
#define RET_SLOT(k)                                                                                \
	case k:                                                                                    \
		ret = CTX_SLOT(ctx, k);                                                            \
		break;
#define SKB_SLOT(k)                                                                                \
	case k:                                                                                    \
		call.skb = CTX_SLOT(ctx, k);                                                       \
		break;

#if PWRU_WITH_FENTRY || PWRU_WITH_FENTRY_FIRST
SEC(PWRU_SEC_FEXIT)
int fexit_ret_1(__u64 *ctx)
{
	struct held_call call = {};
	__u64 nargs, flags, ret = 0;

	if (!ret_maybe_held())
		return 0;
	nargs = CLONE_VALUE(CLONE_MAGIC_NARGS);
	flags = CLONE_VALUE(CLONE_MAGIC_FLAGS);
	switch (nargs) {
		RET_SLOT(0)
		RET_SLOT(1)
		RET_SLOT(2)
		RET_SLOT(3)
		RET_SLOT(4)
		RET_SLOT(5)
		RET_SLOT(6)
		RET_SLOT(7)
		RET_SLOT(8)
		RET_SLOT(9)
		RET_SLOT(10)
		RET_SLOT(11)
		RET_SLOT(12)
	}
	if (flags & CLONE_RET_S32)
		ret = (__s64)(__s32)ret;
	switch (CLONE_SKB_SLOT(flags)) {
		SKB_SLOT(0)
		SKB_SLOT(1)
		SKB_SLOT(2)
		SKB_SLOT(3)
		SKB_SLOT(4)
		SKB_SLOT(5)
		SKB_SLOT(6)
		SKB_SLOT(7)
		SKB_SLOT(8)
		SKB_SLOT(9)
		SKB_SLOT(10)
		SKB_SLOT(11)
	}
	/* the second argument, as the entry read it (CLONED_ENTRY) when it is compared */
	if (nargs >= 2)
		call.arg2 = CTX_SLOT(ctx, 1);
	call.nf_state = flags & CLONE_NF_STATE;
	return handle_ret(ctx, CLONE_VALUE(CLONE_MAGIC_FUNC_IP), ret, (__u64)ctx, &call);
}
#endif

FENTRY_ENTRIES_FIRST(1)
FENTRY_ENTRIES(2)
FENTRY_ENTRIES(3)
FENTRY_ENTRIES(4)
FENTRY_ENTRIES(5)
FENTRY_ENTRIES(6)
FENTRY_ENTRIES(7)
FENTRY_ENTRIES(8)
FENTRY_ENTRIES(9)
FENTRY_ENTRIES(10)
FENTRY_ENTRIES(11)
FENTRY_ENTRIES(12)

#endif
