// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reference.h"
#include "regression.h"
#include "replay.h"
#include "checker.h"
#include "deviation.h"
#include "fuzz_input.h"

/*
 * Runs one packet both ways. Returns 0 when they agree (a libpcap rejection counts as "no
 * match", which ours may give by refusing the expression), -1 with the reason in WHY.
 */
static int replay_case(struct diff_ctx *ctx, const char *expr, enum capture_link link,
		       const unsigned char *pkt, unsigned int caplen, unsigned int wirelen,
		       char *why, size_t whylen)
{
	struct filter_checker *c = NULL;
	struct bpf_program prog;
	char rerr[256], oerr[256];
	int want = 0, got = 0, ref_ok, rc;

	ref_ok = !reference_compile(expr, capture_link_dlt(link), &prog, rerr, sizeof(rerr));
	if (ref_ok) {
		if (!deviation_matches_nothing(expr, link))
			want = reference_match(&prog, pkt, caplen, wirelen);
		pcap_freecode(&prog);
	}
	if (!ctx->have_checker) {
		snprintf(why, whylen, "filter_checker_open() is not linked in");
		return -1;
	}
	if (checker_open_msg(expr, capture_link_dlt(link), &c, oerr, sizeof(oerr))) {
		snprintf(why, whylen, "libpcap %s, ours fails to open: %s",
			 ref_ok ? "compiles it" : "rejects it too", oerr);
		return ref_ok ? -1 : 0;
	}
	rc = filter_checker_run(c, pkt, caplen, wirelen, &got);
	filter_checker_close(c);
	snprintf(why, whylen, "libpcap %d%s, ours %d%s", want, ref_ok ? "" : " (rejects it)", got,
		 rc ? " (run failed)" : "");
	return rc || want != got ? -1 : 0;
}

static int is_txt(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && !strcmp(d->d_name + n - 4, ".txt");
}

static void replay_file(struct diff_ctx *ctx, const char *dir, const char *name, verdict_fn report)
{
	struct verdict v = {0};
	struct regression r;
	char path[4096], err[600];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (regression_load(path, &r, err, sizeof(err))) {
		snprintf(v.desc, sizeof(v.desc), "regression %.100s: %.400s", name, err);
		report(&v);
		return;
	}
	v.pass = !replay_case(ctx, r.expr, r.link, r.pkt, r.caplen, r.wirelen, err, sizeof(err));
	snprintf(v.desc, sizeof(v.desc), "regression %s: %s '%s' on %u of %u bytes", name,
		 capture_link_name(r.link), r.expr, r.caplen, r.wirelen);
	snprintf(v.diag[v.ndiag++], sizeof(v.diag[0]), "%.250s", err);
	report(&v);
	regression_free(&r);
}

void replay_regressions(struct diff_ctx *ctx, const char *dir, verdict_fn report)
{
	struct dirent **names;
	int i, n;

	n = scandir(dir, &names, is_txt, alphasort);
	if (n < 0) {
		struct verdict v = {0};

		snprintf(v.desc, sizeof(v.desc), "regressions folder %s cannot be read", dir);
		report(&v);
		return;
	}
	for (i = 0; i < n; i++) {
		replay_file(ctx, dir, names[i]->d_name, report);
		free(names[i]);
	}
	free(names);
}

static int is_seed(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static long read_seed(const char *path, unsigned char *buf, size_t len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len, f);
	fclose(f);
	return n;
}

/* Returns 0 when the seed's case agrees; else adds a diagnostic to V. */
static int replay_seed(struct diff_ctx *ctx, const char *dir, const char *name, struct verdict *v)
{
	static const struct fuzz_opts opts = {FUZZ_POOL_DEFAULT, 0, 0};
	static struct fuzz_case c;
	unsigned char buf[4096];
	char path[4096], why[400];
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	n = read_seed(path, buf, sizeof(buf));
	if (n < 0) {
		snprintf(why, sizeof(why), "cannot read it");
	} else {
		fuzz_decode(buf, n, &ctx->set, &ctx->corpus, &opts, &c);
		if (exclusions_find(&ctx->ex, EXCL_EXPR, c.link, c.expr, NULL) ||
		    (c.base && exclusions_find(&ctx->ex, EXCL_PACKET, c.link, c.expr, c.base)))
			return 0;
		if (!replay_case(ctx, c.expr, c.link, c.pkt, c.caplen, c.wirelen, why, sizeof(why)))
			return 0;
	}
	if (v->ndiag < sizeof(v->diag) / sizeof(v->diag[0]))
		snprintf(v->diag[v->ndiag++], sizeof(v->diag[0]), "%.60s: %s '%.80s': %.100s", name,
			 capture_link_name(c.link), c.expr, why);
	return -1;
}

void replay_seeds(struct diff_ctx *ctx, const char *dir, verdict_fn report)
{
	struct verdict v = {0};
	struct dirent **names;
	int i, n, bad = 0;

	n = scandir(dir, &names, is_seed, alphasort);
	for (i = 0; i < n; i++) {
		bad += !!replay_seed(ctx, dir, names[i]->d_name, &v);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	v.pass = n > 0 && !bad;
	snprintf(v.desc, sizeof(v.desc), "fuzzer seed corpus %s: %d inputs replayed, %d disagree",
		 dir, n, bad);
	report(&v);
}
