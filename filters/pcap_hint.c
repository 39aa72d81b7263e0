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
