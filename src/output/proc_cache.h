/* SPDX-License-Identifier: GPL-2.0 */
/* Executable path per pid, looked up once in /proc and kept for the run (as pwru does). */
#ifndef PWRU_PROC_CACHE_H
#define PWRU_PROC_CACHE_H

#include <stdint.h>

struct proc_cache;

struct proc_cache *proc_cache_new(void);
/* /proc/PID/exe's target, or NULL for kernel threads, the idle task and exited processes. */
const char *proc_cache_exe(struct proc_cache *pc, uint32_t pid);
void proc_cache_free(struct proc_cache *pc);

#endif
