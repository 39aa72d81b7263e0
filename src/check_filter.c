// SPDX-License-Identifier: GPL-2.0
/* pwru --check-filter FILE EXPR: one "INDEX MATCH" line per packet of a capture. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pcap/pcap.h>
#include "src/check_filter.h"

int check_filter_capture(pcap_t *p, struct filter_checker *c, const char *file, FILE *out,
			 struct pwru_err *e)
{
	struct pcap_pkthdr *h;
	const unsigned char *pkt;
	unsigned long index = 0;
	int ret = 0, match;

	/* after a failed write (a reader that quit) the rest would be run for nothing */
	while (!ferror(out) && (ret = pcap_next_ex(p, &h, &pkt)) == 1) {
		index++;
		ret = filter_checker_run(c, pkt, h->caplen, h->len, &match);
		if (ret)
			return err_from_errno(
			    e, ret, "--check-filter: packet %lu: BPF_PROG_TEST_RUN", index);
		fprintf(out, "%lu %d\n", index, match);
	}
	if (ret == PCAP_ERROR)
		return err_bad_input(e, EIO, "--check-filter %s: after packet %lu: %s", file, index,
				     pcap_geterr(p));
	return 0;
}

int check_filter_main(const char *file, const char *expr, FILE *out, struct pwru_err *e)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct filter_checker *c;
	pcap_t *p;
	int ret;

	errno = 0;
	p = pcap_open_offline(file, errbuf);
	if (!p)
		return err_bad_input(e, errno ? errno : EINVAL,
				     "--check-filter %s: not a readable pcap file: %s", file,
				     errbuf);
	ret = filter_checker_open(expr, pcap_datalink(p), &c, e);
	if (ret)
		err_prefix(e, "--check-filter %s", file);
	else {
		ret = check_filter_capture(p, c, file, out, e);
		filter_checker_close(c);
	}
	pcap_close(p);
	return ret;
}
