// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdlib.h>
#include "src/output/skb_times.h"
#include "src/output/u64map.h"

/* The events a late one can look back over: more than a hook's own calls with every
 * function traced, with other CPUs' events between them. */
#define RECENT 1024

struct recent {
	uint64_t skb, ts;
	bool late;
};

struct skb_times {
	struct u64map *latest; /* skb -> its life word: the latest event's time, its state */
	struct recent r[RECENT];
	size_t next;
};

struct skb_times *skb_times_new(size_t skbs)
{
	struct skb_times *t = calloc(1, sizeof(*t));

	if (t)
		t->latest = u64map_new(skbs);
	if (t && !t->latest) {
		free(t);
		return NULL;
	}
	return t;
}

/*
 * The latest of SKB's held events not after TS. Events that were not late came in time
 * order, and a late one is older than the event before it: so the first not-late one
 * not after TS ends the search, the late ones on the way are weighed too.
 */
static uint64_t late_since(const struct skb_times *t, uint64_t skb, uint64_t ts)
{
	uint64_t best = 0;
	bool found = false;
	size_t i;

	for (i = 1; i <= RECENT; i++) {
		const struct recent *e = &t->r[(t->next + RECENT - i) % RECENT];

		if (e->skb != skb || e->ts > ts)
			continue;
		if (!found || e->ts > best)
			best = e->ts;
		found = true;
		if (!e->late)
			break;
	}
	return found ? ts - best : 0;
}

uint64_t skb_times_since(struct skb_times *t, uint64_t skb, uint64_t ts, enum skb_point p)
{
	bool fresh, late;
	uint64_t *life = u64map_get(t->latest, skb, &fresh), prev, since;

	if (fresh)
		*life = 0;
	prev = skb_life_ts(*life);
	late = !fresh && ts < prev;
	if (skb_life_next(life, p, ts)) /* the address's first packet, or a new one there */
		since = 0;
	else
		since = late ? late_since(t, skb, ts) : ts - prev;
	t->r[t->next] = (struct recent){skb, ts, late};
	t->next = (t->next + 1) % RECENT;
	return since;
}

void skb_times_free(struct skb_times *t)
{
	if (!t)
		return;
	u64map_free(t->latest);
	free(t);
}
