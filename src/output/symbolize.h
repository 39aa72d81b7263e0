/* SPDX-License-Identifier: GPL-2.0 */
/* The FUNC column: the traced function's name, with the drop reason for the drop points. */
#ifndef PWRU_SYMBOLIZE_H
#define PWRU_SYMBOLIZE_H

#include <stddef.h>
#include "event.h"

struct kallsyms;
struct drop_reasons;

/*
 * Writes the name of EV's function to BUF: kallsyms name at ev->addr (or just below it, as
 * an endbr64 or int3 can put the probe a few bytes in), "0x<addr>" when unknown, and for
 * kfree_skb_reason / sk_skb_reason_drop the reason, e.g.
 * "kfree_skb_reason(SKB_DROP_REASON_NOT_SPECIFIED)". Returns the length written.
 */
size_t symbolize_func(const struct kallsyms *ks, const struct drop_reasons *dr,
		      const struct pwru_event *ev, char *buf, size_t len);

#endif
