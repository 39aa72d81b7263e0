/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An entry point over a u64 argument array (fentry's trampoline, raw tracepoints) that the
 * loader clones per hooked target (bpf/clone.h): the target's identity and argument count
 * are per-copy constants, so slots the target does not have are never read.
 */
#ifndef PWRU_ENTRY_CLONED_H
#define PWRU_ENTRY_CLONED_H

#include "clone.h"

#define CLONED_ENTRY(sec, name, ev_type, n)                                                        \
	SEC(sec)                                                                                   \
	int name(__u64 *ctx)                                                                       \
	{                                                                                          \
		__u64 nargs = CLONE_VALUE(CLONE_MAGIC_NARGS);                                      \
		struct hit h = {.func_ip = CLONE_VALUE(CLONE_MAGIC_FUNC_IP),                       \
				.type = (ev_type),                                                 \
				.stash = CLONE_VALUE(CLONE_MAGIC_FLAGS) & CLONE_STASH};            \
                                                                                                   \
		if (nargs >= 2)                                                                    \
			h.arg2 = CTX_SLOT(ctx, 1);                                                 \
		if (nargs >= 3)                                                                    \
			h.arg3 = CTX_SLOT(ctx, 2);                                                 \
		return handle_skb(ctx, (struct sk_buff *)CTX_SLOT(ctx, (n)-1), &h);                \
	}

#endif
