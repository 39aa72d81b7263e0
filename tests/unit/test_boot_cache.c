// SPDX-License-Identifier: GPL-2.0
/* What a copy in ROOT/run/pwru must be before a start trusts it, and two starts at once. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"
#include "fake_root.h"
#include "src/discover/boot_cache.h"

#define BODY (256u << 10) /* several writes' worth: a torn copy would show */

/* A body of LEN bytes all SEED, kept as ROOT's NAME. */
static void keep(const char *root, const char *name, unsigned char seed, size_t len)
{
	static unsigned char body[BODY];
	struct boot_copy c = {.kind = 'x', .count = seed};
	struct boot_key key;

	memset(body, seed, len);
	free(boot_cache_get(root, name, &key, 'x', BODY, &(size_t){0}));
	boot_cache_put(root, name, &key, &c, body, len);
}

/* The copy's body when it is taken: all one byte, whose value is returned; -1 when refused. */
static int taken(const char *root, const char *name)
{
	struct boot_key key;
	size_t len, i;
	unsigned char *body = boot_cache_get(root, name, &key, 'x', BODY, &len);
	int seed = body && len ? body[0] : -1;

	for (i = 1; body && i < len; i++)
		if (body[i] != body[0])
			seed = -2; /* torn: parts of two copies */
	free(body);
	return seed;
}

static void test_trust(void)
{
	char root[64], path[128], other[128];

	make_root(root, NULL);
	snprintf(path, sizeof(path), "%s/run/pwru/x", root);
	keep(root, "x", 7, 16);
	is_int(taken(root, "x"), 7, "a copy of our own, 0600: taken");
	ok(chmod(path, 0622) == 0 && taken(root, "x") == -1, "writable by others: refused");
	ok(chmod(path, 0620) == 0 && taken(root, "x") == -1, "writable by its group: refused");
	ok(chmod(path, 0644) == 0 && taken(root, "x") == 7, "readable by others only: taken");
	snprintf(other, sizeof(other), "%s/run/pwru/y", root);
	keep(root, "y", 9, 16);
	ok(!unlink(path) && !symlink(other, path) && taken(root, "x") == -1 &&
	       taken(root, "y") == 9,
	   "a symbolic link to a good copy: refused (O_NOFOLLOW)");
	unlink(path);
	keep(root, "x", 7, 16);
	snprintf(path, sizeof(path), "%s/run/pwru", root);
	ok(chmod(path, 0770) == 0 && taken(root, "x") == -1, "a folder open to the group: refused");
	keep(root, "x", 8, 16);
	ok(chmod(path, 0700) == 0 && taken(root, "x") == 7,
	   "and nothing kept there meanwhile (the old copy stands)");
	remove_root(root);
}

/* Starts at the same time write the copy over and over while another reads it. */
static void test_concurrent(void)
{
	pid_t kids[4];
	int i, k, seen, bad = 0, reads = 0, status, failed = 0;
	char root[64];

	make_root(root, NULL);
	keep(root, "x", 1, BODY);
	for (k = 0; k < 4; k++) {
		kids[k] = fork();
		if (!kids[k]) {
			for (i = 0; i < 40; i++)
				keep(root, "x", (unsigned char)(2 + k), BODY - 4096 * k);
			_exit(0);
		}
	}
	for (i = 0; i < 200; i++, reads++) {
		seen = taken(root, "x");
		bad += seen < 1 || seen > 5;
	}
	for (k = 0; k < 4; k++)
		failed += waitpid(kids[k], &status, 0) != kids[k] || status;
	ok(!failed && !bad, "%d reads while 4 writers replaced the copy: each whole (%d not)",
	   reads, bad);
	seen = taken(root, "x");
	ok(seen >= 2 && seen <= 5, "the last copy renamed into place stands (%d)", seen);
	remove_root(root);
}

int main(void)
{
	test_trust();
	test_concurrent();
	return tap_done();
}
