/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calls the kernel did not run pwru's programs for. A program is skipped on a CPU where it
 * (a trampoline's) or any kprobe program (kprobe, kprobe-multi) is already running: a
 * traced function called from an interrupt's softirq while pwru's program runs in the
 * interrupted task, e.g. nf_hook_slow's LOCAL_IN inside a sender's POST_ROUTING. A kprobe
 * or an fprobe (kprobe-multi's) can also skip the call before any program: another kprobe
 * is running on the CPU, the probe's return slots are used up. Those events never reach
 * the ring buffer; the kernel counts the first kind per program (Linux 5.12+ for
 * trampolines, 6.7+ for kprobes) and the second per link (6.7+). Before, neither is
 * counted nor shown.
 */
#ifndef PWRU_PROG_MISSES_H
#define PWRU_PROG_MISSES_H

#include <stdbool.h>
#include <stdint.h>

struct prog_misses {
	uint64_t progs; /* the programs' recursion_misses: runs skipped */
	uint64_t links; /* the kprobe-multi and kprobe links' missed: calls their probes skipped */
	/* kprobes attached without the link that holds their missed count (6.7+) */
	uint32_t unlinked;
	bool uncounting; /* kprobe programs on a kernel that counts neither skip (before 6.7) */
	bool partial;	 /* not every skip counted: either of the two above */
};

/* The kernel's counts of skipped calls over the programs and links this process holds. */
void prog_misses(struct prog_misses *m);

/*
 * A kprobe attached without its BPF link where links hold the kprobe's missed count (no
 * descriptor left for the link): its skips are counted nowhere. Thread-safe.
 */
void prog_misses_unlinked(void);

/* Why M's count is partial, for the exit line; NULL when it is not. */
const char *prog_misses_why(const struct prog_misses *m);

/* True when the link's info, in the kernel's layout, holds a kprobe's missed count (6.7+). */
bool link_info_has_missed(int link_fd);

#endif
