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
 * Set by a second SIGINT/SIGTERM: writes blocked on a reader that does not read give up
 * (ECANCELED) instead of retrying.
 */
extern volatile sig_atomic_t outstream_abandoned;

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
 * write(2) until all of BUF is out, adding what the kernel took to *DONE; EINTR retried
 * unless abandoned. 0, or -1 with errno.
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
/* The errno of the first failed write (ECANCELED: abandoned), 0 while none failed. */
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
