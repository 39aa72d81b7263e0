// SPDX-License-Identifier: GPL-2.0
/*
 * One handler for every traced function. The entry points differ only in which argument
 * register holds the skb and which attach type carries them (kprobe-multi or kprobe).
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "event_fill.bpf.h"
#include "filter.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by userspace before load; the verifier sees them as constants and prunes. */
const volatile __u32 cfg_netns = 0;
const volatile __u32 cfg_mark = 0;
const volatile __u32 cfg_mark_mask = 0; /* 0: no mark filter */
const volatile __u32 cfg_ifindex = 0;

/* The cheap tests, done before the pcap filter touches packet bytes. */
static __always_inline bool filter_meta(struct sk_buff *skb, struct net_device *dev)
{
	if (cfg_netns && skb_netns(skb, dev) != cfg_netns)
		return false;
	if (cfg_mark_mask && (BPF_CORE_READ(skb, mark) & cfg_mark_mask) != cfg_mark)
		return false;
	if (cfg_ifindex && (!dev || BPF_CORE_READ(dev, ifindex) != cfg_ifindex))
		return false;
	return true;
}

static __always_inline __u64 func_addr(struct pt_regs *ctx, __u8 type)
{
	if (type == PWRU_EV_KPROBE_MULTI ||
	    bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_func_ip))
		return bpf_get_func_ip(ctx);
	/* Before 5.15 a kprobe reports the address after its int3. */
	return PT_REGS_IP(ctx) - 1;
}

static __always_inline int handle_skb(struct pt_regs *ctx, struct sk_buff *skb, __u8 type)
{
	struct net_device *dev;

	if (!skb)
		return 0;
	dev = BPF_CORE_READ(skb, dev);
	if (!filter_meta(skb, dev) || !filter_pcap(skb))
		return 0;
	emit_event(skb, dev, func_addr(ctx, type), type, PT_REGS_PARM2(ctx), PT_REGS_PARM3(ctx));
	return 0;
}

#define SKB_ENTRY(sec, prefix, type, n)                                                            \
	SEC(sec)                                                                                   \
	int prefix##n(struct pt_regs *ctx)                                                         \
	{                                                                                          \
		return handle_skb(ctx, (struct sk_buff *)PT_REGS_PARM##n(ctx), type);              \
	}

SKB_ENTRY("kprobe.multi", kprobe_multi_skb_, PWRU_EV_KPROBE_MULTI, 1)
SKB_ENTRY("kprobe.multi", kprobe_multi_skb_, PWRU_EV_KPROBE_MULTI, 2)
SKB_ENTRY("kprobe.multi", kprobe_multi_skb_, PWRU_EV_KPROBE_MULTI, 3)
SKB_ENTRY("kprobe.multi", kprobe_multi_skb_, PWRU_EV_KPROBE_MULTI, 4)
SKB_ENTRY("kprobe.multi", kprobe_multi_skb_, PWRU_EV_KPROBE_MULTI, 5)
SKB_ENTRY("kprobe", kprobe_skb_, PWRU_EV_KPROBE, 1)
SKB_ENTRY("kprobe", kprobe_skb_, PWRU_EV_KPROBE, 2)
SKB_ENTRY("kprobe", kprobe_skb_, PWRU_EV_KPROBE, 3)
SKB_ENTRY("kprobe", kprobe_skb_, PWRU_EV_KPROBE, 4)
SKB_ENTRY("kprobe", kprobe_skb_, PWRU_EV_KPROBE, 5)
