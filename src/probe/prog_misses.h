/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calls the kernel did not run pwru's programs for. A program is skipped on a CPU where it
 * (a trampoline's) or any kprobe program (kprobe, kprobe-multi) is already running: a
 * traced function called from an interrupt's softirq while pwru's program runs in the
 * interrupted task, e.g. nf_hook_slow's LOCAL_IN inside a sender's POST_ROUTING. Those
 * events never reach the ring buffer; the kernel counts them per program (Linux 5.12+ for
 * trampolines, 6.7+ for kprobes). Before, they are neither counted nor shown.
 */
#ifndef PWRU_PROG_MISSES_H
#define PWRU_PROG_MISSES_H

#include <stdint.h>

/* The kernel's count of skipped runs summed over the programs this process holds. */
uint64_t prog_misses(void);

#endif
