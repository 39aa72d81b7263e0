// SPDX-License-Identifier: GPL-2.0
/*
 * One handler for every traced function. The entry points differ only in which argument
 * register holds the skb and which attach type carries them (kprobe-multi or kprobe).
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "event.h"
#include "filter.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by userspace before load; the verifier sees them as constants and prunes. */
const volatile __u32 cfg_netns = 0;
const volatile __u32 cfg_mark = 0;
const volatile __u32 cfg_mark_mask = 0; /* 0: no mark filter */
const volatile __u32 cfg_ifindex = 0;
const volatile bool cfg_output_tuple = true;
const volatile bool cfg_output_meta = true;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} events SEC(".maps");

/* Events that found the ring buffer full, per CPU so counting needs no atomics. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/* The BPF target here is little-endian (x86); bpf_endian.h would drag in uapi headers. */
#define bpf_ntohs(x) __builtin_bswap16(x)
#define bpf_htons(x) __builtin_bswap16(x)

#define ETH_P_IP   0x0800
#define ETH_P_IPV6 0x86DD

/* Wire formats: read as bytes, never relocated. */
struct ip4_hdr {
	__u8 ver_ihl;
	__u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;
	__u8 ttl;
	__u8 protocol;
	__u16 check;
	__u8 saddr[4];
	__u8 daddr[4];
};

struct ip6_hdr {
	__be32 ver_tc_flow;
	__be16 payload_len;
	__u8 nexthdr;
	__u8 hop_limit;
	__u8 saddr[16];
	__u8 daddr[16];
};

static __always_inline __u32 skb_netns(struct sk_buff *skb, struct net_device *dev)
{
	if (dev)
		return BPF_CORE_READ(dev, nd_net.net, ns.inum);
	return BPF_CORE_READ(skb, sk, __sk_common.skc_net.net, ns.inum);
}

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

/* Route MTU when the skb has a route, else the device's: what the packet will be held to. */
static __always_inline __u32 skb_mtu(struct sk_buff *skb, struct net_device *dev)
{
	unsigned long refdst = BPF_CORE_READ(skb, _skb_refdst);
	struct dst_entry *dst = (struct dst_entry *)(refdst & ~1UL);
	__u32 mtu = 0;

	if (dst) {
		unsigned long metrics = BPF_CORE_READ(dst, _metrics) & ~3UL;

		/* RTAX_MTU is 2, and metrics are stored from RTAX_LOCK + 1 on. */
		if (metrics)
			bpf_probe_read_kernel(&mtu, sizeof(mtu), (void *)(metrics + 4));
		if (!mtu)
			mtu = BPF_CORE_READ(dst, dev, mtu);
	}
	if (!mtu && dev)
		mtu = BPF_CORE_READ(dev, mtu);
	return mtu;
}

static __always_inline void fill_meta(struct sk_buff *skb, struct net_device *dev,
				      struct pwru_event *ev)
{
	ev->netns = skb_netns(skb, dev);
	ev->mark = BPF_CORE_READ(skb, mark);
	ev->len = BPF_CORE_READ(skb, len);
	ev->protocol = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	ev->mtu = skb_mtu(skb, dev);
	if (dev) {
		ev->ifindex = BPF_CORE_READ(dev, ifindex);
		bpf_core_read(ev->ifname, sizeof(ev->ifname), &dev->name);
	}
}

static __always_inline bool ip6_ext_hdr(__u8 nh)
{
	return nh == 0 || nh == 43 || nh == 60; /* hop-by-hop, routing, destination options */
}

/* Returns the L4 header address, or NULL when there are no ports to read. */
static __always_inline void *parse_ip6(void *l3, struct pwru_tuple *t)
{
	struct ip6_hdr ip6;
	void *l4 = l3 + sizeof(ip6);
	__u8 nh, ext[2];
	int i;

	if (bpf_probe_read_kernel(&ip6, sizeof(ip6), l3))
		return NULL;
	__builtin_memcpy(t->saddr, ip6.saddr, 16);
	__builtin_memcpy(t->daddr, ip6.daddr, 16);
	t->l3_proto = ETH_P_IPV6;
	nh = ip6.nexthdr;
	for (i = 0; i < 4 && ip6_ext_hdr(nh); i++) {
		if (bpf_probe_read_kernel(ext, sizeof(ext), l4))
			return NULL;
		nh = ext[0];
		l4 += (ext[1] + 1) * 8;
	}
	t->l4_proto = nh;
	return l4;
}

static __always_inline void *parse_ip4(void *l3, struct pwru_tuple *t)
{
	struct ip4_hdr ip;

	if (bpf_probe_read_kernel(&ip, sizeof(ip), l3))
		return NULL;
	__builtin_memcpy(t->saddr, ip.saddr, 4);
	__builtin_memcpy(t->daddr, ip.daddr, 4);
	t->l3_proto = ETH_P_IP;
	t->l4_proto = ip.protocol;
	if (ip.frag_off & bpf_htons(0x1fff)) /* a later fragment: no L4 header here */
		return NULL;
	return l3 + (ip.ver_ihl & 0xf) * 4;
}

static __always_inline void fill_tuple(struct sk_buff *skb, struct pwru_tuple *t)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh_off = BPF_CORE_READ(skb, network_header);
	void *l3 = head + nh_off, *l4 = NULL;
	__u8 l4hdr[14], version;

	/* 0 as well as ~0: freshly allocated skbs have not set a network header yet. */
	if (!nh_off || nh_off == (__u16)~0U || bpf_probe_read_kernel(&version, 1, l3))
		return;
	version >>= 4;
	if (version == 4)
		l4 = parse_ip4(l3, t);
	else if (version == 6)
		l4 = parse_ip6(l3, t);
	if (!l4 || (t->l4_proto != 6 && t->l4_proto != 17))
		return;
	if (bpf_probe_read_kernel(l4hdr, t->l4_proto == 6 ? 14 : 4, l4))
		return;
	__builtin_memcpy(&t->sport, &l4hdr[0], 2);
	__builtin_memcpy(&t->dport, &l4hdr[2], 2);
	if (t->l4_proto == 6)
		t->tcp_flags = l4hdr[13];
}

static __always_inline __u64 func_addr(struct pt_regs *ctx, __u8 type)
{
	if (type == PWRU_EV_KPROBE_MULTI ||
	    bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_func_ip))
		return bpf_get_func_ip(ctx);
	/* Before 5.15 a kprobe reports the address after its int3. */
	return PT_REGS_IP(ctx) - 1;
}

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lost, &zero);

	if (n)
		*n += 1;
}

static __always_inline int handle_skb(struct pt_regs *ctx, struct sk_buff *skb, __u8 type)
{
	struct pwru_event *ev;
	struct net_device *dev;

	if (!skb)
		return 0;
	dev = BPF_CORE_READ(skb, dev);
	if (!filter_meta(skb, dev) || !filter_pcap(skb))
		return 0;
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		count_lost();
		return 0;
	}
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->skb = (__u64)skb;
	ev->addr = func_addr(ctx, type);
	ev->ts = bpf_ktime_get_ns();
	ev->arg2 = PT_REGS_PARM2(ctx);
	ev->arg3 = PT_REGS_PARM3(ctx);
	ev->pid = bpf_get_current_pid_tgid() >> 32;
	ev->cpu = bpf_get_smp_processor_id();
	ev->type = type;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	if (cfg_output_meta)
		fill_meta(skb, dev, ev);
	if (cfg_output_tuple)
		fill_tuple(skb, &ev->tuple);
	bpf_ringbuf_submit(ev, 0);
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
