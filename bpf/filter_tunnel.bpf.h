/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --filter-tunnel-pcap-l2/-l3: pcap filters on the inner packet of a tunnel, spliced at
 * load like the main one (filters/). As in cilium/pwru, they only judge tunnelled
 * packets: one that carries no tunnel passes them, the main filter decides alone. The L2
 * expression is run from the inner Ethernet header, the L3 one from the inner IP header;
 * a stub left without a body (one of the two flags not given) passes.
 */
#ifndef PWRU_FILTER_TUNNEL_BPF_H
#define PWRU_FILTER_TUNNEL_BPF_H

#include "filter.bpf.h"
#include "tunnel.bpf.h"

FILTER_GATE(filter_tunnel_gate)
FILTER_STUB(filter_tunnel_l2)
FILTER_STUB(filter_tunnel_l3)

/* DIRECT: a constant, as in filter_pcap_skb(): the view's reads then pick no address. */
static __always_inline bool filter_tunnel_as(struct sk_buff *skb, const struct tunnel_at *inner,
					     bool direct, bool nests)
{
	struct filter_pcap_copies *c = filter_pcap_copies();
	struct filter_pcap_percpu *pc;
	struct tunnel_at in = *inner;
	struct filter_pcap_view v;
	struct filter_pcap_at at;

	if (!c)
		return false;
	pc = FILTER_PCAP_COPY(c, nests);
	if (!filter_pcap_read_view(pc, skb, &v, direct))
		return false;
	if (in.mac != TUNNEL_NO_HDR && (!filter_pcap_point(pc, skb, &v, in.mac, 0, 0, &at) ||
					!filter_tunnel_l2(&pc->s, at.data, at.caplen)))
		return false;
	return filter_pcap_point(pc, skb, &v, in.net, 0, 0, &at) &&
	       filter_tunnel_l3(&pc->s, at.data, at.caplen);
}

/* NESTS: as filter_pcap()'s. */
static __always_inline bool filter_tunnel(struct sk_buff *skb, bool nests)
{
	struct tunnel_at in;

	if (!filter_tunnel_gate() || !tunnel_inner(skb, &in))
		return true;
	if (cfg_skb_direct)
		return filter_tunnel_as(skb, &in, true, nests);
	return filter_tunnel_as(skb, &in, false, nests);
}

#endif
