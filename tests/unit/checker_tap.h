/* SPDX-License-Identifier: GPL-2.0 */
/* For unit tests that run filters in the kernel through the checker. */
#ifndef PWRU_CHECKER_TAP_H
#define PWRU_CHECKER_TAP_H

#include <pcap/pcap.h>
#include <stdio.h>
#include "src/check_filter.h"
#include "tap.h"

/* Whether this machine lets us load and test-run a filter at all (root, tc, test_run). */
static inline int checker_can_load(void)
{
	struct filter_checker *c;
	char err[512];
	int ret = filter_checker_open("", DLT_EN10MB, &c, err, sizeof(err));

	if (ret)
		printf("# cannot load BPF here: %s\n", err);
	else
		filter_checker_close(c);
	return !ret;
}

/* Opens EXPR for L2 as one TAP test; NULL, with the reason as a comment, when it fails. */
static inline struct filter_checker *checker_open_tap(const char *expr)
{
	struct filter_checker *c;
	char err[512];
	int ret = filter_checker_open(expr, DLT_EN10MB, &c, err, sizeof(err));

	ok(!ret, "'%s' loads", expr);
	if (ret) {
		printf("#   %s\n", err);
		return NULL;
	}
	return c;
}

#endif
