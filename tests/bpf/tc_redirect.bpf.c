// SPDX-License-Identifier: GPL-2.0
/*
 * A tc program of the tests' own that redirects ICMP echo requests to the namespace's
 * loopback (ifindex 1), whose receive path answers them: a redirect whose target a tracer
 * should name.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define ICMP_ECHO 8

#define LOOPBACK_IFINDEX 1

SEC("tc")
int test_tc_redirect_to_loopback(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u8 *icmp_type = (void *)(ip + 1); /* struct icmphdr: its first byte */

	if ((void *)(icmp_type + 8) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return TC_ACT_OK;
	if (ip->protocol != IPPROTO_ICMP || *icmp_type != ICMP_ECHO)
		return TC_ACT_OK;
	return bpf_redirect(LOOPBACK_IFINDEX, BPF_F_INGRESS);
}
