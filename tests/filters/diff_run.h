/* SPDX-License-Identifier: GPL-2.0 */
/* Runs one expression on one link type, both ways, and judges the outcomes. */
#ifndef PWRU_TESTS_DIFF_RUN_H
#define PWRU_TESTS_DIFF_RUN_H

#include <stddef.h>
#include "captures.h"
#include "corpus.h"
#include "exclusions.h"

#define DIFF_MAX_DIAG 4

struct diff_ctx {
	struct capture_set set;
	struct corpus corpus;
	struct exclusions ex;
	int ref_only;
	int have_checker;
	int invert_ours; /* the negative control: our answers flipped */
};

/* Fixed size and pointer-free: workers write it into memory shared with the parent. */
struct diff_outcome {
	int done;
	int ref_ok, ours_ok;
	int deviation; /* pwru must match nothing on purpose (deviation.h) */
	size_t compared, excluded, ref_matches, our_matches, mismatches, run_errors;
	char ref_err[256], our_err[256];
	char diag[DIFF_MAX_DIAG][200];
	size_t ndiag;
};

/* One TAP line: main owns the TAP counter. */
struct verdict {
	int pass;
	const char *skip; /* non-NULL: a "# skip" line with this reason */
	char desc[600];
	char diag[DIFF_MAX_DIAG + 2][256];
	size_t ndiag;
};
typedef void (*verdict_fn)(const struct verdict *v);

/*
 * Corpus expression E on every link type, into O[link]: outcome T of a run is expression
 * T / LINK_COUNT on link T % LINK_COUNT.
 */
void diff_run_expr(struct diff_ctx *ctx, size_t e, struct diff_outcome o[LINK_COUNT]);
/* Runs EXPR on LINK with our answers inverted: every packet must then be reported. */
void diff_run_control(struct diff_ctx *ctx, const char *expr, enum capture_link link,
		      struct diff_outcome *o);
/* One verdict per task, in corpus order. */
void diff_report(struct diff_ctx *ctx, const struct diff_outcome *out, size_t ntasks,
		 verdict_fn report);
/* The corpus cannot pass vacuously: size, per-expression matches, total matches. */
void sanity_checks(struct diff_ctx *ctx, const struct diff_outcome *out, size_t min_exprs,
		   size_t min_total, verdict_fn report);
/* The harness itself: a filter that answers wrong must fail (diff_run_control). */
void control_check(struct diff_ctx *ctx, verdict_fn report);

#endif
