// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "expr_gen.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct gen {
	const unsigned char *data;
	size_t size, pos;
	char *out;
	size_t len, used;
	int const_shifts;
};

static unsigned int next(struct gen *g)
{
	return g->pos < g->size ? g->data[g->pos++] : 0;
}

static const char *pick(struct gen *g, const char *const *v, size_t n)
{
	return v[next(g) % n];
}

#define PICK(g, v) pick(g, v, ARRAY_SIZE(v))

/* Silently stops at the end of the buffer: libpcap then rejects the cut expression. */
static void emit(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (g->used + 1 >= g->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(g->out + g->used, g->len - g->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		g->used = g->used + n < g->len ? g->used + n : g->len - 1;
}

static const char *const protos[] = {
    "ip",  "ip6",  "arp",  "tcp",	  "udp",  "icmp",   "icmp6",   "igmp",	   "sctp",
    "pim", "vrrp", "esp",  "ah",	  "vlan", "mpls",   "pppoes",  "geneve",   "stp",
    "llc", "rarp", "carp", "ip proto 47", "iso",  "decnet", "inbound", "outbound",
};
static const char *const dirs[] = {"", "src ", "dst ", "src or dst ", "src and dst "};
static const char *const hosts4[] = {"10.0.0.1",   "10.0.0.2",	"131.151.32.21",   "192.168.1.249",
				     "224.0.0.13", "127.0.0.1", "255.255.255.255", "10.2.1.2"};
static const char *const hosts6[] = {"fe80::1", "10::2", "::1", "fe80::2", "ff02::5"};
static const char *const nets[] = {"10.0.0.0/8",  "10.0.0.0/24", "131.151.0.0/16",
				   "224.0.0.0/4", "192.168",	 "fe80::/10",
				   "ff00::/8",	  "0.0.0.0/0",	 "172.16.0.0 mask 255.240.0.0"};
static const char *const ports[] = {"22",   "53",   "67",   "80",   "179",  "443", "500",
				    "1985", "4500", "4789", "6081", "6633", "0",   "65535"};
static const char *const l4[] = {"", "tcp ", "udp ", "sctp "};
static const char *const layers[] = {"ether", "ip",   "ip6",  "tcp", "udp",  "icmp",
				     "icmp6", "link", "igmp", "arp", "vrrp", "pim"};
static const char *const sizes[] = {"", ":1", ":2", ":4"};
static const char *const cmps[] = {"=", "!=", ">", "<", ">=", "<="};
static const char *const alu[] = {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"};
static const char *const flags[] = {"tcp-syn",	"tcp-ack", "tcp-fin", "tcp-rst",
				    "tcp-push", "tcp-urg", "tcp-ece", "tcp-cwr"};
static const char *const icmptypes[] = {"icmp-echo", "icmp-echoreply", "icmp-unreach",
					"icmp-timxceed", "icmp-redirect"};
static const char *const icmp6types[] = {
    "icmp6-echo",	    "icmp6-echoreply",	  "icmp6-neighborsolicit",
    "icmp6-neighboradvert", "icmp6-routeradvert", "icmp6-routersolicit"};
static const char *const chains[] = {"protochain", "ip protochain", "ip6 protochain"};

/* A small constant, sometimes one of the edge values where off-by-one bugs live. */
static unsigned int value(struct gen *g)
{
	static const unsigned int edges[] = {
	    0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff};
	unsigned int b = next(g);

	if (b & 0x80)
		return edges[b % ARRAY_SIZE(edges)];
	return b & 0x40 ? (b & 0x3f) << 8 | next(g) : b & 0x3f;
}

/*
 * Every byte is read in its own statement: argument evaluation order is unspecified, and
 * gcc (the replay) and clang (the fuzzer) must decode an input the same way.
 */
static void gen_load(struct gen *g)
{
	const char *layer = PICK(g, layers), *inner = NULL, *size;
	unsigned int mode = next(g) % 4, off, mask = 0;

	/* Mostly constant offsets; some indirect ones, which take the X-register path. */
	if (mode == 3) {
		inner = PICK(g, layers);
		off = next(g) % 64;
		mask = next(g);
	} else {
		off = mode ? next(g) % 48 : next(g);
	}
	size = PICK(g, sizes);
	if (inner)
		emit(g, "%s[%s[%u] & 0x%x]%s", layer, inner, off, mask, size);
	else
		emit(g, "%s[%u%s]", layer, off, size);
}

static void gen_arith(struct gen *g, int depth)
{
	unsigned int c = next(g) % 8;

	if (depth > 1 || c < 3) {
		if (c == 0)
			emit(g, "len");
		else
			gen_load(g);
	} else if (c < 4) {
		emit(g, "%u", value(g));
	} else if (c < 5) {
		emit(g, "-(");
		gen_arith(g, depth + 1);
		emit(g, ")");
	} else {
		emit(g, "(");
		gen_arith(g, depth + 1);
		const char *op = PICK(g, alu);
		int shift = op[0] == '<' || op[0] == '>';

		emit(g, " %s ", op);
		/* Shift counts are small constants when the caller asks (const_shifts). */
		if (shift && g->const_shifts)
			emit(g, "%u", next(g) % 32);
		else if (next(g) & 1)
			emit(g, "%u", value(g));
		else
			gen_arith(g, depth + 1);
		emit(g, ")");
	}
}

static const char *const tagged[] = {"vlan", "mpls", "geneve", "pppoes"};

static void gen_words(struct gen *g, const char *fmt, const char *const *a, size_t na,
		      const char *const *b, size_t nb, const char *const *c, size_t nc)
{
	const char *x = pick(g, a, na), *y = pick(g, b, nb), *z = c ? pick(g, c, nc) : "";

	emit(g, fmt, x, y, z);
}

#define WORDS(g, fmt, a, b) gen_words(g, fmt, a, ARRAY_SIZE(a), b, ARRAY_SIZE(b), NULL, 0)
#define WORDS3(g, fmt, a, b, c)                                                                    \
	gen_words(g, fmt, a, ARRAY_SIZE(a), b, ARRAY_SIZE(b), c, ARRAY_SIZE(c))

static void gen_two_values(struct gen *g, const char *fmt, const char *word)
{
	unsigned int a = value(g), b = value(g);

	emit(g, fmt, word, a, b);
}

static void gen_prim(struct gen *g)
{
	const char *w;

	switch (next(g) % 16) {
	case 0:
		emit(g, "%s", PICK(g, protos));
		break;
	case 1:
		WORDS(g, "%shost %s", dirs, hosts4);
		break;
	case 2:
		WORDS(g, "%shost %s", dirs, hosts6);
		break;
	case 3:
		WORDS(g, "%snet %s", dirs, nets);
		break;
	case 4:
		WORDS3(g, "%s%sport %s", l4, dirs, ports);
		break;
	case 5:
		w = PICK(g, l4);
		gen_two_values(g, "%sportrange %u-%u", w);
		break;
	case 6:
		w = next(g) & 1 ? "greater" : "less";
		emit(g, "%s %u", w, value(g));
		break;
	case 7:
		w = PICK(g, tagged);
		emit(g, "%s %u", w, value(g) & 0xfff);
		break;
	case 8:
		w = PICK(g, chains);
		emit(g, "%s %u", w, next(g) % 140);
		break;
	case 9:
		WORDS(g, "icmp[icmptype] %s %s", cmps, icmptypes);
		break;
	case 10:
		WORDS(g, "icmp6[icmp6type] %s %s", cmps, icmp6types);
		break;
	case 11:
		WORDS(g, "tcp[tcpflags] & (%s|%s) != 0", flags, flags);
		break;
	default:
		gen_arith(g, 0);
		emit(g, " %s ", PICK(g, cmps));
		gen_arith(g, 1);
		break;
	}
}

static void gen_expr(struct gen *g, int depth)
{
	unsigned int c = next(g) % 8;

	if (depth >= 3 || c < 4) {
		gen_prim(g);
	} else if (c == 4) {
		emit(g, "not ");
		gen_expr(g, depth + 1);
	} else {
		emit(g, "(");
		gen_expr(g, depth + 1);
		emit(g, c == 5 ? " or " : " and ");
		gen_expr(g, depth + 1);
		emit(g, ")");
	}
}

void expr_gen(const unsigned char *data, size_t size, int const_shifts, char *out, size_t len)
{
	struct gen g = {data, size, 0, out, len, 0, const_shifts};

	out[0] = '\0';
	gen_expr(&g, 0);
}
