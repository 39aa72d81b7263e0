// SPDX-License-Identifier: GPL-2.0
/*
 * A tc program of the tests' own making map operations, for --output-bpfmap: on each IPv4
 * ICMP packet it looks up its source address (and "pwru") in a hash map, stores "seen" and
 * how many such packets it saw so far, and deletes a key that is never there ("gone").
 * The first packet's lookup finds nothing, the next ones the count before theirs.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct key {
	__u32 saddr;
	char tag[4]; /* "pwru", "gone" */
};

struct val {
	char tag[4]; /* "seen" */
	__u32 count;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, struct key);
	__type(value, struct val);
} pwru_test_map SEC(".maps");

SEC("tc")
int pwru_test_maps(struct __sk_buff *skb)
{
	struct key k = {.tag = {'p', 'w', 'r', 'u'}};
	struct val v = {.tag = {'s', 'e', 'e', 'n'}, .count = 1}, *old;
	struct iphdr ip;

	if (skb->protocol != __constant_htons(ETH_P_IP) ||
	    bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0 || ip.protocol != IPPROTO_ICMP)
		return TC_ACT_OK;
	k.saddr = ip.saddr;
	old = bpf_map_lookup_elem(&pwru_test_map, &k);
	if (old)
		v.count = old->count + 1;
	bpf_map_update_elem(&pwru_test_map, &k, &v, BPF_ANY);
	__builtin_memcpy(k.tag, "gone", 4);
	bpf_map_delete_elem(&pwru_test_map, &k);
	return TC_ACT_OK;
}
