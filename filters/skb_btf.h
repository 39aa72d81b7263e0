/* SPDX-License-Identifier: GPL-2.0 */
/* The running kernel's sk_buff layout, for Linux ancillary loads in compiled filters. */
#ifndef PWRU_SKB_BTF_H
#define PWRU_SKB_BTF_H

#include <stddef.h>
#include <linux/types.h>
#include "filters/cbpf_xlate.h"

struct btf;

/* Reads the offsets from BTF (the kernel's). Returns 0, or -ENOENT with a message in ERR. */
int skb_layout_from_btf(const struct btf *btf, struct skb_layout *l, char *err, size_t errlen);

/*
 * Bit offset of the member NAME of the struct or union TYPE_ID (typedefs and modifiers
 * resolved), found in anonymous members too; its bitfield size (0: not one) in *BITSZ and
 * its type in *MEMBER_TYPE. -1 when there is none.
 */
long btf_member_find(const struct btf *btf, __u32 type_id, const char *name, __u32 *bitsz,
		     __u32 *member_type);

#endif
