// SPDX-License-Identifier: GPL-2.0
/*
 * The filter's extra stubs: the tunnel filters' compile and what is refused, and the
 * rules for a stub another stage adds (filters/pcap_filter.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "tap.h"
#include "bpf/filter_scratch.h"
#include "filters/cbpf_xlate.h"
#include "filters/pcap_filter.h"

static struct pcap_filter *compiled(const char *expr)
{
	struct pcap_filter *f = NULL;
	char err[512];

	if (pcap_filter_compile(expr, &f, err, sizeof(err)))
		printf("#   %s: %s\n", expr, err);
	return f;
}

static void test_tunnel(void)
{
	struct pcap_filter *f = compiled("udp port 4789");
	char err[512] = "";

	if (!f) {
		ok(0, "the main filter compiles");
		return;
	}
	is_int(pcap_filter_add_tunnel(f, "ether src 2:0:0:0:0:1", "host 192.168.42.3", NULL, err,
				      sizeof(err)),
	       0, "an L2 and an L3 tunnel filter compile");
	is_int(pcap_filter_add_tunnel(f, "arp", NULL, NULL, err, sizeof(err)), -EINVAL,
	       "a second L2 tunnel filter is refused (one stub, one body)");
	pcap_filter_free(f);

	f = compiled("");
	is_int(pcap_filter_add_tunnel(f, NULL, "arp", NULL, err, sizeof(err)), -EINVAL,
	       "'arp' as the L3 tunnel filter is refused");
	ok(strstr(err, "cannot judge an IP packet") && strstr(err, "--filter-tunnel-pcap-l2"),
	   "and the message points to the L2 flag: %s", err);
	is_int(pcap_filter_add_tunnel(f, NULL, "ether host 1:2:3:4:5:6", NULL, err, sizeof(err)),
	       -EINVAL, "an Ethernet address in the L3 tunnel filter is refused");
	is_int(pcap_filter_add_tunnel(f, "hosst x", NULL, NULL, err, sizeof(err)), -EINVAL,
	       "a syntax error in the L2 tunnel filter");
	ok(strstr(err, "syntax error") != NULL, "libpcap's message: %s", err);
	is_int(pcap_filter_add_tunnel(f, " ", "", NULL, err, sizeof(err)), 0,
	       "blank tunnel filters add nothing");
	ok(pcap_filter_is_empty(f), "an empty main filter stays empty with tunnel filters");
	pcap_filter_free(f);
}

static void test_add_stub(void)
{
	struct pcap_filter *f = compiled("icmp");
	struct ebpf_code c = {0};

	if (!f || cbpf_xlate_reject_all(&c)) {
		ok(0, "setup");
		return;
	}
	is_int(pcap_filter_add_stub(f, FILTER_GATE_PCAP, "x", &c), -EINVAL,
	       "the pcap gate is the expression's, no other stub's");
	is_int(pcap_filter_add_stub(f, FILTER_NGATES, "x", &c), -EINVAL, "an unknown gate");
	is_int(pcap_filter_add_stub(f, FILTER_GATE_SKB_EXPR, "filter_pcap_l2", &c), -EINVAL,
	       "a stub that already has a body");
	is_int(pcap_filter_add_stub(f, FILTER_GATE_SKB_EXPR, "filter_skb_expr", &c), 0,
	       "a new stub behind its gate");
	ok(c.insns == NULL && c.cnt == 0, "the code is taken over");
	ebpf_code_free(&c);
	pcap_filter_free(f);
}

static uint64_t mark_as(const char *expr, const char *tunnel_l3, uint64_t mark, bool direct)
{
	struct pcap_filter_opts o = {.direct_loads = direct};
	struct pcap_filter *f = NULL;
	uint64_t v = UINT64_MAX;
	char err[512];

	if (pcap_filter_compile_opts(expr, &o, &f, err, sizeof(err)))
		printf("#   %s: %s\n", expr, err);
	if (f && tunnel_l3 && pcap_filter_add_tunnel(f, NULL, tunnel_l3, NULL, err, sizeof(err)))
		printf("#   %s: %s\n", tunnel_l3, err);
	if (f && pcap_filter_mark_value(f, mark, &v))
		v = UINT64_MAX - 1;
	pcap_filter_free(f);
	return v;
}

static uint64_t mark_of(const char *expr, const char *tunnel_l3, uint64_t mark)
{
	return mark_as(expr, tunnel_l3, mark, false);
}

static bool kernel_can_cast(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool yes = btf && btf__find_by_name_kind(btf, "bpf_rdonly_cast", BTF_KIND_FUNC) > 0;

	btf__free(btf);
	return yes;
}

/*
 * What the glue is told: how much of the packet to copy, whether to fill len and skb, and
 * whether to look the scratch up at all.
 */
static void test_marks(void)
{
	uint64_t v;

	/* 14 + 20 + the ports (ihl at most 15 words: X up to 60) + 2 at X + 16 */
	is_int((int)mark_of("udp and port 9", NULL, FILTER_MARK_COPY_LEN), 78,
	       "'udp and port 9' copies 78 bytes (the ports behind the longest IP header)");
	is_int((int)mark_of("", NULL, FILTER_MARK_COPY_LEN), 0, "no filter: nothing copied");
	is_int((int)mark_of("udp and port 9", NULL, FILTER_MARK_META), 0,
	       "'udp and port 9' reads no len: the glue leaves it");
	is_int((int)mark_of("len > 100", NULL, FILTER_MARK_META), 1, "'len > 100' reads len");
	is_int((int)mark_of("greater 60", NULL, FILTER_MARK_META), 1, "'greater 60' too");
	is_int((int)mark_of("", NULL, FILTER_MARK_META), 0, "no filter: no len");
	is_int((int)mark_of("udp", "less 100", FILTER_MARK_META), 1,
	       "a tunnel filter reading len turns it on");
	is_int(pcap_filter_mark_value(NULL, 42, &v), -ENOENT, "another number is no marker");
	is_int((int)mark_of("udp and port 9", NULL, FILTER_MARK_SCRATCH), 1,
	       "from the copy, the body reads the scratch");
	if (!kernel_can_cast())
		return;
	is_int((int)mark_as("udp and port 9", NULL, FILTER_MARK_SCRATCH, true), 0,
	       "in place, 'udp and port 9' needs no scratch (its packet comes in registers)");
	is_int((int)mark_as("udp and port 9", NULL, FILTER_MARK_COPY_LEN, true), 0,
	       "and nothing is copied");
	is_int((int)mark_as("len > 100", NULL, FILTER_MARK_SCRATCH, true), 1,
	       "in place, 'len > 100' reads len from the scratch");
	is_int((int)mark_as("udp", "less 100", FILTER_MARK_SCRATCH, true), 1,
	       "so does a tunnel filter reading len");
}

int main(void)
{
	test_tunnel();
	test_add_stub();
	test_marks();
	return tap_done();
}
