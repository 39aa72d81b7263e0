/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What discovery found, kept for the boot (src/discover/boot_cache.h): the joined function
 * set, the tracepoint set, the kallsyms names pwru kept, the traceable list and the module
 * counts. A later start with the same key reads one file instead of walking BTF and
 * scanning kallsyms' lines: a quarter of a warm start. Besides the boot and the modules,
 * the result depends on the pwru build and on the flags that steer discovery, hashed into
 * a CONFIG word kept in the copy (disc_cache_config).
 */
#ifndef PWRU_DISC_CACHE_H
#define PWRU_DISC_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kallsyms/kallsyms.h"
#include "src/discover/boot_cache.h"
#include "src/discover/funcset.h"
#include "src/discover/traceable.h"

/* Where a result lives: the tracer's own fields. */
struct disc_view {
	struct funcset *fs, *tps;
	struct kallsyms **ksyms;
	struct traceable *tr;
	size_t *kmods[3]; /* modules whose BTF was unreadable, without BTF, typed from a .ko */
};

/*
 * The CONFIG word: the build EXE is (its device, inode, size and change time: a rebuilt
 * or replaced binary differs), the --kernel-btf file BTF (NULL: the kernel's own) the
 * same way, and FLAGS, the text of every option that changes what discovery finds.
 */
uint64_t disc_cache_config(const char *exe, const char *btf, const char *flags);
/* The sum a copy keeps over its body: a copy cut short or damaged on disk differs. */
uint64_t disc_cache_sum(const void *p, size_t n);
/*
 * Fills V from ROOT's copy when it is this boot's, under the same modules and CONFIG, and
 * whole: true. False leaves V empty (a refused copy costs nothing but the slow path). KEY
 * is set either way, before anything is read, for disc_cache_write.
 */
bool disc_cache_read(const char *root, uint64_t config, const struct disc_view *v,
		     struct boot_key *key);
/* Keeps V, found under KEY and CONFIG, for later starts; silent when it cannot. */
void disc_cache_write(const char *root, uint64_t config, const struct disc_view *v,
		      const struct boot_key *key);

#endif
