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
	const char *line; /* the floor's pre-formatted line */
	size_t len;
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

	r->n++;
	return fwrite(r->line, 1, r->len, r->out) == r->len ? 0 : -1;
}

static double now(void)
{
	struct timespec ts;

	/* CPU time of this thread (user and system): the machine is shared, wall time is not ours
	 */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t frame[128];
static size_t frame_len;
static uint64_t func_addr;

/* Fills the ring buffer, then times draining it; returns records per second. */
static double drain(struct bpf_records *b, ring_buffer_sample_fn fn, struct run *r)
{
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(b->skel->maps.events), fn, r, NULL);
	double t0, t1, best = 0;
	int round;

	for (round = 0; rb && round < ROUNDS; round++) {
		if (bpf_records_run(b, frame, frame_len, func_addr, BATCH))
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

/* The sink's rate into WHERE, and the length of one of its lines. */
static double sink_rate(struct bpf_records *b, struct kallsyms *ks, const char *sink,
			const char *where, char *line, size_t *len)
{
	struct sink_opts so = {.meta = true, .tuple = true};
	struct pipeline p = {.en = {.ksyms = ks, .procs = proc_cache_new()}, .diag = stderr};
	struct run r = {.p = &p};
	char *mem = NULL;
	size_t mlen = 0;
	FILE *one = open_memstream(&mem, &mlen);
	double rate;

	/* one line to learn its length, for the floor */
	pipeline_add(&p, sink_find(sink), one, &so);
	pipeline_open(&p);
	r.out = one;
	drain(b, consume_real, &r);
	fflush(one);
	{
		char *nl = mlen ? memrchr(mem, '\n', mlen - 1) : NULL;

		*len = nl ? mlen - (size_t)(nl - mem) - 1 : 0;
		if (*len)
			memcpy(line, nl + 1, *len);
	}
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

static double floor_rate(struct bpf_records *b, const char *line, size_t len, const char *where)
{
	struct run r = {.line = line, .len = len, .out = open_out(where)};
	double rate = drain(b, consume_floor, &r);

	fclose(r.out);
	return rate;
}

int main(void)
{
	static const char *const sinks[] = {"text", "json"};
	char file[] = "/tmp/pwru-bench-XXXXXX", line[8192];
	const struct ksym *s;
	struct kallsyms *ks;
	struct bpf_records b;
	size_t len, i;
	int fd = mkstemp(file);

	if (fd < 0 || kallsyms_load(NULL, &ks) || bpf_records_open(&b, 0, false, RB_SIZE)) {
		fprintf(stderr,
			"consumer-bench: needs root, /proc/kallsyms and BPF_PROG_TEST_RUN\n");
		return 1;
	}
	close(fd);
	func_addr = kallsyms_lookup_name(ks, "ip_rcv", NULL, &s) ? s->addr : 0;
	frame_len = tcp_syn_frame(frame);
	printf("consumer: records of %zu bytes, %d per fill, best of %d, per second of CPU\n",
	       sizeof(struct pwru_event), BATCH, ROUNDS);
	printf("%-6s %-10s %14s %14s %10s\n", "sink", "to", "lines/s", "floor lines/s", "x floor");
	for (i = 0; i < 2; i++) {
		const char *where[2] = {"/dev/null", file};
		int w;

		for (w = 0; w < 2; w++) {
			double rate = sink_rate(&b, ks, sinks[i], where[w], line, &len);
			double fl = floor_rate(&b, line, len, where[w]);

			printf("%-6s %-10s %14.0f %14.0f %10.2f\n", sinks[i],
			       w ? "file" : "/dev/null", rate, fl, rate > 0 ? fl / rate : 0);
		}
	}
	unlink(file);
	bpf_records_close(&b);
	kallsyms_free(ks);
	return 0;
}
