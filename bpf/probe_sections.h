/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SEC() names of the entry points, shared with the backend table (src/probe/) so that
 * the loader hooks the filter splice onto exactly the sections the programs live in.
 */
#ifndef PWRU_PROBE_SECTIONS_H
#define PWRU_PROBE_SECTIONS_H

#define PWRU_SEC_KPROBE_MULTI "kprobe.multi"
#define PWRU_SEC_KPROBE	      "kprobe"
#define PWRU_SEC_KRETPROBE    "kretprobe"
/* kprobe_skb_N and kprobe_multi_skb_N exist for N up to this (registers both ISAs have). */
#define PWRU_KPROBE_POSITIONS 6
/* Templates: cloned per function (src/probe/clone.c), never loaded as written. */
#define PWRU_SEC_FENTRY "fentry"
#define PWRU_SEC_FEXIT	"fexit"
/* One program for many functions through Linux 7.2's tracing-multi link. */
#define PWRU_SEC_FENTRY_MULTI "fentry.multi"
/* Templates too, cloned per tracepoint: typed (tp_btf) where the kernel allows, else raw. */
#define PWRU_SEC_TP_BTF "tp_btf"
#define PWRU_SEC_RAW_TP "raw_tp"
/* Templates cloned once per traced tc or XDP program (src/probe/progtrace.c). */
#define PWRU_SEC_PROG_ENTRY "fentry.prog"
#define PWRU_SEC_PROG_EXIT  "fexit.prog"
/* Where Cilium hands its drop notifications to the kernel, for a tc program. */
#define PWRU_SEC_SKB_OUTPUT "fentry/bpf_skb_event_output"
#define PWRU_SEC_NFT_ENTRY  "fentry/nft_do_chain"
#define PWRU_SEC_NFT_EXIT   "fexit/nft_do_chain"

#endif
