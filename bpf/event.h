/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one record layout, shared by the BPF programs and userspace. Fixed-width types and
 * explicit padding only, so both compilers lay it out the same way.
 *
 * A record is a struct pwru_event followed by zero or more sections, each a struct
 * pwru_section header and its payload, padded to 8 bytes. ev->size is the whole record.
 * Readers skip section kinds they do not know, so a new kind breaks no sink.
 */
#ifndef PWRU_EVENT_H
#define PWRU_EVENT_H

#ifdef __bpf__
typedef __u8 pwru_u8;
typedef __u16 pwru_u16;
typedef __u32 pwru_u32;
typedef __u64 pwru_u64;
typedef __s64 pwru_s64;
#else
#include <stdint.h>
typedef uint8_t pwru_u8;
typedef uint16_t pwru_u16;
typedef uint32_t pwru_u32;
typedef uint64_t pwru_u64;
typedef int64_t pwru_s64;
#endif

#define PWRU_IFNAMSIZ 16
#define PWRU_COMMSIZ  16

/*
 * Which program produced the event; userspace needs it to interpret addr. For a
 * tracepoint, addr is the index of its name in the probe layer's table, not an address.
 */
enum pwru_event_type {
	PWRU_EV_KPROBE = 0,
	PWRU_EV_KPROBE_MULTI = 1,
	PWRU_EV_FENTRY = 2,
	PWRU_EV_FEXIT = 3,
	PWRU_EV_TRACEPOINT = 4,
	/* A tc or XDP program's entry and exit (fentry, fexit on it): addr is its program id. */
	PWRU_EV_PROG_ENTRY = 5,
	PWRU_EV_PROG_EXIT = 6,
};

/*
 * nf_hook_slow()'s event with its return value (fentry): arg2 holds the hook and the
 * family (NFPROTO_*) from its struct nf_hook_state instead of the pointer, and above them
 * the low 24 bits of the state's input and output devices' indexes (bits 16 and 40 up):
 * the exit checks the whole word, with the skb, to know the held event is its own call's.
 */
#define PWRU_NF_WORD(pf, hook) ((pwru_u64)(pf) << 8 | (pwru_u8)(hook))
#define PWRU_NF_DEVS(in, out)  (((pwru_u64)(in)&0xffffff) << 16 | ((pwru_u64)(out)&0xffffff) << 40)
#define PWRU_NF_PF(word)       ((pwru_u8)((word) >> 8))
#define PWRU_NF_HOOK(word)     ((pwru_u8)(word))

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
	pwru_u16 size;	/* the whole record, sections included */
	pwru_u16 users; /* skb->users, at most 65535; 0: no skb read */
	pwru_u32 pad2;
	char ifname[PWRU_IFNAMSIZ];
	char comm[PWRU_COMMSIZ];
	struct pwru_tuple tuple;
};

enum pwru_section_kind {
	PWRU_SEC_PACKET = 1,	/* struct pwru_packet: the bytes, up to the snap length */
	PWRU_SEC_STACK = 2,	/* pwru_u64[]: kernel stack, innermost first (bpf_get_stack) */
	PWRU_SEC_RETVAL = 3,	/* pwru_u64: the function's return value (fexit) */
	PWRU_SEC_TUNNEL = 4,	/* struct pwru_tuple: the encapsulated packet's */
	PWRU_SEC_CB = 5,	/* pwru_u32[5]: qdisc_skb_cb data, as __sk_buff->cb[] */
	PWRU_SEC_REDIRECT = 6,	/* struct pwru_redirect: where a program's redirect sends it */
	PWRU_SEC_NOTIFY = 7,	/* pwru_u8[PWRU_NOTIFY_LEN]: a bpf_skb_event_output() message */
	PWRU_SEC_CALLER = 8,	/* pwru_u64: return address into the traced function's caller */
	PWRU_SEC_NFT = 9,	/* struct pwru_nft: the chain nft_do_chain() runs */
	PWRU_SEC_METADATA = 10, /* pwru_u64[PWRU_METADATA_N]: --output-skb-metadata values */
	/* char[PWRU_DUMP_LEN]: bpf_snprintf_btf() of the sk_buff, of its skb_shared_info */
	PWRU_SEC_SKB_DUMP = 11,
	PWRU_SEC_SHINFO = 12,
	PWRU_SEC_XDP_METADATA = 13, /* as PWRU_SEC_METADATA: --output-xdp-metadata values */
	PWRU_SEC_BPFMAP = 14, /* struct pwru_bpfmap: --output-bpfmap, a traced map operation */
};

/*
 * Frames kept per stack: network paths entered from a system call and handed through
 * softirqs on the same stack run 40 to 60 deep.
 */
#define PWRU_STACK_MAX 64

struct pwru_section {
	pwru_u16 kind; /* enum pwru_section_kind */
	pwru_u16 len;  /* payload bytes after this header, before padding */
	pwru_u32 pad;
};

/* Where the captured bytes start. */
enum pwru_link {
	PWRU_LINK_ETH = 1, /* at the MAC header: an Ethernet frame */
	PWRU_LINK_RAW = 2, /* at the network header: IPv4 or IPv6, no link layer */
};

struct pwru_packet {
	pwru_u32 orig_len; /* the packet's length from the same start */
	pwru_u16 cap_len;  /* bytes that follow */
	pwru_u8 link;	   /* enum pwru_link */
	pwru_u8 pad;
	/* pwru_u8 data[cap_len] follows */
};

/* The target a tc or XDP program set with bpf_redirect*() before returning a redirect. */
struct pwru_redirect {
	pwru_u32 ifindex; /* with map_id set: the key in that map (bpf_redirect_map) */
	pwru_u32 flags;	  /* BPF_F_INGRESS (1), and the kernel's own (2 neigh, 4 peer) */
	pwru_u32 map_id;  /* 0: a device (bpf_redirect, _peer, _neigh) */
	pwru_u32 pad;
};

/*
 * How much of a message a program hands to bpf_skb_event_output() is kept: Cilium's drop
 * notification header (struct drop_notify, 36 bytes) and a little more.
 */
#define PWRU_NOTIFY_LEN 40

/* Of an nft table's and chain's names (up to 255 characters), the first 63 are kept. */
#define PWRU_NFT_NAMESZ 64

/*
 * The base chain nft_do_chain() runs a packet through, read at its entry; the verdict comes
 * at its exit, as the record's PWRU_SEC_RETVAL.
 */
struct pwru_nft {
	pwru_u8 family; /* the table's NFPROTO_* */
	pwru_u8 pad[7];
	char table[PWRU_NFT_NAMESZ];
	char chain[PWRU_NFT_NAMESZ];
};

/* --output-skb-metadata: at most this many values, each read into 64 bits */
#define PWRU_METADATA_N	  4
#define PWRU_METADATA_LEN (PWRU_METADATA_N * 8)

/* --output-skb, --output-skb-shared-info: a NUL-terminated dump, cut to this many bytes */
#define PWRU_DUMP_LEN 4096

/* --output-bpfmap: a map's key and value are cut to this many bytes, as in cilium/pwru */
#define PWRU_BPFMAP_DATA 256

enum pwru_bpfmap_value {
	PWRU_BPFMAP_NO_VALUE = 0, /* a delete: only a key */
	PWRU_BPFMAP_VALUE = 1,	  /* an update's new value, a lookup's result */
	PWRU_BPFMAP_MISS = 2,	  /* a lookup that found no element */
	PWRU_BPFMAP_UNREAD = 3,	  /* a lookup whose value this pwru cannot read (per-CPU) */
};

/*
 * The map a BPF program on the packet's path looks up, updates or deletes in, always the last
 * section: a lookup's record is held from the call to its return, which writes the value in.
 */
struct pwru_bpfmap {
	pwru_u32 id;
	pwru_u32 map_type; /* BPF_MAP_TYPE_* */
	pwru_u32 key_size; /* the map's: key[] holds at most PWRU_BPFMAP_DATA of them */
	pwru_u32 value_size;
	pwru_u8 value; /* enum pwru_bpfmap_value */
	pwru_u8 pad[7];
	char name[16]; /* BPF_OBJ_NAME_LEN */
	pwru_u8 key[PWRU_BPFMAP_DATA];
	pwru_u8 val[PWRU_BPFMAP_DATA];
};

/* The keys of the per-CPU `lost` map: why an event was not sent. */
enum pwru_lost_why {
	PWRU_LOST_RING = 0,   /* the ring buffer was full */
	PWRU_LOST_NESTED = 1, /* pwru's programs nested deeper than their per-CPU buffers */
	PWRU_LOST_N = 2,
};

#define PWRU_ALIGN8(n) (((n) + 7) & ~7)

/*
 * Longest record: the scratch buffer the BPF side builds it in. The verifier bounds the
 * packet copy by a mask (2047), so the buffer leaves room for that much. Seven sections
 * of at most a tuple's size: tunnel, cb, redirect, notification, caller, return value and
 * metadata. Last, --output-bpfmap's map operation.
 */
#define PWRU_SNAPLEN_MAX  1536
#define PWRU_SNAPLEN_MASK 2047
#define PWRU_RECORD_MAX                                                                            \
	(sizeof(struct pwru_event) +                                                               \
	 7 * (sizeof(struct pwru_section) + sizeof(struct pwru_tuple)) +                           \
	 sizeof(struct pwru_section) + PWRU_STACK_MAX * sizeof(pwru_u64) +                         \
	 sizeof(struct pwru_section) + sizeof(struct pwru_nft) +                                   \
	 2 * (sizeof(struct pwru_section) + PWRU_DUMP_LEN) + sizeof(struct pwru_section) +         \
	 sizeof(struct pwru_packet) + PWRU_SNAPLEN_MASK + 1 + sizeof(struct pwru_section) +        \
	 sizeof(struct pwru_bpfmap))

#endif
