// SPDX-License-Identifier: GPL-2.0
/*
 * Cilium's tables, as of Cilium 1.19.4: bpf/lib/common.h (mark magics),
 * pkg/identity/numericidentity.go (reserved identities), bpf/lib/drop_reasons.h and
 * pkg/monitor/api/drop.go (drop codes), pkg/monitor/api/files.go (source file ids). These
 * change between releases (file ids were renumbered once, codes are added at the end):
 * update them together and say which release they follow.
 */
#include <stddef.h>
#include "src/output/cilium_tables.h"

const char cilium_tables_version[] = "1.19.4";

const struct cilium_name cilium_identities[] = {
    {0, "unknown"},	      {1, "host"},	     {2, "world"},
    {3, "unmanaged"},	      {4, "health"},	     {5, "init"},
    {6, "remote-node"},	      {7, "kube-apiserver"}, {8, "ingress"},
    {9, "world-ipv4"},	      {10, "world-ipv6"},    {11, "encrypted-overlay"},
    {CILIUM_TABLE_END, NULL},
};

const struct cilium_name cilium_drop_codes[] = {
    {130, "DROP_UNUSED1"},
    {131, "DROP_UNUSED2"},
    {132, "DROP_INVALID_SIP"},
    {133, "DROP_POLICY"},
    {134, "DROP_INVALID"},
    {135, "DROP_CT_INVALID_HDR"},
    {136, "DROP_FRAG_NEEDED"},
    {137, "DROP_CT_UNKNOWN_PROTO"},
    {138, "DROP_UNUSED4"},
    {139, "DROP_UNKNOWN_L3"},
    {140, "DROP_MISSED_TAIL_CALL"},
    {141, "DROP_WRITE_ERROR"},
    {142, "DROP_UNKNOWN_L4"},
    {143, "DROP_UNKNOWN_ICMP4_CODE"},
    {144, "DROP_UNKNOWN_ICMP4_TYPE"},
    {145, "DROP_UNKNOWN_ICMP6_CODE"},
    {146, "DROP_UNKNOWN_ICMP6_TYPE"},
    {147, "DROP_NO_TUNNEL_KEY"},
    {148, "DROP_UNUSED5"},
    {149, "DROP_UNUSED6"},
    {150, "DROP_UNKNOWN_TARGET"},
    {151, "DROP_UNROUTABLE"},
    {152, "DROP_UNUSED7"},
    {153, "DROP_CSUM_L3"},
    {154, "DROP_CSUM_L4"},
    {155, "DROP_CT_CREATE_FAILED"},
    {156, "DROP_INVALID_EXTHDR"},
    {157, "DROP_FRAG_NOSUPPORT"},
    {158, "DROP_NO_SERVICE"},
    {159, "DROP_UNSUPP_SERVICE_PROTO"},
    {160, "DROP_NO_TUNNEL_ENDPOINT"},
    {161, "DROP_NAT_46X64_DISABLED"},
    {162, "DROP_EDT_HORIZON"},
    {163, "DROP_UNKNOWN_CT"},
    {164, "DROP_HOST_UNREACHABLE"},
    {165, "DROP_NO_CONFIG"},
    {166, "DROP_UNSUPPORTED_L2"},
    {167, "DROP_NAT_NO_MAPPING"},
    {168, "DROP_NAT_UNSUPP_PROTO"},
    {169, "DROP_NO_FIB"},
    {170, "DROP_ENCAP_PROHIBITED"},
    {171, "DROP_INVALID_IDENTITY"},
    {172, "DROP_UNKNOWN_SENDER"},
    {173, "DROP_NAT_NOT_NEEDED"},
    {174, "DROP_IS_CLUSTER_IP"},
    {175, "DROP_FRAG_NOT_FOUND"},
    {176, "DROP_FORBIDDEN_ICMP6"},
    {177, "DROP_NOT_IN_SRC_RANGE"},
    {178, "DROP_PROXY_LOOKUP_FAILED"},
    {179, "DROP_PROXY_SET_FAILED"},
    {180, "DROP_PROXY_UNKNOWN_PROTO"},
    {181, "DROP_POLICY_DENY"},
    {182, "DROP_VLAN_FILTERED"},
    {183, "DROP_INVALID_VNI"},
    {184, "DROP_INVALID_TC_BUFFER"},
    {185, "DROP_NO_SID"},
    {186, "DROP_UNUSED8"},
    {187, "DROP_NAT46"},
    {188, "DROP_NAT64"},
    {189, "DROP_POLICY_AUTH_REQUIRED"},
    {190, "DROP_CT_NO_MAP_FOUND"},
    {191, "DROP_SNAT_NO_MAP_FOUND"},
    {192, "DROP_INVALID_CLUSTER_ID"},
    {193, "DROP_DSR_ENCAP_UNSUPP_PROTO"},
    {194, "DROP_NO_EGRESS_GATEWAY"},
    {195, "DROP_UNENCRYPTED_TRAFFIC"},
    {196, "DROP_TTL_EXCEEDED"},
    {197, "DROP_NO_NODE_ID"},
    {198, "DROP_RATE_LIMITED"},
    {199, "DROP_IGMP_HANDLED"},
    {200, "DROP_IGMP_SUBSCRIBED"},
    {201, "DROP_MULTICAST_HANDLED"},
    {202, "DROP_HOST_NOT_READY"},
    {203, "DROP_EP_NOT_READY"},
    {204, "DROP_NO_EGRESS_IP"},
    {205, "DROP_PUNT_PROXY"},
    {206, "DROP_NO_DEVICE"},
    {CILIUM_TABLE_END, NULL},
};

const struct cilium_name cilium_files[] = {
    {1, "bpf_host.c"}, {2, "bpf_lxc.c"},       {3, "bpf_overlay.c"},	 {4, "bpf_xdp.c"},
    {5, "bpf_sock.c"}, {6, "bpf_network.c"},   {7, "bpf_wireguard.c"},	 {101, "drop.h"},
    {102, "srv6.h"},   {103, "icmp6.h"},       {104, "nodeport.h"},	 {105, "lb.h"},
    {106, "mcast.h"},  {107, "ipv4.h"},	       {108, "conntrack.h"},	 {109, "local_delivery.h"},
    {110, "trace.h"},  {111, "encap.h"},       {112, "host_firewall.h"}, {113, "nodeport_egress.h"},
    {114, "ipv6.h"},   {115, "classifiers.h"}, {CILIUM_TABLE_END, NULL},
};

/*
 * skb->mark magics. Exact 0xFF00 values first (they use bit 12, which for ENCRYPT is part
 * of the key index), then the 0x0F00 nibble. What each carries decides how the rest of
 * the mark is read.
 */
const struct cilium_magic cilium_magics[] = {
    {0x1400, 0xFF00, "OVERLAY_ENCRYPTED", CILIUM_CARRIES_NOTHING},
    {0x1D00, 0xFF00, "DECRYPTED_OVERLAY", CILIUM_CARRIES_NOTHING},
    {0x1E00, 0xFF00, "WG_ENCRYPTED", CILIUM_CARRIES_NOTHING},
    {0x0200, 0x0F00, "TO_PROXY", CILIUM_CARRIES_CLUSTER},
    {0x0300, 0x0F00, "SNAT_DONE", CILIUM_CARRIES_NOTHING},
    {0x0400, 0x0F00, "OVERLAY", CILIUM_CARRIES_IDENTITY},
    {0x0500, 0x0F00, "EGW_DONE", CILIUM_CARRIES_IDENTITY},
    {0x0800, 0x0F00, "SKIP_TPROXY", CILIUM_CARRIES_NOTHING},
    {0x0900, 0x0F00, "PROXY_EGRESS_EPID", CILIUM_CARRIES_ENDPOINT},
    {0x0A00, 0x0F00, "PROXY_INGRESS", CILIUM_CARRIES_IDENTITY},
    {0x0B00, 0x0F00, "PROXY_EGRESS", CILIUM_CARRIES_IDENTITY},
    {0x0C00, 0x0F00, "HOST", CILIUM_CARRIES_NOTHING},
    {0x0D00, 0x0F00, "DECRYPT", CILIUM_CARRIES_IDENTITY},
    {0x0E00, 0x0F00, "ENCRYPT", CILIUM_CARRIES_KEY},
    {0x0F00, 0x0F00, "IDENTITY", CILIUM_CARRIES_IDENTITY},
    {0, 0, NULL, CILIUM_CARRIES_NOTHING},
};
