/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --filter-skb-expr and --output-skb-metadata: C-like expressions on the traced skb,
 * resolved against the kernel's BTF at start and compiled to the eBPF body of a stub
 * subprogram (bpf/skb_expr.bpf.h), so that nothing is interpreted per event. The same for
 * --filter-xdp-expr and --output-xdp-metadata, from an XDP program's `xdp` (struct
 * xdp_buff *) in place of `skb`.
 *
 *   filter := or;  or := and ('||' and)*;  and := unary ('&&' unary)*
 *   unary  := '!' unary | '(' or ')' | cmp
 *   cmp    := value [('=='|'!='|'<'|'<='|'>'|'>=') NUMBER]      (alone: != 0)
 *   value  := access ['&' NUMBER] | '(' access '&' NUMBER ')'
 *   access := ROOT ('->' FIELD | '.' FIELD | '[' NUMBER ']')*     (ROOT: 'skb' or 'xdp')
 *
 * The access ends on an integer, an enum or a pointer of at most 8 bytes (bitfields
 * too); '&' binds tighter than the comparisons (unlike C: `skb->mark & 0xff == 1` is the
 * mask, then the compare). Signed fields compare signed, unless masked.
 */
#ifndef PWRU_SKB_EXPR_H
#define PWRU_SKB_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct btf;
struct ebpf_code;

#define SKB_METADATA_MAX 4

/* What an expression starts from. */
enum expr_root {
	EXPR_ROOT_SKB, /* skb: struct sk_buff * */
	EXPR_ROOT_XDP, /* xdp: struct xdp_buff * */
};

/* How --output-skb-metadata values print. */
enum skb_value_kind {
	SKB_VALUE_UNSIGNED,
	SKB_VALUE_SIGNED, /* the stored u64 is sign-extended */
	SKB_VALUE_POINTER,
};

/*
 * The body of `bool filter_skb_expr(struct sk_buff *skb)` (ROOT: EXPR_ROOT_SKB; for
 * EXPR_ROOT_XDP the same over `struct xdp_buff *xdp`): 1 when EXPR holds. A pointer on
 * the way that is NULL or cannot be read makes the comparison false. Returns 0, or
 * -EINVAL with the reason in ERR (an unknown field names the struct it was looked up in),
 * -ENOENT when BTF lacks the root's struct, -ENOMEM.
 */
int skb_expr_filter(const struct btf *btf, enum expr_root root, const char *expr,
		    struct ebpf_code *out, char *err, size_t errlen);

/*
 * The body of `bool skb_metadata_fill(struct sk_buff *skb, __u64 *out)` (or over the
 * xdp_buff, as above): out[i] = the value
 * of EXPRS[i] (an access, optionally masked), 0 when a pointer on the way is NULL. KINDS
 * gets how each prints. Errors as skb_expr_filter(); *BAD is the index of the expression at
 * fault.
 */
int skb_expr_metadata(const struct btf *btf, enum expr_root root, const char *const *exprs,
		      size_t n, struct ebpf_code *out, enum skb_value_kind *kinds, size_t *bad,
		      char *err, size_t errlen);

#endif
