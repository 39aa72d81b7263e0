// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "src/output/chains.h"
#include "src/output/skb_life.h"
#include "src/output/u64map.h"

#define IDLE_NS 1000000000ull /* no event for 1 s: the packet is gone or parked */
/* after a free or drop point, 100 ms of quiet ends it: its late events come in micro-seconds */
#define ENDING_NS 100000000ull
/* after skb_attempt_defer_free, the free comes at the next softirq of the skb's CPU */
#define DEFER_NS  10000000000ull
#define SYM_BYTES (64u << 20)

struct chains {
	struct chain *c;     /* MAX slots; skb 0 marks a free one */
	struct u64map *idx;  /* skb -> slot + 1 */
	struct u64map *gone; /* skb -> its latest handed-on chain's life: for late events */
	uint64_t late;	     /* late events left out: their chain was handed on */
	size_t max, n;
	uint32_t max_steps;
	chain_done_fn done;
	void *ctx;
	uint64_t cut;
	uint64_t now; /* the latest event's time */
	size_t sym_held, sym_max;
	uint64_t sym_dropped;
};

struct chains *chains_new(size_t max_chains, uint32_t max_steps, chain_done_fn done, void *ctx)
{
	struct chains *cs = calloc(1, sizeof(*cs));

	if (!cs)
		return NULL;
	cs->c = calloc(max_chains, sizeof(*cs->c));
	/* twice the slots: the index never fills (and resets) before the table does */
	cs->idx = u64map_new(2 * max_chains);
	/* a freed address is taken again at once: more of them than packets in flight */
	cs->gone = u64map_new(4 * max_chains);
	cs->max = max_chains;
	cs->max_steps = max_steps;
	cs->done = done;
	cs->ctx = ctx;
	cs->sym_max = SYM_BYTES;
	if (!cs->c || !cs->idx || !cs->gone) {
		chains_free(cs);
		return NULL;
	}
	return cs;
}

bool chain_is_release(const struct func_ref *f)
{
	return !f->is_drop && f->skb_point != SKB_POINT_NONE;
}

static void free_steps(struct chains *cs, struct chain *c)
{
	uint32_t i;

	for (i = 0; i < c->n; i++) {
		cs->sym_held -= c->steps[i].sym_len;
		free(c->steps[i].sym);
	}
	free(c->steps);
}

static int finish(struct chains *cs, struct chain *c, enum chain_end end)
{
	uint64_t skb = c->skb;
	bool fresh;
	int rc;

	c->end = c->dropped && end != CHAIN_FULL ? CHAIN_DROPPED : end;
	rc = cs->done(cs->ctx, c);
	u64map_del(cs->idx, skb);
	*u64map_get(cs->gone, skb, &fresh) = c->life;
	free_steps(cs, c);
	memset(c, 0, sizeof(*c));
	cs->n--;
	return rc;
}

static struct chain *slot(struct chains *cs)
{
	size_t i;

	for (i = 0; i < cs->max; i++)
		if (!cs->c[i].skb)
			return &cs->c[i];
	return NULL;
}

static void start(struct chain *c, const struct pwru_record *r)
{
	const struct pwru_event *ev = r->ev;
	size_t n = r->proc_len < sizeof(c->process) - 1 ? r->proc_len : sizeof(c->process) - 1;

	c->skb = ev->skb;
	c->tuple = ev->tuple;
	c->netns = ev->netns;
	memcpy(c->process, r->proc_text, n);
	c->process[n] = '\0';
	c->first_ts = ev->ts;
}

/* The header's device: the first in time of the steps that had one. */
static void take_dev(struct chain *c, const struct pwru_event *ev)
{
	if (!ev->ifindex || (c->ifindex && c->dev_ts <= ev->ts))
		return;
	c->ifindex = ev->ifindex;
	memcpy(c->ifname, ev->ifname, PWRU_IFNAMSIZ);
	c->dev_ts = ev->ts;
}

/*
 * Where a step at TS goes: after every step not younger. A late event (sent at its
 * function's exit with its entry's time: skb_life.h) goes back to where it happened.
 */
static uint32_t place(const struct chain *c, uint64_t ts)
{
	uint32_t i = c->n;

	while (i && c->steps[i - 1].ts > ts)
		i--;
	return i;
}

static void append(struct chains *cs, struct chain *c, const struct pwru_record *r, void *sym,
		   size_t len)
{
	struct chain_step *s;
	uint32_t at;

	if (c->n == c->cap) {
		uint32_t cap = c->cap ? 2 * c->cap : 8;

		if (c->cap >= cs->max_steps || !(s = realloc(c->steps, cap * sizeof(*s)))) {
			c->truncated = true;
			free(sym);
			return;
		}
		c->steps = s;
		c->cap = cap;
	}
	if (sym && cs->sym_held + len > cs->sym_max) {
		cs->sym_dropped++;
		free(sym);
		sym = NULL;
	}
	if (!sym)
		len = 0;
	cs->sym_held += len;
	at = place(c, r->ev->ts);
	if (!at && c->n) /* before the first: the chain starts there, with its tuple */
		start(c, r);
	take_dev(c, r->ev);
	memmove(&c->steps[at + 1], &c->steps[at], (c->n - at) * sizeof(*c->steps));
	c->n++;
	c->steps[at] = (struct chain_step){record_func_ref(r), r->ev->ts, r->ev->mark, sym, len};
}

static bool ended(const struct chain *c)
{
	return skb_life_state(c->life) >= SKB_ENDING;
}

/* Ends the chains of packets freed for good; returns a slot made free, or NULL. */
static struct chain *end_gone(struct chains *cs, int *rc)
{
	struct chain *free_slot = NULL;
	size_t i;

	for (i = 0; i < cs->max; i++) {
		if (!cs->c[i].skb || skb_life_state(cs->c[i].life) != SKB_GONE)
			continue;
		*rc |= finish(cs, &cs->c[i], CHAIN_FREED);
		free_slot = &cs->c[i];
	}
	return free_slot;
}

static struct chain *find_or_start(struct chains *cs, const struct pwru_record *r, int *rc)
{
	bool fresh;
	uint64_t *ix = u64map_get(cs->idx, r->ev->skb, &fresh);
	struct chain *c;
	size_t i;

	if (!fresh)
		return &cs->c[*ix - 1];
	c = slot(cs);
	if (!c) /* full: the packets already gone end first, */
		c = end_gone(cs, rc);
	if (!c) { /* then every chain in flight is cut here */
		cs->cut++;
		for (i = 0; i < cs->max; i++)
			if (cs->c[i].skb)
				*rc |= finish(cs, &cs->c[i], CHAIN_FULL);
		ix = u64map_get(cs->idx, r->ev->skb, &fresh);
		c = slot(cs);
	}
	start(c, r);
	*ix = (uint64_t)(c - cs->c) + 1;
	cs->n++;
	return c;
}

int chains_add(struct chains *cs, const struct pwru_record *r)
{
	return chains_add_sym(cs, r, NULL, 0);
}

/*
 * An event older than the latest one of a chain handed on at its address is that packet's
 * (skb_life.h), come too late: a chain of its own would be a second one for the packet.
 */
static bool late_for_gone(struct chains *cs, const struct pwru_event *ev)
{
	const uint64_t *life = u64map_find(cs->gone, ev->skb);

	return life && ev->ts < skb_life_ts(*life);
}

int chains_add_sym(struct chains *cs, const struct pwru_record *r, void *sym, size_t len)
{
	struct chain *c;
	int rc = 0;

	if (!r->ev->skb) {
		free(sym);
		return 0;
	}
	if (late_for_gone(cs, r->ev)) {
		cs->late++;
		free(sym);
		return 0;
	}
	if (r->ev->ts > cs->now)
		cs->now = r->ev->ts;
	c = find_or_start(cs, r, &rc);
	if (skb_life_next(&c->life, r->skb_point, r->ev->ts) &&
	    c->n) { /* a new skb at a reused address */
		rc |= finish(cs, c, CHAIN_FREED);
		c = find_or_start(cs, r, &rc);
		skb_life_next(&c->life, r->skb_point, r->ev->ts);
	}
	append(cs, c, r, sym, len);
	if (r->skb_point != SKB_POINT_NONE && r->skb_point != SKB_POINT_RELEASE)
		c->deferred = r->skb_point == SKB_POINT_DEFER;
	if (r->is_drop && !c->dropped) {
		c->dropped = true;
		c->drop = record_func_ref(r);
	}
	/*
	 * A chain freed for good stays until the address's next packet or a short quiet:
	 * late events of its own (skb_life.h) may still come.
	 */
	return rc;
}

int chains_tick(struct chains *cs, uint64_t now)
{
	size_t i;
	int rc = 0;

	if (now < cs->now)
		now = cs->now;
	for (i = 0; i < cs->max && cs->n; i++) {
		struct chain *c = &cs->c[i];

		bool ending = ended(c);
		uint64_t quiet = c->deferred ? DEFER_NS : ending ? ENDING_NS : IDLE_NS;

		if (c->skb && now - skb_life_ts(c->life) > quiet)
			rc |= finish(cs, c, ending ? CHAIN_FREED : CHAIN_IDLE);
	}
	return rc;
}

/* Oldest first, so a run's chains come out in the order their packets appeared. */
int chains_flush(struct chains *cs)
{
	int rc = 0;

	while (cs->n) {
		struct chain *oldest = NULL;
		size_t i;

		for (i = 0; i < cs->max; i++)
			if (cs->c[i].skb && (!oldest || cs->c[i].first_ts < oldest->first_ts))
				oldest = &cs->c[i];
		rc |= finish(cs, oldest, ended(oldest) ? CHAIN_FREED : CHAIN_EXIT);
	}
	return rc;
}

uint64_t chains_cut(const struct chains *cs)
{
	return cs->cut;
}

uint64_t chains_late(const struct chains *cs)
{
	return cs->late;
}

void chains_set_sym_budget(struct chains *cs, size_t bytes)
{
	cs->sym_max = bytes;
}

uint64_t chains_sym_dropped(const struct chains *cs)
{
	return cs->sym_dropped;
}

const char *chain_end_name(enum chain_end e)
{
	static const char *const names[] = {"freed", "dropped", "idle", "exit", "table full"};

	return names[e];
}

void chains_free(struct chains *cs)
{
	size_t i;

	if (!cs)
		return;
	for (i = 0; cs->c && i < cs->max; i++)
		free_steps(cs, &cs->c[i]);
	free(cs->c);
	u64map_free(cs->idx);
	u64map_free(cs->gone);
	free(cs);
}
