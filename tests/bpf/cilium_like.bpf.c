// SPDX-License-Identifier: GPL-2.0
/*
 * A tc program of the tests' own doing in one program what Cilium's datapath does (Cilium's
 * own bpf_lxc is in ../shared/cilium): it marks IPv4 packets with a security identity in
 * Cilium's mark layout (bpf/lib/overloadable_skb.h: set_identity_mark), and drops UDP to
 * port 4242 the way Cilium's drop path does (bpf/lib/drop.h): the drop metadata stored in
 * cb, a drop notification handed to bpf_perf_event_output (the kernel runs
 * bpf_skb_event_output for a tc program), TC_ACT_SHOT. Values other than
 * bpf_lxc's (identity 6, DROP_NO_SERVICE from bpf_host.c line 4242), so a test can tell
 * them apart. The name is longer than the kernel's 15 characters on purpose.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define MARK_MAGIC_IDENTITY 0x0F00
#define IDENTITY	    6 /* remote-node */
#define WORLD		    2
#define DROP_NO_SERVICE	    158
#define FILE_BPF_HOST	    1
#define DROP_LINE	    4242
#define DROP_PORT	    4242
#define NOTIFY_DROP	    1

/* Cilium's struct drop_notify (NOTIFY_CAPTURE_HDR, then the drop's fields): 36 bytes. */
struct drop_notify {
	__u8 type, subtype;
	__u16 source;
	__u32 hash, len_orig;
	__u16 len_cap, version;
	__u32 src_label, dst_label, dst_id;
	__u16 line;
	__u8 file;
	__s8 ext_error;
	__u32 ifindex;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} test_cilium_events SEC(".maps");

static __always_inline int drop(struct __sk_buff *skb)
{
	struct drop_notify n = {
	    .type = NOTIFY_DROP,
	    .subtype = DROP_NO_SERVICE,
	    .len_orig = skb->len,
	    .src_label = IDENTITY,
	    .dst_label = WORLD,
	    .line = DROP_LINE,
	    .file = FILE_BPF_HOST,
	    .ifindex = skb->ifindex,
	};

	skb->cb[0] = IDENTITY;
	skb->cb[1] = WORLD;
	skb->cb[2] = DROP_NO_SERVICE; /* the reason, no extended error */
	skb->cb[3] = 0;
	skb->cb[4] = TC_ACT_SHOT | FILE_BPF_HOST << 8 | DROP_LINE << 16;
	bpf_perf_event_output(skb, &test_cilium_events, BPF_F_CURRENT_CPU, &n, sizeof(n));
	return TC_ACT_SHOT;
}

SEC("tc")
int test_cilium_like_identity(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	skb->mark = MARK_MAGIC_IDENTITY | (IDENTITY & 0xFFFF) << 16 | (IDENTITY >> 16 & 0xFF);
	if (ip->protocol != IPPROTO_UDP || ip->ihl != 5 || (void *)(udp + 1) > end)
		return TC_ACT_OK;
	return udp->dest == bpf_htons(DROP_PORT) ? drop(skb) : TC_ACT_OK;
}
