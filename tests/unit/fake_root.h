/* SPDX-License-Identifier: GPL-2.0 */
/* A recorded system under a temporary ROOT, for what reads ROOT/proc, ROOT/sys, ROOT/run. */
#ifndef PWRU_TEST_FAKE_ROOT_H
#define PWRU_TEST_FAKE_ROOT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void put(const char *root, const char *path, const char *text)
{
	char full[512];
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	f = fopen(full, "we");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* ROOT/run, this boot's id, two modules, and FROM's sys/ (NULL: none). */
static inline void make_root(char *root, const char *from)
{
	char cmd[512];

	strcpy(root, "/tmp/pwru-root.XXXXXX");
	if (!mkdtemp(root))
		return;
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/run %s/proc/sys/kernel/random", root, root);
	if (system(cmd))
		return;
	put(root, "/proc/sys/kernel/random/boot_id", "8c1f1fd2-4f1e-4f55-9d4e-0d5a3d1e2b7a\n");
	put(root, "/proc/modules",
	    "veth 40960 0 - Live 0xffffffffc0a00000\nnf_tables 315392 3 nft_ct, Live "
	    "0xffffffffc0b00000\n");
	if (!from)
		return;
	snprintf(cmd, sizeof(cmd), "cp -r %s/sys %s/", from, root);
	if (system(cmd))
		fprintf(stderr, "# could not copy %s\n", from);
}

static inline void remove_root(const char *root)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd))
		fprintf(stderr, "# could not remove %s\n", root);
}

#endif
