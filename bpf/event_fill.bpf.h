/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building one record (bpf/event.h) from an skb and handing it to the ring buffer. Shared
 * by the tracing programs (pwru.bpf.c) and the consumer benchmark (bench_events.bpf.c), so
 * the benchmark measures the records pwru really produces.
 */
#ifndef PWRU_EVENT_FILL_BPF_H
#define PWRU_EVENT_FILL_BPF_H

#include "event.h"
#include "tunnel.bpf.h"
#include "skb_expr.bpf.h"
#include "skb_fields.bpf.h"
#include "lost.bpf.h"

/* Set by userspace before load; the verifier sees them as constants and prunes. */
const volatile bool cfg_output_tuple = true;
const volatile bool cfg_output_meta = true;
const volatile bool cfg_output_cb = false;
const volatile bool cfg_output_tunnel = false;
const volatile bool cfg_output_skb = false; /* bpf_snprintf_btf(): 5.10 and later */
const volatile bool cfg_output_shinfo = false;
const volatile __u32 cfg_snaplen = 0; /* 0: no packet section */
const volatile bool cfg_output_stack = false;
const volatile bool cfg_output_caller = false;
/* Wake the reader once this many bytes wait; 0: the kernel's choice (every caught-up record) */
const volatile __u32 cfg_wakeup_bytes = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22); /* resized by --ringbuf-size before load */
} events SEC(".maps");

/* Records are built here, then copied out at their real length: sizes vary per packet. */
struct record_buf {
	__u8 b[PWRU_RECORD_MAX];
};

/*
 * One buffer per level a program can run at on a CPU: a task's, a softirq's that
 * interrupted it, a hard irq's that interrupted both. The kernel runs one of pwru's
 * programs inside another (nf_hook_slow's fentry copy inside a kprobe-multi program, a tc
 * program inside a tracepoint's, before 5.12 a trampoline's program inside itself): with
 * one buffer the inner record overwrote the outer's half-built one (docs/design.md).
 */
#define SCRATCH_LEVELS 3

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SCRATCH_LEVELS);
	__type(key, __u32);
	__type(value, struct record_buf);
} scratch SEC(".maps");

/* The levels of `scratch` taken on this CPU: the next program takes the next one. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} scratch_depth SEC(".maps");

/*
 * Records held from a function's entry until its exit adds the return value (fexit): the
 * entry event as it was, plus the result. The probe layer sizes the map when some function
 * wants its return value.
 */
struct pending_key {
	__u64 pid_tgid;
	__u64 func_ip;
	/*
	 * The call's frame: a trampoline's ctx (the same at entry and exit), a kprobe/kretprobe
	 * pair's stack pointer (kprobe_frame()). A call nested in another of the same function
	 * by the same task (nft's reject sending its reset through nf_hook_slow inside
	 * nf_hook_slow) holds its own.
	 */
	__u64 frame;
};

/*
 * Whose record: the task's. Every CPU's idle task is pid 0, and softirqs run on it, so two
 * CPUs receiving at once would take each other's; there the CPU tells them apart (a
 * softirq stays on its CPU from a function's entry to its exit).
 */
static __always_inline __u64 pending_owner(void)
{
	__u64 id = bpf_get_current_pid_tgid();

	return id ? id : (1ULL << 63) | bpf_get_smp_processor_id();
}

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, struct pending_key);
	__type(value, struct record_buf);
} pending SEC(".maps");

/* A fixed-size section at a constant offset; returns the offset after it. */
static __always_inline __u32 put_section(__u8 *rec, __u32 off, __u16 kind, __u16 len)
{
	struct pwru_section *s = (void *)(rec + off);

	s->kind = kind;
	s->len = len;
	s->pad = 0;
	return off + sizeof(*s) + PWRU_ALIGN8(len);
}

/*
 * The kernel stack, innermost first, read straight into the record: no stack map, so no
 * per-event lookups in userspace and no stack lost to a bucket collision. Comes first after
 * the event, at a constant offset; returns the offset after it.
 */
static __always_inline __u32 fill_stack(void *ctx, __u8 *rec, __u32 off)
{
	struct pwru_section *s = (void *)(rec + off);
	long n = bpf_get_stack(ctx, s + 1, PWRU_STACK_MAX * sizeof(__u64), 0);

	if (n <= 0)
		return off;
	n &= PWRU_STACK_MAX * sizeof(__u64) * 2 - 1;
	if (n > PWRU_STACK_MAX * sizeof(__u64))
		n = PWRU_STACK_MAX * sizeof(__u64);
	s->kind = PWRU_SEC_STACK;
	s->len = n;
	s->pad = 0;
	return off + sizeof(*s) + PWRU_ALIGN8(n);
}

/* --output-tunnel: the inner packet's tuple, when SKB carries a VXLAN or Geneve tunnel. */
static __always_inline __u32 fill_tunnel(struct sk_buff *skb, __u8 *rec, __u32 off)
{
	struct pwru_tuple *t = (void *)(rec + off + sizeof(struct pwru_section));
	struct tunnel_at in;

	if (!tunnel_inner(skb, &in))
		return off;
	__builtin_memset(t, 0, sizeof(*t));
	fill_tuple_l3(KERNEL_READ(skb, head) + in.net, t);
	return put_section(rec, off, PWRU_SEC_TUNNEL, sizeof(*t));
}

/* --output-skb-metadata: the values skb_metadata_fill() reads, spliced in at load. */
static __always_inline __u32 fill_metadata(struct sk_buff *skb, __u8 *rec, __u32 off)
{
	skb_metadata_fill(skb, (void *)(rec + off + sizeof(struct pwru_section)));
	return put_section(rec, off, PWRU_SEC_METADATA, PWRU_METADATA_LEN);
}

/*
 * --output-skb, --output-skb-shared-info: the struct as the kernel prints it from BTF. A
 * fixed-size section (its offset stays known to the verifier); an error leaves it empty.
 */
static __always_inline __u32 fill_dump(__u8 *rec, __u32 off, __u16 kind, void *ptr, __u32 type)
{
	char *str = (void *)(rec + off + sizeof(struct pwru_section));
	struct btf_ptr p = {.ptr = ptr, .type_id = type};

	long n = bpf_snprintf_btf(str, PWRU_DUMP_LEN, &p, sizeof(p), 0);

	if (n < 0) {
		str[0] = '\0';
	} else if (n >= PWRU_DUMP_LEN) { /* cut: say so where it ends */
		str[PWRU_DUMP_LEN - 5] = '\n';
		str[PWRU_DUMP_LEN - 4] = '.';
		str[PWRU_DUMP_LEN - 3] = '.';
		str[PWRU_DUMP_LEN - 2] = '.';
	}
	return put_section(rec, off, kind, PWRU_DUMP_LEN);
}

static __always_inline __u32 fill_dumps(struct sk_buff *skb, __u8 *rec, __u32 off)
{
	if (cfg_output_skb)
		off = fill_dump(rec, off, PWRU_SEC_SKB_DUMP, skb, KERNEL_TYPE_ID(skb));
	if (cfg_output_shinfo)
		off = fill_dump(rec, off, PWRU_SEC_SHINFO,
				KERNEL_READ(skb, head) + KERNEL_READ(skb, end),
				KERNEL_TYPE_ID((struct skb_shared_info *)0));
	return off;
}

/* qdisc_skb_cb: pkt_len (4), two u16, then data[20], which tc programs see as cb[0..4]. */
static __always_inline __u32 fill_cb(struct sk_buff *skb, __u8 *rec, __u32 off)
{
	__u32 next = put_section(rec, off, PWRU_SEC_CB, 20);

	bpf_probe_read_kernel(rec + off + sizeof(struct pwru_section), 20, skb->cb + 8);
	return next;
}

/* Where the bytes start: the MAC header of an Ethernet device, else the network header. */
static __always_inline int packet_start(struct sk_buff *skb, struct net_device *dev, __u16 *start)
{
	__u16 mac = KERNEL_READ(skb, mac_header), nh = KERNEL_READ(skb, network_header);
	__u16 type = dev ? KERNEL_READ(dev, type) : 0;

	if (mac != HDR_UNSET && mac < nh && (type == ARPHRD_ETHER || type == ARPHRD_LOOPBACK)) {
		*start = mac;
		return PWRU_LINK_ETH;
	}
	if (nh && nh != HDR_UNSET) {
		*start = nh;
		return PWRU_LINK_RAW;
	}
	return 0;
}

/*
 * The packet section, always last (its length varies): up to the snap length of the AVAIL
 * bytes readable at START, of a packet ORIG bytes long from there. Returns the record's
 * new length.
 */
static __always_inline __u32 fill_packet_bytes(__u8 *rec, __u32 off, void *start, __u32 avail,
					       __u32 orig, int link)
{
	struct pwru_section *s = (void *)(rec + off);
	struct pwru_packet *p = (void *)(s + 1);
	__u64 cap = avail;

	if (cap > cfg_snaplen)
		cap = cfg_snaplen;
	if (cap > PWRU_SNAPLEN_MAX)
		cap = PWRU_SNAPLEN_MAX;
	/* clang may hand the helper the unclamped register: bound it where the verifier sees */
	asm volatile("%0 &= %1" : "+r"(cap) : "i"(PWRU_SNAPLEN_MASK));
	if (bpf_probe_read_kernel(p + 1, cap, start))
		return off;
	s->kind = PWRU_SEC_PACKET;
	s->len = sizeof(*p) + cap;
	s->pad = 0;
	p->orig_len = orig;
	p->cap_len = cap;
	p->link = link;
	p->pad = 0;
	return off + sizeof(*s) + sizeof(*p) + cap;
}

static __always_inline __u32 fill_packet(struct sk_buff *skb, struct net_device *dev, __u8 *rec,
					 __u32 off)
{
	unsigned char *head = KERNEL_READ(skb, head);
	__u32 tail = KERNEL_READ(skb, tail), len = KERNEL_READ(skb, len);
	__u32 data_off = KERNEL_READ(skb, data) - head;
	__u16 start = 0;
	int link = packet_start(skb, dev, &start);

	if (!link || tail <= start)
		return off;
	/* skb->len counts from skb->data; the capture starts at START. */
	return fill_packet_bytes(rec, off, head + start, tail - start, len + data_off - start,
				 link);
}

static __always_inline void count_lost(void)
{
	count_lost_as(PWRU_LOST_RING);
}

static __always_inline __u64 wakeup_flags(void)
{
	if (!cfg_wakeup_bytes)
		return 0;
	/* Batched: the reader also polls on a short timeout, so nothing waits for long. */
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wakeup_bytes
		   ? BPF_RB_FORCE_WAKEUP
		   : BPF_RB_NO_WAKEUP;
}

/*
 * What some producers add: fexit's return value; with --output-caller or --output-stack the
 * return address into the hooked function's caller (0: unknown); with --output-stack the
 * program's context to read the stack from (NULL: none); a tc or XDP
 * program's redirect target; the start of a bpf_skb_event_output() message.
 */
struct emit_extra {
	__u64 retval;
	__u64 caller;
	void *stack_ctx;
	bool has_retval;
	const struct pending_key *stash; /* held in `pending` under this key, not queued */
	const struct pwru_redirect *redirect;
	const __u8 *notify; /* PWRU_NOTIFY_LEN bytes, notify_len of them meaningful */
	__u32 notify_len;
	const struct pwru_nft *nft;
	const struct bpfmap_op *map; /* --output-bpfmap: the map operation, last in the record */
};

static __always_inline __u32 fill_u64_section(__u8 *rec, __u32 off, __u16 kind, __u64 v)
{
	__u32 next = put_section(rec, off, kind, sizeof(v));

	*(__u64 *)(rec + off + sizeof(struct pwru_section)) = v;
	return next;
}

/* X's caller, when known: before the stack, fixed offsets first (bpf/event.h). */
static __always_inline __u32 fill_caller(__u8 *rec, __u32 size, const struct emit_extra *x)
{
	if ((cfg_output_caller || cfg_output_stack) && x && x->caller)
		size = fill_u64_section(rec, size, PWRU_SEC_CALLER, x->caller);
	return size;
}

/* X's return value, redirect, notification and nft sections; returns the offset after them. */
static __always_inline __u32 fill_extra(__u8 *rec, __u32 size, const struct emit_extra *x)
{
	__u32 n;

	if (x && x->has_retval)
		size = fill_u64_section(rec, size, PWRU_SEC_RETVAL, x->retval);
	if (x && x->redirect) {
		n = put_section(rec, size, PWRU_SEC_REDIRECT, sizeof(*x->redirect));
		__builtin_memcpy(rec + size + sizeof(struct pwru_section), x->redirect,
				 sizeof(*x->redirect));
		size = n;
	}
	if (x && x->notify) {
		n = put_section(rec, size, PWRU_SEC_NOTIFY,
				x->notify_len < PWRU_NOTIFY_LEN ? x->notify_len : PWRU_NOTIFY_LEN);
		__builtin_memcpy(rec + size + sizeof(struct pwru_section), x->notify,
				 PWRU_NOTIFY_LEN);
		size = n;
	}
	if (x && x->nft) {
		n = put_section(rec, size, PWRU_SEC_NFT, sizeof(*x->nft));
		__builtin_memcpy(rec + size + sizeof(struct pwru_section), x->nft, sizeof(*x->nft));
		size = n;
	}
	return size;
}

/* The fixed part every record starts with: who, when, where. */
static __always_inline void fill_header(struct pwru_event *ev, __u64 skb, __u64 addr, __u8 type,
					__u64 arg2, __u64 arg3)
{
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->skb = skb;
	ev->addr = addr;
	ev->ts = bpf_ktime_get_ns();
	ev->arg2 = arg2;
	ev->arg3 = arg3;
	ev->pid = bpf_get_current_pid_tgid() >> 32;
	ev->cpu = bpf_get_smp_processor_id();
	ev->type = type;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
}

/* Queues the record of SIZE bytes built in BUF; counts it lost when the ring is full. */
static __always_inline void emit_record(struct record_buf *buf, __u32 size)
{
	if (size > sizeof(buf->b))
		return;
	((struct pwru_event *)buf->b)->size = size;
	if (bpf_ringbuf_output(&events, buf, size, wakeup_flags()))
		count_lost();
}

#include "bpfmap.bpf.h"

/*
 * This CPU's next free level of `scratch`, taken (*DEPTH: the count scratch_put() gives it
 * back to); NULL when every level is taken, the event counted lost to nesting. A plain increment
 * suffices: a program that interrupts another on its CPU ends before the one it
 * interrupted resumes, so levels are taken and given back last in, first out.
 */
static __always_inline struct record_buf *scratch_get(__u32 **depth)
{
	__u32 zero = 0, level;
	struct record_buf *buf;

	*depth = bpf_map_lookup_elem(&scratch_depth, &zero);
	if (!*depth)
		return NULL;
	level = **depth;
	if (level >= SCRATCH_LEVELS) {
		count_lost_as(PWRU_LOST_NESTED);
		return NULL;
	}
	buf = bpf_map_lookup_elem(&scratch, &level);
	if (buf)
		**depth = level + 1;
	return buf;
}

static __always_inline void scratch_put(__u32 *depth)
{
	*depth -= 1;
}

/* emit_event_ex()'s record, built in BUF, which the caller gives back however this returns. */
static __always_inline void emit_into(struct record_buf *buf, struct sk_buff *skb,
				      struct net_device *dev, __u64 addr, __u8 type, __u64 arg2,
				      __u64 arg3, const struct emit_extra *x)
{
	__u32 size = sizeof(struct pwru_event);
	struct pwru_event *ev = (void *)buf->b;

	fill_header(ev, (__u64)skb, addr, type, arg2, arg3);
	if (cfg_output_meta)
		fill_meta(skb, dev, ev);
	if (cfg_output_tuple)
		fill_tuple(skb, &ev->tuple);
	size = fill_caller(buf->b, size, x);
	/* without a caller from the entry point (fentry), it is the stack's second frame */
	if (x && x->stack_ctx && (cfg_output_stack || (cfg_output_caller && !x->caller)))
		size = fill_stack(x->stack_ctx, buf->b, size);
	if (cfg_output_cb)
		size = fill_cb(skb, buf->b, size);
	if (cfg_output_tunnel)
		size = fill_tunnel(skb, buf->b, size);
	if (skb_metadata_gate())
		size = fill_metadata(skb, buf->b, size);
	size = fill_dumps(skb, buf->b, size);
	size = fill_extra(buf->b, size, x);
	if (cfg_snaplen)
		size = fill_packet(skb, dev, buf->b, size);
	if (x && x->map)
		size = fill_bpfmap(buf->b, size, x->map);
	if (x && x->stash) {
		if (size > sizeof(buf->b))
			return;
		ev->size = size;
		bpf_map_update_elem(&pending, x->stash, buf, BPF_ANY);
		return;
	}
	emit_record(buf, size);
}

/*
 * Builds the record for SKB at function ADDR and queues it. ARG2/ARG3 are the function's
 * second and third arguments (drop reasons), TYPE an enum pwru_event_type, X NULL or what
 * the producer adds (a constant NULL is pruned).
 */
static __always_inline void emit_event_ex(struct sk_buff *skb, struct net_device *dev, __u64 addr,
					  __u8 type, __u64 arg2, __u64 arg3,
					  const struct emit_extra *x)
{
	__u32 *depth;
	struct record_buf *buf = scratch_get(&depth);

	if (!buf)
		return;
	emit_into(buf, skb, dev, addr, type, arg2, arg3, x);
	scratch_put(depth);
}

/*
 * nf_hook_slow()'s hook and family, read at its entry: its verdict is named with them at
 * the exit (src/output/enrich.c). The devices let the exit, which reads the word again,
 * tell its own call's held event from an earlier call's (emit_pending()).
 */
static __always_inline __u64 nf_state_word(struct nf_hook_state *st)
{
	return PWRU_NF_WORD(BPF_CORE_READ(st, pf), BPF_CORE_READ(st, hook)) |
	       PWRU_NF_DEVS(BPF_CORE_READ(st, in, ifindex), BPF_CORE_READ(st, out, ifindex));
}

/*
 * What an exit knows of its own call, to tell the event its entry held from one an earlier
 * call left under the same key. The kernel skips a trampoline's entry and exit programs
 * apart (each has its own recursion guard, held while a task is preempted inside it), so
 * an exit can run whose entry did not, at the stack depth where an earlier call of the
 * same task left an event its skipped exit never took: that event would go out with this
 * call's verdict. NULL: nothing to check (a kretprobe, which the kernel skips whenever it
 * skipped its kprobe).
 */
struct held_call {
	__u64 skb;
	__u64 arg2;
	/* arg2 is nf_hook_slow()'s state: compared as nf_state_word() reads it, if need be */
	bool nf_state;
};

static __always_inline bool held_is_own(const struct pwru_event *ev, const struct held_call *call)
{
	if (!call)
		return true;
	if (ev->skb != call->skb)
		return false;
	if (call->nf_state)
		return ev->arg2 == nf_state_word((struct nf_hook_state *)call->arg2);
	return ev->arg2 == call->arg2;
}

#define PWRU_EBUSY 16

/*
 * The record held under K, with RETVAL added, queued; nothing when none is held or it is
 * an earlier call's (CALL), which is dropped: the kernel counted both skipped programs.
 * Copied out before it leaves `pending`, and sent only if it was still there: an LRU
 * eviction on its CPU unlinks a record and writes another event into it at once. True when
 * this call took it out of `pending`.
 */
static __always_inline bool emit_pending(const struct pending_key *k, __u64 retval,
					 const struct held_call *call)
{
	struct record_buf *held = bpf_map_lookup_elem(&pending, k), *buf = NULL;
	struct pwru_event *ev;
	__u32 *depth, size;
	long err;

	if (!held)
		return false;
	ev = (void *)held->b;
	size = ev->size;
	if (held_is_own(ev, call) &&
	    size <= sizeof(buf->b) - sizeof(struct pwru_section) - sizeof(__u64))
		buf = scratch_get(&depth);
	if (buf && bpf_probe_read_kernel(buf->b, size, held->b)) {
		scratch_put(depth);
		buf = NULL;
	}
	err = bpf_map_delete_elem(&pending, k);
	if (!buf)
		return err == 0;
	/* -EBUSY: not taken out (a program this one interrupted holds the bucket), still whole */
	if (err == 0 || err == -PWRU_EBUSY)
		emit_record(buf, fill_u64_section(buf->b, size, PWRU_SEC_RETVAL, retval));
	else
		count_lost();
	scratch_put(depth);
	return err == 0;
}

static __always_inline void emit_event(struct sk_buff *skb, struct net_device *dev, __u64 addr,
				       __u8 type, __u64 arg2, __u64 arg3)
{
	emit_event_ex(skb, dev, addr, type, arg2, arg3, NULL);
}

#endif
