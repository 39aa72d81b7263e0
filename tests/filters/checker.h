/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The implementation under test, src/check_filter.h, referenced weakly: until the compiler
 * lands the checker may be missing, and the test must then fail, not fail to link.
 */
#ifndef PWRU_TESTS_CHECKER_H
#define PWRU_TESTS_CHECKER_H

#include <string.h>
#include "src/check_filter.h"

#pragma weak filter_checker_open
#pragma weak filter_checker_run
#pragma weak filter_checker_close
#pragma weak filter_checker_set_dlt

static inline int checker_linked(void)
{
	return filter_checker_open && filter_checker_run && filter_checker_close &&
	       filter_checker_set_dlt;
}

/* filter_checker_open() with its message in MSG: a difference is a difference, whatever its class.
 */
static inline int checker_open_msg(const char *expr, int dlt, struct filter_checker **c, char *msg,
				   size_t len)
{
	struct pwru_err e = {0};
	int ret = filter_checker_open(expr, dlt, c, &e);
	size_t n = strnlen(e.msg, len - 1);

	if (ret) { /* cut to fit: a message longer than MSG is still worth its start */
		memcpy(msg, e.msg, n);
		msg[n] = '\0';
	}
	return ret;
}

#endif
