// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "deviation.h"
#include "reference.h"

/*
 * libpcap 1.10.3's interpreter leaves its scratch memory M[] uninitialised, and libpcap
 * emits programs that read a slot no path wrote (`geneve` inside an `or`, for one): the
 * answer then depends on stack garbage (found by the fuzzer; see
 * regressions/uninit-scratch-geneve-or.txt). Newer libpcap zeroes M[], and so does pwru:
 * prepend "A = 0; M[0..15] = A" so the oracle is deterministic and means the same.
 */
static int zero_scratch_first(struct bpf_program *prog)
{
	unsigned int n = BPF_MEMWORDS + 1, i;
	struct bpf_insn *v = malloc((prog->bf_len + n) * sizeof(*v));

	if (!v)
		return -1;
	v[0] = (struct bpf_insn)BPF_STMT(BPF_LD | BPF_IMM, 0);
	for (i = 0; i < BPF_MEMWORDS; i++)
		v[i + 1] = (struct bpf_insn)BPF_STMT(BPF_ST, i);
	memcpy(v + n, prog->bf_insns, prog->bf_len * sizeof(*v));
	free(prog->bf_insns);
	prog->bf_insns = v;
	prog->bf_len += n;
	return 0;
}

int reference_compile(const char *expr, int dlt, struct bpf_program *prog, char *err, size_t errlen)
{
	pcap_t *p = pcap_open_dead(dlt, REFERENCE_SNAPLEN);
	char judged[1024];
	int rc;

	rc = deviation_reference_expr(expr, judged, sizeof(judged));
	if (rc < 0) {
		snprintf(err, errlen, "expression too long to rewrite");
		if (p)
			pcap_close(p);
		return -1;
	}
	if (rc > 0)
		expr = judged;
	if (!p) {
		snprintf(err, errlen, "pcap_open_dead(%d) failed", dlt);
		return -1;
	}
	rc = pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN);
	if (rc)
		snprintf(err, errlen, "%s", pcap_geterr(p));
	pcap_close(p);
	if (!rc && zero_scratch_first(prog)) {
		pcap_freecode(prog);
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
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
