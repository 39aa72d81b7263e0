// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "src/output/verdict.h"

#define NAME_AT(table, i) ((i) < sizeof(table) / sizeof((table)[0]) ? (table)[i] : NULL)

const char *verdict_tc_name(int32_t ret)
{
	static const char *const names[] = {
	    "TC_ACT_OK",     "TC_ACT_RECLASSIFY", "TC_ACT_SHOT",     "TC_ACT_PIPE", "TC_ACT_STOLEN",
	    "TC_ACT_QUEUED", "TC_ACT_REPEAT",	  "TC_ACT_REDIRECT", "TC_ACT_TRAP",
	};

	if (ret == -1)
		return "TC_ACT_UNSPEC";
	if ((ret >> 28) == 1)
		return "TC_ACT_JUMP";
	if ((ret >> 28) == 2)
		return "TC_ACT_GOTO_CHAIN";
	return ret < 0 ? NULL : NAME_AT(names, (size_t)ret);
}

const char *verdict_tcx_name(int32_t ret)
{
	switch (ret) {
	case 0:
		return "TCX_PASS";
	case 2:
		return "TCX_DROP";
	case 7:
		return "TCX_REDIRECT";
	default:
		return "TCX_NEXT";
	}
}

const char *verdict_xdp_name(uint32_t ret)
{
	static const char *const names[] = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
					    "XDP_REDIRECT"};

	return NAME_AT(names, ret);
}

enum {
	NFPROTO_INET = 1,
	NFPROTO_IPV4 = 2,
	NFPROTO_ARP = 3,
	NFPROTO_NETDEV = 5,
	NFPROTO_BRIDGE = 7,
	NFPROTO_IPV6 = 10
};

const char *verdict_nf_family_name(uint8_t pf)
{
	switch (pf) {
	case NFPROTO_INET:
		return "inet";
	case NFPROTO_IPV4:
		return "ipv4";
	case NFPROTO_ARP:
		return "arp";
	case NFPROTO_NETDEV:
		return "netdev";
	case NFPROTO_BRIDGE:
		return "bridge";
	case NFPROTO_IPV6:
		return "ipv6";
	default:
		return NULL;
	}
}

const char *verdict_nf_hook_name(uint8_t pf, uint32_t hook)
{
	static const char *const inet[] = {"NF_INET_PRE_ROUTING",  "NF_INET_LOCAL_IN",
					   "NF_INET_FORWARD",	   "NF_INET_LOCAL_OUT",
					   "NF_INET_POST_ROUTING", "NF_INET_INGRESS"};
	static const char *const arp[] = {"NF_ARP_IN", "NF_ARP_OUT", "NF_ARP_FORWARD"};
	static const char *const netdev[] = {"NF_NETDEV_INGRESS", "NF_NETDEV_EGRESS"};

	switch (pf) {
	case NFPROTO_ARP:
		return NAME_AT(arp, hook);
	case NFPROTO_NETDEV:
		return NAME_AT(netdev, hook);
	default:
		/* ipv4, ipv6, inet and bridge number their hooks as the inet ones. */
		return NAME_AT(inet, hook);
	}
}

size_t verdict_nf_text(int32_t ret, uint8_t pf, uint32_t hook, char *buf, size_t len)
{
	const char *h = verdict_nf_hook_name(pf, hook), *f = verdict_nf_family_name(pf);
	char where[64];
	int n;

	snprintf(where, sizeof(where), "%s/%s", h ? h : "NF_HOOK?", f ? f : "?");
	if (ret == 1)
		n = snprintf(buf, len, "%s ACCEPT", where);
	else if (ret == 0)
		n = snprintf(buf, len, "%s STOLEN", where);
	else if (ret < 0 && strerrorname_np(-ret))
		n = snprintf(buf, len, "%s DROP (-%s)", where, strerrorname_np(-ret));
	else
		n = snprintf(buf, len, "%s (%d)", where, ret);
	if (n < 0 || !len)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

size_t verdict_nft_text(uint32_t verdict, char *buf, size_t len)
{
	static const char *const names[] = {"DROP", "ACCEPT", "STOLEN", "QUEUE", "REPEAT", "STOP"};
	const char *name = NAME_AT(names, verdict & 0xff), *err = NULL;
	int n;

	/*
	 * The errno above the code: NF_DROP_ERR(-err) (NF_DROP), or from 6.8 or so
	 * NF_DROP_REASON() (NF_STOLEN: nft_do_chain freed the packet itself)
	 */
	if ((verdict & 0xff) <= 2 && (verdict & 0xff) != 1 && verdict >> 16)
		err = strerrorname_np((int)(verdict >> 16));
	if (err)
		n = snprintf(buf, len, "DROP (-%s)", err);
	else if (name)
		n = snprintf(buf, len, "%s", name);
	else
		n = snprintf(buf, len, "(%u)", verdict);
	if (n < 0 || !len)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}
