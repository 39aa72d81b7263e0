/* SPDX-License-Identifier: GPL-2.0 */
/* A parallel for-loop for attach and detach work that blocks in the kernel. */
#ifndef PWRU_POOL_H
#define PWRU_POOL_H

#include <signal.h>
#include <stddef.h>
#include <time.h>

/*
 * Calls FN(ARG, i) for every i in [0, N) from up to NTHREADS threads (the caller alone if
 * none can be started), handing out indexes in order. Once *STOP is set (STOP may be NULL)
 * no new index is handed out.
 */
void pool_run(size_t n, int nthreads, void (*fn)(void *arg, size_t i), void *arg,
	      volatile sig_atomic_t *stop);

/* Seconds on the monotonic clock: what the attach phases report. */
static inline double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* DFLT, or the environment variable ENV's value (benchmarks measure thread counts with it). */
int pool_threads(const char *env, int dflt);

#endif
