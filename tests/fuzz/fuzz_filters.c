// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: our eBPF filter against libpcap's interpreter on one (expression,
 * packet) case per input. A disagreement is saved as a regression file and aborts. Loaded
 * filters are cached by expression: each load is a verifier run, far slower than a packet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "captures.h"
#include "checker.h"
#include "corpus.h"
#include "deviation.h"
#include "exclusions.h"
#include "fuzz_input.h"
#include "reference.h"
#include "regression.h"

#define CACHE_SLOTS 4096
#define MAX_NOTED   5

struct cached {
	char expr[FUZZ_EXPR_MAX];
	int link, used, ref_ok, deviation, excluded;
	struct bpf_program prog;
	struct filter_checker *ours;
	char err[256];
};

static struct capture_set set;
static struct corpus corpus;
static struct exclusions ex;
static struct cached cache[CACHE_SLOTS];
static unsigned int cached_n;
static const char *regress_dir;
static struct fuzz_opts opts = {FUZZ_POOL_DEFAULT, 0, 0};

static struct {
	unsigned long runs, exprs, ref_rejected, open_failed, compared, matched, run_errors;
	char noted[MAX_NOTED][400];
	unsigned int nnoted;
} st;

static void note(const char *fmt, const char *a, const char *b)
{
	if (st.nnoted < MAX_NOTED)
		snprintf(st.noted[st.nnoted++], sizeof(st.noted[0]), fmt, a, b);
}

static void drop(struct cached *e)
{
	if (e->ours)
		filter_checker_close(e->ours);
	if (e->ref_ok)
		pcap_freecode(&e->prog);
	memset(e, 0, sizeof(*e));
}

static void flush_cache(void)
{
	unsigned int i;

	for (i = 0; i < CACHE_SLOTS; i++)
		if (cache[i].used)
			drop(&cache[i]);
	cached_n = 0;
}

static void load(struct cached *e, const char *expr, int link)
{
	int dlt = capture_link_dlt(link);

	e->used = 1;
	e->link = link;
	strcpy(e->expr, expr);
	cached_n++;
	st.exprs++;
	e->deviation = deviation_matches_nothing(expr, link) != NULL;
	/* Corpus lines come with their exclusions: inbound/outbound have no libpcap answer. */
	e->excluded = exclusions_find(&ex, EXCL_EXPR, link, expr, NULL) != NULL;
	if (e->excluded)
		return;
	e->ref_ok = !reference_compile(expr, dlt, &e->prog, e->err, sizeof(e->err));
	if (!e->ref_ok) {
		st.ref_rejected++;
		return;
	}
	if (checker_open_msg(expr, dlt, &e->ours, e->err, sizeof(e->err)) || !e->ours) {
		e->ours = NULL;
		st.open_failed++;
		note("libpcap compiles '%s', ours fails: %s", expr, e->err);
	}
}

/* Open addressing; when three quarters full, start again rather than evict one by one. */
static struct cached *lookup(const char *expr, int link)
{
	unsigned int h = 2166136261u + link, i;
	const char *s;

	for (s = expr; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	if (cached_n >= CACHE_SLOTS * 3 / 4)
		flush_cache();
	for (i = h % CACHE_SLOTS;; i = (i + 1) % CACHE_SLOTS) {
		struct cached *e = &cache[i];

		if (!e->used) {
			load(e, expr, link);
			return e;
		}
		if (e->link == link && !strcmp(e->expr, expr))
			return e;
	}
}

static void report_mismatch(const struct fuzz_case *c, int want, int got)
{
	struct regression r = {(char *)c->expr, c->link, c->wirelen, c->caplen,
			       (unsigned char *)c->pkt};
	char path[4096], why[200];

	snprintf(why, sizeof(why), "found by make fuzz-filters: libpcap %d, ours %d", want, got);
	fprintf(stderr, "fuzz-filters: MISMATCH %s '%s' caplen %u wirelen %u%s%s:%u: %s\n",
		capture_link_name(c->link), c->expr, c->caplen, c->wirelen,
		c->base ? ", mutated from " : "", c->base ? c->base->file : "",
		c->base ? c->base->index : 0, why);
	if (regression_save(regress_dir, &r, why, path, sizeof(path)))
		fprintf(stderr, "fuzz-filters: cannot write %s\n", path);
	else
		fprintf(stderr, "fuzz-filters: saved %s\n", path);
	abort();
}

static void summary(void)
{
	unsigned int i;

	printf("fuzz-filters: expression pool %u, salt %u, constant shifts %d\n", opts.pool,
	       opts.salt, opts.const_shifts);
	printf("fuzz-filters: %lu cases, %lu distinct expressions loaded (%lu rejected by "
	       "libpcap, %lu libpcap accepts but ours fails to load), %lu packets compared, "
	       "%lu matched, %lu run errors, 0 mismatches\n",
	       st.runs, st.exprs, st.ref_rejected, st.open_failed, st.compared, st.matched,
	       st.run_errors);
	for (i = 0; i < st.nnoted; i++)
		printf("fuzz-filters:   %s\n", st.noted[i]);
	flush_cache();
	corpus_free(&corpus);
	exclusions_free(&ex);
	captures_free(&set);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *pcaps = getenv("FUZZ_PCAPS"), *exprs = getenv("FUZZ_EXPRS");
	const char *excl = getenv("FUZZ_EXCLUSIONS");
	char err[512];

	if (getenv("FUZZ_POOL"))
		opts.pool = strtoul(getenv("FUZZ_POOL"), NULL, 0);
	if (getenv("FUZZ_CONST_SHIFTS"))
		opts.const_shifts = atoi(getenv("FUZZ_CONST_SHIFTS"));
	if (getenv("FUZZ_SALT"))
		opts.salt = strtoul(getenv("FUZZ_SALT"), NULL, 0);
	regress_dir = getenv("FUZZ_REGRESSIONS");
	if (!regress_dir)
		regress_dir = "tests/filters/regressions";
	if (!checker_linked()) {
		fprintf(stderr, "fuzz-filters: filter_checker_open() is not linked in\n");
		exit(1);
	}
	if (captures_load(pcaps ? pcaps : "../shared/pcaps", 1, &set, err, sizeof(err)) ||
	    corpus_load(exprs ? exprs : "tests/filters/exprs.txt", &corpus, err, sizeof(err)) ||
	    exclusions_load(excl ? excl : "tests/filters/exclusions.txt", &ex, err, sizeof(err))) {
		fprintf(stderr, "fuzz-filters: %s (run from the repository root)\n", err);
		exit(1);
	}
	atexit(summary);
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct fuzz_case c;
	struct cached *e;
	int want, got = 0;

	fuzz_decode(data, size, &set, &corpus, &opts, &c);
	st.runs++;
	e = lookup(c.expr, c.link);
	if (e->excluded || !e->ref_ok || !e->ours)
		return 0;
	if (c.base && exclusions_find(&ex, EXCL_PACKET, c.link, c.expr, c.base))
		return 0;
	want = e->deviation ? 0 : reference_match(&e->prog, c.pkt, c.caplen, c.wirelen);
	if (filter_checker_run(e->ours, c.pkt, c.caplen, c.wirelen, &got)) {
		if (!st.run_errors++)
			note("%s: first run error, on a %s-byte packet", c.expr,
			     c.caplen < 14 ? "short" : "normal");
		return 0;
	}
	st.compared++;
	st.matched += want;
	if (want != got)
		report_mismatch(&c, want, got);
	return 0;
}
