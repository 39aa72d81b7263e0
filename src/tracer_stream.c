// SPDX-License-Identifier: GPL-2.0
/*
 * The trace's last stage: the events from the ring buffer through the outputs until the stop,
 * and what failed writing them, as one struct pwru_err. main.c drives the stages before.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "pwru.skel.h"
#include "src/output/events.h"
#include "src/output/fmt.h"
#include "src/output/outstream.h"
#include "src/output/setup.h"
#include "src/probe/prog_misses.h"
#include "src/tracer.h"

static int touch_ready_file(const char *path, struct pwru_err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return err_not_possible(e, errno, "--ready-file %s: %s", path, strerror(errno));
	close(fd);
	return 0;
}

/*
 * A write to the output LABEL that failed with ERR: one line naming it. EPIPE on stdout is
 * its reader going away (pwru | head, pwru --list-funcs | head), a normal way to stop.
 */
int tracer_write_failed(int err, const char *label, struct pwru_err *e)
{
	if (!err || (err == EPIPE && !strcmp(label, "stdout")))
		return 0;
	return err_not_possible(e, err, "writing %s: %s", label, strerror(err));
}

static int output_error(const struct pipeline *p, struct pwru_err *e)
{
	const char *label;
	int err = pipeline_error(p, &label);

	return tracer_write_failed(err, label, e);
}

static int open_output(struct tracer *t, struct events **ev, struct pwru_err *e)
{
	struct pipeline *p = &t->out.p;
	int rc;

	p->en.ksyms = t->ksyms;
	p->en.reasons = t->reasons;
	p->en.tp_names = (const char *const *)t->tp_names;
	p->en.n_tp_names = t->tps.n;
	p->en.syms = t->syms;
	p->en.progs = t->progs;
	rc = events_open(bpf_map__fd(t->ld.skel->maps.events), bpf_map__fd(t->ld.skel->maps.lost),
			 p, t->cfg->output_file && !output_pcap_stdout(t->cfg) ? -1 : STDOUT_FILENO,
			 t->cfg->output_limit_lines, ev);
	if (rc)
		return err_from_errno(e, rc, "cannot start reading events");
	/* the headers: a failure (>/dev/full) is said before the ready file tells of a trace */
	if (pipeline_open(p)) {
		events_close(*ev);
		return output_error(p, e) ? -1 : 1; /* 1: stdout's reader is gone already */
	}
	/* the ring buffer already holds what happens from here on */
	if (t->cfg->ready_file && touch_ready_file(t->cfg->ready_file, e)) {
		pipeline_close(p, 0);
		events_close(*ev);
		return -1;
	}
	return 0;
}

/* The drain of what was recorded before the stop was given up: UNWRITTEN events are not out. */
static int gave_up(const struct pipeline *p, uint64_t unwritten, struct pwru_err *e)
{
	const char *label;

	if (pipeline_error(p, &label) == ETIMEDOUT)
		return err_stopped(e,
				   "%s took nothing for %u s after the stop: %" PRIu64
				   " event%s recorded before the stop %s not written",
				   label, outstream_stall_ms / 1000, unwritten, plural(unwritten),
				   unwritten == 1 ? "was" : "were");
	return err_stopped(e,
			   "stopped again while writing: %" PRIu64
			   " event%s recorded before the stop %s not written",
			   unwritten, plural(unwritten), unwritten == 1 ? "was" : "were");
}

/*
 * Calls the kernel skipped pwru's programs for never reach the ring buffer, so its lost
 * count cannot hold them: said apart, or they would be lost silently. Where the count is a
 * lower bound, why: with the count, or alone with --debug.
 */
static void say_misses(const struct prog_misses *m, bool debug)
{
	uint64_t n = m->progs + m->links;
	const char *why = prog_misses_why(m);

	if (n)
		fprintf(stderr,
			"pwru: %" PRIu64 " call%s of traced functions not seen: the kernel skips "
			"a program on a CPU where one of pwru's is running (a traced function "
			"called from an interrupt's softirq); %" PRIu64 " by the programs' "
			"recursion_misses, %" PRIu64 " by their kprobes' missed%s%s\n",
			n, plural(n), m->progs, m->links, why ? "; more not counted: " : "",
			why ? why : "");
	else if (why && debug)
		fprintf(stderr,
			"pwru: debug: calls of traced functions not seen are not counted: %s\n",
			why);
}

int tracer_stream(struct tracer *t, volatile sig_atomic_t *stop, struct pwru_err *e)
{
	struct pipeline *p = &t->out.p;
	struct output_stats st = {0};
	struct prog_misses m;
	struct events *ev = NULL;
	uint64_t unwritten;
	int rc = open_output(t, &ev, e);

	if (rc)
		return rc > 0 ? 0 : rc;
	if (t->track)
		events_watch(ev, track_report, t->track);
	fprintf(stderr, "pwru: listening for events (Ctrl-C to stop)\n");
	rc = events_run(ev, stop);
	events_stats(ev, &st);
	unwritten = st.unwritten + pipeline_unwritten(p);
	/* before detaching, which can take a while with kprobes; the JSON end object holds it */
	prog_misses(&m);
	p->st.not_seen = m.progs + m.links;
	p->st.not_seen_partial = m.partial;
	p->st.lost_nested = st.lost_nested;
	if (pipeline_close(p, st.lost) && !rc)
		rc = EVENTS_OUTPUT_FAILED;
	say_misses(&m, t->cfg->debug);
	events_close(ev);
	if (outstream_abandoned)
		return gave_up(p, unwritten, e);
	if (rc == EVENTS_OUTPUT_FAILED)
		return output_error(p, e);
	/* EPIPE: the reader went away (pwru | head), a normal way to stop */
	return rc && rc != -EPIPE ? err_from_errno(e, rc, "reading events") : 0;
}
