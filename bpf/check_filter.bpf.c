// SPDX-License-Identifier: GPL-2.0
/*
 * pwru --check-filter: the tracing filter glue, run on packets handed in by
 * BPF_PROG_TEST_RUN. cb[0] picks the layer, cb[1] and cb[2] carry the capture's missing
 * and padding byte counts (see filter_pcap_skb()). The return value is the match.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "filter.bpf.h"

char LICENSE[] SEC("license") = "GPL";

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;

SEC("tc")
int check_filter(struct __sk_buff *ctx)
{
	struct sk_buff *skb = bpf_cast_to_kern_ctx(ctx);

	return filter_pcap_skb(skb, ctx->cb[0], ctx->cb[1], ctx->cb[2], false);
}
