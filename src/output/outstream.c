// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "src/output/outstream.h"

/* Events still in stdio's buffer at a failure: far more than one buffer holds. */
#define ENDS 1024

volatile sig_atomic_t outstream_abandoned;

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
	uint64_t taken;
};

int outstream_write_all(int fd, const char *buf, size_t n, uint64_t *done)
{
	ssize_t w;

	while (n) {
		/* the reader may never read again: the user's second signal ends the wait */
		if (outstream_abandoned) {
			errno = ECANCELED;
			return -1;
		}
		w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		if (!w) {
			errno = EIO;
			return -1;
		}
		buf += w;
		n -= (size_t)w;
		*done += (uint64_t)w;
	}
	return 0;
}

static int fd_write(void *arg, const char *buf, size_t n)
{
	struct fd_arg *a = arg;

	return outstream_write_all(a->fd, buf, n, &a->taken);
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

struct outstream *outstream_fd(int fd, const char *label, int own)
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
	*a = (struct fd_arg){.fd = fd, .own = own};
	s = outstream_new(label, &io, a);
	if (!s)
		free(a);
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
