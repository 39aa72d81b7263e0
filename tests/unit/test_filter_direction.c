// SPDX-License-Identifier: GPL-2.0
/*
 * `inbound`/`outbound` on the skb a tracer sees: a packet that no device received
 * (skb_iif 0, locally generated) is outbound whatever its pkt_type; a received one is
 * inbound. Run through the checker, whose ingress_ifindex becomes skb_iif in the kernel.
 * Also: the sk_buff offsets come from the BTF the caller passes.
 * The kernel runs need root; skipped only where the checker cannot run at all.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "tap.h"
#include "filters/pcap_filter.h"
#include "src/check_filter.h"
#include "checker_tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Ethernet + IPv4 + ICMP echo request, 10.0.0.1 -> 10.0.0.2 */
/* clang-format off */
static const unsigned char icmp_frame[] = {
	0x02, 0, 0, 0, 0, 0x02,  0x02, 0, 0, 0, 0, 0x01,  0x08, 0x00,
	0x45, 0, 0, 28,  0, 1, 0, 0,  64, 1, 0x66, 0xdc,  10, 0, 0, 1,  10, 0, 0, 2,
	8, 0, 0xf7, 0xfe,  0, 1, 0, 0,
};
/* clang-format on */

static int run_as(struct filter_checker *c, unsigned int ifindex)
{
	int match = -1, ret;

	filter_checker_set_ingress_ifindex(c, ifindex);
	ret = filter_checker_run(c, icmp_frame, sizeof(icmp_frame), sizeof(icmp_frame), &match);
	return ret ? ret : match;
}

static void test_direction(void)
{
	static const struct {
		const char *expr;
		int sent, received; /* match with skb_iif 0, and with skb_iif 3 */
	} cases[] = {{"outbound", 1, 0},	 {"inbound", 0, 1},
		     {"not outbound", 0, 1},	 {"icmp and outbound", 1, 0},
		     {"icmp and inbound", 0, 1}, {"tcp and outbound", 0, 0}};

	for (size_t i = 0; i < N(cases); i++) {
		struct filter_checker *c = checker_open_tap(cases[i].expr);

		if (!c)
			continue;
		is_int(run_as(c, 0), cases[i].sent, "'%s' on a locally generated skb (skb_iif 0)",
		       cases[i].expr);
		is_int(run_as(c, 3), cases[i].received, "'%s' on a received skb (skb_iif 3)",
		       cases[i].expr);
		filter_checker_close(c);
	}
}

/* The caller's BTF is the one read: an empty one has no sk_buff, and says so. */
static void test_callers_btf(void)
{
	struct btf *empty = btf__new_empty(), *vmlinux = btf__load_vmlinux_btf();
	struct pcap_filter *f = NULL;
	char err[512] = "";
	int ret;

	ret = pcap_filter_compile_btf("inbound", empty, &f, err, sizeof(err));
	is_int(ret, -ENOENT, "'inbound' with a BTF lacking sk_buff fails");
	ok(strstr(err, "sk_buff") != NULL, "and names what is missing: %s", err);
	pcap_filter_free(f);
	f = NULL;
	ret = pcap_filter_compile_btf("icmp", empty, &f, err, sizeof(err));
	ok(!ret && f, "'icmp' needs no sk_buff offsets: compiles with that BTF");
	pcap_filter_free(f);
	f = NULL;
	ret = pcap_filter_compile_btf("outbound or ifindex 2", vmlinux, &f, err, sizeof(err));
	ok(vmlinux && !ret && f, "'outbound or ifindex 2' compiles with the kernel's BTF");
	pcap_filter_free(f);
	btf__free(vmlinux);
	btf__free(empty);
}

int main(void)
{
	char why[512];

	test_callers_btf(); /* compiles only: runs anywhere */
	if (checker_loadable(why, sizeof(why)))
		test_direction();
	else
		printf("# skipping the kernel runs: %s\n", why);
	return tap_done();
}
