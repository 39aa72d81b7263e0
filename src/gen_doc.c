// SPDX-License-Identifier: GPL-2.0
/*
 * gen-doc man TEMPLATE VERSION | bash | zsh: the man page and the shell completions, from
 * the flag table. Run at build time (make man, make completions); never installed.
 */
#include <stdio.h>
#include <string.h>
#include "src/flags_doc.h"

int main(int argc, char **argv)
{
	FILE *t;
	int rc;

	if (argc == 4 && !strcmp(argv[1], "man")) {
		t = fopen(argv[2], "r");
		if (!t) {
			perror(argv[2]);
			return 1;
		}
		rc = flags_doc_man(t, argv[3], stdout);
		fclose(t);
		return rc ? 1 : 0;
	}
	if (argc == 2 && !strcmp(argv[1], "bash"))
		return flags_doc_bash(stdout) ? 1 : 0;
	if (argc == 2 && !strcmp(argv[1], "zsh"))
		return flags_doc_zsh(stdout) ? 1 : 0;
	fprintf(stderr, "usage: gen-doc man TEMPLATE VERSION | bash | zsh\n");
	return 2;
}
