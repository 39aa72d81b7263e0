// SPDX-License-Identifier: GPL-2.0
/* Hook return values by name: tc, tcx, XDP, netfilter. */
#include <errno.h>
#include "src/output/verdict.h"
#include "tap.h"

int main(void)
{
	char buf[96];

	is_str(verdict_tc_name(0), "TC_ACT_OK", "tc 0");
	is_str(verdict_tc_name(2), "TC_ACT_SHOT", "tc 2");
	is_str(verdict_tc_name(7), "TC_ACT_REDIRECT", "tc 7");
	is_str(verdict_tc_name(-1), "TC_ACT_UNSPEC", "tc -1");
	is_str(verdict_tc_name(1 << 28), "TC_ACT_JUMP", "tc jump opcode");
	ok(!verdict_tc_name(9) && !verdict_tc_name(-5), "tc values without a name");
	is_str(verdict_tcx_name(2), "TCX_DROP", "tcx 2");
	is_str(verdict_tcx_name(0), "TCX_PASS", "tcx 0");
	is_str(verdict_tcx_name(-1), "TCX_NEXT", "tcx -1");
	is_str(verdict_tcx_name(42), "TCX_NEXT", "tcx: unknown values act as next");
	is_str(verdict_xdp_name(1), "XDP_DROP", "xdp 1");
	is_str(verdict_xdp_name(4), "XDP_REDIRECT", "xdp 4");
	ok(!verdict_xdp_name(5), "xdp 5 has no name");

	verdict_nf_text(-EPERM, 2, 1, buf, sizeof(buf));
	is_str(buf, "NF_INET_LOCAL_IN/ipv4 DROP (-EPERM)", "nf_hook_slow drop with errno");
	verdict_nf_text(1, 10, 3, buf, sizeof(buf));
	is_str(buf, "NF_INET_LOCAL_OUT/ipv6 ACCEPT", "accept");
	verdict_nf_text(0, 2, 0, buf, sizeof(buf));
	is_str(buf, "NF_INET_PRE_ROUTING/ipv4 STOLEN", "stolen or queued");
	verdict_nf_text(-EHOSTUNREACH, 5, 0, buf, sizeof(buf));
	is_str(buf, "NF_NETDEV_INGRESS/netdev DROP (-EHOSTUNREACH)", "netdev ingress");
	verdict_nf_text(-EPERM, 99, 9, buf, sizeof(buf));
	is_str(buf, "NF_HOOK?/? DROP (-EPERM)", "unknown family and hook");
	verdict_nft_text(0, buf, sizeof(buf));
	is_str(buf, "DROP", "nft: NF_DROP");
	verdict_nft_text(1, buf, sizeof(buf));
	is_str(buf, "ACCEPT", "nft: NF_ACCEPT");
	verdict_nft_text(EACCES << 16, buf, sizeof(buf));
	is_str(buf, "DROP (-EACCES)", "nft: NF_DROP_ERR(-EACCES)");
	verdict_nft_text(2 | EPERM << 16, buf, sizeof(buf));
	is_str(buf, "DROP (-EPERM)",
	       "nft: NF_DROP_REASON (stolen with an errno: freed for a drop)");
	verdict_nft_text(2, buf, sizeof(buf));
	is_str(buf, "STOLEN", "nft: NF_STOLEN");
	verdict_nft_text(3 | 5 << 16, buf, sizeof(buf));
	is_str(buf, "QUEUE", "nft: a queue number above NF_QUEUE");
	verdict_nft_text(42, buf, sizeof(buf));
	is_str(buf, "(42)", "nft: unknown");
	return tap_done();
}
