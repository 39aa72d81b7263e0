/* SPDX-License-Identifier: GPL-2.0 */
/* The oracle: libpcap compiles an expression for a link type and interprets it on a packet. */
#ifndef PWRU_TESTS_REFERENCE_H
#define PWRU_TESTS_REFERENCE_H

#include <pcap/pcap.h>

/* The snapshot length pwru compiles with; libpcap's code depends on it only for `ret`. */
#define REFERENCE_SNAPLEN 262144

/*
 * Compiles as pwru does (optimized, netmask unknown), after the rewrite of
 * deviation_reference_expr(). Returns 0, or -1 with libpcap's error.
 */
int reference_compile(const char *expr, int dlt, struct bpf_program *prog, char *err,
		      size_t errlen);
/* 1 if libpcap's interpreter accepts the packet, seeing CAPLEN bytes of a WIRELEN packet. */
int reference_match(const struct bpf_program *prog, const unsigned char *pkt, unsigned int caplen,
		    unsigned int wirelen);

#endif
