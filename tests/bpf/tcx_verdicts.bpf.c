// SPDX-License-Identifier: GPL-2.0
/*
 * tcx programs of the tests' own (attached by tests/tools/tcx_attach.c, Linux 6.6+), one
 * per tcx result a tracer should name: test_tcx_next lets the next program decide,
 * test_tcx_drop drops IPv4 packets to 10.0.1.3 and lets the next decide for the rest,
 * test_tcx_pass ends the chain with a pass.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* enum tcx_action_base of Linux 6.6's bpf.h; the build's UAPI headers may be older. */
#define TCX_NEXT -1
#define TCX_PASS 0
#define TCX_DROP 2

#define DROPPED_DADDR 0x0a000103 /* 10.0.1.3 */

SEC("tc")
int test_tcx_next(struct __sk_buff *skb)
{
	return TCX_NEXT;
}

SEC("tc")
int test_tcx_drop(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TCX_NEXT;
	return ip->daddr == bpf_htonl(DROPPED_DADDR) ? TCX_DROP : TCX_NEXT;
}

SEC("tc")
int test_tcx_pass(struct __sk_buff *skb)
{
	return TCX_PASS;
}
