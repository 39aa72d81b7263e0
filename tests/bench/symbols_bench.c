// SPDX-License-Identifier: GPL-2.0
/*
 * What source lines cost (--vmlinux or the distribution's debug package): start-up with the
 * debug info against start-up with kallsyms alone, and the resolution of one stack frame,
 * new and seen before (the symbolizer's cache), with and without lines. The baseline is
 * kallsyms alone, measured in the same run. Inputs: a vmlinux with DWARF and the kallsyms
 * text of that kernel (tests/bench/run makes it from the vmlinux's symbol table, without
 * KASLR). Times are CPU time of this thread, best of a few rounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kallsyms/kallsyms.h"
#include "kallsyms/srcline.h"
#include "kallsyms/symbolizer.h"

#define NADDR  2000 /* frames: functions spread evenly over the kernel */
#define ROUNDS 3

struct input {
	char *text;
	size_t len;
	uint64_t *addrs;
	size_t naddrs;
	const char *vmlinux;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_all(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "r");
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	*buf = malloc((size_t)n + 1);
	*len = *buf ? fread(*buf, 1, (size_t)n, f) : 0;
	fclose(f);
	return *buf && *len == (size_t)n ? 0 : -1;
}

/* A kallsyms line's address and type; 0 when it is not a text symbol. */
static uint64_t text_addr(const char *line)
{
	char *end;
	uint64_t a = strtoull(line, &end, 16);

	return end[0] == ' ' && kallsyms_is_text(end[1]) ? a : 0;
}

static const char *next_line(const char *p)
{
	p = strchr(p, '\n');
	return p ? p + 1 : NULL;
}

/* Every STEP-th text symbol, at the middle of its span: where return addresses land. */
static size_t pick_frames(const char *text, uint64_t *out, size_t max)
{
	size_t ntext = 0, n = 0, step, i = 0;
	uint64_t a, prev = 0;
	const char *p;

	for (p = text; p && *p; p = next_line(p))
		ntext += text_addr(p) != 0;
	step = ntext / (max + 1) + 1;
	for (p = text; p && *p && n < max; p = next_line(p)) {
		a = text_addr(p);
		if (!a)
			continue;
		if (prev && a > prev && i++ % step == 0)
			out[n++] = prev + (a - prev) / 2;
		prev = a;
	}
	return n;
}

/* Start-up: kallsyms parsed and the symbolizer made, with the debug info opened or not. */
static struct symbolizer *open_syms(const struct input *in, int lines, struct kallsyms **ks)
{
	struct ksrc_opts o = {.vmlinux = in->vmlinux, .root = "/nonexistent", .release = "bench"};
	struct ksrc *src = NULL;
	char err[256];

	if (kallsyms_parse(in->text, in->len, ks))
		return NULL;
	if (lines && ksrc_open(*ks, &o, &src, err, sizeof(err))) {
		fprintf(stderr, "symbols-bench: %s\n", err);
		return NULL;
	}
	return symbolizer_new(*ks, src, 0);
}

static void close_syms(struct symbolizer *s, struct kallsyms *ks)
{
	symbolizer_free(s);
	kallsyms_free(ks);
}

struct costs {
	double startup, first, cold, warm; /* seconds; per frame for cold and warm */
	size_t with_lines;
};

static int measure(const struct input *in, int lines, struct costs *c)
{
	struct kallsyms *ks = NULL;
	struct symbolizer *s;
	const struct sym_frame *f;
	double t0 = now(), t1;
	size_t i;

	s = open_syms(in, lines, &ks);
	if (!s)
		return -1;
	c->startup = now() - t0;
	t0 = now();
	c->with_lines = symbolizer_lookup(s, in->addrs[0], 1)->nsrc > 0;
	c->first = now() - t0;
	t0 = now();
	for (i = 1; i < in->naddrs; i++) {
		f = symbolizer_lookup(s, in->addrs[i], 1);
		c->with_lines += f->nsrc > 0;
	}
	t1 = now();
	c->cold = (t1 - t0) / (double)(in->naddrs - 1);
	for (i = 1; i < in->naddrs; i++)
		symbolizer_lookup(s, in->addrs[i], 1);
	c->warm = (now() - t1) / (double)(in->naddrs - 1);
	close_syms(s, ks);
	return 0;
}

static void keep_best(struct costs *best, const struct costs *c, int round)
{
	if (!round || c->startup < best->startup)
		best->startup = c->startup;
	if (!round || c->first < best->first)
		best->first = c->first;
	if (!round || c->cold < best->cold)
		best->cold = c->cold;
	if (!round || c->warm < best->warm)
		best->warm = c->warm;
	best->with_lines = c->with_lines;
}

int main(int argc, char **argv)
{
	static uint64_t addrs[NADDR];
	struct input in = {.addrs = addrs};
	struct costs base = {0}, dbg = {0}, c;
	int r;

	if (argc != 3 || read_all(argv[2], &in.text, &in.len)) {
		fprintf(stderr, "usage: symbols-bench VMLINUX KALLSYMS-TEXT\n");
		return 2;
	}
	in.vmlinux = argv[1];
	in.naddrs = pick_frames(in.text, addrs, NADDR);
	for (r = 0; r < ROUNDS; r++) {
		if (measure(&in, 0, &c))
			return 1;
		keep_best(&base, &c, r);
		if (measure(&in, 1, &c))
			return 1;
		keep_best(&dbg, &c, r);
	}
	printf("symbols: %s, %zu frames (%zu with lines), best of %d, CPU time\n", in.vmlinux,
	       in.naddrs, dbg.with_lines, ROUNDS);
	printf("%-34s %14s %14s %10s\n", "", "kallsyms only", "with lines", "x kallsyms");
	printf("%-34s %11.1f ms %11.1f ms %10.1f\n", "start-up (parse, open)", base.startup * 1e3,
	       dbg.startup * 1e3, dbg.startup / base.startup);
	printf("%-34s %11.1f us %11.1f us %10.1f\n", "first frame", base.first * 1e6,
	       dbg.first * 1e6, dbg.first / base.first);
	printf("%-34s %11.2f us %11.2f us %10.1f\n", "frame not seen before, each", base.cold * 1e6,
	       dbg.cold * 1e6, dbg.cold / base.cold);
	printf("%-34s %11.3f us %11.3f us %10.1f\n", "frame seen before (cache), each",
	       base.warm * 1e6, dbg.warm * 1e6, dbg.warm / base.warm);
	free(in.text);
	return 0;
}
