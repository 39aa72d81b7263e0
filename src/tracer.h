/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One run of pwru: everything main's stages build and tear down, in the order they do.
 * main.c drives the stages; tracer_discover.c fills the first part (BTF, functions, symbols),
 * tracer_stream.c runs the last (the events to the outputs).
 */
#ifndef PWRU_TRACER_H
#define PWRU_TRACER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <bpf/btf.h>
#include "filters/pcap_filter.h"
#include "kallsyms/kallsyms.h"
#include "kallsyms/symbolizer.h"
#include "src/discover/bpf_helpers.h"
#include "src/discover/funcset.h"
#include "src/discover/traceable.h"
#include "src/error.h"
#include "src/flags.h"
#include "src/output/drop_reason.h"
#include "src/output/prog_names.h"
#include "src/output/setup.h"
#include "src/probe/backend.h"
#include "src/probe/btf_uses.h"
#include "src/probe/loader.h"
#include "src/probe/progtrace.h"
#include "src/probe/retsplit.h"
#include "src/probe/track.h"

struct tracer {
	struct pwru_config *cfg;
	struct pcap_filter *pcap;
	/* the kernel's BTF itself is src/discover/kbtf.h's, parsed at its first use */
	struct btf_uses uses;
	uint64_t uses_config;	  /* btf_uses_config() of the discovery copy's word; 0: not kept */
	struct boot_key uses_key; /* for a new copy of USES, after the load */
	bool uses_new;		  /* USES differ from the boot's copy: kept after the load */
	struct kallsyms *ksyms;
	struct funcset fs;
	struct funcset tps;
	char **tp_names; /* "tp:NAME" by index in tps: a tracepoint event's address */
	struct traceable tr;
	struct drop_reasons *reasons;
	const struct backend *backend;
	struct backend_ctx bctx;
	struct retsplit rs; /* return values through fentry where the backend has none */
	struct loader ld;
	struct output_setup out;
	struct track_opts track_opts;
	struct track *track;
	struct symbolizer *syms;
	struct bpf_helpers helpers; /* --filter-track-bpf-helpers */
	char *helper_list;
	struct progtrace *pt;	  /* --filter-trace-tc/xdp */
	struct prog_names *progs; /* the programs it traces, for the output */
	uint32_t netns, ifindex;
	size_t kmods_without_btf, kmods_from_ko, kmods_unreadable;
};

/*
 * The kernel's BTF, its drop reasons, the function and tracepoint sets (modules included),
 * kallsyms (the names that matter only) and the traceable list, into T; fails with one
 * line in E when nothing can be traced or an input is unreadable.
 */
int tracer_discover(struct tracer *t, struct pwru_err *e);
/* --filter-trace-tc/xdp was given. */
bool tracer_traces_programs(const struct pwru_config *cfg);
/* No kernel function or tracepoint matched: only --filter-trace-tc/xdp's programs are traced. */
bool tracer_programs_only(const struct tracer *t);
/* Programs only, and none of them loaded: -1 with E set (not possible), saying why. */
int tracer_no_program(const struct tracer *t, struct pwru_err *e);
/* Programs only: says so, and why, on stderr. */
void tracer_note_programs_only(const struct tracer *t);
/* Said once tracing goes ahead: modules whose BTF was unreadable or absent. */
void tracer_module_notes(const struct tracer *t);
/* --debug: the functions of BTF that are not in the set, and why. */
void tracer_report_dropped(const struct funcset *fs);
/*
 * Attached: the events through the outputs until *STOP (the ready file is touched once they
 * are open), then the outputs closed. 0, or -1 with E set.
 */
int tracer_stream(struct tracer *t, volatile sig_atomic_t *stop, struct pwru_err *e);
/*
 * A write to the output LABEL that failed with ERR: -1 with one line in E naming it; 0 for
 * none, or EPIPE on stdout (its reader went away: pwru | head, a normal way to stop).
 */
int tracer_write_failed(int err, const char *label, struct pwru_err *e);

#endif
