/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the parser (skb_expr_parse.c: text and BTF to a tree of resolved reads) and the
 * code generator (skb_expr.c).
 */
#ifndef PWRU_SKB_EXPR_AST_H
#define PWRU_SKB_EXPR_AST_H

#include "filters/skb_expr.h"

#define SKB_ACCESS_MAX_HOPS 8
#define SKB_EXPR_MAX_NODES  64

/* A field of the root (skb, xdp), or behind pointers from it, as byte offsets. */
struct skb_access {
	uint32_t nhops;
	int32_t hop[SKB_ACCESS_MAX_HOPS]; /* where each pointer followed lies, from the last */
	int32_t off;			  /* the field, from the last pointer */
	uint8_t size;			  /* bytes read: 1 to 8 */
	uint8_t shift, bits;		  /* a bitfield: bits from bit shift of the read; 0: none */
	enum skb_value_kind kind;
	bool has_mask;
	uint64_t mask;
};

enum skb_op { SKB_OP_EQ, SKB_OP_NE, SKB_OP_LT, SKB_OP_LE, SKB_OP_GT, SKB_OP_GE };

enum skb_node_kind { SKB_NODE_CMP, SKB_NODE_AND, SKB_NODE_OR, SKB_NODE_NOT };

struct skb_node {
	enum skb_node_kind kind;
	int left, right; /* AND, OR: both; NOT: left */
	struct skb_access acc;
	enum skb_op op;
	uint64_t value;
};

struct skb_tree {
	struct skb_node n[SKB_EXPR_MAX_NODES];
	int count, root;
};

/* Parses a filter into T. 0, or -EINVAL/-ENOENT with the reason in ERR. */
int skb_expr_parse_filter(const struct btf *btf, enum expr_root root, const char *expr,
			  struct skb_tree *t, char *err, size_t errlen);

/* Parses one metadata expression (an access, optionally masked). Errors as above. */
int skb_expr_parse_value(const struct btf *btf, enum expr_root root, const char *expr,
			 struct skb_access *a, char *err, size_t errlen);

#endif
