// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reference.h"
#include "regression.h"
#include "replay.h"
#include "checker.h"

/*
 * Runs one packet both ways. Returns 0 when they agree (a libpcap rejection counts as "no
 * match", which ours may give by refusing the expression), -1 with the reason in WHY.
 */
int replay_case(struct diff_ctx *ctx, const char *expr, enum capture_link link,
		const unsigned char *pkt, unsigned int caplen, unsigned int wirelen, char *why,
		size_t whylen)
{
	struct filter_checker *c = NULL;
	struct bpf_program prog;
	char rerr[256], oerr[256];
	int want = 0, got = 0, ref_ok, rc;

	ref_ok = !reference_compile(expr, capture_link_dlt(link), &prog, rerr, sizeof(rerr));
	if (ref_ok) {
		want = reference_match(&prog, pkt, caplen, wirelen);
		pcap_freecode(&prog);
	}
	if (!ctx->have_checker) {
		snprintf(why, whylen, "filter_checker_open() is not linked in");
		return -1;
	}
	if (filter_checker_open(expr, capture_link_dlt(link), &c, oerr, sizeof(oerr))) {
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

static void replay_file(struct diff_ctx *ctx, const char *dir, const char *name,
			verdict_fn report)
{
	struct verdict v = { 0 };
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
		struct verdict v = { 0 };

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
void replay_seeds(struct diff_ctx *ctx, const char *dir, verdict_fn report) {}
