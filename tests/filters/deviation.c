// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include "deviation.h"

/* NAME as a whole word followed, after optional blanks, by '['. */
static bool indexes(const char *expr, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(expr, name); p; p = strstr(p + 1, name)) {
		const char *q = p + n;

		if (p > expr && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		q += strspn(q, " \t");
		if (*q == '[')
			return true;
	}
	return false;
}

const char *deviation_matches_nothing(const char *expr, enum capture_link link)
{
	static const char *const link_layers[] = {"ether", "link", "ppp", "slip",
						  "fddi",  "tr",   "wlan"};
	size_t i;

	if (link != LINK_L3)
		return NULL;
	for (i = 0; i < sizeof(link_layers) / sizeof(link_layers[0]); i++)
		if (indexes(expr, link_layers[i]))
			return "pwru gives expressions indexing the link layer no L3 filter";
	return NULL;
}

static bool word_at(const char *expr, const char *p, size_t n)
{
	bool before = p > expr && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '-');
	bool after = isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '-';

	return !before && !after;
}

int deviation_reference_expr(const char *expr, char *out, size_t len)
{
	static const struct {
		const char *word, *as;
	} map[] = {{"inbound", "(len >= 0)"}, {"outbound", "(len < 0)"}};
	size_t used = 0, i, n;
	bool changed = false;
	const char *p = expr;

	while (*p) {
		const char *piece = p;

		n = 1;
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
			size_t w = strlen(map[i].word);

			if (!strncmp(p, map[i].word, w) && word_at(expr, p, w)) {
				piece = map[i].as;
				n = w;
				changed = true;
				break;
			}
		}
		if (piece == p) {
			if (used + 1 >= len)
				return -1;
			out[used++] = *p;
		} else {
			if (used + strlen(piece) >= len)
				return -1;
			memcpy(out + used, piece, strlen(piece));
			used += strlen(piece);
		}
		p += n;
	}
	if (!changed)
		return 0;
	out[used] = '\0';
	return 1;
}
