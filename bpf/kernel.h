/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types the BPF programs read, declared with preserve_access_index so that
 * libbpf relocates every field access against the running kernel's BTF (CO-RE). The build
 * never looks at the build machine's kernel. Only the fields we read are listed; layout and
 * order here do not matter.
 */
#ifndef PWRU_KERNEL_H
#define PWRU_KERNEL_H

/* bpf_tracing.h picks the kernel-internal pt_regs field names when it sees this. */
#define __VMLINUX_H__

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
#define true 1
#define false 0

enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_PERCPU_HASH = 5,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_LRU_PERCPU_HASH = 10,
	BPF_MAP_TYPE_RINGBUF = 27,
};

/* bpf_map_update_elem() flags. */
enum {
	BPF_ANY = 0,
};

/* bpf_ringbuf_output() flags and bpf_ringbuf_query() flags. */
enum {
	BPF_RB_NO_WAKEUP = 1,
	BPF_RB_FORCE_WAKEUP = 2,
	BPF_RB_AVAIL_DATA = 0,
};

/* Only to ask, with bpf_core_enum_value_exists(), whether the running kernel has it. */
enum bpf_func_id {
	BPF_FUNC_get_func_ip = 173,
};

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct net {
	struct ns_common ns;
} __attribute__((preserve_access_index));

typedef struct {
	struct net *net;
} possible_net_t;

struct net_device {
	char name[16];
	int ifindex;
	unsigned int mtu;
	unsigned short type; /* ARPHRD_* */
	possible_net_t nd_net;
} __attribute__((preserve_access_index));

struct sock_common {
	possible_net_t skc_net;
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
} __attribute__((preserve_access_index));

struct dst_entry {
	struct net_device *dev;
	unsigned long _metrics;
} __attribute__((preserve_access_index));

/* What dst_entry->_metrics points at (its low two bits are flags). */
struct dst_metrics {
	__u32 metrics[17];
} __attribute__((preserve_access_index));

/* nf_hook_slow()'s second argument. hook was an unsigned int before 5.13: its low byte. */
struct nf_hook_state {
	__u8 hook;
	__u8 pf;
	struct net_device *in;
	struct net_device *out;
} __attribute__((preserve_access_index));

struct sk_buff {
	struct sk_buff *next;
	struct net_device *dev;
	struct sock *sk;
	unsigned long _skb_refdst;
	char cb[48];
	unsigned int len;
	__u32 mark;
	__be16 protocol;
	__u16 network_header;
	__u16 mac_header;
	__u16 inner_network_header;
	__u16 inner_mac_header;
	unsigned int tail;
	unsigned char *head;
	unsigned char *data;
	unsigned int end; /* an offset from head on 64-bit kernels */
	struct {
		struct {
			int counter;
		} refs; /* atomic_t */
	} users;	/* refcount_t */
} __attribute__((preserve_access_index));

/* What an XDP program's context (struct xdp_md) is in the kernel. */
struct xdp_rxq_info {
	struct net_device *dev;
} __attribute__((preserve_access_index));

struct xdp_buff {
	void *data;
	void *data_end;
	struct xdp_rxq_info *rxq;
} __attribute__((preserve_access_index));

/*
 * Where bpf_redirect*() leaves its target until the program returns: a per-CPU variable
 * until 6.10, current->bpf_net_context->ri since 6.11. tgt_index grew from u32 to u64.
 */
struct bpf_map {
	enum bpf_map_type map_type;
	__u32 key_size;
	__u32 value_size;
	__u32 id;
	char name[16];
} __attribute__((preserve_access_index));

struct bpf_redirect_info {
	__u64 tgt_index;
	__u32 flags;
	__u32 map_id;	     /* 5.16+ */
	struct bpf_map *map; /* before */
} __attribute__((preserve_access_index));

struct bpf_net_context {
	struct bpf_redirect_info ri;
} __attribute__((preserve_access_index));

/* Only its type id is wanted (--output-skb-shared-info). */
struct skb_shared_info {
	__u8 nr_frags;
} __attribute__((preserve_access_index));

/* bpf_snprintf_btf()'s argument, from the UAPI. */
struct btf_ptr {
	void *ptr;
	__u32 type_id;
	__u32 flags;
};

/* tc programs only: the user-visible context, for bpf_cast_to_kern_ctx(). */
struct __sk_buff {
	__u32 len;
	__u32 cb[5];
} __attribute__((preserve_access_index));

#if defined(__TARGET_ARCH_arm64)
/* bpf_tracing.h reads arm64 registers through the UAPI struct the kernel's pt_regs begins with. */
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
} __attribute__((preserve_access_index));
#endif

/* A kprobe's context as the verifier names it for a global function's argument. */
#if defined(__TARGET_ARCH_arm64)
typedef struct user_pt_regs bpf_user_pt_regs_t;
#else
struct pt_regs;
typedef struct pt_regs bpf_user_pt_regs_t;
#endif

struct task_struct {
	void *stack;
	struct bpf_net_context *bpf_net_context; /* 6.11+ */
} __attribute__((preserve_access_index));

struct pt_regs {
	unsigned long di;
	unsigned long si;
	unsigned long dx;
	unsigned long cx;
	unsigned long r8;
	unsigned long r9;
	unsigned long sp;
	unsigned long bp;
	unsigned long ip;
	unsigned long ax;
} __attribute__((preserve_access_index));

#endif
