/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The inner packet of a VXLAN or Geneve tunnel, for --filter-tunnel-pcap-l2/-l3 and
 * --output-tunnel. Where this host encapsulated the packet, the kernel says where the
 * inner headers are (skb->inner_mac_header, inner_network_header, set by
 * iptunnel_handle_offloads; cilium/pwru reads only these). Elsewhere, on the receive path
 * before decapsulation and on a packet routed through, the outer headers are parsed:
 * IPv4 or IPv6, UDP to the VXLAN ports (4789, IANA; 8472, Linux's default) or Geneve's
 * (6081), whose variable options are skipped.
 */
#ifndef PWRU_TUNNEL_BPF_H
#define PWRU_TUNNEL_BPF_H

#define TUNNEL_VXLAN_PORT	4789
#define TUNNEL_VXLAN_LINUX_PORT 8472
#define TUNNEL_GENEVE_PORT	6081
#define TUNNEL_ETH_P_TEB	0x6558 /* Geneve payload: an Ethernet frame */
#define TUNNEL_ETH_P_8021Q	0x8100
#define TUNNEL_NO_HDR		0xffff

/* Offsets from skb->head; mac is TUNNEL_NO_HDR when the inner packet has no link header. */
struct tunnel_at {
	__u16 mac, net;
};

/* Ethernet at MAC: the network header follows it, after one VLAN tag if there is one. */
static __always_inline void tunnel_eth(unsigned char *head, __u32 mac, struct tunnel_at *in)
{
	__be16 type = 0;

	in->mac = mac;
	in->net = mac + 14;
	bpf_probe_read_kernel(&type, sizeof(type), head + mac + 12);
	if (type == __builtin_bswap16(TUNNEL_ETH_P_8021Q))
		in->net += 4;
}

/* The UDP payload at OFF of a packet to PORT. */
static __always_inline bool tunnel_udp_payload(unsigned char *head, __u32 off, __u16 port,
					       struct tunnel_at *in)
{
	__u8 hdr[8];

	if (bpf_probe_read_kernel(hdr, sizeof(hdr), head + off))
		return false;
	if (port == TUNNEL_VXLAN_PORT || port == TUNNEL_VXLAN_LINUX_PORT) {
		if (!(hdr[0] & 0x08)) /* no VNI: not VXLAN */
			return false;
		tunnel_eth(head, off + 8, in);
		return true;
	}
	if (port != TUNNEL_GENEVE_PORT || hdr[0] >> 6) /* Geneve version 0 only */
		return false;
	off += 8 + (hdr[0] & 0x3f) * 4; /* options: 4-byte words */
	if (((__u16)hdr[2] << 8 | hdr[3]) == TUNNEL_ETH_P_TEB) {
		tunnel_eth(head, off, in);
	} else {
		in->mac = TUNNEL_NO_HDR;
		in->net = off;
	}
	return true;
}

/* Outer IPv4 or IPv6 at NH carrying UDP to a tunnel port. */
static __always_inline bool tunnel_parse(unsigned char *head, __u32 nh, struct tunnel_at *in)
{
	__u8 ip[40];
	__u32 udp;
	__be16 dport;

	if (bpf_probe_read_kernel(ip, sizeof(ip), head + nh))
		return false;
	if (ip[0] >> 4 == 4) {
		/* UDP, and not a later fragment (offset bits of frag_off) */
		if (ip[9] != 17 || ((ip[6] & 0x1f) | ip[7]))
			return false;
		udp = nh + (ip[0] & 0xf) * 4;
	} else if (ip[0] >> 4 == 6 && ip[6] == 17) {
		udp = nh + 40;
	} else {
		return false;
	}
	if (bpf_probe_read_kernel(&dport, sizeof(dport), head + udp + 2))
		return false;
	return tunnel_udp_payload(head, udp + 8, __builtin_bswap16(dport), in);
}

/* Where the inner packet of SKB is, when SKB carries a VXLAN or Geneve tunnel. */
static __always_inline bool tunnel_inner(struct sk_buff *skb, struct tunnel_at *in)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 inh = BPF_CORE_READ(skb, inner_network_header);

	if (!nh || nh == TUNNEL_NO_HDR)
		return false;
	/* encapsulated here: the inner headers lie after the outer one */
	if (inh > nh && inh != TUNNEL_NO_HDR) {
		__u16 imac = BPF_CORE_READ(skb, inner_mac_header);

		in->mac = imac < inh ? imac : TUNNEL_NO_HDR;
		in->net = inh;
		return true;
	}
	return tunnel_parse(head, nh, in);
}

#endif
