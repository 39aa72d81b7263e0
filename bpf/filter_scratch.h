/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF glue hands to the compiled filter besides the packet's address and captured
 * length (its arguments): filters/ emits loads at these offsets, so BPF and userspace must
 * agree on the layout. Fixed-width types only.
 */
#ifndef PWRU_FILTER_SCRATCH_H
#define PWRU_FILTER_SCRATCH_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/*
 * Values the splice writes into the 64-bit immediates holding these markers
 * (filters/filter_marks.c): a marker is a register load, not a call, so clang keeps values
 * in registers around it. Left as they are (no filter spliced), they ask for everything.
 */
#define FILTER_MARK_COPY_LEN 0x70777275636f7079ULL /* "pwrucopy": bytes to copy */
#define FILTER_MARK_META     0x707772756d657461ULL /* "pwrumeta": fill the scratch's len, skb */
#define FILTER_MARK_SCRATCH  0x7077727573637274ULL /* "pwruscrt": a body reads the scratch */

/* Packet bytes copied up front; loads past them fall back to a read of their own. */
#define FILTER_PCAP_BUF 256

struct filter_pcap_scratch {
	__u64 skb;    /* the struct sk_buff, for Linux ancillary loads */
	__u32 caplen; /* bytes captured (the linear part only), as the body gets them in R3 */
	__u32 len;    /* what `len`, `greater`, `less` see */
	/*
	 * A and X pass through here on backward jumps: the verifier does not track map memory,
	 * so every loop iteration starts from the same state and its states can be pruned.
	 */
	__u32 loop_a, loop_x;
	__u8 buf[FILTER_PCAP_BUF]; /* the first min(caplen, FILTER_PCAP_BUF) bytes */
};

#endif
