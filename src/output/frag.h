/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A piece of a sink's line kept as it was made, with the bytes it was made from: along a
 * packet's path the process, the function and the device metadata repeat from one event to
 * the next, and copying them is cheaper than making them again.
 */
#ifndef PWRU_FRAG_H
#define PWRU_FRAG_H

#include <stdbool.h>
#include <string.h>
#include "event.h"
#include "src/output/fmt.h"

#define FRAG_TEXT_MAX 1024

/* The keys are the sinks' own, compared field by field: building one to compare as bytes
 * costs a stall (its small stores, read back as wide loads). */
struct frag {
	char text[FRAG_TEXT_MAX];
	size_t len; /* 0: nothing kept */
};

/* Appends the piece kept; false when none is. */
static inline bool frag_put(const struct frag *c, struct fmt *f)
{
	if (!c->len)
		return false;
	fmt_mem(f, c->text, c->len);
	return true;
}

/* Keeps what was written since START (nothing, when it is too long). */
static inline void frag_keep(struct frag *c, const struct fmt *f, const char *start)
{
	size_t len = (size_t)(f->p - start);

	c->len = len <= sizeof(c->text) ? len : 0;
	/* libc's copy: knowing the bound, the compiler would inline a slow-starting "rep movs" */
	len = c->len;
	__asm__("" : "+r"(len));
	memcpy(c->text, start, len);
}

/* What the device metadata (NETNS to LEN) are made of. */
struct frag_meta_key {
	uint32_t netns, mark, ifindex, mtu, len;
	uint16_t protocol;
	char ifname[PWRU_IFNAMSIZ];
};

static inline bool frag_meta_same(const struct frag_meta_key *k, const struct pwru_event *ev)
{
	return k->netns == ev->netns && k->mark == ev->mark && k->ifindex == ev->ifindex &&
	       k->mtu == ev->mtu && k->len == ev->len && k->protocol == ev->protocol &&
	       !memcmp(k->ifname, ev->ifname, PWRU_IFNAMSIZ);
}

static inline void frag_meta_set(struct frag_meta_key *k, const struct pwru_event *ev)
{
	*k = (struct frag_meta_key){ev->netns, ev->mark, ev->ifindex,
				    ev->mtu,   ev->len,	 ev->protocol};
	memcpy(k->ifname, ev->ifname, PWRU_IFNAMSIZ);
}

#endif
