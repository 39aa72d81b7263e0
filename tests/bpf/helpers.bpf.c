// SPDX-License-Identifier: GPL-2.0
/*
 * A tc program of the tests' own calling known helpers, for --filter-track-bpf-helpers: each
 * call leaves the packet as it was (bpf_skb_change_proto to the protocol it already has is
 * refused), so the program can sit on a path the tests ping through.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tc")
int pwru_test_helpers(struct __sk_buff *skb)
{
	__u8 head[4];

	if (bpf_skb_load_bytes(skb, 0, head, sizeof(head)) < 0)
		return TC_ACT_OK;
	bpf_skb_change_proto(skb, skb->protocol, 0);
	bpf_get_hash_recalc(skb);
	return TC_ACT_OK;
}
