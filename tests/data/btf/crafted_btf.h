/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small BTF blobs for tests that need a kernel BTF which is wrong in a known way; the files
 * next to this header are what these functions write (tests/unit/test_crafted.c checks
 * they still agree; `make test-data` writes them again).
 */
#ifndef PWRU_CRAFTED_BTF_H
#define PWRU_CRAFTED_BTF_H

#include <bpf/btf.h>

/*
 * skb-empty.btf: icmp_rcv(struct sk_buff *) of a kernel whose struct sk_buff has no
 * fields. Functions are found in it, but the tracer's CO-RE reads cannot be relocated:
 * `pwru --kernel-btf skb-empty.btf` gets as far as loading, and the load fails.
 */
static inline struct btf *crafted_skb_empty(void)
{
	struct btf *b = btf__new_empty();
	int i, skb, ptr, proto, ok;

	if (!b)
		return NULL;
	i = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	skb = btf__add_struct(b, "sk_buff", 232);
	ptr = btf__add_ptr(b, skb);
	proto = btf__add_func_proto(b, i);
	ok = i > 0 && skb > 0 && ptr > 0 && proto > 0 && !btf__add_func_param(b, "skb", ptr) &&
	     btf__add_func(b, "icmp_rcv", BTF_FUNC_GLOBAL, proto) > 0;
	if (!ok) {
		btf__free(b);
		return NULL;
	}
	return b;
}

#endif
