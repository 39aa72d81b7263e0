/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tc and XDP programs as what is traced: fentry and fexit on each program. These are
 * templates: src/probe/progtrace.c loads a copy of each per traced program, with the
 * program's id in CLONE_MAGIC_FUNC_IP (bpf/clone.h). The entry decides, as for a kernel
 * function (filters, tracking); the exit shows what the entry showed, with the verdict,
 * whatever the program did to the packet in between. And fentry on bpf_skb_event_output,
 * where a tc program (Cilium's drop path) hands a notification to the kernel. Included by
 * pwru.bpf.c after handle_skb().
 */
#ifndef PWRU_ENTRY_PROG_H
#define PWRU_ENTRY_PROG_H

#include "clone.h"
#include "event_xdp.bpf.h"
#include "probe_sections.h"
#include "redirect.bpf.h"

#define TC_ACT_REDIRECT 7
#define XDP_REDIRECT	4

/*
 * A packet shown at a program's entry, until its exit. Created with one entry: only runs
 * tracing tc or XDP programs use it, and progtrace_prepare() sizes it for them (4,096
 * preallocated entries were 1.3-1.7 ms of every 6.12 start under icount).
 */
struct prog_key {
	__u64 ctx; /* the sk_buff, or the xdp_buff */
	__u64 prog;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, struct prog_key);
	__type(value, __u8);
} prog_shown SEC(".maps");

static __always_inline void prog_remember(__u64 ctx, __u64 prog)
{
	struct prog_key k = {ctx, prog};
	__u8 one = 1;

	bpf_map_update_elem(&prog_shown, &k, &one, BPF_ANY);
}

static __always_inline bool prog_recall(__u64 ctx, __u64 prog)
{
	struct prog_key k = {ctx, prog};

	if (!bpf_map_lookup_elem(&prog_shown, &k))
		return false;
	bpf_map_delete_elem(&prog_shown, &k);
	return true;
}

/* The verdict, and for a redirect where it goes. */
static __always_inline void prog_exit_extra(__u64 ret, bool redirect, struct pwru_redirect *rd,
					    struct emit_extra *x)
{
	x->retval = (__u64)(__s64)(__s32)ret; /* tc results are ints: TC_ACT_UNSPEC is -1 */
	x->has_retval = true;
	if (redirect && read_redirect(rd))
		x->redirect = rd;
}

/*
 * x86 before 7.x: the kernel's stack of an XDP program's fentry and fexit ends in BPF code
 * (the unwinder gets no further than the program), so it names no caller. The trampoline's
 * frame above CTX holds it: the saved arguments and return value, the saved rbp, the
 * return address into the program (its entry's call into the trampoline, a few bytes in),
 * then the one into the kernel function that ran the program. Found by value: the frame's
 * layout differs between kernels. 0: not found (another architecture, no image address).
 */
#define PROG_FRAME_WORDS   8
#define PROG_ENTRY_RET_MAX 16 /* after x86's endbr64 and 5-byte call */

static __always_inline __u64 prog_caller(__u64 *ctx)
{
#if defined(__TARGET_ARCH_x86)
	__u64 text = CLONE_VALUE(CLONE_MAGIC_PROG_TEXT), w[PROG_FRAME_WORDS];
	int i;

	if (!text || !(cfg_output_caller || cfg_output_stack) ||
	    bpf_probe_read_kernel(w, sizeof(w), ctx))
		return 0;
	for (i = 1; i < PROG_FRAME_WORDS - 1; i++)
		if (w[i] - text < PROG_ENTRY_RET_MAX)
			return w[i + 1];
#endif
	return 0;
}

SEC(PWRU_SEC_PROG_ENTRY)
int pwru_tc_entry(__u64 *ctx)
{
	struct sk_buff *skb = (void *)CTX_SLOT(ctx, 0);
	__u64 id = CLONE_VALUE(CLONE_MAGIC_FUNC_IP);
	/* --output-stack and --output-caller: what ran the program (cls_bpf, tcx) */
	struct emit_extra x = {.stack_ctx = ctx};
	struct net_device *dev;

	if (!skb_shown(skb, &dev))
		return 0;
	prog_remember((__u64)skb, id);
	emit_event_ex(skb, dev, id, PWRU_EV_PROG_ENTRY, 0, 0, &x);
	return 0;
}

SEC(PWRU_SEC_PROG_EXIT)
int pwru_tc_exit(__u64 *ctx)
{
	struct sk_buff *skb = (void *)CTX_SLOT(ctx, 0);
	__u64 id = CLONE_VALUE(CLONE_MAGIC_FUNC_IP), ret = CTX_SLOT(ctx, 1);
	struct emit_extra x = {.stack_ctx = ctx};
	struct pwru_redirect rd;

	if (!skb || !prog_recall((__u64)skb, id))
		return 0;
	prog_exit_extra(ret, (__s32)ret == TC_ACT_REDIRECT, &rd, &x);
	emit_event_ex(skb, BPF_CORE_READ(skb, dev), id, PWRU_EV_PROG_EXIT, 0, 0, &x);
	return 0;
}

SEC(PWRU_SEC_PROG_ENTRY)
int pwru_xdp_entry(__u64 *ctx)
{
	struct xdp_buff *xdp = (void *)CTX_SLOT(ctx, 0);
	__u64 id = CLONE_VALUE(CLONE_MAGIC_FUNC_IP);
	struct emit_extra x = {.stack_ctx = ctx};
	void *data;

	if (!xdp)
		return 0;
	data = BPF_CORE_READ(xdp, data);
	if (!filter_meta_dev(BPF_CORE_READ(xdp, rxq, dev)) ||
	    !filter_pcap_frame(data, BPF_CORE_READ(xdp, data_end) - data) || !filter_xdp(xdp))
		return 0;
	prog_remember((__u64)xdp, id);
	x.caller = prog_caller(ctx);
	emit_xdp_event(xdp, id, PWRU_EV_PROG_ENTRY, &x);
	return 0;
}

SEC(PWRU_SEC_PROG_EXIT)
int pwru_xdp_exit(__u64 *ctx)
{
	struct xdp_buff *xdp = (void *)CTX_SLOT(ctx, 0);
	__u64 id = CLONE_VALUE(CLONE_MAGIC_FUNC_IP), ret = CTX_SLOT(ctx, 1);
	struct emit_extra x = {.stack_ctx = ctx};
	struct pwru_redirect rd;

	if (!xdp || !prog_recall((__u64)xdp, id))
		return 0;
	prog_exit_extra((__u32)ret, (__u32)ret == XDP_REDIRECT, &rd, &x);
	x.caller = prog_caller(ctx);
	emit_xdp_event(xdp, id, PWRU_EV_PROG_EXIT, &x);
	return 0;
}

/* Set by userspace: bpf_skb_event_output's address, which names the event. */
const volatile __u64 cfg_skb_output_addr = 0;

#define CILIUM_NOTIFY_DROP 1
#define CILIUM_DROP_MIN	   130

/*
 * bpf_skb_event_output(skb, map, flags, meta, size): a Cilium drop notification in META
 * (type 1, a drop code as subtype) is shown, for a packet the filters select.
 */
SEC(PWRU_SEC_SKB_OUTPUT)
int pwru_skb_output(__u64 *ctx)
{
	struct sk_buff *skb = (void *)CTX_SLOT(ctx, 0);
	__u64 meta = CTX_SLOT(ctx, 3), size = CTX_SLOT(ctx, 4), n;
	__u8 msg[PWRU_NOTIFY_LEN] = {};
	/* the stack names the program that sent it: Cilium's tail call, as the caller */
	struct emit_extra x = {.notify = msg, .stack_ctx = ctx};
	struct net_device *dev;

	if (!skb || size < 2 || bpf_probe_read_kernel(msg, 2, (void *)meta))
		return 0;
	if (msg[0] != CILIUM_NOTIFY_DROP || msg[1] < CILIUM_DROP_MIN)
		return 0;
	n = size < PWRU_NOTIFY_LEN ? size : PWRU_NOTIFY_LEN;
	/* bounded where the verifier sees it: clang may pass the unclamped register */
	asm volatile("%0 &= 63" : "+r"(n));
	if (n > PWRU_NOTIFY_LEN || bpf_probe_read_kernel(msg, n, (void *)meta))
		return 0;
	x.notify_len = n;
	if (skb_shown(skb, &dev))
		emit_event_ex(skb, dev, cfg_skb_output_addr, PWRU_EV_FENTRY, 0, 0, &x);
	return 0;
}

#endif
