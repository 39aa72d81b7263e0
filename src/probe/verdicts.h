/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backends whose probe passed earlier in this boot, kept in ROOT/run/pwru/probes (a
 * boot copy, src/discover/boot_cache.h). A probe loads a test program and attaches it:
 * the kernel patches its text and, when the test link goes, waits for grace periods,
 * about 0.1 s of a 1.2 s warm start under icount (docs/performance.md). What a kernel
 * can run does not change during a boot, except by the switches the copy records with
 * its verdicts (the lockdown mode, ftrace_enabled, the kprobes switch) and the pwru
 * build that probed: a copy made under others is ignored. Only passes are kept: a
 * failure is probed again, so its one-line reason stays the kernel's own. A kept pass
 * whose backend then fails, and whose probe fails again, is dropped and the start made
 * again (backend_drop_kept).
 * PWRU_NO_CACHE=1 keeps and reads nothing.
 */
#ifndef PWRU_PROBE_VERDICTS_H
#define PWRU_PROBE_VERDICTS_H

#include <stdbool.h>

/* NAME's probe passed in this boot, under the switches as they are now. */
bool verdicts_passed(const char *root, const char *name);
/* Adds NAME to the boot's passes (best effort: a copy that cannot be written is no error). */
void verdicts_keep(const char *root, const char *name);
/* Forgets the boot's passes: one of them was wrong (its backend failed to load or attach). */
void verdicts_drop(const char *root);

#endif
