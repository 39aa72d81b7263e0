/* SPDX-License-Identifier: GPL-2.0 */
/* tests/filters/exprs.txt: the expressions, one a line; '#' lines and blank lines skipped. */
#ifndef PWRU_TESTS_CORPUS_H
#define PWRU_TESTS_CORPUS_H

#include <stddef.h>

struct corpus {
	char **exprs;
	size_t n;
};

/* Returns 0, or -1 with a message in ERR (unreadable file, duplicate expression). */
int corpus_load(const char *path, struct corpus *c, char *err, size_t errlen);
/* Whether EXPR is one of the corpus expressions. */
int corpus_has(const struct corpus *c, const char *expr);
void corpus_free(struct corpus *c);

#endif
