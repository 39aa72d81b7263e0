/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ftrace set kept for the rest of the boot under ROOT/run/pwru: the kernel formats
 * available_filter_functions line by line, with a symbol lookup each, which is a third of
 * pwru's start in a VM; the set changes only when modules come or go. A copy is used only
 * when it was made in this boot (boot_id) with the same modules loaded (/proc/modules:
 * names, sizes, states, addresses), and only from a directory of the caller's own that no
 * one else can write.
 */
#ifndef PWRU_TRACEABLE_CACHE_H
#define PWRU_TRACEABLE_CACHE_H

#include "src/discover/traceable.h"

/* A copy's key: taken before the list is read, so a module loaded meanwhile voids it. */
struct traceable_key {
	char boot_id[48];
	uint64_t modules; /* FNV-1a of /proc/modules without the use counts */
	uint64_t ok;	  /* both read; no padding, so keys compare as bytes */
};

/*
 * True when T's ftrace set now comes from ROOT's copy (T's ftrace part empty before).
 * Sets KEY either way, for traceable_cache_write.
 */
bool traceable_cache_read(struct traceable *t, const char *root, struct traceable_key *key);
/* Keeps T's ftrace set, read under KEY, for later starts; silent when it cannot. */
void traceable_cache_write(const struct traceable *t, const char *root,
			   const struct traceable_key *key);

#endif
