// SPDX-License-Identifier: GPL-2.0
/* Hints keyed on libpcap's own error texts, so they stay silent on anything else. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "filters/pcap_hint.h"

/* The first whitespace-delimited word of EXPR containing '/', copied to OUT. */
static int find_slash_word(const char *expr, char *out, size_t outlen)
{
	const char *p = expr;

	while (*p) {
		size_t n;

		while (isspace((unsigned char)*p) || *p == '(' || *p == ')')
			p++;
		n = strcspn(p, " \t\n()");
		if (memchr(p, '/', n) && n < outlen) {
			memcpy(out, p, n);
			out[n] = '\0';
			return 0;
		}
		p += n;
	}
	return -1;
}

/* "10.1.2.3/24" -> "10.1.2.0/24"; IPv6 and malformed input are left as they are. */
static void network_of(char *cidr, size_t len)
{
	char *slash = strchr(cidr, '/');
	struct in_addr a;
	long bits;

	if (!slash)
		return;
	*slash = '\0';
	bits = strtol(slash + 1, NULL, 10);
	if (inet_pton(AF_INET, cidr, &a) == 1 && bits >= 0 && bits <= 32) {
		uint32_t mask = bits ? ~0U << (32 - bits) : 0;
		char buf[INET_ADDRSTRLEN];

		a.s_addr = htonl(ntohl(a.s_addr) & mask);
		inet_ntop(AF_INET, &a, buf, sizeof(buf));
		snprintf(cidr, len, "%s/%ld", buf, bits);
		return;
	}
	*slash = '/';
}

static void hint_mask(const char *expr, char *out, size_t outlen)
{
	char word[128];

	if (find_slash_word(expr, word, sizeof(word)))
		return;
	network_of(word, sizeof(word));
	snprintf(out, outlen, "did you mean 'net %s'?", word);
}

static const char *last_word(const char *expr, size_t *n)
{
	const char *end = expr + strlen(expr), *start;

	while (end > expr && isspace((unsigned char)end[-1]))
		end--;
	start = end;
	while (start > expr && !isspace((unsigned char)start[-1]))
		start--;
	*n = (size_t)(end - start);
	return start;
}

/* Edit distance with adjacent swaps (hots/host: 1), of words of at most 15 letters. */
static int distance(const char *a, size_t na, const char *b, size_t nb)
{
	int d[16][16];
	size_t i, j;

	for (i = 0; i <= na; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= nb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= na; i++) {
		for (j = 1; j <= nb; j++) {
			int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < c)
				c = d[i - 2][j - 2] + 1;
			d[i][j] = c;
		}
	}
	return d[na][nb];
}

/*
 * libpcap reads a word it does not know as a host name, so a misspelt keyword ends in a
 * bare "syntax error". The first such word close to a common keyword gets a suggestion.
 */
static int hint_keyword(const char *expr, char *out, size_t outlen)
{
	static const char *const words[] = {
	    "host", "net",  "port",    "portrange", "src",	 "dst",	  "ether",   "ip",  "ip6",
	    "arp",  "tcp",  "udp",     "icmp",	    "icmp6",	 "proto", "vlan",    "and", "or",
	    "not",  "less", "greater", "broadcast", "multicast", "sctp",  "gateway", NULL};
	const char *p = expr, *const * w, *best;
	size_t n;
	int d, best_d;

	for (; *p; p += n) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		if (!*p)
			break;
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-");
		if (!n) /* an upper-case letter */
			n = 1;
		if (n < 3 || n > 15 || !isalpha((unsigned char)*p))
			continue;
		best = NULL;
		best_d = n > 3 ? 3 : 2; /* farther is no typo */
		for (w = words; *w; w++) {
			if (strlen(*w) == n && !strncmp(*w, p, n))
				break; /* a keyword */
			d = distance(p, n, *w, strlen(*w));
			if (d < best_d) {
				best = *w;
				best_d = d;
			}
		}
		if (!*w && best) {
			snprintf(out, outlen, "'%.*s' is no pcap-filter word: did you mean '%s'?",
				 (int)n, p, best);
			return 1;
		}
	}
	return 0;
}

static void hint_syntax(const char *expr, char *out, size_t outlen)
{
	int open = 0, close = 0;
	size_t n;
	const char *w;

	for (const char *p = expr; *p; p++) {
		open += *p == '(';
		close += *p == ')';
	}
	if (open != close) {
		snprintf(out, outlen, "unbalanced parentheses: %d '(' but %d ')'", open, close);
		return;
	}
	w = last_word(expr, &n);
	if ((n == 3 && (!strncmp(w, "and", 3) || !strncmp(w, "not", 3))) ||
	    (n == 2 && !strncmp(w, "or", 2)))
		snprintf(out, outlen, "the expression ends with '%.*s'", (int)n, w);
	else
		hint_keyword(expr, out, outlen);
}

/* The quoted name in "unknown port 'foo'". */
static void quoted(const char *msg, char *out, size_t outlen)
{
	const char *a = strchr(msg, '\''), *b = a ? strchr(a + 1, '\'') : NULL;

	if (!a || !b || (size_t)(b - a) >= outlen) {
		snprintf(out, outlen, "?");
		return;
	}
	memcpy(out, a + 1, (size_t)(b - a - 1));
	out[b - a - 1] = '\0';
}

void pcap_hint(const char *expr, const char *pcap_err, char *out, size_t outlen)
{
	char name[128];

	out[0] = '\0';
	if (strstr(pcap_err, "Mask syntax for networks only") ||
	    strstr(pcap_err, "non-network bits set")) {
		hint_mask(expr, out, outlen);
	} else if (strstr(pcap_err, "syntax error")) {
		hint_syntax(expr, out, outlen);
	} else if (strstr(pcap_err, "unknown port")) {
		quoted(pcap_err, name, sizeof(name));
		snprintf(out, outlen,
			 "'%s' is not a service name in /etc/services; use a number, e.g. "
			 "'port 8080'",
			 name);
	} else if (strstr(pcap_err, "unknown host")) {
		quoted(pcap_err, name, sizeof(name));
		snprintf(out, outlen, "'%s' does not resolve here; use an IP address", name);
	} else if (strstr(pcap_err, "unknown ip proto") || strstr(pcap_err, "unknown proto")) {
		snprintf(out, outlen, "use a protocol number, e.g. 'ip proto 6' for TCP");
	}
}
