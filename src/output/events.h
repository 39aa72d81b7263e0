/* SPDX-License-Identifier: GPL-2.0 */
/* Reads events from the BPF ring buffer into an output, and watches the loss counter. */
#ifndef PWRU_EVENTS_H
#define PWRU_EVENTS_H

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include "src/output/pipeline.h"

struct events;

/* events_run(): an output failed to write (pipeline_error() says which and why) */
#define EVENTS_OUTPUT_FAILED (-ECOMM)

/*
 * RINGBUF_FD: the events ring buffer; LOST_FD: the per-CPU count of failed reservations;
 * WATCH_FD: the stream a reader may close (stdout), -1 for none.
 */
int events_open(int ringbuf_fd, int lost_fd, struct pipeline *p, int watch_fd, uint64_t limit,
		struct events **out);
/*
 * Delivers events until *STOP is set, LIMIT events were printed, or the output fails.
 * Sleeps in epoll between events. Returns 0, -EPIPE when the reader of stdout went away,
 * EVENTS_OUTPUT_FAILED, or another negative errno. After outstream_abandoned is set, the
 * records before the stop are counted (output_stats.unwritten), not written.
 */
int events_run(struct events *ev, volatile sig_atomic_t *stop);
/*
 * FN(ARG, 0, NOW) from the loop about once a second, FN(ARG, 1, NOW) once at its end: for a
 * stage that reports a counter of its own while events flow (one watcher). NOW is
 * CLOCK_MONOTONIC's ns, for pace.h.
 */
void events_watch(struct events *ev, void (*fn)(void *arg, int final, uint64_t now), void *arg);
void events_stats(struct events *ev, struct output_stats *st);
void events_close(struct events *ev);

#endif
