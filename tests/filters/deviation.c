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
