/* SPDX-License-Identifier: GPL-2.0 */
/* decode -> enrich -> every sink: what the ring buffer reader hands each record to. */
#ifndef PWRU_PIPELINE_H
#define PWRU_PIPELINE_H

#include <stdio.h>
#include "src/output/enrich.h"
#include "src/output/sink.h"
#include "src/output/texts.h"

#define PIPELINE_MAX_SINKS 4

struct pipeline {
	struct enrich en;
	struct texts texts;
	struct sink sinks[PIPELINE_MAX_SINKS];
	size_t n;
	FILE *diag; /* loss notices and the closing count: stderr */
	uint64_t malformed;
	struct output_stats st;
	int fail_err;		/* the first write that failed: its errno */
	const char *fail_label; /* and the output's name */
};

/*
 * Adds a sink writing to OUT with OPTS (both outlive the pipeline), its notes to p->diag
 * (set it first). Returns 0 or -1.
 */
int pipeline_add(struct pipeline *p, const struct sink_ops *ops, FILE *out,
		 const struct sink_opts *opts);
/* The same, writing to OS (pwru's own streams): its failures are seen with their errno. */
int pipeline_add_stream(struct pipeline *p, const struct sink_ops *ops, struct outstream *os,
			const struct sink_opts *opts);
/* Opens every sink in order; on failure the ones opened are closed. */
int pipeline_open(struct pipeline *p);
/* One record from the ring buffer. Returns 0, or -1 when a sink failed to write. */
int pipeline_record(struct pipeline *p, const void *data, size_t size);
/* Time passes: NOW is the kernel's monotonic clock. Returns 0 or -1. */
int pipeline_tick(struct pipeline *p, uint64_t now);
/*
 * The ring buffer is drained: what the sinks buffered goes out, so that a file being
 * written shows each event within a poll, as a terminal or a pipe does (under a flood the
 * buffers fill and write on their own). Returns 0 or -1.
 */
int pipeline_flush(struct pipeline *p);
/* The kernel's loss count grew to TOTAL: to the outputs (JSON's lost object). */
void pipeline_lost(struct pipeline *p, uint64_t total);
/* TOTAL on stderr, with what to do about it. */
void pipeline_say_lost(struct pipeline *p, uint64_t total);
/*
 * Closes every sink and prints "pwru: N events, M lost", N the events that got out whole
 * (pipeline_unwritten() less than those recorded), M the ring buffer's losses (LOST); then
 * the losses to nesting (p->st.lost_nested, set before) on a line of their own. Returns 0
 * or -1.
 */
int pipeline_close(struct pipeline *p, uint64_t lost);
/*
 * Of the events recorded, those whose bytes did not all get out (still buffered when an
 * output failed), on the output that lost the most.
 */
uint64_t pipeline_unwritten(const struct pipeline *p);
/*
 * The errno of the first output that failed (0: none), its name in *LABEL ("stdout",
 * "--output-file PATH", or the sink's name).
 */
int pipeline_error(const struct pipeline *p, const char **label);

#endif
