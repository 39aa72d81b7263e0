/* SPDX-License-Identifier: GPL-2.0 */
/* For unit tests that run filters in the kernel through the checker. */
#ifndef PWRU_CHECKER_TAP_H
#define PWRU_CHECKER_TAP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "src/check_filter.h"
#include "tap.h"

#ifndef DLT_EN10MB /* pcap/pcap.h cannot go with the kernel's bpf.h */
#define DLT_EN10MB 1
#endif

/*
 * Whether this machine can load and test-run a filter at all. False, with the reason in WHY,
 * only for what means "not here": not root, or a refusal the checker reports as EPERM (no
 * privilege) or EOPNOTSUPP (the kernel lacks what it needs). Any other failure to load the
 * empty filter is a regression: it is reported as a failed test and the program exits, so a
 * broken loader can never turn into skips.
 */
static inline int checker_loadable(char *why, size_t len)
{
	struct filter_checker *c;
	struct pwru_err e = {0};

	if (geteuid()) {
		snprintf(why, len, "needs root (BPF_PROG_TEST_RUN)");
		return 0;
	}
	if (!filter_checker_open("", DLT_EN10MB, &c, &e)) {
		filter_checker_close(c);
		return 1;
	}
	if (e.errnum == EPERM || e.errnum == EOPNOTSUPP) {
		snprintf(why, len, "%s", e.msg);
		return 0;
	}
	ok(0, "the empty filter loads: %s", e.msg);
	exit(tap_done());
}

/* Opens EXPR for L2 as one TAP test; NULL, with the reason as a comment, when it fails. */
static inline struct filter_checker *checker_open_tap(const char *expr)
{
	struct filter_checker *c;
	struct pwru_err e = {0};
	int ret = filter_checker_open(expr, DLT_EN10MB, &c, &e);

	ok(!ret, "'%s' loads", expr);
	if (ret) {
		printf("#   %s\n", e.msg);
		return NULL;
	}
	return c;
}

#endif
