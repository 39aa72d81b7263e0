/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcap expression -> classic BPF (libpcap) -> eBPF, spliced into BPF programs before load.
 * Knows nothing about backends or output.
 */
#ifndef PWRU_PCAP_FILTER_H
#define PWRU_PCAP_FILTER_H

#include <stddef.h>

struct bpf_object;
struct pcap_filter;

/*
 * Compiles EXPR for L2 (DLT_EN10MB) and L3 (DLT_RAW). An empty or NULL expression compiles
 * to "no filter". On a bad expression returns -EINVAL and writes libpcap's message, plus a
 * hint where one applies, to ERR.
 */
int pcap_filter_compile(const char *expr, struct pcap_filter **out, char *err, size_t errlen);

/* Arranges for the compiled code to replace the filter stubs of every program in OBJ when
 * the object is loaded. Call between open and load. */
int pcap_filter_install(struct pcap_filter *f, struct bpf_object *obj);

void pcap_filter_free(struct pcap_filter *f);

#endif
