/* SPDX-License-Identifier: GPL-2.0 */
/* Names of the kernel's skb drop reasons, read from the BTF enum skb_drop_reason. */
#ifndef PWRU_DROP_REASON_H
#define PWRU_DROP_REASON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct btf;
struct drop_reasons;

/* Returns 0 (an empty table when this kernel has no such enum) or -ENOMEM. */
int drop_reasons_load(const struct btf *btf, struct drop_reasons **out);
/* The enumerator name for VALUE, or NULL. */
const char *drop_reason_name(const struct drop_reasons *dr, uint64_t value);
/* NAME's value in *VALUE: 0, or -ENOENT when this kernel has no such reason. A linear search. */
int drop_reason_value(const struct drop_reasons *dr, const char *name, uint64_t *value);
/*
 * VALUE is SKB_CONSUMED (6.2+), the kernel's own "not a drop", looked up once at load:
 * asked of every drop event.
 */
bool drop_reason_consumed(const struct drop_reasons *dr, uint64_t value);
void drop_reasons_free(struct drop_reasons *dr);
/* A table built by hand (a kept copy, src/probe/btf_uses.h): new, add each, then done. */
struct drop_reasons *drop_reasons_new(void);
int drop_reasons_add(struct drop_reasons *dr, uint64_t value, const char *name);
void drop_reasons_done(struct drop_reasons *dr);
size_t drop_reasons_count(const struct drop_reasons *dr);
/* The I-th reason's name, its value in *VALUE (by value's order after done). */
const char *drop_reasons_at(const struct drop_reasons *dr, size_t i, uint64_t *value);

#endif
