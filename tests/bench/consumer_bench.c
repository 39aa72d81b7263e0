// SPDX-License-Identifier: GPL-2.0
/*
 * The consumer's speed, without kprobes: bench_events.bpf.c (the tracing programs' own fill
 * code) run by BPF_PROG_TEST_RUN fills the ring buffer with real records; then the real
 * consumer drains it (ring buffer -> decode -> enrich -> sink) into /dev/null and into a
 * file, per sink, timed on one core. The floor drains the same records but writes a line
 * formatted beforehand, of the same length: what reading and writing cost with no work.
 * Prints lines per second of this thread's CPU time and ratios to the floor measured in
 * this run.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "kallsyms/kallsyms.h"
#include "src/output/pipeline.h"
#include "src/output/proc_cache.h"
#include "tests/unit/bpf_records.h"

#define RB_SIZE (64u << 20)
#define BATCH	200000 /* records per fill: about 36 MB of 176-byte records */
#define ROUNDS	5

struct run {
	struct pipeline *p;
	FILE *out;
	const char *line[2]; /* the floor's pre-formatted lines, in turn */
	size_t len[2];
	uint64_t n;
};

static int consume_real(void *ctx, void *data, size_t size)
{
	struct run *r = ctx;

	r->n++;
	return pipeline_record(r->p, data, size);
}

static int consume_floor(void *ctx, void *data, size_t size)
{
	struct run *r = ctx;
	size_t i = r->n++ & 1;

	return fwrite(r->line[i], 1, r->len[i], r->out) == r->len[i] ? 0 : -1;
}

static double now(void)
{
	struct timespec ts;

	/* CPU time of this thread (user and system): the machine is shared, wall time is not ours
	 */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Every record the same (one packet at one function), or two packets at two functions in
 * turn (varied): then whatever a sink keeps from one event to the next is made again.
 */
static uint8_t frame[2][128];
static size_t frame_len[2];
static uint64_t func_addr[2];
static bool varied;

static int fill(struct bpf_records *b)
{
	uint32_t i;

	if (!varied)
		return bpf_records_run(b, frame[0], frame_len[0], func_addr[0], BATCH);
	for (i = 0; i < BATCH; i++)
		if (bpf_records_run(b, frame[i & 1], frame_len[i & 1], func_addr[i & 1], 1))
			return -1;
	return 0;
}

/* Fills the ring buffer, then times draining it; returns records per second. */
static double drain(struct bpf_records *b, ring_buffer_sample_fn fn, struct run *r)
{
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(b->skel->maps.events), fn, r, NULL);
	double t0, t1, best = 0;
	int round;

	for (round = 0; rb && round < ROUNDS; round++) {
		if (fill(b))
			break;
		r->n = 0;
		t0 = now();
		ring_buffer__consume(rb);
		fflush(r->out);
		t1 = now();
		if (r->n && r->n / (t1 - t0) > best)
			best = (double)r->n / (t1 - t0);
	}
	ring_buffer__free(rb);
	return best;
}

static FILE *open_out(const char *where)
{
	FILE *f = fopen(where, "w");

	if (f)
		setvbuf(f, NULL, _IOFBF, 1 << 16);
	return f;
}

/* The floor's lines: the last two the sink wrote (varied), or its last one twice. */
struct lines {
	char line[2][8192];
	size_t len[2];
};

static void last_lines(const char *mem, size_t mlen, struct lines *l)
{
	const char *end = mem + mlen, *nl;
	int i;

	for (i = 1; i >= 0; i--) {
		nl = end > mem + 1 ? memrchr(mem, '\n', (size_t)(end - mem) - 1) : NULL;
		l->len[i] = nl ? (size_t)(end - nl) - 1 : 0;
		if (l->len[i] > sizeof(l->line[i]))
			l->len[i] = 0;
		memcpy(l->line[i], nl + 1, l->len[i]);
		end = nl ? nl + 1 : mem;
	}
	if (!varied) {
		memcpy(l->line[0], l->line[1], l->len[1]);
		l->len[0] = l->len[1];
	}
}

/* The sink's rate into WHERE, and its last lines. */
static double sink_rate(struct bpf_records *b, struct kallsyms *ks, const char *sink,
			const char *where, struct lines *l)
{
	struct sink_opts so = {.meta = true, .tuple = true};
	struct pipeline p = {.en = {.ksyms = ks, .procs = proc_cache_new()}, .diag = stderr};
	struct run r = {.p = &p};
	char *mem = NULL;
	size_t mlen = 0;
	FILE *one = open_memstream(&mem, &mlen);
	double rate;

	/* its lines, for the floor */
	pipeline_add(&p, sink_find(sink), one, &so);
	pipeline_open(&p);
	r.out = one;
	drain(b, consume_real, &r);
	fflush(one);
	last_lines(mem, mlen, l);
	p.n = 0;
	fclose(one);
	free(mem);
	r.out = open_out(where);
	pipeline_add(&p, sink_find(sink), r.out, &so);
	pipeline_open(&p);
	rate = drain(b, consume_real, &r);
	p.sinks[0].ops->close(&p.sinks[0], &p.st);
	fclose(r.out);
	proc_cache_free(p.en.procs);
	return rate;
}

static double floor_rate(struct bpf_records *b, const struct lines *l, const char *where)
{
	struct run r = {.line = {l->line[0], l->line[1]},
			.len = {l->len[0], l->len[1]},
			.out = open_out(where)};
	double rate = drain(b, consume_floor, &r);

	fclose(r.out);
	return rate;
}

/* A second packet, 20 bytes longer, from another port. */
static size_t other_frame(uint8_t *f)
{
	size_t n = tcp_syn_frame(f), i;

	f[17] = 80;   /* IPv4 total length */
	f[35] = 0x41; /* source port 40001 */
	for (i = 0; i < 20; i++)
		f[n + i] = (uint8_t)('A' + i);
	return n + 20;
}

static void rows(struct bpf_records *b, struct kallsyms *ks, const char *file)
{
	static const char *const sinks[] = {"text", "json"};
	static struct lines l;
	size_t i;
	int w;

	for (i = 0; i < 2; i++) {
		const char *where[2] = {"/dev/null", file};

		for (w = 0; w < 2; w++) {
			double rate = sink_rate(b, ks, sinks[i], where[w], &l);
			double fl = floor_rate(b, &l, where[w]);

			printf("%-6s %-10s %-8s %14.0f %14.0f %10.2f\n", sinks[i],
			       w ? "file" : "/dev/null", varied ? "2 in turn" : "same", rate, fl,
			       rate > 0 ? fl / rate : 0);
		}
	}
}

int main(void)
{
	char file[] = "/tmp/pwru-bench-XXXXXX";
	const struct ksym *s;
	struct kallsyms *ks;
	struct bpf_records b;
	int fd = mkstemp(file);

	if (fd < 0 || kallsyms_load(NULL, &ks) || bpf_records_open(&b, 0, false, RB_SIZE)) {
		fprintf(stderr,
			"consumer-bench: needs root, /proc/kallsyms and BPF_PROG_TEST_RUN\n");
		return 1;
	}
	close(fd);
	func_addr[0] = kallsyms_lookup_name(ks, "ip_rcv", NULL, &s) ? s->addr : 0;
	func_addr[1] = kallsyms_lookup_name(ks, "tcp_v4_rcv", NULL, &s) ? s->addr : 0;
	frame_len[0] = tcp_syn_frame(frame[0]);
	frame_len[1] = other_frame(frame[1]);
	printf("consumer: records of %zu bytes, %d per fill, best of %d, per second of CPU\n",
	       sizeof(struct pwru_event), BATCH, ROUNDS);
	printf("%-6s %-10s %-8s %14s %14s %10s\n", "sink", "to", "records", "lines/s",
	       "floor lines/s", "x floor");
	rows(&b, ks, file);
	varied = true;
	rows(&b, ks, file);
	unlink(file);
	bpf_records_close(&b);
	kallsyms_free(ks);
	return 0;
}
