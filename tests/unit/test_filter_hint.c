// SPDX-License-Identifier: GPL-2.0
/* Bad expressions: libpcap's message, a hint for the common mistakes, -EINVAL. */
#include <errno.h>
#include <string.h>
#include "tap.h"
#include "filters/pcap_filter.h"

static void bad(const char *expr, const char *want)
{
	struct pcap_filter *f = (struct pcap_filter *)1;
	char err[512] = "";
	int ret = pcap_filter_compile(expr, &f, err, sizeof(err));

	is_int(ret, -EINVAL, "'%s' is rejected", expr);
	ok(f == NULL, "'%s' leaves no filter behind", expr);
	ok(strstr(err, want) != NULL, "'%s' says \"%s\"", expr, want);
	if (!strstr(err, want))
		printf("#   got: %s\n", err);
}

static void good(const char *expr, const char *l3_note)
{
	struct pcap_filter *f = NULL;
	char err[512] = "";
	int ret = pcap_filter_compile(expr, &f, err, sizeof(err));

	is_int(ret, 0, "'%s' compiles", expr);
	if (ret) {
		printf("#   %s\n", err);
		return;
	}
	if (!*l3_note)
		is_str(pcap_filter_l3_note(f), "", "'%s' has an L3 filter", expr);
	else
		ok(strstr(pcap_filter_l3_note(f), l3_note) != NULL, "'%s' has no L3 filter: \"%s\"",
		   expr, pcap_filter_l3_note(f));
	pcap_filter_free(f);
}

int main(void)
{
	struct pcap_filter *f = NULL;
	char err[256];

	bad("host 10.0.0.0/16", "Mask syntax for networks only (did you mean 'net 10.0.0.0/16'?)");
	bad("src host 10.1.2.3/24", "did you mean 'net 10.1.2.0/24'?");
	bad("(tcp or udp", "unbalanced parentheses: 1 '(' but 0 ')'");
	bad("tcp or udp)", "unbalanced parentheses: 0 '(' but 1 ')'");
	bad("tcp and", "the expression ends with 'and'");
	bad("tcp port htp", "unknown port 'htp' ('htp' is not a service name in /etc/services");
	bad("ip proto nosuchproto", "use a protocol number");
	bad("tcp port 99999", "illegal port number");
	/* a misspelt keyword is read as a host name, then a syntax error */
	bad("hots 10.0.1.7", "syntax error ('hots' is no pcap-filter word: did you mean 'host'?)");
	bad("tcp prot 80", "did you mean 'port'?");
	bad("icmp and dts host 10.0.0.1", "did you mean 'dst'?");
	bad("tcp port 80 80 )(", "syntax error"); /* ends in non-word characters */
	bad("tcp port 80 80 ((", "unbalanced parentheses");
	bad("tcp port 80 80 !!", "syntax error");

	good("tcp port 80", "");
	good("arp", "rejects all packets");
	good("ether[12:2] = 0x800", "indexes the link-layer header");
	good("ether host 00:11:22:33:44:55", "ethernet addresses supported only on");

	is_int(pcap_filter_compile("  ", &f, err, sizeof(err)), 0, "blank expression compiles");
	ok(f && pcap_filter_is_empty(f), "blank expression means no filter");
	pcap_filter_free(f);
	return tap_done();
}
