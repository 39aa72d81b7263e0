/* SPDX-License-Identifier: GPL-2.0 */
/* From the output flags to a pipeline: which sinks, writing where, with which caches. */
#ifndef PWRU_OUTPUT_SETUP_H
#define PWRU_OUTPUT_SETUP_H

#include "src/error.h"
#include "src/flags.h"
#include "src/output/outstream.h"
#include "src/output/pipeline.h"

struct output_setup {
	struct pipeline p;
	struct sink_opts so;
	struct outstream
	    *streams[PIPELINE_MAX_SINKS]; /* opened here, closed by output_setup_free */
	size_t nstreams;
	char *metadata[FLAG_LIST_MAX];	   /* so.metadata: the names shown */
	char *xdp_metadata[FLAG_LIST_MAX]; /* so.xdp_metadata's */
};

/*
 * Opens the output files and adds the sinks CFG asks for (text or JSON on stdout or
 * --output-file, pcapng, summary). Called before anything is attached, so a path that
 * cannot be written fails early. Returns 0, or -1 with E set (bad input for a file that
 * cannot be written).
 */
int output_setup_open(struct output_setup *os, const struct pwru_config *cfg, struct pwru_err *e);
/* --output-pcap -: the pcapng goes to stdout, the events (no --output-file) to stderr. */
bool output_pcap_stdout(const struct pwru_config *cfg);
/* Whether events carry cb: --output-skb-cb, or --filter-trace-tc (as pwru). */
bool output_cb(const struct pwru_config *cfg);
/* The BPF side's snap length: 0 unless a sink reads packet bytes. */
uint32_t output_snaplen(const struct pwru_config *cfg);
/*
 * Batched wake-ups: the BPF side wakes the reader only once this many bytes wait (a
 * sixteenth of the ring); the reader also takes what waits at each poll timeout.
 */
uint32_t output_wakeup_bytes(const struct pwru_config *cfg);
/* Closes the files and frees the caches (the pipeline must be closed already). */
void output_setup_free(struct output_setup *os);

#endif
