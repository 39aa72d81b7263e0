/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PWRU_CHECK_FILTER_H
#define PWRU_CHECK_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "src/error.h"

/*
 * pwru --check-filter FILE EXPR: runs EXPR's eBPF filter, loaded in the kernel, over every
 * packet of the pcap FILE and prints "INDEX MATCH" per packet to OUT. Returns 0, or -1 with
 * E set.
 */
int check_filter_main(const char *file, const char *expr, FILE *out, struct pwru_err *e);

/*
 * The packets of the capture P (libpcap's pcap_t, opened from FILE) through the checker C,
 * loaded for P's link type, as check_filter_main does: for callers that run many captures
 * through one filter (the fuzzer). Returns 0, or -1 with E set.
 */
struct pcap;
struct filter_checker;
int check_filter_capture(struct pcap *p, struct filter_checker *c, const char *file, FILE *out,
			 struct pwru_err *e);

/*
 * The same machinery in-process, for tests and the fuzzer: EXPR compiled and loaded for
 * link type DLT (DLT_EN10MB runs the L2 filter; DLT_RAW, DLT_IPV4, DLT_IPV6 the L3 one),
 * then run on packets with BPF_PROG_TEST_RUN.
 */
struct filter_checker;

/*
 * Returns 0, or -1 with E set: bad input for a bad expression or an unsupported DLT; not
 * possible when the kernel will not load it, with errnum EPERM (no privilege) or EOPNOTSUPP
 * (the kernel lacks what the checker needs) for the causes that are no fault of pwru's.
 */
int filter_checker_open(const char *expr, int dlt, struct filter_checker **out, struct pwru_err *e);
/* *MATCH is set to 0 or 1. Returns 0, or a negative errno when the packet could not be run. */
int filter_checker_run(struct filter_checker *c, const unsigned char *pkt, unsigned int caplen,
		       unsigned int wirelen, int *match);
void filter_checker_close(struct filter_checker *c);

/* As filter_checker_open(); PER_LOAD_READS builds the baseline translation for the bench. */
int filter_checker_open_opts(const char *expr, int dlt, bool per_load_reads,
			     struct filter_checker **out, struct pwru_err *e);
/* As filter_checker_open() for an already compiled filter F, which the checker then owns. */
struct pcap_filter;
int filter_checker_open_filter(struct pcap_filter *f, int dlt, struct filter_checker **out,
			       struct pwru_err *e);
/*
 * The device packets are run as received from (skb->skb_iif); 1 unless set. 0 runs them as
 * locally generated, which `outbound` matches (docs/filters.md).
 */
void filter_checker_set_ingress_ifindex(struct filter_checker *c, unsigned int ifindex);
/*
 * Runs later packets as link type DLT, without loading again: the program is the same for
 * every link type (the layer it filters from goes with each packet). Returns 0, or -1 with E
 * set (bad input) for an unsupported DLT, leaving the checker as it was.
 */
int filter_checker_set_dlt(struct filter_checker *c, int dlt, struct pwru_err *e);
/* The loaded tc program, for tests that inspect what the kernel runs. */
int filter_checker_prog_fd(const struct filter_checker *c);
/* Runs the packet REPEAT times in the kernel; *NS_PER_RUN is the kernel's average. */
int filter_checker_time(struct filter_checker *c, const unsigned char *pkt, unsigned int caplen,
			unsigned int wirelen, int repeat, unsigned int *ns_per_run);

#endif
