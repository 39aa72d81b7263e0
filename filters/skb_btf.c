// SPDX-License-Identifier: GPL-2.0
/*
 * Field offsets the translator needs but cannot get from CO-RE (its code is spliced in after
 * libbpf relocated the object), looked up in the kernel's BTF the same way CO-RE would.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include "filters/skb_btf.h"

/* Anonymous members nest a few levels in real kernels; a crafted BTF may nest for ever. */
#define MAX_NESTING 16

/* Bit offset of NAME in the struct TYPE_ID, descending into anonymous members. */
static long member_bits(const struct btf *btf, __u32 type_id, const char *name, __u32 *bitsz,
			__u32 *member_type, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, btf__resolve_type(btf, type_id));
	const struct btf_member *m;

	if (!t || (!btf_is_struct(t) && !btf_is_union(t)) || depth > MAX_NESTING)
		return -1;
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		long inner;

		if (mn && !strcmp(mn, name)) {
			*bitsz = btf_member_bitfield_size(t, i);
			*member_type = m->type;
			return btf_member_bit_offset(t, i);
		}
		if (mn && *mn)
			continue;
		inner = member_bits(btf, m->type, name, bitsz, member_type, depth + 1);
		if (inner >= 0)
			return btf_member_bit_offset(t, i) + inner;
	}
	return -1;
}

long btf_member_find(const struct btf *btf, __u32 type_id, const char *name, __u32 *bitsz,
		     __u32 *member_type)
{
	return member_bits(btf, type_id, name, bitsz, member_type, 0);
}

static long find(const struct btf *btf, const char *type, const char *field, __u32 *bitsz)
{
	__s32 id = btf__find_by_name_kind(btf, type, BTF_KIND_STRUCT);
	__u32 unused;

	return id < 0 ? -1 : btf_member_find(btf, (__u32)id, field, bitsz, &unused);
}

int skb_layout_from_btf(const struct btf *btf, struct skb_layout *l, char *err, size_t errlen)
{
	long pkt, dev, ifindex, proto, mark, iif;
	__u32 bitsz = 0, unused;

	pkt = find(btf, "sk_buff", "pkt_type", &bitsz);
	dev = find(btf, "sk_buff", "dev", &unused);
	proto = find(btf, "sk_buff", "protocol", &unused);
	mark = find(btf, "sk_buff", "mark", &unused);
	iif = find(btf, "sk_buff", "skb_iif", &unused);
	ifindex = find(btf, "net_device", "ifindex", &unused);
	if (pkt < 0 || dev < 0 || proto < 0 || mark < 0 || iif < 0 || ifindex < 0 ||
	    (pkt % 8) + (bitsz ? bitsz : 8) > 8) {
		snprintf(err, errlen,
			 "kernel BTF lacks sk_buff.pkt_type/dev/protocol/mark/skb_iif or "
			 "net_device.ifindex");
		return -ENOENT;
	}
	/* x86 and arm64 are little endian: bit offsets count from the byte's low bit */
	l->pkt_type_byte = (int32_t)(pkt / 8);
	l->pkt_type_shift = (uint8_t)(pkt % 8);
	l->dev = (int32_t)(dev / 8);
	l->ifindex = (int32_t)(ifindex / 8);
	l->protocol = (int32_t)(proto / 8);
	l->mark = (int32_t)(mark / 8);
	l->skb_iif = (int32_t)(iif / 8);
	return 0;
}

/*
 * The cast type: struct ethhdr, whose first member (h_dest, 6 bytes) lets the verifier take
 * a 1, 2 or 4 byte load at offset 0 as a load of integers. Checked, not assumed.
 */
/*
 * bpf_raw_tracepoint_args (UAPI, in every vmlinux BTF): a struct of size 0 whose only member
 * is a flexible array of u64 at offset 0. The verifier lets a program load any size at any
 * constant offset past a struct's end when its last member is such an array of integers.
 */
static int32_t window_type(const struct btf *btf, __s32 id)
{
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, (__u32)id) : NULL;
	const struct btf_type *m;

	if (!t || t->size || btf_vlen(t) != 1 || btf_member_bit_offset(t, 0))
		return 0;
	m = btf__type_by_id(btf, btf__resolve_type(btf, btf_members(t)->type));
	if (!m || !btf_is_array(m) || btf_array(m)->nelems)
		return 0;
	m = btf__type_by_id(btf, btf__resolve_type(btf, btf_array(m)->type));
	return m && btf_is_int(m) ? id : 0;
}

int cbpf_cast_from_btf(const struct btf *btf, struct cbpf_cast *c)
{
	static const char *const names[2] = {CBPF_CAST_STRUCTS};
	__s32 ids[2];

	for (int i = 0; i < 2; i++)
		ids[i] = btf__find_by_name_kind(btf, names[i], BTF_KIND_STRUCT);
	return cbpf_cast_from_ids(btf, btf__find_by_name_kind(btf, CBPF_CAST_KFUNC, BTF_KIND_FUNC),
				  ids, c);
}

int cbpf_cast_from_ids(const struct btf *btf, __s32 fn, const __s32 structs[2], struct cbpf_cast *c)
{
	__s32 id = structs[0];
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, (__u32)id) : NULL;
	const struct btf_type *m;

	if (fn <= 0 || !t || !btf_vlen(t) || btf_member_bit_offset(t, 0))
		return -ENOENT;
	m = btf__type_by_id(btf, btf__resolve_type(btf, btf_members(t)->type));
	if (!m || !btf_is_array(m) || btf__resolve_size(btf, btf_members(t)->type) < 4)
		return -ENOENT;
	m = btf__type_by_id(btf, btf__resolve_type(btf, btf_array(m)->type));
	if (!m || !btf_is_int(m))
		return -ENOENT;
	c->kfunc = fn;
	c->type = id;
	c->window = window_type(btf, structs[1]);
	return 0;
}
