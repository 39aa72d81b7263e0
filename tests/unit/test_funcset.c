// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <bpf/btf.h>
#include "tap.h"
#include "kallsyms/kallsyms.h"
#include "src/funcset.h"

/* Hand-made prototypes: each case is one FUNC whose skb register we know. */
static void test_positions(void)
{
	struct btf *b = btf__new_empty();
	int skb, cskb, tskb, pskb, ppskb, u64t, big16, big24, i;
	int proto, f;

	skb = btf__add_struct(b, "sk_buff", 8);
	btf__add_field(b, "len", btf__add_int(b, "unsigned int", 4, 0), 0, 0);
	u64t = btf__add_int(b, "u64", 8, 0);
	big16 = btf__add_struct(b, "pair", 16);
	btf__add_field(b, "a", u64t, 0, 0);
	btf__add_field(b, "b", u64t, 64, 0);
	big24 = btf__add_struct(b, "triple", 24);
	btf__add_field(b, "a", u64t, 0, 0);
	btf__add_field(b, "b", u64t, 64, 0);
	btf__add_field(b, "c", u64t, 128, 0);
	pskb = btf__add_ptr(b, skb);
	cskb = btf__add_ptr(b, btf__add_const(b, skb));
	tskb = btf__add_ptr(b, btf__add_typedef(b, "skb_t", btf__add_volatile(b, skb)));
	ppskb = btf__add_ptr(b, pskb);

	struct {
		const char *name;
		int params[3];
		int want;
	} cases[] = {
	    {"plain", {pskb, u64t, 0}, 1},
	    {"const_skb", {u64t, cskb, 0}, 2},
	    {"typedef_volatile", {tskb, 0, 0}, 1},
	    {"double_ptr", {ppskb, u64t, 0}, 0},
	    {"first_wins", {u64t, pskb, cskb}, 2},
	    {"after_16_byte_struct", {big16, pskb, 0}, 3},
	    {"after_24_byte_struct", {big24, pskb, 0}, 1},
	    {"no_skb", {u64t, u64t, 0}, 0},
	};
	for (i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++) {
		int k;

		proto = btf__add_func_proto(b, u64t);
		for (k = 0; k < 3 && cases[i].params[k]; k++)
			btf__add_func_param(b, "p", cases[i].params[k]);
		f = btf__add_func(b, cases[i].name, BTF_FUNC_GLOBAL, proto);
		is_int(funcset_skb_position(b, (uint32_t)f), cases[i].want, "%s: skb register",
		       cases[i].name);
	}
	btf__free(b);
}

static void test_live(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	struct kallsyms *ks = NULL;
	struct funcset fs;
	const struct func_entry *e;
	char err[256];

	if (!btf || kallsyms_load(NULL, &ks) || kallsyms_hidden(ks)) {
		ok(1, "# SKIP no vmlinux BTF or kallsyms addresses here");
		btf__free(btf);
		kallsyms_free(ks);
		return;
	}
	is_int(funcset_build(btf, ks, NULL, &fs, err, sizeof(err)), 0, "whole kernel set builds");
	ok(fs.n > 1000, "more than a thousand skb functions (%zu)", fs.n);
	e = funcset_find(&fs, "ip_rcv");
	ok(e && e->pos == 1 && e->naddrs >= 1, "ip_rcv: skb in register 1, has an address");
	e = funcset_find(&fs, "__skb_flow_dissect");
	ok(e && e->pos == 2, "__skb_flow_dissect(net, const struct sk_buff *, ...): register 2");
	e = funcset_find(&fs, "sk_skb_reason_drop");
	if (!e)
		e = funcset_find(&fs, "kfree_skb_reason");
	ok(e && e->pos == (e->name[0] == 's' ? 2 : 1), "the drop point is in the set");
	ok(!funcset_find(&fs, "schedule"), "a function without skb is not");
	ok(fs.btf_matches >= fs.n + fs.no_symbol, "counts add up");
	funcset_free(&fs);

	is_int(funcset_build(btf, ks, "ip_rcv", &fs, err, sizeof(err)), 0, "filtered set builds");
	ok(fs.n == 1 && !strcmp(fs.funcs[0].name, "ip_rcv"), "ip_rcv matches only ip_rcv");
	funcset_free(&fs);
	is_int(funcset_build(btf, ks, "ip_rcv.*", &fs, err, sizeof(err)), 0, "prefix regex");
	ok(fs.n > 1 && funcset_find(&fs, "ip_rcv_core") && funcset_find(&fs, "ip_rcv"),
	   "ip_rcv.* also finds ip_rcv_core");
	ok(!funcset_find(&fs, "ip6_rcv_core"), "but not ip6_rcv_core");
	funcset_free(&fs);
	is_int(funcset_build(btf, ks, "ip_rcv|tcp_v4_rcv", &fs, err, sizeof(err)), 0,
	       "alternation");
	is_int(fs.n, 2, "alternation is anchored as a whole: exactly two");
	funcset_free(&fs);
	is_int(funcset_build(btf, ks, "(", &fs, err, sizeof(err)), -EINVAL, "bad regex");
	kallsyms_free(ks);
	btf__free(btf);
}

int main(void)
{
	test_positions();
	test_live();
	return tap_done();
}
