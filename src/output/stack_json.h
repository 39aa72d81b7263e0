/* SPDX-License-Identifier: GPL-2.0 */
/* Symbolized frames as JSON keys, for every sink that writes them (events and chains). */
#ifndef PWRU_STACK_JSON_H
#define PWRU_STACK_JSON_H

#include <stdbool.h>
#include "src/output/fmt.h"
#include "src/output/record.h"

/*
 * Appends to an object being written: "func_file"/"func_line" with debug info, with CALLER
 * "caller_func" and "caller", with STACK "stack" (docs/json.md). Frames that would leave
 * F less than room for one more are left out, so the object still closes.
 */
void stack_json(struct fmt *f, bool caller, bool stack, const struct pwru_record *r);

#endif
