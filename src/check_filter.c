// SPDX-License-Identifier: GPL-2.0
/* pwru --check-filter FILE EXPR: one "INDEX MATCH" line per packet of a capture. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pcap/pcap.h>
#include "src/check_filter.h"

static int check_file(pcap_t *p, struct filter_checker *c)
{
	struct pcap_pkthdr *h;
	const unsigned char *pkt;
	unsigned long index = 0;
	int ret, match;

	while ((ret = pcap_next_ex(p, &h, &pkt)) == 1) {
		index++;
		ret = filter_checker_run(c, pkt, h->caplen, h->len, &match);
		if (ret) {
			fprintf(stderr, "pwru: --check-filter: packet %lu: BPF_PROG_TEST_RUN: %s\n",
				index, strerror(-ret));
			return 1;
		}
		printf("%lu %d\n", index, match);
	}
	if (ret == PCAP_ERROR) {
		fprintf(stderr, "pwru: --check-filter: after packet %lu: %s\n", index,
			pcap_geterr(p));
		return 2;
	}
	return 0;
}

static void report_open_error(pcap_t *p, const char *file, const char *expr, int err,
			      const char *msg)
{
	const char *name = pcap_datalink_val_to_name(pcap_datalink(p));

	if (err == -EPROTONOSUPPORT)
		fprintf(stderr,
			"pwru: --check-filter %s: link type %s is not supported: only Ethernet "
			"(EN10MB) and raw IP (RAW, IPV4, IPV6) captures\n",
			file, name ? name : "unknown");
	else if (err == -EINVAL)
		fprintf(stderr, "pwru: bad filter expression '%s': %s\n", expr ? expr : "", msg);
	else
		fprintf(stderr, "pwru: --check-filter %s: %s\n", file, msg);
}

int check_filter_main(const char *file, const char *expr)
{
	char errbuf[PCAP_ERRBUF_SIZE > 512 ? PCAP_ERRBUF_SIZE : 512];
	struct filter_checker *c;
	pcap_t *p;
	int ret;

	p = pcap_open_offline(file, errbuf);
	if (!p) {
		fprintf(stderr, "pwru: --check-filter %s: not a readable pcap file: %s\n", file,
			errbuf);
		return 2;
	}
	ret = filter_checker_open(expr, pcap_datalink(p), &c, errbuf, sizeof(errbuf));
	if (ret) {
		report_open_error(p, file, expr, ret, errbuf);
		pcap_close(p);
		return 2;
	}
	ret = check_file(p, c);
	filter_checker_close(c);
	pcap_close(p);
	return ret;
}
