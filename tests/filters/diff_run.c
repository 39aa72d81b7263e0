// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "deviation.h"
#include "diff_run.h"
#include "reference.h"
#include "checker.h"

#define MAX_PKT_EXCL 64

/* The packet exclusions that can apply to EXPR on LINK, so the packet loop stays cheap. */
static size_t packet_exclusions(struct diff_ctx *ctx, enum capture_link link, const char *expr,
				struct exclusion **v)
{
	size_t i, n = 0;

	for (i = 0; i < ctx->ex.n && n < MAX_PKT_EXCL; i++) {
		struct exclusion *e = &ctx->ex.v[i];

		if (e->kind == EXCL_PACKET && (e->link < 0 || e->link == (int)link) &&
		    (!e->expr || !strcmp(e->expr, expr)))
			v[n++] = e;
	}
	return n;
}

static int packet_excluded(struct exclusion **v, size_t n, const struct capture_pkt *p)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i]->truncated ? p->caplen < p->wirelen
				    : !strcmp(v[i]->file, p->file) &&
					  (v[i]->index < 0 || v[i]->index == p->index))
			return 1;
	}
	return 0;
}

static void add_diag(struct diff_outcome *o, const char *fmt, ...)
{
	va_list ap;

	if (o->ndiag >= DIFF_MAX_DIAG)
		return;
	va_start(ap, fmt);
	vsnprintf(o->diag[o->ndiag++], sizeof(o->diag[0]), fmt, ap);
	va_end(ap);
}

static const char *pkt_name(const struct capture_pkt *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%u%s (caplen %u, wirelen %u)", p->file, p->index,
		 p->derived ? " without ethernet" : "", p->caplen, p->wirelen);
	return buf;
}

static void compare_pkt(struct diff_ctx *ctx, struct diff_outcome *o, struct filter_checker *c,
			const struct bpf_program *prog, const struct capture_pkt *p)
{
	int want =
	    o->ref_ok && !o->deviation ? reference_match(prog, p->data, p->caplen, p->wirelen) : 0;
	int got = 0, rc;
	char name[300];

	if (c) {
		rc = filter_checker_run(c, p->data, p->caplen, p->wirelen, &got);
		if (rc) {
			if (!o->run_errors++)
				add_diag(o, "%s: run failed: %s", pkt_name(p, name, sizeof(name)),
					 strerror(-rc));
			return;
		}
	}
	got ^= ctx->invert_ours;
	o->compared++;
	o->ref_matches += want;
	o->our_matches += got;
	if (c && want != got) {
		o->mismatches++;
		add_diag(o, "%s: libpcap %d, ours %d", pkt_name(p, name, sizeof(name)), want, got);
	}
}

static struct filter_checker *open_ours(struct diff_ctx *ctx, struct diff_outcome *o,
					const char *expr, int dlt)
{
	struct filter_checker *c = NULL;

	if (ctx->ref_only)
		return NULL;
	if (!ctx->have_checker) {
		snprintf(o->our_err, sizeof(o->our_err),
			 "filter_checker_open() is not linked in (src/check_filter.c)");
		return NULL;
	}
	o->ours_ok = !checker_open_msg(expr, dlt, &c, o->our_err, sizeof(o->our_err));
	if (o->ours_ok && !c) {
		o->ours_ok = 0;
		snprintf(o->our_err, sizeof(o->our_err), "filter_checker_open gave no checker");
	}
	return o->ours_ok ? c : NULL;
}

/* EXPR on LINK's packets, ours through C (NULL: not opened, o->our_err says why). */
static void run_link(struct diff_ctx *ctx, const char *expr, enum capture_link link,
		     struct filter_checker *c, struct diff_outcome *o)
{
	struct exclusion *pex[MAX_PKT_EXCL];
	struct bpf_program prog = {0};
	size_t i, npex;

	o->deviation = deviation_matches_nothing(expr, link) != NULL;
	o->ref_ok =
	    !reference_compile(expr, capture_link_dlt(link), &prog, o->ref_err, sizeof(o->ref_err));
	npex = packet_exclusions(ctx, link, expr, pex);
	for (i = 0; (o->ref_ok || c) && i < ctx->set.count[link]; i++) {
		const struct capture_pkt *p = &ctx->set.pkts[link][i];

		if (packet_excluded(pex, npex, p)) {
			o->excluded++;
			continue;
		}
		compare_pkt(ctx, o, c, &prog, p);
	}
	if (o->ref_ok)
		pcap_freecode(&prog);
}

/*
 * Ours for LINK: the checker loaded for an earlier link (FIRST, NULL if none) serves again,
 * switched to LINK's layer, since its program is the same for every link type; loading
 * again would only read and parse vmlinux BTF again, the larger part of this test's time.
 */
static struct filter_checker *ours_for(struct diff_ctx *ctx, struct diff_outcome *o,
				       const char *expr, enum capture_link link,
				       const struct diff_outcome *first, struct filter_checker *c)
{
	struct pwru_err e = {0};
	int dlt = capture_link_dlt(link);

	if (!first)
		return open_ours(ctx, o, expr, dlt);
	o->ours_ok = first->ours_ok;
	memcpy(o->our_err, first->our_err, sizeof(o->our_err));
	if (c && filter_checker_set_dlt(c, dlt, &e)) {
		o->ours_ok = 0;
		snprintf(o->our_err, sizeof(o->our_err), "%.*s", (int)sizeof(o->our_err) - 1,
			 e.msg);
		return NULL;
	}
	return c;
}

void diff_run_expr(struct diff_ctx *ctx, size_t e, struct diff_outcome o[LINK_COUNT])
{
	const char *expr = ctx->corpus.exprs[e];
	const struct diff_outcome *first = NULL;
	struct filter_checker *c = NULL, *cl;
	int link;

	for (link = 0; link < LINK_COUNT; link++) {
		memset(&o[link], 0, sizeof(o[link]));
		o[link].done = 1;
		if (exclusions_find(&ctx->ex, EXCL_EXPR, link, expr, NULL))
			continue;
		cl = ours_for(ctx, &o[link], expr, link, first, c);
		if (!first) {
			first = &o[link];
			c = cl;
		}
		run_link(ctx, expr, link, cl, &o[link]);
	}
	if (c)
		filter_checker_close(c);
}

void diff_run_control(struct diff_ctx *ctx, const char *expr, enum capture_link link,
		      struct diff_outcome *o)
{
	struct filter_checker *c;

	memset(o, 0, sizeof(*o));
	o->done = 1;
	ctx->invert_ours = 1;
	c = open_ours(ctx, o, expr, capture_link_dlt(link));
	run_link(ctx, expr, link, c, o);
	if (c)
		filter_checker_close(c);
	ctx->invert_ours = 0;
}
