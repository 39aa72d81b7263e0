/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kallsyms through a copy kept for the boot (src/discover/boot_cache.h): the kernel
 * formats its 150,000-200,000 lines at every read, most of the cost of reading it. The
 * copy holds the functions of vmlinux and the modules only ('t', 'T', 'w', 'W'), which
 * change only with the modules; BPF programs, trampolines and data symbols come and go,
 * so a caller that needs them reads the kernel's file.
 */
#ifndef PWRU_KSYMS_CACHE_H
#define PWRU_KSYMS_CACHE_H

#include <stdbool.h>
#include "kallsyms/kallsyms.h"

/*
 * Loads ROOT's /proc/kallsyms through F (which must not set tee); from this boot's copy
 * when FUNCTIONS_ONLY (F keeps functions of vmlinux and modules, nothing else) and this
 * reader may see addresses. A read of the kernel's file leaves a copy for the next start.
 * *FROM says which was read. Returns 0 or a negative errno, as kallsyms_load_filtered.
 */
int ksyms_cache_load(const char *root, const struct kallsyms_filter *f, bool functions_only,
		     struct kallsyms **out, const char **from);

/* Whether the kallsyms file at PATH shows this reader its addresses (kptr_restrict). */
bool ksyms_addresses_shown(const char *path);

#endif
