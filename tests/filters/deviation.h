/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where pwru departs from libpcap on purpose, so the tests expect pwru's answer instead.
 *
 * Under DLT_RAW, libpcap compiles `ether[...]`, `link[...]` (and the other link-layer
 * indexing primitives) as loads from the IP header, which is never what a user means; pwru
 * gives such expressions no L3 filter at all: at L3 they match nothing (filters/pcap_filter.c,
 * docs/filters.md).
 */
#ifndef PWRU_TESTS_DEVIATION_H
#define PWRU_TESTS_DEVIATION_H

#include "captures.h"

/* Non-NULL (the reason) when pwru, on purpose, must match no packet for EXPR on LINK. */
const char *deviation_matches_nothing(const char *expr, enum capture_link link);

/*
 * `inbound`/`outbound` compile to a load of the Linux ancillary field SKF_AD_PKTTYPE, which
 * libpcap's offline interpreter cannot evaluate (it rejects every packet, even under `not`);
 * pwru reads skb->skb_iif and skb->pkt_type. The checker runs captured packets as received
 * (ingress_ifindex 1): `inbound` holds and `outbound` does not (docs/filters.md). So libpcap judges
 * EXPR with `inbound` written as "(len >= 0)" (true) and `outbound` as "(len < 0)" (false). Returns
 * 1 with that expression in OUT, 0 when EXPR has neither word (OUT untouched), -1 when OUT is too
 * small.
 */
int deviation_reference_expr(const char *expr, char *out, size_t len);

#endif
