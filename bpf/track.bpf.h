/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Following a packet once it matched (--filter-track-skb, --filter-track-skb-by-stackid):
 * the tables, shared by the tracing programs (pwru.bpf.c) and the lifetime hooks
 * (track.bpf.c), which userspace loads as a second object on the same maps.
 *
 * By address: an skb that matched is followed until it is freed. Its data buffer (head)
 * is kept with it: a slab reuses a freed address for the next packet at once, and a
 * free path without a hook (the NAPI skb cache, a stolen head) would otherwise let the
 * new packet pass for the old one. A head that moves (pskb_expand_head) is announced by
 * its hook, which records the new one.
 *
 * By stack: the stack an skb was last seen on (the task's, or the CPU's interrupt
 * stack) maps to that skb until an skb is freed there, so a new skb built on the same
 * call path (XDP to skb, veth XDP) and functions without an skb run on it are shown.
 * A free there of another skb ends that too, but is not shown for it: the stack's owner
 * is done with the call path, and the freed skb was never on it (another CPU's deferred
 * frees, flushed there).
 */
#ifndef PWRU_TRACK_BPF_H
#define PWRU_TRACK_BPF_H

#include "arch.h"

/* Set by userspace before load; constants to the verifier, which prunes what is off. */
const volatile bool cfg_track_skb = false;
const volatile bool cfg_track_stack = false;

struct track_val {
	__u64 head; /* skb->head when last seen; 0 while a hook says it is moving */
};

/* max_entries: --filter-track-size, set before load (1 when tracking is off). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, struct track_val);
} track_skbs SEC(".maps");

/* stack id -> skb, and skb -> stack id to undo it when the skb goes. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, __u64);
} track_stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, __u64);
} track_skb_stack SEC(".maps");

enum track_stat {
	TRACK_FULL = 0, /* an skb that could not be followed: its table was full */
	TRACK_NSTATS,
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TRACK_NSTATS);
	__type(key, __u32);
	__type(value, __u64);
} track_stats SEC(".maps");

#define TRACK_IRQ_STACK (1ULL << 40)

/*
 * The functions whose end the lifetime hooks take for an skb's (track.bpf.c: kfree_skbmem,
 * ...), by address; 0 for one this kernel lacks. Set by userspace before load.
 */
#define TRACK_NFREE 6
const volatile __u64 cfg_track_free_ip[TRACK_NFREE] = {};

enum track_how {
	TRACK_NONE = 0, /* not followed: the filters decide */
	TRACK_BY_ADDR,	/* a packet that matched earlier */
	TRACK_BY_STACK, /* on the call path of one */
};

static __always_inline void track_count(__u32 stat)
{
	__u64 *n = bpf_map_lookup_elem(&track_stats, &stat);

	if (n)
		*n += 1;
}

/* Only a full table fails an update of a preallocated hash: count it, never hide it. */
static __always_inline void track_put(void *map, __u64 key, void *val)
{
	if (bpf_map_update_elem(map, &key, val, BPF_ANY))
		track_count(TRACK_FULL);
}

/*
 * Which stack the program runs on: the current task's, or else the CPU's interrupt
 * stack. A JITed program's frame lives on the kernel stack it runs on, so the frame
 * pointer says which; read through a helper, it is a plain number to the verifier.
 */
static __always_inline __u64 track_stack_id(void)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u64 base = (__u64)BPF_CORE_READ(task, stack), fp, sp = 0;

	asm volatile("%0 = r10" : "=r"(fp));
	bpf_probe_read_kernel(&sp, sizeof(sp), &fp);

	if (sp - base < ARCH_THREAD_SIZE)
		return base;
	/* below any kernel address: cannot be taken for a task's stack */
	return TRACK_IRQ_STACK | bpf_get_smp_processor_id();
}

static __always_inline void track_add(struct sk_buff *skb)
{
	struct track_val v = {.head = (__u64)BPF_CORE_READ(skb, head)};

	track_put(&track_skbs, (__u64)skb, &v);
}

static __always_inline void track_drop(__u64 skb)
{
	__u64 *sid;

	bpf_map_delete_elem(&track_skbs, &skb);
	if (!cfg_track_stack)
		return;
	sid = bpf_map_lookup_elem(&track_skb_stack, &skb);
	if (!sid)
		return;
	__u64 *owner = bpf_map_lookup_elem(&track_stacks, sid);

	if (owner && *owner == skb)
		bpf_map_delete_elem(&track_stacks, sid);
	bpf_map_delete_elem(&track_skb_stack, &skb);
}

/* SKB was seen followed or matching, on stack SID: it owns that stack from now on. */
static __always_inline void track_own_stack(__u64 skb, __u64 sid)
{
	__u64 *old = bpf_map_lookup_elem(&track_skb_stack, &skb), *owner;

	/* the stack it leaves may have another owner since */
	owner = old && *old != sid ? bpf_map_lookup_elem(&track_stacks, old) : NULL;
	if (owner && *owner == skb)
		bpf_map_delete_elem(&track_stacks, old);
	track_put(&track_stacks, sid, &skb);
	track_put(&track_skb_stack, skb, &sid);
}

/* Is SKB followed by address? A different head at its address is another packet. */
static __always_inline bool track_by_addr(struct sk_buff *skb)
{
	__u64 key = (__u64)skb, head;
	struct track_val *v = bpf_map_lookup_elem(&track_skbs, &key);

	if (!v)
		return false;
	head = (__u64)BPF_CORE_READ(skb, head);
	if (v->head == head)
		return true;
	if (!v->head) {
		v->head = head;
		return true;
	}
	track_drop(key);
	return false;
}

/* Before the filters: is SKB, seen on stack SID, to be shown whatever it looks like? */
static __always_inline int track_lookup(struct sk_buff *skb, __u64 sid)
{
	if (cfg_track_skb && track_by_addr(skb))
		return TRACK_BY_ADDR;
	if (cfg_track_stack && bpf_map_lookup_elem(&track_stacks, &sid))
		return TRACK_BY_STACK;
	return TRACK_NONE;
}

/*
 * SKB, matched by stack SID alone, is at FUNC_IP: is it another skb than the stack's owner,
 * being freed? Then the call path is over, as the lifetime hook at the free's exit would
 * say, and the free is not the owner's to show.
 */
static __always_inline bool track_stack_freed(__u64 skb, __u64 sid, __u64 func_ip)
{
	__u64 *owner = bpf_map_lookup_elem(&track_stacks, &sid);
	int i;

	if (!owner || *owner == skb || !func_ip)
		return false;
	for (i = 0; i < TRACK_NFREE; i++) {
		if (cfg_track_free_ip[i] == func_ip) {
			bpf_map_delete_elem(&track_stacks, &sid);
			return true;
		}
	}
	return false;
}

/* After the decision to show SKB, reached as HOW: what to remember of it. */
static __always_inline void track_shown(struct sk_buff *skb, __u64 sid, int how)
{
	if (cfg_track_skb && how == TRACK_NONE)
		track_add(skb);
	if (cfg_track_stack && how != TRACK_BY_STACK)
		track_own_stack((__u64)skb, sid);
}

/* SKB is gone (freed, or its struct reused for another packet). */
static __always_inline void track_gone(__u64 skb, __u64 sid)
{
	track_drop(skb);
	/* whatever ran on this stack is over: the next skb here starts afresh */
	if (cfg_track_stack)
		bpf_map_delete_elem(&track_stacks, &sid);
}

/* NEW is a clone or copy of OLD: followed if OLD is. */
static __always_inline void track_copy(__u64 old, struct sk_buff *new)
{
	if (new &&bpf_map_lookup_elem(&track_skbs, &old))
		track_add(new);
}

#endif
