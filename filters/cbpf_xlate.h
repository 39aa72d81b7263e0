/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classic BPF (as libpcap emits it) -> eBPF body of a filter stub.
 *
 * The generated code is the whole body of a static BPF subprogram called with R1 = a
 * struct filter_pcap_scratch * (bpf/filter_scratch.h), R2 = the kernel address of the
 * packet's first byte, R3 = the captured length, and returns 0 or 1 in R0. A body that
 * does not need the scratch (ebpf_code.needs_scratch) may be called with R1 = 0.
 */
#ifndef PWRU_CBPF_XLATE_H
#define PWRU_CBPF_XLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>
#include <linux/filter.h>

enum cbpf_xlate_mode {
	/* packet loads read the scratch copy; only loads past it call a helper */
	CBPF_XLATE_BLOCK = 0,
	/* every packet load calls bpf_probe_read_kernel (pwru's method): the bench baseline */
	CBPF_XLATE_PER_LOAD = 1,
	/*
	 * packet loads read the kernel in place through the kfunc bpf_rdonly_cast (6.2+), so
	 * the glue copies nothing: each load casts its own address (the verifier wants a
	 * constant offset into the cast type) and the JIT guards it against faults
	 */
	CBPF_XLATE_DIRECT = 2,
};

/* What CBPF_XLATE_DIRECT's loads call, as ids in the running kernel's vmlinux BTF. */
struct cbpf_cast {
	int32_t kfunc; /* FUNC bpf_rdonly_cast */
	int32_t type;  /* a STRUCT whose first member spans at least 4 bytes of integers */
	/*
	 * 0, or a STRUCT of no size but a trailing array of integers (bpf_raw_tracepoint_args):
	 * the verifier takes a load of any size at any constant offset from it, so one cast of
	 * the packet's address serves every load at a fixed offset (the "window")
	 */
	int32_t window;
};

/* Where the kernel keeps what Linux ancillary loads (SKF_AD_*) read; from vmlinux BTF. */
struct skb_layout {
	int32_t pkt_type_byte; /* byte offset of the byte holding the pkt_type bitfield */
	uint8_t pkt_type_shift;
	int32_t dev;	  /* sk_buff.dev */
	int32_t ifindex;  /* net_device.ifindex */
	int32_t protocol; /* sk_buff.protocol */
	int32_t mark;	  /* sk_buff.mark */
	int32_t skb_iif;  /* sk_buff.skb_iif: 0 until a device's receive path sets it */
};

/* Backward jumps (protochain) are taken at most this many times per packet; then no match. */
#define CBPF_XLATE_LOOP_BOUND 32

struct ebpf_code {
	struct bpf_insn *insns;
	size_t cnt;
	/* the bytes from the packet's start its loads may take from the scratch's copy */
	uint32_t copy_len;
	/* it reads the scratch's len or skb (FILTER_MARK_META) */
	bool reads_meta;
	/* it reads the scratch at all (FILTER_MARK_SCRATCH): all but in-place window bodies */
	bool needs_scratch;
};

/* True when PROG has a load that needs struct skb_layout. */
int cbpf_needs_skb_layout(const struct sock_filter *prog, size_t n);

/*
 * Translates PROG. LAYOUT may be NULL when cbpf_needs_skb_layout() is false; CAST is used
 * (and needed) only by CBPF_XLATE_DIRECT. Returns 0, or -EINVAL with a message in ERR for
 * programs it cannot run (unknown opcodes or ancillary loads, jumps out of range).
 */
int cbpf_xlate(const struct sock_filter *prog, size_t n, enum cbpf_xlate_mode mode,
	       const struct skb_layout *layout, const struct cbpf_cast *cast, struct ebpf_code *out,
	       char *err, size_t errlen);

/* The body of a filter that never matches. */
int cbpf_xlate_reject_all(struct ebpf_code *out);

void ebpf_code_free(struct ebpf_code *c);

#endif
