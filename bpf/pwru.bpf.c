// SPDX-License-Identifier: GPL-2.0
/*
 * One handler for every hook: handle_skb() takes what any attach type can give (the skb,
 * the hooked function's address, two argument words) and knows nothing of pt_regs. Each
 * backend's entry points are thin wrappers in its own bpf/entry_*.h, included at the end.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "event_fill.bpf.h"
#include "kprobe_ip.h"
#include "filter_tunnel.bpf.h"
#include "track.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by userspace before load; the verifier sees them as constants and prunes. */
const volatile __u32 cfg_netns = 0;
const volatile __u32 cfg_mark = 0;
const volatile __u32 cfg_mark_mask = 0; /* 0: no mark filter */
const volatile __u32 cfg_ifindex = 0;

/* The cheap tests, done before the pcap filter touches packet bytes. */
static __always_inline bool filter_meta_at(__u32 netns, struct net_device *dev, __u32 mark)
{
	if (cfg_netns && netns != cfg_netns)
		return false;
	if (cfg_mark_mask && (mark & cfg_mark_mask) != cfg_mark)
		return false;
	if (cfg_ifindex && (!dev || BPF_CORE_READ(dev, ifindex) != cfg_ifindex))
		return false;
	return true;
}

static __always_inline bool filter_meta(struct sk_buff *skb, struct net_device *dev)
{
	return filter_meta_at(cfg_netns ? skb_netns(skb, dev) : 0, dev,
			      cfg_mark_mask ? BPF_CORE_READ(skb, mark) : 0);
}

/* A packet known by its device only: XDP's, which has no sk_buff and no mark. */
static __always_inline bool filter_meta_dev(struct net_device *dev)
{
	return filter_meta_at(cfg_netns && dev ? BPF_CORE_READ(dev, nd_net.net, ns.inum) : 0, dev,
			      0);
}

/* What an entry point knows about the hook that fired. */
struct hit {
	__u64 func_ip; /* address of the hooked function, as kallsyms names it */
	/*
	 * kprobes: func_ip is left 0 and asked of the kernel (a helper call) only for a
	 * packet that is shown; 1: kprobe, 2: kprobe-multi. Constant per entry point.
	 */
	__u8 kprobe;
	__u64 arg2; /* second and third argument: drop reasons live there */
	__u64 arg3;
	/*
	 * The return address into the caller, when the architecture keeps it in a register
	 * (arm64), else where it is stored (x86-64: the stack's top), read only for events that
	 * pass the filters, with --output-caller. Both plain loads in the entry point; 0: unknown.
	 */
	__u64 ret_ip;
	__u64 ret_slot;
	__u8 type;  /* enum pwru_event_type */
	__u8 stash; /* hold the event until the function returns (fexit adds the result) */
};

/* How an entry point's function is known to skb_shown(), which rarely needs it. */
enum hit_ip {
	HIT_IP_GIVEN,	     /* its IP argument: a per-copy constant, or 0 for no function */
	HIT_IP_KPROBE,	     /* asked of the kprobe (a helper call) */
	HIT_IP_KPROBE_MULTI, /* the same, kprobe-multi */
	HIT_IP_TRACING,	     /* bpf_get_func_ip() of a tracing program */
};

static __always_inline __u64 hit_func_ip(void *ctx, enum hit_ip how, __u64 ip)
{
	if (how == HIT_IP_KPROBE || how == HIT_IP_KPROBE_MULTI)
		return kprobe_func_ip(ctx, how == HIT_IP_KPROBE_MULTI);
	if (how == HIT_IP_TRACING)
		return bpf_get_func_ip(ctx);
	return ip;
}

/*
 * Whether SKB is shown: a packet followed (--filter-track-skb) whatever its headers
 * became, else one passing the filters. *DEV: its device, for the event. CTX, IP_HOW and
 * IP: the hooked function, asked for only when the skb is on a followed one's stack.
 */
static __always_inline bool skb_shown_at(struct sk_buff *skb, struct net_device **dev, void *ctx,
					 enum hit_ip ip_how, __u64 ip)
{
	/* the kernel never runs a kprobe program inside another: FILTER_PCAP_COPY() */
	bool nests = ip_how != HIT_IP_KPROBE && ip_how != HIT_IP_KPROBE_MULTI;
	__u64 sid;
	int how;

	if (!skb)
		return false;
	/*
	 * Most hits are rejected: the device (a helper call) is read before the filters only
	 * when they look at it, else once the packet is shown.
	 */
	*dev = NULL;
	if (cfg_netns || cfg_ifindex)
		*dev = BPF_CORE_READ(skb, dev);
	sid = cfg_track_stack ? track_stack_id() : 0;
	how = track_lookup(skb, sid);
	if (how == TRACK_BY_STACK &&
	    track_stack_freed((__u64)skb, sid, hit_func_ip(ctx, ip_how, ip)))
		how = TRACK_NONE;
	if (how == TRACK_NONE && (!filter_meta(skb, *dev) || !filter_skb(skb) ||
				  !filter_pcap(skb, nests) || !filter_tunnel(skb, nests)))
		return false;
	if (!cfg_netns && !cfg_ifindex)
		*dev = BPF_CORE_READ(skb, dev);
	track_shown(skb, sid, how);
	return true;
}

/* The same, for hooks where no skb is freed (tc and XDP programs, nft_do_chain). */
static __always_inline bool skb_shown(struct sk_buff *skb, struct net_device **dev)
{
	return skb_shown_at(skb, dev, NULL, HIT_IP_GIVEN, 0);
}

/*
 * A count of the events entry points hold for handle_ret() (nf_hook_slow's fentry copy or
 * holding kprobe): while it is 0, and most packets are rejected at the entry, an exit has
 * nothing to look up in `pending`. Never below the true count: raised before an event is
 * held, lowered only by the exit that took one out. An event not held after all, replaced
 * under its key or evicted leaves it high: the exits then look up as they always did (a
 * cost, never a lost verdict). One for every CPU: another CPU's held event, or a nested
 * call's, makes an exit look up, and a task moved to another CPU between its entry and
 * exit still sees its own.
 */
__u64 ret_held = 0;

/*
 * The event of SKB, shown (skb_shown() said so; DEV its device). Entry points whose hook
 * gives more than the skb call skb_shown() first and read the rest only for a packet
 * shown: most hits are rejected, and clang does not move reads of the context below the
 * filter's call. KFRAME: a holding kprobe's frame (kprobe_frame()); a trampoline's is its
 * ctx.
 */
static __always_inline int handle_shown_at(void *ctx, struct sk_buff *skb, struct net_device *dev,
					   const struct hit *h, __u64 kframe)
{
	struct emit_extra x = {0};
	struct pending_key k;
	__u64 func_ip = h->func_ip;

	if (h->kprobe)
		func_ip = kprobe_func_ip(ctx, h->kprobe == 2);
	x.caller = kprobe_caller(h->ret_ip, h->ret_slot);
	x.stack_ctx = ctx;
	if (h->stash) {
		__sync_fetch_and_add(&ret_held, 1);
		k = (struct pending_key){pending_owner(), func_ip, h->kprobe ? kframe : (__u64)ctx};
		x.stash = &k;
	}
	emit_event_ex(skb, dev, func_ip, h->type, h->arg2, h->arg3, &x);
	return 0;
}

/*
 * The same for entry points that never hold an event at a kprobe. Only the holding kprobes
 * read their frame: fentry_multi_skb_N's h is no constant (helpers write into it), and a
 * frame read here for h->kprobe would cost those programs code.
 */
static __always_inline int handle_shown(void *ctx, struct sk_buff *skb, struct net_device *dev,
					const struct hit *h)
{
	return handle_shown_at(ctx, skb, dev, h, 0);
}

static __always_inline int handle_skb(void *ctx, struct sk_buff *skb, const struct hit *h)
{
	struct net_device *dev;

	if (!skb_shown(skb, &dev))
		return 0;
	return handle_shown(ctx, skb, dev, h);
}

/*
 * Whether a function's exit may find its entry's event: not while none is held anywhere.
 * Asked first, before the exit reads anything for handle_ret() (a helper's call is not
 * moved below the test by clang).
 */
static __always_inline bool ret_maybe_held(void)
{
	return ret_held != 0;
}

/*
 * At a function's exit, ret_maybe_held(): the event its entry held, with the return value
 * RET; CALL what the exit sees of its call (emit_pending()).
 */
static __always_inline int handle_ret(void *ctx, __u64 func_ip, __u64 ret, __u64 frame,
				      const struct held_call *call)
{
	struct pending_key k = {pending_owner(), func_ip, frame};

	if (emit_pending(&k, ret, call))
		__sync_fetch_and_add(&ret_held, -1);
	return 0;
}

#include "entry_kprobe.h"
#include "entry_fentry.h"
#include "entry_tp.h"
#include "entry_prog.h"
#include "entry_nft.h"
