/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pcap filter as seen from a BPF program.
 *
 * The three __noinline functions below are stubs: at load time filters/ replaces their bodies
 * (found by their BTF names) with the compiled expression, and replaces every call to
 * filter_pcap_gate() with a constant, so an empty expression costs no call at all and the
 * verifier prunes the rest. Left untouched (no filter installed), every skb matches.
 *
 * Per packet the glue does, whatever the expression: the scratch lookup, the sk_buff fields
 * it needs (plain loads through bpf_rdonly_cast where the kernel has it, 6.2+; else one
 * helper copy of them). Where the kernel has bpf_rdonly_cast the filter loads the packet's
 * bytes in place; elsewhere the glue copies its first bytes (at most FILTER_PCAP_BUF), the
 * filter loads from that copy, and only loads past it read the skb again.
 */
#ifndef PWRU_FILTER_BPF_H
#define PWRU_FILTER_BPF_H

#include "filter_scratch.h"
#include "kernel_refs.h"
#include "ktype_ids.h"

enum filter_pcap_layer {
	FILTER_PCAP_AUTO = 0,
	FILTER_PCAP_L2 = 1,
	FILTER_PCAP_L3 = 2,
};

/* Room for the sk_buff bytes from ->len up to the end of ->data (about 100 on 5.10..7.x). */
#define FILTER_PCAP_META 224

struct filter_pcap_percpu {
	struct filter_pcap_scratch s;
	__u8 meta[FILTER_PCAP_META];
};

/*
 * Two copies per CPU, so that a program that interrupts another on its CPU does not write
 * the copy the other's filter is reading. The kernel never runs a kprobe or kprobe-multi
 * program inside another (one per-CPU guard, bpf_prog_active, skips the inner one): those
 * share `kprobe`. Trampoline and tracepoint programs have no such guard and run inside
 * them: they take `other`, which they share among themselves (docs/design.md, "The BPF
 * side": one of them nested in another's filter still overwrites its copy). A constant
 * offset either way: no cost per hit.
 */
struct filter_pcap_copies {
	struct filter_pcap_percpu kprobe;
	struct filter_pcap_percpu other;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct filter_pcap_copies);
} filter_pcap_scratch_map SEC(".maps");

/*
 * The copy for a program of its kind (NESTS: not a kprobe one) in C, this CPU's copies
 * (not NULL): the caller tests the lookup once, else clang tests the copy again.
 */
#define FILTER_PCAP_COPY(c, nests) ((nests) ? &(c)->other : &(c)->kprobe)

static __always_inline struct filter_pcap_copies *filter_pcap_copies(void)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&filter_pcap_scratch_map, &key);
}

/*
 * A gate (its calls become a constant at load) and a filter stub over the scratch (its body
 * replaced), by name: filters/pcap_filter.c knows them by these names. The asm keeps clang
 * from folding their results into their callers.
 */
#define FILTER_GATE(name)                                                                          \
	static __noinline bool name(void)                                                          \
	{                                                                                          \
		int on;                                                                            \
                                                                                                   \
		asm volatile("%0 = 0" : "=r"(on));                                                 \
		return on;                                                                         \
	}

#define FILTER_STUB(name)                                                                          \
	static __noinline bool name(struct filter_pcap_scratch *s, __u64 data, __u32 caplen)       \
	{                                                                                          \
		asm volatile("" : "+r"(s), "+r"(data), "+r"(caplen));                              \
		return s || data || caplen;                                                        \
	}

FILTER_GATE(filter_pcap_gate)
FILTER_STUB(filter_pcap_l2)
FILTER_STUB(filter_pcap_l3)

/* A marker of filter_scratch.h, as the value the splice gives it. */
#define FILTER_MARK(magic)                                                                         \
	({                                                                                         \
		__u64 v_;                                                                          \
		asm volatile("%0 = %1 ll" : "=r"(v_) : "i"(magic));                                \
		v_;                                                                                \
	})

/*
 * How many of the packet's first bytes the spliced bodies may load from the copy (filters/
 * knows, from their loads' offsets), so the glue copies no more, and nothing where the
 * bodies load the packet in place.
 */
static __always_inline __u32 filter_pcap_copy_len(void)
{
	__u64 n = FILTER_MARK(FILTER_MARK_COPY_LEN);

	return n > FILTER_PCAP_BUF ? FILTER_PCAP_BUF : n;
}

/*
 * Whether a spliced body reads the scratch's `len` or `skb` (`len`, `greater`, `less`, Linux
 * ancillary loads): only then does the glue read the skb's len and data and fill them in.
 */
static __always_inline bool filter_pcap_meta_gate(void)
{
	return FILTER_MARK(FILTER_MARK_META) != 0;
}

/* Whether a spliced body reads the scratch at all: else the glue does not look it up. */
static __always_inline bool filter_pcap_scratch_gate(void)
{
	return FILTER_MARK(FILTER_MARK_SCRATCH) != 0;
}

/* N captured bytes, as many of them as the copy is to hold. */
static __always_inline __u32 filter_pcap_copy_clamp(__u32 n)
{
	__u32 most = filter_pcap_copy_len();

	if (n > most)
		n = most;
	return n > FILTER_PCAP_BUF ? FILTER_PCAP_BUF : n;
}
#define FILTER_PCAP_SKB_OFF(field) bpf_core_field_offset(struct sk_buff, field)
#define FILTER_PCAP_META_AT(m, type, field)                                                        \
	(*(type *)((m) + FILTER_PCAP_SKB_OFF(field) - FILTER_PCAP_SKB_OFF(len)))

/*
 * L2 when the skb has a MAC header of its own: mac_header set and distinct from the network
 * header (devices without a link header, like tun or wireguard, set both to the same
 * offset). Otherwise L3 from the network header, if one is set: on the transmit path before
 * neigh output (ip_output, ip_finish_output2) mac_header is still unset for local traffic,
 * or still the inner frame's when the packet is a tunnel's outer one.
 */
static __always_inline int filter_pcap_pick(__u16 mac, __u16 net)
{
	/* set: neither 0 nor ~0, in one compare */
	bool net_set = (__u16)(net - 1) < (__u16)~1U;

	/*
	 * A MAC header after the network header is the inner frame of a tunnel this host
	 * is encapsulating (vxlan, geneve): the outer packet has no link header yet. Nested
	 * ifs: as one condition, clang computes every comparison as a 0/1 value and spills.
	 */
	if (mac != (__u16)~0U && mac != net) {
		if (!net_set || mac < net)
			return FILTER_PCAP_L2;
		return FILTER_PCAP_L3;
	}
	if (net_set)
		return FILTER_PCAP_L3;
	return -1;
}

/*
 * kfunc (6.2+): the skb as read-only kernel memory of its BTF type, so that its fields are
 * plain loads the JIT guards against faults, not a helper call copying them. Older kernels
 * lack it, and cfg_skb_direct (set by the loader from the kernel's BTF) keeps the verifier
 * from ever reaching the call there. In the objects loaded through the loader's section
 * hooks (the tracing object, --check-filter's), a helper no kernel has, which their
 * per-program step turns into the kfunc's call (bpf/kernel_refs.h). An object libbpf
 * loads by its own handlers (the tracking hooks: it parses the kernel's BTF for their
 * targets anyway) defines PWRU_KREF_EXTERNS and keeps the weak extern for libbpf.
 */
#ifdef PWRU_KREF_EXTERNS
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;
#else
static void *(*const bpf_rdonly_cast)(const void *obj,
				      __u32 btf_id) = (void *)PWRU_KREF_RDONLY_CAST;
#endif
const volatile bool cfg_skb_direct = false;
/* vmlinux BTF ids, by enum pwru_ktype (bpf/ktype_ids.h); 0 where the kernel lacks one */
const volatile __u32 cfg_ktype_ids[PWRU_KT_N] = {};

/* The vmlinux BTF id of what P points at; a type not listed in ktype_ids.h does not build. */
#define KERNEL_TYPE_ID(p)                                                                          \
	cfg_ktype_ids[_Generic((p), struct sk_buff *                                               \
			       : PWRU_KT_SK_BUFF, struct net_device *                              \
			       : PWRU_KT_NET_DEVICE, struct dst_entry *                            \
			       : PWRU_KT_DST_ENTRY, struct dst_metrics *                           \
			       : PWRU_KT_DST_METRICS, struct skb_shared_info *                     \
			       : PWRU_KT_SKB_SHARED_INFO)]

/* P, a kernel object's address, as read-only memory of its BTF type (needs cfg_skb_direct). */
#define KERNEL_CAST(p) ((typeof(p))bpf_rdonly_cast((p), KERNEL_TYPE_ID(p)))

/*
 * BPF_CORE_READ(P, FIELDS...), as plain loads where the kernel can cast: the pointers on the
 * way are untrusted BTF pointers too, so a chain costs no helper call. Scalar and pointer
 * fields only: arrays and packet bytes stay helper copies.
 */
#define KERNEL_READ(p, ...)                                                                        \
	(cfg_skb_direct ? ___arrow(KERNEL_CAST(p), __VA_ARGS__) : BPF_CORE_READ(p, __VA_ARGS__))

/*
 * What the glue reads of an sk_buff to find the packet: the headers' offsets, then the other
 * fields where they are used (FILTER_PCAP_FIELD), so that few values are live at once and
 * clang keeps them in registers. In place (DIRECT) from the cast skb S, else from the copy M.
 */
struct filter_pcap_view {
	struct sk_buff *s;
	__u8 *m;
	bool direct;
	__u16 mac, net;
};

#define FILTER_PCAP_FIELD(v, type, field)                                                          \
	((v)->direct ? (type)(v)->s->field : FILTER_PCAP_META_AT((v)->m, type, field))

/* The sk_buff fields from ->len to ->data, read once into PC->meta. */
static __always_inline bool filter_pcap_read_meta(struct filter_pcap_percpu *pc,
						  struct sk_buff *skb)
{
	__u32 n = FILTER_PCAP_SKB_OFF(data) + sizeof(void *) - FILTER_PCAP_SKB_OFF(len);

	if (n > FILTER_PCAP_META)
		return false;
	return !bpf_probe_read_kernel(pc->meta, n, (void *)skb + FILTER_PCAP_SKB_OFF(len));
}

/* DIRECT: cfg_skb_direct, or a constant where the caller has specialised on it. */
static __always_inline bool filter_pcap_read_view(struct filter_pcap_percpu *pc,
						  struct sk_buff *skb, struct filter_pcap_view *v,
						  bool direct)
{
	v->direct = direct;
	if (direct) {
		v->s = KERNEL_CAST(skb);
		v->mac = v->s->mac_header;
		v->net = v->s->network_header;
		return true;
	}
	if (!filter_pcap_read_meta(pc, skb))
		return false;
	v->m = pc->meta;
	v->mac = FILTER_PCAP_META_AT(v->m, __u16, mac_header);
	v->net = FILTER_PCAP_META_AT(v->m, __u16, network_header);
	return true;
}

/* Where a filter body starts: its first byte's kernel address, and the bytes captured. */
struct filter_pcap_at {
	__u64 data;
	__u32 caplen;
};

/*
 * Points AT at the packet from START (an offset from skb->head), fills the scratch PC (NULL:
 * no body reads it) and copies the packet's first bytes into it if the filter loads from the
 * copy. MISSING: bytes the capture lacks (wire length minus captured length), added to
 * `len`. PAD: bytes appended by the checker to reach a minimum size, hidden from the filter.
 */
static __always_inline bool filter_pcap_point_as(struct filter_pcap_percpu *pc, struct sk_buff *skb,
						 const struct filter_pcap_view *v, __u32 start,
						 __u32 missing, __u32 pad, bool copy,
						 struct filter_pcap_at *at)
{
	__u32 tail = FILTER_PCAP_FIELD(v, __u32, tail), len, data_off, n;
	unsigned char *head;

	if (start > tail || tail - start < pad)
		return false;
	head = FILTER_PCAP_FIELD(v, unsigned char *, head);
	at->data = (__u64)(head + start);
	at->caplen = tail - start - pad;
	if (!pc)
		return true;
	if (filter_pcap_meta_gate()) {
		data_off = FILTER_PCAP_FIELD(v, unsigned char *, data) - head;
		len = FILTER_PCAP_FIELD(v, __u32, len);
		if (len + data_off < start + pad)
			return false;
		pc->s.len = len + data_off - start - pad + missing;
		pc->s.skb = (__u64)skb;
	}
	/*
	 * Only the captured bytes the filter can load (most packets are short, and a copy
	 * costs per byte); bytes past caplen are never looked at. Read back: a 32-bit load
	 * the verifier bounds on the register it then passes.
	 */
	if (!copy)
		return true;
	pc->s.caplen = at->caplen;
	n = filter_pcap_copy_clamp(*(volatile __u32 *)&pc->s.caplen);
	return !n || !bpf_probe_read_kernel(pc->s.buf, n, head + start);
}

static __always_inline bool filter_pcap_point(struct filter_pcap_percpu *pc, struct sk_buff *skb,
					      const struct filter_pcap_view *v, __u32 start,
					      __u32 missing, __u32 pad, struct filter_pcap_at *at)
{
	return filter_pcap_point_as(pc, skb, v, start, missing, pad, true, at);
}

static __always_inline bool filter_pcap_run(struct sk_buff *skb, int layer, __u32 missing,
					    __u32 pad, bool direct, bool copy, bool nests)
{
	struct filter_pcap_percpu *pc = NULL;
	struct filter_pcap_copies *c;
	struct filter_pcap_view v;
	struct filter_pcap_at at;
	__u32 start;

	/* in place, a body that reads no len nor skb field takes its packet in registers */
	if (!direct || copy || filter_pcap_scratch_gate()) {
		c = filter_pcap_copies();
		if (!c)
			return false;
		pc = FILTER_PCAP_COPY(c, nests);
	}
	if (!filter_pcap_read_view(pc, skb, &v, direct))
		return false;
	if (layer == FILTER_PCAP_AUTO)
		layer = filter_pcap_pick(v.mac, v.net);
	if (layer == FILTER_PCAP_L2)
		start = v.mac;
	else if (layer == FILTER_PCAP_L3)
		start = v.net;
	else
		return false;
	if (!filter_pcap_point_as(pc, skb, &v, start, missing, pad, copy, &at))
		return false;
	if (layer == FILTER_PCAP_L2)
		return filter_pcap_l2(pc ? &pc->s : NULL, at.data, at.caplen);
	return filter_pcap_l3(pc ? &pc->s : NULL, at.data, at.caplen);
}

/*
 * LAYER: FILTER_PCAP_AUTO for tracing; the checker forces L3 for raw IP captures. One copy
 * of the glue per way of reading the skb and per need of a copy (the verifier keeps one):
 * a shared copy merges the two ways' loads, and clang then computes every field's address
 * up front and spills them; and values live across the copy's helper call, even one never
 * made, go to the stack.
 */
static __always_inline bool filter_pcap_skb(struct sk_buff *skb, int layer, __u32 missing,
					    __u32 pad, bool nests)
{
	if (!filter_pcap_gate())
		return true;
	if (cfg_skb_direct)
		return filter_pcap_copy_len()
			   ? filter_pcap_run(skb, layer, missing, pad, true, true, nests)
			   : filter_pcap_run(skb, layer, missing, pad, true, false, nests);
	return filter_pcap_run(skb, layer, missing, pad, false, true, nests);
}

/* NESTS: the calling program is not a kprobe one (FILTER_PCAP_COPY()). */
static __always_inline bool filter_pcap(struct sk_buff *skb, bool nests)
{
	return filter_pcap_skb(skb, FILTER_PCAP_AUTO, 0, 0, nests);
}

/*
 * The filter over LEN bytes from an Ethernet header at DATA, with no sk_buff behind them:
 * an XDP program's packet, from a trampoline (fentry on the XDP program). Linux ancillary
 * loads (which read the skb) find nothing.
 */
static __always_inline bool filter_pcap_frame(void *data, __u32 len)
{
	struct filter_pcap_copies *c;
	struct filter_pcap_percpu *pc;
	__u32 n;

	if (!filter_pcap_gate())
		return true;
	c = filter_pcap_copies();
	if (!c || !len)
		return false;
	pc = FILTER_PCAP_COPY(c, true);
	pc->s.caplen = len;
	pc->s.len = len;
	pc->s.skb = 0;
	/*
	 * A size fixed at load, not LEN: an XDP frame sits in a page with tailroom for
	 * skb_shared_info after it; bytes past caplen are never looked at.
	 */
	n = filter_pcap_copy_clamp(FILTER_PCAP_BUF);
	if (n && bpf_probe_read_kernel(pc->s.buf, n, data))
		return false;
	return filter_pcap_l2(&pc->s, (__u64)data, len);
}

#endif
