/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --filter-skb-expr and --output-skb-metadata: stubs whose bodies filters/skb_expr.c
 * compiles from the expressions and the kernel's BTF, spliced at load like the pcap
 * filter's, each behind its gate (a constant once spliced: nothing asked, nothing run).
 */
#ifndef PWRU_SKB_EXPR_BPF_H
#define PWRU_SKB_EXPR_BPF_H

#include "filter.bpf.h"

FILTER_GATE(filter_skb_expr_gate)
FILTER_GATE(skb_metadata_gate)

/* The asm keeps clang from dropping the arguments or folding the result. */
static __noinline bool filter_skb_expr(struct sk_buff *skb)
{
	asm volatile("" : "+r"(skb));
	return skb != 0;
}

/* OUT: SKB_METADATA_MAX u64 (filters/skb_expr.h), one per --output-skb-metadata. */
static __noinline bool skb_metadata_fill(struct sk_buff *skb, __u64 *out)
{
	asm volatile("" : "+r"(skb), "+r"(out));
	return skb != 0 && out != 0;
}

static __always_inline bool filter_skb(struct sk_buff *skb)
{
	return !filter_skb_expr_gate() || filter_skb_expr(skb);
}

#endif
