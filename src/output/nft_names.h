/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nftables chains as FUNC names them ("inet/filter/input"), kept for the whole run: a
 * per-packet chain (--output-chains) holds its steps' text until the packet ends, longer
 * than the record it came from.
 */
#ifndef PWRU_NFT_NAMES_H
#define PWRU_NFT_NAMES_H

#include <stdint.h>

struct nft_names;
struct pwru_nft;

struct nft_names *nft_names_new(void);
/*
 * "FAMILY/TABLE/CHAIN" of NFT (nft's family names: ip, ip6, inet, arp, bridge, netdev),
 * the same pointer for the same text; NULL when out of memory or past 4096 chains.
 */
const char *nft_names_get(struct nft_names *t, const struct pwru_nft *nft);
void nft_names_free(struct nft_names *t);

#endif
