/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How often a running count is said again on stderr while it grows (events lost, skbs not
 * followed): at once, then after 2, 4, 8 ... s, at most once a minute. A flood that loses
 * events for a whole run is a dozen lines in a CI log or an SRE's terminal, not one a
 * second; the exit lines give the total.
 */
#ifndef PWRU_PACE_H
#define PWRU_PACE_H

#include <stdint.h>

#define PACE_FIRST_GAP_NS 2000000000ull
#define PACE_MAX_GAP_NS	  60000000000ull

struct pace {
	uint64_t next_ns; /* not before this (CLOCK_MONOTONIC) */
	uint64_t gap_ns;  /* since the last one said, 0 before the first */
};

/* Whether a count that grew may be said at NOW; if so, the next is put off. */
static inline int pace_due(struct pace *p, uint64_t now)
{
	if (p->gap_ns && now < p->next_ns)
		return 0;
	if (!p->gap_ns)
		p->gap_ns = PACE_FIRST_GAP_NS;
	else if (p->gap_ns < PACE_MAX_GAP_NS / 2)
		p->gap_ns *= 2;
	else
		p->gap_ns = PACE_MAX_GAP_NS;
	p->next_ns = now + p->gap_ns;
	return 1;
}

#endif
