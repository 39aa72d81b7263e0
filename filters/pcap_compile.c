// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <pcap/pcap.h>
#include "filters/pcap_compile.h"

/* libpcap's own default; the snaplen only shows up in return values, which are made 0/1 */
#define SNAPLEN 262144

int pcap_compile_cbpf(const char *expr, bool l3, struct cbpf_insn **out, size_t *n, char *err,
		      size_t errlen)
{
	pcap_t *p = pcap_open_dead(l3 ? DLT_RAW : DLT_EN10MB, SNAPLEN);
	struct bpf_program bp;
	int ret = 0;

	if (!p) {
		snprintf(err, errlen, "libpcap: cannot create a handle");
		return -ENOMEM;
	}
	if (pcap_compile(p, &bp, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		snprintf(err, errlen, "%s", pcap_geterr(p));
		pcap_close(p);
		return -EINVAL;
	}
	*out = calloc(bp.bf_len ? bp.bf_len : 1, sizeof(**out));
	if (!*out) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
	}
	for (unsigned int i = 0; *out && i < bp.bf_len; i++)
		(*out)[i] = (struct cbpf_insn){.code = bp.bf_insns[i].code,
					       .jt = bp.bf_insns[i].jt,
					       .jf = bp.bf_insns[i].jf,
					       .k = bp.bf_insns[i].k};
	*n = bp.bf_len;
	pcap_freecode(&bp);
	pcap_close(p);
	return ret;
}
