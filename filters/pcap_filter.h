/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcap expression -> classic BPF (libpcap) -> eBPF, spliced into BPF programs at load time.
 * Knows nothing about backends or output.
 *
 * Order of use: pcap_filter_compile(), pcap_filter_install() BEFORE the BPF object is opened
 * (it registers libbpf program handlers whose prepare-load callback replaces the filter
 * stubs of every program in the object), open, load, ..., destroy the object, then
 * pcap_filter_free() (which unregisters the handlers).
 *
 * The handlers own the SEC() names "kprobe.multi", "kprobe" and "tc" (see pcap_filter.c):
 * programs in those sections lose libbpf's auto-attach, so attach them explicitly
 * (bpf_program__attach_kprobe_multi_opts() and friends).
 */
#ifndef PWRU_PCAP_FILTER_H
#define PWRU_PCAP_FILTER_H

#include <stdbool.h>
#include <stddef.h>

struct pcap_filter;

/*
 * Compiles EXPR for L2 (DLT_EN10MB) and L3 (DLT_RAW). An empty or NULL expression compiles
 * to "no filter". On a bad expression returns -EINVAL and writes libpcap's message, plus a
 * hint where one applies, to ERR.
 */
int pcap_filter_compile(const char *expr, struct pcap_filter **out, char *err, size_t errlen);

struct btf;

struct pcap_filter_opts {
	/* translate every packet load into its own bpf_probe_read_kernel (bench baseline) */
	bool per_load_reads;
	/*
	 * The traced kernel's BTF, for the sk_buff offsets of `inbound`, `outbound`, `ifindex`
	 * (the caller keeps ownership). NULL: /sys/kernel/btf/vmlinux, parsed only when the
	 * expression needs it, and at most once per compile.
	 */
	const struct btf *btf;
};

/* As pcap_filter_compile(), with the sk_buff offsets taken from BTF (see above). */
int pcap_filter_compile_btf(const char *expr, const struct btf *btf, struct pcap_filter **out,
			    char *err, size_t errlen);

int pcap_filter_compile_opts(const char *expr, const struct pcap_filter_opts *opts,
			     struct pcap_filter **out, char *err, size_t errlen);

struct cbpf_insn; /* filters/pcap_compile.h */

/* A filter from a raw classic BPF program, used as both the L2 and L3 filter (tests). */
int pcap_filter_from_cbpf(const struct cbpf_insn *prog, size_t n,
			  const struct pcap_filter_opts *opts, struct pcap_filter **out, char *err,
			  size_t errlen);

/* Registers the handlers that splice F into the filter stubs. Call before opening. */
int pcap_filter_install(struct pcap_filter *f);

/*
 * Unregisters them (pcap_filter_free() does too). Only once every object opened in between
 * is loaded: libbpf keeps pointing at the handler until the object is destroyed, and uses
 * it again only for auto-attach.
 */
void pcap_filter_uninstall(struct pcap_filter *f);

/* True when the expression was empty: the stubs are removed and nothing is filtered. */
bool pcap_filter_is_empty(const struct pcap_filter *f);

/* Why the L3 filter matches nothing ("" when it has an L3 form), for verbose output. */
const char *pcap_filter_l3_note(const struct pcap_filter *f);

/* The last splice error ("" if none): libbpf only reports the callback's errno. */
const char *pcap_filter_last_error(const struct pcap_filter *f);

void pcap_filter_free(struct pcap_filter *f);

#endif
