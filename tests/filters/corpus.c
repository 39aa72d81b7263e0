// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "corpus.h"

int corpus_has(const struct corpus *c, const char *expr)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->exprs[i], expr))
			return 1;
	return 0;
}

static int add(struct corpus *c, const char *expr)
{
	char **grown = realloc(c->exprs, (c->n + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	c->exprs = grown;
	c->exprs[c->n] = strdup(expr);
	return c->exprs[c->n++] ? 0 : -1;
}

int corpus_load(const char *path, struct corpus *c, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0;

	memset(c, 0, sizeof(*c));
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!rc && getline(&line, &cap, f) >= 0) {
		size_t n = strcspn(line, "\r\n");

		lineno++;
		line[n] = '\0';
		while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		if (corpus_has(c, line)) {
			snprintf(err, errlen, "%s:%d: '%s' is listed twice", path, lineno, line);
			rc = -1;
		} else if (add(c, line)) {
			snprintf(err, errlen, "%s:%d: out of memory", path, lineno);
			rc = -1;
		}
	}
	free(line);
	fclose(f);
	if (rc)
		corpus_free(c);
	return rc;
}

void corpus_free(struct corpus *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->exprs[i]);
	free(c->exprs);
	memset(c, 0, sizeof(*c));
}
