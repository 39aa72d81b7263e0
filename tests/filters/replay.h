/* SPDX-License-Identifier: GPL-2.0 */
/* Replays saved single-packet cases: regressions (text) and the fuzzer's seed inputs. */
#ifndef PWRU_TESTS_REPLAY_H
#define PWRU_TESTS_REPLAY_H

#include "diff_run.h"

/* One verdict per DIR/ *.txt regression file. */
void replay_regressions(struct diff_ctx *ctx, const char *dir, verdict_fn report);
/* One verdict for all fuzzer inputs in DIR, decoded as the fuzzer decodes them. */
void replay_seeds(struct diff_ctx *ctx, const char *dir, verdict_fn report);

#endif
