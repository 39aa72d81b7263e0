// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "src/output/tuple_text.h"

#define ETH_P_IP   0x0800
#define ETH_P_IPV6 0x86DD

static void ip4_text(const pwru_u8 *a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* The longest run of two or more zero groups becomes "::" (the first, on a tie). */
static void ip6_text(const pwru_u8 *a, char *buf, size_t len)
{
	int i, best = -1, best_len = 1, run = 0;
	size_t n = 0;

	for (i = 0; i < 8; i++) {
		run = (a[2 * i] | a[2 * i + 1]) ? 0 : run + 1;
		if (run > best_len) {
			best_len = run;
			best = i - run + 1;
		}
	}
	for (i = 0; i < 8 && n < len; i++) {
		if (i == best) {
			n += (size_t)snprintf(buf + n, len - n, "::");
			i += best_len - 1;
			continue;
		}
		n += (size_t)snprintf(buf + n, len - n, "%s%x", n && buf[n - 1] != ':' ? ":" : "",
				      a[2 * i] << 8 | a[2 * i + 1]);
	}
}

static int v4_mapped(const pwru_u8 *a)
{
	static const pwru_u8 prefix[12] = {[10] = 0xff, [11] = 0xff};

	return !memcmp(a, prefix, sizeof(prefix));
}

void addr_text(const pwru_u8 *addr, pwru_u16 l3_proto, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN];

	buf[0] = '\0';
	if (l3_proto == ETH_P_IP) {
		ip4_text(addr, buf, len);
	} else if (l3_proto == ETH_P_IPV6) {
		/* Go prints an IPv4-mapped address in dotted form; pwru's output shows that. */
		if (v4_mapped(addr))
			ip4_text(addr + 12, s, sizeof(s));
		else
			ip6_text(addr, s, sizeof(s));
		snprintf(buf, len, "[%s]", s);
	}
}

static const char *l4_name(pwru_u8 proto)
{
	switch (proto) {
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 1:
		return "icmp";
	case 58:
		return "icmp6";
	default:
		return "";
	}
}

size_t tuple_text(const struct pwru_tuple *t, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN + 2], d[INET6_ADDRSTRLEN + 2];
	int n;

	addr_text(t->saddr, t->l3_proto, s, sizeof(s));
	addr_text(t->daddr, t->l3_proto, d, sizeof(d));
	n = snprintf(buf, len, "%s:%u->%s:%u(%s)", s, ntohs(t->sport), d, ntohs(t->dport),
		     t->l3_proto ? l4_name(t->l4_proto) : "");
	if (n < 0)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}
