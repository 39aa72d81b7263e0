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

/*
 * Which entry points an object holds. pwru.bpf.o holds them all (the tests load it); the
 * Makefile also builds an object for a backend whose runs can load far fewer
 * (build/pwru-NAME.bpf.o, with -DPWRU_ENTRIES_CHOSEN and a -DPWRU_WITH_X=1 per group
 * kept): libbpf's open parses every program of the object it is handed. tc/XDP programs'
 * and nft_do_chain's are in every object.
 */
#ifndef PWRU_ENTRIES_CHOSEN
#define PWRU_WITH_KPROBE_MULTI 1 /* kprobe_multi_skb_N */
#define PWRU_WITH_KPROBE       1 /* kprobe_skb_N */
#define PWRU_WITH_KPROBE_HOLD  1 /* kprobe_hold_skb_N and the kretprobes */
#define PWRU_WITH_FENTRY       1 /* fentry_skb_N templates and fexit_ret_1 */
#define PWRU_WITH_FENTRY_MULTI 1 /* fentry_multi_skb_N */
/* PWRU_WITH_FENTRY_FIRST, for an object without PWRU_WITH_FENTRY: fentry_skb_1 and fexit_ret_1 */
#define PWRU_WITH_TP 1 /* tp_btf_skb_N and raw_tp_skb_N templates */
#endif

#endif
