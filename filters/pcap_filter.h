/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcap expression -> classic BPF (libpcap) -> eBPF, spliced into BPF programs at load time.
 * Knows nothing about backends or output.
 *
 * Order of use: pcap_filter_compile(), pcap_filter_install() BEFORE the BPF object is opened
 * (it registers libbpf program handlers whose prepare-load callback replaces the filter
 * stubs of every program in the object), open, load, ..., destroy the object, then
 * pcap_filter_free() (which unregisters the handlers).
 */
#ifndef PWRU_PCAP_FILTER_H
#define PWRU_PCAP_FILTER_H

#include <stddef.h>

struct pcap_filter;

/*
 * Compiles EXPR for L2 (DLT_EN10MB) and L3 (DLT_RAW). An empty or NULL expression compiles
 * to "no filter". On a bad expression returns -EINVAL and writes libpcap's message, plus a
 * hint where one applies, to ERR.
 */
int pcap_filter_compile(const char *expr, struct pcap_filter **out, char *err, size_t errlen);

/* Registers the handlers that splice F into the filter stubs. Call before opening. */
int pcap_filter_install(struct pcap_filter *f);

void pcap_filter_free(struct pcap_filter *f);

#endif
