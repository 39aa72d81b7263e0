// SPDX-License-Identifier: GPL-2.0
/*
 * pwru's output streams: a failed write is kept with its errno (stdio alone reports a
 * buffered line as written), the events whose bytes did not all get out are counted, and
 * a second signal (outstream_abandoned) ends writing without waiting for the reader, and
 * after the first one no write waits longer than the stall limit for a reader that does not
 * read, not even one a signal reached just before write(2) began.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* A pipe of 4096 bytes, full, its reader open but not reading: a write into it blocks. */
static int full_pipe(int p[2])
{
	char b[4096] = {0};

	if (pipe2(p, O_CLOEXEC) || fcntl(p[1], F_SETPIPE_SZ, 4096) != 4096 ||
	    fcntl(p[1], F_SETFL, O_NONBLOCK))
		return -1;
	while (write(p[1], b, sizeof(b)) > 0)
		;
	return fcntl(p[1], F_SETFL, 0);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void stop_reset(void)
{
	outstream_stopping = 0;
	outstream_abandoned = 0;
	outstream_stall_ms = OUTSTREAM_STALL_MS;
}

/*
 * The writer's guard: once WRITER blocks in a pipe write (its wchan), SIG is sent to it (0:
 * none); if the write has not ended 10 s later the reader's end is closed, so that a
 * broken stream fails the test (EPIPE) instead of hanging it.
 */
struct guard {
	pthread_t thread, writer;
	pid_t writer_tid;
	int sig, reader, done[2];
};

static int blocked_writing(pid_t tid)
{
	char path[64], w[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/wchan", (int)tid);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(w, sizeof(w), f))
			w[0] = 0;
		fclose(f);
	}
	return strstr(w, "pipe_write") != NULL;
}

static void *guarding(void *arg)
{
	struct guard *g = arg;
	struct pollfd p = {.fd = g->done[0], .events = POLLIN};
	int i;

	for (i = 0; g->sig && i < 500 && !blocked_writing(g->writer_tid); i++)
		poll(&p, 1, 10);
	if (g->sig)
		pthread_kill(g->writer, g->sig);
	if (poll(&p, 1, 10000) == 0)
		close(g->reader);
	return NULL;
}

static void guard_start(struct guard *g, int sig, int reader)
{
	*g = (struct guard){
	    .writer = pthread_self(), .writer_tid = gettid(), .sig = sig, .reader = reader};
	if (pipe2(g->done, O_CLOEXEC) || pthread_create(&g->thread, NULL, guarding, g))
		abort();
}

static void guard_end(struct guard *g)
{
	close(g->done[1]);
	pthread_join(g->thread, NULL);
	close(g->done[0]);
}

/*
 * After the stop (a SIGTERM from timeout or systemd) a reader that takes nothing is given up
 * after the stall limit: the error is ETIMEDOUT, and the outputs are given up with it, as a
 * second signal would.
 */
static void test_stall(void)
{
	struct outstream *s;
	struct guard g;
	double t;
	int p[2];

	ok(!full_pipe(p), "a full pipe");
	s = outstream_fd(p[1], "stdout", 1);
	outstream_stall_ms = 200;
	outstream_stop();
	guard_start(&g, 0, p[0]);
	t = now_s();
	write_events(s, 3);
	ok(fflush(outstream_file(s)) != 0, "stalled after the stop: the flush fails");
	guard_end(&g);
	is_int(outstream_error(s), ETIMEDOUT, "with ETIMEDOUT");
	ok(now_s() - t < 5, "within the stall limit (%.2f s), not at the guard's 10 s",
	   now_s() - t);
	ok(outstream_abandoned, "the outputs are given up");
	is_int((int)outstream_unwritten(s), 3, "its 3 events are not written");
	outstream_close(s);
	close(p[0]);
	stop_reset();
}

/* After the stop, a reader with room takes everything, in writes of at most PIPE_BUF. */
static void test_drain_room(void)
{
	static char big[20000], back[sizeof(big)];
	uint64_t done = 0;
	ssize_t got = 0, r;
	int p[2];

	memset(big, 'y', sizeof(big));
	ok(!pipe2(p, O_CLOEXEC) && fcntl(p[1], F_SETPIPE_SZ, 65536) >= 65536, "a 64 KiB pipe");
	outstream_stop();
	ok(!outstream_write_all(p[1], big, sizeof(big), &done) && done == sizeof(big),
	   "after the stop, %zu bytes written whole", sizeof(big));
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	while ((r = read(p[0], back + got, sizeof(back) - (size_t)got)) > 0)
		got += r;
	ok(got == (ssize_t)sizeof(big) && !memcmp(big, back, sizeof(big)), "the reader has them");
	close(p[0]);
	close(p[1]);
	stop_reset();
}

/* A handler as pwru's, but restarting: what a signal just before write(2) leaves. */
static void on_usr1(int sig)
{
	outstream_stop();
}

/*
 * The stop reaches a write already blocked, with SA_RESTART: the kernel starts the write
 * again as if the signal had landed just before it, so nothing is left to end it but the
 * kick outstream_stop() sends. Without it the write blocks until the guard closes the
 * reader (EPIPE).
 */
static void test_stop_before_write(void)
{
	struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
	struct outstream *s;
	struct guard g;
	int p[2];

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	outstream_stop_arm();
	ok(!full_pipe(p), "a full pipe");
	s = outstream_fd(p[1], "stdout", 1);
	outstream_stall_ms = 200;
	guard_start(&g, SIGUSR1, p[0]);
	write_events(s, 3);
	fflush(outstream_file(s));
	guard_end(&g);
	is_int(outstream_error(s), ETIMEDOUT,
	       "a stop the write never saw: kicked, then given up (not EPIPE from the guard)");
	outstream_stop_disarm();
	outstream_close(s);
	close(p[0]);
	stop_reset();
}

/*
 * stderr (pwru 2>&1 | less): after the stop a message waits at most the stall limit and is
 * dropped, with every later one, without giving up the outputs; once they are given up, it
 * does not wait at all.
 */
static void test_diag(void)
{
	struct outstream *d;
	struct guard g;
	double t;
	int p[2];

	ok(!full_pipe(p), "a full pipe");
	d = outstream_diag(p[1]);
	outstream_stall_ms = 200;
	outstream_stop();
	guard_start(&g, 0, p[0]);
	ok(fprintf(outstream_file(d), "pwru: 1 events, 0 lost\n") < 0, "stderr stalled: dropped");
	is_int(outstream_error(d), ETIMEDOUT, "with ETIMEDOUT");
	ok(!outstream_abandoned, "the outputs are not given up for it");
	t = now_s();
	ok(fprintf(outstream_file(d), "pwru: more\n") < 0 && now_s() - t < 0.1,
	   "a later message is dropped at once");
	guard_end(&g);
	outstream_close(d);
	close(p[0]);
	close(p[1]);
	stop_reset();

	ok(!full_pipe(p), "a full pipe");
	d = outstream_diag(p[1]);
	outstream_stop();
	outstream_stop();
	guard_start(&g, 0, p[0]);
	t = now_s();
	ok(fprintf(outstream_file(d), "pwru: stopped again\n") < 0 && now_s() - t < 1,
	   "after a second stop, a stalled stderr is not waited for (%.2f s)", now_s() - t);
	guard_end(&g);
	outstream_close(d);
	read(p[0], (char[4096]){0}, 4096);
	d = outstream_diag(p[1]);
	ok(fprintf(outstream_file(d), "pwru: stopped again\n") > 0,
	   "but a stderr with room still gets it");
	outstream_close(d);
	close(p[0]);
	close(p[1]);
	stop_reset();
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_full();
	test_partial();
	test_abandoned();
	test_bad_fd();
	test_cut();
	test_rotate_full();
	test_stall();
	test_drain_room();
	test_stop_before_write();
	test_diag();
	return tap_done();
}
