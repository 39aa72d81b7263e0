/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which addresses the kernel lets us probe, from whatever it tells this reader:
 * - available_filter_functions_addrs (6.5+), else available_filter_functions: the exact
 *   ftrace set, what kprobe-multi needs (one untraceable address fails a whole link);
 * - the kprobe blacklist (debugfs): what a kprobe refuses.
 * Each file is optional: locked-down kernels hide tracefs, VMs may not mount it. What is
 * unknown is allowed here; the backends cope with refusals (see docs/design.md).
 */
#ifndef PWRU_TRACEABLE_H
#define PWRU_TRACEABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct traceable {
	uint64_t *ftrace_ips; /* sorted ftrace call sites, from ..._addrs */
	size_t nftrace_ips;
	char **ftrace_names; /* sorted "name" or "name [module]", when only names are known */
	size_t nftrace_names;
	char *names_blob;	  /* where ftrace_names point when they came from the cache */
	uint64_t (*blacklist)[2]; /* sorted [start, end) ranges */
	size_t nblacklist;
	char ftrace_source[160]; /* the file the ftrace set came from, or "" */
	char ftrace_why[192];	 /* when it is "": why no list could be read */
};

/*
 * Reads what is readable under ROOT: "" for the real /sys, where a tracefs that is not
 * mounted is read through a private mount in a child; else a copy of the files (tests).
 * The ftrace set comes from ROOT/run/pwru when this boot's copy is there
 * (src/discover/traceable_cache.h), and goes there when read. Never fails for missing
 * files.
 */
int traceable_load(struct traceable *t, const char *root);
/*
 * Could ftrace (so kprobe-multi) hook function NAME of MODULE (NULL: vmlinux) at ADDR? True
 * when unknown. traceable_ftrace is the vmlinux case.
 */
bool traceable_ftrace_in(const struct traceable *t, const char *name, const char *module,
			 uint64_t addr);
bool traceable_ftrace(const struct traceable *t, const char *name, uint64_t addr);
/* Could a kprobe go at ADDR? False only when blacklisted. */
bool traceable_kprobe(const struct traceable *t, uint64_t addr);
void traceable_free(struct traceable *t);

#endif
