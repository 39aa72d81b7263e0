// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "reference.h"

int reference_compile(const char *expr, int dlt, struct bpf_program *prog, char *err,
		      size_t errlen)
{
	pcap_t *p = pcap_open_dead(dlt, REFERENCE_SNAPLEN);
	int rc;

	if (!p) {
		snprintf(err, errlen, "pcap_open_dead(%d) failed", dlt);
		return -1;
	}
	rc = pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN);
	if (rc)
		snprintf(err, errlen, "%s", pcap_geterr(p));
	pcap_close(p);
	return rc ? -1 : 0;
}

int reference_match(const struct bpf_program *prog, const unsigned char *pkt, unsigned int caplen,
		    unsigned int wirelen)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.caplen = caplen;
	h.len = wirelen;
	return pcap_offline_filter(prog, &h, pkt) != 0;
}
