// SPDX-License-Identifier: GPL-2.0
/*
 * Without printf: a tuple is made again whenever the packet changes, as often as every event
 * when several packets are in flight.
 */
#include <arpa/inet.h>
#include <string.h>
#include "src/output/fmt.h"
#include "src/output/tuple_text.h"

#define ETH_P_IP   0x0800
#define ETH_P_IPV6 0x86DD

static void ip4_fmt(struct fmt *f, const pwru_u8 *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			fmt_char(f, '.');
		fmt_u64(f, a[i]);
	}
}

/* The longest run of two or more zero groups becomes "::" (the first, on a tie). */
static void ip6_fmt(struct fmt *f, const pwru_u8 *a)
{
	int i, best = -1, best_len = 1, run = 0;
	const char *start = f->p;

	for (i = 0; i < 8; i++) {
		run = (a[2 * i] | a[2 * i + 1]) ? 0 : run + 1;
		if (run > best_len) {
			best_len = run;
			best = i - run + 1;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			fmt_lit(f, "::");
			i += best_len - 1;
			continue;
		}
		if (f->p > start && f->p[-1] != ':')
			fmt_char(f, ':');
		fmt_hex(f, (uint64_t)(a[2 * i] << 8 | a[2 * i + 1]));
	}
}

static int v4_mapped(const pwru_u8 *a)
{
	static const pwru_u8 prefix[12] = {[10] = 0xff, [11] = 0xff};

	return !memcmp(a, prefix, sizeof(prefix));
}

void addr_fmt(struct fmt *f, const pwru_u8 *addr, pwru_u16 l3_proto)
{
	if (l3_proto == ETH_P_IP) {
		ip4_fmt(f, addr);
	} else if (l3_proto == ETH_P_IPV6) {
		fmt_char(f, '[');
		/* Go prints an IPv4-mapped address in dotted form; pwru's output shows that. */
		if (v4_mapped(addr))
			ip4_fmt(f, addr + 12);
		else
			ip6_fmt(f, addr);
		fmt_char(f, ']');
	}
}

void addr_text(const pwru_u8 *addr, pwru_u16 l3_proto, char *buf, size_t len)
{
	struct fmt f = {buf, buf + len - 1};

	addr_fmt(&f, addr, l3_proto);
	*f.p = '\0';
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
	struct fmt f = {buf, buf + len - 1};

	if (!len)
		return 0;
	addr_fmt(&f, t->saddr, t->l3_proto);
	fmt_char(&f, ':');
	fmt_u64(&f, ntohs(t->sport));
	fmt_lit(&f, "->");
	addr_fmt(&f, t->daddr, t->l3_proto);
	fmt_char(&f, ':');
	fmt_u64(&f, ntohs(t->dport));
	fmt_char(&f, '(');
	fmt_str(&f, t->l3_proto ? l4_name(t->l4_proto) : "");
	fmt_char(&f, ')');
	*f.p = '\0';
	return (size_t)(f.p - buf);
}
