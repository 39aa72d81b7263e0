/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record for an XDP program's packet, which has no sk_buff (native XDP) or none the
 * program's context leads to (generic XDP): the xdp_buff's address stands in the SKB
 * column, its device gives the metadata, its bytes (from the Ethernet header) the tuple and
 * the capture.
 */
#ifndef PWRU_EVENT_XDP_BPF_H
#define PWRU_EVENT_XDP_BPF_H

#include "event_fill.bpf.h"

#define ETH_HLEN    14
#define ETH_P_8021Q 0x8100
#define VLAN_HLEN   4

/* The network header after the Ethernet header (and one VLAN tag); 0 when not IP. */
static __always_inline __u16 xdp_l3(void *data, __u32 len, __u16 *proto)
{
	__u16 off = ETH_HLEN - 2, p = 0;

	if (len < ETH_HLEN || bpf_probe_read_kernel(&p, 2, data + off))
		return 0;
	p = bpf_ntohs(p);
	if (p == ETH_P_8021Q && len >= ETH_HLEN + VLAN_HLEN) {
		off += VLAN_HLEN;
		bpf_probe_read_kernel(&p, 2, data + off);
		p = bpf_ntohs(p);
	}
	*proto = p;
	return p == ETH_P_IP || p == ETH_P_IPV6 ? off + 2 : 0;
}

/* emit_xdp_event()'s record, built in BUF (emit_into()). */
static __always_inline void emit_xdp_into(struct record_buf *buf, struct xdp_buff *xdp, __u64 addr,
					  __u8 type, const struct emit_extra *x)
{
	__u32 size = sizeof(struct pwru_event), len;
	struct net_device *dev = BPF_CORE_READ(xdp, rxq, dev);
	void *data = BPF_CORE_READ(xdp, data);
	struct pwru_event *ev = (void *)buf->b;
	__u16 l3, proto = 0;

	len = BPF_CORE_READ(xdp, data_end) - data;
	fill_header(ev, (__u64)xdp, addr, type, 0, 0);
	l3 = xdp_l3(data, len, &proto);
	if (cfg_output_meta && dev) {
		ev->netns = BPF_CORE_READ(dev, nd_net.net, ns.inum);
		ev->mtu = BPF_CORE_READ(dev, mtu);
		fill_dev(dev, ev);
	}
	if (cfg_output_meta) {
		ev->len = len;
		ev->protocol = proto;
	}
	if (cfg_output_tuple && l3)
		fill_tuple_l3(data + l3, &ev->tuple);
	if (xdp_metadata_gate()) {
		xdp_metadata_fill(xdp, (void *)(buf->b + size + sizeof(struct pwru_section)));
		size = put_section(buf->b, size, PWRU_SEC_XDP_METADATA, PWRU_METADATA_LEN);
	}
	/*
	 * --output-stack and --output-caller: what ran the program (generic XDP, a driver),
	 * from its stack, or from the trampoline's frame where the stack ends in BPF code
	 */
	size = fill_caller(buf->b, size, x);
	if (x && x->stack_ctx && (cfg_output_stack || cfg_output_caller))
		size = fill_stack(x->stack_ctx, buf->b, size);
	size = fill_extra(buf->b, size, x);
	if (cfg_snaplen && len)
		size = fill_packet_bytes(buf->b, size, data, len, len, PWRU_LINK_ETH);
	emit_record(buf, size);
}

static __always_inline void emit_xdp_event(struct xdp_buff *xdp, __u64 addr, __u8 type,
					   const struct emit_extra *x)
{
	__u32 *depth;
	struct record_buf *buf = scratch_get(&depth);

	if (!buf)
		return;
	emit_xdp_into(buf, xdp, addr, type, x);
	scratch_put(depth);
}

#endif
