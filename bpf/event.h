/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one event layout, shared by the BPF programs and userspace. Fixed-width types and
 * explicit padding only, so both compilers lay it out the same way.
 */
#ifndef PWRU_EVENT_H
#define PWRU_EVENT_H

#ifdef __bpf__
typedef __u8 pwru_u8;
typedef __u16 pwru_u16;
typedef __u32 pwru_u32;
typedef __u64 pwru_u64;
#else
#include <stdint.h>
typedef uint8_t pwru_u8;
typedef uint16_t pwru_u16;
typedef uint32_t pwru_u32;
typedef uint64_t pwru_u64;
#endif

#define PWRU_IFNAMSIZ 16
#define PWRU_COMMSIZ  16

/* Which program produced the event; userspace needs it to interpret addr. */
enum pwru_event_type {
	PWRU_EV_KPROBE = 0,
	PWRU_EV_KPROBE_MULTI = 1,
};

struct pwru_tuple {
	pwru_u8 saddr[16]; /* network order; IPv4 uses the first 4 bytes */
	pwru_u8 daddr[16];
	pwru_u16 sport; /* network order */
	pwru_u16 dport;
	pwru_u16 l3_proto; /* ETH_P_IP or ETH_P_IPV6, host order; 0: no IP header found */
	pwru_u8 l4_proto;
	pwru_u8 tcp_flags;
};

struct pwru_event {
	pwru_u64 skb;
	pwru_u64 addr; /* traced function's entry address */
	pwru_u64 ts;   /* bpf_ktime_get_ns() */
	pwru_u64 arg2; /* second and third argument: drop reasons live there */
	pwru_u64 arg3;
	pwru_u32 pid; /* tgid */
	pwru_u32 cpu;
	pwru_u32 netns;
	pwru_u32 mark;
	pwru_u32 ifindex;
	pwru_u32 len;
	pwru_u32 mtu;
	pwru_u16 protocol; /* skb->protocol, host order */
	pwru_u8 type;	   /* enum pwru_event_type */
	pwru_u8 pad0;
	char ifname[PWRU_IFNAMSIZ];
	char comm[PWRU_COMMSIZ];
	struct pwru_tuple tuple;
};

#endif
