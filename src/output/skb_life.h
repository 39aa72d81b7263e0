/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where an skb's life ends, told from the names of the events seen at its address, on
 * every backend (kprobe's kfree_skbmem, the tracepoint backend's tp:consume_skb): the slab
 * hands a freed skb's address to the next packet at once, so one address is many packets
 * in a row. --output-chains and --summary tell them apart the same way.
 */
#ifndef PWRU_SKB_LIFE_H
#define PWRU_SKB_LIFE_H

#include <stdbool.h>
#include <stdint.h>

enum skb_point {
	SKB_POINT_NONE,
	SKB_POINT_FREE,	 /* a free or drop point: more freeing of the same skb may follow */
	SKB_POINT_FINAL, /* kfree_skbmem, a free tracepoint: nothing of this skb follows */
};

/*
 * What the event named FUNC (as pwru shows it; NULL: unknown) is in an skb's life: by its
 * name, so worked out once per function (enrich's cache), not per event.
 */
enum skb_point skb_point_of(const char *func);

/* One address's state between its events; 0 is an address not seen yet. */
enum skb_life { SKB_UNSEEN, SKB_LIVE, SKB_ENDING, SKB_GONE };

/*
 * Moves *LIFE on by an event at that address that is point P (its function's). True when
 * the event starts a new skb's life there: the address is new, or after a free point
 * anything but more freeing.
 */
bool skb_life_next(uint8_t *life, enum skb_point p);

#endif
