/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --timestamp relative: the ns since the skb's event before this one in time. Events come
 * in the order the kernel sent them, mostly the order they happened; a late one
 * (nf_hook_slow's and nft_do_chain's verdicts, sent at the exit with the entry's time)
 * comes after the events of the functions it called. Its time is measured from the
 * latest event before it in time, found among the last few events held; the events after
 * it from the skb's latest before them, not from the late one: no delta is negative, none
 * made up.
 */
#ifndef PWRU_SKB_TIMES_H
#define PWRU_SKB_TIMES_H

#include <stddef.h>
#include <stdint.h>
#include "src/output/skb_life.h"

struct skb_times;

/* At most SKBS skbs' latest times (more: forgotten, as u64map does). NULL on no memory. */
struct skb_times *skb_times_new(size_t skbs);
/*
 * The ns since SKB's event before TS in time, and TS remembered; 0 for the skb's first
 * event (or a late one whose predecessor is no longer held). P is the event's function's
 * point in an skb's life (skb_life.h): a packet that takes a freed one's address starts
 * at 0 too, not from the freed one's last event.
 */
uint64_t skb_times_since(struct skb_times *t, uint64_t skb, uint64_t ts, enum skb_point p);
void skb_times_free(struct skb_times *t);

#endif
