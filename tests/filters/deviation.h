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

#endif
