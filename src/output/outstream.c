// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "src/output/outstream.h"

/* Events still in stdio's buffer at a failure: far more than one buffer holds. */
#define ENDS 1024
/* A stop that lands just before poll(2) is seen at its next tick. */
#define TICK_MS 100

unsigned int outstream_stall_ms = OUTSTREAM_STALL_MS;
volatile sig_atomic_t outstream_stopping, outstream_abandoned;
static volatile sig_atomic_t kick_armed;
/*
 * This thread is between its look at the stop and the end of write(2): a stop landing there
 * finds a write that may block with no signal left to end it.
 */
static _Thread_local volatile sig_atomic_t writing;
/* After the stop: when an output last took a byte, or the stop (ms, CLOCK_MONOTONIC) */
static _Atomic uint64_t progress_ms;

struct outstream {
	FILE *f;
	char *label;
	struct outstream_io io;
	void *arg;
	int err;
	uint64_t done;	/* bytes the writer took (io.taken) */
	uint64_t whole; /* the end of what is whole without an event: the headers */
	uint64_t marks;
	uint64_t ends[ENDS]; /* where the last events end, as done will count them */
};

struct fd_arg {
	int fd;
	int own;
	int diag;
	uint64_t taken;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void on_kick(int sig)
{
}

/* No SA_RESTART: the kick is the EINTR it gives a blocked write. */
void outstream_stop_arm(void)
{
	struct sigaction sa = {.sa_handler = on_kick};

	sigemptyset(&sa.sa_mask);
	kick_armed = !sigaction(SIGALRM, &sa, NULL);
}

void outstream_stop_disarm(void)
{
	alarm(0);
}

void outstream_stop(void)
{
	int err = errno;

	if (outstream_stopping)
		outstream_abandoned = 1;
	else
		progress_ms = now_ms(); /* clock_gettime is signal-safe */
	outstream_stopping = 1;
	/* a write(2) about to start would block unseen: the kick ends it (alarm is signal-safe) */
	if (writing && kick_armed)
		alarm(1);
	errno = err;
}

/* The outputs were given up (DIAG, stderr, never is): ECANCELED. */
static int given_up(int diag)
{
	if (!outstream_abandoned || diag)
		return 0;
	errno = ECANCELED;
	return 1;
}

/*
 * After the stop: room in FD for PIPE_BUF bytes (what a pipe then takes without blocking),
 * or -1: ECANCELED when the outputs were given up, ETIMEDOUT when no output took a byte for
 * the stall limit. DIAG (stderr) is not waited for once the outputs were given up.
 */
static int wait_room(int fd, int diag)
{
	struct pollfd p = {.fd = fd, .events = POLLOUT};
	uint64_t t, last, left;
	int r;

	while (!given_up(diag)) {
		last = progress_ms; /* before the clock: another thread's progress is not ahead */
		t = now_ms();
		left = outstream_abandoned || t - last >= outstream_stall_ms
			   ? 0
			   : last + outstream_stall_ms - t;
		r = poll(&p, 1, left < TICK_MS ? (int)left : TICK_MS);
		if (r > 0)
			return 0; /* room, or an error write(2) will name */
		if (r < 0 && errno != EINTR)
			return -1;
		if (!r && !left) {
			errno = ETIMEDOUT;
			return -1;
		}
	}
	return -1;
}

static int write_fd(int fd, const char *buf, size_t n, uint64_t *done, int diag)
{
	ssize_t w;
	int drain;

	while (n && !given_up(diag)) {
		writing = 1;
		drain = outstream_stopping;
		if (drain && wait_room(fd, diag))
			w = -1;
		else
			w = write(fd, buf, drain && n > PIPE_BUF ? PIPE_BUF : n);
		writing = 0;
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			/* the reader never took the drain: as if the user had given up on it */
			if (errno == ETIMEDOUT && !diag)
				outstream_abandoned = 1;
			return -1;
		}
		if (!w) {
			errno = EIO;
			return -1;
		}
		if (drain)
			progress_ms = now_ms();
		buf += w;
		n -= (size_t)w;
		*done += (uint64_t)w;
	}
	return n ? -1 : 0;
}

int outstream_write_all(int fd, const char *buf, size_t n, uint64_t *done)
{
	return write_fd(fd, buf, n, done, 0);
}

static int fd_write(void *arg, const char *buf, size_t n)
{
	struct fd_arg *a = arg;

	return write_fd(a->fd, buf, n, &a->taken, a->diag);
}

static uint64_t fd_taken(void *arg)
{
	return ((struct fd_arg *)arg)->taken;
}

/* Regular files only: the end of a pipe's or a terminal's output is the reader's. */
void outstream_cut_fd(int fd, uint64_t n)
{
	struct stat st;
	off_t end;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return;
	end = lseek(fd, 0, SEEK_CUR);
	if (end >= 0 && (uint64_t)end >= n && ftruncate(fd, end - (off_t)n) == 0)
		lseek(fd, end - (off_t)n, SEEK_SET);
}

static void fd_cut(void *arg, uint64_t n)
{
	outstream_cut_fd(((struct fd_arg *)arg)->fd, n);
}

static int fd_close(void *arg)
{
	struct fd_arg *a = arg;
	int rc = a->own ? close(a->fd) : 0;

	free(a);
	return rc;
}

/* After the first failure nothing more is written: what the count says stays true. */
static ssize_t cookie_write(void *cookie, const char *buf, size_t n)
{
	struct outstream *s = cookie;

	int rc = s->err ? -1 : s->io.write(s->arg, buf, n);

	s->done = s->io.taken(s->arg);
	if (!rc)
		return (ssize_t)n;
	if (!s->err)
		s->err = errno ? errno : EIO;
	errno = s->err;
	return -1;
}

static int cookie_close(void *cookie)
{
	struct outstream *s = cookie;

	return s->io.close ? s->io.close(s->arg) : 0;
}

struct outstream *outstream_new(const char *label, const struct outstream_io *io, void *arg)
{
	cookie_io_functions_t c = {.write = cookie_write, .close = cookie_close};
	struct outstream *s = calloc(1, sizeof(*s));

	if (!s || !(s->label = strdup(label))) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	s->io = *io;
	s->arg = arg;
	s->f = fopencookie(s, "w", c);
	if (!s->f) {
		free(s->label);
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	return s;
}

static struct outstream *fd_stream(int fd, const char *label, int own, int diag)
{
	static const struct outstream_io io = {
	    .write = fd_write, .taken = fd_taken, .cut = fd_cut, .close = fd_close};
	int fl = fcntl(fd, F_GETFL);
	struct fd_arg *a;
	struct outstream *s;

	if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY) {
		errno = EBADF;
		return NULL;
	}
	a = malloc(sizeof(*a));
	if (!a) {
		errno = ENOMEM;
		return NULL;
	}
	*a = (struct fd_arg){.fd = fd, .own = own, .diag = diag};
	s = outstream_new(label, &io, a);
	if (!s)
		free(a);
	return s;
}

struct outstream *outstream_fd(int fd, const char *label, int own)
{
	return fd_stream(fd, label, own, 0);
}

struct outstream *outstream_diag(int fd)
{
	struct outstream *s = fd_stream(fd, "stderr", 0, 1);

	if (s)
		setvbuf(s->f, NULL, _IONBF, 0);
	return s;
}

FILE *outstream_file(const struct outstream *s)
{
	return s->f;
}

const char *outstream_label(const struct outstream *s)
{
	return s->label;
}

/* After a failure stdio may have dropped its buffer: an event marked then never got out. */
void outstream_mark(struct outstream *s)
{
	s->ends[s->marks++ % ENDS] = s->err ? UINT64_MAX : s->done + __fpending(s->f);
}

void outstream_whole(struct outstream *s)
{
	s->whole = s->done + __fpending(s->f);
}

int outstream_error(const struct outstream *s)
{
	return s->err;
}

uint64_t outstream_unwritten(const struct outstream *s)
{
	uint64_t n = s->marks < ENDS ? s->marks : ENDS, k, u = 0;

	for (k = 0; k < n; k++)
		u += s->ends[k] > s->done;
	return u;
}

/* The end of the last whole event (or header) that got out. */
static uint64_t last_whole(const struct outstream *s)
{
	uint64_t n = s->marks < ENDS ? s->marks : ENDS, k, end = s->whole;

	for (k = 0; k < n; k++)
		if (s->ends[k] <= s->done && s->ends[k] > end)
			end = s->ends[k];
	return end;
}

int outstream_close(struct outstream *s)
{
	int rc;

	if (!s)
		return 0;
	/* stdio's buffer first: after a failure it is refused, and done stays put */
	fflush(s->f);
	if (s->err && s->io.cut && s->done > last_whole(s))
		s->io.cut(s->arg, s->done - last_whole(s));
	rc = fclose(s->f) ? -1 : 0;
	free(s->label);
	free(s);
	return rc;
}
