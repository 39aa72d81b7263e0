/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The implementation under test, src/check_filter.h, referenced weakly: until the compiler
 * lands the checker may be missing, and the test must then fail, not fail to link.
 */
#ifndef PWRU_TESTS_CHECKER_H
#define PWRU_TESTS_CHECKER_H

#include "src/check_filter.h"

#pragma weak filter_checker_open
#pragma weak filter_checker_run
#pragma weak filter_checker_close

static inline int checker_linked(void)
{
	return filter_checker_open && filter_checker_run && filter_checker_close;
}

#endif
