/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where an skb's life ends, told from the names of the events seen at its address, on
 * every backend (kprobe's kfree_skbmem, the tracepoint backend's tp:consume_skb): the slab
 * hands a freed skb's address to the next packet at once, so one address is many packets
 * in a row. --output-chains and --summary tell them apart the same way.
 *
 * Some events come late: a function whose result pwru shows (nf_hook_slow, nft_do_chain)
 * sends its event at its exit with the time of its entry, and a dropped packet is freed
 * before that exit. Such an event is older than the address's latest one, and a new
 * packet's events are all younger than the old packet's free: so an event older than the
 * latest one is the old packet's, whatever its name, however its life stands.
 */
#ifndef PWRU_SKB_LIFE_H
#define PWRU_SKB_LIFE_H

#include <stdbool.h>
#include <stdint.h>

enum skb_point {
	SKB_POINT_NONE,
	SKB_POINT_FREE,	   /* a free or drop point: more freeing of the same skb may follow */
	SKB_POINT_FINAL,   /* kfree_skbmem, a free tracepoint: nothing of this skb follows */
	SKB_POINT_RELEASE, /* the free path's own work (skb_release_data, sock_wfree, ...) */
	/*
	 * skb_attempt_defer_free: a free point whose free may run later, on the CPU that made
	 * the skb, whenever its network softirq next runs; no other packet takes the address
	 * before it.
	 */
	SKB_POINT_DEFER,
};

/*
 * What the event named FUNC (as pwru shows it; NULL: unknown) is in an skb's life: by its
 * name, so worked out once per function (enrich's cache), not per event.
 */
enum skb_point skb_point_of(const char *func);

/* One address's life between its events; 0 is an address not seen yet. */
enum skb_life { SKB_UNSEEN, SKB_LIVE, SKB_ENDING, SKB_GONE };

/*
 * Moves LIFE (an address's state and its latest event's time in one word, which --summary
 * keeps per address; 0: unseen) on by an event at TS that is point P (its function's).
 * True when the event starts a new skb's life there: the address is new; or the event is
 * not older than the latest one and comes after the slab free, or after a free point and
 * is not more freeing.
 */
bool skb_life_next(uint64_t *life, enum skb_point p, uint64_t ts);

/* The state LIFE is in. */
enum skb_life skb_life_state(uint64_t life);
/* The latest of LIFE's event times. */
uint64_t skb_life_ts(uint64_t life);

#endif
