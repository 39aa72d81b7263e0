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
 * The ids CBPF_XLATE_DIRECT's loads need, from the running kernel's vmlinux BTF. Returns 0,
 * or -ENOENT when the kernel lacks the kfunc (before 6.2) or the cast type.
 */
int cbpf_cast_from_btf(const struct btf *btf, struct cbpf_cast *c);
/*
 * The same from the ids of the kfunc (FUNC bpf_rdonly_cast) and of the structs
 * CBPF_CAST_STRUCTS names, in its order (<= 0: none), for a caller that found them itself.
 */
int cbpf_cast_from_ids(const struct btf *btf, __s32 kfunc, const __s32 structs[2],
		       struct cbpf_cast *c);
#define CBPF_CAST_KFUNC	  "bpf_rdonly_cast"
#define CBPF_CAST_STRUCTS "ethhdr", "bpf_raw_tracepoint_args"

/*
 * Bit offset of the member NAME of the struct or union TYPE_ID (typedefs and modifiers
 * resolved), found in anonymous members too; its bitfield size (0: not one) in *BITSZ and
 * its type in *MEMBER_TYPE. -1 when there is none.
 */
long btf_member_find(const struct btf *btf, __u32 type_id, const char *name, __u32 *bitsz,
		     __u32 *member_type);

#endif
