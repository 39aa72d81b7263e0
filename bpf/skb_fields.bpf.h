/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a record's fixed part reads from an skb and its device: netns, MTU, interface, mark
 * and length, and the tuple from the IPv4/IPv6 header. Reads only; building and queueing
 * the record is bpf/event_fill.bpf.h's.
 */
#ifndef PWRU_SKB_FIELDS_BPF_H
#define PWRU_SKB_FIELDS_BPF_H

#include "event.h"

/* The BPF target here is little-endian (x86); bpf_endian.h would drag in uapi headers. */
#define bpf_ntohs(x) __builtin_bswap16(x)
#define bpf_htons(x) __builtin_bswap16(x)

#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define ARPHRD_ETHER	1
#define ARPHRD_LOOPBACK 772 /* lo frames carry an Ethernet header too */
#define HDR_UNSET	0xffff

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

/*
 * The device's namespace, else the socket's, else the route's device's: a reply the stack
 * builds itself (a RST to a closed port, an ICMP error) has neither device nor socket until
 * the IP output sets the device. Hits with a device never read the rest.
 */
static __always_inline __u32 skb_netns(struct sk_buff *skb, struct net_device *dev)
{
	struct dst_entry *dst;
	__u32 inum;

	if (dev)
		return KERNEL_READ(dev, nd_net.net, ns.inum);
	inum = KERNEL_READ(skb, sk, __sk_common.skc_net.net, ns.inum);
	if (inum)
		return inum;
	dst = (struct dst_entry *)(KERNEL_READ(skb, _skb_refdst) & ~1UL);
	return dst ? KERNEL_READ(dst, dev, nd_net.net, ns.inum) : 0;
}

/* Route MTU when the skb has a route, else the device's: what the packet will be held to. */
static __always_inline __u32 skb_mtu(struct sk_buff *skb, struct net_device *dev)
{
	unsigned long refdst = KERNEL_READ(skb, _skb_refdst);
	struct dst_entry *dst = (struct dst_entry *)(refdst & ~1UL);
	__u32 mtu = 0;

	if (dst) {
		struct dst_metrics *m = (void *)(KERNEL_READ(dst, _metrics) & ~3UL);

		/* RTAX_MTU is 2, and metrics are stored from RTAX_LOCK + 1 on. */
		if (m)
			mtu = KERNEL_READ(m, metrics[1]);
		if (!mtu)
			mtu = KERNEL_READ(dst, dev, mtu);
	}
	if (!mtu && dev)
		mtu = KERNEL_READ(dev, mtu);
	return mtu;
}

static __always_inline void fill_dev(struct net_device *dev, struct pwru_event *ev)
{
	if (dev) {
		ev->ifindex = KERNEL_READ(dev, ifindex);
		bpf_core_read(ev->ifname, sizeof(ev->ifname), &dev->name);
	}
}

/*
 * A free function called on an skb that has other users only drops a reference (skb_unref),
 * as a packet socket's copy of a received packet does: userspace must not end the packet
 * there.
 */
static __always_inline __u16 skb_users(struct sk_buff *skb)
{
	int n = BPF_CORE_READ(skb, users.refs.counter);

	return n > 0xffff ? 0xffff : n;
}

static __always_inline void fill_meta(struct sk_buff *skb, struct net_device *dev,
				      struct pwru_event *ev)
{
	ev->netns = skb_netns(skb, dev);
	ev->mark = KERNEL_READ(skb, mark);
	ev->len = KERNEL_READ(skb, len);
	ev->users = skb_users(skb);
	ev->protocol = bpf_ntohs(KERNEL_READ(skb, protocol));
	ev->mtu = skb_mtu(skb, dev);
	fill_dev(dev, ev);
}

static __always_inline bool ip6_ext_hdr(__u8 nh)
{
	return nh == 0 || nh == 43 || nh == 60; /* hop-by-hop, routing, destination options */
}

#define IP6_FRAGMENT 44

/*
 * Returns the L4 header address, or NULL when there are no ports to read. A fragment
 * header (8 bytes, its second byte reserved) is walked like the others, so that a fragment
 * names its protocol as an IPv4 one does; only the first fragment (offset 0) holds the
 * ports.
 */
static __always_inline void *parse_ip6(void *l3, struct pwru_tuple *t)
{
	struct ip6_hdr ip6;
	void *l4 = l3 + sizeof(ip6);
	__u8 nh, ext[4];
	bool later_fragment = false;
	int i;

	if (bpf_probe_read_kernel(&ip6, sizeof(ip6), l3))
		return NULL;
	__builtin_memcpy(t->saddr, ip6.saddr, 16);
	__builtin_memcpy(t->daddr, ip6.daddr, 16);
	t->l3_proto = ETH_P_IPV6;
	nh = ip6.nexthdr;
	for (i = 0; i < 4 && (ip6_ext_hdr(nh) || nh == IP6_FRAGMENT); i++) {
		if (bpf_probe_read_kernel(ext, sizeof(ext), l4))
			return NULL;
		if (nh == IP6_FRAGMENT) {
			/* the offset: the upper 13 bits of bytes 2 and 3 */
			later_fragment = ext[2] || (ext[3] & 0xf8);
			ext[1] = 0;
		}
		nh = ext[0];
		l4 += (ext[1] + 1) * 8;
	}
	t->l4_proto = nh;
	return later_fragment ? NULL : l4;
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

/* The tuple of the IP packet at L3 (the first byte of its IP header). */
static __always_inline void fill_tuple_l3(void *l3, struct pwru_tuple *t)
{
	void *l4 = NULL;
	__u8 l4hdr[14], version;

	if (bpf_probe_read_kernel(&version, 1, l3))
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

static __always_inline void fill_tuple(struct sk_buff *skb, struct pwru_tuple *t)
{
	unsigned char *head = KERNEL_READ(skb, head);
	__u16 nh_off = KERNEL_READ(skb, network_header);

	/* 0 as well as ~0: freshly allocated skbs have not set a network header yet. */
	if (nh_off && nh_off != HDR_UNSET)
		fill_tuple_l3(head + nh_off, t);
}

#endif
