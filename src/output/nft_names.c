// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "src/output/nft_names.h"
#include "src/output/record.h"

/* A ruleset's base chains: a few per table. Beyond this, names are not shown. */
#define NFT_NAMES_MAX 4096

struct nft_names {
	char **v;
	size_t n, cap;
};

struct nft_names *nft_names_new(void)
{
	return calloc(1, sizeof(struct nft_names));
}

/* nft's own words for NFPROTO_* (the table's family) */
static const char *family(uint8_t pf)
{
	switch (pf) {
	case 1:
		return "inet";
	case 2:
		return "ip";
	case 3:
		return "arp";
	case 5:
		return "netdev";
	case 7:
		return "bridge";
	case 10:
		return "ip6";
	default:
		return "?";
	}
}

static int add(struct nft_names *t, char *s)
{
	char **v;
	size_t cap;

	if (t->n == t->cap) {
		cap = t->cap ? 2 * t->cap : 16;
		v = realloc(t->v, cap * sizeof(*v));
		if (!v)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n++] = s;
	return 0;
}

const char *nft_names_get(struct nft_names *t, const struct pwru_nft *nft)
{
	char buf[2 * PWRU_NFT_NAMESZ + 16], *s;
	size_t i;

	snprintf(buf, sizeof(buf), "%s/%.*s/%.*s", family(nft->family), PWRU_NFT_NAMESZ - 1,
		 nft->table, PWRU_NFT_NAMESZ - 1, nft->chain);
	record_printable(buf); /* names are the ruleset author's: no control characters */
	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], buf))
			return t->v[i];
	if (t->n >= NFT_NAMES_MAX || !(s = strdup(buf)))
		return NULL;
	if (add(t, s)) {
		free(s);
		return NULL;
	}
	return s;
}

void nft_names_free(struct nft_names *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	free(t);
}
