/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Return values of the hooks a packet passes, by name: a tc classifier (cls_bpf), a tcx
 * program, an XDP program, and nf_hook_slow(). Pure functions of the numbers, taken from
 * the kernel's UAPI (pkt_cls.h, bpf.h's tcx_action_base and xdp_action, netfilter.h).
 */
#ifndef PWRU_VERDICT_H
#define PWRU_VERDICT_H

#include <stddef.h>
#include <stdint.h>

/* "TC_ACT_SHOT"; NULL for a value with no name. */
const char *verdict_tc_name(int32_t ret);
/* "TCX_DROP"; values tcx does not know act as TCX_NEXT, which is what is returned. */
const char *verdict_tcx_name(int32_t ret);
/* "XDP_DROP"; NULL for an unknown action (the kernel treats it as XDP_ABORTED). */
const char *verdict_xdp_name(uint32_t ret);

/* "NF_INET_LOCAL_IN", "NF_NETDEV_INGRESS", ...; NULL when unknown. */
const char *verdict_nf_hook_name(uint8_t pf, uint32_t hook);
/* "ipv4", "ipv6", "inet", "arp", "netdev", "bridge"; NULL when unknown. */
const char *verdict_nf_family_name(uint8_t pf);

/*
 * nf_hook_slow()'s result for hook HOOK of family PF: 1 accept, 0 stolen or queued, a
 * negative errno a drop. "NF_INET_LOCAL_IN/ipv4 DROP (-EPERM)". Returns the length.
 */
size_t verdict_nf_text(int32_t ret, uint8_t pf, uint32_t hook, char *buf, size_t len);

/*
 * nft_do_chain()'s verdict: "DROP", "ACCEPT", "STOLEN", "QUEUE", "REPEAT", "STOP", a drop
 * with its errno "DROP (-EPERM)" (NF_DROP with an errno, or NF_STOLEN with one: the packet
 * freed by nftables for a drop), else the number. Returns the length.
 */
size_t verdict_nft_text(uint32_t verdict, char *buf, size_t len);

#endif
