/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel types whose vmlinux BTF ids the programs need (bpf_rdonly_cast(),
 * bpf_snprintf_btf()), set by the loader in cfg_ktype_ids[] from the BTF it has parsed:
 * as bpf_core_type_id_kernel() relocations they made libbpf resolve them against vmlinux
 * BTF itself, which would tie the CO-RE target to the whole of vmlinux (see
 * src/probe/core_btf.c). Shared by BPF and userspace: the order is the array's.
 */
#ifndef PWRU_KTYPE_IDS_H
#define PWRU_KTYPE_IDS_H

enum pwru_ktype {
	PWRU_KT_SK_BUFF,
	PWRU_KT_NET_DEVICE,
	PWRU_KT_DST_ENTRY,
	PWRU_KT_DST_METRICS,
	PWRU_KT_SKB_SHARED_INFO,
	PWRU_KT_N,
};

/* The struct names, in enum pwru_ktype's order. */
#define PWRU_KTYPE_NAMES "sk_buff", "net_device", "dst_entry", "dst_metrics", "skb_shared_info"

#endif
