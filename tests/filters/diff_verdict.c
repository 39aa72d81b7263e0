// SPDX-License-Identifier: GPL-2.0
/* Turns the per-task outcomes into TAP verdicts, and checks the corpus has teeth. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "deviation.h"
#include "diff_run.h"

static void vdiag(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	if (v->ndiag >= sizeof(v->diag) / sizeof(v->diag[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(v->diag[v->ndiag++], sizeof(v->diag[0]), fmt, ap);
	va_end(ap);
}

static void copy_diag(struct verdict *v, const struct diff_outcome *o)
{
	size_t i;

	for (i = 0; i < o->ndiag; i++)
		vdiag(v, "%s", o->diag[i]);
}

/* libpcap refuses EXPR on this link: ours must refuse it too, or match nothing. */
static void judge_rejected(struct verdict *v, const struct diff_outcome *o, const char *what)
{
	if (!o->ours_ok) {
		v->pass = 1;
		snprintf(v->desc, sizeof(v->desc), "%s: libpcap and ours reject it", what);
		vdiag(v, "libpcap: %s", o->ref_err);
		vdiag(v, "ours: %s", o->our_err);
		return;
	}
	v->pass = !o->our_matches && !o->run_errors;
	snprintf(v->desc, sizeof(v->desc),
		 "%s: libpcap rejects it, ours loads it and matches %zu of %zu packets", what,
		 o->our_matches, o->compared);
	vdiag(v, "libpcap: %s", o->ref_err);
	copy_diag(v, o);
}

static void judge(struct verdict *v, const struct diff_outcome *o, const char *what,
		  const char *expr, enum capture_link link, int ref_only)
{
	char judged[1024];

	if (ref_only) {
		v->pass = 1;
		if (o->ref_ok)
			snprintf(v->desc, sizeof(v->desc), "%s: libpcap matches %zu of %zu", what,
				 o->ref_matches, o->compared);
		else
			snprintf(v->desc, sizeof(v->desc), "%s: libpcap rejects it: %s", what,
				 o->ref_err);
		return;
	}
	if (!o->ref_ok)
		return judge_rejected(v, o, what);
	if (o->deviation)
		vdiag(v, "deviation: %s", deviation_matches_nothing(expr, link));
	if (deviation_reference_expr(expr, judged, sizeof(judged)) > 0)
		vdiag(v, "deviation: libpcap judges '%.200s' (see deviation.h)", judged);
	if (!o->ours_ok) {
		snprintf(v->desc, sizeof(v->desc), "%s: libpcap compiles it, ours fails: %s", what,
			 o->our_err);
		return;
	}
	v->pass = !o->mismatches && !o->run_errors;
	snprintf(v->desc, sizeof(v->desc), "%s: %zu packets, %s %zu, ours %zu, %zu differ%s", what,
		 o->compared, o->deviation ? "expected (deviation)" : "libpcap matches",
		 o->ref_matches, o->our_matches, o->mismatches,
		 o->run_errors ? ", some failed to run" : "");
	if (o->excluded)
		vdiag(v, "%zu packets excluded (exclusions.txt)", o->excluded);
	copy_diag(v, o);
}

void diff_report(struct diff_ctx *ctx, const struct diff_outcome *out, size_t ntasks,
		 verdict_fn report)
{
	size_t t;

	for (t = 0; t < ntasks; t++) {
		enum capture_link link = t % LINK_COUNT;
		const char *expr = ctx->corpus.exprs[t / LINK_COUNT];
		struct exclusion *e = exclusions_find(&ctx->ex, EXCL_EXPR, link, expr, NULL);
		struct verdict v = {0};
		char what[400];

		snprintf(what, sizeof(what), "%s '%s'", capture_link_name(link), expr);
		if (e) {
			v.pass = 1;
			v.skip = e->reason;
			snprintf(v.desc, sizeof(v.desc), "%s", what);
		} else if (!out[t].done) {
			snprintf(v.desc, sizeof(v.desc), "%s: never ran (worker died?)", what);
		} else {
			judge(&v, &out[t], what, expr, link, ctx->ref_only);
		}
		report(&v);
	}
}

/* Every compiled (expression, link) pair must match something, or be listed as nomatch. */
static void check_each_matches(struct diff_ctx *ctx, const struct diff_outcome *out,
			       verdict_fn report)
{
	struct verdict v = {0};
	size_t t, silent = 0, stale = 0;

	for (t = 0; t < ctx->corpus.n * LINK_COUNT; t++) {
		enum capture_link link = t % LINK_COUNT;
		const char *expr = ctx->corpus.exprs[t / LINK_COUNT];
		int listed, matched = out[t].ref_matches > 0;

		if (!out[t].ref_ok || out[t].deviation)
			continue;
		listed = exclusions_find(&ctx->ex, EXCL_NOMATCH, link, expr, NULL) != NULL;
		if (listed == matched) {
			vdiag(&v, "%s '%s': %s", capture_link_name(link), expr,
			      matched ? "matches packets but is listed nomatch"
				      : "matches no packet and is not listed nomatch");
			silent += !matched;
			stale += matched;
		}
	}
	v.pass = !silent && !stale;
	snprintf(v.desc, sizeof(v.desc),
		 "every expression libpcap compiles matches some packet, or is listed nomatch, "
		 "or is a deviation (%zu unlisted, %zu stale)",
		 silent, stale);
	report(&v);
}

static int names_capture(const struct capture_set *set, const char *file)
{
	size_t i;

	for (i = 0; i < set->nnames; i++)
		if (!strcmp(set->names[i], file))
			return 1;
	return 0;
}

/* A typo in exclusions.txt would silently exclude nothing: every line must name real things. */
static void check_exclusions_apply(struct diff_ctx *ctx, verdict_fn report)
{
	struct verdict v = {0};
	size_t i, bad = 0;

	for (i = 0; i < ctx->ex.n; i++) {
		const struct exclusion *e = &ctx->ex.v[i];
		const char *what = NULL;

		if (e->expr && !corpus_has(&ctx->corpus, e->expr))
			what = "expression is not in the corpus";
		else if (e->file && !names_capture(&ctx->set, e->file))
			what = "no such capture file";
		if (!what)
			continue;
		bad++;
		vdiag(&v, "'%.100s'%s%.100s: %s", e->expr ? e->expr : "*", e->file ? " on " : "",
		      e->file ? e->file : "", what);
	}
	v.pass = !bad;
	snprintf(v.desc, sizeof(v.desc),
		 "every exclusion line names a corpus expression and a "
		 "capture file that exist (%zu do not)",
		 bad);
	report(&v);
}

void sanity_checks(struct diff_ctx *ctx, const struct diff_outcome *out, size_t min_exprs,
		   size_t min_total, verdict_fn report)
{
	size_t t, total = 0, compiled[LINK_COUNT] = {0};
	struct verdict v = {0};

	v.pass = ctx->corpus.n >= min_exprs;
	snprintf(v.desc, sizeof(v.desc), "corpus has %zu expressions (at least %zu)", ctx->corpus.n,
		 min_exprs);
	report(&v);

	for (t = 0; t < ctx->corpus.n * LINK_COUNT; t++) {
		total += out[t].ref_matches;
		compiled[t % LINK_COUNT] += out[t].ref_ok;
	}
	memset(&v, 0, sizeof(v));
	v.pass =
	    compiled[LINK_L2] * 10 >= ctx->corpus.n * 9 && compiled[LINK_L3] * 2 >= ctx->corpus.n;
	snprintf(v.desc, sizeof(v.desc),
		 "libpcap compiles %zu expressions for EN10MB and %zu for RAW (at least 90%% and "
		 "50%%)",
		 compiled[LINK_L2], compiled[LINK_L3]);
	report(&v);

	memset(&v, 0, sizeof(v));
	v.pass = total >= min_total;
	snprintf(v.desc, sizeof(v.desc),
		 "libpcap matches %zu (expression, packet) pairs "
		 "(at least %zu)",
		 total, min_total);
	report(&v);
	check_each_matches(ctx, out, report);
	check_exclusions_apply(ctx, report);
}

void control_check(struct diff_ctx *ctx, verdict_fn report)
{
	static struct diff_outcome o;
	struct verdict v = {0};

	diff_run_control(ctx, "ip", LINK_L2, &o);
	v.pass = o.ours_ok && o.compared > 1000 && o.mismatches == o.compared;
	snprintf(v.desc, sizeof(v.desc),
		 "negative control: with our answers inverted, 'ip' differs on %zu of %zu packets "
		 "(must be all)",
		 o.mismatches, o.compared);
	if (!o.ours_ok)
		vdiag(&v, "ours: %s", o.our_err);
	report(&v);
}
