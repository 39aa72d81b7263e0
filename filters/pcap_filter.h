/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcap expression -> classic BPF (libpcap) -> eBPF, spliced into BPF programs at load time.
 * Knows nothing about backends, sections or output.
 *
 * Order of use: pcap_filter_compile(); then, for each program carrying the stubs of
 * bpf/filter.bpf.h, pcap_filter_splice() from the libbpf prepare-load callback the caller
 * registers (src/probe/splice_hooks.c does it for pwru); after load,
 * pcap_filter_check_loaded() on every program; pcap_filter_free() once the programs are
 * loaded (the spliced images are kept until then).
 */
#ifndef PWRU_PCAP_FILTER_H
#define PWRU_PCAP_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pcap_filter;
struct ebpf_code;

/*
 * The gates of the BPF side (bpf/filter.bpf.h and friends): subprograms whose calls the
 * splice turns into a constant, so that what is not asked for costs nothing. The pcap
 * gate is on when the expression is not empty; the others when a stub behind them got a
 * body (pcap_filter_add_stub).
 */
enum filter_gate {
	FILTER_GATE_PCAP,	  /* filter_pcap_gate: filter_pcap_l2/l3 */
	FILTER_GATE_TUNNEL,	  /* filter_tunnel_gate: filter_tunnel_l2/l3 */
	FILTER_GATE_SKB_EXPR,	  /* filter_skb_expr_gate: filter_skb_expr */
	FILTER_GATE_METADATA,	  /* skb_metadata_gate: skb_metadata_fill */
	FILTER_GATE_XDP_EXPR,	  /* filter_xdp_expr_gate: filter_xdp_expr */
	FILTER_GATE_XDP_METADATA, /* xdp_metadata_gate: xdp_metadata_fill */
	FILTER_NGATES,
};

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
	 * Load packet bytes in place through the kfunc bpf_rdonly_cast where the kernel's BTF
	 * (below) has it (6.2+), so that the glue copies nothing; else from the copy.
	 */
	bool direct_loads;
	/*
	 * The traced kernel's BTF, for the sk_buff offsets of `inbound`, `outbound`, `ifindex`
	 * (the caller keeps ownership). NULL: /sys/kernel/btf/vmlinux, parsed only when the
	 * expression needs it, and at most once per compile.
	 */
	const struct btf *btf;
	/* NULL, or what gives BTF when it is NULL (parsed once by its owner, not here) */
	struct btf *(*btf_get)(void);
	/* NULL, or the direct loads' ids already known (a kept copy): no BTF needed for them */
	const struct cbpf_cast *cast;
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

struct bpf_program;
struct bpf_prog_load_opts;

/*
 * Replaces PROG's filter stubs, found by the BTF names of its subprograms, with F (NULL:
 * nothing to do); OPTS are the load options libbpf's prepare-load callback gets. A program
 * without stubs is left alone. Returns 0 or a negative errno, the reason in
 * pcap_filter_last_error().
 */
int pcap_filter_splice(struct pcap_filter *f, struct bpf_program *prog,
		       struct bpf_prog_load_opts *opts);

/*
 * After load: 0 when the program PROG_FD (called NAME in messages) holds no unspliced
 * filter stub, whose gate would let every packet through; -ENOEXEC, or the errno of
 * reading it back, with a one-line reason in ERR otherwise.
 */
int pcap_filter_check_loaded(int prog_fd, const char *name, char *err, size_t errlen);

/*
 * Adds the tunnel filters to F (bpf/filter_tunnel.bpf.h): L2 compiled for Ethernet, run
 * on the inner frame; L3 compiled for raw IP, run on the inner IP packet (NULL or blank:
 * none). Returns 0, or -EINVAL with libpcap's message (or why L3 cannot judge an IP
 * packet) in ERR.
 */
int pcap_filter_add_tunnel(struct pcap_filter *f, const char *l2, const char *l3,
			   const struct pcap_filter_opts *opts, char *err, size_t errlen);

/*
 * Splices CODE (taken over: *CODE is emptied) in place of the stub subprogram named STUB,
 * and turns GATE on, wherever F is spliced. Returns 0, or -EINVAL for the pcap gates, an
 * unknown gate, a stub that already has a body, or too many stubs.
 */
int pcap_filter_add_stub(struct pcap_filter *f, enum filter_gate gate, const char *stub,
			 struct ebpf_code *code);

/* True when the expression was empty: the stubs are removed and nothing is filtered. */
bool pcap_filter_is_empty(const struct pcap_filter *f);

/*
 * *VALUE: what the splice writes into the glue's marker MARK (FILTER_MARK_* of
 * bpf/filter_scratch.h) for this filter; -ENOENT for another number.
 */
int pcap_filter_mark_value(const struct pcap_filter *f, uint64_t mark, uint64_t *value);

/* Why the L3 filter matches nothing ("" when it has an L3 form), for verbose output. */
const char *pcap_filter_l3_note(const struct pcap_filter *f);

/* The last splice error ("" if none): libbpf only reports the callback's errno. */
const char *pcap_filter_last_error(const struct pcap_filter *f);

void pcap_filter_free(struct pcap_filter *f);

#endif
