// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "exclusions.h"

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
		*--end = '\0';
	return s;
}

/* Splits off the first whitespace-separated word of *S. */
static char *word(char **s)
{
	char *w = trim(*s), *end = w + strcspn(w, " \t");

	if (*end)
		*end++ = '\0';
	*s = end;
	return w;
}

static int parse_link(const char *w)
{
	if (!strcmp(w, "*"))
		return -1;
	if (!strcmp(w, "EN10MB"))
		return LINK_L2;
	if (!strcmp(w, "RAW"))
		return LINK_L3;
	return -2;
}

static const char *parse_which(struct exclusion *e, char *w)
{
	char *colon = strrchr(w, ':'), *end;

	if (!strcmp(w, "truncated")) {
		e->truncated = 1;
		return NULL;
	}
	if (!colon || colon == w)
		return "packet wants FILE:INDEX, FILE:* or 'truncated'";
	*colon = '\0';
	e->index = -1;
	if (strcmp(colon + 1, "*")) {
		errno = 0;
		e->index = strtol(colon + 1, &end, 10);
		if (errno || *end || end == colon + 1 || e->index < 0)
			return "packet index is not a number";
	}
	e->file = strdup(w);
	return NULL;
}

static const char *parse_line(struct exclusion *e, char *line)
{
	char *sep = strstr(line, " ;; "), *kind, *expr;
	const char *bad;

	memset(e, 0, sizeof(*e));
	if (!sep)
		return "missing ' ;; REASON'";
	*sep = '\0';
	e->reason = strdup(trim(sep + 4));
	kind = word(&line);
	if (!strcmp(kind, "expr"))
		e->kind = EXCL_EXPR;
	else if (!strcmp(kind, "packet"))
		e->kind = EXCL_PACKET;
	else if (!strcmp(kind, "nomatch"))
		e->kind = EXCL_NOMATCH;
	else
		return "kind is not expr, packet or nomatch";
	e->link = parse_link(word(&line));
	if (e->link == -2)
		return "link is not EN10MB, RAW or *";
	if (e->kind == EXCL_PACKET && (bad = parse_which(e, word(&line))))
		return bad;
	expr = trim(line);
	if (!*expr || !*e->reason)
		return "missing expression or reason";
	if (strcmp(expr, "*"))
		e->expr = strdup(expr);
	return NULL;
}

static void exclusion_free(struct exclusion *e)
{
	free(e->expr);
	free(e->file);
	free(e->reason);
}

int exclusions_load(const char *path, struct exclusions *ex, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0;

	memset(ex, 0, sizeof(*ex));
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!rc && getline(&line, &cap, f) >= 0) {
		struct exclusion e, *grown;
		const char *bad;
		char *s = trim(line);

		lineno++;
		if (!*s || *s == '#')
			continue;
		bad = parse_line(&e, s);
		grown = bad ? NULL : realloc(ex->v, (ex->n + 1) * sizeof(*grown));
		if (!grown) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno,
				 bad ? bad : "out of memory");
			exclusion_free(&e);
			rc = -1;
			continue;
		}
		ex->v = grown;
		ex->v[ex->n++] = e;
	}
	free(line);
	fclose(f);
	if (rc)
		exclusions_free(ex);
	return rc;
}

void exclusions_free(struct exclusions *ex)
{
	size_t i;

	for (i = 0; i < ex->n; i++)
		exclusion_free(&ex->v[i]);
	free(ex->v);
	memset(ex, 0, sizeof(*ex));
}

static int packet_matches(const struct exclusion *e, const struct capture_pkt *pkt)
{
	if (e->truncated)
		return pkt->caplen < pkt->wirelen;
	return !strcmp(e->file, pkt->file) && (e->index < 0 || e->index == pkt->index);
}

struct exclusion *exclusions_find(struct exclusions *ex, enum exclusion_kind kind,
				  enum capture_link link, const char *expr,
				  const struct capture_pkt *pkt)
{
	size_t i;

	for (i = 0; i < ex->n; i++) {
		struct exclusion *e = &ex->v[i];

		if (e->kind != kind || (e->link >= 0 && e->link != (int)link))
			continue;
		if (e->expr && strcmp(e->expr, expr))
			continue;
		if (kind == EXCL_PACKET && !packet_matches(e, pkt))
			continue;
		return e;
	}
	return NULL;
}
