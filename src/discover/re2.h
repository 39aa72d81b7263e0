/* SPDX-License-Identifier: GPL-2.0 */
/* --filter-func's RE2 (cilium/pwru's syntax) as the POSIX extended regex regcomp takes. */
#ifndef PWRU_RE2_H
#define PWRU_RE2_H

#include "src/error.h"

/*
 * *ERE (malloc'd): RE, rewritten to match the same function names; *CFLAGS: REG_ICASE for
 * a leading (?i), else 0. -1 with E set (bad input) for what POSIX has no form of.
 */
int re2_to_ere(const char *re, char **ere, int *cflags, struct pwru_err *e);

#endif
