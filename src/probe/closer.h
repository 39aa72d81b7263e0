/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Closing a test link is where the kernel waits: unregistering an fprobe or a trampoline
 * waits for RCU grace periods (0.1 to 0.2 s each in a TCG VM), while making it took a few
 * milliseconds. The backends' feature probes hand their descriptors here, to be closed on
 * a thread of their own while the start goes on.
 */
#ifndef PWRU_CLOSER_H
#define PWRU_CLOSER_H

/* Closes FDS[0..N) in that order (a link before its program), later; -1 entries are skipped. */
void closer_defer(const int *fds, int n);
/* Waits until everything handed over is closed: before exit, so nothing outlives pwru. */
void closer_wait(void);

#endif
