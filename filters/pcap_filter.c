// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the compiler lands: only the empty expression is accepted. */
#include <errno.h>
#include <stdio.h>
#include "filters/pcap_filter.h"

int pcap_filter_compile(const char *expr, struct pcap_filter **out, char *err, size_t errlen)
{
	*out = NULL;
	if (expr && *expr) {
		snprintf(err, errlen, "pcap filters are not supported yet");
		return -EINVAL;
	}
	return 0;
}

int pcap_filter_install(struct pcap_filter *f)
{
	return 0;
}

void pcap_filter_free(struct pcap_filter *f)
{
}
