// SPDX-License-Identifier: GPL-2.0
/*
 * pwru's output streams: a failed write is kept with its errno (stdio alone reports a
 * buffered line as written), the events whose bytes did not all get out are counted, and
 * a second signal (outstream_abandoned) ends writing without waiting for the reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "src/output/outstream.h"
#include "src/output/rotate.h"

#define LINE 100

/* N lines of LINE bytes into S, each marked as one event; whether every fwrite said yes */
static int write_events(struct outstream *s, int n)
{
	char line[LINE];
	int i, all = 1;

	memset(line, 'x', sizeof(line));
	line[LINE - 1] = '\n';
	for (i = 0; i < n; i++) {
		all &= fwrite(line, 1, sizeof(line), outstream_file(s)) == sizeof(line);
		outstream_mark(s);
	}
	return all;
}

/* A full disk: the error is seen (with ENOSPC) even where fwrite said yes. */
static void test_full(void)
{
	int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	struct outstream *s = outstream_fd(fd, "stdout", 1);

	ok(s != NULL, "a stream over /dev/full");
	if (!s)
		return;
	write_events(s, 10);
	ok(fflush(outstream_file(s)) != 0, "the flush fails");
	is_int(outstream_error(s), ENOSPC, "with ENOSPC");
	is_int((int)outstream_unwritten(s), 10, "the 10 buffered events were not written");
	is_str(outstream_label(s), "stdout", "its name for the message");
	outstream_close(s);
}

/*
 * A reader that takes a page and no more (a full pipe, non-blocking here so that the test
 * does not hang): of 100 events of 100 bytes, those that got out whole count, not one more.
 */
static void test_partial(void)
{
	char b[8192];
	ssize_t got = 0, r;
	int p[2];
	struct outstream *s;

	ok(!pipe2(p, O_CLOEXEC) && fcntl(p[1], F_SETPIPE_SZ, 4096) == 4096 &&
	       !fcntl(p[1], F_SETFL, O_NONBLOCK),
	   "a pipe of 4096 bytes");
	s = outstream_fd(p[1], "--output-pcap p", 1);
	write_events(s, 100);
	fflush(outstream_file(s));
	is_int(outstream_error(s), EAGAIN, "the write that did not fit failed: EAGAIN");
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	while ((r = read(p[0], b, sizeof(b))) > 0)
		got += r;
	ok(got >= 4096 && got < 100 * LINE, "the pipe took %zd bytes", got);
	is_int((int)outstream_unwritten(s), 100 - (int)(got / LINE),
	       "the events not in them whole are not written");
	outstream_close(s);
	close(p[0]);
}

/* After the user gave up, nothing more is written, and nothing waits for the reader. */
static void test_abandoned(void)
{
	int p[2];
	struct outstream *s;
	char b[LINE];

	ok(!pipe2(p, O_CLOEXEC), "a pipe");
	s = outstream_fd(p[1], "stdout", 1);
	write_events(s, 3);
	ok(!fflush(outstream_file(s)), "3 events written");
	outstream_abandoned = 1;
	write_events(s, 2);
	ok(fflush(outstream_file(s)) != 0, "abandoned: the flush fails at once");
	is_int(outstream_error(s), ECANCELED, "with ECANCELED");
	is_int((int)outstream_unwritten(s), 2, "the 2 events after are not written");
	outstream_abandoned = 0;
	outstream_close(s);
	is_int((int)read(p[0], b, sizeof(b)), LINE, "the reader gets the first events");
	close(p[0]);
}

/* A descriptor not open for writing (pwru icmp >&-, 1</dev/null) is refused at the start. */
static void test_bad_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	errno = 0;
	ok(!outstream_fd(fd, "stdout", 0) && errno == EBADF, "read-only: EBADF");
	close(fd);
	errno = 0;
	ok(!outstream_fd(fd, "stdout", 0) && errno == EBADF, "closed: EBADF");
}

/*
 * A file that cannot grow past 4096 bytes (RLIMIT_FSIZE: EFBIG, as a full disk): at the
 * end it is cut back to the last whole event, so a reader finds no half line.
 */
static void test_cut(void)
{
	char path[] = "/tmp/pwru-outstream-XXXXXX";
	struct rlimit old, lim = {.rlim_cur = 4096};
	int fd = mkstemp(path);
	struct outstream *s = outstream_fd(fd, "--output-file x", 1);
	struct stat st;

	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim.rlim_max = old.rlim_max;
	ok(s && !setrlimit(RLIMIT_FSIZE, &lim), "a file limited to 4096 bytes");
	if (!s)
		return;
	fputs("HEADER\n", outstream_file(s));
	fflush(outstream_file(s));
	outstream_whole(s);
	write_events(s, 100);
	fflush(outstream_file(s));
	is_int(outstream_error(s), EFBIG, "the write past it fails: EFBIG");
	is_int((int)outstream_unwritten(s), 100 - (4096 - 7) / LINE,
	       "the events not in it whole are counted out");
	outstream_close(s);
	setrlimit(RLIMIT_FSIZE, &old);
	ok(!stat(path, &st) && st.st_size == 7 + (4096 - 7) / LINE * LINE,
	   "cut back to the header and the whole events (%lld bytes)", (long long)st.st_size);
	unlink(path);
}

/* --output-file on a full disk: the rotating stream keeps the error too. */
static void test_rotate_full(void)
{
	struct rotate_opts ro = {.max_bytes = 1 << 20};
	struct outstream *s = rotate_open("/dev/full", &ro, "--output-file /dev/full");

	ok(s != NULL, "rotate_open /dev/full");
	if (!s)
		return;
	write_events(s, 5);
	fflush(outstream_file(s));
	is_int(outstream_error(s), ENOSPC, "--output-file: ENOSPC");
	is_int((int)outstream_unwritten(s), 5, "--output-file: 5 events not written");
	outstream_close(s);
}

int main(void)
{
	test_full();
	test_partial();
	test_abandoned();
	test_bad_fd();
	test_cut();
	test_rotate_full();
	return tap_done();
}
