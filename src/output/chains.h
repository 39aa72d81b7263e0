/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events grouped per packet (skb): a chain starts at an skb's first event and ends when the
 * skb is freed (kfree_skbmem, or a free or drop point followed by quiet or by another
 * packet's event at the address: skb_life.h, every backend's names), after an idle
 * timeout, or at exit. A freed skb's chain waits for the address's next packet or a short
 * quiet before it is handed on: events sent at a function's exit with its entry's time
 * come after the free and go back into the chain where they happened (steps are in time
 * order). Bounded: at most MAX chains in flight and STEPS events per chain;
 * reaching either is counted and said. A step may carry what its sink made of the event's
 * symbols (caller, stack) while they were valid: the sink's bytes, freed with the chain, at
 * most SYM_BYTES of them held at once (past it, dropped and counted).
 */
#ifndef PWRU_CHAINS_H
#define PWRU_CHAINS_H

#include "src/output/record.h"

struct chain_step {
	struct func_ref f;
	uint64_t ts;
	uint32_t mark; /* skb->mark there, for --output-cilium */
	void *sym;     /* the sink's, or NULL */
	size_t sym_len;
};

enum chain_end { CHAIN_FREED, CHAIN_DROPPED, CHAIN_IDLE, CHAIN_EXIT, CHAIN_FULL };

struct chain {
	uint64_t skb;
	struct pwru_tuple tuple; /* of the first event */
	uint32_t netns;
	/*
	 * The first device the packet had (0: none): a packet a socket sends has none before
	 * ip_output sets it.
	 */
	uint32_t ifindex;
	char ifname[PWRU_IFNAMSIZ];
	uint64_t dev_ts; /* the time of the step it came from */
	char process[64];
	uint64_t first_ts;
	struct chain_step *steps;
	uint32_t n, cap;
	bool truncated; /* more events than the step limit */
	uint64_t life;	/* skb_life_next()'s: the state, and the latest step's time */
	bool deferred;	/* its last free point was skb_attempt_defer_free: its free comes later */
	bool dropped;
	struct func_ref drop; /* the drop point, with its reason */
	enum chain_end end;
};

typedef int (*chain_done_fn)(void *ctx, const struct chain *c);

struct chains;

struct chains *chains_new(size_t max_chains, uint32_t max_steps, chain_done_fn done, void *ctx);
/* Adds R to its skb's chain; chains that end on the way are handed to DONE. */
int chains_add(struct chains *cs, const struct pwru_record *r);
/* The same, the step keeping SYM (LEN bytes, malloc'ed: the chains' from here on). */
int chains_add_sym(struct chains *cs, const struct pwru_record *r, void *sym, size_t len);
/* Held symbol bytes at the most (default 64 MiB), and how many steps' were dropped. */
void chains_set_sym_budget(struct chains *cs, size_t bytes);
uint64_t chains_sym_dropped(const struct chains *cs);
/* Ends chains idle at NOW (the kernel's monotonic ns). */
int chains_tick(struct chains *cs, uint64_t now);
/* Ends every chain in flight (at exit). */
int chains_flush(struct chains *cs);
/* How often the table was full and chains were cut. */
uint64_t chains_cut(const struct chains *cs);
/* Late events (older than their address's latest) whose packet's chain was already handed
 * on: left out, not made a chain of their own. */
uint64_t chains_late(const struct chains *cs);
const char *chain_end_name(enum chain_end e);
/* A free that is not a drop (consume_skb, tp:consume_skb, kfree_skbmem, ...): when it comes
 * is timing. */
bool chain_is_release(const struct func_ref *f);
void chains_free(struct chains *cs);

#endif
