// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpf/event.h"
#include "src/output/events.h"
#include "src/output/outstream.h"
#include "src/output/pace.h"

#define POLL_MS	      100 /* also the longest a record waits with batched wake-ups */
#define LOSS_CHECK_NS 1000000000ull
#define LIMIT_REACHED (-ECANCELED)
#define OUTPUT_GONE   (-EPIPE) /* the reader of stdout went away */

struct events {
	struct ring_buffer *rb;
	struct pipeline *p;
	int watch_fd;
	int lost_fd;
	int ncpus;
	uint64_t *percpu;
	uint64_t limit;
	uint64_t printed;
	uint64_t lost;	      /* the ring's */
	uint64_t lost_nested; /* no per-CPU buffer left: pwru's programs nested too deep */
	uint64_t last_check;
	struct pace said;   /* the ring's losses on stderr */
	uint64_t said_lost; /* the count last said there */
	volatile sig_atomic_t *stop;
	uint64_t stop_ns;   /* when the stop was first seen: records up to it are still printed */
	uint64_t unwritten; /* records before it that a second stop left unwritten */
	void (*watch)(void *arg, int final, uint64_t now);
	void *watch_arg;
};

static void check_lost(struct events *ev, int force);
static uint64_t now_ns(void);

/*
 * What the kernel wrote before the stop (Ctrl-C) is what the user saw happen and
 * waits for; what it writes after is not. A record's ts and now_ns() share the
 * monotonic clock, so the stop ends the stream at a point in time and the
 * backlog before it is not dropped, however far behind the reader is.
 */
static int after_stop(struct events *ev, const void *data, size_t size)
{
	const struct pwru_event *e = data;

	if (!*ev->stop)
		return 0;
	if (!ev->stop_ns)
		ev->stop_ns = now_ns();
	return size < sizeof(*e) || e->ts > ev->stop_ns;
}

/*
 * An output failed (pipeline_error() says which): stop. Unless the user gave up on the
 * output (a second signal): then what the kernel recorded before the stop is still taken
 * from the ring, only to be counted.
 */
static int output_failed(struct events *ev)
{
	if (!outstream_abandoned)
		return EVENTS_OUTPUT_FAILED;
	ev->unwritten++;
	return 0;
}

/* A record's time; 0 (no time passed) for one too short to hold it. */
static uint64_t record_ts(const void *data, size_t size)
{
	return size >= sizeof(struct pwru_event) ? ((const struct pwru_event *)data)->ts : 0;
}

/*
 * libbpf's ring_buffer__poll() keeps consuming for as long as producers keep adding
 * records, so under a flood it never returns: the stop flag and the loss counter are
 * looked at from here too, or Ctrl-C would wait for the traffic to end.
 */
static int on_event(void *ctx, void *data, size_t size)
{
	struct events *ev = ctx;

	if (after_stop(ev, data, size))
		return -EINTR;
	if (outstream_abandoned || pipeline_record(ev->p, data, size))
		return output_failed(ev);
	if (++ev->printed == ev->limit)
		return LIMIT_REACHED;
	if (!(ev->printed & 1023)) {
		check_lost(ev, 0);
		/*
		 * Under a flood the poll never returns: time passes from here too, but only as
		 * far as the record read. A reader behind the kernel has the rest of it still
		 * in the ring: the clock's time would end chains whose events are yet to come.
		 */
		if (pipeline_tick(ev->p, record_ts(data, size)) && !outstream_abandoned)
			return EVENTS_OUTPUT_FAILED;
	}
	return 0;
}

int events_open(int ringbuf_fd, int lost_fd, struct pipeline *p, int watch_fd, uint64_t limit,
		struct events **out)
{
	struct events *ev = calloc(1, sizeof(*ev));

	if (!ev)
		return -ENOMEM;
	ev->p = p;
	ev->watch_fd = watch_fd;
	ev->lost_fd = lost_fd;
	ev->limit = limit;
	ev->ncpus = libbpf_num_possible_cpus();
	ev->percpu = calloc(ev->ncpus > 0 ? (size_t)ev->ncpus : 1, sizeof(uint64_t));
	ev->rb = ring_buffer__new(ringbuf_fd, on_event, ev, NULL);
	if (ev->ncpus <= 0 || !ev->percpu || !ev->rb) {
		int err = ev->ncpus <= 0 ? ev->ncpus : -ENOMEM;

		events_close(ev);
		return err;
	}
	*out = ev;
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The `lost` map's count for WHY (enum pwru_lost_why) over the CPUs; LAST if unreadable. */
static uint64_t read_lost(struct events *ev, uint32_t why, uint64_t last)
{
	uint64_t sum = 0;
	int i;

	if (bpf_map_lookup_elem(ev->lost_fd, &why, ev->percpu))
		return last;
	for (i = 0; i < ev->ncpus; i++)
		sum += ev->percpu[i];
	return sum;
}

/*
 * At most once a second: losses are reported while they happen, not only at the end (to
 * the outputs each time, on stderr as pace.h allows).
 */
static void check_lost(struct events *ev, int force)
{
	uint64_t t = now_ns(), total;

	if (!force && t - ev->last_check < LOSS_CHECK_NS)
		return;
	ev->last_check = t;
	total = read_lost(ev, PWRU_LOST_RING, ev->lost);
	/* at the end only: the running message is the ring's, with its advice */
	if (force)
		ev->lost_nested = read_lost(ev, PWRU_LOST_NESTED, ev->lost_nested);
	if (total > ev->lost) {
		ev->lost = total;
		if (!force)
			pipeline_lost(ev->p, total);
	}
	/* a count that grew while stderr waited is said once it may be */
	if (!force && ev->lost > ev->said_lost && pace_due(&ev->said, t)) {
		pipeline_say_lost(ev->p, ev->lost);
		ev->said_lost = ev->lost;
	}
	if (ev->watch)
		ev->watch(ev->watch_arg, force, t);
}

void events_watch(struct events *ev, void (*fn)(void *arg, int final, uint64_t now), void *arg)
{
	ev->watch = fn;
	ev->watch_arg = arg;
}

/* The reader went away (pwru | head): stop now, not at the next event, which may never come. */
static int output_gone(const struct events *ev)
{
	struct pollfd p = {.fd = ev->watch_fd};

	return p.fd >= 0 && poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* After a stop: the records written before it, which may still fill the ring. */
static int drain(struct events *ev)
{
	int rc;

	if (!ev->stop_ns)
		ev->stop_ns = now_ns();
	rc = ring_buffer__consume(ev->rb);
	return rc == -EINTR ? 0 : rc;
}

int events_run(struct events *ev, volatile sig_atomic_t *stop)
{
	int rc = 0;

	ev->stop = stop;
	ev->last_check = now_ns();
	while (!*stop) {
		rc = ring_buffer__poll(ev->rb, POLL_MS);
		/* With batched wake-ups, records may wait without a wake-up: take them now. */
		if (rc == 0)
			rc = ring_buffer__consume(ev->rb);
		if (rc == -EINTR)
			rc = 0;
		if (rc < 0)
			break;
		if (output_gone(ev)) {
			rc = OUTPUT_GONE;
			break;
		}
		check_lost(ev, 0);
		/* After the tick: chains it ended on their own (idle) show in a file too. */
		if ((pipeline_tick(ev->p, now_ns()) || pipeline_flush(ev->p)) &&
		    !outstream_abandoned) {
			rc = EVENTS_OUTPUT_FAILED;
			break;
		}
	}
	if (*stop && rc >= 0)
		rc = drain(ev);
	check_lost(ev, 1);
	if (rc == LIMIT_REACHED)
		return 0;
	return rc < 0 ? rc : 0;
}

void events_stats(struct events *ev, struct output_stats *st)
{
	st->events = ev->printed;
	st->lost = ev->lost;
	st->lost_nested = ev->lost_nested;
	st->unwritten = ev->unwritten;
}

void events_close(struct events *ev)
{
	if (!ev)
		return;
	ring_buffer__free(ev->rb);
	free(ev->percpu);
	free(ev);
}
