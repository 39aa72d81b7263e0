/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fentry and fexit on nft_do_chain(pkt, priv) (module nf_tables): the base chain nftables
 * runs a packet through, its table, and the verdict, for a packet the filters select. The
 * event is made at the entry, while the packet is whole (from 6.8 or so nft_do_chain frees
 * a dropped packet itself and returns NF_STOLEN with the errno), held in `pending` and sent
 * at the exit with the verdict, as for nf_hook_slow. The types live in nf_tables' BTF:
 * src/probe/retsplit.c loads these programs only where the module is loaded and has BTF
 * (5.11+), so that their relocations resolve. Included by pwru.bpf.c after handle_ret().
 */
#ifndef PWRU_ENTRY_NFT_H
#define PWRU_ENTRY_NFT_H

#include "clone.h"
#include "probe_sections.h"

/* ___pwru: local flavours of the module's types, matched by name without the suffix */
struct nft_pktinfo___pwru {
	struct sk_buff *skb;
} __attribute__((preserve_access_index));

struct nft_table___pwru {
	char *name;
	__u16 family : 6, flags : 8, genmask : 2;
} __attribute__((preserve_access_index));

struct nft_chain___pwru {
	struct nft_table___pwru *table;
	char *name;
} __attribute__((preserve_access_index));

/* Set by userspace: nft_do_chain's address, which names the event. */
const volatile __u64 cfg_nft_chain_addr = 0;

/*
 * A count of the events pwru_nft_entry holds for their exit: while it is 0 (most packets
 * are rejected), an exit has nothing to look up in `pending`. Never below the true count:
 * raised before an event is held, lowered only by the exit that took one out; an event
 * that is not held after all, or that the LRU evicts, leaves it high, and the exits then
 * look up as they always did.
 */
__u64 nft_held = 0;

/*
 * The event of SKB, shown (DEV its device), named by nft_do_chain's chain argument and held
 * for the exit's verdict: everything here is read only for a packet the filters select.
 */
static __always_inline int nft_shown(__u64 *ctx, struct sk_buff *skb, struct net_device *dev)
{
	struct nft_chain___pwru *chain = (void *)CTX_SLOT(ctx, 1);
	struct pending_key k = {pending_owner(), cfg_nft_chain_addr, (__u64)ctx};
	struct nft_table___pwru *table;
	struct pwru_nft nft = {};
	/* the caller (nft_do_chain_inet, ...) and the stack as fentry's events have them */
	struct emit_extra x = {.nft = &nft, .stash = &k, .stack_ctx = ctx};

	if (!chain)
		return 0;
	__sync_fetch_and_add(&nft_held, 1);
	table = BPF_CORE_READ(chain, table);
	nft.family = (__u8)BPF_CORE_READ_BITFIELD_PROBED(table, family);
	bpf_probe_read_kernel_str(nft.table, sizeof(nft.table), BPF_CORE_READ(table, name));
	bpf_probe_read_kernel_str(nft.chain, sizeof(nft.chain), BPF_CORE_READ(chain, name));
	/* arg2: the chain, which the exit checks with the skb (emit_pending()) */
	emit_event_ex(skb, dev, cfg_nft_chain_addr, PWRU_EV_FENTRY, (__u64)chain, 0, &x);
	return 0;
}

SEC(PWRU_SEC_NFT_ENTRY)
int pwru_nft_entry(__u64 *ctx)
{
	/*
	 * pkt is a typed argument: the verifier knows its type from nf_tables' BTF, so pkt->skb
	 * is one fault-guarded load instead of a helper call. Most packets are rejected: the
	 * chain, the key and the names are read after the filter (nft_shown()).
	 */
	struct nft_pktinfo___pwru *pkt = (void *)CTX_SLOT(ctx, 0);
	struct sk_buff *skb = pkt->skb;
	struct net_device *dev;

	if (!skb_shown(skb, &dev))
		return 0;
	return nft_shown(ctx, skb, dev);
}

SEC(PWRU_SEC_NFT_EXIT)
int pwru_nft_exit(__u64 *ctx)
{
	struct nft_pktinfo___pwru *pkt;
	struct held_call call;
	struct pending_key k;

	if (!nft_held)
		return 0;
	pkt = (void *)CTX_SLOT(ctx, 0);
	call = (struct held_call){(__u64)pkt->skb, CTX_SLOT(ctx, 1)};
	k = (struct pending_key){pending_owner(), cfg_nft_chain_addr, (__u64)ctx};
	if (emit_pending(&k, (__u32)CTX_SLOT(ctx, 2), &call))
		__sync_fetch_and_add(&nft_held, -1);
	return 0;
}

#endif
