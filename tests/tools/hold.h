/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VM scenarios' tools keep what they set up (links, sockets) as long as they run: each
 * says it is ready through a file, then waits for the scenario's SIGINT or SIGTERM.
 */
#ifndef PWRU_TESTS_TOOLS_HOLD_H
#define PWRU_TESTS_TOOLS_HOLD_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>

/*
 * Creates READY, then returns 0 at SIGINT or SIGTERM (blocked before READY exists, so one
 * sent as soon as it shows is not lost), or creating READY's errno at once.
 */
static inline int hold_until_signal(const char *ready)
{
	sigset_t set;
	FILE *f;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	f = fopen(ready, "w");
	if (!f || fclose(f))
		return errno;
	sigwait(&set, &sig);
	return 0;
}

#endif
