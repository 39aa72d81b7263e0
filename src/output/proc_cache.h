/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Executable path per process, looked up in /proc once and kept, in bounded memory.
 *
 * A pid alone does not name one program for the whole run: after fork() a child runs its
 * parent's program until it calls exec(), and an exited process's pid is reused. Both
 * change the task's comm (exec sets it to the new program's name), which every event
 * carries, so entries are keyed by (pid, comm): a new comm under a known pid is a new
 * lookup, never the old answer. A new process with the same pid and the same comm is most
 * likely the same program again; that is the one case not told apart.
 */
#ifndef PWRU_PROC_CACHE_H
#define PWRU_PROC_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* Entries kept at most: the older half is dropped when the newer half is full. */
#define PROC_CACHE_MAX 8192

struct proc_cache;

struct proc_cache_stats {
	size_t entries;	    /* held now, never above PROC_CACHE_MAX */
	uint64_t lookups;   /* /proc/PID/exe reads */
	uint64_t rotations; /* times the older half was dropped */
};

struct proc_cache *proc_cache_new(void);
/*
 * The target of /proc/PID/exe as it was for the task named COMM (up to 16 bytes, as the
 * kernel keeps it), or NULL for kernel threads, the idle task and exited processes.
 */
const char *proc_cache_exe(struct proc_cache *pc, uint32_t pid, const char *comm);
void proc_cache_stats(const struct proc_cache *pc, struct proc_cache_stats *st);
void proc_cache_free(struct proc_cache *pc);

#endif
