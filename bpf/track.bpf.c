// SPDX-License-Identifier: GPL-2.0
/*
 * The lifetime hooks of --filter-track-skb and --filter-track-skb-by-stackid: where an skb
 * stops being itself (freed, recycled), where a followed skb begets another (clones,
 * copies, GSO segments, morphs), where its data buffer moves. Loaded by src/probe/track.c
 * on the tracing object's tables, with fexit where the kernel runs trampolines, and a
 * slab tracepoint where it runs none. These emit no events: the functions themselves
 * are traced by the tracing object like any other, and fexit runs after that trace, so
 * their own lines still show the skb as followed.
 *
 * Also here: --filter-non-skb-funcs, a kprobe on functions without an skb that emits an
 * event for the skb owning the stack it runs on, if any.
 */
/* loaded by libbpf's own handlers: the kfunc stays an extern (bpf/filter.bpf.h) */
#define PWRU_KREF_EXTERNS
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "event_fill.bpf.h"
#include "kprobe_ip.h"
#include "track.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* GSO splits 64 KiB into at most 45 full-size TCP segments; BIG TCP into more. */
#define MAX_SEGS 128

static __always_inline int gone(struct sk_buff *skb)
{
	track_gone((__u64)skb, cfg_track_stack ? track_stack_id() : 0);
	return 0;
}

static __always_inline bool is_err(__u64 p)
{
	return p >= (__u64)-4095;
}

/* A list of new skbs (segments) from a followed one. */
static __always_inline int copy_list(struct sk_buff *old, struct sk_buff *segs)
{
	__u64 key = (__u64)old;
	int i;

	if (is_err((__u64)segs) || !bpf_map_lookup_elem(&track_skbs, &key))
		return 0;
	for (i = 0; i < MAX_SEGS && segs; i++) {
		if (segs != old)
			track_add(segs);
		segs = BPF_CORE_READ(segs, next);
	}
	return 0;
}

/* Frees, and recycling that skips the free (NAPI's skb cache, GRO reusing its skb). */
SEC("fexit/kfree_skbmem")
int BPF_PROG(trk_kfree_skbmem, struct sk_buff *skb)
{
	return gone(skb);
}

SEC("fexit/kfree_skb_partial")
int BPF_PROG(trk_kfree_skb_partial, struct sk_buff *skb, bool head_stolen)
{
	return gone(skb);
}

SEC("fexit/napi_skb_cache_put")
int BPF_PROG(trk_napi_skb_cache_put, struct sk_buff *skb)
{
	return gone(skb);
}

SEC("fexit/__kfree_skb_defer")
int BPF_PROG(trk_kfree_skb_defer, struct sk_buff *skb)
{
	return gone(skb);
}

SEC("fexit/napi_skb_free_stolen_head")
int BPF_PROG(trk_napi_skb_free_stolen_head, struct sk_buff *skb)
{
	return gone(skb);
}

SEC("fexit/napi_reuse_skb")
int BPF_PROG(trk_napi_reuse_skb, void *napi, struct sk_buff *skb)
{
	return gone(skb);
}

/* Clones and copies. */
SEC("fexit/skb_clone")
int BPF_PROG(trk_skb_clone, struct sk_buff *skb, unsigned int gfp, struct sk_buff *ret)
{
	track_copy((__u64)skb, ret);
	return 0;
}

SEC("fexit/skb_copy")
int BPF_PROG(trk_skb_copy, struct sk_buff *skb, unsigned int gfp, struct sk_buff *ret)
{
	track_copy((__u64)skb, ret);
	return 0;
}

SEC("fexit/skb_copy_expand")
int BPF_PROG(trk_skb_copy_expand, struct sk_buff *skb, int headroom, int tailroom, unsigned int gfp,
	     struct sk_buff *ret)
{
	track_copy((__u64)skb, ret);
	return 0;
}

SEC("fexit/__pskb_copy_fclone")
int BPF_PROG(trk_pskb_copy_fclone, struct sk_buff *skb, int headroom, unsigned int gfp, bool fclone,
	     struct sk_buff *ret)
{
	track_copy((__u64)skb, ret);
	return 0;
}

SEC("fexit/skb_segment")
int BPF_PROG(trk_skb_segment, struct sk_buff *skb, __u64 features, struct sk_buff *segs)
{
	return copy_list(skb, segs);
}

SEC("fexit/skb_segment_list")
int BPF_PROG(trk_skb_segment_list, struct sk_buff *skb, __u64 features, unsigned int offset,
	     struct sk_buff *segs)
{
	return copy_list(skb, segs);
}

/* DST becomes a clone of SRC (IP defragmentation): it is SRC's packet now. */
SEC("fexit/skb_morph")
int BPF_PROG(trk_skb_morph, struct sk_buff *dst, struct sk_buff *src, struct sk_buff *ret)
{
	__u64 key = (__u64)src;

	track_drop((__u64)dst);
	if (bpf_map_lookup_elem(&track_skbs, &key))
		track_add(dst);
	return 0;
}

/* The data buffer moved: the followed skb keeps its address, its head is the new one. */
SEC("fexit/pskb_expand_head")
int BPF_PROG(trk_pskb_expand_head, struct sk_buff *skb, int nhead, int ntail, unsigned int gfp,
	     int ret)
{
	__u64 key = (__u64)skb;
	struct track_val *v = bpf_map_lookup_elem(&track_skbs, &key);

	if (v && !ret)
		v->head = (__u64)BPF_CORE_READ(skb, head);
	return 0;
}

/*
 * Without trampolines: the slab free of an skb's struct, whatever path freed it (args:
 * call site, object, then the cache or its name depending on the kernel). An fclone
 * pair goes in one free: the clone sits right after the original.
 */
SEC("raw_tp/kmem_cache_free")
int trk_slab_free(__u64 *ctx)
{
	__u64 obj = ctx[1];

	/* most slab frees are not skbs: only a known one ends what ran on its stack */
	if (bpf_map_lookup_elem(&track_skbs, &obj) || bpf_map_lookup_elem(&track_skb_stack, &obj))
		gone((struct sk_buff *)obj);
	track_drop(obj + bpf_core_type_size(struct sk_buff));
	return 0;
}

/*
 * A function without an skb run on a followed skb's call path: its event, for that skb. OP:
 * the map operation it makes (--output-bpfmap), NULL for others; HOLD: held until the
 * function returns.
 */
static __always_inline int non_skb(struct pt_regs *ctx, const struct bpfmap_op *op, bool hold)
{
	__u64 sid = track_stack_id(), *owner = bpf_map_lookup_elem(&track_stacks, &sid);
	struct emit_extra x = {.stack_ctx = ctx, .map = op};
	struct pending_key k;
	struct sk_buff *skb;

	if (!owner || (op && bpfmap_own(op->map)))
		return 0;
	if (hold) {
		k = (struct pending_key){pending_owner(), BPFMAP_HOLD, kprobe_frame(ctx)};
		x.stash = &k;
	}
	skb = (struct sk_buff *)*owner;
	/* a helper's caller is the BPF program that called it */
	x.caller = kprobe_caller(ARCH_KPROBE_RET_IP(ctx), ARCH_KPROBE_RET_SLOT(ctx));
	emit_event_ex(skb, BPF_CORE_READ(skb, dev), kprobe_func_ip(ctx, false), PWRU_EV_KPROBE,
		      PT_REGS_PARM2(ctx), PT_REGS_PARM3(ctx), &x);
	return 0;
}

SEC("kprobe/pwru_non_skb")
int trk_non_skb(struct pt_regs *ctx)
{
	return non_skb(ctx, NULL, false);
}

/*
 * --output-bpfmap: the map functions (first argument the struct bpf_map), kprobed instead of
 * trk_non_skb. An update shows its key and value, a delete its key; a lookup's value comes
 * with its return, until which its event is held.
 */
SEC("kprobe/pwru_map_update")
int trk_map_update(struct pt_regs *ctx)
{
	struct bpfmap_op op = {(void *)PT_REGS_PARM1(ctx), (void *)PT_REGS_PARM2(ctx),
			       (void *)PT_REGS_PARM3(ctx)};

	return non_skb(ctx, &op, false);
}

SEC("kprobe/pwru_map_delete")
int trk_map_delete(struct pt_regs *ctx)
{
	struct bpfmap_op op = {(void *)PT_REGS_PARM1(ctx), (void *)PT_REGS_PARM2(ctx), NULL};

	return non_skb(ctx, &op, false);
}

SEC("kprobe/pwru_map_lookup")
int trk_map_lookup(struct pt_regs *ctx)
{
	struct bpfmap_op op = {(void *)PT_REGS_PARM1(ctx), (void *)PT_REGS_PARM2(ctx), NULL};

	return non_skb(ctx, &op, true);
}

SEC("kretprobe/pwru_map_lookup")
int trk_map_lookup_ret(struct pt_regs *ctx)
{
	struct pending_key k = {pending_owner(), BPFMAP_HOLD, kretprobe_frame(ctx)};

	emit_bpfmap_lookup(&k, PT_REGS_RC(ctx), false);
	return 0;
}

/* A hash map's inlined lookup calls __htab_map_lookup_elem(), which returns the element. */
SEC("kretprobe/pwru_map_lookup_elem")
int trk_map_elem_ret(struct pt_regs *ctx)
{
	struct pending_key k = {pending_owner(), BPFMAP_HOLD, kretprobe_frame(ctx)};

	emit_bpfmap_lookup(&k, PT_REGS_RC(ctx), true);
	return 0;
}
