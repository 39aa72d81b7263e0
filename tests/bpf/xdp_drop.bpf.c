// SPDX-License-Identifier: GPL-2.0
/*
 * An XDP program of the tests' own that drops ICMP echo requests and passes the rest (ARP,
 * replies), attached in generic and in veth native mode. Its name is longer than the
 * kernel's 15 characters on purpose.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define ICMP_ECHO 8

SEC("xdp")
int test_xdp_drop_echo_request(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u8 *icmp_type = (void *)(ip + 1); /* struct icmphdr: its first byte */

	if ((void *)(icmp_type + 8) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return XDP_PASS;
	if (ip->protocol == IPPROTO_ICMP && *icmp_type == ICMP_ECHO)
		return XDP_DROP;
	return XDP_PASS;
}
