// SPDX-License-Identifier: GPL-2.0
/*
 * The expressions' text (grammar in skb_expr.h) to a tree whose leaves are reads at byte
 * offsets, every field looked up in the kernel's BTF as it is met.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "filters/skb_btf.h"
#include "filters/skb_expr_ast.h"

enum tok_kind { TOK_END, TOK_IDENT, TOK_NUM, TOK_OP };

struct tok {
	enum tok_kind kind;
	const char *at;
	size_t len;
	uint64_t num;
};

struct parser {
	const struct btf *btf;
	const char *p;
	struct skb_tree *t;
	char *err;
	size_t errlen;
	int rc;
	int depth; /* of '!' and '(': a command line can nest deeper than the stack */
	const struct expr_root_desc *root;
	__u32 skb_id; /* the root's struct */
};

/* What an expression starts from: the variable's name and the struct it points to. */
struct expr_root_desc {
	const char *var, *type, *what;
};

static const struct expr_root_desc roots[] = {
    [EXPR_ROOT_SKB] = {"skb", "sk_buff", "the traced skb"},
    [EXPR_ROOT_XDP] = {"xdp", "xdp_buff", "the XDP program's xdp_buff"},
};

static int fail(struct parser *ps, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct parser *ps, int rc, const char *fmt, ...)
{
	va_list ap;

	if (ps->rc)
		return ps->rc;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
	ps->rc = rc;
	return rc;
}

/* Two-character operators first, so that "<=" is not read as "<". */
static const char *const ops[] = {"->", "&&", "||", "==", "!=", "<=", ">=", "<", ">",
				  "!",	"&",  "(",  ")",  "[",	"]",  ".",  "-"};

static struct tok peek(const struct parser *ps)
{
	const char *p = ps->p;
	struct tok t = {.at = p};
	char *end;

	while (isspace((unsigned char)*p))
		p++;
	t.at = p;
	if (!*p)
		return t;
	if (isalpha((unsigned char)*p) || *p == '_') {
		while (isalnum((unsigned char)p[t.len]) || p[t.len] == '_')
			t.len++;
		t.kind = TOK_IDENT;
		return t;
	}
	if (isdigit((unsigned char)*p)) {
		errno = 0;
		t.num = strtoull(p, &end, 0);
		t.len = (size_t)(end - p);
		t.kind = TOK_NUM;
		if (errno || isalnum((unsigned char)*end) || *end == '_') {
			/* malformed or too big: a token no rule takes, shown as written */
			t.kind = TOK_OP;
			t.len = strcspn(p, " \t\n()&|=!<>");
		}
		return t;
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strncmp(p, ops[i], strlen(ops[i]))) {
			t.kind = TOK_OP;
			t.len = strlen(ops[i]);
			return t;
		}
	t.kind = TOK_OP; /* an unknown character: one */
	t.len = 1;
	return t;
}

static struct tok next(struct parser *ps)
{
	struct tok t = peek(ps);

	ps->p = t.at + t.len;
	return t;
}

static bool is_op(struct tok t, const char *op)
{
	return t.kind == TOK_OP && t.len == strlen(op) && !strncmp(t.at, op, t.len);
}

static bool accept(struct parser *ps, const char *op)
{
	if (!is_op(peek(ps), op))
		return false;
	next(ps);
	return true;
}

/* What was found where something else was expected, for messages. */
static int unexpected(struct parser *ps, const char *wanted)
{
	struct tok t = peek(ps);

	if (t.kind == TOK_END)
		return fail(ps, -EINVAL, "expected %s, found the end", wanted);
	return fail(ps, -EINVAL, "expected %s, not '%.*s'", wanted, (int)t.len, t.at);
}

static int number(struct parser *ps, uint64_t *v)
{
	bool neg = accept(ps, "-");
	struct tok t = next(ps);

	if (t.kind != TOK_NUM) {
		ps->p = t.at;
		return unexpected(ps, "a number");
	}
	*v = neg ? (uint64_t)0 - t.num : t.num;
	return 0;
}

static const char *kind_name(const struct btf_type *t)
{
	static const char *const names[] = {
	    [BTF_KIND_INT] = "an integer",     [BTF_KIND_PTR] = "a pointer",
	    [BTF_KIND_ARRAY] = "an array",     [BTF_KIND_STRUCT] = "a struct",
	    [BTF_KIND_UNION] = "a union",      [BTF_KIND_ENUM] = "an enum",
	    [BTF_KIND_FWD] = "an opaque type", [BTF_KIND_FUNC_PROTO] = "a function",
	};
	unsigned int k = btf_kind(t);

	return k < sizeof(names) / sizeof(names[0]) && names[k] ? names[k] : "a type";
}

static const struct btf_type *resolved(const struct parser *ps, __u32 id)
{
	__s32 r = btf__resolve_type(ps->btf, id);

	return r < 0 ? NULL : btf__type_by_id(ps->btf, (__u32)r);
}

/* "struct sk_buff", for messages. */
static void struct_desc(const struct parser *ps, const struct btf_type *t, char *buf, size_t len)
{
	const char *name = btf__name_by_offset(ps->btf, t->name_off);

	snprintf(buf, len, "%s %s", btf_is_union(t) ? "union" : "struct",
		 name && *name ? name : "(anonymous)");
}

/* The resolution of an access as it goes: where the value lies, and its type. */
struct walk {
	bool in_reg; /* the value is the root itself (skb: a pointer to struct sk_buff) */
	__u32 type;
	long bits; /* bit offset from the last pointer */
	__u32 bitsz;
	const char *start;
};

static int member(struct parser *ps, struct walk *w, const struct btf_type *s, __u32 sid)
{
	struct tok f = next(ps);
	char name[128], desc[160];
	__u32 mtype = 0, bitsz = 0;
	long off;

	if (f.kind != TOK_IDENT) {
		ps->p = f.at;
		return unexpected(ps, "a field name");
	}
	snprintf(name, sizeof(name), "%.*s", (int)f.len, f.at);
	off = btf_member_find(ps->btf, sid, name, &bitsz, &mtype);
	if (off < 0) {
		struct_desc(ps, s, desc, sizeof(desc));
		return fail(ps, -EINVAL, "no field '%s' in %s", name, desc);
	}
	w->bits += off;
	w->bitsz = bitsz;
	w->type = mtype;
	w->in_reg = false;
	return 0;
}

static int arrow(struct parser *ps, struct walk *w, struct skb_access *a)
{
	const struct btf_type *t = NULL;
	__u32 sid = ps->skb_id;

	if (!w->in_reg) {
		const struct btf_type *p = resolved(ps, w->type);

		if (p && btf_is_ptr(p)) {
			sid = (__u32)btf__resolve_type(ps->btf, p->type);
			t = btf__type_by_id(ps->btf, sid);
		}
		if (!t || (!btf_is_struct(t) && !btf_is_union(t)))
			return fail(ps, -EINVAL, "'%.*s' is %s, not a pointer to a struct: no '->'",
				    (int)(ps->p - 2 - w->start), w->start,
				    p && btf_is_ptr(p) && t ? "a pointer to something else"
				    : p			    ? kind_name(p)
							    : "unknown");
		if (a->nhops == SKB_ACCESS_MAX_HOPS)
			return fail(ps, -EINVAL, "more than %d pointers followed",
				    SKB_ACCESS_MAX_HOPS);
		a->hop[a->nhops++] = (int32_t)(w->bits / 8);
		w->bits = 0;
	}
	if (!t)
		t = btf__type_by_id(ps->btf, sid);
	return member(ps, w, t, sid);
}

static int dot(struct parser *ps, struct walk *w)
{
	const struct btf_type *t = w->in_reg ? NULL : resolved(ps, w->type);

	if (w->in_reg)
		return fail(ps, -EINVAL, "%s is a pointer: '%s->', not '%s.'", ps->root->var,
			    ps->root->var, ps->root->var);
	if (!t || (!btf_is_struct(t) && !btf_is_union(t)))
		return fail(ps, -EINVAL, "'%.*s' is %s, not a struct: no '.'",
			    (int)(ps->p - 1 - w->start), w->start, t ? kind_name(t) : "unknown");
	return member(ps, w, t, (__u32)btf__resolve_type(ps->btf, w->type));
}

static int index_(struct parser *ps, struct walk *w)
{
	const struct btf_type *t = w->in_reg ? NULL : resolved(ps, w->type);
	int len = (int)(ps->p - 1 - w->start); /* up to the '[' */
	const struct btf_array *arr;
	__s64 elem;
	uint64_t i;

	if (!t || !btf_is_array(t))
		return fail(ps, -EINVAL, "'%.*s' is not an array: no '['", len, w->start);
	arr = btf_array(t);
	if (number(ps, &i) || (!accept(ps, "]") && unexpected(ps, "']'")))
		return ps->rc;
	elem = btf__resolve_size(ps->btf, arr->type);
	if (i >= arr->nelems || elem <= 0)
		return fail(ps, -EINVAL, "index %llu past the end of '%.*s' (%u elements)",
			    (unsigned long long)i, len, w->start, arr->nelems);
	w->bits += (long)(i * (uint64_t)elem * 8);
	w->type = arr->type;
	w->bitsz = 0;
	return 0;
}

/* The end of the walk: an integer, an enum or a pointer, up to 8 bytes. */
static int leaf(struct parser *ps, const struct walk *w, struct skb_access *a)
{
	const struct btf_type *t = resolved(ps, w->type);
	int len = (int)(ps->p - w->start);
	__s64 size = t ? btf__resolve_size(ps->btf, w->type) : -1;

	while (len && isspace((unsigned char)w->start[len - 1]))
		len--;
	if (w->in_reg) {
		char wanted[64];

		snprintf(wanted, sizeof(wanted), "'->' and a field after '%s'", ps->root->var);
		return unexpected(ps, wanted);
	}
	if (!t || !(btf_is_int(t) || btf_is_enum(t) || btf_is_enum64(t) || btf_is_ptr(t)))
		return fail(ps, -EINVAL, "'%.*s' is %s: only integers, enums and pointers are read",
			    len, w->start, t ? kind_name(t) : "unknown");
	if (size < 1 || size > 8)
		return fail(ps, -EINVAL, "'%.*s' is %lld bytes: at most 8 are read", len, w->start,
			    (long long)size);
	a->kind = btf_is_ptr(t) ? SKB_VALUE_POINTER
		  : (btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_SIGNED)) ||
			  ((btf_is_enum(t) || btf_is_enum64(t)) && btf_kflag(t))
		      ? SKB_VALUE_SIGNED
		      : SKB_VALUE_UNSIGNED;
	/* x86 and arm64 are little endian: bit offsets count from the byte's low bit */
	a->off = (int32_t)(w->bits / 8);
	if (w->bitsz) {
		a->shift = (uint8_t)(w->bits % 8);
		a->bits = (uint8_t)w->bitsz;
		a->size = (uint8_t)((a->shift + a->bits + 7) / 8);
	} else {
		a->size = (uint8_t)size;
	}
	if (a->size > 8)
		return fail(ps, -EINVAL, "'%.*s' spans more than 8 bytes", len, w->start);
	return 0;
}

static int access(struct parser *ps, struct skb_access *a)
{
	struct tok root = next(ps);
	struct walk w = {.in_reg = true, .start = root.at};
	int rc = 0;

	*a = (struct skb_access){0};
	const char *var = ps->root->var;
	char wanted[96];

	if (root.kind != TOK_IDENT || root.len != strlen(var) || strncmp(root.at, var, root.len)) {
		ps->p = root.at;
		snprintf(wanted, sizeof(wanted), "'%s' (expressions start from %s)", var,
			 ps->root->what);
		return unexpected(ps, wanted);
	}
	while (!rc) {
		if (accept(ps, "->"))
			rc = arrow(ps, &w, a);
		else if (accept(ps, "."))
			rc = dot(ps, &w);
		else if (accept(ps, "["))
			rc = index_(ps, &w);
		else
			break;
	}
	return rc ? rc : leaf(ps, &w, a);
}

static int masked(struct parser *ps, struct skb_access *a)
{
	if (access(ps, a))
		return ps->rc;
	if (accept(ps, "&")) {
		a->has_mask = true;
		return number(ps, &a->mask);
	}
	return 0;
}

static int new_node(struct parser *ps, enum skb_node_kind kind, int left, int right)
{
	struct skb_tree *t = ps->t;

	if (t->count == SKB_EXPR_MAX_NODES)
		return fail(ps, -EINVAL, "too long: at most %d terms", SKB_EXPR_MAX_NODES);
	t->n[t->count] = (struct skb_node){.kind = kind, .left = left, .right = right};
	return t->count++;
}

static const struct {
	const char *text;
	enum skb_op op;
} cmp_ops[] = {{"==", SKB_OP_EQ}, {"!=", SKB_OP_NE}, {"<=", SKB_OP_LE},
	       {">=", SKB_OP_GE}, {"<", SKB_OP_LT},  {">", SKB_OP_GT}};

static int comparison(struct parser *ps, const struct skb_access *a)
{
	int n = new_node(ps, SKB_NODE_CMP, -1, -1);
	struct skb_node *node;

	if (n < 0)
		return n;
	node = &ps->t->n[n];
	node->acc = *a;
	node->op = SKB_OP_NE; /* alone: true when not zero */
	for (size_t i = 0; i < sizeof(cmp_ops) / sizeof(cmp_ops[0]); i++)
		if (accept(ps, cmp_ops[i].text)) {
			node->op = cmp_ops[i].op;
			return number(ps, &node->value) ? ps->rc : n;
		}
	return n;
}

/* '(' access '&' NUMBER ')', or nothing consumed. */
static bool paren_value(struct parser *ps, struct skb_access *a)
{
	const char *at = ps->p;

	if (accept(ps, "(") && !masked(ps, a) && a->has_mask && accept(ps, ")"))
		return true;
	ps->p = at;
	ps->rc = 0;
	return false;
}

static int or_expr(struct parser *ps);

#define MAX_DEPTH 32

static int unary(struct parser *ps)
{
	struct skb_access a;
	int n;

	if (ps->depth >= MAX_DEPTH)
		return fail(ps, -EINVAL, "nested more than %d deep", MAX_DEPTH);
	if (accept(ps, "!")) {
		ps->depth++;
		n = unary(ps);
		ps->depth--;
		return n < 0 ? n : new_node(ps, SKB_NODE_NOT, n, -1);
	}
	if (paren_value(ps, &a))
		return comparison(ps, &a);
	if (accept(ps, "(")) {
		ps->depth++;
		n = or_expr(ps);
		ps->depth--;
		if (n >= 0 && !accept(ps, ")"))
			return unexpected(ps, "')'");
		return n;
	}
	return masked(ps, &a) ? ps->rc : comparison(ps, &a);
}

static int binary(struct parser *ps, const char *op, enum skb_node_kind kind,
		  int (*operand)(struct parser *))
{
	int l = operand(ps), r;

	while (l >= 0 && accept(ps, op)) {
		r = operand(ps);
		l = r < 0 ? r : new_node(ps, kind, l, r);
	}
	return l;
}

static int and_expr(struct parser *ps)
{
	return binary(ps, "&&", SKB_NODE_AND, unary);
}

static int or_expr(struct parser *ps)
{
	return binary(ps, "||", SKB_NODE_OR, and_expr);
}

static int start(struct parser *ps, const struct btf *btf, enum expr_root root, const char *expr,
		 char *err, size_t errlen)
{
	const struct expr_root_desc *r = &roots[root];
	__s32 id = btf__find_by_name_kind(btf, r->type, BTF_KIND_STRUCT);

	*ps = (struct parser){.btf = btf, .p = expr, .err = err, .errlen = errlen, .root = r};
	if (id < 0)
		return fail(ps, -ENOENT, "kernel BTF has no struct %s", r->type);
	ps->skb_id = (__u32)id;
	return 0;
}

static int finish(struct parser *ps, const char *wanted)
{
	if (!ps->rc && peek(ps).kind != TOK_END)
		unexpected(ps, wanted);
	return ps->rc;
}

int skb_expr_parse_filter(const struct btf *btf, enum expr_root root, const char *expr,
			  struct skb_tree *t, char *err, size_t errlen)
{
	struct parser ps;

	if (start(&ps, btf, root, expr, err, errlen))
		return ps.rc;
	ps.t = t;
	t->count = 0;
	t->root = or_expr(&ps);
	return finish(&ps, "'&&', '||', a comparison or the end");
}

int skb_expr_parse_value(const struct btf *btf, enum expr_root root, const char *expr,
			 struct skb_access *a, char *err, size_t errlen)
{
	struct parser ps;

	if (start(&ps, btf, root, expr, err, errlen) || masked(&ps, a))
		return ps.rc;
	return finish(&ps, "the end (a value: a field, or a field & MASK)");
}
