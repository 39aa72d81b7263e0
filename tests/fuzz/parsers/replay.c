// SPDX-License-Identifier: GPL-2.0
/*
 * make test's side of a parser fuzz target: every file of the folders given (the seeds and
 * the saved crashes) through LLVMFuzzerTestOneInput, one TAP test each, under ASan/UBSan.
 * A crash is the test's failure; so is an empty seed folder (the inputs went missing).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "target.h"

static int cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int replay_file(const char *path)
{
	unsigned char *buf;
	long n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n > 0 ? (size_t)n : 0);
	free(buf);
	return 0;
}

static void replay_dir(const char *dir, int must_have)
{
	struct dirent **ents;
	char path[4096];
	int i, n = scandir(dir, &ents, NULL, cmp), files = 0;

	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
			ok(!replay_file(path), "%s: handled", path);
			files++;
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	if (must_have)
		ok(files > 0, "%s holds inputs", dir);
}

/* No arguments: REPLAY_DIR's seeds/ and regressions/ (run from the repository root). */
int main(int argc, char **argv)
{
	int i;

	LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			replay_dir(argv[i], i == 1);
		return tap_done();
	}
	replay_dir(REPLAY_DIR "/seeds", 1);
	replay_dir(REPLAY_DIR "/regressions", 0); /* saved crashes: maybe none */
	return tap_done();
}
