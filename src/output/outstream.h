/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The streams events are written to (stdout, --output-file, --output-pcap): a FILE * for the
 * sinks over pwru's own write loop, so that a failed write is seen with its errno (stdio
 * returns a full count for a line it buffered but could not flush), a write a signal cut
 * short is retried unless the user asked to abandon the output, and the events whose bytes
 * never reached the kernel are known.
 */
#ifndef PWRU_OUTSTREAM_H
#define PWRU_OUTSTREAM_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * After the first SIGINT/SIGTERM (outstream_stop()), how long a write waits for an output that
 * takes nothing before it gives up (docs/usage.md: a dead reader must not hold pwru). Tests
 * shorten it.
 */
#define OUTSTREAM_STALL_MS 5000
extern unsigned int outstream_stall_ms;

/*
 * Set by a second SIGINT/SIGTERM, or by an output that took nothing for outstream_stall_ms
 * after the first (its error is then ETIMEDOUT): the outputs give up (ECANCELED) instead of
 * waiting for their reader.
 */
extern volatile sig_atomic_t outstream_abandoned;
/* Set by the first outstream_stop(). */
extern volatile sig_atomic_t outstream_stopping;

/*
 * From the SIGINT/SIGTERM handler (async-signal-safe). The first: from here on a write waits
 * for room in poll(2), with the stall limit; the second: the outputs give up.
 */
void outstream_stop(void);
/* Before the first stop can come: the handler of the kick (SIGALRM) outstream_stop() sends. */
void outstream_stop_arm(void);
/* Before detaching: a kick left from a stop while writing does not cut it short. */
void outstream_stop_disarm(void);

struct outstream;

/*
 * Where the bytes go: WRITE takes all N (0) or fails (-1, errno set); TAKEN counts the bytes
 * taken so far, those of a write that failed part way included; CUT (optional) removes the
 * last N bytes taken, where they went to a regular file.
 */
struct outstream_io {
	int (*write)(void *arg, const char *buf, size_t n);
	uint64_t (*taken)(void *arg);
	void (*cut)(void *arg, uint64_t n);
	int (*close)(void *arg);
};

/*
 * A stream named LABEL ("stdout", "--output-file PATH": the user's words in messages) over
 * IO with ARG. NULL with errno set.
 */
struct outstream *outstream_new(const char *label, const struct outstream_io *io, void *arg);
/*
 * Over the descriptor FD, closed at the end when OWN. NULL with errno set, EBADF for a
 * descriptor that is not open for writing (pwru icmp >&-).
 */
struct outstream *outstream_fd(int fd, const char *label, int own);
/*
 * pwru's own messages (stderr, unbuffered) over the same loop: after the stop a message
 * waits at most outstream_stall_ms for room, and not at all once the outputs were given up;
 * then it is dropped, and so is every later one. Giving up here does not end the outputs.
 */
struct outstream *outstream_diag(int fd);
/*
 * write(2) until all of BUF is out, adding what the kernel took to *DONE; EINTR retried
 * unless abandoned, and after the stop each write waits for room (the stall limit). 0, or
 * -1 with errno (ECANCELED: abandoned; ETIMEDOUT: stalled).
 */
int outstream_write_all(int fd, const char *buf, size_t n, uint64_t *done);
/* Removes the last N bytes written to FD when it is a regular file (an outstream_io.cut). */
void outstream_cut_fd(int fd, uint64_t n);
FILE *outstream_file(const struct outstream *s);
const char *outstream_label(const struct outstream *s);
/* One event's bytes end here (what the sinks wrote so far, buffered or not). */
void outstream_mark(struct outstream *s);
/* What was written so far (a header) is whole, though no event: a failure keeps it. */
void outstream_whole(struct outstream *s);
/*
 * The errno of the first failed write (ECANCELED: abandoned, ETIMEDOUT: stalled), 0 while
 * none failed.
 */
int outstream_error(const struct outstream *s);
/* The events marked whose bytes did not all get out: they were still buffered at a failure. */
uint64_t outstream_unwritten(const struct outstream *s);
/*
 * Flushes (nothing, after a failure), frees. After a failure a regular file is cut back to
 * the end of its last whole event: a reader (jq, tcpdump) finds no half record. Returns 0
 * or -1.
 */
int outstream_close(struct outstream *s);

#endif
