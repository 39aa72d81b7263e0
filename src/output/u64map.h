/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded u64 -> u64 table (open addressing). Memory is fixed at creation: when it is
 * three quarters full it is emptied and the caller told, so a flood of distinct keys costs
 * accuracy, never memory.
 */
#ifndef PWRU_U64MAP_H
#define PWRU_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct u64map;

/* CAP is rounded up to a power of two. NULL on allocation failure. */
struct u64map *u64map_new(size_t cap);
/* The slot for KEY, inserted with value 0 if absent (*FRESH set). NULL only if cap is 0. */
uint64_t *u64map_get(struct u64map *m, uint64_t key, bool *fresh);
/* The slot for KEY, or NULL when it is absent (nothing inserted). */
uint64_t *u64map_find(struct u64map *m, uint64_t key);
void u64map_del(struct u64map *m, uint64_t key);
/* How many times the table filled up and was emptied. */
uint64_t u64map_resets(const struct u64map *m);
void u64map_free(struct u64map *m);

#endif
