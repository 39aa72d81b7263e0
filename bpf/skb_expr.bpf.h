/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --filter-skb-expr and --output-skb-metadata (and their XDP twins, over an XDP program's
 * xdp_buff): stubs whose bodies filters/skb_expr.c compiles from the expressions and the
 * kernel's BTF, spliced at load like the pcap filter's, each behind its gate (a constant
 * once spliced: nothing asked, nothing run).
 */
#ifndef PWRU_SKB_EXPR_BPF_H
#define PWRU_SKB_EXPR_BPF_H

#include "filter.bpf.h"

/*
 * For a root struct TYPE (its variable VAR): the filter stub FILTER behind GATE, used by
 * filter_VAR(); the metadata stub META behind META_GATE, which writes SKB_METADATA_MAX u64
 * (filters/skb_expr.h) to OUT, one per --output-VAR-metadata. The asm keeps clang from
 * dropping the arguments or folding the results.
 */
#define EXPR_STUBS(type, var, gate, filter, meta_gate, meta)                                       \
	FILTER_GATE(gate)                                                                          \
	FILTER_GATE(meta_gate)                                                                     \
                                                                                                   \
	static __noinline bool filter(struct type *var)                                            \
	{                                                                                          \
		asm volatile("" : "+r"(var));                                                      \
		return var != 0;                                                                   \
	}                                                                                          \
                                                                                                   \
	static __noinline bool meta(struct type *var, __u64 *out)                                  \
	{                                                                                          \
		asm volatile("" : "+r"(var), "+r"(out));                                           \
		return var != 0 && out != 0;                                                       \
	}                                                                                          \
                                                                                                   \
	static __always_inline bool filter_##var(struct type *var)                                 \
	{                                                                                          \
		return !gate() || filter(var);                                                     \
	}

EXPR_STUBS(sk_buff, skb, filter_skb_expr_gate, filter_skb_expr, skb_metadata_gate,
	   skb_metadata_fill)
EXPR_STUBS(xdp_buff, xdp, filter_xdp_expr_gate, filter_xdp_expr, xdp_metadata_gate,
	   xdp_metadata_fill)

#endif
