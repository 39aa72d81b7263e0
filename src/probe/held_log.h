/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbpf's warnings held back while a load runs whose failure the caller may explain
 * better itself (the filter checker's refusals, the CO-RE shadow object's load), then shown
 * or dropped. libbpf's printer is the process's: one hold at a time.
 */
#ifndef PWRU_HELD_LOG_H
#define PWRU_HELD_LOG_H

#include <stdbool.h>

void held_log_begin(void);
/* Puts the printer back; SHOW hands it what was held (to stderr, or to its own hold). */
void held_log_end(bool show);

#endif
