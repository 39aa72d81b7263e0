/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ftrace set kept for the boot (src/discover/boot_cache.h): the kernel formats
 * available_filter_functions line by line, with a symbol lookup each, a third of pwru's
 * start in a VM; the set changes only when modules come or go.
 */
#ifndef PWRU_TRACEABLE_CACHE_H
#define PWRU_TRACEABLE_CACHE_H

#include "src/discover/boot_cache.h"
#include "src/discover/traceable.h"

/*
 * True when T's ftrace set now comes from ROOT's copy (T's ftrace part empty before).
 * Sets KEY either way, for traceable_cache_write.
 */
bool traceable_cache_read(struct traceable *t, const char *root, struct boot_key *key);
/* Keeps T's ftrace set, read under KEY, for later starts; silent when it cannot. */
void traceable_cache_write(const struct traceable *t, const char *root, const struct boot_key *key);

/* A copy's body: T's sorted call sites (uint64_t), or its sorted NUL-ended names. */
enum { TRACEABLE_ADDRS = 'a', TRACEABLE_NAMES = 'n' };
/*
 * T's ftrace set from BODY, C->bytes long, as a copy keeps it (C's kind and count): T owns
 * BODY on success (0); -1 for a body that does not hold what C says.
 */
int traceable_cache_take(struct traceable *t, const struct boot_copy *c, char *body);

#endif
