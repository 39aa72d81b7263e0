// SPDX-License-Identifier: GPL-2.0
/*
 * The differential filter test: every corpus expression, compiled for EN10MB and DLT_RAW,
 * run by our eBPF filter (filter_checker_*, BPF_PROG_TEST_RUN) and by libpcap's interpreter
 * over every packet of the shared captures; then the saved regressions and the fuzzer's seed
 * corpus. Prints TAP. See docs/testing-filters.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "captures.h"
#include "corpus.h"
#include "diff_run.h"
#include "exclusions.h"
#include "fuzz_input.h"
#include "regression.h"
#include "replay.h"
#include "checker.h"
#include "tap.h"

/* Below these the corpus or the captures have lost their teeth (see sanity_checks). */
#define MIN_EXPRS	  300
#define MIN_TOTAL_MATCHES 100000

struct opts {
	const char *exprs, *exclusions, *pcaps, *regressions, *seeds, *only, *decode;
	int jobs, ref_only, no_derive;
};

static void usage(void)
{
	fprintf(
	    stderr,
	    "usage: filters-diff [--ref-only] [--only EXPR] [-j JOBS] [--exprs FILE]\n"
	    "                    [--exclusions FILE] [--pcaps DIR] [--regressions DIR]\n"
	    "                    [--seeds DIR] [--no-derive]\n"
	    "       filters-diff --decode FUZZ_INPUT   (print it as a regression file)\n"
	    "The defaults are found from the binary (build/tests/ of the repository), so it runs\n"
	    "from any directory; the captures are the repository's ../shared/pcaps.\n");
}

/*
 * REL under the repository this binary was built in (its path is REPO/build/tests/NAME),
 * not under the current directory; REL itself when that cannot be told. The strings live
 * for the whole run.
 */
static const char *repo_path(const char *rel)
{
	static char paths[8][4096];
	static int used;
	char exe[4000], *p;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int up;

	if (n <= 0 || used == 8)
		return rel;
	exe[n] = '\0';
	for (up = 0; up < 3; up++) {
		p = strrchr(exe, '/');
		if (!p)
			return rel;
		*p = '\0';
	}
	snprintf(paths[used], sizeof(paths[used]), "%s/%s", exe, rel);
	return paths[used++];
}

static void report(const struct verdict *v)
{
	size_t i;

	if (v->skip)
		ok(1, "%s # skip %s", v->desc, v->skip);
	else
		ok(v->pass, "%s", v->desc);
	for (i = 0; i < v->ndiag; i++)
		printf("#   %s\n", v->diag[i]);
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
	    {"exprs", 1, NULL, 'e'},	   {"exclusions", 1, NULL, 'x'}, {"pcaps", 1, NULL, 'p'},
	    {"regressions", 1, NULL, 'r'}, {"seeds", 1, NULL, 's'},	 {"only", 1, NULL, 'o'},
	    {"ref-only", 0, NULL, 'R'},	   {"no-derive", 0, NULL, 'D'},	 {"jobs", 1, NULL, 'j'},
	    {"decode", 1, NULL, 'd'},	   {NULL, 0, NULL, 0},
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->exprs = repo_path("tests/filters/exprs.txt");
	o->exclusions = repo_path("tests/filters/exclusions.txt");
	o->pcaps = repo_path("../shared/pcaps");
	o->regressions = repo_path("tests/filters/regressions");
	o->seeds = repo_path("tests/fuzz/corpus");
	o->jobs = 2;
	while ((c = getopt_long(argc, argv, "j:", longs, NULL)) != -1) {
		switch (c) {
		case 'e':
			o->exprs = optarg;
			break;
		case 'x':
			o->exclusions = optarg;
			break;
		case 'p':
			o->pcaps = optarg;
			break;
		case 'r':
			o->regressions = optarg;
			break;
		case 's':
			o->seeds = optarg;
			break;
		case 'o':
			o->only = optarg;
			break;
		case 'R':
			o->ref_only = 1;
			break;
		case 'D':
			o->no_derive = 1;
			break;
		case 'j':
			o->jobs = atoi(optarg);
			break;
		case 'd':
			o->decode = optarg;
			break;
		default:
			usage();
			return -1;
		}
	}
	if (optind != argc || o->jobs < 1) {
		usage();
		return -1;
	}
	return 0;
}

/*
 * Each worker takes every JOBS-th expression, on every link type; results land in memory
 * shared with the parent.
 */
static int run_all(struct diff_ctx *ctx, struct diff_outcome *out, int jobs)
{
	int w, status, failed = 0;
	size_t e;

	for (w = 0; w < jobs; w++) {
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (pid)
			continue;
		for (e = w; e < ctx->corpus.n; e += jobs)
			diff_run_expr(ctx, e, &out[e * LINK_COUNT]);
		/* exit(), not _exit(): LeakSanitizer then checks each worker's checker use. */
		corpus_free(&ctx->corpus);
		exclusions_free(&ctx->ex);
		captures_free(&ctx->set);
		exit(0);
	}
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	return failed ? -1 : 0;
}

static int load_inputs(const struct opts *o, struct diff_ctx *ctx, char *err, size_t errlen)
{
	if (captures_load(o->pcaps, !o->no_derive, &ctx->set, err, errlen))
		return -1;
	if (exclusions_load(o->exclusions, &ctx->ex, err, errlen))
		return -1;
	if (o->only) {
		ctx->corpus.exprs = calloc(1, sizeof(char *));
		ctx->corpus.exprs[0] = strdup(o->only);
		ctx->corpus.n = 1;
		return 0;
	}
	return corpus_load(o->exprs, &ctx->corpus, err, errlen);
}

/* A fuzzer input as a regression file, decoded with the fuzzer's FUZZ_* settings. */
static int decode_input(const struct opts *o, char *err, size_t errlen)
{
	static struct fuzz_case c;
	struct fuzz_opts fo = {FUZZ_POOL_DEFAULT, 0, 0};
	struct capture_set set;
	struct corpus corpus;
	unsigned char buf[4096];
	struct regression r;
	size_t n = 0;
	FILE *f;

	if (getenv("FUZZ_POOL"))
		fo.pool = strtoul(getenv("FUZZ_POOL"), NULL, 0);
	if (getenv("FUZZ_SALT"))
		fo.salt = strtoul(getenv("FUZZ_SALT"), NULL, 0);
	if (getenv("FUZZ_CONST_SHIFTS"))
		fo.const_shifts = atoi(getenv("FUZZ_CONST_SHIFTS"));
	f = fopen(o->decode, "rb");
	if (f) {
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
	} else {
		snprintf(err, errlen, "%s: %s", o->decode, strerror(errno));
		return -1;
	}
	if (captures_load(o->pcaps, 1, &set, err, errlen))
		return -1;
	if (corpus_load(o->exprs, &corpus, err, errlen)) {
		captures_free(&set);
		return -1;
	}
	fuzz_decode(buf, n, &set, &corpus, &fo, &c);
	r = (struct regression){c.expr, c.link, c.wirelen, c.caplen, c.pkt};
	regression_write(stdout, &r, "decoded from a fuzzer input");
	if (c.base)
		printf("# mutated from %s:%u\n", c.base->file, c.base->index);
	corpus_free(&corpus);
	captures_free(&set);
	return 0;
}

static void free_inputs(struct diff_ctx *ctx)
{
	corpus_free(&ctx->corpus);
	exclusions_free(&ctx->ex);
	captures_free(&ctx->set);
}

static void print_header(const struct diff_ctx *ctx)
{
	int l;

	for (l = 0; l < LINK_COUNT; l++)
		printf("# %s: %zu packets from %zu files (%zu truncated)\n", capture_link_name(l),
		       ctx->set.count[l], ctx->set.files[l], ctx->set.truncated[l]);
	printf("# %zu expressions, %zu exclusion lines%s\n", ctx->corpus.n, ctx->ex.n,
	       ctx->ref_only ? "; --ref-only: libpcap side only" : "");
}

int main(int argc, char **argv)
{
	struct diff_ctx ctx = {0};
	struct diff_outcome *out;
	char err[512];
	size_t ntasks, bytes;
	struct opts o;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_opts(argc, argv, &o))
		return 2;
	ctx.ref_only = o.ref_only;
	ctx.have_checker = checker_linked();
	if (o.decode) {
		int rc = decode_input(&o, err, sizeof(err));

		if (rc)
			fprintf(stderr, "filters-diff: %s\n", err);
		return rc ? 2 : 0;
	}
	if (load_inputs(&o, &ctx, err, sizeof(err))) {
		ok(0, "load the test inputs: %s", err);
		free_inputs(&ctx);
		return tap_done();
	}
	print_header(&ctx);
	ntasks = ctx.corpus.n * LINK_COUNT;
	bytes = ntasks * sizeof(*out);
	out = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (out == MAP_FAILED) {
		ok(0, "map %zu bytes for the results: %s", bytes, strerror(errno));
		free_inputs(&ctx);
		return tap_done();
	}
	if (run_all(&ctx, out, o.jobs))
		ok(0, "every worker exits cleanly (see the sanitizer report above)");
	diff_report(&ctx, out, ntasks, report);
	if (!o.only) {
		sanity_checks(&ctx, out, MIN_EXPRS, MIN_TOTAL_MATCHES, report);
		if (!o.ref_only) {
			control_check(&ctx, report);
			replay_regressions(&ctx, o.regressions, report);
			replay_seeds(&ctx, o.seeds, report);
		}
	}
	munmap(out, bytes);
	free_inputs(&ctx);
	return tap_done();
}
