/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files kept under ROOT/run/pwru for the rest of the boot: what the kernel makes slowly
 * at every start and what changes only when modules come or go (the traceable list,
 * kallsyms' functions). A copy is used only when it was made in this boot (boot_id) with
 * the same modules loaded (/proc/modules: names, sizes, states, addresses), and only from
 * a folder of the caller's own that no one else can write. PWRU_NO_CACHE=1 (not "0")
 * neither reads nor keeps anything.
 */
#ifndef PWRU_BOOT_CACHE_H
#define PWRU_BOOT_CACHE_H

#include <stdbool.h>
#include <stdint.h>

/* A copy's key: taken before the kernel's file is read, so a module loaded meanwhile voids it. */
struct boot_key {
	char boot_id[48];
	uint64_t modules; /* FNV-1a of /proc/modules without the use counts */
	uint64_t ok;	  /* both read; no padding, so keys compare as bytes */
};

/* What a copy says of itself, written after its body. */
struct boot_copy {
	uint32_t kind;	/* the user's own tag for the body's encoding */
	uint32_t count; /* items in the body, for the user */
	uint64_t bytes; /* the body's length */
	char source[160];
};

/*
 * Opens ROOT's copy NAME when it is this boot's under the current modules: returns a
 * descriptor at the start of the body and fills *C, or -1. Sets KEY either way, for
 * boot_cache_create.
 */
int boot_cache_open(const char *root, const char *name, struct boot_key *key, struct boot_copy *c);
/* A new copy to write the body into (then boot_cache_commit), or NULL. */
struct boot_cache_new;
struct boot_cache_new *boot_cache_create(const char *root, const char *name,
					 const struct boot_key *key);
int boot_cache_fd(const struct boot_cache_new *n);
/*
 * Puts the copy in place with C's header when OK, else throws it away; renamed into place
 * whole, so starts at the same time read the old copy or the new one, never a part.
 */
void boot_cache_commit(struct boot_cache_new *n, const struct boot_copy *c, bool ok);
/* Removes ROOT's copy NAME (from the caller's own folder only), found wrong at its use. */
void boot_cache_remove(const char *root, const char *name);
/* Reads LEN bytes from FD; 0 or -1. */
int boot_cache_read(int fd, void *buf, uint64_t len);
/*
 * A copy written or read whole, for the copies that build their body in memory: PUT writes
 * BODY (LEN bytes) as ROOT's NAME under KEY; GET returns NAME's body (malloc'd, *LEN bytes)
 * when it is this boot's, of KIND and at most MAX bytes, else NULL (KEY set either way).
 */
void boot_cache_put(const char *root, const char *name, const struct boot_key *key,
		    const struct boot_copy *c, const void *body, size_t len);
void *boot_cache_get(const char *root, const char *name, struct boot_key *key, uint32_t kind,
		     uint64_t max, size_t *len);
/*
 * PATH's identity as text, whatever the path to it: its device, inode, size and times
 * ("-" when it cannot be stat'ed). Two files, or one changed, differ in it.
 */
void boot_cache_file_id(const char *path, char *buf, size_t len);

#endif
