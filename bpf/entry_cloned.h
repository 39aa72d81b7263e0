/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An entry point over a u64 argument array (fentry's trampoline, raw tracepoints) that the
 * loader clones per hooked target (bpf/clone.h): the target's identity and argument count
 * are per-copy constants, so slots the target does not have are never read.
 */
#ifndef PWRU_ENTRY_CLONED_H
#define PWRU_ENTRY_CLONED_H

#include "clone.h"
#include "event.h"

#define CLONED_ENTRY(sec, name, ev_type, n)                                                        \
	SEC(sec)                                                                                   \
	int name(__u64 *ctx)                                                                       \
	{                                                                                          \
		struct sk_buff *skb = (struct sk_buff *)CTX_SLOT(ctx, (n)-1);                      \
		/* each marker once: the loader rewrites one instruction per marker */             \
		__u64 func_ip = CLONE_VALUE(CLONE_MAGIC_FUNC_IP);                                  \
		struct net_device *dev;                                                            \
                                                                                                   \
		if (!skb_shown_at(skb, &dev, ctx, HIT_IP_GIVEN, func_ip))                          \
			return 0;                                                                  \
		__u64 nargs = CLONE_VALUE(CLONE_MAGIC_NARGS);                                      \
		__u64 flags = CLONE_VALUE(CLONE_MAGIC_FLAGS);                                      \
		struct hit h = {                                                                   \
		    .func_ip = func_ip, .type = (ev_type), .stash = flags & CLONE_STASH};          \
                                                                                                   \
		if (nargs >= 2)                                                                    \
			h.arg2 = CTX_SLOT(ctx, 1);                                                 \
		if (flags & CLONE_NF_STATE)                                                        \
			h.arg2 = nf_state_word((struct nf_hook_state *)h.arg2);                    \
		if (nargs >= 3)                                                                    \
			h.arg3 = CTX_SLOT(ctx, 2);                                                 \
		return handle_shown(ctx, skb, dev, &h);                                            \
	}

#endif
